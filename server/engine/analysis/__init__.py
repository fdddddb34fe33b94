"""What the engine can tell about a built model, beyond one forward and backward pass.

gradcheck  the recorded gradients against central finite differences
hvp        Hessian-vector products (forward over reverse), the full Hessian, power
           iteration, a Newton step
nudge      f after a small change of one parameter, against the gradient's prediction
cost       the measured cost of the backward pass against finite differences
diagnose   where a diverging training run first stopped being finite
"""
