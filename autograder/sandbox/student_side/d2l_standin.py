"""d2l where it is not installed: a stand-in that works as the book expects, written for the kit.

Grading never installs d2l (it downloads data and pulls in torchvision), yet students paste the
book's sections, with ``from d2l import torch as d2l`` and its helpers, at the top of their file.
This module answers for ``d2l`` and ``d2l.torch`` (and the other frameworks' names):

* d2l's tensor aliases (``d2l.normal``, ``d2l.matmul``, ``d2l.reshape``…) are torch's;
* its helpers behave: ``Accumulator``, ``Timer``, ``Animator`` and the plotting helpers (which draw
  nothing), ``synthetic_data`` and ``load_array`` (real data), and ``load_data_fashion_mnist``, which
  returns small, deterministic images of Fashion-MNIST's shapes instead of downloading it;
* the class-based edition (1.0) imports and runs: ``HyperParameters``, ``Module``, ``DataModule``,
  ``Trainer``, ``SGD``, ``add_to_class`` and the chapter's models;
* d2l's own solutions (``linreg``, ``sgd``, ``squared_loss``…, the ``d2l_solutions`` group of
  grading.toml) work too, but a use inside a graded call is recorded, and the function that made
  it is charged for it, as for any ready-made API.

Whatever else d2l has is a harmless no-op, so that a pasted section still loads.
"""
from __future__ import annotations

import functools
import inspect
import math
import time
import types

import torch
from torch import nn
from torch.utils import data as _data

_FRAMEWORKS = ("torch", "mxnet", "tensorflow", "jax")


def module(name: str, charged: frozenset, record) -> types.ModuleType:
    """The stand-in module for ``name`` (d2l, d2l.torch…). ``record(member)`` is called when a member
    in ``charged`` is used; it says whether that happened inside a graded call."""
    made = _D2L(name)
    members = _members(charged, record)
    if "." not in name:  # the package: `from d2l import torch` is its submodule, not torch itself
        members = {k: v for k, v in members.items() if k not in _FRAMEWORKS}
    made.__dict__.update(members)
    made.__dict__["d2l"] = made
    return made


