"""Target facts in a fresh Python 2.7 process (the hook changes process state).

Each test runs a script that installs the crossarch plugin's
``before_rpython`` for one architecture, imports RPython's libraries as a
translation would, and prints what they read; probes are compiled with the
cross gcc and run under qemu-user.
"""
import json
import os
import re
import subprocess
import sys

import pytest

from translator_plugins.crossarch import hostfacts
from translator_plugins.crossarch.targets import ARCHES

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
HOST_FACT = re.compile(r'sys\.byteorder|__getformat__|struct\.(pack|unpack|calcsize)\(|'
                       r'platform\.machine\(\)|array\.array\(|os\.uname\(\)')

SCRIPT = r'''
import json, sys
from translator_plugins import frontend
frontend._private_cache_dir()
from translator_plugins.crossarch import PLUGIN
PLUGIN.values = {'arch': sys.argv[1]}
PLUGIN.before_rpython()
facts = {}
from rpython.translator import platform as P
facts['platform'] = repr(P.platform)
facts['is_host_build'] = P.is_host_build()
P.set_platform('host', None)
facts['after_set_platform'] = repr(P.platform)
from rpython.config.translationoption import get_combined_translation_config, get_platform
facts['translation_platform'] = repr(get_platform(get_combined_translation_config()))
from rpython.rtyper.tool import rfficache, rffi_platform
facts['char_signed'] = rfficache.signof_c_type('char')
facts['o_directory'] = rffi_platform.getconstantinteger('O_DIRECTORY', '#include <fcntl.h>')
facts['dbl_min'] = rffi_platform.getdefineddouble('DBL_MIN', '#include <float.h>')
from rpython.rlib.rstruct import standardfmttable, nativefmttable, formatiterator, unichar
facts['native_is_bigendian'] = [standardfmttable.native_is_bigendian,
                                nativefmttable.native_is_bigendian,
                                formatiterator.native_is_bigendian, unichar.BIGENDIAN]
from rpython.rlib import rdtoa, runicode, rsiphash, rarithmetic
facts['rdtoa_define'] = rdtoa.source_file.splitlines()[0]
facts['rdtoa_float_is_builtin'] = 'float' not in vars(rdtoa)
facts['runicode'] = runicode.BYTEORDER
facts['siphash_le64toh_swaps'] = rsiphash._le64toh is rarithmetic.byteswap
from rpython.rlib.rsre import rsre_char
facts['rsre_big'] = rsre_char.BIG_ENDIAN
from rpython.rlib.rsre.rpy import sre_compile
facts['sre_words'] = sre_compile._bytes_to_codes(bytearray([1, 2, 3, 4]))
from rpython.jit.backend import detect_cpu
try:
    facts['jit_model'] = detect_cpu.autodetect()
except detect_cpu.ProcessorAutodetectError as e:
    facts['jit_model'] = 'refused: %s' % e
from rpython.rlib import rawstorage
facts['misaligned_is_fine'] = rawstorage.misaligned_is_fine
import platform
facts['machine'] = platform.machine()
sys.stdout.write('@@facts ' + json.dumps(facts) + '\n')
'''


def target_facts(arch, tmpdir):
    env = dict(os.environ, PYTHONPATH=ROOT, PYPY_USESSION_DIR=str(tmpdir),
               PYPY_USESSION_BASENAME='facts')
    proc = subprocess.Popen([sys.executable, '-c', SCRIPT, arch], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = proc.communicate()[0]
    assert proc.returncode == 0, out
    line = [l for l in out.splitlines() if l.startswith('@@facts ')][0]
    return json.loads(line[len('@@facts '):])


@pytest.fixture(scope='module')
def s390x(tmpdir_factory):
    return target_facts('s390x', tmpdir_factory.mktemp('s390x'))


@pytest.fixture(scope='module')
def aarch64(tmpdir_factory):
    return target_facts('aarch64', tmpdir_factory.mktemp('aarch64'))


def test_probes_are_compiled_and_run_for_the_target(aarch64):
    assert aarch64['platform'].startswith('<CrossLinux aarch64 cc=aarch64-linux-gnu-gcc')
    assert aarch64['is_host_build'] is False
    # the host (x86-64) would say: char is signed, O_DIRECTORY is 0o200000
    assert aarch64['char_signed'] is False
    assert aarch64['o_directory'] == 0o40000


def test_set_platform_and_the_translator_keep_the_cross_platform(aarch64):
    assert aarch64['after_set_platform'].startswith('<CrossLinux aarch64')
    assert aarch64['translation_platform'].startswith('<CrossLinux aarch64')


def test_aarch64_has_no_jit_model_and_no_misaligned_access(aarch64):
    assert aarch64['jit_model'] == 'refused: rpython has no JIT backend for aarch64'
    assert aarch64['misaligned_is_fine'] is False
    assert aarch64['native_is_bigendian'] == [False] * 4


def test_s390x_is_big_endian_everywhere_rpython_looks(s390x):
    assert s390x['native_is_bigendian'] == [True] * 4
    assert s390x['rdtoa_define'] == '#define WORDS_BIGENDIAN'
    assert s390x['rdtoa_float_is_builtin']
    assert s390x['runicode'] == 'big'
    assert s390x['siphash_le64toh_swaps']
    assert s390x['rsre_big'] is True
    assert s390x['sre_words'] == [0x01020304]
    assert s390x['dbl_min'] == 2.2250738585072014e-308
    assert s390x['machine'] == 's390x'


def test_s390x_jit_is_zarch(s390x):
    assert s390x['jit_model'] == 's390x'
    assert s390x['misaligned_is_fine'] is True


def test_every_host_fact_reader_of_rpython_is_accounted_for():
    import rpython
    package_root = os.path.dirname(os.path.dirname(os.path.abspath(rpython.__file__)))
    readers = set()
    for dirpath, dirnames, filenames in os.walk(os.path.join(package_root, 'rpython')):
        dirnames[:] = [d for d in dirnames if d != 'test']
        for name in filenames:
            if not name.endswith('.py') or name.startswith('test_'):
                continue
            path = os.path.join(dirpath, name)
            with open(path) as f:
                if HOST_FACT.search(f.read()):
                    readers.add(os.path.relpath(path, package_root))
    known = set(hostfacts.FACT_READERS) | set(hostfacts.HOST_ONLY_READERS)
    assert readers - known == set(), 'new readers of host facts: answer them in hostfacts.py'
    assert known - readers == set(), 'stale entries in hostfacts.py'


def test_every_arch_has_its_tools():
    for arch in ARCHES.values():
        assert arch.missing_tools() == [], 'make setup installs the cross tools'
