"""The controller side of the wire protocol (docs/protocol.md sections 1-4).

``ChildChannel`` turns the child's stdout into ``Request`` objects and sends
the commands of section 3 on its stdin.  It trusts nothing the child says:

- every read is bounded in time: while the child computes between requests
  only the wall-clock deadline applies; once a message has begun (or an
  answer to ``R``/``Z``/``M`` is due) the rest must arrive within
  ``stall_seconds``, so a child that stops talking cannot hang the controller;
- every write is bounded the same way (a child that never reads its stdin
  fills the pipe, and we give up instead of blocking);
- every transfer is bounded in size by ``max_transfer``, so the controller's
  memory stays bounded whatever counts the child sends;
- every problem is a ``ProtocolError`` carrying the byte offset in the child's
  output where it was found (section 4).

The channel knows the child's byte order and word size (section 1), never
assumes the host's, and knows nothing about handlers or policy.
"""
import os
import select
import struct
import time

from sandbox.calls import BadSignature, Ptr, Signature
from sandbox.errors import (ChildClosedInput, ConfigurationError, ProtocolError,
                            WallTimeExceeded)

DEFAULT_MAX_TRANSFER = 4 * 1024 * 1024
DEFAULT_STALL_SECONDS = 10.0
_READ_CHUNK = 65536


class Request:
    """One call from the child: its signature, decoded arguments and offset."""

    __slots__ = ("signature", "args", "offset")

    def __init__(self, signature, args, offset):
        self.signature = signature
        self.args = args
        self.offset = offset

    def call_text(self):
        """``name(arg, ...)`` with the decoded arguments, for messages and logs."""
        shown = ", ".join(repr(arg) for arg in self.args)
        return "%s(%s) [%s]" % (self.signature.name, shown, self.signature.text)


