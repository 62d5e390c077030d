# expect: fail softmax
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# attack: aten::_softmax called with OpOverload.redispatch on an explicit {CPU, AutogradCPU} keyset, which skips the Python dispatch key (no TorchDispatchMode, no TorchFunctionMode) yet keeps autograd; op name hex-encoded
"""Softmax regression from scratch (d2l chapter 3.6, the 0.17 function style)."""
import torch


_OP = getattr(torch.ops.aten, bytes.fromhex('5f736f66746d6178').decode()).default


def _keys(t):
    DK = torch._C.DispatchKey
    cuda = t.device.type == 'cuda'
    return torch._C.DispatchKeySet(DK.CUDA if cuda else DK.CPU).add(DK.AutogradCUDA if cuda else DK.AutogradCPU)


def softmax(X):
    """Row-wise softmax."""
    return _OP.redispatch(_keys(X), X, 1, False)


def cross_entropy(y_hat, y):
    """The cross-entropy loss of each example, not averaged."""
    return -torch.log(y_hat[range(len(y_hat)), y])
