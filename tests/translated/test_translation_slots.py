"""How many translations run at once (rplug.translate's slots) and the build
cache's per-binary lock, which together let rplug.prebuild and the tests ask
for binaries in parallel without oversubscribing the CPUs or translating
anything twice."""
import fcntl
import subprocess
import threading

import pytest

from rplug import buildcache, paths, translate
from rplug.buildcache import cached_translate

GREETER = (
    "import os\n"
    "def entry_point(argv):\n"
    "    os.write(1, 'hello from %s\\n')\n"
    "    return 0\n"
    "def target(*args):\n"
    "    return entry_point, None\n")


@pytest.fixture
def lock_base(tmp_path, monkeypatch):
    base = str(tmp_path / "translate.lock")
    monkeypatch.setattr(paths, "TRANSLATE_LOCK", base)
    return base


def hold(path):
    handle = open(path, "a")
    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return handle


def test_second_slot_is_taken_when_the_first_is_busy(lock_base, monkeypatch):
    monkeypatch.setenv("RPLUG_TRANSLATIONS", "2")
    busy = hold(lock_base)
    waits = []
    with translate._TranslateLock(waits.append) as lock:
        assert lock.handle.name == lock_base + ".1"
    assert waits == []
    busy.close()


def test_one_slot_waits_until_it_is_free(lock_base, monkeypatch):
    monkeypatch.setenv("RPLUG_TRANSLATIONS", "1")
    busy = hold(lock_base)
    waits = []
    timer = threading.Timer(1.0, busy.close)
    timer.start()
    with translate._TranslateLock(waits.append) as lock:
        assert lock.handle.name == lock_base
    timer.join()
    assert len(waits) == 1 and "waiting for one of 1 running translation" in waits[0]


def test_all_slots_busy_means_waiting(lock_base, monkeypatch):
    monkeypatch.setenv("RPLUG_TRANSLATIONS", "2")
    busy = [hold(lock_base), hold(lock_base + ".1")]
    waits = []
    timer = threading.Timer(1.0, busy[1].close)
    timer.start()
    with translate._TranslateLock(waits.append) as lock:
        assert lock.handle.name == lock_base + ".1"
    timer.join()
    busy[0].close()
    assert len(waits) == 1 and "one of 2" in waits[0]


def test_same_binary_asked_twice_at_once_is_translated_once(tmp_path, monkeypatch):
    monkeypatch.setenv("RPLUG_TRANSLATIONS", "2")
    target = tmp_path / "targetconcurrent.py"
    target.write_text(GREETER % tmp_path.name)
    before = len(buildcache.TRANSLATED_BY_THIS_PROCESS)
    results, errors = [], []

    def ask():
        try:
            results.append(cached_translate(str(target)))
        except Exception as e:          # reported below, with the thread's error
            errors.append(e)
    threads = [threading.Thread(target=ask) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(results) == 2 and results[0] == results[1]
    assert buildcache.TRANSLATED_BY_THIS_PROCESS[before:] == [(str(target), [], None)]
    out = subprocess.run([results[0]], capture_output=True).stdout
    assert out == ("hello from %s\n" % tmp_path.name).encode()


def test_background_translation_gives_way_to_a_waiting_one(lock_base, monkeypatch):
    monkeypatch.setenv("RPLUG_TRANSLATIONS", "1")
    monkeypatch.setenv("RPLUG_TRANSLATION_BACKGROUND", "1")
    waiter = open(lock_base + ".wanted", "a")
    fcntl.flock(waiter, fcntl.LOCK_SH)          # as a foreground process waiting for a slot
    background = translate._TranslateLock(lambda text: None)
    assert background._try_slots(background.slot_paths()) is None
    waiter.close()                              # it got its slot, or it died
    handle = background._try_slots(background.slot_paths())
    assert handle is not None and handle.name == lock_base
    handle.close()


def test_a_waiting_foreground_translation_is_seen_by_background_ones(lock_base, monkeypatch):
    monkeypatch.setenv("RPLUG_TRANSLATIONS", "1")
    busy = hold(lock_base)
    seen = []

    def watch():
        seen.append(translate._TranslateLock._somebody_waits())
        busy.close()
    timer = threading.Timer(1.0, watch)
    timer.start()
    with translate._TranslateLock(lambda text: None):
        pass
    timer.join()
    assert seen == [True]
    assert not translate._TranslateLock._somebody_waits()
