"""The C platform of a cross translation: Debian's cross gcc, probes under qemu.

RPython learns sizes, constants, signedness and struct layouts by compiling
small C programs and *running* them (rffi_platform, rfficache, gcc_cache:
everything goes through ``platform.compile`` and ``platform.execute``).
``CrossLinux`` compiles with ``TRIPLET-gcc`` and executes through
``qemu-ARCH -L /usr/TRIPLET``, so every answer is the target's.

``install`` runs in the ``before_rpython`` hook.  It replaces
``rpython.translator.platform.platform`` before any RPython library binds it
(``from rpython.translator.platform import platform`` at import time), and
wraps ``pick_platform``/``set_platform``, which translate.py and the
TranslationContext call later with ``--platform=host`` and ``--cc``: they
get a CrossLinux too (``--cc`` still names the compiler), while
``rpython.translator.platform.host`` stays the host's, so that
``is_host_build()`` is False and nothing takes the host for the target.
"""
import os

from rpython.translator import platform as rpython_platform
from rpython.translator.platform import ExecutionResult, log
from rpython.translator.platform.linux import LinuxPIC
from rpython.tool.runsubprocess import run_subprocess

from translator_plugins.registry import PluginError


class CrossLinux(LinuxPIC):
    """Linux for another CPU: compile with its gcc, run with qemu-user."""

    def __init__(self, target, cc=None):
        LinuxPIC.__init__(self, cc or target.cc)
        self.target = target
        self.run_prefix = target.run_prefix()

    def __repr__(self):
        return '<CrossLinux %s cc=%s>' % (self.target.name, self.cc)

    def key(self):
        return LinuxPIC.key(self) + ' target=%s' % self.target.name

    def execute(self, executable, args=None, env=None, compilation_info=None):
        if args is None:
            args = []
        elif isinstance(args, str):
            args = args.split()
        env = dict(os.environ if env is None else env)
        if compilation_info is not None:
            # qemu-user passes its environment on to the target program
            env['LD_LIBRARY_PATH'] = ':'.join(str(d) for d in compilation_info.library_dirs)
        command = self.run_prefix + [str(executable)] + list(args)
        returncode, stdout, stderr = run_subprocess(command[0], command[1:], env)
        return ExecutionResult(returncode, stdout, stderr)

    def _include_dirs_for_libffi(self):
        # the target's libffi lives in the cross sysroot, which TRIPLET-gcc
        # searches anyway, and where qemu -L finds libffi.so at run time
        return [self.target.sysroot + '/include']

    def _library_dirs_for_libffi(self):
        return [self.target.sysroot + '/lib']


def install(target):
    """Make ``target``'s CrossLinux RPython's platform for this translation."""
    cross = CrossLinux(target)
    rpython_platform.platform = cross
    original_pick = rpython_platform.pick_platform

    def pick_platform(new_platform, cc):
        if new_platform == 'host':
            return CrossLinux(target, cc)
        return original_pick(new_platform, cc)

    def set_platform(new_platform, cc):
        if new_platform != 'host':
            raise PluginError('--arch=%s cannot be combined with --platform=%s'
                             % (target.name, new_platform))
        rpython_platform.platform = pick_platform(new_platform, cc)
        log.msg('Set platform for %s with cc=%s; probes run under %s'
                % (target.name, rpython_platform.platform.cc,
                   ' '.join(target.run_prefix())))

    rpython_platform.pick_platform = pick_platform
    rpython_platform.set_platform = set_platform
    return cross
