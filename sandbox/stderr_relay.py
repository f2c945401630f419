"""Relaying the child's raw stderr without letting it flood the controller.

Standard error is the one byte stream the child writes directly (its C
runtime's fatal diagnostics, docs/protocol.md header): the controller does not
see it through the protocol, so a thread copies it, either to a stream of the
controller or into a bounded buffer, keeps its last bytes to explain a death
(``Limits.explain_death``), and calls ``on_overflow`` once (the controller
kills the child) if it exceeds ``max_bytes``.
"""
import os
import threading

TAIL_BYTES = 4096
DEFAULT_COLLECT_BYTES = 1024 * 1024


class StderrRelay(threading.Thread):
    """Copy the pipe ``fd`` to ``destination`` (a binary stream) or collect it."""

    def __init__(self, fd, destination=None, max_bytes=None, on_overflow=None):
        super().__init__(name="rplug-stderr-relay", daemon=True)
        self._fd = fd
        self._destination = destination
        self._max_bytes = max_bytes
        self._on_overflow = on_overflow
        self._collect_limit = max_bytes if max_bytes is not None else DEFAULT_COLLECT_BYTES
        self.collected = bytearray()
        self.tail = b""
        self.total_bytes = 0
        self.overflowed = False

    def run(self):
        while True:
            try:
                chunk = os.read(self._fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            self._handle(chunk)

    def _handle(self, chunk):
        self.total_bytes += len(chunk)
        self.tail = (self.tail + chunk)[-TAIL_BYTES:]
        if self.overflowed:
            return                       # drain without keeping anything
        if self._max_bytes is not None and self.total_bytes > self._max_bytes:
            chunk = chunk[:len(chunk) - (self.total_bytes - self._max_bytes)]
            self.overflowed = True
        if self._destination is not None:
            try:
                self._destination.write(chunk)
                self._destination.flush()
            except (OSError, ValueError):
                self._destination = None  # our own stderr is gone; keep draining
        else:
            room = self._collect_limit - len(self.collected)
            self.collected += chunk[:max(room, 0)]
        if self.overflowed and self._on_overflow is not None:
            self._on_overflow()
