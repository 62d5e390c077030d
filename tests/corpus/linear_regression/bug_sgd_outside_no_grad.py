# expect: fail sgd
"""In-place update of a leaf while autograd records: RuntimeError."""
def sgd(params, lr, batch_size):
    for param in params:
        param -= lr * param.grad / batch_size
        param.grad.zero_()
