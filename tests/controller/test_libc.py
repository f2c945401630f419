"""strerror: messages copied once, bounded for unknown numbers."""
import errno
import os


def test_strerror_gives_the_linux_message_once(run_child):
    _, report, _ = run_child([{"call": "strerror(i)p", "args": [errno.ENOENT]},
                              {"call": "strerror(i)p", "args": [errno.ENOENT]}])
    assert report.string_at(report.result(0)) == os.strerror(errno.ENOENT).encode()
    assert report.result(1) == report.result(0)


def test_unknown_numbers_share_one_message(run_child):
    _, report, _ = run_child([{"call": "strerror(i)p", "args": [number]}
                              for number in (100000, -5, 123456789)])
    assert len({call["result"] for call in report.calls}) == 1
    assert report.string_at(report.result(0)) == b"Unknown error"
