"""From scratch is judged by what runs: the allowlist (autograder/operators.py) and the watch.

Each snippet below runs inside the watch the way a graded call does (tests/watch_probe.py, in a
fresh interpreter). Honest code written every way learners write it records nothing; every
ready-made equivalent records something, whatever name, alias or route reached it; the tools that
reach around the watch record tampering. The allowlist's aten operators are checked against what
the installed torch runs for its Python names, so that it cannot drift from torch.
"""
import json
import subprocess
import sys

import pytest

from autograder.operators import SETS, allowlist
from corpus_support import KIT

_HEAD = "import copy, functools, math, random\nimport numpy as np\nimport torch\nimport torch.nn.functional as F\n" \
        "from torch import nn\n"


def _case(body: str) -> str:
    lines = body.strip("\n").splitlines()
    return _HEAD + "def f(x, y, labels, params):\n" + "\n".join("    " + line for line in lines) + "\n"


HONEST = {
    "arithmetic and powers": "return (x - y) ** 2 / 2",
    "reflected operators": "return 1 - x + 2 / (x.abs() + 1) - 3 * x",
    "the stable softmax": "z = x - x.max(dim=1, keepdim=True).values\ne = torch.exp(z)\nreturn e / e.sum(1, keepdim=True)",
    "log-sum-exp by hand": "m = x.amax(1, keepdim=True)\nreturn x - m - torch.log(torch.exp(x - m).sum(1, keepdim=True))",
    "cross-entropy by fancy indexing": "p = x.exp() / x.exp().sum(1, keepdim=True)\nreturn -torch.log(p[range(len(p)), labels])",
    "cross-entropy by gather": "p = x.exp() / x.exp().sum(1, keepdim=True)\nreturn -p.gather(1, labels.view(-1, 1)).log()",
    "cross-entropy by one_hot": "p = x.exp() / x.exp().sum(1, keepdim=True)\n"
                                "return -(F.one_hot(labels, 3) * torch.log(p)).sum(1)",
    "labels as a list of indices": "p = x.exp()\nreturn p[list(range(4)), labels.tolist()]",
    "relu by max": "return torch.max(x, torch.zeros_like(x))",
    "relu by clamp": "return x.clamp(min=0)",
    "relu by where": "return torch.where(x > 0, x, torch.zeros_like(x))",
    "relu by a mask": "return x * (x > 0)",
    "sigmoid by exp": "return 1 / (1 + torch.exp(-x))",
    "sigmoid by tanh": "return (torch.tanh(x / 2) + 1) / 2",
    "matrix products": "return x @ y.T + torch.mm(x, y.t()) + torch.einsum('ij,kj->ik', x, y)",
    "addmm": "return torch.addmm(params[1], x, params[0])",
    "the book's linreg": "return torch.matmul(x, params[0]) + params[1]",
    "sgd under no_grad": "with torch.no_grad():\n    for p in params:\n        p -= 0.1 * p.grad / 4\n        p.grad.zero_()",
    "sgd through .data": "for p in params:\n    p.data.sub_(0.1 * p.grad / 4)\n    p.grad = None",
    "sgd decorated with no_grad": "@torch.no_grad()\ndef step(p):\n    p.sub_(0.1 * p.grad)\nfor p in params:\n    step(p)",
    "sgd by foreach": "with torch.no_grad():\n    torch._foreach_add_(params, [p.grad for p in params], alpha=-0.1)",
    "a list of shuffled batches": "perm = torch.randperm(4)\nreturn [(x[perm[i:i + 2]], y[perm[i:i + 2]]) for i in range(0, 4, 2)]",
    "a generator of batches": "idx = list(range(4))\nrandom.shuffle(idx)\nfor i in range(0, 4, 2):\n"
                              "    b = torch.tensor(idx[i:i + 2])\n    yield x[b], y[b]",
    "torch.split of a permutation": "return [x[i] for i in torch.split(torch.randperm(4), 2)]",
    "numpy's permutation": "idx = np.random.permutation(4)\nreturn x[torch.from_numpy(idx)]",
    "synthetic data": "X = torch.normal(0, 1, (10, 3))\nreturn X @ params[0] + params[1] + torch.normal(0, 0.01, (10, 1))",
    "printing while debugging": "print(x)\nprint(f'{float(x.sum()):.3f}', x.shape)\nreturn x * 2",
    "len and iteration": "return torch.stack([row * 2 for row in x]) if len(x) else x",
    "l2 by norm": "return x.norm() ** 2 / 2 + torch.sum(x.pow(2)) / 2",
    "huber by where": "d = x - y\nreturn torch.where(d.abs() <= 1, 0.5 * d ** 2, d.abs() - 0.5)",
    "accuracy as a number": "return float((x.argmax(1) == labels).type(labels.dtype).sum())",
    "scalars out": "return float(x.sum()) + x[0, 0].item() + math.exp(1.0)",
    "shapes": "return x.reshape(-1).view(4, 3).unsqueeze(0).squeeze(0).T.contiguous().flatten()",
    "cat and stack": "return torch.cat([x, y], 1) + 0 * torch.stack([x, y]).sum(0).repeat(1, 2)",
    "a custom autograd Function": "class Half(torch.autograd.Function):\n    @staticmethod\n"
                                  "    def forward(ctx, a):\n        ctx.save_for_backward(a)\n        return a * a / 2\n"
                                  "    @staticmethod\n    def backward(ctx, g):\n        (a,) = ctx.saved_tensors\n"
                                  "        return g * a\nreturn Half.apply(x)",
    "backward inside": "w = x.detach().clone().requires_grad_()\n(w ** 2).sum().backward()\nreturn w.grad",
    "autograd.grad inside": "w = x.detach().clone().requires_grad_()\nreturn torch.autograd.grad((w ** 2).sum(), w)[0]",
    "deepcopy and partial": "total = functools.partial(torch.sum, dim=1)\nreturn total(copy.deepcopy(x.detach()))",
    "map over rows": "return torch.stack(list(map(lambda r: r.exp(), x)))",
    "max values and logaddexp": "return x.max(dim=1)[0] + torch.logaddexp(x, y).sum(1)",
    "cumsum, sort, topk": "return x.cumsum(0).sum() + x.sort(1)[0].sum() + x.topk(2).values.sum()",
    "dtype conversions": "return x.double().float().to(torch.float32) + x.new_zeros(3)",
    "isinstance": "assert isinstance(x, torch.Tensor) and not isinstance(x, torch.optim.Optimizer)\nreturn x",
}
HONEST_WITH_SETS = {
    "a solver": ("A = x.T @ x + torch.eye(3)\nreturn torch.linalg.solve(A, x.T @ y[:, :1])", ["elementary", "linear_solvers"]),
    "cholesky": ("A = x.T @ x + torch.eye(3)\nL = torch.linalg.cholesky(A)\n"
                 "return torch.cholesky_solve(x.T @ y[:, :1], L)", ["elementary", "linear_solvers"]),
    "numpy's dot": ("return torch.tensor(np.dot(x.detach().numpy(), y.detach().numpy().T))",
                    ["elementary", "numpy_interop"]),
}
READY_MADE = {
    "F.softmax": "return F.softmax(x, dim=1)",
    "torch.softmax": "return torch.softmax(x, 1)",
    "Tensor.softmax": "return x.softmax(1)",
    "nn.Softmax": "return nn.Softmax(dim=1)(x)",
    "log_softmax": "return F.log_softmax(x, 1)",
    "special.log_softmax": "return torch.special.log_softmax(x, 1)",
    "cross_entropy": "return F.cross_entropy(x, labels, reduction='none')",
    "nll_loss": "return F.nll_loss(x, labels, reduction='none')",
    "mse_loss": "return F.mse_loss(x, y, reduction='none') / 2",
    "nn.MSELoss": "return nn.MSELoss(reduction='none')(x, y) / 2",
    "l1_loss, made of elementary parts": "return F.l1_loss(x, y, reduction='none')",
    "huber_loss": "return F.huber_loss(x, y, reduction='none')",
    "smooth_l1_loss": "return F.smooth_l1_loss(x, y, reduction='none')",
    "logsumexp": "return x - torch.logsumexp(x, 1, keepdim=True)",
    "Tensor.logsumexp": "return x - x.logsumexp(1, keepdim=True)",
    "logcumsumexp as log_softmax": "return x - x.logcumsumexp(1)[:, -1:]",
    "F.relu": "return F.relu(x)",
    "torch.relu": "return torch.relu(x)",
    "F.threshold as relu": "return F.threshold(x, 0.0, 0.0)",
    "hardtanh": "return F.hardtanh(x, 0, 1)",
    "relu6": "return F.relu6(x)",
    "torch.sigmoid": "return torch.sigmoid(x)",
    "special.expit": "return torch.special.expit(x)",
    "logsigmoid then exp as sigmoid": "return F.logsigmoid(x).exp()",
    "softplus": "return F.softplus(x)",
    "F.linear": "return F.linear(x, params[0].T, params[1])",
    "nn.Linear": "layer = nn.Linear(3, 1)\nreturn layer(x)",
    "gumbel_softmax": "return F.gumbel_softmax(x, tau=1.0)",
    "aten _softmax through torch.ops": "return torch.ops.aten._softmax(x, 1, False)",
    "mse through torch._C": "return torch._C._nn.mse_loss(x, y)",
    "a name built at run time": "return getattr(F, 'mse' + '_loss')(x, y, reduction='none')",
    "an alias of torch": "t = torch\nreturn t.nn.functional.softmax(x, 1)",
    "optim.SGD": "opt = torch.optim.SGD(params, lr=0.1)\nopt.step()",
    "optim's functional sgd through an alias": "import torch as T\nwith T.no_grad():\n"
                                               "    T.optim._functional.sgd(params, [p.grad for p in params], [None, None],"
                                               " weight_decay=0.0, momentum=0.0, lr=0.1, dampening=0.0, nesterov=False,"
                                               " maximize=False, foreach=False)",
    "a DataLoader as data_iter": "ds = torch.utils.data.TensorDataset(x.detach(), y)\n"
                                 "return list(torch.utils.data.DataLoader(ds, 2, shuffle=True))",
    "distributions as softmax": "return torch.distributions.Categorical(logits=x).probs",
    "scipy's softmax through numpy": "import scipy.special\nreturn torch.tensor(scipy.special.softmax(x.detach().numpy(), 1))",
    "scipy's softmax on the tensor": "import scipy.special\nreturn torch.tensor(scipy.special.softmax(x.detach(), 1))",
    "values out as a list": "rows = x.tolist()\nreturn torch.tensor([[math.exp(v) for v in r] for r in rows])",
    "numpy's lstsq": "w, *_ = np.linalg.lstsq(x.detach().numpy(), y.numpy(), rcond=None)\nreturn torch.from_numpy(w)",
    "d2l's own solution": "from d2l import torch as d2l\nreturn d2l.linreg(x, params[0], params[1])",
    "sklearn's accuracy on numpy copies of integers": "import sklearn.metrics\n"
                                                      "return float(sklearn.metrics.accuracy_score(labels.numpy(), "
                                                      "x.argmax(1).numpy(), normalize=False))",
}
READY_MADE_WITH_SETS = {
    "lstsq where solvers are allowed": ("return torch.linalg.lstsq(x, y).solution", ["elementary", "linear_solvers"]),
    "pinv where solvers are allowed": ("return torch.linalg.pinv(x) @ y", ["elementary", "linear_solvers"]),
}
TAMPERING = {
    "a tensor subclass with its own torch function":
        "class Lazy(torch.Tensor):\n    @classmethod\n"
        "    def __torch_function__(cls, func, types, args=(), kwargs=None):\n"
        "        return super().__torch_function__(func, types, args, kwargs)\n"
        "return (x.detach().as_subclass(Lazy) * 2).as_subclass(torch.Tensor)",
    "a thread": "import threading\nout = []\nt = threading.Thread(target=lambda: out.append(F.softmax(x, 1)))\n"
                "t.start()\nt.join()\nreturn out[0]",
    "a thread left running": "import threading, time\nthreading.Thread(target=time.sleep, args=(3,), daemon=True).start()\n"
                             "return x",
    "popping the modes": "from torch.utils._python_dispatch import _disable_current_modes\n"
                         "with _disable_current_modes():\n    return F.softmax(x, 1)",
    "reading the mode stack": "mode = getattr(torch._C, '_get_function_stack_at')(0)\nreturn x",
    "pushing a mode of its own": "class Quiet(torch.overrides.TorchFunctionMode):\n"
                                 "    def __torch_function__(self, func, types, args=(), kwargs=None):\n"
                                 "        return func(*args, **(kwargs or {}))\n"
                                 "with Quiet():\n    return F.softmax(x, 1)",
    "patching torch": "torch.exp = lambda t: t\nreturn x",
}


