"""``python -m sandbox run|check ...``: the subcommands without the rplug CLI."""
import sys

from sandbox.cli import main

sys.exit(main())
