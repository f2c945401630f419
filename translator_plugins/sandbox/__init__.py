"""The ``sandbox`` plugin: ``rplug translate --sandbox``.

Phases it acts in:
- configure: no threads (the protocol has one channel), and RPython's own
  ``translation.sandbox`` stays False so that none of stock RPython's older
  marshal-based sandbox code (``register_replacement_for(...,
  sandboxed_name=...)`` trampolines, ``rsandbox.get_sandbox_stub``) is used;
- after rtyping: the graph checker (checker.py) rejects programs that do what
  a sandboxed program must not do;
- C database creation: every external function that is not sandbox-safe
  gets a stub graph (stubs.py) that speaks docs/protocol.md;
- extra C sources: the child's runtime (runtime.c), with the dump text of
  every signature the binary may send and the seccomp switch.
"""
import os
import sys

from translator_plugins.registry import Option, Plugin

HERE = os.path.dirname(os.path.abspath(__file__))
PROTOCOL_VERSION = 20001


class SandboxPlugin(Plugin):
    name = 'sandbox'
    description = ('every external C call becomes a request to a controller process '
                   '(docs/protocol.md); run the result with `rplug run`')
    options = (
        Option('--sandbox', 'produce a sandboxed binary', enables=True),
        Option('--sandbox-seccomp', 'install a seccomp-bpf filter at start-up',
               choices=('on', 'off'), default='on'),
        Option('--sandbox-check', 'reject graphs that break the sandbox rules (checker.py)',
               choices=('on', 'off'), default='on'),
    )

    def __init__(self):
        Plugin.__init__(self)
        self.signatures = set()

    def configure(self, config):
        from translator_plugins.sandbox.checker import SandboxViolation
        if config.translation.thread:
            raise SandboxViolation('--sandbox cannot be combined with --thread: the '
                                   'protocol has a single channel to the controller')
        config.translation.sandbox = False
        # RPython's --sandbox turns these on for the bounds checks of RPyItem
        # and RPyField; we get them with RPY_SANDBOXED (extra_c_sources)

    def after_rtyping(self, driver):
        if self.values['sandbox_check'] == 'on':
            from translator_plugins.sandbox.checker import check_translator
            check_translator(driver.translator)

    def make_funcnode(self, db, T, obj, forcename, default):
        from translator_plugins.sandbox.checker import PURE_UNMARKED_EXTERNALS
        from translator_plugins.sandbox.stubs import RUNTIME_NAMES, build_stub
        if getattr(obj, 'external', None) != 'C' or obj._safe_not_sandboxed:
            return None
        if obj._name in RUNTIME_NAMES or obj._name in PURE_UNMARKED_EXTERNALS:
            return None
        graph, signature = build_stub(obj, db.translator.rtyper)
        obj.__dict__['graph'] = graph
        obj.__dict__.pop('external', None)
        obj.__dict__.pop('_safe_not_sandboxed', None)
        self.signatures.add(signature)
        return default(db, T, obj, forcename)

    def input_files(self):
        return [os.path.join(HERE, 'runtime.c'), os.path.join(HERE, 'runtime.h')]

    def extra_c_sources(self, driver):
        from rpython.translator.tool.cbuild import ExternalCompilationInfo
        from rpython.translator.c.support import c_string_constant
        dump = 'Version: %d\nPlatform: %s\nFuncs: %s' % (
            PROTOCOL_VERSION, sys.platform, ' '.join(sorted(self.signatures)))
        with open(os.path.join(HERE, 'runtime.c')) as f:
            runtime = f.read()
        prelude = '#define RPY_SANDBOX_DUMP_TEXT %s\n#define RPY_SANDBOX_SECCOMP %d\n' % (
            c_string_constant(dump).replace('\n', '\\\n'),
            1 if self.values['sandbox_seccomp'] == 'on' else 0)
        return [ExternalCompilationInfo(
            separate_module_sources=[prelude + runtime],
            include_dirs=[HERE],
            compile_extra=['-DRPY_SANDBOXED=1'])]


PLUGIN = SandboxPlugin()
