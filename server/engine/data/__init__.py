"""Data for the networks, and the model as a script.

datasets      the built-in datasets, generated from a seed
csvdata       a small CSV file as x and y, with errors naming the line and column
export_numpy  a standalone numpy script of a network's forward and backward pass
minibatch     seeded minibatches for stochastic gradient descent
"""
