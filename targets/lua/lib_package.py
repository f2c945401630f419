"""require and the package table (manual 6.3): Lua modules are searched
along package.path ("?" replaced by the module name with dots turned into
directory separators) and loaded once into package.loaded."""
from rpython.rlib import rstring

from targets.lua import arguments as argcheck
from targets.lua.errors import LuaError, LuaSyntaxError, LuaRuntimeError
from targets.lua.fileio import read_file, file_exists
from targets.lua.lib_base import register
from targets.lua.objects import (W_Nil, W_String, W_PlainString, W_Builtin,
                                 w_nil, w_true)
from targets.lua.table import W_Table

DEFAULT_PATH = "./?.lua;./?/init.lua"


def search_path(name, path):
    """(filename, tried) for the first existing file along `path`."""
    module_path = name.replace(".", "/")
    tried = []
    for template in path.split(";"):
        if not template:
            continue
        filename = rstring.replace(template, "?", module_path)
        if file_exists(filename):
            return filename, tried
        tried.append("\n\tno file '%s'" % filename)
    return "", tried


def lua_require(interp, args):
    name = argcheck.check_string(args, 0, "require")
    w_loaded = interp.w_loaded
    w_value = w_loaded.get_str(name)
    if w_value.is_truthy():
        return [w_value]
    w_package = interp.w_globals.get_str("package")
    w_preload = w_nil
    path = DEFAULT_PATH
    if isinstance(w_package, W_Table):
        w_preload = w_package.get_str("preload")
        w_path = w_package.get_str("path")
        if isinstance(w_path, W_String):
            path = w_path.as_str()
    if isinstance(w_preload, W_Table):
        w_loader = w_preload.get_str(name)
        if not isinstance(w_loader, W_Nil):
            return finish_require(interp, name, w_loader, W_PlainString(":preload:"))
    filename, tried = search_path(name, path)
    if not filename:
        raise LuaRuntimeError("module '%s' not found:\n\tno field package.preload['%s']%s"
                              % (name, name, "".join(tried)))
    try:
        source = read_file(filename)
    except OSError:
        raise LuaRuntimeError("cannot read '%s'" % filename)
    try:
        w_loader = interp.load(source, filename)
    except LuaSyntaxError as e:
        raise LuaRuntimeError("error loading module '%s' from file '%s':\n\t%s"
                              % (name, filename, e.message))
    return finish_require(interp, name, w_loader, W_PlainString(filename))


def finish_require(interp, name, w_loader, w_extra):
    results = interp.call(w_loader, [W_PlainString(name), w_extra])
    w_result = w_nil
    if len(results) > 0:
        w_result = results[0]
    if not isinstance(w_result, W_Nil):
        interp.w_loaded.set_str(name, w_result)
    elif isinstance(interp.w_loaded.get_str(name), W_Nil):
        interp.w_loaded.set_str(name, w_true)
    return [interp.w_loaded.get_str(name), w_extra]


def install(interp):
    w_package = W_Table()
    w_package.set_str("path", W_PlainString(DEFAULT_PATH))
    w_package.set_str("cpath", W_PlainString(""))
    w_package.set_str("config", W_PlainString("/\n;\n?\n!\n-\n"))
    w_package.set_str("loaded", interp.w_loaded)
    w_package.set_str("preload", W_Table())
    interp.w_globals.set_str("package", w_package)
    register(interp, "require", lua_require)
    interp.w_loaded.set_str("_G", interp.w_globals)
    interp.w_loaded.set_str("package", w_package)
