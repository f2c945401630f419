"""The plugin registry: discovery and option splitting (Python 2.7)."""
import pytest

from translator_plugins import registry
from translator_plugins.registry import Option, Plugin, PluginError


class _Demo(Plugin):
    name = 'demo'
    options = (Option('--demo', 'turn it on', enables=True),
               Option('--demo-level', 'how much', choices=('low', 'high'), default='low'))


def test_discovery_finds_the_sandbox_plugin():
    names = [p.name for p in registry.discover_plugins()]
    assert 'sandbox' in names


def test_plugin_options_are_taken_out_before_the_target():
    plugin = _Demo()
    rest = registry.split_plugin_options(
        ['--demo', '--demo-level=high', '--opt=2', 'target.py', '--demo'], [plugin])
    assert rest == ['--opt=2', 'target.py', '--demo']
    assert plugin.enabled
    assert plugin.values == {'demo': True, 'demo_level': 'high'}


def test_defaults_fill_in_and_plugin_stays_off():
    plugin = _Demo()
    assert registry.split_plugin_options(['t.py'], [plugin]) == ['t.py']
    assert not plugin.enabled
    assert plugin.values['demo_level'] == 'low'


def test_bad_choice_names_the_choices():
    with pytest.raises(PluginError) as e:
        registry.split_plugin_options(['--demo', '--demo-level=max', 't.py'], [_Demo()])
    assert 'must be one of low, high' in str(e.value)


def test_option_of_a_disabled_plugin_is_refused():
    with pytest.raises(PluginError) as e:
        registry.split_plugin_options(['--demo-level=high', 't.py'], [_Demo()])
    assert 'only applies together with --demo' in str(e.value)


def test_switch_with_value_is_refused():
    with pytest.raises(PluginError):
        registry.split_plugin_options(['--demo=yes', 't.py'], [_Demo()])


def test_help_mentions_every_option():
    text = registry.plugin_help([_Demo()])
    assert '--demo' in text and '--demo-level={low,high}' in text
