# rplug: the two commands of the README, and their parts.
#   make demo   set everything up, translate the default target with --sandbox,
#               run a bundled script in it under the controller
#   make test   set everything up, run every test (untranslated and translated)
PYTHON3 ?= python3
PY2 = build/py2/bin/python
PY3 = build/py3/bin/python
RPLUG = build/py3/bin/rplug

.PHONY: setup demo test test-untranslated test-controller test-translated bench clean

setup:
	$(PYTHON3) -m rplug.bootstrap

demo: setup
	$(PY3) -m rplug.demo

test: setup
	$(PY3) -m rplug.testall

test-untranslated: setup
	$(PY2) -m pytest tests/untranslated -q

test-controller: setup
	$(PY3) -m pytest tests/controller -q

test-translated: setup
	$(PY3) -m pytest tests/translated -q

bench: setup
	$(PY3) bench/sandbox/run.py
	$(PY3) bench/json/run.py

clean:
	rm -rf build
