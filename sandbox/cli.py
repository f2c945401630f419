"""``rplug run`` and ``rplug check``: the sandbox's two subcommands.

``register(subparsers)`` adds them to the lead's argparse-based ``rplug``
command (each sets ``func``, which returns the exit status); ``main`` runs
them standalone (``python -m sandbox``).

Exit statuses of ``run``: the child's (128 + N if signal N ended it), or
``EXIT_SANDBOX_ERROR`` when the controller stopped the run; the error is one
line on stderr, with a traceback only under ``--debug``.
"""
import argparse
import os
import shutil
import signal
import sys
import traceback

from sandbox.arch import ARCHITECTURES, architecture_named, host_architecture
from sandbox.binary import elf_machine, inspect_sandboxed_binary
from sandbox.emulation import launcher_for, qemu_prefix
from sandbox.controller import DefaultController
from sandbox.dump import parse_dump, request_dump
from sandbox.errors import ConfigurationError, SandboxError
from sandbox.limits import Limits
from sandbox.pypy_controller import PyPyController
from sandbox.pypy_home import virtual_executable

EXIT_SANDBOX_ERROR = 125


def register(subparsers):
    """Add ``run`` and ``check`` to an argparse ``subparsers`` object."""
    run_parser = subparsers.add_parser(
        "run", help="run a sandboxed binary under the controller",
        description="Run BINARY (translated with --sandbox) under the Python controller. "
                    "It sees only the virtual filesystem given by --mount and --tmp, no "
                    "network, an empty environment apart from --env, and a virtual clock.")
    run_parser.add_argument("--mount", action="append", default=[],
                            metavar="HOST:VIRTUAL[:ro|rw]",
                            help="show host file or directory HOST at VIRTUAL "
                                 "(read-only unless :rw); repeatable")
    run_parser.add_argument("--tmp", metavar="DIR",
                            help="host directory (created if missing) shown writable at /tmp")
    run_parser.add_argument("--timeout", type=float, metavar="SECONDS",
                            help="wall-clock limit of the run")
    run_parser.add_argument("--cpu", type=float, metavar="SECONDS",
                            help="CPU time limit of the child")
    run_parser.add_argument("--memory", type=float, metavar="MB",
                            help="address-space limit of the child")
    run_parser.add_argument("--max-output", type=int, metavar="BYTES",
                            help="limit on what the child writes on stdout and stderr")
    run_parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE",
                            help="environment variable the child sees; repeatable")
    run_parser.add_argument("--stdin", metavar="FILE|-",
                            help="what the child reads on stdin (default: nothing)")
    run_parser.add_argument("--real-time", action="store_true",
                            help="show the host's clock instead of the virtual one")
    run_parser.add_argument("--pypy-home", metavar="CHECKOUT",
                            help="BINARY is a sandboxed PyPy: serve CHECKOUT's lib-python and "
                                 "lib_pypy read-only at /pypy, where it looks for them "
                                 "(sandbox.pypy_home)")
    run_parser.add_argument("--debug", action="store_true",
                            help="log every call and its answer on stderr")
    run_parser.add_argument("binary", metavar="BINARY")
    run_parser.add_argument("args", nargs=argparse.REMAINDER, metavar="ARGS")
    run_parser.set_defaults(func=run_command)

    check_parser = subparsers.add_parser(
        "check", help="list the calls of a sandboxed binary the controller does not serve",
        description="Ask BINARY for its list of calls (RPY_SANDBOX_DUMP) and report "
                    "those the default controller does not serve. Exit status 0 if it "
                    "serves them all, 1 otherwise.")
    check_parser.add_argument("--verbose", action="store_true",
                              help="list every call and the mixin serving it")
    check_parser.add_argument("--pypy", action="store_true",
                              help="compare with the controller of a sandboxed PyPy "
                                   "(what `rplug run --pypy-home` uses)")
    check_parser.add_argument("binary", metavar="BINARY")
    check_parser.set_defaults(func=check_command)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="rplug")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


# -- run ----------------------------------------------------------------------

def parse_mount(spec):
    """``(host, virtual, writable)`` from ``HOST:VIRTUAL[:ro|rw]``."""
    writable = False
    if spec.endswith((":ro", ":rw")):
        writable = spec.endswith(":rw")
        spec = spec[:-3]
    host, _, virtual = spec.rpartition(":")
    if not host or not virtual.startswith("/"):
        raise ConfigurationError("--mount %r: expected HOST:VIRTUAL[:ro|rw] with an "
                                 "absolute VIRTUAL path" % spec)
    return host, virtual, writable


