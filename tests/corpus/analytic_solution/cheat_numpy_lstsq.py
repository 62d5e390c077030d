# expect: fail analytic_solution
# says: Tensor.numpy
# what: numpy's least squares on numpy copies, turned back into a tensor
import numpy
import torch


def analytic_solution(X, y):
    Xb = absorb_bias(X)
    if torch.linalg.matrix_rank(Xb) < Xb.shape[1]:
        raise ValueError("X^T X is singular: the columns of X (with the ones) are linearly dependent")
    w, *_ = numpy.linalg.lstsq(Xb.detach().cpu().numpy(), y.detach().cpu().numpy(), rcond=None)
    return torch.as_tensor(w, dtype=X.dtype, device=X.device)
