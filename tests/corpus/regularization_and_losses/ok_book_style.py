# expect: full
"""The book's style throughout, with torch.max and explicit shapes."""
def l2_penalty(w):
    return torch.sum(w.pow(2)) / 2


def log_softmax(X):
    c = torch.max(X, dim=1, keepdim=True)[0]
    return X - c - torch.log(torch.sum(torch.exp(X - c), dim=1, keepdim=True))
