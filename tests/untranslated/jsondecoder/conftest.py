"""Fixtures for the decoder's untranslated tests.

`decode(text, **options)` decodes with a fresh reference-host decoder and
returns plain Python objects (unicode, int/long, float, list, dict), so a
test can compare with Python's own json module.  `decoder` gives a
long-lived decoder, for tests that look at maps and caches across objects.
"""
import pytest

from jsondecoder_helpers import make_decoder, to_python


@pytest.fixture
def decode():
    def decode(text, **options):
        return to_python(make_decoder(**options).decode(text))
    return decode


@pytest.fixture
def decoder():
    return make_decoder()
