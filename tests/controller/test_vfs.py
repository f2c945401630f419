"""The virtual filesystem: every path call, and every way out of the tree refused."""
import errno
import io
import os
import stat

import pytest

from controller_limits import test_limits
from sandbox import host_architecture
from sandbox.vfs import O_APPEND, O_CREAT, O_EXCL, O_RDONLY, O_RDWR, O_WRONLY, R_OK, W_OK

ARCH = host_architecture()
STAT_SIZE = ARCH.layout("stat").size
DIRENT_SIZE = ARCH.layout("dirent").size


@pytest.fixture
def host(tmp_path):
    """A host tree: data/ (mounted read-only at /data), secret.txt outside, tmp/."""
    tmp_path = tmp_path / "host"
    data = tmp_path / "data"
    (data / "sub").mkdir(parents=True)
    (data / "hello.txt").write_bytes(b"hello world")
    (data / "sub" / "inner.txt").write_bytes(b"inner")
    (tmp_path / "secret.txt").write_bytes(b"secret")
    (tmp_path / "tmp").mkdir()
    os.symlink("hello.txt", data / "link_inside")
    os.symlink(str(data / "sub" / "inner.txt"), data / "link_absolute_inside")
    os.symlink("../secret.txt", data / "link_out")
    os.symlink(str(tmp_path / "secret.txt"), data / "link_absolute_out")
    os.symlink("..", data / "link_parent")
    os.symlink("sub/../../secret.txt", data / "link_sneaky")
    os.symlink("loop_b", data / "loop_a")
    os.symlink("loop_a", data / "loop_b")
    os.mkfifo(data / "fifo")
    return tmp_path


@pytest.fixture
def run_fs(run_child, host):
    audit = io.StringIO()

    def run(script, **options):
        options.setdefault("mounts", [(str(host / "data"), "/data", False)])
        options.setdefault("tmp_dir", str(host / "tmp"))
        status, report, process = run_child(script, audit=audit, **options)
        assert status == 0
        report.audit = audit.getvalue()
        return report
    return run


def host_snapshot(root):
    """Every path under ``root`` with its content (files) or None (others)."""
    snapshot = {}
    for directory, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = os.path.join(directory, name)
            snapshot[path] = (open(path, "rb").read()
                              if os.path.isfile(path) and not os.path.islink(path) else None)
    return snapshot


def call_open(path, flags=O_RDONLY, mode=0):
    return {"call": "open(pii)i", "args": [{"cstr": path}, flags, mode]}


def call_read(fd_call, size=100):
    return {"call": "read(ipi)i", "args": [{"result_of": fd_call}, {"buf": size, "name": "data"},
                                           size]}


def call_stat(path, name="stat64"):
    return {"call": "%s(pp)i" % name, "args": [{"cstr": path}, {"buf": STAT_SIZE, "name": "st"}]}


def decoded_stat(report, index=-1):
    return ARCH.unpack("stat", report.buffer("st", index))


def open_errno(run_fs, path, flags=O_RDONLY, **options):
    report = run_fs([call_open(path, flags, 0o644)], **options)
    assert report.result() == -1
    return report.errno()


# -- reading ------------------------------------------------------------------

def test_mounted_file_can_be_opened_read_and_closed(run_fs):
    report = run_fs([call_open(b"/data/hello.txt"), call_read(0),
                     {"call": "close(i)i", "args": [{"result_of": 0}]}])
    assert report.result(0) == 3
    assert report.result(1) == 11 and report.buffer("data", 1)[:11] == b"hello world"
    assert report.result(2) == 0


def test_relative_paths_start_at_the_virtual_cwd(run_fs):
    report = run_fs([{"call": "chdir(p)i", "args": [{"cstr": b"/data/sub"}]},
                     call_open(b"inner.txt"), call_read(1),
                     {"call": "getcwd(pi)p", "args": [{"buf": 64, "name": "cwd"}, 64]}])
    assert report.buffer("data", 2)[:5] == b"inner"
    assert report.buffer("cwd", 3).rstrip(b"\0") == b"/data/sub"


def test_getcwd_with_small_buffer_is_erange(run_fs):
    report = run_fs([{"call": "chdir(p)i", "args": [{"cstr": b"/data/sub"}]},
                     {"call": "getcwd(pi)p", "args": [{"buf": 4, "name": "cwd"}, 4]}])
    assert (report.result(), report.errno()) == (0, errno.ERANGE)


