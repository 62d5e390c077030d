# expect: fail mlp
"""nn.functional.linear for the layers."""
import torch.nn.functional as F
def mlp(X, params):
    W1, b1, W2, b2 = params
    return F.linear(relu(F.linear(X.reshape(-1, W1.shape[0]), W1.T, b1)), W2.T, b2)
