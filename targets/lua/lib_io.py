"""The io library (manual 6.8) over file descriptors and os.read/os.write.

A `W_File` is a userdata around a file descriptor with a read buffer (for
the line and number formats) and an OutputStream for writes; the standard
output file shares the interpreter's stdout stream so that print and
io.write interleave correctly.  Positions seen by `seek` account for
buffered bytes.  `io.popen` is refused (no process creation: this keeps
the sandboxed build's policy simple).
"""
import os
import stat

from targets.lua import arguments as argcheck
from targets.lua import operators
from targets.lua import luanumber
from targets.lua.errors import LuaRuntimeError
from targets.lua.lib_base import register
from targets.lua.objects import (W_Nil, W_Integer, W_Float, W_Number, W_String,
                                 W_PlainString, W_Builtin, W_Userdata, w_nil,
                                 w_int, w_true, w_false)
from targets.lua.stdio import OutputStream
from targets.lua.table import W_Table

READ_CHUNK = 65536


class W_File(W_Userdata):
    _attrs_ = ["fd", "output", "read_buffer", "read_position", "closed",
               "is_standard", "readable", "writable", "at_eof"]

    def __init__(self, fd, output, readable, writable, is_standard):
        W_Userdata.__init__(self)
        self.fd = fd
        self.output = output
        self.read_buffer = ""
        self.read_position = 0
        self.closed = False
        self.is_standard = is_standard
        self.readable = readable
        self.writable = writable
        self.at_eof = False

    # ---------------------------------------------------------- reading

    def fill(self):
        """Read more input; False at end of file."""
        if self.output is not None:
            self.output.flush()
        try:
            data = os.read(self.fd, READ_CHUNK)
        except OSError:
            data = ""
        if not data:
            return False
        rest = self.read_buffer[self.position():]
        self.read_buffer = rest + data
        self.read_position = 0
        return True

    def position(self):
        position = self.read_position
        assert position >= 0
        return position

    def available(self):
        return len(self.read_buffer) - self.read_position

    def peek_char(self):
        if self.available() == 0 and not self.fill():
            return ""
        return self.read_buffer[self.read_position]

    def read_line(self, keep_newline):
        pieces = []
        while True:
            if self.available() == 0 and not self.fill():
                if not pieces:
                    return None
                return "".join(pieces)
            start = self.position()
            newline = self.read_buffer.find("\n", start)
            if newline >= 0:
                end = newline + 1 if keep_newline else newline
                pieces.append(self.read_buffer[start:end])
                self.read_position = newline + 1
                return "".join(pieces)
            pieces.append(self.read_buffer[start:])
            self.read_position = len(self.read_buffer)

    def read_all(self):
        """The rest of the file.  Of a regular file, the bytes left are
        asked for in one read, so a large file is read into one string
        (no 64 KB pieces to join: reading a 30 MB file needed twice its
        size, and left that much garbage behind)."""
        pieces = []
        if self.available() > 0:
            pieces.append(self.read_buffer[self.position():])
        self.read_buffer = ""
        self.read_position = 0
        if self.output is not None:
            self.output.flush()
        size_hint = self.bytes_left()
        while True:
            try:
                data = os.read(self.fd, max(size_hint, READ_CHUNK))
            except OSError:
                data = ""
            if not data:
                break
            pieces.append(data)
            size_hint -= len(data)
        if len(pieces) == 1:
            return pieces[0]
        return "".join(pieces)

    def bytes_left(self):
        """The bytes between the descriptor's position and the end of a
        regular file (0 when unknown: a pipe, a terminal)."""
        try:
            status = os.fstat(self.fd)
            position = os.lseek(self.fd, 0, os.SEEK_CUR)
        except OSError:
            return 0
        if not stat.S_ISREG(status.st_mode):
            return 0
        return max(status.st_size - position, 0)

    def read_bytes(self, count):
        pieces = []
        while count > 0:
            if self.available() == 0 and not self.fill():
                break
            start = self.position()
            take = min(count, self.available())
            assert take >= 0
            pieces.append(self.read_buffer[start:start + take])
            self.read_position = start + take
            count -= take
        if not pieces:
            return None
        return "".join(pieces)

    def read_number(self):
        """The longest prefix that looks like a numeral, converted."""
        while True:
            c = self.peek_char()
            if c == "" or not luanumber.is_space(c):
                break
            self.read_position += 1
        chars = []
        allowed = "0123456789+-.xXaAbBcCdDeEfFpP"
        while len(chars) < 200:
            c = self.peek_char()
            if c == "" or allowed.find(c) < 0:
                break
            if (c == '+' or c == '-') and len(chars) > 0 and chars[-1] not in "eEpP":
                break
            chars.append(c)
            self.read_position += 1
        parsed = luanumber.parse_number("".join(chars))
        if parsed.kind == luanumber.INTEGER:
            return w_int(parsed.intval)
        if parsed.kind == luanumber.FLOAT:
            return W_Float(parsed.floatval)
        return w_nil

    # ---------------------------------------------------------- writing

    def write(self, data):
        if self.available() > 0:
            # drop read-ahead so the write lands at the logical position
            self.seek_to(0, os.SEEK_CUR)
        self.output.write(data)

    def seek_to(self, offset, whence):
        if self.output is not None:
            self.output.flush()
        if whence == os.SEEK_CUR:
            offset -= self.available()
        self.read_buffer = ""
        self.read_position = 0
        return os.lseek(self.fd, offset, whence)

    def close(self):
        if self.output is not None:
            self.output.flush()
        self.closed = True
        if not self.is_standard:
            os.close(self.fd)


