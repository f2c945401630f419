"""A probe of the sandbox: one subcommand per kind of effect a program has.

Used by the end-to-end tests to compare a sandboxed build with a plain one
and to attempt escapes.  Every effect goes through ordinary RPython `os`
calls, so under --sandbox the controller decides each one.

    probe cat PATH            print a file
    probe write PATH TEXT     create or truncate PATH and write TEXT
    probe append PATH TEXT    append TEXT to PATH
    probe env NAME            print $NAME or <unset>
    probe time                print the current time (seconds)
    probe listdir PATH        print the sorted entries of a directory
    probe unlink PATH         remove a file
    probe mkdir PATH          create a directory
    probe rename OLD NEW      rename a file
    probe stat PATH           print the size of a file
    probe system COMMAND      run a shell command (os.system)
    probe echo                copy stdin to stdout
    probe getpid N            call getpid() N times, print the last value
    probe args ...            print each argument on its own line
"""
import os
import time

from rpython.rlib import listsort


def write_all(fd, data):
    while data:
        written = os.write(fd, data)
        data = data[written:]


def say(text):
    write_all(1, text + '\n')


def read_file(path):
    fd = os.open(path, os.O_RDONLY, 0)
    chunks = []
    while True:
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(fd)
    return ''.join(chunks)


def write_file(path, text, flags):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | flags, 0644)
    write_all(fd, text)
    os.close(fd)


def run(argv):
    command = argv[1]
    if command == 'cat':
        write_all(1, read_file(argv[2]))
    elif command == 'write':
        write_file(argv[2], argv[3], os.O_TRUNC)
    elif command == 'append':
        write_file(argv[2], argv[3], os.O_APPEND)
    elif command == 'env':
        value = os.environ.get(argv[2])
        say('<unset>' if value is None else value)
    elif command == 'time':
        say(str(int(time.time())))
    elif command == 'listdir':
        entries = os.listdir(argv[2])
        listsort.TimSort(entries).sort()
        for entry in entries:
            say(entry)
    elif command == 'unlink':
        os.unlink(argv[2])
    elif command == 'mkdir':
        os.mkdir(argv[2], 0755)
    elif command == 'rename':
        os.rename(argv[2], argv[3])
    elif command == 'stat':
        say(str(os.stat(argv[2]).st_size))
    elif command == 'system':
        say('status %d' % os.system(argv[2]))
    elif command == 'echo':
        while True:
            chunk = os.read(0, 4096)
            if not chunk:
                break
            write_all(1, chunk)
    elif command == 'getpid':
        pid = 0
        for i in range(int(argv[2])):
            pid = os.getpid()
        say(str(pid))
    elif command == 'args':
        for arg in argv[2:]:
            say(arg)
    else:
        write_all(2, 'probe: unknown command %s\n' % command)
        return 2
    return 0


def entry_point(argv):
    if len(argv) < 2:
        write_all(2, 'usage: probe COMMAND [ARGS]\n')
        return 2
    try:
        return run(argv)
    except OSError as e:
        write_all(2, 'probe: %s: %s\n' % (argv[1], os.strerror(e.errno)))
        return 1


def target(*args):
    return entry_point, None
