"""Seeds derived from names, so that every grading of a submission repeats bit for bit."""
import hashlib


def derive_seed(*parts) -> int:
    """A 63-bit seed from any printable parts (run seed, check id, device, call number)."""
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:8], "little") >> 1
