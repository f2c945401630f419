"""The ``gcnursery`` plugin: ``rplug translate --gc-nursery=SIZE`` sets the
nursery the translated GC (incminimark) picks by itself.

Stock RPython sizes the nursery at start-up from the "cache size" line of
/proc/cpuinfo: half of it above 2 MB, else 1 MB.  That line is the L2 cache
on some CPUs and the whole shared L3 on others (Intel under Linux 6.x), so
the same binary takes 1 MB on one machine and 240 MB on another (a VM here
reports a 480 MB L3: every process then touches up to 240 MB of nursery
before its first minor collection).  Programs that build many objects
which live a little longer than a nursery's worth of allocation (the trees
of a recursive builder, the records of a sort) get them copied out and
later marked and swept by major collections; a few MB lets most of them
die young while staying near the cache.  This plugin acts before
annotation (the GC is annotated later, with the C database): it replaces
the GC's estimate with SIZE, whatever the machine says.  PYPY_GC_NURSERY
still wins at run time, as with any RPython binary.
"""
from translator_plugins.registry import Option, Plugin

SIZES = {'1MB': 1 << 20, '2MB': 2 << 20, '4MB': 4 << 20, '8MB': 8 << 20,
         '16MB': 16 << 20}


def fixed_estimate(size):
    """The GC's nursery estimate: `size` bytes on every machine (RPython)."""
    def estimate_best_nursery_size():
        return size
    return estimate_best_nursery_size


class GCNurseryPlugin(Plugin):
    name = 'gcnursery'
    description = 'the nursery the translated GC chooses at start-up'
    options = (
        Option('--gc-nursery', 'nursery size (PYPY_GC_NURSERY overrides it)',
               choices=sorted(SIZES, key=SIZES.get), default='1MB', enables=True),
    )

    def before_annotation(self, driver):
        from rpython.memory.gc import env
        env.estimate_best_nursery_size = fixed_estimate(SIZES[self.values['gc_nursery']])


PLUGIN = GCNurseryPlugin()