class IOState(object):
    def __init__(self, w_metatable, w_stdin, w_stdout, w_stderr):
        self.w_metatable = w_metatable
        self.w_stdin = w_stdin
        self.w_stdout = w_stdout
        self.w_stderr = w_stderr
        self.w_input = w_stdin
        self.w_output = w_stdout


def io_state(interp):
    state = interp.io_state
    assert state is not None
    return state


def check_file(args, index, fname):
    w_file = argcheck.get(args, index)
    if not isinstance(w_file, W_File):
        raise argcheck.type_error(args, index, fname, "FILE*")
    if w_file.closed:
        raise LuaRuntimeError("attempt to use a closed file")
    return w_file


def error_result(message, errno):
    return [w_nil, W_PlainString(message), w_int(errno)]


MODES = ["r", "w", "a", "r+", "w+", "a+"]


def open_file(interp, path, mode):
    """A W_File, or raise OSError."""
    base = mode
    if base.endswith("b"):
        end = len(base) - 1
        assert end >= 0
        base = base[:end]
    if base == "r":
        flags = os.O_RDONLY
    elif base == "w":
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    elif base == "a":
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND
    elif base == "r+":
        flags = os.O_RDWR
    elif base == "w+":
        flags = os.O_RDWR | os.O_CREAT | os.O_TRUNC
    else:
        flags = os.O_RDWR | os.O_CREAT | os.O_APPEND
    fd = os.open(path, flags, 0666)
    readable = base == "r" or base.endswith("+")
    writable = base != "r"
    output = OutputStream(fd) if writable else None
    w_file = W_File(fd, output, readable, writable, False)
    w_file.w_metatable = io_state(interp).w_metatable
    return w_file


def valid_mode(mode):
    base = mode
    if base.endswith("b"):
        end = len(base) - 1
        assert end >= 0
        base = base[:end]
    for candidate in MODES:
        if base == candidate:
            return True
    return False


def lua_open(interp, args):
    path = argcheck.check_string(args, 0, "io.open")
    mode = argcheck.opt_string(args, 1, "io.open", "r")
    if not valid_mode(mode):
        raise argcheck.arg_error(1, "io.open", "invalid mode")
    try:
        return [open_file(interp, path, mode)]
    except OSError as e:
        return error_result("%s: %s" % (path, os.strerror(e.errno)), e.errno)


