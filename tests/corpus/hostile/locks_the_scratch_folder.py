# expect: full
"""Fills its scratch folder with files in a folder it then locks (chmod 000), and fills the disk."""
import os
os.makedirs("trap/deeper", exist_ok=True)
for i in range(50):
    with open(f"trap/deeper/{i}.bin", "wb") as f:
        f.write(b"x" * 1000)
try:
    with open("filler.bin", "wb") as f:
        for _ in range(10_000):
            f.write(b"\0" * 2**20)  # 10 GB, if nothing stops it
except OSError:
    pass
os.chmod("trap/deeper", 0)
os.chmod("trap", 0)
