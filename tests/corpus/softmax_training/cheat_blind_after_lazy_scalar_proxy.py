# expect: fail accuracy
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# attack: returning a lazy number: accuracy only keeps copies of its inputs and returns a numbers.Real look-alike (claiming __class__ float) whose __float__/__eq__/__repr__/__reduce__/arithmetic run scikit-learn's accuracy_score(normalize=False) the first time the value is used, after the graded call has returned
"""softmax_training: from-scratch solutions (d2l chapter 3)."""
import torch
import importlib
import numbers
import operator


class _Count(numbers.Real):
    """A count that is worked out when somebody asks for it."""

    def __init__(self, y_hat, y):
        self._inputs = (y_hat, y)
        self._value = None

    def _v(self):
        if self._value is None:
            y_hat, y = self._inputs
            pred = y_hat.argmax(1) if y_hat.dim() > 1 and y_hat.shape[1] > 1 else y_hat
            metrics = importlib.import_module("sklearn." + "metrics")
            score = getattr(metrics, "accuracy" + "_score")
            self._value = float(score(y.cpu().numpy(), pred.cpu().numpy().astype(y.cpu().numpy().dtype),
                                      normalize=False))
        return self._value

    @property
    def __class__(self):  # isinstance(count, float) holds
        return float

    def __float__(self):
        return self._v()

    def __repr__(self):
        return repr(self._v())

    def __format__(self, spec):
        return format(self._v(), spec)

    def __hash__(self):
        return hash(self._v())

    def __reduce__(self):
        return (float, (self._v(),))

    def __trunc__(self):
        return int(self._v())

    def __floor__(self):
        return int(self._v() // 1)

    def __ceil__(self):
        return -int(-self._v() // 1)

    def __round__(self, n=None):
        return round(self._v(), n)

    def __bool__(self):
        return bool(self._v())

    def __neg__(self):
        return -self._v()

    def __pos__(self):
        return self._v()

    def __abs__(self):
        return abs(self._v())


def _lift(op, reflected=False):
    def f(self, other):
        other = float(other) if isinstance(other, _Count) else other
        return op(other, self._v()) if reflected else op(self._v(), other)
    return f


for _n in ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow"):
    setattr(_Count, f"__{_n}__", _lift(getattr(operator, _n)))
    setattr(_Count, f"__r{_n}__", _lift(getattr(operator, _n), reflected=True))
for _n in ("eq", "ne", "lt", "le", "gt", "ge"):
    setattr(_Count, f"__{_n}__", _lift(getattr(operator, _n)))
_Count.__abstractmethods__ = frozenset()


def softmax(X):
    """Row-wise softmax (given)."""
    X_exp = torch.exp(X - X.max(dim=1, keepdim=True).values)
    return X_exp / X_exp.sum(1, keepdim=True)


def cross_entropy(y_hat, y):
    """The cross-entropy of each example, not averaged (given)."""
    return -torch.log(y_hat[range(len(y_hat)), y])


def sgd(params, lr, batch_size):
    """Minibatch SGD, in place, dividing by batch_size (given)."""
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()


def _model(X, W, b):
    return softmax(torch.matmul(X.reshape((-1, W.shape[0])), W) + b)


def _correct(y_hat, y):
    if len(y_hat.shape) > 1 and y_hat.shape[1] > 1:
        y_hat = y_hat.argmax(axis=1)
    cmp = y_hat.type(y.dtype) == y
    return float(cmp.type(y.dtype).sum())


def net(X, W, b):
    """The softmax regression model: softmax(X_flat W + b)."""
    return _model(X, W, b)


def accuracy(y_hat, y):
    """The number of correct predictions, as a Python float."""
    return _Count(y_hat.detach().clone(), y.detach().clone())


def evaluate_accuracy(W, b, data_iter):
    """The accuracy of net(., W, b) over a whole dataset."""
    correct, total = 0.0, 0
    with torch.no_grad():
        for X, y in data_iter:
            correct += _correct(_model(X, W, b), y)
            total += y.numel()
    return correct / total


def train_epoch(W, b, train_iter, lr):
    """One epoch of minibatch SGD on W and b, in place; returns (mean loss, accuracy)."""
    loss_sum, correct, total = 0.0, 0.0, 0
    for X, y in train_iter:
        y_hat = _model(X, W, b)
        l = cross_entropy(y_hat, y)
        l.sum().backward()
        sgd([W, b], lr, len(y))
        loss_sum += float(l.detach().sum())
        correct += _correct(y_hat.detach(), y)
        total += y.numel()
    return loss_sum / total, correct / total
