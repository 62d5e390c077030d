"""Checks for notebook students: run this folder's public checks against your notebook's functions.

In a cell below a function:   check("linreg")     the checks of that function
At the end of the notebook:   check()             every check, training included

The checks are the ones `pytest` runs on the .py file (test_<assignment>.py in this folder); here
they call the functions your notebook defined instead. You do not need to edit this file.
"""
import importlib.util
import inspect
import sys
import traceback
import types
from pathlib import Path


def check(*functions: str) -> None:
    """Run the public checks of ``functions`` (all of them when none is named) against the
    functions defined in the notebook, and print what passed and what did not."""
    namespace = inspect.currentframe().f_back.f_globals
    here = Path.cwd()
    tests = sorted(here.glob("test_*.py"))
    if not tests:
        print(f"No test_*.py next to this notebook (in {here}): run the notebook in the folder it came in.")
        return
    module = _load(tests[0], namespace)
    chosen = [(name, fn) for name, fn in vars(module).items() if name.startswith("test_") and callable(fn)
              and (not functions or any(name == f"test_{f}" or name.startswith(f"test_{f}_") for f in functions))]
    if not chosen:
        print(f"No public check is named after {', '.join(functions)}.")
        return
    failed = 0
    for name, test in chosen:
        try:
            test()
        except NotImplementedError as error:
            failed += 1
            print(f"✗ {name}: {error}: fill in the function's cell and run it again.")
        except AssertionError as error:
            failed += 1
            print(f"✗ {name}: {error or 'a check failed'}")
        except Exception as error:  # noqa: BLE001 - any error is feedback here
            failed += 1
            where = traceback.extract_tb(error.__traceback__)[-1]
            print(f"✗ {name}: {type(error).__name__}: {error} (in {where.name}, line {where.lineno})")
        else:
            print(f"✓ {name}")
    print(f"{len(chosen) - failed} of {len(chosen)} checks passed." if failed else
          f"All {len(chosen)} checks passed. The graded checks test more cases.")


def _not_yet_defined(name: str):
    if name.startswith("__"):
        raise AttributeError(name)

    def placeholder(*args, **kwargs):
        raise NotImplementedError(f"{name}: not defined in this notebook yet (run its cell first)")
    return placeholder


def _load(path: Path, namespace: dict):
    """The checks, importing the notebook's functions where they import the .py file's."""
    assignment = path.stem.removeprefix("test_")
    notebook = types.ModuleType(assignment)
    notebook.__dict__.update({k: v for k, v in namespace.items() if callable(v) and not k.startswith("_")})
    notebook.__getattr__ = _not_yet_defined  # a function whose cell comes later in the notebook
    saved = sys.modules.get(assignment)
    sys.modules[assignment] = notebook
    try:
        spec = importlib.util.spec_from_file_location(f"_public_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        if saved is None:
            del sys.modules[assignment]
        else:
            sys.modules[assignment] = saved
    return module
