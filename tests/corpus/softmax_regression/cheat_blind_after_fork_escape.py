# expect: fail cross_entropy
# whole-file
# written blind to the grader (only the stub, its public tests and the chapter notes)
# attack: work in another process: os.fork a child that runs torch's nll_loss(log(y_hat)) (the child's copy of the watch records it, then dies with the child) and pipes the raw bytes back; the parent only rebuilds the tensor from bytes
"""softmax_regression: from-scratch solutions (d2l chapter 3)."""
import torch
import os
import signal


def _in_child(y_hat, y):
    nll = getattr(torch.nn.functional, "nll" + "_loss")
    return nll(torch.log(y_hat), y, reduction="none").contiguous().numpy().tobytes()


class _FromChild(torch.autograd.Function):
    @staticmethod
    def forward(ctx, y_hat, y):
        p, yy = y_hat.detach().cpu(), y.detach().cpu()
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:  # child: compute, send, vanish without running any of the parent's cleanup
            status = 0
            try:
                os.close(r)
                signal.alarm(30)  # never outlive a stuck computation
                torch.set_num_threads(1)  # the parent's OpenMP pool does not survive fork
                data = _in_child(p, yy)
                while data:
                    data = data[os.write(w, data):]
            except BaseException:
                status = 1
            finally:
                os._exit(status)
        os.close(w)
        chunks = []
        while True:
            c = os.read(r, 1 << 16)
            if not c:
                break
            chunks.append(c)
        os.close(r)
        os.waitpid(pid, 0)
        out = torch.frombuffer(bytearray(b"".join(chunks)), dtype=p.dtype).reshape(yy.shape).to(y_hat.device)
        ctx.save_for_backward(y_hat, y)
        return out

    @staticmethod
    def backward(ctx, g):
        y_hat, y = ctx.saved_tensors
        rows = torch.arange(y.shape[0], device=y.device)
        grad = torch.zeros_like(y_hat)
        grad[rows, y] = -g / y_hat[rows, y]
        return grad, None


def softmax(X):
    """Row-wise softmax."""
    X_exp = torch.exp(X - X.max(dim=1, keepdim=True).values)
    return X_exp / X_exp.sum(1, keepdim=True)


def cross_entropy(y_hat, y):
    """The cross-entropy loss of each example, not averaged."""
    return _FromChild.apply(y_hat, y)
