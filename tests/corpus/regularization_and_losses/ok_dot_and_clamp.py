# expect: full
"""l2 through a dot product, Huber through clamp (min(|r|, δ)), l1 through sign."""
def l2_penalty(w):
    flat = w.reshape(-1)
    return torch.dot(flat, flat) * 0.5


def huber_loss(y_hat, y, delta=1.0):
    r = (y_hat - y.reshape(y_hat.shape)).abs()
    q = torch.clamp(r, max=delta)
    return 0.5 * q ** 2 + delta * (r - q)


def l1_loss(y_hat, y):
    r = y_hat - y.reshape(y_hat.shape)
    return r * torch.sign(r)