def parse_env(assignment):
    name, equals, value = assignment.partition("=")
    if not equals or not name:
        raise ConfigurationError("--env %r: expected NAME=VALUE" % assignment)
    return name, value


def _stdin_source(option):
    if option is None:
        return b""
    if option == "-":
        return sys.stdin.fileno()
    try:
        return os.open(option, os.O_RDONLY)
    except OSError as error:
        raise ConfigurationError("--stdin %s: %s" % (option, error.strerror)) from None


def run_command(args):
    try:
        limits = Limits(wall_seconds=args.timeout, cpu_seconds=args.cpu,
                        memory_mb=args.memory, max_output_bytes=args.max_output)
        mounts = [parse_mount(spec) for spec in args.mount]
        environment = dict(parse_env(assignment) for assignment in args.env)
        if args.tmp is not None:
            os.makedirs(args.tmp, exist_ok=True)
        machine = inspect_sandboxed_binary(args.binary)
        arch = architecture_named(machine)
        controller_class, extra_options = DefaultController, {}
        argv0 = "/bin/" + os.path.basename(args.binary)
        if args.pypy_home is not None:
            controller_class = PyPyController
            extra_options = {"pypy_home": args.pypy_home}
            argv0 = virtual_executable(args.binary)
        sys.stdout.flush()
        stdin = _stdin_source(args.stdin)
        try:
            process = controller_class(
                args.binary, args.args, mounts=mounts, tmp_dir=args.tmp,
                environment=environment, stdin=stdin,
                output_streams={1: sys.stdout.buffer, 2: sys.stderr.buffer},
                real_time=args.real_time, limits=limits, stderr=sys.stderr.buffer, arch=arch,
                argv0=argv0, launcher=launcher_for(machine, argv0),
                debug=sys.stderr if args.debug else None, audit=sys.stderr,
                **extra_options)
            status = process.run()
        finally:
            if isinstance(stdin, int) and args.stdin != "-":
                os.close(stdin)
    except SandboxError as error:
        if args.debug:
            traceback.print_exc()
        print("rplug run: error: %s" % error, file=sys.stderr)
        return EXIT_SANDBOX_ERROR
    if status == 128 + signal.SIGSYS:
        print("rplug run: note: the child was killed by SIGSYS: its seccomp filter "
              "(docs/protocol.md section 6) stopped a system call", file=sys.stderr)
    return status


# -- check --------------------------------------------------------------------

def check_command(args, controller_class=None):
    if controller_class is None:
        controller_class = PyPyController if getattr(args, "pypy", False) else DefaultController
    try:
        dump = request_dump(args.binary, launcher=_dump_launcher(args.binary))
        info = parse_dump(dump)
        unserved = controller_class.check_dump(dump)
    except SandboxError as error:
        print("rplug check: error: %s" % error, file=sys.stderr)
        return 1
    problems = list(_abi_problems(info))
    print("%s: protocol %s, platform %s, machine %s, %s-endian, %s-byte words, seccomp %s"
          % (args.binary, info.version, info.platform, info.machine or "?",
             info.byteorder or "?", info.wordsize or "?", info.seccomp or "?"))
    print("%d calls, %d served" % (len(info.signatures), len(info.signatures) - len(unserved)))
    if args.verbose:
        for parsed in sorted(info.signatures, key=lambda s: s.text):
            handler = controller_class.handlers.get(parsed.text)
            served_by = handler.__qualname__ if handler else "NOT SERVED"
            print("  %-28s %s" % (parsed.text, served_by))
    for text in unserved:
        print("not served: %s" % text)
    for problem in problems:
        print("problem: %s" % problem)
    return 0 if not unserved and not problems else 1


def _dump_launcher(path):
    """qemu for a foreign ELF binary; nothing for a native one or a script."""
    try:
        return qemu_prefix(elf_machine(path))
    except (ConfigurationError, KeyError):
        return []


def _abi_problems(info):
    if info.machine is not None and info.machine not in ARCHITECTURES:
        yield ("the controller has no C layouts for machine %s (it knows %s)"
               % (info.machine, ", ".join(sorted(ARCHITECTURES))))
    elif info.machine is not None and info.machine != host_architecture().machine:
        emulator = qemu_prefix(info.machine)[0]
        if shutil.which(emulator) is None:
            yield ("the binary is for %s and this host is %s: running it needs %s "
                   "(Debian package qemu-user)" % (info.machine, host_architecture().machine,
                                                   emulator))
        if info.seccomp == "on":
            yield ("the binary installs a seccomp filter, which qemu-user refuses "
                   "(PR_SET_SECCOMP gives EINVAL): under emulation it will not start; "
                   "translate it with --sandbox-seccomp=off for emulated runs")