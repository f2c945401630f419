"""A sandboxed PyPy from an unmodified PyPy checkout (translate with --sandbox).

This thin target wraps PyPy's own ``pypy/goal/targetpypystandalone.py`` from
the checkout given to ``rplug translate --rpython CHECKOUT``; nothing of PyPy
is copied here and the checkout is never edited.  What it changes, before
PyPy's ``target()`` runs, and why:

- PyPy refuses RPython's ``--sandbox`` (``assert 0`` in its target).  rplug's
  sandbox plugin never turns on RPython's ``translation.sandbox`` (it works at
  C database time instead), so the refusal is not reached; this target applies
  what that branch would have applied, and what the protocol requires:
- no threads, no ``_continuation`` (the protocol has one channel, and the
  stacklet/thread C helpers make system calls the seccomp filter kills);
- ``allworkingmodules`` off: only PyPy's default modules plus ``struct`` and
  ``binascii`` (``EXTRA_MODULES``: pure computation, and ``json`` and
  ``base64`` cannot be imported without them), none with C helpers of its own (no cpyext, no _cffi_backend: those load native code
  and would make PyPy's target run the binary after compiling it);
- no embedding entry points (``disable_entrypoints``): a sandboxed process is
  only ever started as a program;
- ``lonepycfiles`` off: a ``.pyc`` without its ``.py`` is never imported;
- PyPy's plain ``ActionFlag`` (used without the signal module) gets the
  ``rearm_ticker`` method the annotator needs (``complete_plain_action_flag``);
- ``translation.shared`` off: one self-contained executable (a
  ``libpypy-c.so`` beside it would be loaded before the controller is in
  charge), which is also what lets ``rplug translate --output`` work (PyPy
  refuses ``--output`` with ``--shared``, its issue #1971);
- the executable is named ``pypy-c-sandbox``.

The sandbox checker (translator_plugins/sandbox/checker.py) runs as for any
program.  It flags a handful of PyPy's functions (raw writes into buffers the
``time`` module allocates) and sandbox-safe externals (ctype lookups, the
stack-overflow detector, ``setlocale``); ``sandbox_review.py`` reviews each
with its reason and marks it before the checker runs, so anything new fails
the translation, named.  With ``--sandbox-check=off`` the checker still runs,
report only, and prints its findings into the translation log.

The standard library is not in the binary: at start-up PyPy looks for
``lib-python/2.7`` and ``lib_pypy`` beside (or above) its executable; the
controller serves them read-only from the checkout (``rplug run --pypy-home``).

Options after this file are PyPy's own objspace options
(``--withmod-struct``, ...), as for PyPy's target; options that would undo
the list above are refused with an error naming them.
"""
import os
import sys

try:
    import pycparser
except ImportError:
    raise ImportError(
        'translating PyPy needs pycparser in the Python 2.7 environment (PyPy imports it '
        'while flowing its cffi glue): build/py2/bin/pip install -r '
        'targets/pypy/requirements-py2.txt')
del pycparser

try:
    from pypy.goal import targetpypystandalone as pypy_target
except ImportError as e:
    raise ImportError(
        'targets/pypy/targetpypy.py needs a PyPy source checkout: translate with '
        '`rplug translate --rpython CHECKOUT ...` (CHECKOUT holds pypy/ and rpython/); '
        'importing pypy.goal.targetpypystandalone failed: %s' % (e,))

SANDBOX_EXE_NAME = 'pypy-c-sandbox'
# interp-level modules beyond PyPy's defaults: pure computation, no externals
EXTRA_MODULES = ('struct', 'binascii')
# module names that start native code or threads of their own
FORBIDDEN_MODULES = ('thread', 'cpyext', '_cffi_backend', '_continuation', 'signal',
                     '_vmprof', 'faulthandler', '_rawffi', '_cppyy', '_multiprocessing',
                     '_socket', 'select', 'mmap', 'fcntl', 'termios', '_minimal_curses')


class SandboxConfigError(Exception):
    """An option asks for something a sandboxed PyPy cannot have."""


def _sandbox_requested():
    # the sandbox plugin is enabled by --sandbox on the rplug command line
    try:
        from translator_plugins.sandbox import PLUGIN
    except ImportError:
        return False
    return PLUGIN.enabled


