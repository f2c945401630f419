"""A fake sandboxed child: speaks the child side of docs/protocol.md.

No translated binary exists yet, so the controller's tests run this program
instead.  Usage: ``python fake_child.py SCRIPT REPORT``.  SCRIPT holds a
Python literal: a list of actions run in order; REPORT receives (as a
Python literal) what each call returned and the final memory, for the test
to check.

Memory is a bytearray at ``BASE`` (so 0 is NULL); ``M`` allocates from it
like a bump allocator.  Actions:

- ``{"call": SIG, "args": [...]}``: send a request and serve commands until
  the result; ``args`` items are ints, floats, or dicts:
  ``{"cstr": b".."}`` (a NUL-terminated copy), ``{"buf": N, "name": X}``
  (N zero bytes, reported after the call under X), ``{"bytes": b"..",
  "name": X}``, ``{"ptr": N}`` (a raw address), ``{"result_of": K}`` (the
  result of call number K); ``"repeat": N`` sends it N times; ``"peek": N``
  reports the N bytes at the (pointer) result after the call;
- ``{"raw": b".."}``: write bytes as they are on stdout (misbehaviour),
  ``"repeat": N`` times;
- ``{"sleep": S}``, ``{"hang": True}`` (sleep forever), ``{"busy": True}``
  (burn CPU forever), ``{"grow": N}`` (allocate N bytes), ``{"exit": N}``,
  ``{"close_stdin": True}``, ``{"stderr": b".."}`` (raw write on fd 2);
- ``{"mode": NAME}``: misbehave from now on when answering commands:
  ``"short_R"`` (answer R with half the bytes, then exit), ``"lie_Z"``
  (answer Z with a length larger than asked), ``"ignore_stdin"`` (never
  read commands: answer nothing and sleep).

A command this child does not expect makes it abort with status 70, like
the real child (section 4).
"""
import ast
import os
import struct
import sys
import time

BASE = 0x10000
MEMORY_SIZE = 8 * 1024 * 1024
ABORT_STATUS = 70
LITTLE = sys.byteorder == "little"
E = "<" if LITTLE else ">"


