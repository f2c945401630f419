"""The rplug sandbox controller (Python 3).

A binary translated with ``rplug translate --sandbox`` turns each external
call into a request on its stdout (docs/protocol.md); this package is the
parent that answers them.  Embedding::

    from sandbox import DefaultController, Limits
    status = DefaultController("/path/to/binary", ["arg"],
                               mounts=[("/srv/lib", "/lib", False)],
                               limits=Limits(wall_seconds=10)).run()

or compose a controller of one's own from the mixins and
``VirtualizedProcess``, adding handlers with ``@signature("name(args)res")``.
"""
from sandbox.arch import ARCHITECTURES, Architecture, architecture_named, host_architecture
from sandbox.calls import NULL, OSErrorToChild, Ptr, Signature, signature
from sandbox.clock import Clock
from sandbox.controller import DefaultController
from sandbox.descriptors import FileDescriptors
from sandbox.dump import DumpInfo, parse_dump, request_dump
from sandbox.environment import Environment
from sandbox.errors import (CallLimitExceeded, ConfigurationError, CpuTimeExceeded,
                            DumpError, LimitExceeded, MemoryLimitExceeded,
                            OutputLimitExceeded, ProtocolError, SandboxError,
                            UnsupportedCall, WallTimeExceeded)
from sandbox.files import OpenFile, StatInfo
from sandbox.identity import Identity
from sandbox.input import Input
from sandbox.libc import LibcTables
from sandbox.limits import Limits
from sandbox.output import Output
from sandbox.randomness import Randomness
from sandbox.refusals import Refusals
from sandbox.vfs import VirtualFileSystem
from sandbox.virtualized import VirtualizedProcess

__all__ = [
    "ARCHITECTURES", "Architecture", "architecture_named", "host_architecture",
    "NULL", "OSErrorToChild", "Ptr", "Signature", "signature",
    "VirtualizedProcess", "DefaultController", "Limits",
    "Clock", "Environment", "FileDescriptors", "Identity", "Input", "LibcTables",
    "Output", "Randomness", "Refusals", "VirtualFileSystem", "OpenFile", "StatInfo",
    "DumpInfo", "parse_dump", "request_dump",
    "SandboxError", "ConfigurationError", "ProtocolError", "UnsupportedCall", "DumpError",
    "LimitExceeded", "WallTimeExceeded", "CpuTimeExceeded", "MemoryLimitExceeded",
    "OutputLimitExceeded", "CallLimitExceeded",
]
