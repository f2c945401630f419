"""Whatever bytes a child writes, the controller ends cleanly or with a SandboxError.

Hypothesis feeds random streams and mutated sequences of well-formed
requests (which make the handlers send R/Z/M commands whose "answers" are
whatever bytes follow) to the controller as a fake child's output.  The
outcome must be an exit status or a SandboxError: never another exception,
never a hang (the stall and wall limits are short here), and the child is
always reaped.
"""
import struct

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from controller_limits import test_limits
from fake_child_driver import run_fake_child
from sandbox import DefaultController, SandboxError

SERVED_SIGNATURES = sorted(DefaultController.handlers)
INTERESTING_INTEGERS = st.sampled_from([0, 1, 2, 3, -1, 4096, 2 ** 31, 2 ** 63 - 1, -2 ** 63,
                                        0x10010, 0o100 | 1, 0o200000])
INTEGERS = st.one_of(INTERESTING_INTEGERS, st.integers(-2 ** 63, 2 ** 63 - 1))
POINTERS = st.one_of(st.sampled_from([0, 0x10000, 0x10010, 2 ** 64 - 1]),
                     st.integers(0, 2 ** 64 - 1))


class Recorded(DefaultController):
    """The default controller, remembering its last instance for the checks."""
    last = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        Recorded.last = self


@st.composite
def well_formed_request(draw):
    text = draw(st.sampled_from(SERVED_SIGNATURES))
    argcodes = text[text.index("(") + 1:text.index(")")]
    packed = b""
    for code in argcodes:
        if code == "i":
            packed += struct.pack("<q", draw(INTEGERS))
        elif code == "p":
            packed += struct.pack("<Q", draw(POINTERS))
        elif code == "f":
            packed += struct.pack("<d", draw(st.floats()))
    answers = draw(st.binary(max_size=40))   # read back as answers to R/Z/M
    return bytes([len(text)]) + text.encode() + packed + answers


@st.composite
def mutated(draw, stream):
    data = bytearray(draw(stream))
    for _ in range(draw(st.integers(0, 3))):
        position = draw(st.integers(0, len(data)))
        operation = draw(st.sampled_from(["flip", "cut", "insert", "delete"]))
        if operation == "flip" and position < len(data):
            data[position] ^= 1 << draw(st.integers(0, 7))
        elif operation == "cut":
            del data[position:]
        elif operation == "insert":
            data[position:position] = draw(st.binary(min_size=1, max_size=16))
        elif operation == "delete":
            del data[position:position + draw(st.integers(1, 16))]
    return bytes(data)


CHILD_OUTPUT = st.one_of(
    st.binary(max_size=300),
    mutated(st.lists(well_formed_request(), max_size=6).map(b"".join)),
)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(output=CHILD_OUTPUT, linger=st.booleans())
def test_any_child_output_ends_cleanly_or_in_a_sandbox_error(tmp_path_factory, output,
                                                             linger):
    workdir = tmp_path_factory.mktemp("fuzz")
    (workdir / "tmp").mkdir()
    script = [{"raw": output}, {"hang": True} if linger else {"exit": 0}]
    limits = test_limits(wall_seconds=5, stall_seconds=0.2, max_transfer_bytes=65536)
    try:
        status, _, _ = run_fake_child(Recorded, script, workdir, limits=limits,
                                      tmp_dir=str(workdir / "tmp"))
    except SandboxError:
        pass
    else:
        assert 0 <= status <= 255
    assert Recorded.last.returncode is not None
