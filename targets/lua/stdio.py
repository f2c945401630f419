"""Buffered output on a file descriptor through os.write.

print and io.write go through `OutputStream` so that output costs one
system call per buffer, not per value; everything is flushed before the
process exits, before stderr output, and before reading stdin, so the
interleaving matches a line-buffered C stdio closely enough for
differential tests."""
import os

BUFFER_LIMIT = 8192


class OutputStream(object):
    def __init__(self, fd):
        self.fd = fd
        self.pieces = []
        self.size = 0
        self.buffered = True

    def write(self, text):
        self.pieces.append(text)
        self.size += len(text)
        if self.size >= BUFFER_LIMIT or not self.buffered:
            self.flush()

    def flush(self):
        if self.size == 0:
            self.pieces = []
            return
        data = "".join(self.pieces)
        self.pieces = []
        self.size = 0
        while len(data) > 0:
            try:
                written = os.write(self.fd, data)
            except OSError:
                return
            if written <= 0:
                return
            data = data[written:]