def read_formats(interp, w_file, args, first, fname):
    if w_file.output is not None:
        w_file.output.flush()
    if w_file.fd == 0:
        interp.stdout.flush()
    if len(args) <= first:
        line = w_file.read_line(False)
        if line is None:
            return [w_nil]
        return [W_PlainString(line)]
    results = []
    for i in range(first, len(args)):
        w_format = args[i]
        if isinstance(w_format, W_Integer):
            count = w_format.intval
            if count == 0:
                if w_file.peek_char() == "":
                    results.append(w_nil)
                    return results
                results.append(W_PlainString(""))
                continue
            data = w_file.read_bytes(count)
            if data is None:
                results.append(w_nil)
                return results
            results.append(W_PlainString(data))
            continue
        fmt = argcheck.check_string(args, i, fname)
        if fmt.startswith("*"):
            fmt = fmt[1:]
        if fmt.startswith("n"):
            w_number = w_file.read_number()
            results.append(w_number)
            if isinstance(w_number, W_Nil):
                return results
        elif fmt.startswith("a"):
            results.append(W_PlainString(w_file.read_all()))
        elif fmt.startswith("l") or fmt.startswith("L"):
            line = w_file.read_line(fmt.startswith("L"))
            if line is None:
                results.append(w_nil)
                return results
            results.append(W_PlainString(line))
        else:
            raise argcheck.arg_error(i, fname, "invalid format")
    return results


def write_values(interp, w_file, args, first, fname):
    for i in range(first, len(args)):
        w_value = args[i]
        if isinstance(w_value, W_Integer):
            w_file.write(str(w_value.intval))
        elif isinstance(w_value, W_Float):
            # io.write uses "%.14g" without the ".0" that tostring adds
            w_file.write(luanumber.format_g14(w_value.floatval))
        else:
            w_file.write(argcheck.check_string(args, i, fname))
    return [w_file]


def lua_read(interp, args):
    w_file = io_state(interp).w_input
    assert isinstance(w_file, W_File)
    return read_formats(interp, w_file, args, 0, "io.read")


def lua_write(interp, args):
    w_file = io_state(interp).w_output
    assert isinstance(w_file, W_File)
    return write_values(interp, w_file, args, 0, "io.write")


def file_read(interp, args):
    return read_formats(interp, check_file(args, 0, "read"), args, 1, "read")


def file_write(interp, args):
    w_file = check_file(args, 0, "write")
    if not w_file.writable:
        return error_result("Bad file descriptor", 9)
    return write_values(interp, w_file, args, 1, "write")


def file_close(interp, args):
    if len(args) == 0:
        w_file = io_state(interp).w_output
        assert isinstance(w_file, W_File)
    else:
        w_file = check_file(args, 0, "close")
    if w_file.is_standard:
        return [w_nil, W_PlainString("cannot close standard file")]
    w_file.close()
    return [w_true]


def file_flush(interp, args):
    w_file = check_file(args, 0, "flush")
    if w_file.output is not None:
        w_file.output.flush()
    return [w_file]


def lua_flush(interp, args):
    w_file = io_state(interp).w_output
    assert isinstance(w_file, W_File)
    return file_flush(interp, [w_file])


def file_seek(interp, args):
    w_file = check_file(args, 0, "seek")
    whence_name = argcheck.opt_string(args, 1, "seek", "cur")
    offset = argcheck.opt_int(args, 2, "seek", 0)
    if whence_name == "set":
        whence = os.SEEK_SET
    elif whence_name == "cur":
        whence = os.SEEK_CUR
    elif whence_name == "end":
        whence = os.SEEK_END
    else:
        raise argcheck.arg_error(1, "seek", "invalid option '%s'" % whence_name)
    try:
        position = w_file.seek_to(offset, whence)
    except OSError as e:
        return error_result(os.strerror(e.errno), e.errno)
    return [w_int(position)]


def file_setvbuf(interp, args):
    w_file = check_file(args, 0, "setvbuf")
    mode = argcheck.check_string(args, 1, "setvbuf")
    if w_file.output is not None and w_file.fd != 1:
        w_file.output.buffered = mode != "no"
    return [w_true]


class W_LinesIterator(W_Builtin):
    _attrs_ = ["w_file", "formats", "close_at_eof"]

    def __init__(self, w_file, formats, close_at_eof):
        W_Builtin.__init__(self, "lines_iterator", lua_read)
        self.w_file = w_file
        self.formats = formats
        self.close_at_eof = close_at_eof

    def invoke(self, interp, args):
        if self.w_file.closed:
            raise LuaRuntimeError("file is already closed")
        results = read_formats(interp, self.w_file, [self.w_file] + self.formats,
                               1, "lines")
        if len(results) == 0 or isinstance(results[0], W_Nil):
            if self.close_at_eof:
                self.w_file.close()
        return results


def file_lines(interp, args):
    w_file = check_file(args, 0, "lines")
    return [W_LinesIterator(w_file, args[1:], False)]


