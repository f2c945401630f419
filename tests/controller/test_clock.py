"""Virtual and real clocks."""
import time

from sandbox import host_architecture
from sandbox.clock import CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME_ID, CLOCK_REALTIME
from sandbox.files import VIRTUAL_EPOCH

ARCH = host_architecture()


def timespec_call(clock_id):
    return {"call": "clock_gettime(ip)i", "args": [clock_id, {"buf": 16, "name": "ts"}]}


def seconds_of(report, index, layout="timespec", fraction="tv_nsec", scale=1e9):
    fields = ARCH.unpack(layout, report.buffer("ts", index))
    return fields["tv_sec"] + fields[fraction] / scale


def test_virtual_wall_clock_starts_at_the_epoch_and_moves_forward(run_child):
    _, report, _ = run_child([{"call": "time(p)i", "args": [{"buf": 8, "name": "t"}]},
                              timespec_call(CLOCK_REALTIME), timespec_call(CLOCK_REALTIME),
                              {"call": "gettimeofday(pp)i", "args": [{"buf": 16, "name": "ts"},
                                                                     {"ptr": 0}]}])
    assert report.result(0) == VIRTUAL_EPOCH
    assert int.from_bytes(report.buffer("t", 0), ARCH.byteorder) == VIRTUAL_EPOCH
    first, second = seconds_of(report, 1), seconds_of(report, 2)
    assert VIRTUAL_EPOCH <= first < second < VIRTUAL_EPOCH + 1
    assert second < seconds_of(report, 3, "timeval", "tv_usec", 1e6) < VIRTUAL_EPOCH + 1


def test_virtual_sleep_advances_time_without_waiting(run_child):
    timeval = ARCH.pack("timeval", {"tv_sec": 3600, "tv_usec": 0})
    started = time.monotonic()
    _, report, _ = run_child([
        timespec_call(CLOCK_MONOTONIC),
        {"call": "select(ipppp)i", "args": [0, 0, 0, 0, {"bytes": timeval, "name": "tv"}]},
        timespec_call(CLOCK_MONOTONIC)])
    assert report.result(1) == 0
    assert 3600 <= seconds_of(report, 2) - seconds_of(report, 0) < 3601
    assert time.monotonic() - started < 5


def test_select_on_descriptors_is_refused(run_child):
    _, report, _ = run_child([{"call": "select(ipppp)i",
                               "args": [1, {"buf": 128, "name": "set"}, 0, 0, 0]}])
    assert (report.result(), report.errno()) == (-1, 38)


def test_real_time_option_shows_the_host_clock(run_child):
    _, report, _ = run_child([timespec_call(CLOCK_REALTIME)], real_time=True)
    assert abs(seconds_of(report, 0) - time.time()) < 30


def test_unknown_clock_is_einval(run_child):
    _, report, _ = run_child([timespec_call(12345)])
    assert (report.result(), report.errno()) == (-1, 22)


def test_cpu_clocks_times_and_getrusage_count_from_zero(run_child):
    _, report, _ = run_child([timespec_call(CLOCK_PROCESS_CPUTIME_ID),
                              {"call": "clock()i"},
                              {"call": "times(p)i", "args": [{"buf": 32, "name": "tms"}]},
                              {"call": "getrusage(ip)i", "args": [0, {"buf": 144, "name": "ru"}]}])
    assert 0 < seconds_of(report, 0) < 1
    assert 0 < report.result(1) < 1000
    assert report.result(2) == 0 and report.result(3) == 0


def test_sleeping_for_ever_keeps_the_clock_in_range(run_child):
    forever = ARCH.pack("timeval", {"tv_sec": 2 ** 63 - 1, "tv_usec": 0})
    sleep = {"call": "select(ipppp)i", "args": [0, 0, 0, 0, {"bytes": forever, "name": "tv"}]}
    _, report, _ = run_child([sleep, sleep, timespec_call(CLOCK_REALTIME)])
    assert report.result(2) == 0
    assert seconds_of(report, 2) < VIRTUAL_EPOCH + 101 * 365 * 24 * 3600
