"""Whole-file reading through os.open/os.read (so that a sandboxed build
routes it through the controller)."""
import os


def read_file(path):
    """Contents of the file at `path`; raises OSError."""
    fd = os.open(path, os.O_RDONLY, 0)
    try:
        pieces = []
        while True:
            data = os.read(fd, 65536)
            if not data:
                break
            pieces.append(data)
        return "".join(pieces)
    finally:
        os.close(fd)


def file_exists(path):
    try:
        fd = os.open(path, os.O_RDONLY, 0)
    except OSError:
        return False
    os.close(fd)
    return True
