# expect: fail make_net
"""Keeps PyTorch's default initialisation."""
def make_net():
    return nn.Sequential(nn.Linear(2, 1))
