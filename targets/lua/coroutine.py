"""Coroutines as separate machine stacks.

Lua coroutines may yield from anywhere (inside metamethods, pcall, nested
Lua calls), and our interpreter is recursive, so a coroutine needs a stack
of its own.  Two interchangeable backends give it one:

* translated: `rpython.rlib.rstacklet` (stack switching by copying stack
  slices, as PyPy's _continuation does).  `targetlua` turns on
  `translation.continuation` for the GC to support it.
* untranslated (tests on CPython): one Python thread per coroutine with a
  pair of semaphores, so that exactly one of them runs at a time.

Both offer `start(co)` (run a new coroutine until it yields or ends),
`resume(co)` (continue a suspended one until it yields or ends) and
`suspend(co)` (from inside a coroutine: go back to the resumer until resumed).
The interpreter state that belongs to a stack (current frame, call depth)
is saved and restored around each switch by lib_coroutine.
"""
from rpython.rlib.objectmodel import we_are_translated
from rpython.rlib import rstacklet


class W_CoroutineBase(object):
    """Fields the backends need; W_Coroutine (lib_coroutine) inherits them."""


class StackletGlobals(object):
    def __init__(self):
        self.starting = None          # coroutine being started by new()
        self.sthread = None
        self.run_body = None


stacklet_globals = StackletGlobals()


class StackletHandle(object):
    """Box for an rstacklet handle: the other side of a coroutine switch
    (the resumer while the coroutine runs, the coroutine while suspended)."""

    def __init__(self, h):
        self.h = h


def _stacklet_entry(h, arg):
    co = stacklet_globals.starting
    stacklet_globals.starting = None
    co.handle = StackletHandle(h)
    co.run_body()
    return co.handle.h


class StackletBackend(object):
    def thread(self):
        if stacklet_globals.sthread is None:
            stacklet_globals.sthread = rstacklet.StackletThread()
        return stacklet_globals.sthread

    def start(self, co):
        sthread = self.thread()
        stacklet_globals.starting = co
        co.handle = StackletHandle(sthread.new(_stacklet_entry))

    def resume(self, co):
        co.handle = StackletHandle(self.thread().switch(co.handle.h))

    def suspend(self, co):
        co.handle = StackletHandle(self.thread().switch(co.handle.h))


class ThreadBackend(object):
    """Untranslated stand-in: not RPython, never seen by the annotator."""

    def start(self, co):
        import threading
        threading.stack_size(256 * 1024 * 1024)
        co.resume_event = threading.Semaphore(0)
        co.yield_event = threading.Semaphore(0)

        def run():
            co.run_body()
            co.yield_event.release()
        thread = threading.Thread(target=run)
        thread.daemon = True
        thread.start()
        co.yield_event.acquire()

    def resume(self, co):
        co.resume_event.release()
        co.yield_event.acquire()

    def suspend(self, co):
        co.yield_event.release()
        co.resume_event.acquire()


stacklet_backend = StackletBackend()
_thread_backend = []


def backend():
    if we_are_translated():
        return stacklet_backend
    if not _thread_backend:
        _thread_backend.append(ThreadBackend())
    return _thread_backend[0]