def lua_lines(interp, args):
    if isinstance(argcheck.get(args, 0), W_Nil):
        w_file = io_state(interp).w_input
        assert isinstance(w_file, W_File)
        return [W_LinesIterator(w_file, [], False)]
    path = argcheck.check_string(args, 0, "io.lines")
    try:
        w_file = open_file(interp, path, "r")
    except OSError as e:
        raise LuaRuntimeError("%s: %s" % (path, os.strerror(e.errno)))
    return [W_LinesIterator(w_file, args[1:], True), w_nil, w_nil, w_file]


def lua_close(interp, args):
    return file_close(interp, args)


def lua_type(interp, args):
    w_value = argcheck.check_any(args, 0, "io.type")
    if isinstance(w_value, W_File):
        return [W_PlainString("closed file" if w_value.closed else "file")]
    return [w_nil]


def set_default(interp, args, fname, mode):
    state = io_state(interp)
    w_arg = argcheck.get(args, 0)
    if isinstance(w_arg, W_String):
        try:
            w_file = open_file(interp, w_arg.as_str(), mode)
        except OSError as e:
            raise LuaRuntimeError("%s: %s" % (w_arg.as_str(), os.strerror(e.errno)))
        w_arg = w_file
    elif not isinstance(w_arg, W_Nil):
        check_file(args, 0, fname)
    if isinstance(w_arg, W_File):
        if mode == "r":
            state.w_input = w_arg
        else:
            state.w_output = w_arg
    if mode == "r":
        return [state.w_input]
    return [state.w_output]


def lua_input(interp, args):
    return set_default(interp, args, "io.input", "r")


def lua_output(interp, args):
    return set_default(interp, args, "io.output", "w")


def lua_popen(interp, args):
    argcheck.check_string(args, 0, "io.popen")
    raise LuaRuntimeError("'popen' not supported")


def lua_tmpfile(interp, args):
    from targets.lua.lib_os import lua_tmpname
    w_name = lua_tmpname(interp, [])[0]
    assert isinstance(w_name, W_String)
    w_file = open_file(interp, w_name.as_str(), "w+")
    os.unlink(w_name.as_str())
    return [w_file]


def file_tostring(interp, args):
    w_file = argcheck.get(args, 0)
    if isinstance(w_file, W_File):
        if w_file.closed:
            return [W_PlainString("file (closed)")]
        return [W_PlainString("file (%s)" % operators.address_of(w_file))]
    return [W_PlainString("file")]


def file_gc(interp, args):
    w_file = argcheck.get(args, 0)
    if isinstance(w_file, W_File) and not w_file.closed and not w_file.is_standard:
        w_file.close()
    return []


def install(interp):
    w_methods = W_Table()
    for name, fn in [("read", file_read), ("write", file_write),
                     ("close", file_close), ("flush", file_flush),
                     ("seek", file_seek), ("setvbuf", file_setvbuf),
                     ("lines", file_lines)]:
        register(interp, name, fn, w_methods)
    w_metatable = W_Table()
    w_metatable.set_str("__index", w_methods)
    w_metatable.set_str("__name", W_PlainString("FILE*"))
    register(interp, "__tostring", file_tostring, w_metatable)
    register(interp, "__close", file_gc, w_metatable)
    register(interp, "__gc", file_gc, w_metatable)
    w_stdin = W_File(0, None, True, False, True)
    w_stdout = W_File(1, interp.stdout, False, True, True)
    w_stderr = W_File(2, interp.stderr, False, True, True)
    for w_file in [w_stdin, w_stdout, w_stderr]:
        w_file.w_metatable = w_metatable
    interp.io_state = IOState(w_metatable, w_stdin, w_stdout, w_stderr)
    w_io = W_Table()
    for name, fn in [("open", lua_open), ("read", lua_read),
                     ("write", lua_write), ("lines", lua_lines),
                     ("close", lua_close), ("type", lua_type),
                     ("input", lua_input), ("output", lua_output),
                     ("popen", lua_popen), ("tmpfile", lua_tmpfile),
                     ("flush", lua_flush)]:
        register(interp, name, fn, w_io)
    w_io.set_str("stdin", w_stdin)
    w_io.set_str("stdout", w_stdout)
    w_io.set_str("stderr", w_stderr)
    interp.w_globals.set_str("io", w_io)
    interp.w_loaded.set_str("io", w_io)
