# expect: full
"""Prints 3 MB at import (a leftover debugging loop): more than the grader keeps, but never a
reason to fail."""
for i in range(30_000):
    print(f"debug line {i}: " + "x" * 90)
