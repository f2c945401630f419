"""localtime/gmtime/mktime/strftime/asctime/ctime answered in the virtual zone UTC."""
import calendar
import errno
import time

import pytest

from sandbox import host_architecture
from sandbox.broken_down_time import TM, BrokenDownTime
from sandbox.controller import DefaultController

ARCH = host_architecture()


class TimeController(BrokenDownTime, DefaultController):
    pass


def time_t(seconds):
    return {"bytes": seconds.to_bytes(8, ARCH.byteorder, signed=True), "name": "t"}


def tm_bytes(**fields):
    values = {name: 0 for name in TM.fields}
    values.update(fields)
    return TM.pack(ARCH.byteorder, values)


@pytest.fixture
def run_time(run_child):
    def run(script):
        status, report, _ = run_child(script, controller_class=TimeController)
        assert status == 0
        return report
    return run


def test_localtime_and_gmtime_are_utc(run_time):
    moment = 1700000000         # 2023-11-14 22:13:20 UTC, a Tuesday
    report = run_time([{"call": "localtime(p)p", "args": [time_t(moment)], "peek": TM.size},
                       {"call": "gmtime(p)p", "args": [time_t(moment)], "peek": TM.size}])
    for index in (0, 1):
        fields = TM.unpack(ARCH.byteorder, report.at_result(index))
        assert (fields["tm_year"], fields["tm_mon"], fields["tm_mday"]) == (123, 10, 14)
        assert (fields["tm_hour"], fields["tm_min"], fields["tm_sec"]) == (22, 13, 20)
        assert (fields["tm_wday"], fields["tm_yday"], fields["tm_isdst"]) == (2, 317, 0)
        assert fields["tm_gmtoff"] == 0
        assert report.string_at(fields["tm_zone"]) == b"UTC"
    assert report.result(0) == report.result(1)       # one static struct tm, as in C


def test_gmtime_out_of_range_is_null_with_eoverflow(run_time):
    report = run_time([{"call": "gmtime(p)p", "args": [time_t(2 ** 62)]}])
    assert (report.result(), report.errno()) == (0, errno.EOVERFLOW)


def test_mktime_inverts_gmtime_and_normalises(run_time):
    # 2023-01-32 is February 1st; tm_wday is set (PyPy checks it for errors)
    report = run_time([{"call": "mktime(p)i", "args": [
        {"bytes": tm_bytes(tm_year=123, tm_mon=0, tm_mday=32, tm_hour=1, tm_wday=-1),
         "name": "tm"}]}])
    assert report.result() == calendar.timegm((2023, 2, 1, 1, 0, 0))
    fields = TM.unpack(ARCH.byteorder, report.buffer("tm"))
    assert (fields["tm_mon"], fields["tm_mday"], fields["tm_wday"]) == (1, 1, 3)


def test_strftime_formats_and_names_the_virtual_zone(run_time):
    report = run_time([{"call": "strftime(pipp)i", "args": [
        {"buf": 64, "name": "out"}, 64, {"cstr": b"%Y-%m-%d %H:%M %Z %z %%"},
        {"bytes": tm_bytes(tm_year=100, tm_mon=0, tm_mday=2, tm_hour=3, tm_min=4, tm_wday=0),
         "name": "tm"}]}])
    expected = b"2000-01-02 03:04 UTC +0000 %"
    assert report.result() == len(expected)
    assert report.buffer("out")[:len(expected) + 1] == expected + b"\0"


def test_strftime_into_a_too_small_buffer_returns_zero(run_time):
    report = run_time([{"call": "strftime(pipp)i", "args": [
        {"buf": 4, "name": "out"}, 4, {"cstr": b"%Y-%m"},
        {"bytes": tm_bytes(tm_year=100), "name": "tm"}]}])
    assert report.result() == 0 and report.buffer("out") == bytes(4)


def test_ctime_and_asctime_use_the_c_layout(run_time):
    report = run_time([{"call": "ctime(p)p", "args": [time_t(946684800)], "peek": 26},
                       {"call": "asctime(p)p", "args": [{"bytes": tm_bytes(
                           tm_year=123, tm_mon=10, tm_mday=14, tm_hour=22, tm_min=13,
                           tm_sec=20, tm_wday=2), "name": "tm"}], "peek": 26}])
    assert report.at_result(0) == b"Sat Jan  1 00:00:00 2000\n\0"
    assert report.at_result(1) == b"Tue Nov 14 22:13:20 2023\n\0"


def test_tzset_does_nothing_and_needs_nothing(run_time):
    report = run_time([{"call": "tzset()v"}, {"call": "localtime(p)p", "args": [time_t(0)],
                                               "peek": TM.size}])
    assert TM.unpack(ARCH.byteorder, report.at_result(1))["tm_year"] == 70