class FakeChild:
    def __init__(self):
        self.memory = bytearray(MEMORY_SIZE)
        self.top = 16
        self.stdin = sys.stdin.buffer
        self.stdout = sys.stdout.buffer
        self.calls = []
        self.freed = []
        self.mode = None

    # -- memory --------------------------------------------------------------

    def allocate(self, data):
        address = BASE + self.top
        end = self.top + len(data)
        if end > MEMORY_SIZE:
            return 0
        self.memory[self.top:end] = data
        self.top = (end + 15) & ~15
        return address

    def slice(self, address, size):
        offset = address - BASE
        if address < BASE or offset + size > MEMORY_SIZE or size < 0:
            self.abort("segfault at 0x%x (+%d)" % (address, size))
        return offset

    def abort(self, why):
        sys.stderr.write("fake child: fatal: %s\n" % why)
        sys.stderr.flush()
        os._exit(ABORT_STATUS)

    # -- the wire ------------------------------------------------------------

    def read_exact(self, size):
        data = b""
        while len(data) < size:
            chunk = self.read_stdin(size - len(data))
            if not chunk:
                self.abort("end of file on stdin")
            data += chunk
        return data

    def read_stdin(self, size):
        try:
            return self.stdin.read(size)
        except OSError as error:
            self.abort("cannot read stdin: %s" % error)

    def word(self):
        return struct.unpack(E + "Q", self.read_exact(8))[0]

    def send(self, data):
        self.stdout.write(data)
        self.stdout.flush()

    def call(self, signature, args):
        name_args, rescode = signature[:-1], signature[-1]
        argcodes = name_args[name_args.index("(") + 1:-1]
        formats = {"i": "q", "f": "d", "p": "Q"}
        values = iter(args)
        packed = b"".join(struct.pack(E + formats[code], next(values))
                          for code in argcodes if code != "v")
        text = signature.encode()
        self.send(bytes([len(text)]) + text + packed)
        return self.serve(rescode)

    def serve(self, rescode):
        errno_value = None
        if self.mode == "ignore_stdin":
            while True:
                time.sleep(60)
        while True:
            command = self.read_stdin(1)
            if not command:
                self.abort("end of file on stdin")
            if command == b"R":
                address, size = self.word(), self.word()
                offset = self.slice(address, size)
                data = bytes(self.memory[offset:offset + size])
                if self.mode == "short_R":
                    self.send(data[:size // 2])
                    os._exit(0)
                self.send(data)
            elif command == b"Z":
                address = self.word()
                maxlen = struct.unpack(E + "q", self.read_exact(8))[0]
                offset = self.slice(address, 0)
                end = self.memory.find(b"\0", offset)
                if maxlen >= 0:
                    end = min(end, offset + maxlen)
                data = bytes(self.memory[offset:end])
                length = len(data) + (1000 if self.mode == "lie_Z" else 0)
                self.send(struct.pack(E + "Q", length) + data)
            elif command == b"W":
                address, size = self.word(), self.word()
                offset = self.slice(address, size)
                self.memory[offset:offset + size] = self.read_exact(size)
            elif command == b"M":
                size = self.word()
                self.send(struct.pack(E + "Q", self.allocate(self.read_exact(size))))
            elif command == b"F":
                self.freed.append(self.word())
            elif command == b"E":
                errno_value = struct.unpack(E + "i", self.read_exact(4))[0]
            elif command.decode("latin-1") in "ifpv":
                if command.decode() != rescode:
                    self.abort("result %r for a %r function" % (command, rescode))
                if rescode == "v":
                    return None, errno_value
                fmt = {"i": "q", "f": "d", "p": "Q"}[rescode]
                return struct.unpack(E + fmt, self.read_exact(8))[0], errno_value
            else:
                self.abort("unknown command %r" % command)

    def peek(self, address, size):
        if not size or not isinstance(address, int) or address < BASE:
            return None
        return bytes(self.memory[address - BASE:address - BASE + size])

    # -- the script ----------------------------------------------------------

    def argument(self, spec, named):
        if not isinstance(spec, dict):
            return spec
        if "cstr" in spec:
            return self.allocate(spec["cstr"] + b"\0")
        if "buf" in spec or "bytes" in spec:
            data = spec["bytes"] if "bytes" in spec else bytes(spec["buf"])
            address = self.allocate(data)
            named[spec["name"]] = (address, len(data))
            return address
        if "ptr" in spec:
            return spec["ptr"]
        if "result_of" in spec:
            return self.calls[spec["result_of"]]["result"]
        raise ValueError(spec)

    def run(self, script):
        for action in script:
            if "call" in action:
                for _ in range(action.get("repeat", 1)):
                    named = {}
                    args = [self.argument(spec, named) for spec in action.get("args", [])]
                    result, errno_value = self.call(action["call"], args)
                    self.calls.append({
                        "call": action["call"], "result": result, "errno": errno_value,
                        "buffers": {name: bytes(self.memory[a - BASE:a - BASE + n])
                                    for name, (a, n) in named.items()},
                        "at_result": self.peek(result, action.get("peek", 0))})
            elif "raw" in action:
                for _ in range(action.get("repeat", 1)):
                    self.send(action["raw"])
            elif "sleep" in action:
                time.sleep(action["sleep"])
            elif "busy" in action:
                while True:
                    pass
            elif "grow" in action:
                hoard = bytearray(action["grow"])
                hoard[-1] = 1
            elif "hang" in action:
                while True:
                    time.sleep(60)
            elif "exit" in action:
                self.report()
                os._exit(action["exit"])
            elif "close_stdin" in action:
                os.close(0)
            elif "stderr" in action:
                os.write(2, action["stderr"])
            elif "mode" in action:
                self.mode = action["mode"]
            else:
                raise ValueError(action)
        self.report()

    def report(self):
        with open(REPORT_PATH, "w") as report:
            report.write(repr({"calls": self.calls, "freed": self.freed,
                               "memory": bytes(self.memory[:self.top])}))


if __name__ == "__main__":
    with open(sys.argv[1]) as script_file:
        SCRIPT = ast.literal_eval(script_file.read())
    REPORT_PATH = sys.argv[2]
    FakeChild().run(SCRIPT)
    sys.exit(0)
