"""The ``rplug`` command line (placeholder; filled by the translate front end)."""
def main(argv=None):
    return 0
