# expect: full
# says: No module named 'numpyy'
"""Imports a package that is not installed: that statement alone is lost, the functions around it stay."""
import numpyy
