"""The corpus programs (corpus/*.lua) on the untranslated interpreter must
print what lua5.4 prints and exit the same way.  The translated binary runs
the same corpus in tests/translated/test_lua.py."""
import pytest

from lua_helpers import corpus_scripts, have_oracle, run_lua_file, run_oracle_file


@pytest.mark.skipif(not have_oracle(), reason="lua5.4 is not installed")
@pytest.mark.parametrize("name", corpus_scripts())
def test_corpus_program_matches_lua54(name):
    ours = run_lua_file(name)
    expected = run_oracle_file(name)
    assert ours.stdout == expected.stdout
    assert ours.status == expected.status
    assert ours.stderr == expected.stderr
