"""The codec against a child that breaks the protocol (docs/protocol.md sections 2-4)."""
import os
import struct
import time
import tracemalloc

import pytest

from controller_limits import test_limits
from fake_child_driver import i64, request_bytes
from sandbox import (CallLimitExceeded, Ptr, ProtocolError, VirtualizedProcess,
                     WallTimeExceeded, signature)
from sandbox.calls import Signature
from sandbox.protocol import ChildChannel


class Echo(VirtualizedProcess):
    """Handlers that make the controller send each kind of command."""

    @signature("add(ii)i")
    def add(self, left, right):
        return left + right

    @signature("peek(pi)i")
    def peek(self, pointer, size):
        return len(self.read_memory(pointer, size))

    @signature("measure(p)i")
    def measure(self, pointer):
        return len(self.read_cstring(pointer, 100))

    @signature("fill(pi)i")
    def fill(self, pointer, size):
        self.write_memory(pointer, b"x" * size)
        return size


def expect_protocol_error(run_child, script, match, **limits):
    with pytest.raises(ProtocolError, match=match) as raised:
        run_child(script, Echo, limits=test_limits(**limits))
    return raised.value


def test_request_cut_in_its_signature(run_child):
    error = expect_protocol_error(run_child, [{"raw": b"\x0badd(ii"}, {"exit": 0}],
                                  "in the middle of the signature")
    assert error.offset == 7


def test_request_cut_in_its_arguments(run_child):
    raw = request_bytes("add(ii)i", i64(1))
    error = expect_protocol_error(run_child, [{"raw": raw}, {"exit": 0}],
                                  r"arguments of add\(ii\)i \(8 of 16 bytes\)")
    assert error.offset == len(raw)


def test_zero_length_signature(run_child):
    expect_protocol_error(run_child, [{"raw": b"\x00"}, {"exit": 0}],
                          "signature length of 0 .at byte 0")


@pytest.mark.parametrize("text", [b"add ii)i", b"add(ii", b"(ii)i", b"add(iq)i",
                                  b"add(ii)ii", b"add\xff(ii)i", b"add(ii)"])
def test_bad_signature_text(run_child, text):
    expect_protocol_error(run_child, [{"raw": bytes([len(text)]) + text + bytes(16)},
                                      {"hang": True}],
                          "bad request signature")


def test_child_silent_in_the_middle_of_a_request_is_cut_off(run_child):
    started = time.monotonic()
    expect_protocol_error(run_child, [{"raw": b"\x08add(ii)i" + bytes(3)}, {"hang": True}],
                          "stopped talking in the middle of the arguments",
                          stall_seconds=0.3)
    assert time.monotonic() - started < 3


def test_child_silent_between_requests_meets_the_wall_clock_limit(run_child):
    started = time.monotonic()
    with pytest.raises(WallTimeExceeded, match="--timeout"):
        run_child([{"call": "add(ii)i", "args": [1, 2]}, {"hang": True}], Echo,
                  limits=test_limits(wall_seconds=0.5))
    assert time.monotonic() - started < 3


def test_short_answer_to_R(run_child):
    expect_protocol_error(run_child, [{"mode": "short_R"},
                                      {"call": "peek(pi)i", "args": [{"buf": 64, "name": "b"}, 64]}],
                          "the 64 bytes answering R .32 of 64")


def test_answer_to_Z_longer_than_asked(run_child):
    expect_protocol_error(run_child, [{"mode": "lie_Z"},
                                      {"call": "measure(p)i", "args": [{"cstr": b"abc"}]}],
                          "length of 1003, more than the 100 asked")


def test_transfer_beyond_the_cap_is_refused_before_asking_the_child(run_child):
    expect_protocol_error(run_child,
                          [{"call": "peek(pi)i", "args": [{"buf": 8, "name": "b"}, 10 ** 12]}],
                          "exceeds the controller's cap of 1000 bytes",
                          max_transfer_bytes=1000)


def test_child_that_stops_reading_its_stdin_is_cut_off(run_child):
    expect_protocol_error(run_child, [{"mode": "ignore_stdin"},
                                      {"call": "fill(pi)i", "args": [{"ptr": 0x10010}, 1 << 20]}],
                          "stopped reading its stdin", stall_seconds=0.3)


def test_flood_of_calls_meets_the_call_limit(run_child):
    with pytest.raises(CallLimitExceeded, match="more than 50 calls"):
        run_child([{"call": "add(ii)i", "args": [1, 1], "repeat": 200}], Echo,
                  limits=test_limits(max_calls=50))


def test_flood_of_unanswered_requests_keeps_controller_memory_bounded(run_child):
    flood = request_bytes("add(ii)i", i64(1), i64(2))
    tracemalloc.start()
    try:
        with pytest.raises(ProtocolError, match="stopped reading its stdin"):
            run_child([{"raw": flood, "repeat": 250000}, {"hang": True}], Echo,
                      limits=test_limits(stall_seconds=0.3))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2 * 1024 * 1024


def test_child_that_dies_instead_of_reading_its_answer_gives_its_status(run_child):
    status, _, _ = run_child([{"close_stdin": True}, {"call": "add(ii)i", "args": [1, 2]}],
                             Echo)
    assert status == 70


# -- the codec alone, for other byte orders and word sizes ------------------------

def channel_pair(byteorder, wordsize):
    child_to_controller = os.pipe()
    controller_to_child = os.pipe()
    channel = ChildChannel(child_to_controller[0], controller_to_child[1],
                           byteorder=byteorder, wordsize=wordsize, stall_seconds=1.0)
    return channel, child_to_controller[1], controller_to_child[0]


def test_big_endian_request_and_commands():
    channel, child_out, child_in = channel_pair("big", 8)
    os.write(child_out, b"\x0bwrite(ipi)i" + struct.pack(">qQq", 1, 0x1000, 5))
    request = channel.read_request({})
    assert request.args == (1, Ptr(0x1000), 5)
    channel.set_errno(2)
    channel.send_result("i", -1)
    assert os.read(child_in, 100) == b"E" + struct.pack(">i", 2) + b"i" + struct.pack(">q", -1)


def test_four_byte_words_for_pointers_only():
    channel, child_out, child_in = channel_pair("little", 4)
    os.write(child_out, b"\x07f(pif)p" + struct.pack("<Iqd", 0x20, -3, 1.5))
    request = channel.read_request({"f(pif)p": Signature("f(pif)p")})
    assert request.args == (Ptr(0x20), -3, 1.5)
    channel.write_memory(0x20, b"ab")
    channel.send_result("p", 0x20)
    assert os.read(child_in, 100) == (b"W" + struct.pack("<II", 0x20, 2) + b"ab"
                                      + b"p" + struct.pack("<I", 0x20))


def test_end_of_file_between_requests_is_a_clean_end():
    channel, child_out, _ = channel_pair("little", 8)
    os.close(child_out)
    assert channel.read_request({}) is None


def test_string_answer_with_a_nul_inside_is_refused():
    channel, child_out, _ = channel_pair("little", 8)
    os.write(child_out, struct.pack("<Q", 3) + b"a\0b")
    with pytest.raises(ProtocolError, match="NUL byte .at byte 9"):
        channel.read_string(0x1000, 100)
