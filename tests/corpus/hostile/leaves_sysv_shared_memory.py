# expect: zero
"""Creates a SysV shared memory segment at import, to pass data to the next student. ctypes at the
top level of the file costs every function its points; the IPC namespace makes the segment vanish
with the process."""
import ctypes

IPC_PRIVATE, IPC_CREAT = 0, 0o1000
segment = ctypes.CDLL(None).shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0o600)
