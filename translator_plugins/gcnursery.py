"""The ``gcnursery`` plugin: ``rplug translate --gc-nursery=SIZE`` sets the
smallest nursery the translated GC (incminimark) picks by itself.

Stock RPython sizes the nursery at start-up from the L2 cache that
/proc/cpuinfo reports: half of it above 2 MB, else 1 MB.  Programs that
build many objects which live a little longer than a nursery's worth of
allocation (the trees of a recursive builder, the records of a sort) get
them copied out and later marked and swept by major collections; a larger
nursery lets most of them die young.  This plugin acts before annotation
(the GC is annotated later, with the C database): it replaces the GC's
estimate with max(stock estimate, SIZE).  PYPY_GC_NURSERY still wins at run
time, as with any RPython binary.
"""
from translator_plugins.registry import Option, Plugin

SIZES = {'1MB': 1 << 20, '2MB': 2 << 20, '4MB': 4 << 20, '8MB': 8 << 20,
         '16MB': 16 << 20}


def at_least(estimate, minimum):
    """The GC's nursery estimate, raised to `minimum` bytes (RPython)."""
    def estimate_best_nursery_size():
        return max(estimate(), minimum)
    return estimate_best_nursery_size


class GCNurseryPlugin(Plugin):
    name = 'gcnursery'
    description = 'the smallest nursery the translated GC chooses at start-up'
    options = (
        Option('--gc-nursery', 'smallest nursery size (PYPY_GC_NURSERY overrides it)',
               choices=sorted(SIZES, key=SIZES.get), default='1MB', enables=True),
    )

    def before_annotation(self, driver):
        from rpython.memory.gc import env
        minimum = SIZES[self.values['gc_nursery']]
        env.estimate_best_nursery_size = at_least(env.estimate_best_nursery_size,
                                                  minimum)


PLUGIN = GCNurseryPlugin()
