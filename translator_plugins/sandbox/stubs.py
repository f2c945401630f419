"""Stubs that turn an external C call into a request to the controller.

Runs at C database creation: when the database meets an external function
that is not sandbox-safe, the function object gets a low-level graph (the
stub) instead of its C symbol, so every reference to it -- direct calls from
RPython code, calls through a function pointer, and residual calls emitted
by the JIT -- reaches the stub.  The stub packs its arguments with
``rpy_sandbox_arg_<kind>`` and waits for the result with
``rpy_sandbox_res_<kind>`` (runtime.c); the signature text it sends is
``name(argkinds)resultkind`` as docs/protocol.md section 2 defines.
"""
import os

from rpython.rlib.unroll import unrolling_iterable
from rpython.rtyper.annlowlevel import MixLevelHelperAnnotator
from rpython.rtyper.llannotation import lltype_to_annotation
from rpython.rtyper.lltypesystem import lltype, llmemory, rffi
from rpython.translator.tool.cbuild import ExternalCompilationInfo

HERE = os.path.dirname(os.path.abspath(__file__))
MAX_SIGNATURE = 255       # one length byte on the wire (protocol.md section 2)


class UnsupportedSignature(Exception):
    """An external takes or returns a type the protocol cannot carry."""


def kind_of(TYPE):
    """The protocol letter for a low-level type (protocol.md section 2)."""
    if TYPE is lltype.Void:
        return 'v'
    if isinstance(TYPE, lltype.Ptr) or TYPE == llmemory.Address:
        return 'p'
    if isinstance(TYPE, lltype.Primitive):
        if TYPE in (lltype.Float, lltype.SingleFloat, lltype.LongFloat):
            return 'f'
        return 'i'
    raise UnsupportedSignature(str(TYPE))


def signature_of(fnobj):
    FUNCTYPE = lltype.typeOf(fnobj)
    try:
        args = ''.join([kind_of(ARG) for ARG in FUNCTYPE.ARGS])
        result = kind_of(FUNCTYPE.RESULT)
    except UnsupportedSignature as e:
        raise UnsupportedSignature(
            'external function %s has an argument or result of type %s, which the '
            'sandbox protocol cannot carry (only integers, floats and pointers)'
            % (fnobj._name, e))
    signature = '%s(%s)%s' % (fnobj._name, args, result)
    if len(signature) > MAX_SIGNATURE:
        raise UnsupportedSignature('signature %r is longer than %d bytes'
                                   % (signature, MAX_SIGNATURE))
    return signature


RUNTIME_HEADER = os.path.join(HERE, 'runtime.h')
_runtime_eci = ExternalCompilationInfo(includes=[RUNTIME_HEADER])


def _runtime_external(name, ARGS, RESULT):
    return rffi.llexternal(name, ARGS, RESULT, compilation_info=_runtime_eci,
                           sandboxsafe=True, _nowrapper=True)


SEND_ARG = {
    'i': _runtime_external('rpy_sandbox_arg_i', [lltype.UnsignedLongLong], lltype.Void),
    'f': _runtime_external('rpy_sandbox_arg_f', [lltype.Float], lltype.Void),
    'p': _runtime_external('rpy_sandbox_arg_p', [llmemory.Address], lltype.Void),
}
AWAIT_RESULT = {
    'v': _runtime_external('rpy_sandbox_res_v', [rffi.CCHARP], lltype.Void),
    'i': _runtime_external('rpy_sandbox_res_i', [rffi.CCHARP], lltype.UnsignedLongLong),
    'f': _runtime_external('rpy_sandbox_res_f', [rffi.CCHARP], lltype.Float),
    'p': _runtime_external('rpy_sandbox_res_p', [rffi.CCHARP], llmemory.Address),
}
RUNTIME_NAMES = frozenset(f._obj._name for f in SEND_ARG.values() + AWAIT_RESULT.values())


def build_stub(fnobj, rtyper):
    """A low-level function pointer implementing fnobj through the protocol."""
    FUNCTYPE = lltype.typeOf(fnobj)
    signature = signature_of(fnobj)
    arg_kinds = signature[signature.index('(') + 1:signature.index(')')]
    result_kind = signature[-1]
    sends = unrolling_iterable([
        (index, SEND_ARG[kind], lltype.typeOf(SEND_ARG[kind]).TO.ARGS[0])
        for index, kind in enumerate(arg_kinds) if kind != 'v'])
    await_result = AWAIT_RESULT[result_kind]
    RESULT = FUNCTYPE.RESULT
    signature_text = rffi.str2charp(signature, track_allocation=False)

    def stub(*args):
        for index, send, ARG in sends:
            send(rffi.cast(ARG, args[index]))
        result = await_result(signature_text)
        if RESULT is not lltype.Void:
            return rffi.cast(RESULT, result)
    stub.__name__ = 'sandboxed_%s' % (fnobj._name,)

    args_s = [lltype_to_annotation(ARG) for ARG in FUNCTYPE.ARGS]
    s_result = lltype_to_annotation(RESULT)
    annhelper = MixLevelHelperAnnotator(rtyper)
    graph = annhelper.getgraph(stub, args_s, s_result)
    annhelper.finish()
    annhelper.backend_optimize()
    return graph, signature
