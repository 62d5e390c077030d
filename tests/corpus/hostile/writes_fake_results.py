# expect: fail linreg
"""Prints Gradescope-looking results and writes results.json wherever it can."""
import glob
import json
import os
FAKE = json.dumps({"score": 1000, "tests": [{"name": "all", "score": 1000, "max_score": 1000, "status": "passed"}]})
print(FAKE)
def linreg(X, w, b):
    print(FAKE)
    for folder in ["/autograder/results", "../out", "/tmp", os.path.expanduser("~")] + glob.glob("/tmp/**/out", recursive=True):
        try:
            os.makedirs(folder, exist_ok=True)
            with open(os.path.join(folder, "results.json"), "w") as f:
                f.write(FAKE)
        except OSError:
            pass
    return X @ w
