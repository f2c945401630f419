"""The sandbox graph checker: runs once, right after rtyping.

A sandboxed binary is only as safe as the code inside it: a program that
writes raw memory, forges GC pointers from integers, or calls a C function
that was declared "sandbox-safe" without being so could escape without ever
sending a request.  The checker walks every low-level graph and rejects:

1. raw memory writes outside GC objects (``raw_store``, ``raw_memcopy``,
   ``raw_memclear``, ``raw_memset``, ``raw_free`` and field or item stores
   into non-GC structures and arrays);
2. casts that make a GC pointer out of an integer or an address;
3. calls to sandbox-safe externals that nobody reviewed (``REVIEWED_EXTERNALS``
   below, plus the names a program adds with ``review.reviewed_external``).

Code of the RPython toolchain itself (modules under ``rpython.``) is the
reviewed standard library and may do 1 and 2; rule 3 applies everywhere,
because an llexternal's wrapper is generated inside ``rpython.`` whoever
declared it.  A program's own helpers that need 1 or 2 are let through with
the ``review.trusted`` decorator, which states why; the report names every
offending function so that the decision is explicit.
"""

from rpython.rtyper.lltypesystem import lltype, llmemory

from translator_plugins.sandbox.stubs import RUNTIME_NAMES

RAW_WRITE_OPS = frozenset([
    'raw_store', 'raw_memcopy', 'raw_memmove', 'raw_memclear', 'raw_memset', 'raw_free',
])
STORE_OPS = frozenset([
    'setfield', 'bare_setfield', 'setarrayitem', 'bare_setarrayitem',
    'setinteriorfield', 'bare_setinteriorfield',
])
CAST_TO_GC_OPS = frozenset([
    'cast_int_to_ptr', 'cast_adr_to_ptr', 'cast_opaque_ptr', 'force_cast',
])

# Sandbox-safe externals of RPython's runtime, reviewed: they compute or move
# memory RPython already owns and perform no system call of their own.
REVIEWED_EXTERNALS = frozenset([
    # memory primitives used by RPython's own helpers
    'memcpy', 'memmove', 'memset', 'memcmp', 'strlen', 'strnlen',
    # float formatting and parsing (rdtoa) and libm (ll_math)
    '_PyPy_dg_strtod', '_PyPy_dg_dtoa', '_PyPy_dg_freedtoa',
    'acos', 'asin', 'atan', 'atan2', 'ceil', 'cos', 'cosh', 'exp', 'fabs', 'floor',
    'fmod', 'frexp', 'hypot', 'ldexp', 'log', 'log10', 'log1p', 'expm1', 'modf', 'pow',
    'sin', 'sinh', 'sqrt', 'tan', 'tanh', 'copysign', 'atanh', 'asinh', 'acosh',
    'pypy__isnan', 'pypy__isinf', 'pypy__isfinite', 'pypy__llong_mul_ovf',
    # errno is thread-local state of the C library, read and set in-process
    'get_errno', 'set_errno',
    # the GIL: a sandboxed binary has no threads, these only touch a variable
    'RPyGilAcquire', 'RPyGilRelease', 'RPyGilYieldThread', 'RPyGilAcquireSlowPath',
    # the stack-overflow detector's limits (rpython.rlib.rstack): variables
    'LL_stack_set_length_fraction', 'LL_stack_get_end_adr', 'LL_stack_get_length_adr',
    'LL_stack_criticalcode_start', 'LL_stack_criticalcode_stop',
]) | RUNTIME_NAMES      # the sandbox runtime itself (runtime.c)


