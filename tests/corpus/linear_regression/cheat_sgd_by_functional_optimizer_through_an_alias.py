# expect: fail sgd
# says: torch.optim.sgd.sgd
# what: torch.optim._functional.sgd reached through an alias of torch
import torch as backend


def sgd(params, lr, batch_size):
    kernel = backend.optim._functional.sgd
    with backend.no_grad():
        kernel(list(params), [p.grad / batch_size for p in params], [None] * len(params), weight_decay=0.0,
               momentum=0.0, lr=lr, dampening=0.0, nesterov=False, maximize=False, foreach=False)
        for p in params:
            p.grad.zero_()
