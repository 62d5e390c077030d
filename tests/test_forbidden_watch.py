"""Is every configured ready-made API caught, by both watches?

For each name that grading.toml forbids (every group and every assignment's own list): the
grader's static reading finds it in a function's source, and the run-time watch, inside a student
process's modes, records a call of it; and where the API ends in a known aten operator, a call of
that operator through torch.ops is recorded too. The run-time part runs in a fresh interpreter,
since the watch patches torch's classes.
"""
import json
import subprocess
import sys

import pytest

from autograder.config import load_config
from autograder.static_scan import scan
from corpus_support import KIT

CONFIG = load_config(KIT / "grading.toml")
NAMES = sorted({name for assignment in CONFIG.assignments for name in CONFIG.forbidden(assignment)})

# Calls each name on small arguments of a few usual shapes, inside the watch; prints what was
# caught, and the names it could not call at all (so that a silent skip cannot pass).
_PROBE = r'''
import json, sys, inspect, torch
from autograder.sandbox.student_side.scratch_guard import ScratchGuard, _ATEN_OPS, _leaf, _resolve
names = json.loads(sys.argv[1])
guard = ScratchGuard(names)
x = torch.randn(3, 4, requires_grad=True)
probs = torch.rand(3, 4).clamp(0.05, 0.95)
labels = torch.tensor([0, 2, 1])
q = torch.randn(1, 2, 3, 4)
param = torch.nn.Parameter(torch.randn(3))
square = x.detach().t() @ x.detach() + torch.eye(4)
trials = [(x,), (x, 1), (x, x.detach()), (x, labels), (probs, probs), (x, 4, 2), (q, q, q), ([param],),
          ([param], 0.1), (x.detach().clone(),), (x, 1, False), (x, torch.zeros(3, 4, dtype=torch.bool), 1),
          (square,), (square, x.detach().t()), (x, labels, None, 1, -100), (x, labels, None, 1, -100, 0.0)]
fused_step = dict(weight_decay=0.0, momentum=0.0, lr=0.1, dampening=0.0, nesterov=False, maximize=False,
                  is_first_step=True)  # torch._fused_sgd_ takes these by keyword only
def attempt(obj):
    if isinstance(obj, type):
        for args in ((), (4, 2), (1,)) + tuple(trials):
            try:
                made = obj(*args)
            except Exception:
                continue
            for call_args in trials:
                try:
                    made(*call_args)
                    return True
                except Exception:
                    pass
            return True  # the constructor ran: patched classes record there
        return False
    for args in trials:
        try:
            obj(*args)
            return True
        except Exception:
            continue
    try:
        obj([x.detach().clone()], [torch.ones(3, 4)], [], **fused_step)
        return True
    except Exception:
        pass
    return False
caught, uncallable, aten = {}, [], {}
for name in names:
    if name.startswith("d2l"):
        continue
    obj = _resolve(name)
    if obj is None or (not callable(obj) and not inspect.ismodule(obj)):
        continue
    if inspect.ismodule(obj):
        obj = getattr(obj, "SGD", None) or next((v for v in vars(obj).values() if isinstance(v, type)), None)
    guard.hits = []
    guard.active = guard.in_call = True
    with guard.modes()[0], guard.modes()[1]:
        called = attempt(obj)
    guard.active = guard.in_call = False
    if not called:
        uncallable.append(name)
    caught[name] = list(guard.hits)
    for op in sorted(_ATEN_OPS.get(_leaf(name), ())):
        packet = getattr(torch.ops.aten, op, None)
        if packet is None:
            continue
        guard.hits = []
        guard.active = guard.in_call = True
        function_mode, dispatch_mode = guard.modes()
        with function_mode, dispatch_mode:
            called = attempt(packet)
        guard.active = guard.in_call = False
        aten[f"{name} as aten.{op}"] = list(guard.hits) if called else None
print(json.dumps({"caught": caught, "uncallable": uncallable, "aten": aten}))
'''


