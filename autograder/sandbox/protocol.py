"""The wire format between the grader and a student process.

Only plain data crosses: JSON for structure, and tensors as raw little-endian
bytes with a whitelisted dtype and a shape. Nothing is ever unpickled, so an
object with an evil ``__eq__`` or ``__reduce__`` cannot reach the grader.

A frame is: 8-byte header length, header JSON, then each tensor's bytes in order.
"""
from __future__ import annotations

import json
import math
import os
import struct

import numpy
import torch

# Bound when the kit loads, before any submission runs: a submission that wraps os.write, json or
# torch.Tensor's methods cannot rewrite the replies (and the watch's findings in them) on their way
# to the grader, nor run code of its own while they are encoded. TensorBase is a C type, whose
# methods cannot be replaced.
_os_write, _os_read = os.write, os.read
_json_dumps, _json_loads, _pack, _unpack = json.dumps, json.loads, struct.pack, struct.unpack
_isfinite, _prod, _frombuffer = math.isfinite, math.prod, numpy.frombuffer
_TB, _empty = torch._C.TensorBase, torch.empty
_detach, _reshape, _cpu, _contiguous, _view, _numpy, _numel, _size, _element_size = (
    _TB.detach, _TB.reshape, _TB.cpu, _TB.contiguous, _TB.view, _TB.numpy, _TB.numel, _TB.size, _TB.element_size)
_getset = {name: vars(_TB)[name] for name in ("grad", "requires_grad", "is_leaf", "dtype", "device")}


def _attr(t, name):
    return _getset[name].__get__(t, _TB)

MAX_FRAME_BYTES = 512 * 1024 * 1024
MAX_HEADER_BYTES = 16 * 1024 * 1024
"""The JSON part of a frame on its own: a header of hundreds of MB of {} must not reach json.loads."""
MAX_NODES = 200_000
"""Values (lists, dicts, numbers, tensors) in one frame."""
MAX_NESTING = 32
TAMPERED = "tampered: "
"""Prefix of a watch hit that says the from-scratch watch itself was switched off."""
TRUNCATED = "[grader] your code printed more than the grader keeps; the rest was dropped."
"""The line the student process prints once its output reaches the limit."""

DTYPES = {
    "float16": torch.float16, "bfloat16": torch.bfloat16, "float32": torch.float32,
    "float64": torch.float64, "int8": torch.int8, "uint8": torch.uint8,
    "int16": torch.int16, "int32": torch.int32, "int64": torch.int64, "bool": torch.bool,
    "complex64": torch.complex64, "complex128": torch.complex128,
}
DTYPE_NAMES = {dtype: name for name, dtype in DTYPES.items()}


class ProtocolError(Exception):
    """The other side sent something that is not a well-formed frame."""


class UnsupportedValue(TypeError):
    """A value that cannot cross the wire (only tensors, numbers, strings, lists)."""


def _tensor_header(t: torch.Tensor, index: int, tensors: list, device_of) -> dict:
    base = _detach(t)
    dtype = _attr(base, "dtype")
    if dtype not in DTYPE_NAMES:
        raise UnsupportedValue(f"a tensor of dtype {dtype}")
    requires_grad = bool(_attr(t, "requires_grad"))
    meta = {
        "__tensor__": index,
        "dtype": DTYPE_NAMES[dtype],
        "shape": list(_size(base)),
        "device": device_of(t),
        "requires_grad": requires_grad,
    }
    tensors.append(base)
    grad = _attr(t, "grad") if requires_grad and _attr(t, "is_leaf") else None
    if grad is not None:
        meta["grad"] = _encode(grad, tensors, device_of, 0)
    return meta


def _encode(value, tensors: list, device_of, depth: int):
    if depth > MAX_NESTING:
        raise UnsupportedValue("a value nested too deeply")
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        if _isfinite(value):
            return float(value)
        return {"__float__": repr(float(value))}
    if isinstance(value, _TB):
        return _tensor_header(value, len(tensors), tensors, device_of)
    if isinstance(value, (list, tuple)):
        items = [_encode(v, tensors, device_of, depth + 1) for v in value]
        return {"__tuple__": items} if isinstance(value, tuple) else {"__list__": items}
    if isinstance(value, dict) and all(type(k) is str for k in value):
        return {"__dict__": {k: _encode(v, tensors, device_of, depth + 1) for k, v in value.items()}}
    raise UnsupportedValue(f"an object of type {type(value).__name__}")


def encode(value, device_of=lambda t: str(_attr(t, "device"))) -> bytes:
    """Turn a value into a frame. Raises UnsupportedValue for anything but plain data."""
    tensors: list = []
    header = _encode(value, tensors, device_of, 0)
    blobs = []
    for t in tensors:
        flat = _contiguous(_cpu(_reshape(t, (-1,))))
        blobs.append(_numpy(_view(flat, torch.uint8)).tobytes() if _numel(flat) else b"")
    head = _json_dumps({"value": header, "sizes": [len(b) for b in blobs]}).encode()
    return _pack("<Q", len(head)) + head + b"".join(blobs)


