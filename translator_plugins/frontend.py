"""The Python 2.7 half of ``rplug translate``: RPython's driver plus plugins.

Invoked by the Python 3 CLI as::

    python2.7 -m translator_plugins.frontend [--rpython PATH] [--manifest FILE]
        [PLUGIN OPTIONS] [RPYTHON OPTIONS] TARGET.py [TARGET ARGS]

It selects the ``rpython`` package (PyPI's, or a PyPy checkout's), takes the
plugins' options out of the command line, lets RPython parse the rest exactly
as ``rpython`` would, installs the enabled plugins' hooks and runs the
translation.  Progress and errors go to stdout as ``@@rplug`` lines (see
hooks.emit) that the Python 3 side turns into a progress display and a
one-paragraph error; everything else is RPython's own log.
"""
import json
import os
import sys
import traceback

ERROR_LINES = 12


def _select_rpython(path):
    """Put the rpython package found at PATH first on sys.path."""
    path = os.path.abspath(path)
    if os.path.isfile(os.path.join(path, 'rpython', '__init__.py')):
        root = path
    elif (os.path.basename(path) == 'rpython'
          and os.path.isfile(os.path.join(path, '__init__.py'))):
        root = os.path.dirname(path)
    else:
        raise SystemExit('@@rplug error ' + json.dumps(
            '--rpython %s: no rpython package there (expected %s/rpython/__init__.py, '
            'as in a PyPy source checkout)' % (path, path)))
    sys.path.insert(0, root)
    for name in list(sys.modules):
        if name == 'rpython' or name.startswith('rpython.'):
            del sys.modules[name]
    return root


def _private_cache_dir():
    """Give this run its own rpython/_cache (compiled probes of the platform).

    RPython keeps that cache inside its package and `translate.py` deletes it
    on import, so two translations sharing one rpython tree (two test
    processes, a developer's second terminal) would delete each other's
    files mid-run.  A directory inside this run's temporary tree is private
    and is removed with it.
    """
    usession = os.environ.get('PYPY_USESSION_DIR')
    if not usession:
        return
    from rpython.config import translationoption
    translationoption.CACHE_DIR = os.path.join(usession, 'rpython-cache')


def _take(argv, flag):
    """Remove ``flag VALUE`` or ``flag=VALUE`` from argv; return VALUE or None."""
    for i, arg in enumerate(argv):
        if arg == flag and i + 1 < len(argv):
            value = argv[i + 1]
            del argv[i:i + 2]
            return value
        if arg.startswith(flag + '='):
            del argv[i]
            return arg[len(flag) + 1:]
    return None


def _error_paragraph(exc_type, exc_value, tb):
    """The one paragraph a user needs: what failed, and in which function."""
    summary = ''.join(traceback.format_exception_only(exc_type, exc_value)).strip()
    lines = [line for line in summary.splitlines() if line.strip()]
    if len(lines) > ERROR_LINES:
        lines = lines[:ERROR_LINES] + ['[... %d more lines in the log]'
                                       % (len(lines) - ERROR_LINES)]
    return '\n'.join(lines)


def write_manifest(path, project_root, target, extra_files=()):
    """Record the source files this translation read, for rplug.buildcache.

    Project files are recorded relative to the checkout; a target outside it
    is recorded with the modules beside it, as absolute paths.
    """
    target_dir = os.path.dirname(os.path.abspath(target))
    watched = [project_root + os.sep]
    if not target_dir.startswith(project_root + os.sep):
        watched.append(target_dir + os.sep)
    files = set()
    for module in list(sys.modules.values()):
        filename = getattr(module, '__file__', None)
        if not filename:
            continue
        filename = os.path.abspath(filename)
        if filename.endswith(('.pyc', '.pyo')):
            filename = filename[:-1]
        if not os.path.exists(filename):
            continue
        if filename.startswith(watched[0]):
            files.add(os.path.relpath(filename, project_root))
        elif any(filename.startswith(w) for w in watched[1:]):
            files.add(filename)
    for filename in extra_files:
        files.add(os.path.relpath(os.path.abspath(filename), project_root))
    with open(path, 'w') as f:
        json.dump(sorted(files), f, indent=0)


def main(argv):
    argv = list(argv)
    project_root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    rpython_path = _take(argv, '--rpython')
    manifest = _take(argv, '--manifest')
    if rpython_path:
        _select_rpython(rpython_path)
    _private_cache_dir()
    from translator_plugins import registry, hooks

    plugins = registry.discover_plugins()
    try:
        remaining = registry.split_plugin_options(argv, plugins)
        enabled = [p for p in plugins if p.enabled]
        for plugin in enabled:
            plugin.before_rpython()
    except registry.PluginError as e:
        hooks.emit('error', json.dumps(str(e)))
        return 2
    if '--help' in remaining or '-h' in remaining:
        print(registry.plugin_help(plugins))
        print('')

    import rpython
    hooks.emit('rpython', json.dumps(os.path.dirname(os.path.abspath(rpython.__file__))))
    from rpython.translator.goal import translate
    sys.argv = ['rpython'] + remaining
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 5000))
    hooks.install(enabled)

    original_parse = translate.parse_options_and_load_target

    def parse_and_configure():
        result = original_parse()
        config = result[2]
        for plugin in enabled:
            plugin.configure(config)
        return result
    translate.parse_options_and_load_target = parse_and_configure

    # RPython's main catches errors and raises SystemExit(1) after logging
    # them; keep the exception to report it in one paragraph.
    failure = []
    from rpython.tool.ansi_print import AnsiLogger
    original_error = AnsiLogger.ERROR

    def remember_error(self, msg):
        if not failure:
            failure.append(sys.exc_info() if sys.exc_info()[0] is not None else msg)
        return original_error(self, msg)
    AnsiLogger.ERROR = remember_error

    try:
        translate.main()
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        if code != 0:
            if failure and isinstance(failure[0], tuple):
                hooks.emit('error', json.dumps(_error_paragraph(*failure[0])))
            elif failure:
                hooks.emit('error', json.dumps(str(failure[0])))
            elif isinstance(e.code, str):
                hooks.emit('error', json.dumps(e.code))
            return code
    except Exception:
        hooks.emit('error', json.dumps(_error_paragraph(*sys.exc_info())))
        traceback.print_exc()
        return 1
    if manifest:
        target = next(a for a in remaining if a.endswith('.py') and not a.startswith('-'))
        extra_files = [f for plugin in enabled for f in plugin.input_files()]
        write_manifest(manifest, project_root, target, extra_files)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