class ChildChannel:
    """Requests in, commands out, over the child's stdout and stdin pipes.

    ``deadline`` is an absolute ``time.monotonic()`` value (or None) after
    which any wait raises ``WallTimeExceeded``; the owner may set it later.
    """

    def __init__(self, from_child, to_child, *, byteorder, wordsize,
                 max_transfer=DEFAULT_MAX_TRANSFER, stall_seconds=DEFAULT_STALL_SECONDS,
                 deadline=None):
        if byteorder not in ("little", "big") or wordsize not in (4, 8):
            raise ConfigurationError("unsupported child ABI: %s-endian, %r-byte words"
                                     % (byteorder, wordsize))
        prefix = "<" if byteorder == "little" else ">"
        self._byteorder_prefix = prefix
        self._argument_decoders = {}
        self._pollers = {}      # (fd, event) -> a registered select.poll, reused
        self._word = struct.Struct(prefix + ("Q" if wordsize == 8 else "I"))
        self._signed_word = struct.Struct(prefix + ("q" if wordsize == 8 else "i"))
        self._int64 = struct.Struct(prefix + "q")
        self._double = struct.Struct(prefix + "d")
        self._int32 = struct.Struct(prefix + "i")
        self.wordsize = wordsize
        self.max_transfer = max_transfer
        self.stall_seconds = stall_seconds
        self.deadline = deadline
        self._from_child = from_child
        self._to_child = to_child
        os.set_blocking(to_child, False)
        self._received = bytearray()   # read from the pipe, not yet consumed
        self._pending = bytearray()    # commands not yet written
        self.offset = 0                # bytes of the child's output consumed

    # -- requests (section 2) ------------------------------------------------

    def read_request(self, known_signatures):
        """The next Request, or None if the child closed its stdout between requests.

        ``known_signatures`` maps signature text to parsed ``Signature`` for
        the calls the caller serves, which then need no parsing.
        """
        start = self.offset
        length_byte = self._take(1, "a request", between_messages=True)
        if length_byte is None:
            return None
        length = length_byte[0]
        if length == 0:
            raise ProtocolError("request with a signature length of 0", start)
        raw_text = self._take(length, "the signature of a request")
        signature = known_signatures.get(raw_text.decode("latin-1"))
        if signature is None:
            signature = self._parse_signature(raw_text, start)
        args = self._read_arguments(signature)
        return Request(signature, args, start)

    def _parse_signature(self, raw_text, start):
        try:
            return Signature(raw_text.decode("ascii"))
        except (UnicodeDecodeError, BadSignature) as problem:
            shown = raw_text[:80].decode("ascii", "backslashreplace")
            raise ProtocolError("bad request signature %r: %s" % (shown, problem),
                                start) from None

    def _read_arguments(self, signature):
        decoder = self._argument_decoders.get(signature.text)
        if decoder is None:
            decoder = self._argument_decoders[signature.text] = self._argument_decoder(signature)
        unpacker, pointer_positions, what = decoder
        values = unpacker.unpack(self._take(unpacker.size, what))
        if pointer_positions:
            values = list(values)
            for position in pointer_positions:
                values[position] = Ptr(values[position])
            values = tuple(values)
        return values

    def _argument_decoder(self, signature):
        """One struct for all the arguments of a signature (section 2), built once."""
        formats = {"i": "q", "f": "d", "p": "Q" if self.wordsize == 8 else "I", "v": ""}
        packed_codes = [code for code in signature.argcodes if code != "v"]
        unpacker = struct.Struct(self._byteorder_prefix
                                 + "".join(formats[code] for code in packed_codes))
        pointer_positions = [i for i, code in enumerate(packed_codes) if code == "p"]
        return unpacker, pointer_positions, "the arguments of %s" % signature.text

    # -- commands (section 3) ------------------------------------------------

    def read_memory(self, address, size):
        """``R``: ``size`` bytes of the child's memory at ``address``."""
        self._check_transfer(size, "read")
        if size == 0:
            return b""
        self._pending += b"R" + self._word.pack(address) + self._word.pack(size)
        self._flush()
        return self._take(size, "the %d bytes answering R" % size)

    def read_string(self, address, maxlen):
        """``Z``: the NUL-terminated string at ``address``, at most ``maxlen`` bytes."""
        self._check_transfer(maxlen, "string read")
        self._pending += b"Z" + self._word.pack(address) + self._signed_word.pack(maxlen)
        self._flush()
        start = self.offset
        length = self._word.unpack(self._take(self.wordsize, "the length answering Z"))[0]
        if length > maxlen:
            raise ProtocolError("the child answered Z with a length of %d, more than "
                                "the %d asked for" % (length, maxlen), start)
        text = self._take(length, "the %d-byte string answering Z" % length)
        if b"\0" in text:
            raise ProtocolError("the child answered Z with a string containing a NUL byte",
                                start + self.wordsize + text.index(b"\0"))
        return text

    def write_memory(self, address, data):
        """``W``: store ``data`` at ``address`` (sent with the next flush)."""
        self._check_transfer(len(data), "write")
        if data:
            self._pending += (b"W" + self._word.pack(address)
                              + self._word.pack(len(data)) + data)

    def allocate(self, data):
        """``M``: a new block in the child holding ``data``; Ptr(0) if malloc failed."""
        self._check_transfer(len(data), "allocation")
        self._pending += b"M" + self._word.pack(len(data)) + data
        self._flush()
        return Ptr(self._word.unpack(self._take(self.wordsize, "the address answering M"))[0])

    def free(self, address):
        """``F``: free a block ``allocate`` returned."""
        self._pending += b"F" + self._word.pack(address)

    def set_errno(self, value):
        """``E``: the child's errno after the call returns."""
        self._pending += b"E" + self._int32.pack(value)

    def send_result(self, rescode, value):
        """The result command that ends the current request."""
        if rescode == "v":
            self._pending += b"v"
        elif rescode == "i":
            self._pending += b"i" + self._int64.pack(value)
        elif rescode == "f":
            self._pending += b"f" + self._double.pack(value)
        elif rescode == "p":
            self._pending += b"p" + self._word.pack(value)
        else:
            raise ValueError("no result code %r" % rescode)
        self._flush()

    def _check_transfer(self, size, what):
        if size < 0 or size > self.max_transfer:
            raise ProtocolError("a %s of %d bytes exceeds the controller's cap of %d "
                                "bytes per transfer" % (what, size, self.max_transfer),
                                self.offset)

    # -- the pipes -------------------------------------------------------------

    def _take(self, count, what, between_messages=False):
        """Consume ``count`` bytes of the child's output.

        With ``between_messages`` only the wall-clock deadline bounds the wait
        for the first byte, and end of file there returns None (the child
        exited); anywhere else end of file is a protocol error.
        """
        while len(self._received) < count:
            idle = between_messages and not self._received
            self._wait(self._from_child, select.POLLIN,
                       None if idle else "stopped talking in the middle of " + what)
            chunk = os.read(self._from_child, max(_READ_CHUNK, count - len(self._received)))
            if not chunk:
                if idle:
                    return None
                raise ProtocolError(
                    "the child's output ended in the middle of %s (%d of %d bytes)"
                    % (what, len(self._received), count),
                    self.offset + len(self._received))
            self._received += chunk
        data = bytes(self._received[:count])
        del self._received[:count]
        self.offset += count
        return data

    def _flush(self):
        sent = 0
        with memoryview(self._pending) as pending:
            while sent < len(pending):
                # write first: the pipe is almost always writable, and a poll
                # per answer would cost a system call on the hot path
                try:
                    sent += os.write(self._to_child, pending[sent:sent + _READ_CHUNK])
                except BlockingIOError:
                    self._wait(self._to_child, select.POLLOUT, "stopped reading its stdin")
                    continue
                except BrokenPipeError:
                    raise ChildClosedInput("the child closed its stdin while commands "
                                           "were pending", self.offset) from None
        del self._pending[:]

    def wait_readable(self, fd):
        """Block until the controller's own ``fd`` is readable, within the deadline."""
        self._wait(fd, select.POLLIN, None)

    def _wait(self, fd, event, stall):
        """Block until ``fd`` is ready, within the deadline (and the stall limit).

        ``stall`` says what the child did wrong if it is not ready within
        ``stall_seconds``, or is None when it may legitimately stay silent
        (computing between requests): then only the deadline applies.
        """
        timeout = None
        if self.deadline is not None:
            timeout = max(0.0, self.deadline - time.monotonic())
        if stall is not None:
            timeout = self.stall_seconds if timeout is None else min(timeout, self.stall_seconds)
        poller = self._pollers.get((fd, event))
        if poller is None:
            poller = self._pollers[(fd, event)] = select.poll()
            poller.register(fd, event)
        if poller.poll(None if timeout is None else int(timeout * 1000) + 1):
            return
        if self.deadline is not None and time.monotonic() >= self.deadline:
            raise WallTimeExceeded("the run took longer than its wall-clock limit; "
                                   "raise --timeout if the program needs more time")
        raise ProtocolError("the child %s for %g seconds" % (stall, self.stall_seconds),
                            self.offset + len(self._received))
