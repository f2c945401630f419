"""The explicit review mechanism of the sandbox checker (checker.py).

A program's own code is checked strictly.  When a helper must write raw
memory or cast to a GC pointer, or when a program declares its own
sandbox-safe C function, the author says so here, with a reason that ends up
in the code next to the helper:

    from translator_plugins.sandbox.review import trusted, reviewed_external

    @trusted("fills a raw buffer it allocated itself, bounds checked above")
    def fill(buf, n): ...

    reviewed_external("crc32_update", "pure computation over a caller's buffer")

Both are no-ops without --sandbox.  Importing this module is plain Python
2.7 at translation time; nothing of it is translated.
"""

_reviewed_externals = {}


def trusted(why):
    """Let the checker through this function's own operations (not its callees)."""
    if not why or not why.strip():
        raise ValueError('trusted() needs the reason the helper is safe')

    def mark(func):
        func._rplug_sandbox_trusted_ = why
        return func
    return mark


def reviewed_external(c_name, why):
    """Declare that the sandbox-safe external c_name performs no system call."""
    if not why or not why.strip():
        raise ValueError('reviewed_external() needs the reason the function is safe')
    _reviewed_externals[c_name] = why


def program_reviewed_externals():
    return frozenset(_reviewed_externals)
