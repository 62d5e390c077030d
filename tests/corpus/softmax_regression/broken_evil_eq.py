# expect: fail cross_entropy
"""Returns an object whose __eq__ always says yes."""
class Always:
    def __eq__(self, other):
        return True
    def __reduce__(self):
        import os
        os_ = os  # hidden from the reading, which would zero the file: the grader must never pickle it
        return (os_.system, ("touch /tmp/pwned-by-corpus",))
def cross_entropy(y_hat, y):
    return Always()
