"""The coroutine library (manual 6.2), on the stack switching of
coroutine.py.  A resume switches to the coroutine's stack and comes back
when it yields, returns or fails; values travel in `transfer`."""
from rpython.rlib import jit

from targets.lua import arguments as argcheck
from targets.lua import coroutine as backends
from targets.lua.errors import LuaError, LuaRuntimeError
from targets.lua.lib_base import register
from targets.lua.objects import (W_Object, W_Nil, W_String, W_PlainString,
                                 W_Builtin, W_Function, w_nil, w_true, w_false,
                                 w_bool)
from targets.lua.table import W_Table

SUSPENDED = 0
RUNNING = 1
NORMAL = 2
DEAD = 3
STATUS_NAMES = ["suspended", "running", "normal", "dead"]


class W_Coroutine(W_Object):
    type_name = "thread"

    def __init__(self, interp, w_function):
        self.interp = interp
        self.w_function = w_function
        self.status = SUSPENDED
        self.started = False
        self.transfer = []
        self.w_error = None           # set when the body failed
        self.handle = None            # stacklet handle (translated backend)
        self.w_resumer = None
        # interpreter state of this coroutine's stack while it is switched out
        self.saved_frame_ref = jit.vref_None
        self.saved_depth = 0
        self.saved_nesting = 0
        self.saved_c_calls = 0

    def run_body(self):
        """Runs on the coroutine's own stack."""
        interp = self.interp
        interp.frame_ref = jit.vref_None
        interp.builtin_nesting = 0
        try:
            self.transfer = interp.call(self.w_function, self.transfer)
        except LuaError as e:
            self.w_error = e.w_value
            self.transfer = []
        except LuaRuntimeError as e:
            self.w_error = W_PlainString(e.message)
            self.transfer = []
        self.status = DEAD


class CoroutineState(object):
    def __init__(self):
        self.w_current = None         # None: the main "thread" is running
        self.w_main = None


def state_of(interp):
    state = interp.coroutine_state
    if state is None:
        state = CoroutineState()
        interp.coroutine_state = state
    return state


def resume(interp, w_co, args):
    """(ok, values) of resuming w_co with args."""
    if w_co.status == DEAD:
        return False, [W_PlainString("cannot resume dead coroutine")]
    if w_co.status != SUSPENDED:
        if w_co.status == RUNNING:
            return False, [W_PlainString("cannot resume non-suspended coroutine")]
        return False, [W_PlainString("cannot resume non-suspended coroutine")]
    state = state_of(interp)
    w_previous = state.w_current
    if w_previous is not None:
        w_previous.status = NORMAL
    saved_ref = interp.frame_ref
    saved_depth = interp.call_depth
    saved_nesting = interp.builtin_nesting
    saved_c_calls = interp.c_calls
    w_co.status = RUNNING
    w_co.transfer = args
    state.w_current = w_co
    if interp.call_depth >= interp.max_call_depth:
        raise LuaRuntimeError("C stack overflow")
    if not w_co.started:
        w_co.started = True
        backends.backend().start(w_co)
    else:
        interp.frame_ref = w_co.saved_frame_ref
        interp.call_depth = w_co.saved_depth
        interp.builtin_nesting = w_co.saved_nesting
        interp.c_calls = w_co.saved_c_calls
        backends.backend().resume(w_co)
    # back on the resumer's stack
    interp.frame_ref = saved_ref
    interp.call_depth = saved_depth
    interp.builtin_nesting = saved_nesting
    interp.c_calls = saved_c_calls
    state.w_current = w_previous
    if w_previous is not None:
        w_previous.status = RUNNING
    values = w_co.transfer
    w_co.transfer = []
    if w_co.w_error is not None:
        w_error = w_co.w_error
        return False, [w_error]
    return True, values


def suspend(interp, values):
    state = state_of(interp)
    w_co = state.w_current
    if w_co is None:
        raise LuaRuntimeError("attempt to yield from outside a coroutine")
    w_co.transfer = values
    w_co.status = SUSPENDED
    w_co.saved_frame_ref = interp.frame_ref
    w_co.saved_depth = interp.call_depth
    w_co.saved_nesting = interp.builtin_nesting
    w_co.saved_c_calls = interp.c_calls
    backends.backend().suspend(w_co)
    # resumed: resume() already set status and the interpreter state
    values = w_co.transfer
    w_co.transfer = []
    return values


def check_coroutine(args, index, fname):
    w_co = argcheck.get(args, index)
    if not isinstance(w_co, W_Coroutine):
        raise argcheck.type_error(args, index, fname, "coroutine")
    return w_co


def lua_create(interp, args):
    w_function = argcheck.check_function(args, 0, "coroutine.create")
    return [W_Coroutine(interp, w_function)]


def lua_resume(interp, args):
    w_co = check_coroutine(args, 0, "coroutine.resume")
    ok, values = resume(interp, w_co, args[1:])
    return [w_bool(ok)] + values


def lua_yield(interp, args):
    return suspend(interp, args)


def lua_status(interp, args):
    w_co = check_coroutine(args, 0, "coroutine.status")
    return [W_PlainString(STATUS_NAMES[w_co.status])]


def lua_isyieldable(interp, args):
    state = state_of(interp)
    if len(args) > 0:
        w_co = check_coroutine(args, 0, "coroutine.isyieldable")
        return [w_bool(w_co is not state.w_main)]
    return [w_bool(state.w_current is not None)]


def lua_running(interp, args):
    state = state_of(interp)
    if state.w_current is not None:
        return [state.w_current, w_false]
    if state.w_main is None:
        state.w_main = W_Coroutine(interp, w_nil)
        state.w_main.status = RUNNING
        state.w_main.started = True
    return [state.w_main, w_true]


def lua_close(interp, args):
    w_co = check_coroutine(args, 0, "coroutine.close")
    if w_co.status == SUSPENDED or w_co.status == DEAD:
        w_co.status = DEAD
        if w_co.w_error is not None:
            w_error = w_co.w_error
            w_co.w_error = None
            return [w_false, w_error]
        return [w_true]
    raise LuaRuntimeError("cannot close a %s coroutine" % STATUS_NAMES[w_co.status])


class W_Wrapped(W_Builtin):
    _attrs_ = ["w_co"]

    def __init__(self, w_co):
        W_Builtin.__init__(self, "wrap", lua_create)
        self.w_co = w_co

    def invoke(self, interp, args):
        ok, values = resume(interp, self.w_co, args)
        if ok:
            return values
        w_error = values[0]
        if isinstance(w_error, W_String):
            # like PUC's auxwrap, add the caller's position to string errors
            raise LuaRuntimeError(w_error.as_str())
        raise LuaError(w_error)


def lua_wrap(interp, args):
    w_function = argcheck.check_function(args, 0, "coroutine.wrap")
    return [W_Wrapped(W_Coroutine(interp, w_function))]


def install(interp):
    w_coroutine = W_Table()
    for name, fn in [("create", lua_create), ("resume", lua_resume),
                     ("yield", lua_yield), ("status", lua_status),
                     ("isyieldable", lua_isyieldable), ("running", lua_running),
                     ("close", lua_close), ("wrap", lua_wrap)]:
        register(interp, name, fn, w_coroutine)
    interp.w_globals.set_str("coroutine", w_coroutine)
    interp.w_loaded.set_str("coroutine", w_coroutine)