def configure_for_sandbox(config):
    """Set the options listed in the module docstring (before PyPy's target)."""
    config.translation.thread = False
    config.translation.continuation = False
    config.translation.shared = False
    config.objspace.allworkingmodules = False
    config.objspace.lonepycfiles = False
    config.objspace.disable_entrypoints = True
    for name in FORBIDDEN_MODULES:
        option = getattr(config.objspace.usemodules, name, None)
        if option is not None:
            setattr(config.objspace.usemodules, name, False)
    for name in EXTRA_MODULES:
        setattr(config.objspace.usemodules, name, True)


def complete_plain_action_flag():
    """Give PyPy's plain ActionFlag the ``rearm_ticker`` the signal module's has.

    Without the signal module PyPy uses ``executioncontext.ActionFlag``, which
    lacks ``rearm_ticker``; ``__pypy__._raise_in_thread`` calls it, so the
    annotator stops there.  Setting the ticker to -1 makes the next bytecode
    check run the pending actions, which is what the method means.
    """
    from pypy.interpreter.executioncontext import ActionFlag
    if not hasattr(ActionFlag, 'rearm_ticker'):
        def rearm_ticker(self):
            self._ticker = -1
        ActionFlag.rearm_ticker = rearm_ticker


def check_sandbox_config(config):
    """After PyPy's target parsed its own arguments: nothing undid the list."""
    wrong = []
    if config.translation.thread:
        wrong.append('translation.thread')
    if config.translation.continuation:
        wrong.append('translation.continuation')
    if config.translation.shared:
        wrong.append('translation.shared')
    for name in FORBIDDEN_MODULES:
        if getattr(config.objspace.usemodules, name, False):
            wrong.append('--withmod-%s' % name)
    if wrong:
        raise SandboxConfigError(
            'targets/pypy/targetpypy.py --sandbox: these options cannot be used in a '
            'sandboxed PyPy (threads, native code or a second channel): %s'
            % ', '.join(wrong))


def _plugin_values():
    from translator_plugins.sandbox import PLUGIN
    return PLUGIN.values


def report_checker_findings(driver):
    """Run the sandbox checker without failing; print its findings into the log."""
    from translator_plugins.sandbox.checker import REVIEWED_EXTERNALS, find_violations
    from translator_plugins.sandbox.review import program_reviewed_externals
    try:
        problems = find_violations(driver.translator.graphs,
                                   REVIEWED_EXTERNALS | program_reviewed_externals())
    except Exception as e:      # a report must never stop the translation
        print('[targetpypy] sandbox checker report failed: %r' % (e,))
        return
    lines = sorted(set('%s: %s' % problem for problem in problems))
    functions = set(where for where, _ in problems)
    print('[targetpypy] sandbox checker, report only (--sandbox-check=off): %d finding(s) '
          'in %d function(s) of %d graphs' % (len(lines), len(functions),
                                             len(driver.translator.graphs)))
    for line in lines:
        print('[targetpypy]   ' + line)
    sys.stdout.flush()


def _install_checker_report():
    from translator_plugins.sandbox import PLUGIN
    original = PLUGIN.after_rtyping

    def after_rtyping(driver):
        original(driver)
        report_checker_findings(driver)
    PLUGIN.after_rtyping = after_rtyping


def target(driver, args):
    if _sandbox_requested():
        configure_for_sandbox(driver.config)
        complete_plain_action_flag()
        if _plugin_values().get('sandbox_check') == 'off':
            _install_checker_report()
        else:
            import sandbox_review
            sandbox_review.apply()
    result = pypy_target.target(driver, args)
    if _sandbox_requested():
        check_sandbox_config(driver.config)
        driver.exe_name = SANDBOX_EXE_NAME
    return result


# everything else is PyPy's target unchanged
take_options = pypy_target.take_options
handle_config = pypy_target.handle_config
print_help = pypy_target.print_help
jitpolicy = pypy_target.jitpolicy
get_entry_point = pypy_target.get_entry_point
get_additional_config_options = pypy_target.get_additional_config_options
get_gchooks = pypy_target.get_gchooks
