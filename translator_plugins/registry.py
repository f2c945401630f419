"""The plugin registry: plugins declare, the core calls.

A plugin is a module or package inside ``translator_plugins`` that defines a
module-level ``PLUGIN`` object (an instance of a ``Plugin`` subclass).  It
declares its command-line options and overrides the hooks it needs; the
registry knows nothing about any particular plugin, so adding one never edits
this file or the front end.

Hooks, in the order the translation reaches them (each gets the plugin's
parsed option values as ``self.values``):

- ``before_rpython()``: the options are parsed and nothing of RPython's
  translator, its libraries (``rpython.rlib``, ``rpython.rtyper``) or the
  target is imported yet; only ``rpython.config`` and
  ``rpython.translator.platform`` may be.  A plugin that must change a fact
  RPython reads when its modules are imported (the C platform, the byte
  order) does it here.  Raise ``PluginError`` to refuse the options.
- ``configure(config)``: adjust RPython's config before anything is built.
- ``before_annotation(driver)``: the TranslationDriver exists, nothing is
  annotated yet.
- ``after_rtyping(driver)``: low-level graphs exist (before the JIT is
  generated and before backend optimisations).
- ``make_funcnode(db, T, obj, forcename, default)``: at C database creation,
  for every function object that becomes a C node.  Return a node, or None
  to let the next plugin (and finally RPython) decide.
- ``extra_c_sources(driver)``: after the database is complete; return a list
  of ExternalCompilationInfo objects merged into the build.
- ``after_compile(driver, executable)``: the binary exists.

Plugins also say which non-Python files they read (``input_files``), so that
rplug's build cache knows a translation depends on them.
"""
import importlib
import os
import pkgutil


class PluginError(Exception):
    """A plugin option or hook was used wrongly (a user-facing error)."""


class Option(object):
    """One command-line option of a plugin.

    ``flag`` is the long option (``--sandbox``).  With ``choices`` the option
    takes a value (``--sandbox-seccomp=off``); otherwise it is a switch.
    ``enables`` says whether giving it turns the plugin on.
    """

    def __init__(self, flag, help, choices=None, default=None, enables=False):
        assert flag.startswith('--')
        self.flag = flag
        self.help = help
        self.choices = choices
        self.default = default if choices else False
        self.enables = enables

    @property
    def dest(self):
        return self.flag[2:].replace('-', '_')

    def usage(self):
        if self.choices:
            return '%s={%s}' % (self.flag, ','.join(self.choices))
        return self.flag


class Plugin(object):
    """Base class: every hook does nothing."""

    name = None
    description = ''
    options = ()

    def __init__(self):
        self.values = {}
        self.enabled = False

    def before_rpython(self):
        pass

    def configure(self, config):
        pass

    def before_annotation(self, driver):
        pass

    def after_rtyping(self, driver):
        pass

    def make_funcnode(self, db, T, obj, forcename, default):
        return None

    def extra_c_sources(self, driver):
        return []

    def after_compile(self, driver, executable):
        pass

    def input_files(self):
        """Non-Python files the plugin reads into a translation (C sources):
        recorded in the build manifest so that editing them forces a rebuild."""
        return []


def discover_plugins():
    """Import every module of this package that defines PLUGIN; sorted by name."""
    package_dir = os.path.dirname(os.path.abspath(__file__))
    plugins = []
    for _, modname, _ in pkgutil.iter_modules([package_dir]):
        module = importlib.import_module('translator_plugins.' + modname)
        plugin = getattr(module, 'PLUGIN', None)
        if plugin is not None:
            plugins.append(plugin)
    plugins.sort(key=lambda p: p.name)
    return plugins


def split_plugin_options(argv, plugins):
    """Take the plugins' options out of ``argv`` (up to the target).

    Returns the remaining arguments, for RPython's own option parser.  Options
    must come before the target file; after it, everything belongs to the
    target.  An option with choices takes its value as ``--flag=VALUE`` or
    as the next argument (``--flag VALUE``).
    """
    by_flag = {}
    for plugin in plugins:
        for option in plugin.options:
            by_flag[option.flag] = (plugin, option)
    remaining = []
    seen_target = False
    args = iter(argv)
    for arg in args:
        if seen_target:
            remaining.append(arg)
            continue
        if not arg.startswith('-') and arg.endswith('.py'):
            seen_target = True
            remaining.append(arg)
            continue
        flag, has_value, value = arg.partition('=')
        if flag not in by_flag:
            remaining.append(arg)
            continue
        plugin, option = by_flag[flag]
        if option.choices:
            if not has_value:
                value = next(args, None)
                has_value = value is not None and not value.startswith('-')
            if not has_value:
                raise PluginError('%s needs a value: %s' % (flag, option.usage()))
            if value not in option.choices:
                raise PluginError('%s=%s: the value must be one of %s'
                                  % (flag, value, ', '.join(option.choices)))
            plugin.values[option.dest] = value
        else:
            if has_value:
                raise PluginError('%s takes no value' % flag)
            plugin.values[option.dest] = True
        if option.enables:
            plugin.enabled = True
    for plugin in plugins:
        for option in plugin.options:
            plugin.values.setdefault(option.dest, option.default)
        if not plugin.enabled:
            given = [o.flag for o in plugin.options
                     if plugin.values[o.dest] != o.default]
            if given:
                enabling = [o.flag for o in plugin.options if o.enables]
                raise PluginError('%s only applies together with %s'
                                  % (', '.join(given), ' or '.join(enabling)))
    return remaining


def plugin_help(plugins):
    lines = ['Plugin options (rplug):']
    for plugin in plugins:
        lines.append('  %s: %s' % (plugin.name, plugin.description))
        for option in plugin.options:
            default = ' (default: %s)' % option.default if option.choices else ''
            lines.append('    %-28s %s%s' % (option.usage(), option.help, default))
    return '\n'.join(lines)
