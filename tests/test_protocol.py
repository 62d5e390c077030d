"""Does only plain data cross between the student process and the grader?"""
import struct

import pytest
import torch

from autograder.sandbox import protocol


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64, torch.float16, torch.bfloat16,
                                   torch.int64, torch.int32, torch.bool, torch.uint8])
def test_tensors_round_trip_exactly(dtype):
    t = (torch.arange(12) % 5).to(dtype).reshape(3, 4)
    back = protocol.decode(protocol.encode({"x": [t, (t[0], None)], "n": 3, "f": float("nan")}))
    assert torch.equal(back["x"][0], t) and back["x"][0].dtype == dtype
    assert torch.equal(back["x"][1][0], t[0]) and back["x"][1][1] is None
    assert back["n"] == 3 and back["f"] != back["f"]


def test_empty_and_scalar_tensors():
    for t in (torch.zeros(0, 3), torch.tensor(2.5), torch.zeros(2, 0, 1, dtype=torch.int64)):
        back = protocol.decode(protocol.encode(t))
        assert back.shape == t.shape and torch.equal(back, t)


def test_grad_travels_only_when_asked():
    p = torch.ones(2, requires_grad=True)
    p.grad = torch.full((2,), 3.0)
    frame = protocol.encode([p])
    assert not protocol.decode(frame)[0].requires_grad
    again = protocol.decode(frame, with_grad=True)[0]
    assert again.requires_grad and again.is_leaf and torch.equal(again.grad, p.grad)


class Evil:
    def __eq__(self, other):
        return True

    def __reduce__(self):
        raise AssertionError("pickling must never happen")


@pytest.mark.parametrize("value", [Evil(), {1: 2}, object(), [torch.ones(1), Evil()], {"k": Evil()}])
def test_anything_but_plain_data_is_refused(value):
    with pytest.raises(protocol.UnsupportedValue):
        protocol.encode(value)


def _frame(header: bytes, blobs: bytes = b"") -> bytes:
    return struct.pack("<Q", len(header)) + header + blobs


@pytest.mark.parametrize("frame", [
    b"\x01",
    _frame(b"not json"),
    _frame(b'{"value": {"__tensor__": 0, "dtype": "float32", "shape": [2]}, "sizes": [4]}', b"\0" * 4),
    _frame(b'{"value": {"__tensor__": 0, "dtype": "object", "shape": [1]}, "sizes": [8]}', b"\0" * 8),
    _frame(b'{"value": {"__tensor__": 3, "dtype": "float32", "shape": [1]}, "sizes": [4]}', b"\0" * 4),
    _frame(b'{"value": {"__tensor__": 0, "dtype": "float32", "shape": [-1]}, "sizes": [4]}', b"\0" * 4),
    _frame(b'{"value": {"__pickle__": "gASV"}, "sizes": []}'),
    _frame(b'{"value": 1, "sizes": [100]}', b"\0" * 4),
    # no bytes, but a shape torch cannot allocate: found by a red-team submission that forged its ready reply
    _frame(b'{"value": {"__tensor__": 0, "dtype": "float32", "shape": [0, 4611686018427387904, 4611686018427387904]},'
           b' "sizes": [0]}', b""),
])
def test_malformed_frames_are_rejected(frame):
    with pytest.raises(protocol.ProtocolError):
        protocol.decode(frame)
