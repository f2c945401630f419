"""``DefaultController``: every capability rplug serves, assembled from mixins.

``rplug run`` drives this class and ``rplug check`` compares a binary's dump
with its handlers.  An embedder who wants less (or more) composes the mixins
differently; the order matters only in that a mixin comes before the ones
whose state it uses (``Randomness`` adds devices to the VFS; ``Output`` and
``Input`` fill the descriptor table), and ``VirtualizedProcess`` comes last.
"""
from sandbox.clock import Clock
from sandbox.descriptors import FileDescriptors
from sandbox.environment import Environment
from sandbox.identity import Identity
from sandbox.input import Input
from sandbox.jitlog import JitLog
from sandbox.libc import LibcTables
from sandbox.output import Output
from sandbox.randomness import Randomness
from sandbox.refusals import Refusals
from sandbox.vfs import VirtualFileSystem
from sandbox.virtualized import VirtualizedProcess


class DefaultController(Refusals, LibcTables, JitLog, Randomness, Clock, Environment, Identity,
                        Output, Input, VirtualFileSystem, FileDescriptors, VirtualizedProcess):
    """The controller of ``rplug run``.

    Keyword options, by mixin: ``mounts``, ``tmp_dir`` (VirtualFileSystem);
    ``output_streams`` (Output); ``stdin`` (Input); ``real_time`` (Clock);
    ``environment`` (Environment); ``random_seed`` (Randomness); and
    ``argv0``, ``arch``, ``limits``, ``stderr``, ``debug``, ``audit``
    (VirtualizedProcess).
    """
