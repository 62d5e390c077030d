# expect: full
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# what: pasted notebook section: `from d2l import torch as d2l`, google.colab check, dtype = getattr(torch, DTYPE), top-level demo that prints, matplotlib only under __main__
"""3.1.2 Analytic Solution -- my notebook cells, pasted as one file.

The normal equations X^T X w = X^T y give the least-squares weights directly, once the
bias is folded into X as a column of ones.
"""
import sys

import torch
from d2l import torch as d2l  # noqa: F401  (the notebook imported it in the first cell)

IN_COLAB = "google.colab" in sys.modules
if IN_COLAB:  # pragma: no cover - only on Colab
    print("running on Colab")

DTYPE = "float32"
dtype = getattr(torch, DTYPE)


def absorb_bias(X):
    """X with a column of ones appended (the bias becomes the last weight)."""
    ones = torch.ones((X.shape[0], 1), dtype=X.dtype, device=X.device)
    return torch.cat([X, ones], dim=1)


def analytic_solution(X, y):
    """w* = (Xb^T Xb)^-1 Xb^T y, solved with torch.linalg.solve; ValueError if Xb is rank-deficient."""
    Xb = absorb_bias(X)
    rank = int(torch.linalg.matrix_rank(Xb))
    if rank < Xb.shape[1]:
        raise ValueError(f"Xb has rank {rank} < {Xb.shape[1]} columns: the least-squares weights are not unique")
    y = y.reshape(-1, 1)
    return torch.linalg.solve(Xb.T @ Xb, Xb.T @ y)


# ---- cell: try it on the book's synthetic data --------------------------------------------
true_w = torch.tensor([2, -3.4], dtype=dtype)
true_b = 4.2
features = torch.normal(0, 1, (1000, 2), dtype=dtype)
labels = (features @ true_w + true_b + torch.normal(0, 0.01, (1000,), dtype=dtype)).reshape(-1, 1)
w_hat = analytic_solution(features, labels)
print(f"error in estimating w: {true_w - w_hat[:2, 0]}")
print(f"error in estimating b: {true_b - w_hat[2, 0]}")

if __name__ == "__main__":
    import matplotlib.pyplot as plt

    plt.scatter(features[:, 1].numpy(), labels[:, 0].numpy(), s=1)
    plt.title("y against the second feature")
    plt.show()
