"""backprop-viz: a numpy backprop engine (`server.engine`) behind a FastAPI app (`server.app`)."""
