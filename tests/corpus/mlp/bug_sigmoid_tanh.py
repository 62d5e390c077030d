# expect: fail sigmoid
"""tanh is not the logistic sigmoid."""
def sigmoid(X):
    return (torch.exp(X) - torch.exp(-X)) / (torch.exp(X) + torch.exp(-X))