def test_lseek_then_read(run_fs):
    report = run_fs([call_open(b"/data/hello.txt"),
                     {"call": "lseek(iii)i", "args": [{"result_of": 0}, 6, 0]},
                     call_read(0)])
    assert report.result(1) == 6 and report.buffer("data")[:5] == b"world"


def test_stat64_describes_a_read_only_regular_file(run_fs):
    report = run_fs([call_stat(b"/data/hello.txt")])
    fields = decoded_stat(report)
    assert report.result() == 0
    assert stat.S_ISREG(fields["st_mode"]) and not fields["st_mode"] & 0o222
    assert fields["st_size"] == 11 and fields["st_uid"] == 1000 and fields["st_gid"] == 1000


def test_stat64_of_virtual_and_mounted_directories(run_fs):
    report = run_fs([call_stat(b"/"), call_stat(b"/data"), call_stat(b"/tmp")])
    assert all(stat.S_ISDIR(decoded_stat(report, index)["st_mode"]) for index in range(3))
    assert decoded_stat(report, 2)["st_mode"] & 0o200


def test_lstat64_sees_the_symlink_and_stat64_its_target(run_fs):
    report = run_fs([call_stat(b"/data/link_inside", "lstat64"),
                     call_stat(b"/data/link_inside")])
    assert stat.S_ISLNK(decoded_stat(report, 0)["st_mode"])
    assert stat.S_ISREG(decoded_stat(report, 1)["st_mode"])
    assert decoded_stat(report, 1)["st_size"] == 11


def test_fstat64_of_an_open_file(run_fs):
    report = run_fs([call_open(b"/data/hello.txt"),
                     {"call": "fstat64(ip)i", "args": [{"result_of": 0},
                                                       {"buf": STAT_SIZE, "name": "st"}]}])
    assert decoded_stat(report)["st_size"] == 11


def test_missing_file_is_enoent(run_fs):
    assert open_errno(run_fs, b"/data/nope.txt") == errno.ENOENT
    report = run_fs([call_stat(b"/nope/deeper")])
    assert report.errno() == errno.ENOENT


def test_access_reports_read_only_mounts(run_fs):
    report = run_fs([{"call": "access(pi)i", "args": [{"cstr": b"/data/hello.txt"}, R_OK]},
                     {"call": "access(pi)i", "args": [{"cstr": b"/data/hello.txt"}, W_OK]},
                     {"call": "access(pi)i", "args": [{"cstr": b"/tmp"}, W_OK]}])
    assert [call["result"] for call in report.calls] == [0, -1, 0]
    assert report.errno(1) == errno.EROFS


def test_opendir_readdir_closedir_list_the_virtual_root(run_fs):
    script = [{"call": "opendir(p)p", "args": [{"cstr": b"/"}]}]
    script += [{"call": "readdir(p)p", "args": [{"result_of": 0}], "peek": DIRENT_SIZE}] * 7
    script += [{"call": "closedir(p)i", "args": [{"result_of": 0}]}]
    report = run_fs(script)
    names = [ARCH.unpack("dirent", call["at_result"])["d_name"]
             for call in report.calls[1:7]]
    assert names == [b".", b"..", b"data", b"dev", b"proc", b"tmp"]
    assert report.result(7) == 0                       # end of directory: NULL
    assert report.result(8) == 0 and report.freed == [report.result(0)]


def test_readdir_lists_a_mounted_directory(run_fs, host):
    script = [{"call": "opendir(p)p", "args": [{"cstr": b"/data/sub"}]}]
    script += [{"call": "readdir(p)p", "args": [{"result_of": 0}], "peek": DIRENT_SIZE}] * 4
    report = run_fs(script)
    entries = [ARCH.unpack("dirent", call["at_result"]) for call in report.calls[1:4]]
    assert [entry["d_name"] for entry in entries] == [b".", b"..", b"inner.txt"]
    assert entries[2]["d_type"] == 8 and report.result(4) == 0


def test_readdir_of_an_unknown_handle_is_ebadf(run_fs):
    report = run_fs([{"call": "readdir(p)p", "args": [{"ptr": 0x10010}]}])
    assert (report.result(), report.errno()) == (0, errno.EBADF)