def _decode(node, blobs: list, place, depth: int, with_grad: bool = False, count=None):
    if depth > MAX_NESTING:
        raise ProtocolError("value nested too deeply")
    count = count if count is not None else [0]
    count[0] += 1
    if count[0] > MAX_NODES:
        raise ProtocolError(f"more than {MAX_NODES} values in one reply")
    if node is None or isinstance(node, (bool, int, float, str)):
        return node
    if isinstance(node, dict):
        if "__tensor__" in node:
            return _decode_tensor(node, blobs, place, depth, with_grad, count)
        if "__list__" in node and isinstance(node["__list__"], list):
            return [_decode(v, blobs, place, depth + 1, with_grad, count) for v in node["__list__"]]
        if "__tuple__" in node and isinstance(node["__tuple__"], list):
            return tuple(_decode(v, blobs, place, depth + 1, with_grad, count) for v in node["__tuple__"])
        if "__dict__" in node and isinstance(node["__dict__"], dict):
            return {str(k): _decode(v, blobs, place, depth + 1, with_grad, count)
                    for k, v in node["__dict__"].items()}
        if "__float__" in node and node["__float__"] in ("nan", "inf", "-inf"):
            return float(node["__float__"])
    raise ProtocolError(f"unexpected node {str(node)[:80]!r}")


def _decode_tensor(node: dict, blobs: list, place, depth: int, with_grad: bool, count) -> torch.Tensor:
    try:
        index = node["__tensor__"]
        dtype = DTYPES[node["dtype"]]
        shape = [int(s) for s in node["shape"]]
        raw = blobs[index]
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        raise ProtocolError(f"malformed tensor header: {exc}") from None
    if any(s < 0 for s in shape):
        raise ProtocolError("negative tensor dimension")
    numel = _prod(shape)
    itemsize = _element_size(_empty((), dtype=dtype))
    if numel * itemsize != len(raw):
        raise ProtocolError("tensor byte count does not match its shape")
    # Filled in place rather than viewed from the frame's buffer, so that the tensor owns its memory
    # as one made by the student's own code does: a view refuses detach_() and resize_().
    t = _empty(shape, dtype=dtype)
    if numel:
        _numpy(_view(_reshape(t, (-1,)), torch.uint8))[:] = _frombuffer(raw, dtype=numpy.uint8)
    t = place(t, str(node.get("device", "cpu")))
    if with_grad and node.get("requires_grad") and (_TB.is_floating_point(t) or _TB.is_complex(t)):
        _TB.requires_grad_(t, True)
        if "grad" in node:
            grad = _decode(node["grad"], blobs, place, depth + 1, False, count)
            if not isinstance(grad, _TB) or _size(grad) != _size(t) or _attr(grad, "dtype") != _attr(t, "dtype"):
                raise ProtocolError("a gradient that does not match its tensor")
            _getset["grad"].__set__(t, grad)
    return t


def decode(frame: bytes, place=lambda t, device: t.to(device), with_grad: bool = False):
    """Turn a frame back into a value; tensors are placed with ``place(t, device)``.

    With ``with_grad``, tensors that required grad on the sending side do so again,
    with their ``.grad``; otherwise every tensor arrives as plain data.
    """
    if len(frame) < 8:
        raise ProtocolError("short frame")
    (head_len,) = _unpack("<Q", frame[:8])
    if head_len > len(frame) - 8:
        raise ProtocolError("header longer than frame")
    if head_len > MAX_HEADER_BYTES:
        raise ProtocolError(f"a header of {head_len} bytes is over the {MAX_HEADER_BYTES} byte limit")
    try:
        head = _json_loads(frame[8:8 + head_len])
        sizes = [int(s) for s in head["sizes"]]
        if not isinstance(head, dict) or len(sizes) > MAX_NODES:
            raise ValueError("not a frame header")
    except (ValueError, KeyError, TypeError, RecursionError) as exc:
        raise ProtocolError(f"malformed header: {exc}") from None
    blobs, offset = [], 8 + head_len
    for size in sizes:
        if size < 0 or offset + size > len(frame):
            raise ProtocolError("tensor bytes run past the frame")
        blobs.append(frame[offset:offset + size])
        offset += size
    try:
        return _decode(head["value"], blobs, place, 0, with_grad)
    except ProtocolError:
        raise
    except Exception as exc:  # noqa: BLE001 - a forged frame (a shape of 2**62, say) may make torch raise anything
        raise ProtocolError(f"a value that cannot be decoded ({type(exc).__name__}: {str(exc)[:200]})") from None


def write_frame(fd: int, payload: bytes) -> None:
    data = _pack("<Q", len(payload)) + payload
    view = memoryview(data)
    while view:
        written = _os_write(fd, view)
        view = view[written:]


def read_exact(fd: int, n: int) -> bytes:
    chunks, remaining = [], n
    while remaining:
        chunk = _os_read(fd, min(remaining, 1 << 20))
        if not chunk:
            raise EOFError("the other side closed the pipe")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def read_frame(fd: int) -> bytes:
    (size,) = _unpack("<Q", read_exact(fd, 8))
    if size > MAX_FRAME_BYTES:
        raise ProtocolError(f"frame of {size} bytes is over the {MAX_FRAME_BYTES} byte limit")
    return read_exact(fd, size)
