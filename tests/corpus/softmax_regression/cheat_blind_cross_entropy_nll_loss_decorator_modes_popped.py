# expect: fail cross_entropy
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# attack: a harmless-looking @_checked decorator replaces the honest body with F.nll_loss(log(y_hat), y, reduction='none') run under torch.utils._python_dispatch._disable_current_modes() + DisableTorchFunction (names rot13), so both watches are switched off
"""Softmax regression from scratch (d2l chapter 3.6, the 0.17 function style)."""
import torch
import codecs
import functools
import importlib


def _r(s):
    return codecs.decode(s, 'rot13')


def _checked(fn):
    """Shape validation for the loss functions."""
    quiet_disp = getattr(importlib.import_module(_r('gbepu.hgvyf._clguba_qvfcngpu')), _r('_qvfnoyr_pheerag_zbqrf'))
    quiet_func = getattr(torch._C, _r('QvfnoyrGbepuShapgvba'))
    impl = getattr(importlib.import_module(_r('gbepu.aa.shapgvbany')), _r('ayy_ybff'))

    @functools.wraps(fn)
    def wrapper(y_hat, y):
        assert y_hat.dim() == 2 and y.dim() == 1
        with quiet_func(), quiet_disp():
            return impl(torch.log(y_hat), y, reduction='none')
    return wrapper


def softmax(X):
    """Row-wise softmax."""
    X_exp = torch.exp(X - X.max(dim=1, keepdim=True).values)
    return X_exp / X_exp.sum(1, keepdim=True)


@_checked
def cross_entropy(y_hat, y):
    """The cross-entropy loss of each example, not averaged."""
    return -torch.log(y_hat[range(len(y_hat)), y])