def test_dev_null_reads_nothing_and_swallows_writes(run_fs):
    report = run_fs([call_open(b"/dev/null", O_RDWR), call_read(0),
                     {"call": "write(ipi)i", "args": [{"result_of": 0}, {"cstr": b"abc"}, 3]}])
    assert report.result(1) == 0 and report.result(2) == 3


# -- escapes ------------------------------------------------------------------

def test_dotdot_cannot_leave_the_virtual_root(run_fs):
    report = run_fs([call_open(b"/../../../data/hello.txt"), call_read(0)])
    assert report.buffer("data")[:5] == b"hello"
    assert open_errno(run_fs, b"/data/../../secret.txt") == errno.ENOENT
    assert open_errno(run_fs, b"../" * 30 + b"secret.txt") == errno.ENOENT


def test_absolute_host_paths_are_not_visible(run_fs, host):
    assert open_errno(run_fs, os.fsencode(host / "secret.txt")) == errno.ENOENT
    assert open_errno(run_fs, b"/etc/passwd") == errno.ENOENT


def test_symlink_inside_the_mount_is_followed(run_fs):
    report = run_fs([call_open(b"/data/link_inside"), call_read(0),
                     call_open(b"/data/link_absolute_inside"), call_read(2)])
    assert report.buffer("data", 1)[:11] == b"hello world"
    assert report.buffer("data", 3)[:5] == b"inner"


@pytest.mark.parametrize("path", [b"/data/link_out", b"/data/link_absolute_out",
                                  b"/data/link_parent/secret.txt", b"/data/link_sneaky"])
def test_symlink_pointing_out_of_its_mount_is_refused(run_fs, path):
    report = run_fs([call_open(path), call_stat(path)])
    assert (report.result(0), report.errno(0)) == (-1, errno.EACCES)
    assert report.errno(1) == errno.EACCES
    assert "refused path" in report.audit


def test_symlink_loop_is_eloop(run_fs):
    assert open_errno(run_fs, b"/data/loop_a") == errno.ELOOP


def test_fifo_in_a_mount_is_never_opened(run_fs):
    assert open_errno(run_fs, b"/data/fifo") == errno.EACCES


def test_overlong_path_is_enametoolong(run_fs):
    assert open_errno(run_fs, b"/data/" + b"a/" * 3000) == errno.ENAMETOOLONG


def test_read_only_mount_refuses_every_change_and_host_is_unchanged(run_fs, host):
    before = host_snapshot(host)
    report = run_fs([
        call_open(b"/data/hello.txt", O_WRONLY),
        call_open(b"/data/hello.txt", O_RDWR | O_APPEND),
        call_open(b"/data/new.txt", O_WRONLY | O_CREAT, 0o644),
        {"call": "unlink(p)i", "args": [{"cstr": b"/data/hello.txt"}]},
        {"call": "mkdir(pi)i", "args": [{"cstr": b"/data/newdir"}, 0o755]},
        {"call": "rmdir(p)i", "args": [{"cstr": b"/data/sub"}]},
        {"call": "rename(pp)i", "args": [{"cstr": b"/data/hello.txt"}, {"cstr": b"/data/x"}]},
        {"call": "rename(pp)i", "args": [{"cstr": b"/data/hello.txt"}, {"cstr": b"/tmp/x"}]},
        {"call": "unlink(p)i", "args": [{"cstr": b"/data/link_out"}]},
    ])
    assert [call["result"] for call in report.calls] == [-1] * 9
    assert all(call["errno"] == errno.EROFS for call in report.calls)
    assert host_snapshot(host) == before


def test_virtual_directories_cannot_be_changed(run_fs, host):
    before = host_snapshot(host)
    report = run_fs([
        {"call": "unlink(p)i", "args": [{"cstr": b"/dev/null"}]},
        {"call": "mkdir(pi)i", "args": [{"cstr": b"/newdir"}, 0o755]},
        {"call": "rmdir(p)i", "args": [{"cstr": b"/dev"}]},
        call_open(b"/newfile", O_WRONLY | O_CREAT),
    ])
    assert [call["errno"] for call in report.calls] == [errno.EROFS, errno.EROFS,
                                                        errno.EROFS, errno.EROFS]
    assert host_snapshot(host) == before


# -- the writable tmp ---------------------------------------------------------