def _probe(cases: dict, sets_by_name: dict | None = None) -> dict:
    payload = [{"name": name, "source": _case(body), "sets": (sets_by_name or {}).get(name, ["elementary"])}
               for name, body in cases.items()]
    done = subprocess.run([sys.executable, str(KIT / "tests" / "watch_probe.py")], input=json.dumps(payload),
                          capture_output=True, text=True, cwd=KIT, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def seen():
    cases = {**HONEST, **{k: v for k, (v, _) in HONEST_WITH_SETS.items()}, **READY_MADE,
             **{k: v for k, (v, _) in READY_MADE_WITH_SETS.items()}, **TAMPERING}
    sets = {k: s for k, (_, s) in {**HONEST_WITH_SETS, **READY_MADE_WITH_SETS}.items()}
    return _probe(cases, sets)


@pytest.mark.parametrize("name", [*HONEST, *HONEST_WITH_SETS])
def test_honest_code_records_nothing(seen, name):
    assert seen[name] == {"hits": [], "tampering": [], "error": None}, seen[name]


@pytest.mark.parametrize("name", [*READY_MADE, *READY_MADE_WITH_SETS])
def test_every_ready_made_equivalent_is_recorded(seen, name):
    assert seen[name]["hits"] or seen[name]["tampering"], seen[name]


@pytest.mark.parametrize("name", TAMPERING)
def test_routes_around_the_watch_are_tampering(seen, name):
    assert seen[name]["tampering"], seen[name]


def test_a_tensor_subclass_returned_is_refused():
    seen = _probe({"subclass": "class Plain(torch.Tensor):\n    pass\nreturn x.detach().as_subclass(Plain)"})
    assert "its own class" in (seen["subclass"]["error"] or ""), seen


# Fused kernels of the ready-made functions: none may be elementary at the aten level.
READY_MADE_KERNELS = {"_softmax", "_log_softmax", "softmax", "log_softmax", "_safe_softmax", "_masked_softmax",
                      "logsumexp", "logcumsumexp", "mse_loss", "l1_loss", "huber_loss", "smooth_l1_loss",
                      "nll_loss_forward", "nll_loss2d_forward", "cross_entropy_loss", "binary_cross_entropy",
                      "relu", "relu_", "threshold", "hardtanh", "hardsigmoid", "sigmoid", "sigmoid_",
                      "log_sigmoid_forward", "softplus", "gelu", "silu", "elu", "leaky_relu", "linear", "bilinear",
                      "linalg_lstsq", "linalg_pinv", "_fused_sgd_", "_fused_adam_"}


def test_no_ready_made_kernel_is_elementary():
    for name, operator_set in SETS.items():
        assert not operator_set.aten & READY_MADE_KERNELS, (name, operator_set.aten & READY_MADE_KERNELS)


def test_the_allowlist_names_no_ready_made_function():
    python = SETS["elementary"].python
    for name in ("torch.softmax", "Tensor.softmax", "torch.nn.functional.softmax", "torch.sigmoid", "torch.relu",
                 "Tensor.relu", "torch.logsumexp", "Tensor.logsumexp", "torch.nn.functional.mse_loss",
                 "torch.nn.functional.linear", "Tensor.logcumsumexp", "torch.special.expit"):
        assert name not in python, name


def test_extra_names_and_unknown_sets():
    made = allowlist(["elementary"], ["sigmoid", "aten.sigmoid"])
    assert made.allows_python("torch.sigmoid") and made.allows_python("Tensor.sigmoid_") and made.allows_aten("sigmoid")
    assert allowlist(["any"]) is None
    with pytest.raises(KeyError, match="unknown operator set"):
        allowlist(["elemental"])


# The aten lists are what torch runs for the Python names: checked against the installed torch.
_CENSUS = r'''
import json, sys, warnings
warnings.filterwarnings("ignore")
import torch
from torch.utils._python_dispatch import TorchDispatchMode
from autograder.operators import SETS

class Record(TorchDispatchMode):
    def __init__(self):
        super().__init__()
        self.ops = set()
    @classmethod
    def _should_skip_dynamo(cls):
        return False
    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        self.ops.add(func.overloadpacket.__name__)
        return func(*args, **(kwargs or {}))

def samples():
    g = torch.Generator().manual_seed(0)
    x = torch.randn(3, 4, generator=g, dtype=torch.float64).requires_grad_()
    v = torch.randn(4, generator=g, dtype=torch.float64).requires_grad_()
    s = torch.randn(3, 4, generator=g, dtype=torch.float64)
    sq = (torch.eye(4, dtype=torch.float64) * 2).requires_grad_()
    lab = torch.tensor([0, 2, 1])
    return [(x,), (x, s), (x, 1), (x, 2.0), (x, 0, 1), (x, 1, True), (x, v), (sq,), (sq, s.T.contiguous()), (v, v),
            (x, lab), (x, 1, lab.view(3, 1)), (lab,), (lab, 3), (x, -1), (x, (4, 3)), ([x, x],), ([x, x], 0), (x, 0),
            ((3, 4),), ((3, 4), 1.0), (0, 3, (3,)), ([1.0, 2.0],), (5,), (0, 1, 5), (0.0, 1.0, (3, 4)),
            (x, x.detach() > 0), (x, 0.0, 1.0), (x, torch.float32), ("ij,kj->ik", x, s)]

names = sorted(n for s in sys.argv[1:] for n in SETS[s].python)
outside, called = {}, 0
for name in names:
    head, _, attr = name.rpartition(".")
    owner = {"Tensor": torch.Tensor}.get(head) or sys.modules.get(head)
    fn = getattr(owner, attr, None) if owner is not None else None
    if fn is None or not callable(fn):
        continue
    for args in samples():
        if head == "Tensor" and not isinstance(args[0], torch.Tensor):
            continue
        record = Record()
        try:
            with record:
                result = fn(*args)
                outs = [result] if isinstance(result, torch.Tensor) else [
                    t for t in (result if isinstance(result, (tuple, list)) else []) if isinstance(t, torch.Tensor)]
                total = sum(o.sum() for o in outs if o.requires_grad and o.is_floating_point())
                if isinstance(total, torch.Tensor):
                    total.backward()
        except Exception:
            continue
        called += 1
        extra = record.ops - set().union(*(SETS[s].aten for s in sys.argv[1:]))
        if extra:
            outside[name] = sorted(extra)
print(json.dumps({"outside": outside, "called": called}))
'''


@pytest.mark.parametrize("sets", [["elementary"], ["elementary", "linear_solvers"]])
def test_the_aten_list_covers_what_torch_runs_for_the_python_names(sets):
    done = subprocess.run([sys.executable, "-c", _CENSUS, *sets], capture_output=True, text=True, cwd=KIT,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    census = json.loads(done.stdout.strip().splitlines()[-1])
    assert census["called"] > 200, census
    assert not census["outside"], census["outside"]


def test_redispatching_below_the_python_key_is_tampering():
    seen = _probe({"redispatch": "ks = torch._C.DispatchKeySet(torch._C.DispatchKey.CPU)\n"
                                 "return torch.ops.aten._softmax.default.redispatch(ks, x.detach(), 1, False)",
                   "redispatch_boxed": "op = torch.ops.aten._softmax.default\n"
                                       "ks = torch._C.DispatchKeySet(torch._C.DispatchKey.CPU)\n"
                                       "return op._handle.redispatch_boxed(ks, x.detach(), 1, False)"})
    for name, found in seen.items():
        assert any("redispatch" in t for t in found["tampering"]), (name, found)
