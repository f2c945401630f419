"""The ``crossarch`` plugin: ``rplug translate --arch=ARCH`` builds for another CPU.

Phases it acts in:
- before_rpython (nothing of RPython's libraries imported yet): the target's
  C platform, i.e. Debian's ``TRIPLET-gcc`` with every compile-and-run probe
  executed under ``qemu-ARCH -L /usr/TRIPLET`` (cplatform.py), and the
  target's byte order, float format and CPU wherever RPython reads the
  host's (hostfacts.py);
- configure: the JIT backend is the target's (x86 for x86_64, ppc for
  ppc64le, zarch for s390x); ``--opt=jit`` for a target without one in this
  rpython (aarch64) is refused, as are options that only exist on x86.  A
  foreign JIT build also needs the target's libffi in the cross sysroot
  (``/usr/TRIPLET/include/ffi.h``; ``rplug.bootstrap --cross-libffi``).

``--arch`` naming this host's own CPU changes nothing.  The front end gives
each translation its own rpython cache directory, so probe answers of one
architecture are never reused for another.
"""
import os

from translator_plugins.registry import Option, Plugin, PluginError
from translator_plugins.crossarch.targets import ARCH_NAMES, ARCHES


class CrossArchPlugin(Plugin):
    name = 'crossarch'
    description = ('translate for another CPU with Debian\'s cross gcc; probes run '
                   'under qemu-user')
    options = (
        Option('--arch', 'the CPU the binary runs on (64-bit Linux, glibc)',
               choices=ARCH_NAMES, default='x86_64', enables=True),
    )

    @property
    def target(self):
        return ARCHES[self.values['arch']]

    def before_rpython(self):
        target = self.target
        if target.is_native():
            return
        missing = target.missing_tools()
        if missing:
            raise PluginError(
                '--arch=%s needs %s on PATH; install the Debian packages %s and '
                'qemu-user (`make setup` does)'
                % (target.name, ' and '.join(missing), target.apt_compiler))
        from translator_plugins.crossarch import cplatform, hostfacts
        try:
            hostfacts.install(target)
        except hostfacts.TooLate as e:
            raise PluginError('--arch=%s: %s' % (target.name, e))
        cplatform.install(target)

    def configure(self, config):
        target = self.target
        translation = config.translation
        if translation.jit:
            if target.jit_model is None:
                raise PluginError(
                    '--opt=jit --arch=%s: rpython has no JIT backend for %s (its backends: '
                    'x86, ppc64, s390x, 32-bit arm); build it without the JIT '
                    '(--opt=2) or for another architecture'
                    % (target.name, target.name))
            if translation.jit_backend not in ('auto', target.jit_model):
                raise PluginError('--jit-backend=%s does not generate code for %s'
                                  % (translation.jit_backend, target.name))
        if target.is_native():
            return
        if translation.jit and not os.path.exists(target.libffi_header):
            # the JIT calls C functions through libffi, built for the target
            raise PluginError(
                '--opt=jit --arch=%s needs the target\'s libffi (%s is missing): run '
                '`python3 -m rplug.bootstrap --cross-libffi`, which unpacks Debian\'s '
                'libffi-dev:%s into the cross sysroot %s'
                % (target.name, target.libffi_header, target.debian_arch, target.sysroot))
        if translation.platform != 'host':
            raise PluginError('--arch=%s cannot be combined with --platform=%s'
                              % (target.name, translation.platform))
        if translation.gcrootfinder == 'asmgcc':
            raise PluginError('--gcrootfinder=asmgcc only works on x86; use shadowstack '
                              'with --arch=%s' % target.name)


PLUGIN = CrossArchPlugin()