# Externals RPython declares without sandboxsafe=True although they are pure
# computations (C macros): the sandbox keeps them in-process instead of
# making each one a request.
PURE_UNMARKED_EXTERNALS = frozenset([
    'pypy__rotateLeft',
    # the JIT's code map: a skip list in the child's memory mapping machine
    # code addresses to jitcode positions (jit/backend/llsupport/src/codemap.c)
    'pypy_jit_codemap_add', 'pypy_jit_codemap_del', 'pypy_find_codemap_at_addr',
    'pypy_yield_codemap_at_addr',
    # stacklets (rpython.rlib.rstacklet, used for coroutines): they switch C
    # stacks inside the child and allocate them with malloc
    'stacklet_newthread', 'stacklet_deletethread', 'stacklet_new', 'stacklet_switch',
    'stacklet_destroy',
])


class SandboxViolation(Exception):
    """The program does something a sandboxed program must not do."""


def _module_of(graph):
    func = getattr(graph, 'func', None)
    return getattr(func, '__module__', None) or ''


def _is_trusted(graph):
    func = getattr(graph, 'func', None)
    if getattr(func, '_rplug_sandbox_trusted_', None):
        return True
    module = _module_of(graph)
    return module == 'rpython' or module.startswith('rpython.')


def _is_gc_ptr(TYPE):
    return isinstance(TYPE, lltype.Ptr) and TYPE.TO._gckind == 'gc'


def _stores_outside_gc(op):
    if op.opname in RAW_WRITE_OPS:
        return True
    if op.opname in STORE_OPS:
        container = op.args[0].concretetype
        return isinstance(container, lltype.Ptr) and container.TO._gckind != 'gc'
    return False


def _casts_to_gc(op):
    if op.opname not in CAST_TO_GC_OPS or not _is_gc_ptr(op.result.concretetype):
        return False
    source = op.args[-1].concretetype
    return not _is_gc_ptr(source) or op.opname == 'force_cast'


def _called_external(op):
    if op.opname != 'direct_call':
        return None
    target = op.args[0]
    if not hasattr(target, 'value'):
        return None
    try:
        fnobj = target.value._obj
    except (AttributeError, lltype.DelayedPointer):
        return None
    if getattr(fnobj, 'external', None) == 'C' and getattr(fnobj, '_safe_not_sandboxed', False):
        return fnobj._name
    return None


def _graph_name(graph):
    func = getattr(graph, 'func', None)
    if func is not None:
        code = getattr(func, 'func_code', None)
        where = ' (%s:%d)' % (code.co_filename, code.co_firstlineno) if code else ''
        return '%s.%s%s' % (_module_of(graph), func.__name__, where)
    return graph.name


def find_violations(graphs, reviewed_externals):
    """(function description, problem) pairs for every offending operation."""
    problems = []
    for graph in graphs:
        trusted = _is_trusted(graph)
        for block in graph.iterblocks():
            for op in block.operations:
                external = _called_external(op)
                if external is not None and external not in reviewed_externals:
                    problems.append((_graph_name(graph),
                                     'calls the unreviewed sandbox-safe external %s()' % external))
                if trusted:
                    continue
                if _stores_outside_gc(op):
                    problems.append((_graph_name(graph),
                                     'writes raw memory outside GC objects (%s)' % op.opname))
                elif _casts_to_gc(op):
                    problems.append((_graph_name(graph),
                                     'makes a GC pointer from a non-GC value (%s)' % op.opname))
    return problems


def check_translator(translator):
    from translator_plugins.sandbox.review import program_reviewed_externals
    reviewed = REVIEWED_EXTERNALS | program_reviewed_externals()
    problems = find_violations(translator.graphs, reviewed)
    if problems:
        seen = set()
        lines = []
        for where, what in problems:
            if (where, what) not in seen:
                seen.add((where, what))
                lines.append('  %s: %s' % (where, what))
        raise SandboxViolation(
            'the sandbox checker rejected %d operation(s); mark reviewed helpers with '
            'translator_plugins.sandbox.review.trusted(why) or review an external with '
            'reviewed_external(name, why), or translate with --sandbox-check=off:\n%s'
            % (len(lines), '\n'.join(lines)))
