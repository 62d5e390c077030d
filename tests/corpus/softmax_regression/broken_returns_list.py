# expect: fail softmax
"""Returns nested Python lists."""
import math
def softmax(X):
    rows = []
    for row in X.tolist():
        e = [math.exp(v) for v in row]
        rows.append([v / sum(e) for v in e])
    return rows
