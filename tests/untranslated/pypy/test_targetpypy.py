"""targets/pypy/targetpypy.py's configuration of PyPy, checked without translating.

Needs a PyPy checkout (RPLUG_PYPY_CHECKOUT).  Each check runs in its own
Python 2.7 process with the checkout first on sys.path, because the
checkout's rpython must not mix with the PyPI rpython this pytest imported.
"""
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
CHECKOUT = os.environ.get('RPLUG_PYPY_CHECKOUT')

pytestmark = pytest.mark.skipif(
    not CHECKOUT, reason='RPLUG_PYPY_CHECKOUT is not set: no PyPy source checkout here')


def run_with_checkout(code):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [CHECKOUT, ROOT, os.path.join(ROOT, 'targets', 'pypy')]), PYTHONDONTWRITEBYTECODE='1')
    process = subprocess.Popen([sys.executable, '-c', code], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=env)
    out, err = process.communicate()
    assert process.returncode == 0, err
    return out.decode('ascii').split()


CONFIGURED = '''
import targetpypy
from pypy.config.pypyoption import get_pypy_config
config = get_pypy_config(translating=True)
targetpypy.configure_for_sandbox(config)
'''


def test_sandbox_configuration_has_no_threads_no_native_modules_one_executable():
    words = run_with_checkout(CONFIGURED + '''
u = config.objspace.usemodules
print config.translation.thread, config.translation.continuation, config.translation.shared
print u.cpyext, u._cffi_backend, u._socket, u.signal, u.thread, u._continuation
print u.struct, u.binascii, u.time, u.posix
print config.objspace.allworkingmodules, config.objspace.lonepycfiles
print config.objspace.disable_entrypoints
''')
    assert words == ['False'] * 3 + ['False'] * 6 + ['True'] * 4 + ['False', 'False', 'True']


def test_an_option_that_undoes_the_sandbox_is_refused():
    words = run_with_checkout(CONFIGURED + '''
from rpython.config.config import ConflictConfigError
try:
    config.objspace.usemodules.thread = True     # what --withmod-thread would do
except ConflictConfigError:
    print 'conflict'
import targetpypy
from pypy.config.pypyoption import get_pypy_config
unconfigured = get_pypy_config(translating=True)
unconfigured.objspace.usemodules._socket = True
try:
    targetpypy.check_sandbox_config(unconfigured)
except targetpypy.SandboxConfigError as e:
    print str(e).split(': ')[-1]
''')
    assert words == ['conflict', '--withmod-_socket']


def test_the_plain_action_flag_gets_rearm_ticker():
    words = run_with_checkout('''
import targetpypy
from pypy.interpreter.executioncontext import ActionFlag
print hasattr(ActionFlag, 'rearm_ticker')
targetpypy.complete_plain_action_flag()
flag = ActionFlag()
flag.rearm_ticker()
print flag.get_ticker()
''')
    assert words == ['False', '-1']


def test_the_review_list_marks_every_reviewed_function_and_external():
    words = run_with_checkout('''
import sandbox_review
from translator_plugins.sandbox.review import program_reviewed_externals
sandbox_review.apply()
import importlib
marked = [bool(getattr(getattr(importlib.import_module(m), f), '_rplug_sandbox_trusted_', ''))
          for m, f in sandbox_review.TRUSTED_FUNCTIONS]
print all(marked), len(marked)
print sorted(program_reviewed_externals()) == sorted(sandbox_review.REVIEWED_EXTERNALS)
''')
    assert words == ['True', '5', 'True']
