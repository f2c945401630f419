"""The crossarch plugin's options, refusals and tables (Python 2.7, in-process)."""
import platform
import sys

import pytest

from translator_plugins import crossarch, registry
from translator_plugins.crossarch import CrossArchPlugin
from translator_plugins.crossarch.hostfacts import TargetFloat, flag_byte
from translator_plugins.crossarch.targets import ARCH_NAMES, ARCHES
from translator_plugins.registry import PluginError


class _Section(object):
    def __init__(self, **values):
        self.__dict__.update(values)


def _config(jit=False, jit_backend='auto', platform='host', gcrootfinder='shadowstack'):
    return _Section(translation=_Section(jit=jit, jit_backend=jit_backend, platform=platform,
                                         gcrootfinder=gcrootfinder))


def _plugin(*argv):
    plugin = CrossArchPlugin()
    registry.split_plugin_options(list(argv) + ['target.py'], [plugin])
    return plugin


def test_discovery_finds_the_crossarch_plugin():
    assert 'crossarch' in [p.name for p in registry.discover_plugins()]


@pytest.mark.parametrize('argv', [['--arch=s390x'], ['--arch', 's390x']])
def test_arch_takes_its_value_after_equals_or_as_next_argument(argv):
    plugin = _plugin(*argv)
    assert plugin.enabled
    assert plugin.target is ARCHES['s390x']


def test_unknown_arch_names_the_choices():
    with pytest.raises(PluginError) as e:
        _plugin('--arch=riscv64')
    assert 'must be one of x86_64, aarch64, ppc64le, s390x' in str(e.value)


def test_every_arch_is_64_bit_linux_with_a_triplet():
    assert sorted(ARCHES) == sorted(ARCH_NAMES)
    for arch in ARCHES.values():
        assert arch.cc == arch.triplet + '-gcc'
        assert arch.sysroot == '/usr/' + arch.triplet
        assert arch.byteorder == ('big' if arch.name == 's390x' else 'little')


def test_jit_for_aarch64_is_refused_with_the_alternatives():
    with pytest.raises(PluginError) as e:
        _plugin('--arch=aarch64').configure(_config(jit=True))
    message = str(e.value)
    assert '--opt=jit --arch=aarch64: rpython has no JIT backend for aarch64' in message
    assert '--opt=2' in message


@pytest.mark.parametrize('arch', ['ppc64le', 's390x', 'x86_64'])
def test_jit_is_accepted_where_rpython_has_a_backend(arch, monkeypatch):
    monkeypatch.setattr(crossarch.os.path, 'exists', lambda path: True)
    _plugin('--arch=' + arch).configure(_config(jit=True))


def test_foreign_jit_without_the_target_libffi_says_how_to_get_it(monkeypatch):
    monkeypatch.setattr(crossarch.os.path, 'exists', lambda path: False)
    with pytest.raises(PluginError) as e:
        _plugin('--arch=ppc64le').configure(_config(jit=True))
    assert '/usr/powerpc64le-linux-gnu/include/ffi.h is missing' in str(e.value)
    assert 'rplug.bootstrap --cross-libffi' in str(e.value)
    assert 'libffi-dev:ppc64el' in str(e.value)


def test_an_x86_jit_backend_is_refused_for_another_target():
    with pytest.raises(PluginError) as e:
        _plugin('--arch=ppc64le').configure(_config(jit=True, jit_backend='x86'))
    assert 'does not generate code for ppc64le' in str(e.value)


@pytest.mark.skipif(platform.machine() != 'x86_64', reason='needs an x86-64 host')
def test_asmgcc_and_other_platforms_are_refused_for_foreign_targets():
    with pytest.raises(PluginError):
        _plugin('--arch=s390x').configure(_config(gcrootfinder='asmgcc'))
    with pytest.raises(PluginError):
        _plugin('--arch=s390x').configure(_config(platform='arm'))


@pytest.mark.skipif(platform.machine() != 'x86_64', reason='needs an x86-64 host')
def test_native_arch_changes_nothing():
    byteorder = sys.byteorder
    meta_path = list(sys.meta_path)
    _plugin('--arch=x86_64').before_rpython()
    assert sys.byteorder == byteorder
    assert sys.meta_path == meta_path
    assert platform.machine() == 'x86_64'


def test_target_float_answers_the_target_format():
    big = type('float', (TargetFloat,), {'target_format': 'IEEE, big-endian'})
    assert big.__getformat__('double') == 'IEEE, big-endian'
    assert big(1.5) == 1.5


@pytest.mark.parametrize('word, byteorder, expected', [
    (0x80, 'little', (0, -128)), (0x80, 'big', (7, -128)),
    (1 << 33, 'little', (4, 2)), (1 << 33, 'big', (3, 2)),
])
def test_flag_byte_offsets_follow_the_target_order(word, byteorder, expected):
    assert flag_byte(word, byteorder) == expected
