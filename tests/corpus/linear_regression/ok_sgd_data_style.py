# expect: full
"""d2l 0.14/0.15: update through .data instead of no_grad."""
def sgd(params, lr, batch_size):
    for param in params:
        param.data.sub_(lr * param.grad / batch_size)
        param.grad.data.zero_()
