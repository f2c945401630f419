"""Reading the dump a binary prints under ``RPY_SANDBOX_DUMP`` (docs/protocol.md section 5).

The dump is the contract between a binary and its controller: every
signature the binary can send.  ``parse_dump`` refuses anything that is not
version 20001 for Linux, so that ``rplug check`` never approves a binary the
controller would misunderstand.
"""
import os
import select
import subprocess
import time

from sandbox.calls import BadSignature, Signature
from sandbox.errors import DumpError

PROTOCOL_VERSION = "20001"
LINUX_PLATFORMS = ("linux", "linux2")


class DumpInfo:
    """What a binary declares: version, platform, its calls, and rplug's extra lines."""

    def __init__(self, version, platform, signatures, extra):
        self.version = version
        self.platform = platform
        self.signatures = signatures
        self.machine = extra.get("Machine")
        self.byteorder = extra.get("Byteorder")
        self.wordsize = int(extra["Wordsize"]) if extra.get("Wordsize", "").isdigit() else None
        self.seccomp = extra.get("Seccomp")
        self.extra = extra


def parse_dump(raw):
    """DumpInfo from the dump text (bytes or str); DumpError says what is wrong."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("ascii")
        except UnicodeDecodeError:
            raise DumpError("the dump is not ASCII text; is this an rplug sandboxed "
                            "binary?") from None
    lines = {}
    for line in raw.splitlines():
        if not line.strip():
            continue
        key, colon, value = line.partition(":")
        if not colon:
            raise DumpError("dump line %r is not 'Key: value'" % line[:80])
        lines[key.strip()] = value.strip()
    for required in ("Version", "Platform", "Funcs"):
        if required not in lines:
            raise DumpError("the dump has no %s line; is this an rplug sandboxed "
                            "binary?" % required)
    version = lines.pop("Version")
    if version != PROTOCOL_VERSION:
        raise DumpError("the binary speaks protocol version %r; this controller speaks "
                        "only %s" % (version[:40], PROTOCOL_VERSION))
    platform = lines.pop("Platform")
    if platform not in LINUX_PLATFORMS:
        raise DumpError("the binary was translated for platform %r; this controller "
                        "serves Linux binaries only" % platform[:40])
    signatures = []
    for text in lines.pop("Funcs").split():
        try:
            signatures.append(Signature(text))
        except BadSignature as problem:
            raise DumpError("the dump lists a bad signature: %s" % problem) from None
    return DumpInfo(version, platform, signatures, lines)


DUMP_MAX_BYTES = 1024 * 1024
DUMP_TIMEOUT_SECONDS = 30.0


def request_dump(executable, timeout=DUMP_TIMEOUT_SECONDS, max_bytes=DUMP_MAX_BYTES,
                 launcher=()):
    """Run ``executable`` with ``RPY_SANDBOX_DUMP=1`` and return its dump (bytes).

    The binary gets that one variable and nothing else; its output is read
    with a size cap and a time limit like any untrusted output.  ``launcher``
    prefixes the command (qemu-user for a foreign binary, sandbox.emulation).
    """
    try:
        child = subprocess.Popen(list(launcher) + [os.path.abspath(executable)],
                                 env={"RPY_SANDBOX_DUMP": "1"},
                                 cwd="/",
                                 stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                 stderr=subprocess.DEVNULL, close_fds=True,
                                 start_new_session=True)
    except OSError as error:
        raise DumpError("cannot start %s: %s" % (executable, error.strerror)) from None
    give_up = time.monotonic() + timeout
    dump = bytearray()
    try:
        while True:
            left = give_up - time.monotonic()
            if left <= 0 or not select.select([child.stdout], [], [], left)[0]:
                raise DumpError("%s did not finish its dump within %g seconds; is it an "
                                "rplug sandboxed binary?" % (executable, timeout))
            chunk = child.stdout.read1(65536)
            if not chunk:
                break
            dump += chunk
            if len(dump) > max_bytes:
                raise DumpError("%s wrote more than %d bytes instead of a dump"
                                % (executable, max_bytes))
        returncode = child.wait(max(0.0, give_up - time.monotonic()))
    except subprocess.TimeoutExpired:
        raise DumpError("%s did not exit after its dump" % executable) from None
    finally:
        if child.returncode is None:
            child.kill()
            child.wait()
        child.stdout.close()
    if returncode != 0:
        raise DumpError("%s exited with status %d when asked for its dump; is it an "
                        "rplug sandboxed binary?" % (executable, returncode))
    return bytes(dump)
