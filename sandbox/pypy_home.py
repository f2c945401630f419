"""PyPy's library home for a sandboxed PyPy (``rplug run --pypy-home CHECKOUT``).

A translated PyPy carries no standard library.  At start-up it takes the
directory of its executable (``argv[0]``, made absolute) and walks up until
one holds both ``lib-python/X.Y`` and ``lib_pypy`` (see
``pypy/module/sys/initpath.py`` in a checkout); that directory becomes
``sys.prefix``.  This mixin gives the child the layout of an installed PyPy,
read-only, from a source checkout:

    /pypy/bin/<binary>     the executable (a placeholder: it stats as an
                           executable regular file and reads as empty; the
                           binary itself is never shown to the child)
    /pypy/lib-python       CHECKOUT/lib-python, read-only
    /pypy/lib_pypy         CHECKOUT/lib_pypy, read-only

so the search stops at ``/pypy``.  Being read-only, the library never gets
the ``.pyc`` files PyPy tries to write beside each imported module (the
attempt fails with EROFS, which PyPy ignores); the binary is translated with
``lonepycfiles`` off, so a ``.pyc`` without its ``.py`` is never imported.

Option ``pypy_home``: the checkout's root (the directory holding
``lib-python`` and ``lib_pypy``), or None for none of this.
"""
import os
import stat

from sandbox.errors import ConfigurationError
from sandbox.files import ContentFile, StatInfo, virtual_inode
from sandbox.vfs_tree import Mount

VIRTUAL_PREFIX = "/pypy"
LIBRARY_DIRECTORIES = ("lib-python", "lib_pypy")


def virtual_executable(binary_path):
    """The argv[0] a sandboxed PyPy gets: its name under ``/pypy/bin``."""
    return "%s/bin/%s" % (VIRTUAL_PREFIX, os.path.basename(binary_path))


def check_pypy_home(home):
    """The absolute checkout root; ConfigurationError naming what is missing."""
    home = os.path.abspath(home)
    missing = [name for name in LIBRARY_DIRECTORIES
               if not os.path.isdir(os.path.join(home, name))]
    if not missing:
        lib_python = os.path.join(home, "lib-python")
        if not any(os.path.isdir(os.path.join(lib_python, entry))
                   for entry in os.listdir(lib_python) if entry[:1].isdigit()):
            missing = ["lib-python/X.Y"]
    if missing:
        raise ConfigurationError(
            "--pypy-home %s: not a PyPy checkout or installation (no %s there); give "
            "the directory that holds lib-python/ and lib_pypy/" % (home, " and ".join(missing)))
    return home


class ExecutablePlaceholder(ContentFile):
    """What the child finds at its own argv[0]: an empty file with mode 0555."""

    def __init__(self, virtual_path):
        super().__init__(virtual_path, b"")
        self._stat = StatInfo(stat.S_IFREG | 0o555, size=0, inode=virtual_inode(virtual_path))


class PyPyHome:
    """Mixin: serve a PyPy checkout's standard library at ``/pypy`` (needs the VFS)."""

    def __init__(self, *args, pypy_home=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.pypy_home = None
        if pypy_home is None:
            return
        self.pypy_home = check_pypy_home(pypy_home)
        for name in LIBRARY_DIRECTORIES:
            self.virtual_tree.add_mount("%s/%s" % (VIRTUAL_PREFIX, name),
                                        Mount(os.path.join(self.pypy_home, name), writable=False))
        # the child's argv[0] (PyPyController's default); another argv[0] would
        # make PyPy search for its library elsewhere
        self.virtual_tree.add_device(virtual_executable(self.executable), ExecutablePlaceholder)
