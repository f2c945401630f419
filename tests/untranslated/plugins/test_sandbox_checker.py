"""The sandbox graph checker on small rtyped programs (Python 2.7)."""
import pytest

from rpython.rtyper.lltypesystem import lltype, rffi
from rpython.translator.translator import TranslationContext

from translator_plugins.sandbox import checker
from translator_plugins.sandbox.review import trusted


def rtyped_graphs(func, argtypes):
    t = TranslationContext()
    t.buildannotator().build_types(func, argtypes)
    t.buildrtyper().specialize()
    return t.graphs


def problems_of(func, argtypes, reviewed=checker.REVIEWED_EXTERNALS):
    return checker.find_violations(rtyped_graphs(func, argtypes), reviewed)


def poke(n):
    buf = lltype.malloc(rffi.CCHARP.TO, 8, flavor='raw')
    buf[n] = 'x'
    lltype.free(buf, flavor='raw')
    return n


def test_raw_store_in_program_code_is_rejected():
    problems = problems_of(poke, [int])
    assert any('poke' in where and 'writes raw memory' in what for where, what in problems)


@trusted("writes only the buffer it allocated")
def trusted_poke(n):
    buf = lltype.malloc(rffi.CCHARP.TO, 8, flavor='raw')
    buf[0] = 'x'
    lltype.free(buf, flavor='raw')
    return n


def test_trusted_helper_passes():
    problems = problems_of(trusted_poke, [int])
    assert not [p for p in problems if 'trusted_poke' in p[0]]


def test_pure_program_passes():
    def add(a, b):
        return a * 2 + b
    assert problems_of(add, [int, int]) == []


escape = rffi.llexternal('syscall', [rffi.LONG], rffi.LONG, sandboxsafe=True, _nowrapper=True)


def test_unreviewed_sandboxsafe_external_is_rejected():
    def call(n):
        return escape(n)
    problems = problems_of(call, [int])
    assert any('unreviewed sandbox-safe external syscall()' in what for _, what in problems)


def test_reviewed_external_passes():
    def call(n):
        return escape(n)
    problems = problems_of(call, [int], checker.REVIEWED_EXTERNALS | {'syscall'})
    assert problems == []


def test_int_to_gc_pointer_cast_is_rejected():
    S = lltype.GcStruct('S', ('x', lltype.Signed))

    def forge(n):
        p = lltype.cast_int_to_ptr(lltype.Ptr(S), n)
        return p.x
    problems = problems_of(forge, [int])
    assert any('makes a GC pointer' in what for _, what in problems)


def test_trusted_needs_a_reason():
    with pytest.raises(ValueError):
        trusted("  ")
