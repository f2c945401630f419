"""Random bytes from getrandom and /dev/urandom."""
import errno

from sandbox import host_architecture

ARCH = host_architecture()


def getrandom(size, number=None):
    return {"call": "syscall(ipii)i",
            "args": [ARCH.sys_getrandom if number is None else number,
                     {"buf": size, "name": "r"}, size, 1]}


def test_getrandom_fills_the_buffer(run_child):
    _, report, _ = run_child([getrandom(64), getrandom(64)])
    first, second = report.buffer("r", 0), report.buffer("r", 1)
    assert report.result(0) == 64 and first != bytes(64) and first != second


def test_seeded_runs_are_reproducible(run_child):
    _, first, _ = run_child([getrandom(32)], random_seed=7)
    _, second, _ = run_child([getrandom(32)], random_seed=7)
    assert first.buffer("r") == second.buffer("r")


def test_other_syscalls_are_enosys(run_child):
    _, report, _ = run_child([getrandom(8, number=57)])        # fork on x86_64
    assert (report.result(), report.errno()) == (-1, errno.ENOSYS)
    assert report.buffer("r") == bytes(8)


def test_dev_urandom_is_readable_through_the_vfs(run_child):
    _, report, _ = run_child([{"call": "open(pii)i", "args": [{"cstr": b"/dev/urandom"}, 0, 0]},
                              {"call": "read(ipi)i",
                               "args": [{"result_of": 0}, {"buf": 32, "name": "r"}, 32]}])
    assert report.result(1) == 32 and report.buffer("r") != bytes(32)
