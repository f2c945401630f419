"""Where the enabled plugins' hooks are wired into stock RPython.

RPython has no plugin API, so this module is the one place that wraps its
internals: ``TranslationDriver._do`` (every translation task passes through
it: phase markers and the annotation/rtyping/compile hooks) and the C
database's factory for function nodes (``make_funcnode``).  Everything here
works with the PyPI ``rpython`` and with the ``rpython`` tree of a PyPy
checkout, which share these internals.
"""
import sys
import time

PHASE_MARKER = '@@rplug'


def emit(kind, *words):
    """A machine-readable progress line for the Python 3 front end."""
    sys.stdout.write('%s %s %s\n' % (PHASE_MARKER, kind, ' '.join(words)))
    sys.stdout.flush()


def install(plugins):
    """Wrap RPython's driver and C database for the given enabled plugins."""
    _wrap_driver_tasks(plugins)
    _wrap_funcnode_factory(plugins)


def _wrap_driver_tasks(plugins):
    from rpython.translator import driver as driver_module
    TranslationDriver = driver_module.TranslationDriver
    original_do = TranslationDriver._do

    def _do(self, goal, func, *args, **kwds):
        if goal in self.done:
            return original_do(self, goal, func, *args, **kwds)
        if goal == 'annotate':
            for plugin in plugins:
                plugin.before_annotation(self)
        emit('phase', goal, func.task_title.replace(' ', '_'))
        started = time.time()
        result = original_do(self, goal, func, *args, **kwds)
        emit('done', goal, '%.1f' % (time.time() - started))
        if goal == 'rtype_lltype':
            for plugin in plugins:
                plugin.after_rtyping(self)
        elif goal == 'database_c':
            ecis = []
            for plugin in plugins:
                ecis.extend(plugin.extra_c_sources(self))
            if ecis:
                self.cbuilder.merge_eci(*ecis)
        elif goal == 'compile_c' and self.standalone:
            for plugin in plugins:
                plugin.after_compile(self, str(self.c_entryp))
        return result

    TranslationDriver._do = _do


def _wrap_funcnode_factory(plugins):
    from rpython.rtyper.lltypesystem import lltype
    from rpython.translator.c import node as node_module
    default = node_module.ContainerNodeFactory[lltype.FuncType]

    def make_funcnode(db, T, obj, forcename=None):
        for plugin in plugins:
            node = plugin.make_funcnode(db, T, obj, forcename, default)
            if node is not None:
                return node
        return default(db, T, obj, forcename)

    node_module.ContainerNodeFactory[lltype.FuncType] = make_funcnode
