"""The sandbox checker's findings in PyPy's interpreter, reviewed.

``rplug translate --sandbox`` runs the checker (translator_plugins/sandbox/
checker.py) after rtyping.  Over PyPy 2.7 7.3.x with the modules
targetpypy.py allows it flags the functions and externals below and nothing
else (measured with ``--sandbox-check=off``, whose report-only run prints the
findings into the translation log).  Each is reviewed here with the reason it
cannot act outside the child; ``apply()`` marks them for the checker through
the attribute ``review.trusted`` sets and ``review.reviewed_external``, at
translation time, without editing the checkout.  A new finding (another PyPy
version, another module) is not covered and fails the translation, naming it.
"""
import importlib

from translator_plugins.sandbox import review

# (module, function name): why its raw memory writes are safe
TRUSTED_FUNCTIONS = {
    ('pypy.module.time.interp_time', '_gettmarg'):
        'stores app-level ints into the fields of the module\'s own immortal raw '
        'struct tm (glob_buf) and one time_t into a one-item raw array it has just '
        'allocated; no pointer is written',
    ('pypy.module.time.interp_time', '_init_timezone'):
        'stores a time_t into item 0 of a one-item raw array it has just allocated',
    ('pypy.module.time.interp_time', 'ctime'):
        'stores a time_t into item 0 of a one-item raw array it has just allocated',
    ('pypy.module.time.interp_time', 'gmtime'):
        'stores a time_t into item 0 of a one-item raw array it has just allocated',
    ('pypy.module.time.interp_time', 'localtime'):
        'stores a time_t into item 0 of a one-item raw array it has just allocated',
}

# sandbox-safe externals (called in-process): why none makes a system call
REVIEWED_EXTERNALS = {
    'LL_stack_get_end': 'reads a variable of the stack-overflow detector (stack.h)',
    'LL_stack_get_length': 'reads a variable of the stack-overflow detector (stack.h)',
    'LL_stack_too_big_slowpath':
        'compares the stack pointer with limits kept in a thread-local variable '
        '(rpython/translator/c/src/stack.c); no system call',
    'isalnum': 'a lookup in the C library\'s ctype table',
    'tolower': 'a lookup in the C library\'s ctype table',
    'toupper': 'a lookup in the C library\'s ctype table',
    'pypy_tscmp': 'constant-time comparison of two buffers the caller owns '
                  '(pypy/module/operator/tscmp.c)',
    'pypy__singlefloat2uint':
        'a memcpy of a float\'s four bytes into an unsigned int (rpython/rlib/longlong2float.py), '
        'for struct.pack("f"); no system call',
    'localeconv': 'returns the current locale\'s tables, already in memory',
    'nl_langinfo': 'returns a string of the current locale, already in memory',
    'setlocale':
        'glibc takes "" from LANG/LC_* of the real environment, which the controller '
        'leaves empty (the child starts with env={}), so only the built-in "C" locale is '
        'ever selected and no locale file is opened; PyPy calls it to learn the file '
        'system encoding (pypy/module/sys/interp_encoding.py)',
}


class ReviewMismatch(Exception):
    """A reviewed function is not in the checkout (another PyPy version)."""


def apply():
    """Mark the reviewed functions and externals for the checker."""
    for (module_name, function_name), why in sorted(TRUSTED_FUNCTIONS.items()):
        module = importlib.import_module(module_name)
        function = getattr(module, function_name, None)
        if function is None:
            raise ReviewMismatch(
                'targets/pypy/sandbox_review.py reviews %s.%s, which this checkout does not '
                'have: review the checker\'s findings again (--sandbox-check=off prints them '
                'into the log)' % (module_name, function_name))
        review.trusted(why)(getattr(function, 'im_func', function))
    for name, why in sorted(REVIEWED_EXTERNALS.items()):
        review.reviewed_external(name, why)
