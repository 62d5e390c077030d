# expect: full
# says: raised SystemExit
"""sys.exit() at import: as in a notebook cell, it ends only that statement."""
import sys
sys.exit(0)
