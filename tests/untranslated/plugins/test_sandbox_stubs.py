"""Signature text of sandbox stubs (docs/protocol.md section 2)."""
import pytest

from rpython.rtyper.lltypesystem import lltype, llmemory, rffi

from translator_plugins.sandbox.stubs import UnsupportedSignature, kind_of, signature_of


def external(name, args, result):
    return rffi.llexternal(name, args, result, _nowrapper=True)._obj


def test_kinds_of_low_level_types():
    assert kind_of(lltype.Signed) == 'i'
    assert kind_of(rffi.UINT) == 'i'
    assert kind_of(lltype.Char) == 'i'
    assert kind_of(lltype.Bool) == 'i'
    assert kind_of(lltype.Float) == 'f'
    assert kind_of(rffi.CCHARP) == 'p'
    assert kind_of(llmemory.Address) == 'p'
    assert kind_of(lltype.Void) == 'v'


def test_signature_of_write():
    fn = external('write', [rffi.INT, rffi.CCHARP, rffi.SIZE_T], rffi.SSIZE_T)
    assert signature_of(fn) == 'write(ipi)i'


def test_signature_with_float_and_void_result():
    fn = external('set_level', [lltype.Float, rffi.VOIDP], lltype.Void)
    assert signature_of(fn) == 'set_level(fp)v'


def test_struct_by_value_is_refused():
    S = lltype.Struct('S', ('x', lltype.Signed))
    with pytest.raises(UnsupportedSignature) as e:
        kind_of(S)
    assert 'S' in str(e.value)


def test_overlong_signature_is_refused():
    fn = external('f' * 260, [], lltype.Signed)
    with pytest.raises(UnsupportedSignature):
        signature_of(fn)
