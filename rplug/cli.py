"""The ``rplug`` command: translate RPython programs with plugins, run them.

Subcommands:
  translate   run RPython's translation with rplug's plugins (Python 2.7)
  build       translate for several architectures and package (rplug.build)
  run, check  drive a sandboxed binary (provided by the ``sandbox`` package)
"""
import argparse
import os
import subprocess
import sys

from rplug import paths

TRANSLATE_DESCRIPTION = """\
Translate TARGET.py with RPython under Python 2.7, with rplug's plugins loaded.

Every option rplug does not know (plugin options such as --sandbox, and all of
RPython's: --opt=jit, --gc=..., --lldebug, ...) is passed on, in order.
Plugin options and RPython options go before TARGET.py; arguments after it
belong to the target.  Run `rplug translate --help-rpython` for the full list
of plugin and RPython options.
"""


def _add_translate(subparsers):
    p = subparsers.add_parser(
        "translate", help="translate an RPython target with plugins",
        description=TRANSLATE_DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter,
        usage="rplug translate [--output PATH] [--rpython PATH] [--reuse] "
              "[PLUGIN OPTIONS] [RPYTHON OPTIONS] TARGET.py [TARGET ARGS]")
    p.add_argument("--output", "-o", metavar="PATH",
                   help="where to write the binary (default: build/<target>-c, or "
                        "build/<target>-c-sandbox with --sandbox)")
    p.add_argument("--rpython", metavar="PATH", default=os.environ.get("RPLUG_RPYTHON"),
                   help="use the rpython package of this PyPy source checkout (the directory "
                        "holding rpython/, or rpython/ itself) instead of the PyPI one; "
                        "default: $RPLUG_RPYTHON")
    p.add_argument("--reuse", action="store_true",
                   help="reuse a cached binary built from identical inputs (build/bin-cache) "
                        "and copy it to --output")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress lines")
    p.add_argument("--help-rpython", action="store_true",
                   help="list every plugin option and RPython option, then exit")
    p.set_defaults(func=_run_translate)


def _add_build(subparsers):
    from rplug.build import add_parser
    add_parser(subparsers)


def _default_output(target, passthrough):
    from rplug.translate import target_name
    suffix = "-c-sandbox" if "--sandbox" in passthrough else "-c"
    return os.path.join(paths.BUILD_DIR, target_name(target) + suffix)


def _run_translate(args):
    # imported here: `rplug run` should not pay for the translation machinery
    from rplug.translate import TranslationError, python2_executable, translate
    if args.help_rpython:
        cmd = [python2_executable(), "-m", "translator_plugins.frontend"]
        if args.rpython:
            cmd += ["--rpython", os.path.abspath(args.rpython)]
        env = dict(os.environ, PYTHONPATH=paths.PROJECT_ROOT)
        out = subprocess.run(cmd + ["--help"], env=env, cwd=paths.PROJECT_ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        sys.stdout.write("\n".join(l for l in out.stdout.splitlines()
                                   if not l.startswith("@@rplug")) + "\n")
        return 0
    passthrough = args.passthrough
    target = next((a for a in passthrough if a.endswith(".py") and not a.startswith("-")), None)
    if target is None:
        print("rplug translate: error: no target given (TARGET.py)", file=sys.stderr)
        return 2
    output = args.output or _default_output(target, passthrough)
    try:
        if args.reuse:
            import shutil
            from rplug.buildcache import cached_translate
            target_index = passthrough.index(target)
            binary = cached_translate(target, passthrough[:target_index],
                                      target_args=passthrough[target_index + 1:],
                                      rpython=args.rpython, quiet=args.quiet, out=sys.stderr)
            if os.path.abspath(binary) != os.path.abspath(output):
                os.makedirs(os.path.dirname(os.path.abspath(output)), exist_ok=True)
                shutil.copy2(binary, output)
            print("[rplug] %s" % output, file=sys.stderr)
        else:
            translate(passthrough, output, rpython=args.rpython, quiet=args.quiet)
    except TranslationError as e:
        print("rplug translate: error: %s" % e, file=sys.stderr)
        return 1
    return 0


def build_parser():
    parser = argparse.ArgumentParser(
        prog="rplug",
        description="Translation-time plugins for RPython (sandboxing, JSON) and the tools "
                    "to run what they produce.")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_translate(subparsers)
    _add_build(subparsers)
    try:
        from sandbox import cli as sandbox_cli
    except ImportError:
        sandbox_cli = None
    if sandbox_cli is not None and hasattr(sandbox_cli, "register"):
        sandbox_cli.register(subparsers)
    return parser


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    if argv and argv[0] in ("translate", "build"):
        # our own options (before the target) are parsed; everything else
        # goes to the Python 2.7 front end unchanged
        split = next((i for i, a in enumerate(argv)
                      if a.endswith(".py") and not a.startswith("-")), len(argv))
        args, unknown = parser.parse_known_args(argv[:split])
        args.passthrough = unknown + argv[split:]
    else:
        args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