class _D2L(types.ModuleType):
    def __getattr__(self, attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        if attr in _FRAMEWORKS:  # from d2l import torch as d2l
            sub = _D2L(f"{self.__name__}.{attr}")
            sub.__dict__.update({k: v for k, v in self.__dict__.items() if not k.startswith("__")})
            setattr(self, attr, sub)
            return sub
        return _Nothing(f"{self.__name__}.{attr}")


class _Nothing:
    """A part of d2l the kit does not stand in for: calling or using it does nothing."""

    def __init__(self, name: str):
        self._name = name

    def __getattr__(self, attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        return _Nothing(f"{self._name}.{attr}")

    def __call__(self, *args, **kwargs):
        return _Nothing(f"{self._name}()")

    def __iter__(self):
        return iter(())

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def __repr__(self):
        return f"<{self._name}: not part of the grader's d2l>"


# ----------------------------------------------------------------------------------------------
# Plotting: drawn with matplotlib (headless in the student process) where it is installed,
# otherwise nothing; never shown.
class _LazyPyplot:
    def __getattr__(self, attr):
        try:
            from matplotlib import pyplot
        except ImportError:
            return _Nothing(f"d2l.plt.{attr}")
        return getattr(pyplot, attr)


def use_svg_display():
    pass


def set_figsize(figsize=(3.5, 2.5)):
    pass


def set_axes(*args, **kwargs):
    pass


def plot(*args, **kwargs):
    pass


def show_images(imgs, num_rows, num_cols, titles=None, scale=1.5):
    return _Nothing("d2l.show_images()")


class Animator:
    """d2l's live plot of training curves: keeps the points, draws nothing."""

    def __init__(self, *args, **kwargs):
        self.X, self.Y = None, None

    def add(self, x, y):
        if not hasattr(y, "__len__"):
            y = [y]
        if not hasattr(x, "__len__"):
            x = [x] * len(y)
        if self.X is None:
            self.X, self.Y = [[] for _ in y], [[] for _ in y]
        for i, (a, b) in enumerate(zip(x, y)):
            if a is not None and b is not None:
                self.X[i].append(a)
                self.Y[i].append(b)


class ProgressBoard:
    """The 1.0 edition's live plot: keeps the points, draws nothing."""

    def __init__(self, xlabel=None, ylabel=None, xlim=None, ylim=None, xscale="linear", yscale="linear",
                 ls=("-", "--", "-.", ":"), colors=("C0", "C1", "C2", "C3"), fig=None, axes=None,
                 figsize=(3.5, 2.5), display=True):
        self.xlabel, self.ylabel, self.xlim, self.ylim = xlabel, ylabel, xlim, ylim
        self.display, self.points = display, {}

    def draw(self, x, y, label, every_n=1):
        self.points.setdefault(label, []).append((x, y))


# ----------------------------------------------------------------------------------------------
class Accumulator:
    """Sums over n variables."""

    def __init__(self, n):
        self.data = [0.0] * n

    def add(self, *args):
        self.data = [a + float(b) for a, b in zip(self.data, args)]

    def reset(self):
        self.data = [0.0] * len(self.data)

    def __getitem__(self, idx):
        return self.data[idx]


class Timer:
    """Records running times."""

    def __init__(self):
        self.times = []
        self.start()

    def start(self):
        self.tik = time.time()

    def stop(self):
        self.times.append(time.time() - self.tik)
        return self.times[-1]

    def avg(self):
        return sum(self.times) / len(self.times) if self.times else 0.0

    def sum(self):
        return sum(self.times)

    def cumsum(self):
        out, total = [], 0.0
        for t in self.times:
            total += t
            out.append(total)
        return out


def cpu():
    return torch.device("cpu")


def gpu(i=0):
    return torch.device(f"cuda:{i}")


def num_gpus():
    return torch.cuda.device_count() if torch.cuda.is_available() else 0


def try_gpu(i=0):
    return gpu(i) if num_gpus() >= i + 1 else cpu()


def try_all_gpus():
    return [gpu(i) for i in range(num_gpus())] or [cpu()]


def get_dataloader_workers():
    return 0  # no worker processes where grading runs


# ----------------------------------------------------------------------------------------------
# Data: real for synthetic regression, small and made up for Fashion-MNIST (nothing is downloaded).
def synthetic_data(w, b, num_examples):
    """y = Xw + b + N(0, 0.01²) noise, y of shape (n, 1)."""
    X = torch.normal(0, 1, (int(num_examples), len(w)))
    y = torch.matmul(X, w) + b
    y += torch.normal(0, 0.01, y.shape)
    return X, y.reshape((-1, 1))


def load_array(data_arrays, batch_size, is_train=True):
    return _data.DataLoader(_data.TensorDataset(*data_arrays), batch_size, shuffle=is_train)


_FASHION_LABELS = ["t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag",
                   "ankle boot"]


def get_fashion_mnist_labels(labels):
    return [_FASHION_LABELS[int(i)] for i in labels]


@functools.lru_cache(maxsize=4)
def _fashion_like(n: int, side: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """``n`` images of ``side``×``side`` in [0, 1] whose class shows as a brighter band, so that the
    book's models learn something; the same on every call."""
    g = torch.Generator().manual_seed(seed)
    y = torch.arange(n) % 10
    X = torch.rand(n, 1, side, side, generator=g) * 0.3
    rows = torch.arange(side)
    band = ((rows.unsqueeze(0) * 10 // side) == y.unsqueeze(1)).float()  # (n, side)
    X += 0.7 * band[:, None, :, None]
    return X.clamp(0, 1), y


def load_data_fashion_mnist(batch_size, resize=None):
    """Fashion-MNIST's shapes (1×28×28 images, ten classes), 600 images to train on and 200 to test:
    made up, deterministic, and never empty."""
    side = 28 if resize is None else int(resize if isinstance(resize, int) else resize[0])
    train, test = _fashion_like(600, side, 0), _fashion_like(200, side, 1)
    return (_data.DataLoader(_data.TensorDataset(*train), batch_size, shuffle=True),
            _data.DataLoader(_data.TensorDataset(*test), batch_size, shuffle=False))


# ----------------------------------------------------------------------------------------------
# d2l's solutions of chapter 3 (0.17): they work, and a graded call that uses one is charged.
def linreg(X, w, b):
    return torch.matmul(X, w) + b


def squared_loss(y_hat, y):
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def sgd(params, lr, batch_size):
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()


def data_iter(batch_size, features, labels):
    order = torch.randperm(len(features))
    for i in range(0, len(features), batch_size):
        picked = order[i:i + batch_size]
        yield features[picked], labels[picked]


def softmax(X):
    X_exp = torch.exp(X)
    return X_exp / X_exp.sum(1, keepdim=True)


def cross_entropy(y_hat, y):
    return -torch.log(y_hat[range(len(y_hat)), y])


def relu(X):
    return torch.max(X, torch.zeros_like(X))


def l2_penalty(w):
    return torch.sum(w.pow(2)) / 2


def accuracy(y_hat, y):
    if len(y_hat.shape) > 1 and y_hat.shape[1] > 1:
        y_hat = y_hat.argmax(axis=1)
    return float((y_hat.type(y.dtype) == y).type(y.dtype).sum())


def evaluate_accuracy(net, data_iter):
    if isinstance(net, nn.Module):
        net.eval()
    metric = Accumulator(2)
    with torch.no_grad():
        for X, y in data_iter:
            metric.add(accuracy(net(X), y), y.numel())
    return metric[0] / metric[1] if metric[1] else 0.0


def evaluate_loss(net, data_iter, loss):
    metric = Accumulator(2)
    for X, y in data_iter:
        out = net(X)
        metric.add(loss(out, y.reshape(out.shape)).sum(), y.numel())
    return metric[0] / metric[1] if metric[1] else 0.0


def train_epoch_ch3(net, train_iter, loss, updater):
    if isinstance(net, nn.Module):
        net.train()
    metric = Accumulator(3)
    for X, y in train_iter:
        y_hat = net(X)
        l = loss(y_hat, y)
        if isinstance(updater, torch.optim.Optimizer):
            updater.zero_grad()
            l.mean().backward()
            updater.step()
        else:
            l.sum().backward()
            updater(X.shape[0])
        metric.add(float(l.sum()), accuracy(y_hat, y), y.numel())
    return (metric[0] / metric[2], metric[1] / metric[2]) if metric[2] else (0.0, 0.0)


def train_ch3(net, train_iter, test_iter, loss, num_epochs, updater):
    """The book's training loop, without its plot (and without its asserts on the made-up data)."""
    animator = Animator()
    for epoch in range(num_epochs):
        train_metrics = train_epoch_ch3(net, train_iter, loss, updater)
        animator.add(epoch + 1, train_metrics + (evaluate_accuracy(net, test_iter),))


def predict_ch3(net, test_iter, n=6):
    for X, y in test_iter:
        return get_fashion_mnist_labels(net(X).argmax(axis=1))[:n]


def linreg_concise(*args, **kwargs):
    return _Nothing("d2l.linreg_concise()")


# ----------------------------------------------------------------------------------------------
# The class-based edition (d2l 1.0).
def add_to_class(Class):
    def register(obj):
        setattr(Class, obj.__name__, obj)
    return register


class HyperParameters:
    def save_hyperparameters(self, ignore=()):
        """Keep the caller's arguments as attributes (self.lr = lr, ...)."""
        frame = inspect.currentframe().f_back
        ignore = set(ignore) | {"self"}
        self.hparams = {k: v for k, v in frame.f_locals.items()
                        if k not in ignore and not k.startswith("_") and not (k == "__class__")}
        for k, v in self.hparams.items():
            setattr(self, k, v)


class Module(nn.Module, HyperParameters):
    def __init__(self, plot_train_per_epoch=2, plot_valid_per_epoch=1):
        super().__init__()
        self.plot_train_per_epoch, self.plot_valid_per_epoch = plot_train_per_epoch, plot_valid_per_epoch
        self.board = ProgressBoard()

    def loss(self, y_hat, y):
        raise NotImplementedError

    def forward(self, X):
        return self.net(X)

    def plot(self, key, value, train):
        pass

    def training_step(self, batch):
        l = self.loss(self(*batch[:-1]), batch[-1])
        return l

    def validation_step(self, batch):
        return self.loss(self(*batch[:-1]), batch[-1])

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=self.lr)

    def apply_init(self, inputs, init=None):
        self.forward(*inputs)
        if init is not None:
            self.net.apply(init)


class DataModule(HyperParameters):
    def __init__(self, root="../data", num_workers=4):
        self.root, self.num_workers = root, 0

    def get_dataloader(self, train):
        raise NotImplementedError

    def train_dataloader(self):
        return self.get_dataloader(train=True)

    def val_dataloader(self):
        return self.get_dataloader(train=False)

    def get_tensorloader(self, tensors, train, indices=slice(0, None)):
        tensors = tuple(a[indices] for a in tensors)
        return _data.DataLoader(_data.TensorDataset(*tensors), self.batch_size, shuffle=train)


class Trainer(HyperParameters):
    def __init__(self, max_epochs, num_gpus=0, gradient_clip_val=0):
        self.max_epochs, self.num_gpus, self.gradient_clip_val = max_epochs, num_gpus, gradient_clip_val
        self.gpus = []

    def prepare_data(self, data):
        self.train_dataloader = data.train_dataloader()
        self.val_dataloader = data.val_dataloader()
        self.num_train_batches = len(self.train_dataloader)
        self.num_val_batches = len(self.val_dataloader) if self.val_dataloader is not None else 0

    def prepare_model(self, model):
        model.trainer = self
        model.board.xlim = [0, self.max_epochs]
        self.model = model

    def prepare_batch(self, batch):
        return batch

    def fit(self, model, data):
        self.prepare_data(data)
        self.prepare_model(model)
        self.optim = model.configure_optimizers()
        self.epoch = self.train_batch_idx = self.val_batch_idx = 0
        for self.epoch in range(self.max_epochs):
            self.fit_epoch()

    def fit_epoch(self):
        self.model.train()
        for batch in self.train_dataloader:
            loss = self.model.training_step(self.prepare_batch(batch))
            self.optim.zero_grad()
            with torch.no_grad():
                loss.backward()
                if self.gradient_clip_val > 0:
                    self.clip_gradients(self.gradient_clip_val, self.model)
                self.optim.step()
            self.train_batch_idx += 1
        if self.val_dataloader is None:
            return
        self.model.eval()
        for batch in self.val_dataloader:
            with torch.no_grad():
                self.model.validation_step(self.prepare_batch(batch))
            self.val_batch_idx += 1

    def clip_gradients(self, grad_clip_val, model):
        params = [p for p in model.parameters() if p.requires_grad]
        norm = math.sqrt(sum(float((p.grad ** 2).sum()) for p in params))
        if norm > grad_clip_val:
            for param in params:
                param.grad[:] *= grad_clip_val / norm


class SyntheticRegressionData(DataModule):
    def __init__(self, w, b, noise=0.01, num_train=1000, num_val=1000, batch_size=32):
        super().__init__()
        self.w, self.b, self.noise, self.batch_size = w, b, noise, batch_size
        self.num_train, self.num_val = num_train, num_val
        n = num_train + num_val
        self.X = torch.randn(n, len(w))
        self.y = torch.matmul(self.X, w.reshape((-1, 1))) + b + torch.randn(n, 1) * noise

    def get_dataloader(self, train):
        i = slice(0, self.num_train) if train else slice(self.num_train, None)
        return self.get_tensorloader((self.X, self.y), train, i)


class SGD(HyperParameters):
    """Minibatch SGD of the class-based edition: ``step`` moves each parameter against its gradient."""

    def __init__(self, params, lr):
        self.params, self.lr = params, lr

    def step(self):
        for param in self.params:
            param -= self.lr * param.grad

    def zero_grad(self):
        for param in self.params:
            if param.grad is not None:
                param.grad.zero_()


class LinearRegressionScratch(Module):
    def __init__(self, num_inputs, lr, sigma=0.01):
        super().__init__()
        self.num_inputs, self.lr, self.sigma = num_inputs, lr, sigma
        self.w = torch.normal(0, sigma, (num_inputs, 1), requires_grad=True)
        self.b = torch.zeros(1, requires_grad=True)

    def forward(self, X):
        return torch.matmul(X, self.w) + self.b

    def loss(self, y_hat, y):
        return ((y_hat - y) ** 2 / 2).mean()

    def configure_optimizers(self):
        return SGD([self.w, self.b], self.lr)


class LinearRegression(Module):
    def __init__(self, lr):
        super().__init__()
        self.lr = lr
        self.net = nn.LazyLinear(1)
        self.net.weight.data.normal_(0, 0.01)
        self.net.bias.data.fill_(0)

    def forward(self, X):
        return self.net(X)

    def loss(self, y_hat, y):
        return nn.MSELoss()(y_hat, y)

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), self.lr)

    def get_w_b(self):
        return self.net.weight.data, self.net.bias.data


class FashionMNIST(DataModule):
    """Fashion-MNIST's shapes, made up (see load_data_fashion_mnist)."""

    def __init__(self, batch_size=64, resize=(28, 28)):
        super().__init__()
        self.batch_size, self.resize = batch_size, resize
        side = int(resize[0]) if isinstance(resize, (tuple, list)) else int(resize)
        self.train, self.val = (_data.TensorDataset(*_fashion_like(600, side, 0)),
                                _data.TensorDataset(*_fashion_like(200, side, 1)))

    def text_labels(self, indices):
        return get_fashion_mnist_labels(indices)

    def get_dataloader(self, train):
        return _data.DataLoader(self.train if train else self.val, self.batch_size, shuffle=train)

    def visualize(self, batch, nrows=1, ncols=8, labels=()):
        pass


class Classifier(Module):
    def validation_step(self, batch):
        Y_hat = self(*batch[:-1])
        return self.loss(Y_hat, batch[-1]), self.accuracy(Y_hat, batch[-1])

    def accuracy(self, Y_hat, Y, averaged=True):
        Y_hat = Y_hat.reshape((-1, Y_hat.shape[-1]))
        compare = (Y_hat.argmax(axis=1).type(Y.dtype) == Y.reshape(-1)).type(torch.float32)
        return compare.mean() if averaged else compare

    def loss(self, Y_hat, Y, averaged=True):
        Y_hat = Y_hat.reshape((-1, Y_hat.shape[-1]))
        return nn.functional.cross_entropy(Y_hat, Y.reshape((-1,)), reduction="mean" if averaged else "none")


class SoftmaxRegression(Classifier):
    def __init__(self, num_outputs, lr):
        super().__init__()
        self.lr = lr
        self.net = nn.Sequential(nn.Flatten(), nn.LazyLinear(num_outputs))

    def forward(self, X):
        return self.net(X)


# ----------------------------------------------------------------------------------------------
def _aliases() -> dict:
    """d2l's names for torch functions and methods (torch.py, 0.17 and 1.0)."""
    direct = {name: getattr(torch, name) for name in (
        "ones", "zeros", "tensor", "arange", "meshgrid", "sin", "sinh", "cos", "cosh", "tanh", "linspace",
        "exp", "log", "normal", "rand", "randn", "matmul", "int32", "int64", "float32", "stack", "abs", "eye")}
    methods = {"numpy": lambda x, *a, **k: x.detach().cpu().numpy(*a, **k),
               "size": lambda x, *a, **k: x.numel(*a, **k), "reshape": lambda x, *a, **k: x.reshape(*a, **k),
               "to": lambda x, *a, **k: x.to(*a, **k), "reduce_sum": lambda x, *a, **k: x.sum(*a, **k),
               "argmax": lambda x, *a, **k: x.argmax(*a, **k), "astype": lambda x, *a, **k: x.type(*a, **k),
               "transpose": lambda x, *a, **k: x.t(*a, **k), "reduce_mean": lambda x, *a, **k: x.mean(*a, **k),
               "expand_dims": lambda x, *a, **k: x.unsqueeze(*a, **k), "swapaxes": lambda x, *a, **k: x.swapaxes(*a, **k),
               "repeat": lambda x, *a, **k: x.repeat(*a, **k)}
    return {**direct, "concat": torch.cat, **methods, "nn_Module": nn.Module, "plt": _LazyPyplot(),
            "np": __import__("numpy"), "torch": torch, "nn": nn, "F": nn.functional, "data": _data}


_PUBLIC = ("use_svg_display", "set_figsize", "set_axes", "plot", "show_images", "Animator", "ProgressBoard",
           "Accumulator", "Timer", "cpu", "gpu", "num_gpus", "try_gpu", "try_all_gpus", "get_dataloader_workers",
           "synthetic_data", "load_array", "get_fashion_mnist_labels", "load_data_fashion_mnist", "linreg",
           "squared_loss", "sgd", "data_iter", "softmax", "cross_entropy", "relu", "l2_penalty", "accuracy",
           "evaluate_accuracy", "evaluate_loss", "train_epoch_ch3", "train_ch3", "predict_ch3", "linreg_concise",
           "add_to_class", "HyperParameters", "Module", "DataModule", "Trainer", "SyntheticRegressionData", "SGD",
           "LinearRegressionScratch", "LinearRegression", "FashionMNIST", "Classifier", "SoftmaxRegression")


def _members(charged: frozenset, record) -> dict:
    out = _aliases()
    here = globals()
    for name in _PUBLIC:
        value = here[name]
        out[name] = _charging(value, f"d2l.{name}", record) if name in charged else value
    return out


def _charging(value, name: str, record):
    """``value`` that records a use inside a graded call (a class: when it is made)."""
    if isinstance(value, type):
        def __init__(self, *args, **kwargs):
            record(name)
            value.__init__(self, *args, **kwargs)
        return type(value.__name__, (value,), {"__init__": __init__, "__module__": "d2l"})

    @functools.wraps(value)
    def charged(*args, **kwargs):
        record(name)
        return value(*args, **kwargs)
    return charged
