# expect: fail squared_loss
# (the watch is not in sys.modules, so nothing is patched; the ready-made loss is outside squared_loss's rules)
"""At import, finds the grader's watch in sys.modules and makes it record nothing, then uses the
ready-made loss and optimiser."""
import sys
import torch

for name, module in list(sys.modules.items()):
    if "scratch_guard" in name or name.startswith("autograder"):
        for value in list(vars(module).values()):
            if isinstance(value, type) and hasattr(value, "record"):
                value.record = lambda self, what: None


def squared_loss(y_hat, y):
    return torch.nn.functional.mse_loss(y_hat, y.reshape(y_hat.shape), reduction="none") / 2
