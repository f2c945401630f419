"""The target's facts where RPython reads the host's: byte order, float format, CPU.

Runs in the ``before_rpython`` hook, before any of RPython's libraries is
imported, because most of these facts are read once, at import time, and
copied into other modules (``from ... import native_is_bigendian``).

What RPython 0.2.1 reads from the translating Python and where the target's
answer comes from instead:

- ``sys.byteorder``: rdtoa (which C #define selects the double layout),
  translator/c/gc.py (which byte of the GC header holds the flags),
  rstruct/unichar.py, rbigint and runicode ("native" byte order), rsre_char,
  rsiphash (little-endian loads), clibffi/libffi (result widening), the JIT
  (llerrno, the ppc backend).  All of them only compare it with 'little' or
  'big', so the translation runs with ``sys.byteorder`` set to the target's.
- ``float.__getformat__('double')``: rdtoa asserts it matches sys.byteorder.
  A builtin type cannot be patched, so rdtoa is executed with a module-level
  ``float`` whose ``__getformat__`` answers for the target, removed again as
  soon as the module body ran (its functions see the real ``float``).
- ``struct.pack("=i", 1)``: rstruct/standardfmttable.py's
  ``native_is_bigendian`` (the fast paths of pack/unpack and the native
  format table); set to the target's right after that module ran, before
  nativefmttable and formatiterator copy it.
- ``struct.unpack("d", ...)`` of the bytes a probe printed:
  rffi_platform.DefinedConstantDouble reads C constants of type double in
  host order; it reads them in the target's order instead.
- the host ``array`` module's byte order: rsre's sre_compile packs the
  bytes of BIGCHARSET tables into code words at translation time, which
  rsre_char unpacks in the target's order at run time; the words are
  packed in the target's order.
- ``struct.pack("l", flag)``: the JIT's GC support finds the byte of a
  header word holding a flag (write barrier, guard_is_object); in the
  target's order.
- ``platform.machine()``: the JIT's resoperation table (cast operations of
  non-x86 CPUs) and rjitlog's header; answers the target's name.
- CPU model of the JIT (rpython.jit.backend.detect_cpu.autodetect, also
  used by rawstorage for misaligned access): the target's backend, or
  ProcessorAutodetectError when rpython has none (aarch64).

Word size, type sizes, signedness of ``char``, struct layouts and constants
come from probes compiled for and run on the target (cplatform.py), never
from the host.  ``FACT_READERS`` lists every module of the rpython package
that reads one of these host facts; tests/untranslated/crossarch checks that
the list is complete, so a new rpython version cannot add a silent one.
"""
import imp
import platform as host_platform
import struct
import sys

HOST_BYTEORDER = sys.byteorder

# every module of the rpython package that reads a host fact (sys.byteorder,
# float.__getformat__, native struct/array order, platform.machine(),
# os.uname()) -> how a cross translation answers it for the target
FACT_READERS = {
    'rpython/rlib/rdtoa.py': 'sys.byteorder; float format (module-level float)',
    'rpython/translator/c/gc.py': 'sys.byteorder',
    'rpython/rlib/runicode.py': 'sys.byteorder',
    'rpython/rlib/rbigint.py': 'sys.byteorder',
    'rpython/rlib/clibffi.py': 'sys.byteorder',
    'rpython/rlib/libffi.py': 'sys.byteorder',
    'rpython/rlib/rsre/rsre_char.py': 'sys.byteorder',
    'rpython/rlib/rstruct/unichar.py': 'sys.byteorder',
    'rpython/rlib/rsiphash.py': 'sys.byteorder',
    'rpython/jit/backend/llsupport/llerrno.py': 'sys.byteorder',
    'rpython/jit/backend/ppc/arch.py': 'sys.byteorder',
    'rpython/rlib/rstruct/standardfmttable.py': 'native_is_bigendian set after import',
    'rpython/rtyper/tool/rffi_platform.py': 'DefinedConstantDouble read in target order',
    'rpython/rlib/rsre/rpy/sre_compile.py': 'BIGCHARSET words packed in target order',
    'rpython/jit/backend/llsupport/gc.py': 'GC flag byte offsets in target order',
    'rpython/jit/metainterp/resoperation.py': 'platform.machine()',
    'rpython/rlib/rjitlog/rjitlog.py': 'platform.machine()',
    'rpython/jit/backend/detect_cpu.py': 'autodetect() answers the target',
}

# readers that need no answer for the target, and why
HOST_ONLY_READERS = {
    'rpython/translator/platform/__init__.py': 'picks the host platform; cplatform.py replaces it',
    'rpython/translator/platform/linux.py': 'host compiler flags; CrossLinux has the target\'s',
    'rpython/memory/gc/env.py': 'os.uname() in RPython code: runs on the target',
    'rpython/rlib/rarithmetic.py': 'struct sizes only (same on every 64-bit target)',
    'rpython/memory/lltypelayout.py': 'struct sizes only (same on every 64-bit target)',
    'rpython/tool/uid.py': 'struct sizes only (same on every 64-bit target)',
    'rpython/rlib/rfloat.py': 'explicit little-endian struct format',
    'rpython/translator/c/primitive.py': 'explicit network-order struct format',
    'rpython/rtyper/lltypesystem/llarena.py': 'byte arrays of the untranslated emulation',
    'rpython/rtyper/lltypesystem/ll2ctypes.py': 'the untranslated ctypes emulation',
    'rpython/translator/driver.py': '--instrument runs the binary on the host (not cross)',
    'rpython/jit/backend/tool/viewcode.py': 'a debugging tool run on the host',
    'rpython/jit/backend/x86/tool/jumpto.py': 'an x86 debugging tool',
    'rpython/translator/sandbox/sandlib.py': "stock rpython's old sandbox, unused",
}