def test_tmp_files_can_be_created_written_and_read_back(run_fs, host):
    report = run_fs([
        call_open(b"/tmp/out.txt", O_WRONLY | O_CREAT | O_EXCL, 0o644),
        {"call": "write(ipi)i", "args": [{"result_of": 0}, {"cstr": b"abc"}, 3]},
        {"call": "close(i)i", "args": [{"result_of": 0}]},
        call_open(b"/tmp/out.txt", O_WRONLY | O_CREAT | O_EXCL, 0o644),
    ])
    assert report.result(1) == 3 and report.result(2) == 0
    assert (host / "tmp" / "out.txt").read_bytes() == b"abc"
    assert report.errno(3) == errno.EEXIST


def test_tmp_supports_mkdir_rename_unlink_rmdir(run_fs, host):
    (host / "tmp" / "file").write_bytes(b"x")
    report = run_fs([
        {"call": "mkdir(pi)i", "args": [{"cstr": b"/tmp/dir"}, 0o755]},
        {"call": "rename(pp)i", "args": [{"cstr": b"/tmp/file"}, {"cstr": b"/tmp/dir/moved"}]},
        {"call": "unlink(p)i", "args": [{"cstr": b"/tmp/dir/moved"}]},
        {"call": "rmdir(p)i", "args": [{"cstr": b"/tmp/dir"}]},
        {"call": "rmdir(p)i", "args": [{"cstr": b"/tmp"}]},
    ])
    assert [call["result"] for call in report.calls] == [0, 0, 0, 0, -1]
    assert report.errno(4) == errno.EBUSY
    assert os.listdir(host / "tmp") == []


def test_rw_mount_is_writable(run_fs, host):
    report = run_fs([call_open(b"/work/new.txt", O_WRONLY | O_CREAT, 0o600),
                     {"call": "write(ipi)i", "args": [{"result_of": 0}, {"cstr": b"ok"}, 2]}],
                    mounts=[(str(host / "tmp"), "/work", True)], tmp_dir=None)
    assert report.result(1) == 2 and (host / "tmp" / "new.txt").read_bytes() == b"ok"


def test_disk_budget_ends_in_enospc(run_fs, host):
    report = run_fs([call_open(b"/tmp/big", O_WRONLY | O_CREAT, 0o600),
                     {"call": "write(ipi)i", "args": [{"result_of": 0}, {"buf": 20, "name": "b"}, 20]},
                     {"call": "write(ipi)i", "args": [{"result_of": 0}, {"buf": 20, "name": "b"}, 20]}],
                    limits=test_limits(max_disk_bytes=10))
    assert report.result(1) == 10
    assert (report.result(2), report.errno(2)) == (-1, errno.ENOSPC)
    assert (host / "tmp" / "big").stat().st_size == 10


def test_descriptor_table_is_bounded(run_fs):
    report = run_fs([call_open(b"/data/hello.txt")] * 3, limits=test_limits(max_open_files=5))
    assert [call["result"] for call in report.calls] == [3, 4, -1]
    assert report.errno() == errno.EMFILE


def test_o_directory_on_a_file_is_enotdir(run_fs):
    assert open_errno(run_fs, b"/data/hello.txt", ARCH.o_directory) == errno.ENOTDIR


def test_opening_a_directory_for_writing_is_eisdir(run_fs):
    assert open_errno(run_fs, b"/tmp", O_WRONLY) == errno.EISDIR


# -- building the tree ----------------------------------------------------------

def test_mount_inside_a_mount_is_refused(run_child, host):
    from sandbox import ConfigurationError
    with pytest.raises(ConfigurationError, match="not a virtual directory"):
        run_child([], mounts=[(str(host / "data"), "/data", False),
                              (str(host / "tmp"), "/data/inner", True)])


def test_mounting_tmp_twice_is_refused(run_child, host):
    from sandbox import ConfigurationError
    with pytest.raises(ConfigurationError, match="given twice"):
        run_child([], mounts=[(str(host / "data"), "/tmp", False)], tmp_dir=str(host / "tmp"))


def test_mounted_single_file_is_visible_at_its_virtual_path(run_fs, host):
    report = run_fs([call_open(b"/etc/motd"), call_read(0)],
                    mounts=[(str(host / "secret.txt"), "/etc/motd", False)])
    assert report.buffer("data")[:6] == b"secret"
