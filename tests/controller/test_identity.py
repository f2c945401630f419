"""The virtual user, process and machine."""
import errno

from sandbox import host_architecture

ARCH = host_architecture()


def test_ids_are_virtual(run_child):
    _, report, _ = run_child([{"call": name} for name in (
        "getpid()i", "getppid()i", "getuid()i", "geteuid()i", "getgid()i", "getegid()i",
        "rpy_cpu_count()i")])
    assert [call["result"] for call in report.calls] == [2, 1, 1000, 1000, 1000, 1000, 1]


def test_uname_describes_a_virtual_linux_of_the_childs_architecture(run_child):
    size = ARCH.layout("utsname").size
    _, report, _ = run_child([{"call": "uname(p)i", "args": [{"buf": size, "name": "u"}]}])
    fields = ARCH.unpack("utsname", report.buffer("u"))
    assert (fields["sysname"], fields["nodename"], fields["machine"]) == (
        b"Linux", b"sandbox", ARCH.machine.encode())


def test_gethostname_and_its_short_buffer(run_child):
    _, report, _ = run_child([{"call": "gethostname(pi)i", "args": [{"buf": 64, "name": "h"}, 64]},
                              {"call": "gethostname(pi)i", "args": [{"buf": 3, "name": "h"}, 3]}])
    assert report.buffer("h", 0).rstrip(b"\0") == b"sandbox"
    assert report.errno(1) == errno.ENAMETOOLONG and report.buffer("h", 1) == bytes(3)


def test_sysconf_answers_known_names_and_refuses_others(run_child):
    _, report, _ = run_child([{"call": "sysconf(i)i", "args": [30]},
                              {"call": "sysconf(i)i", "args": [84]},
                              {"call": "sysconf(i)i", "args": [9999]}])
    assert [call["result"] for call in report.calls] == [4096, 1, -1]
    assert report.errno(2) == errno.EINVAL


def test_proc_files_describe_the_virtual_machine(run_child):
    def read_file(path, index):
        return [{"call": "open(pii)i", "args": [{"cstr": path}, 0, 0]},
                {"call": "read(ipi)i", "args": [{"result_of": index}, {"buf": 200, "name": "d"}, 200]}]
    _, report, _ = run_child(read_file(b"/proc/cpuinfo", 0) + read_file(b"/proc/meminfo", 2))
    assert b"cache size\t: 1024 KB\n" in report.buffer("d", 1)
    assert report.buffer("d", 3).startswith(b"MemTotal:       1048576 kB\n")