class TargetFloat(float):
    """``float`` with the target's ``__getformat__`` (rdtoa's import only)."""

    target_format = None

    @classmethod
    def __getformat__(cls, typestr):
        if typestr in ('double', 'float'):
            return cls.target_format
        return float.__getformat__(typestr)


class TargetFactsImporter(object):
    """A PEP 302 importer that runs a few rpython modules with target facts.

    ``pre`` maps a module name to globals present while its body runs (and
    removed afterwards); ``post`` maps it to a function called with the
    module right after its body ran, before the import statement returns.
    """

    def __init__(self, pre, post):
        self.pre = pre
        self.post = post

    def find_module(self, fullname, path=None):
        if fullname in self.pre or fullname in self.post:
            return self
        return None

    def load_module(self, fullname):
        if fullname in sys.modules:
            return sys.modules[fullname]
        package, _, leaf = fullname.rpartition('.')
        search = sys.modules[package].__path__ if package else None
        handle, filename, description = imp.find_module(leaf, search)
        try:
            if description[2] != imp.PY_SOURCE:
                raise ImportError('%s: expected Python source at %s' % (fullname, filename))
            source = handle.read()
        finally:
            handle.close()
        module = imp.new_module(fullname)
        module.__file__ = filename
        module.__loader__ = self
        module.__package__ = package
        injected = self.pre.get(fullname, {})
        module.__dict__.update(injected)
        sys.modules[fullname] = module
        try:
            exec(compile(source, filename, 'exec'), module.__dict__)
        except BaseException:
            del sys.modules[fullname]
            raise
        for name, value in injected.items():
            if module.__dict__.get(name) is value:
                del module.__dict__[name]
        fix = self.post.get(fullname)
        if fix is not None:
            fix(module)
        return module


class TooLate(Exception):
    """A module whose facts must be changed was imported before the hook."""


def _fix_standardfmttable(target):
    def fix(module):
        module.native_is_bigendian = target.byteorder == 'big'
    return fix


def _fix_rffi_platform(target):
    order = '>' if target.byteorder == 'big' else '<'

    def fix(module):
        def build_result(self, info, config_result):
            if info["defined"]:
                data = ''.join([chr(info["value_%d" % (i,)]) for i in range(8)])
                return struct.unpack(order + 'd', data)[0]
            return None
        module.DefinedConstantDouble.build_result = build_result
    return fix


def _fix_detect_cpu(target):
    def fix(module):
        def autodetect():
            if target.jit_model is None:
                raise module.ProcessorAutodetectError(
                    'rpython has no JIT backend for %s' % target.name)
            return target.jit_model
        module.autodetect = autodetect
    return fix


def _fix_sre_compile(target):
    def fix(module):
        host_codes = module._bytes_to_codes

        def _bytes_to_codes(data):
            codes = host_codes(data)
            if target.byteorder == HOST_BYTEORDER:
                return codes
            size = module._sre.CODESIZE
            swapped = []
            for code in codes:
                word = 0
                for i in range(size):
                    word = (word << 8) | ((code >> (8 * i)) & 0xFF)
                swapped.append(word)
            return swapped
        module._bytes_to_codes = _bytes_to_codes
    return fix


def flag_byte(word, byteorder):
    """(offset of the only non-zero byte of ``word``, that byte as signed char)."""
    data = struct.pack(('>' if byteorder == 'big' else '<') + 'q', word)
    nonzero = [i for i, char in enumerate(data) if char != '\x00']
    assert len(nonzero) == 1, hex(word)
    return nonzero[0], struct.unpack('b', data[nonzero[0]])[0]


def _fix_jit_gc(target):
    def fix(module):
        descr = module.GcLLDescr_framework

        def extract_flag_byte(self, flag_word):
            return flag_byte(flag_word, target.byteorder)

        def _setup_guard_is_object(self):
            from rpython.memory.gctypelayout import GCData, T_IS_RPYTHON_INSTANCE
            from rpython.jit.backend.llsupport import symbolic
            self._infobits_offset, _ = symbolic.get_field_token(GCData.TYPE_INFO,
                                                                'infobits', True)
            offset, value = flag_byte(T_IS_RPYTHON_INSTANCE, target.byteorder)
            self._infobits_offset_plus = offset
            self._T_IS_RPYTHON_INSTANCE_BYTE = value & 0xFF
        descr.extract_flag_byte = extract_flag_byte
        descr._setup_guard_is_object = _setup_guard_is_object
    return fix


def install(target):
    """Make this Python process answer every host fact above for ``target``."""
    pre = {'rpython.rlib.rdtoa': {'float': type('float', (TargetFloat,),
                                                {'target_format': target.float_format})}}
    post = {
        'rpython.rlib.rstruct.standardfmttable': _fix_standardfmttable(target),
        'rpython.rtyper.tool.rffi_platform': _fix_rffi_platform(target),
        'rpython.jit.backend.detect_cpu': _fix_detect_cpu(target),
        'rpython.rlib.rsre.rpy.sre_compile': _fix_sre_compile(target),
        'rpython.jit.backend.llsupport.gc': _fix_jit_gc(target),
    }
    early = sorted(name for name in list(pre) + list(post) if name in sys.modules)
    if early:
        raise TooLate('already imported before --arch could set the target facts: %s'
                      % ', '.join(early))
    # ctypes reads sys.byteorder when imported (BigEndianStructure); it
    # describes this process, so it must see the host's
    import ctypes  # noqa: F401
    sys.byteorder = target.byteorder
    machine = target.name
    host_platform.machine = lambda: machine
    sys.meta_path.insert(0, TargetFactsImporter(pre, post))
