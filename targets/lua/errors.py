"""Exceptions that carry Lua errors through the RPython interpreter.

Two layers, because a Lua error message gets its `chunk:line:` prefix from
the place where it was raised, which helpers deep in the object model do
not know:

* `LuaRuntimeError(message)` is raised by helpers (arithmetic on nil,
  indexing a number, ...).  The interpreter loop catches it and turns it into
  a `LuaError` whose value is "chunk:line: message" for the current line.
* `LuaError(w_value)` is a Lua error in flight with any Lua value, the thing
  `pcall` catches.  `traceback` collects a traceback.TracebackEntry per
  level it unwinds, so that an uncaught error can print a stack traceback.
"""


class LuaSyntaxError(Exception):
    """Lexer/parser error; `message` already has the `chunk:line:` prefix."""

    def __init__(self, message):
        self.message = message

    def __str__(self):
        return self.message


class LuaRuntimeError(Exception):
    """Error raised by a helper that does not know the source position."""

    def __init__(self, message):
        self.message = message
        # the builtin that raised it, for the traceback ("[C]: in ...")
        self.w_builtin = None
        self.builtin_call_site = ""

    def __str__(self):
        return self.message


class LuaError(Exception):
    """A Lua error value being propagated (what `error` raises)."""

    def __init__(self, w_value):
        self.w_value = w_value
        self.traceback = []

    def __str__(self):
        return "LuaError(%s)" % (self.w_value.repr_for_debug(),)


class LuaExit(Exception):
    """`os.exit` was called: unwind everything and exit with `status`."""

    def __init__(self, status):
        self.status = status
