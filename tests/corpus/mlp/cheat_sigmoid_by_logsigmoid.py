# expect: fail sigmoid
# says: torch.nn.functional.logsigmoid
# what: sigmoid as exp(logsigmoid(x))
from torch.nn import functional


def sigmoid(X):
    return functional.logsigmoid(X).exp()
