"""What a handler sees: signatures, child pointers and errno for the child.

A handler is a method named after the C function it answers and tagged with
the exact request signature it serves (docs/protocol.md section 2)::

    @signature("open(pii)i")
    def open(self, path_ptr, flags, mode): ...

Arguments arrive decoded: ``i`` as a Python int (read as signed), ``f`` as a
float, ``p`` as a ``Ptr``; ``v`` arguments carry no value and are not passed.
The handler returns an int, float or ``Ptr`` as the result code asks, or None
for a ``v`` function.  To make the call fail inside the child it raises
``OSErrorToChild(errno.ENOENT)``: the controller sends ``E`` then the failure
result (-1, or NULL for a pointer function).
"""
import string

CODES = "ifpv"
_IDENTIFIER_START = string.ascii_letters + "_"
_IDENTIFIER_REST = _IDENTIFIER_START + string.digits


class BadSignature(ValueError):
    """A signature text breaks the rules of docs/protocol.md section 2."""


class Signature:
    """A parsed request signature such as ``write(ipi)i``."""

    __slots__ = ("text", "name", "argcodes", "rescode")

    def __init__(self, text):
        self.text = text
        self.name, self.argcodes, self.rescode = _split_signature(text)

    def __repr__(self):
        return "Signature(%r)" % self.text

    def __eq__(self, other):
        return isinstance(other, Signature) and other.text == self.text

    def __hash__(self):
        return hash(self.text)


def _split_signature(text):
    """(name, argcodes, rescode) of ``text``, or BadSignature saying what is wrong."""
    if not text.isascii():
        raise BadSignature("signature %r is not ASCII" % text)
    open_paren = text.find("(")
    if open_paren < 0:
        raise BadSignature("signature %r has no '('" % text)
    name = text[:open_paren]
    if not name:
        raise BadSignature("signature %r has an empty name" % text)
    if name[0] not in _IDENTIFIER_START or any(c not in _IDENTIFIER_REST for c in name):
        raise BadSignature("signature %r: name %r is not a C identifier" % (text, name))
    close_paren = text.find(")", open_paren + 1)
    if close_paren < 0:
        raise BadSignature("signature %r has no ')'" % text)
    argcodes = text[open_paren + 1:close_paren]
    for code in argcodes:
        if code not in CODES:
            raise BadSignature("signature %r: argument code %r is not one of %s"
                               % (text, code, CODES))
    rescode = text[close_paren + 1:]
    if len(rescode) != 1 or rescode not in CODES:
        raise BadSignature("signature %r: after ')' must come exactly one result code "
                           "out of %s, and nothing else" % (text, CODES))
    return name, argcodes, rescode


def signature(text):
    """Mark a method as the handler of the request ``text``.

    The method name must be the C name, so that the controller reads like a
    table of system calls and ``grep 'def open'`` finds the handler.
    """
    parsed = Signature(text)

    def mark(function):
        if function.__name__ != parsed.name:
            raise TypeError("handler %s is tagged %r: a handler is named after the C "
                            "function it answers" % (function.__name__, text))
        function.sandbox_signature = parsed
        return function
    return mark


class Ptr(int):
    """An address in the child's memory (never dereferenced by the controller)."""

    __slots__ = ()

    def __repr__(self):
        return "NULL" if self == 0 else "0x%x" % self

    __str__ = __repr__


NULL = Ptr(0)


class OSErrorToChild(Exception):
    """Make the current call fail in the child with ``errno``.

    ``result`` is what the C function returns on failure; by default -1 for
    integer functions, NULL for pointer functions, -1.0 for float functions.
    """

    def __init__(self, errno, result=None):
        super().__init__(errno)
        self.errno = errno
        self.result = result
