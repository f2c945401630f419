"""``PyPyController``: the default controller plus a PyPy library home.

What ``rplug run --pypy-home CHECKOUT`` drives: everything
``DefaultController`` serves (and refuses), with the checkout's
``lib-python`` and ``lib_pypy`` shown read-only at ``/pypy``
(``sandbox.pypy_home``), and the C library's calendar functions PyPy's
``time`` module calls, in the virtual zone UTC (``sandbox.broken_down_time``).
The rest of PyPy's ``os`` functions are answered or refused by
``sandbox.pypy_posix``, so no call of the binary ends the run unanswered.
Unless the user sets it, ``HOME`` is ``/tmp`` (with a writable /tmp) or ``/``:
PyPy's ``site`` expands ``~`` at start-up.  The child must be started as ``/pypy/bin/<binary>`` (``virtual_executable``).
"""
from sandbox.broken_down_time import BrokenDownTime
from sandbox.controller import DefaultController
from sandbox.pypy_home import PyPyHome, virtual_executable
from sandbox.pypy_posix import PyPyPosix


class PyPyController(PyPyHome, PyPyPosix, BrokenDownTime, DefaultController):
    """The controller of a sandboxed PyPy (option ``pypy_home``, see PyPyHome)."""

    def __init__(self, executable, args=(), *, pypy_home, argv0=None, environment=None,
                 tmp_dir=None, **kwargs):
        environment = dict(environment or {})
        # site.py expands "~" (without HOME, posixpath imports pwd, which a
        # sandboxed PyPy does not have): home is the writable /tmp if there is one
        environment.setdefault("HOME", "/tmp" if tmp_dir is not None else "/")
        super().__init__(executable, args, pypy_home=pypy_home,
                         argv0=argv0 or virtual_executable(executable),
                         environment=environment, tmp_dir=tmp_dir, **kwargs)
