"""jsontool: check, re-emit or time the decoding of a JSON file.

    jsontool [OPTIONS] FILE
      (no option)        exit 0 if FILE is valid JSON, else print the error
                         and exit 1
      --pretty           print the document re-encoded with indentation
      --stats            print the decoder's statistics
      --memory           print the bytes and GC objects the decoded document
                         holds (footprint.py), from a fresh decoder
      --time N           decode N times, print the best and mean seconds
      --cold             with --time: a new decoder (no maps, no caches) for
                         every decode
      --max-depth N      deepest nesting accepted (default 10000)
      --allow-nonfinite  accept NaN, Infinity, -Infinity
      --surrogates P     lone surrogate escapes: reject (default), replace,
                         wtf8
      --bytewise-scan    find string ends one byte at a time (for measuring)

Exit status: 0 valid, 1 invalid JSON, 2 usage or I/O error.  The file is
read with plain os.open/os.read, so the tool also runs under the sandbox.
"""
import os
import time

from rpython.rlib.rfloat import formatd

from jsondecoder import (JSONDecoder, DecoderOptions, JSONDecodeError,
                         DEFAULT_MAX_DEPTH, SURROGATES_REJECT,
                         SURROGATES_REPLACE, SURROGATES_WTF8)
from jsondecoder.reference_host import ReferenceBuilder
from targets.jsontool.footprint import document_footprint
from targets.jsontool.pretty import dumps

USAGE = ("usage: jsontool [--pretty] [--stats] [--memory] [--time N "
         "[--cold]] [--max-depth N] [--allow-nonfinite] [--surrogates "
         "reject|replace|wtf8] [--bytewise-scan] FILE\n")


class UsageError(Exception):
    def __init__(self, message):
        self.message = message


def write_all(fd, text):
    while text:
        written = os.write(fd, text)
        assert written >= 0
        text = text[written:]


def read_file(path):
    fd = os.open(path, os.O_RDONLY, 0)
    try:
        chunks = []
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(fd)
    return "".join(chunks)


def parse_count(text, option):
    try:
        value = int(text)
    except ValueError:
        raise UsageError("%s needs a whole number, not '%s'\n" % (option,
                                                                  text))
    if value < 1:
        raise UsageError("%s needs a number >= 1\n" % option)
    return value


class Invocation(object):
    def __init__(self):
        self.pretty = False
        self.stats = False
        self.memory = False
        self.repeat = 0
        self.cold = False
        self.path = ""
        self.options = DecoderOptions()


def parse_arguments(argv):
    invocation = Invocation()
    options = invocation.options
    i = 1
    while i < len(argv):
        arg = argv[i]
        if arg == '--pretty':
            invocation.pretty = True
        elif arg == '--stats':
            invocation.stats = True
        elif arg == '--memory':
            invocation.memory = True
        elif arg == '--cold':
            invocation.cold = True
        elif arg == '--allow-nonfinite':
            options.allow_nonfinite = True
        elif arg == '--bytewise-scan':
            options.word_scan = False
        elif arg in ('--time', '--max-depth', '--surrogates'):
            if i + 1 >= len(argv):
                raise UsageError("%s needs a value\n" % arg)
            i += 1
            value = argv[i]
            if arg == '--time':
                invocation.repeat = parse_count(value, arg)
            elif arg == '--max-depth':
                options.max_depth = parse_count(value, arg)
            elif value == 'reject':
                options.surrogate_policy = SURROGATES_REJECT
            elif value == 'replace':
                options.surrogate_policy = SURROGATES_REPLACE
            elif value == 'wtf8':
                options.surrogate_policy = SURROGATES_WTF8
            else:
                raise UsageError("--surrogates takes reject, replace or "
                                 "wtf8, not '%s'\n" % value)
        elif arg.startswith('-') and arg != '-':
            raise UsageError("unknown option %s\n" % arg)
        elif invocation.path:
            raise UsageError("only one FILE, please\n")
        else:
            invocation.path = arg
        i += 1
    if not invocation.path:
        raise UsageError("no FILE given\n")
    return invocation


def time_decoding(invocation, decoder, text):
    best = -1.0
    total = 0.0
    for i in range(invocation.repeat):
        if invocation.cold:
            decoder = JSONDecoder(ReferenceBuilder(), invocation.options)
        started = time.time()
        decoder.decode(text)
        elapsed = time.time() - started
        total += elapsed
        if best < 0.0 or elapsed < best:
            best = elapsed
    write_all(1, "best_seconds %s\nmean_seconds %s\nbytes %d\n" % (
        formatd(best, 'f', 9), formatd(total / invocation.repeat, 'f', 9),
        len(text)))
    return decoder


def entry_point(argv):
    try:
        invocation = parse_arguments(argv)
    except UsageError as e:
        write_all(2, "jsontool: " + e.message + USAGE)
        return 2
    try:
        text = read_file(invocation.path)
    except OSError as e:
        write_all(2, "jsontool: cannot read %s: %s\n" % (
            invocation.path, os.strerror(e.errno)))
        return 2
    decoder = JSONDecoder(ReferenceBuilder(), invocation.options)
    try:
        if invocation.repeat:
            decoder = time_decoding(invocation, decoder, text)
        if invocation.memory:
            decoder = JSONDecoder(ReferenceBuilder(), invocation.options)
        w_document = decoder.decode(text)
    except JSONDecodeError as e:
        write_all(2, "%s: %s\n" % (invocation.path, e.format()))
        return 1
    if invocation.pretty:
        write_all(1, dumps(w_document))
    if invocation.stats:
        write_all(1, "\n".join(decoder.stats_report()) + "\n")
    if invocation.memory:
        decoder.release_buffer()
        footprint = document_footprint(w_document)
        write_all(1, "document_bytes %d\ndocument_objects %d\n" % (
            footprint.total_bytes, footprint.objects))
    return 0


def target(*args):
    return entry_point, None