@pytest.fixture(scope="module")
def probe():
    done = subprocess.run([sys.executable, "-c", _PROBE, json.dumps(NAMES)], capture_output=True, text=True,
                          cwd=KIT, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("name", NAMES)
def test_the_static_reading_finds_every_configured_name(name):
    if name.startswith("torch.Tensor."):
        source = f"import torch\ndef f(x):\n    return x.{name.rsplit('.', 1)[1]}(1)\n"
    elif name.startswith("d2l."):
        source = f"from d2l import torch as d2l\ndef f(x):\n    return d2l.{name.split('.', 1)[1]}(x)\n"
    else:
        module, _, attr = name.rpartition(".")
        source = f"import {module} as m\ndef f(x):\n    return m.{attr}(x)\n" if module else \
            f"import {name}\ndef f(x):\n    return {name}(x)\n"
    assert [f.what for f in scan(source, NAMES) if f.function == "f" and f.forbidden_api] == [name], source


def test_the_run_time_watch_records_every_configured_name_it_can_call(probe):
    missed = [name for name, hits in probe["caught"].items() if name not in probe["uncallable"] and not hits]
    assert not missed, missed
    # Names the probe could not call on any of its argument shapes: few, and each still caught statically.
    assert len(probe["uncallable"]) <= 3, probe["uncallable"]


def test_the_aten_form_of_each_api_is_recorded_too(probe):
    called = {name: hits for name, hits in probe["aten"].items() if hits is not None}
    assert len(called) >= 40, f"only {len(called)} aten operators could be called: {sorted(called)}"
    missed = [name for name, hits in called.items() if not hits]
    assert not missed, missed


# Routes around the in-process watch, each read from the source (the red team's list): the tool the
# reading must name for the function, in words the student sees.
ROUTES_AROUND_THE_WATCH = {
    "import threading\ndef f(x):\n    threading.Thread(target=print).start()\n": "threads (threading)",
    "from concurrent.futures import ThreadPoolExecutor\ndef f(x):\n    ThreadPoolExecutor(1)\n":
        "thread and process pools",
    "import _thread\ndef f(x):\n    _thread.start_new_thread(print, ())\n": "threads (_thread)",
    "import multiprocessing as mp\ndef f(x):\n    mp.Process(target=print).start()\n": "other processes (multiprocessing)",
    "import subprocess\ndef f(x):\n    subprocess.run(['true'])\n": "other processes (subprocess)",
    "import os\ndef f(x):\n    os.fork()\n": "another process (os.fork)",
    "from os import posix_spawn\ndef f(x):\n    posix_spawn('/bin/true', [], {})\n": "another process (os.posix_spawn)",
    "def f(x):\n    x.__class__ = int\n": "a new class for an object (__class__)",
    "def f(x):\n    object.__setattr__(x, '__class__', int)\n": "a new class for an object (__class__)",
    "import torch\ndef f(x):\n    return vars(torch)['_C']\n": "a module's names reached at run time",
    "import torch\ndef f(x):\n    return torch.__dict__['_C']\n": "a module's names reached at run time",
    "import torch\ndef f(x, name):\n    return getattr(torch.nn, name)\n": "a module's names reached at run time",
    "import torch\ndef f(x):\n    return getattr(torch, '_C')\n": "torch._C",
    "import torch\ndef f(x):\n    return x.__torch_function__\n": "__torch_function__",
}


@pytest.mark.parametrize("source", ROUTES_AROUND_THE_WATCH)
def test_the_static_reading_names_each_route_around_the_watch(source):
    found = [f.what for f in scan(source, NAMES) if f.function == "f" and not f.forbidden_api]
    assert any(ROUTES_AROUND_THE_WATCH[source] in what for what in found), (source, found)


def test_a_tensor_subclass_with_its_own_torch_function_counts_against_every_function():
    source = ("import torch\nclass Lazy(torch.Tensor):\n    @classmethod\n"
              "    def __torch_function__(cls, func, types, args=(), kwargs=None):\n        return func(*args)\n"
              "def f(x):\n    return x.as_subclass(Lazy)\n")
    assert any("__torch_function__" in f.what for f in scan(source, NAMES) if f.function == "<module>")


def test_ordinary_run_time_names_are_not_tampering():
    """What honest code does: getattr with a constant name, a class read (not set), getattr on
    its own objects, an unused import of os."""
    source = ("import os\nimport torch\nfrom torch import nn\n"
              "def f(x, w, name):\n    dtype = getattr(torch, 'float64')\n    kind = x.__class__\n"
              "    n = type(x).__name__\n    zeros = getattr(torch, 'zeros')\n    size = getattr(x, name)\n"
              "    return torch.matmul(x, w).to(dtype)\n")
    assert scan(source, NAMES) == []


def test_the_harmless_corners_of_threading_and_multiprocessing_are_not_tampering():
    source = ("import multiprocessing\nimport threading\nfrom multiprocessing import cpu_count\n"
              "def f(x):\n    import multiprocessing as mp\n"
              "    workers = min(multiprocessing.cpu_count(), mp.cpu_count(), cpu_count())\n"
              "    lock = threading.Lock()\n    return threading.current_thread().name, workers\n")
    assert scan(source, NAMES) == []


def test_a_method_of_the_files_own_class_is_not_taken_for_the_tensor_method():
    """d2l 1.0 ported back: `_Ops.softmax(X)` and `self.softmax(X)` are the student's own; `X.softmax(1)`
    and `(X * 2).softmax(1)` are torch's."""
    own = ("class _Ops:\n    @staticmethod\n    def softmax(X):\n        return X.exp() / X.exp().sum(1, keepdim=True)\n"
           "class Model:\n    def softmax(self, X):\n        return _Ops.softmax(X)\n"
           "    def forward(self, X):\n        return self.softmax(X)\n"
           "def f(X):\n    return _Ops.softmax(X)\n")
    assert scan(own, NAMES) == []
    for call in ("X.softmax(1)", "(X * 2).softmax(1)"):
        found = scan(f"def f(X):\n    return {call}\n", NAMES)
        assert [x.what for x in found] == ["torch.Tensor.softmax"], (call, found)
