"""The grader's reading of the source: tools that reach into the grader, read with scopes, counted
where a graded function can reach them, never failing on a file it cannot follow."""
import pytest

from autograder.static_scan import read

FUNCTIONS = ["synthetic_data", "data_iter", "linreg", "squared_loss", "sgd"]


def _found(source: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for finding in read(source, FUNCTIONS).findings:
        out.setdefault(finding.function, []).append(finding.what)
    return out


HONEST = {
    "d2l's own first line": "import sys\nd2l = sys.modules[__name__]\ndef linreg(X, w, b):\n    return X @ w + b\n",
    "a Colab check": "import sys\nIN_COLAB = 'google.colab' in sys.modules\nif IN_COLAB:\n    print('colab')\n",
    "gc.collect at the top": "import gc\ngc.collect()\ngc.disable()\ngc.enable()\n",
    "torch's sharing strategy": "import torch.multiprocessing\ntorch.multiprocessing.set_sharing_strategy('file_system')\n",
    "a dtype by name": "import torch\nDTYPE = 'float64'\ndtype = getattr(torch, DTYPE)\n",
    "a local named gc": "def sgd(params, lr, batch_size):\n    gc = 0\n    for p in params:\n        gc += 1\n",
    "a parameter named like a module": "import sys\ndef linreg(X, w, sys):\n    return sys._getframe\n",
    "isinstance on torch.optim": "import torch, types\ndef sgd(updater, lr, batch_size):\n"
                                 "    if isinstance(updater, torch.optim.Optimizer):\n        return None\n"
                                 "    assert not isinstance(updater, types.FunctionType)\n",
    "freeze_support under __main__": "import multiprocessing as mp\nimport sys\nif __name__ == '__main__':\n"
                                     "    mp.freeze_support()\n    sys._getframe()\n",
    "a helper nobody calls": "import inspect\ndef _debug():\n    return inspect.stack()\ndef linreg(X, w, b):\n"
                             "    return X @ w + b\n",
    "eval at the top level": "exec('x = 1')\nCONFIG = eval('{\"lr\": 0.03}')\n",
    "inspect.signature": "import inspect\ndef linreg(X, w, b):\n    inspect.signature(linreg)\n    return X @ w + b\n",
    "a closure kept by the top level and used by nobody": "import torch\nheld = torch.nn.Linear.__init__.__closure__\n",
    "a frame tool bound at the top and used by nobody": "import sys\npeek = sys._getframe\n",
    "a frame taken at the top and used by nobody": "import inspect\nhere = inspect.currentframe()\n",
    "a 3000-term sum": "def linreg(X, w, b):\n    return " + " + ".join(["X @ w"] * 3000) + " + b\n",
}


@pytest.mark.parametrize("name", HONEST)
def test_honest_code_is_not_flagged(name):
    assert _found(HONEST[name]) == {}


FLAGGED = {
    "a frame in sgd": ("import sys\ndef sgd(params, lr, batch_size):\n    caller = sys._getframe(1)\n",
                       {"sgd": "sys._getframe"}),
    "a frame in a helper sgd calls": ("import inspect\ndef _peek():\n    return inspect.stack()\n"
                                      "def sgd(params, lr, batch_size):\n    _peek()\n", {"sgd": "inspect.stack"}),
    "getattr with a constant name": ("import sys\ndef linreg(X, w, b):\n    return getattr(sys, '_getframe')(0)\n",
                                     {"linreg": "sys._getframe"}),
    "f_back": ("def linreg(X, w, b):\n    import inspect\n    return inspect.currentframe().f_back\n",
               {"linreg": "f_back"}),
    "an alias at the top, used by linreg": ("import sys as s\npeek = s._getframe\ndef linreg(X, w, b):\n"
                                            "    return peek(1)\n", {"linreg": "sys._getframe"}),
    "a class's method": ("import gc\nclass Finder:\n    def find(self):\n        return gc.get_objects()\n"
                         "def linreg(X, w, b):\n    return Finder().find()\n", {"linreg": "gc.get_objects"}),
    "a partial of a helper": ("import functools, gc\ndef _h(x):\n    return gc.get_referrers(x)\n"
                              "loss = functools.partial(_h)\ndef squared_loss(a, b):\n    return loss(a)\n",
                              {"squared_loss": "gc.get_referrers"}),
    "a closure read": ("import torch\ndef linreg(X, w, b):\n    return torch.nn.Linear.__init__.__closure__\n",
                       {"linreg": "__closure__"}),
    "sys.modules written": ("import sys\ndef linreg(X, w, b):\n    sys.modules['torch'] = None\n",
                            {"linreg": "sys.modules"}),
    "builtins written": ("import builtins\ndef linreg(X, w, b):\n    builtins.print = None\n", {"linreg": "builtins"}),
    "eval in a function": ("def linreg(X, w, b):\n    return eval('X @ w + b')\n", {"linreg": "eval"}),
    "importlib in a function": ("import importlib\ndef linreg(X, w, b):\n"
                                "    return importlib.import_module('torch').matmul(X, w)\n",
                                {"linreg": "importlib.import_module"}),
    "ctypes at the top": ("import ctypes\nctypes.c_int(0)\n", {"<module>": "ctypes"}),
    "ctypes called in a top-level assignment": ("import ctypes\nsegment = ctypes.CDLL(None).shmget(0, 4096, 0)\n",
                                                {"<module>": "ctypes.CDLL"}),
    "a frame taken by a top-level assignment, used by linreg": ("import inspect\nhere = inspect.currentframe()\n"
                                                                "def linreg(X, w, b):\n    return here.f_locals\n",
                                                                {"linreg": "inspect.currentframe"}),
    "a trace set in a top-level assignment": ("import sys\nold = sys.settrace(print)\n", {"<module>": "sys.settrace"}),
    "a trace set by the top level": ("import sys\nsys.settrace(lambda *a: None)\n", {"<module>": "sys.settrace"}),
    "a closure read by the top level": ("import torch\nfor cell in torch.nn.Linear.__init__.__closure__ or ():\n"
                                        "    print(cell)\n", {"<module>": "__closure__"}),
    "the kit's package": ("def linreg(X, w, b):\n    import autograder\n    return X\n", {"linreg": "autograder"}),
    "a global declared in a function": ("import sys\ndef _set():\n    global peek\n    peek = sys._getframe\n"
                                        "def linreg(X, w, b):\n    _set()\n    return peek\n",
                                        {"linreg": "sys._getframe"}),
    "from inspect import star": ("from inspect import *\ndef linreg(X, w, b):\n    return currentframe()\n",
                                 {"linreg": "inspect.currentframe"}),
}


@pytest.mark.parametrize("name", FLAGGED)
def test_each_tool_is_found_where_a_graded_function_reaches_it(name):
    source, expected = FLAGGED[name]
    found = _found(source)
    assert set(found) == set(expected), found
    for function, tool in expected.items():
        assert any(tool in what for what in found[function]), (function, found[function])


def test_a_finding_names_its_line():
    (finding,) = read("import sys\n\n\ndef sgd(p, lr, bs):\n    return sys._getframe(1)\n", FUNCTIONS).findings
    assert finding.line == 5 and finding.function == "sgd"


def test_notebook_cells_are_read_as_one_module_with_their_own_lines():
    cells = [(1, "import sys\n"), (3, "def linreg(X, w, b):\n    return sys._getframe()\n"), (6, "def sgd(:\n")]
    reading = read("", FUNCTIONS, cells)
    assert [(f.function, f.line) for f in reading.findings] == [("linreg", 4)]


def test_a_file_that_cannot_be_parsed_is_left_to_the_run_time():
    reading = read("def linreg(X, w, b:\n    pass\n", FUNCTIONS)
    assert reading.findings == () and "does not parse" in reading.unreadable
    deep = "x = " + "(" * 5000 + "1" + ")" * 5000 + "\n"
    assert read(deep, FUNCTIONS).findings == ()
