# expect: fail relu
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# attack: a fused TorchScript kernel: at import the NNC tensor-expression fuser is switched on for CPU (IR interpreter, no LLVM needed) and a scripted torch.relu is warmed up until it compiles into a prim::TensorExprGroup; later calls run that fused kernel, which never goes through the dispatcher (only an empty_strided for the output is visible)
"""mlp: from-scratch solutions (d2l chapter 3)."""
import torch
import warnings

C = torch._C
C._jit_override_can_fuse_on_cpu(True)
C._jit_set_texpr_fuser_enabled(True)
C._jit_set_profiling_executor(True)
C._jit_set_te_must_use_llvm_cpu(False)
C._jit_set_fusion_strategy([("DYNAMIC", 40)])


def _fused_src(x):
    return torch.relu(x * 1.0) + 0.0


with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    _fused = torch.jit.script(_fused_src)


def _warm_up():
    for dtype in (torch.float32, torch.float64):
        for shape in ((3,), (2, 3), (2, 2, 3), (2, 2, 2, 3)):
            for _ in range(3):
                _fused(torch.randn(shape, dtype=dtype))


try:
    _warm_up()
except Exception:  # no fuser: the scripted function still runs
    pass


class _Rect(torch.autograd.Function):
    @staticmethod
    def forward(ctx, X):
        out = _fused(X.detach().contiguous())
        ctx.save_for_backward(X)
        return out

    @staticmethod
    def backward(ctx, g):
        (X,) = ctx.saved_tensors
        return g * (X > 0)


def relu(X):
    """The rectified linear unit, elementwise: max(x, 0)."""
    return _Rect.apply(X)


def sigmoid(X):
    """The logistic sigmoid, elementwise: 1 / (1 + exp(-x))."""
    return 1 / (1 + torch.exp(-X))


def hard_sigmoid(X):
    """A piecewise-linear sigmoid built from two ReLUs."""
    up, down = X + 1, X - 1
    return (up * (up > 0) - down * (down > 0)) / 2


def mlp(X, params):
    """A one-hidden-layer MLP with ReLU: relu(X W1 + b1) W2 + b2."""
    W1, b1, W2, b2 = params
    X = X.reshape((-1, W1.shape[0]))
    H = X @ W1 + b1
    H = H * (H > 0)
    return H @ W2 + b2
