"""Signatures (docs/protocol.md section 2), the handler decorator and pointers."""
import pytest

from sandbox.calls import NULL, BadSignature, Ptr, Signature, signature


def test_signature_splits_name_arguments_and_result():
    parsed = Signature("write(ipi)i")
    assert (parsed.name, parsed.argcodes, parsed.rescode) == ("write", "ipi", "i")


def test_signature_without_arguments_and_void_result():
    parsed = Signature("sync()v")
    assert (parsed.name, parsed.argcodes, parsed.rescode) == ("sync", "", "v")


@pytest.mark.parametrize("text", [
    "(i)i",            # empty name
    "write ipi)i",     # no '('
    "write(ipi",       # no ')'
    "write(ipi)",      # no result code
    "write(ipi)ii",    # result code not the last byte
    "write(ipx)i",     # argument code outside ifpv
    "write(ipi)x",     # result code outside ifpv
    "wr(ite(ipi)i",    # misplaced '('
    "write)(ipi)i",    # misplaced ')'
    "1write(i)i",      # not a C identifier
    "wr-ite(i)i",
    "écrire(i)i",      # not ASCII
])
def test_bad_signatures_are_rejected(text):
    with pytest.raises(BadSignature):
        Signature(text)


def test_handler_must_be_named_after_its_function():
    with pytest.raises(TypeError, match="named after"):
        @signature("open(pii)i")
        def open_file(self, path, flags, mode):
            return 0


def test_decorator_rejects_bad_signature_text_at_import_time():
    with pytest.raises(BadSignature):
        @signature("open(pii")
        def open(self, path, flags, mode):
            return 0


def test_pointer_shows_as_hex_and_null():
    assert repr(Ptr(0x1000)) == "0x1000"
    assert repr(NULL) == "NULL"
    assert Ptr(5) + 1 == 6
