"""The os library (manual 6.9), every effect through RPython's os module
(so a sandboxed build hands them to its controller)."""
import os
import time

from rpython.rlib.rarithmetic import intmask

from targets.lua import arguments as argcheck
from targets.lua import operators
from targets.lua.errors import LuaRuntimeError, LuaExit
from targets.lua.lib_base import register
from targets.lua.objects import (W_Nil, W_Boolean, W_Integer, W_PlainString,
                                 w_nil, w_int, w_true, w_false, W_Float)
from targets.lua.table import W_Table


def error_result(message, errno):
    return [w_nil, W_PlainString(message), w_int(errno)]


def lua_time(interp, args):
    w_table = argcheck.get(args, 0)
    if isinstance(w_table, W_Nil):
        return [w_int(int(time.time()))]
    if not isinstance(w_table, W_Table):
        raise argcheck.type_error(args, 0, "os.time", "table")
    fields = []
    for name, default in [("year", -1), ("month", -1), ("day", -1),
                          ("hour", 12), ("min", 0), ("sec", 0)]:
        w_value = w_table.get_str(name)
        if isinstance(w_value, W_Nil):
            if default < 0:
                raise LuaRuntimeError("field '%s' missing in date table" % name)
            fields.append(default)
        else:
            ok, value = operators.tointeger_exact(w_value)
            if not ok:
                raise LuaRuntimeError("field '%s' is not an integer" % name)
            fields.append(value)
    return [w_int(days_from_civil(fields[0], fields[1], fields[2]) * 86400 +
                  fields[3] * 3600 + fields[4] * 60 + fields[5])]


def days_from_civil(year, month, day):
    """Days since 1970-01-01 of a proleptic Gregorian date (UTC), with
    out-of-range months normalized."""
    year += (month - 1) // 12
    month = (month - 1) % 12 + 1
    if month <= 2:
        year -= 1
    era = year // 400
    year_of_era = year - era * 400
    shifted_month = month + 9 if month <= 2 else month - 3
    day_of_year = (153 * shifted_month + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146097 + day_of_era - 719468


def civil_from_days(days):
    days += 719468
    era = days // 146097
    day_of_era = days - era * 146097
    year_of_era = (day_of_era - day_of_era // 1460 + day_of_era // 36524 -
                   day_of_era // 146096) // 365
    year = year_of_era + era * 400
    day_of_year = day_of_era - (365 * year_of_era + year_of_era // 4 - year_of_era // 100)
    shifted_month = (5 * day_of_year + 2) // 153
    day = day_of_year - (153 * shifted_month + 2) // 5 + 1
    month = shifted_month + 3 if shifted_month < 10 else shifted_month - 9
    if month <= 2:
        year += 1
    return year, month, day


WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
            "Saturday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December"]


class BrokenDownTime(object):
    def __init__(self, timestamp):
        days = timestamp // 86400
        seconds = timestamp - days * 86400
        self.year, self.month, self.day = civil_from_days(days)
        self.hour = seconds // 3600
        self.minute = (seconds // 60) % 60
        self.second = seconds % 60
        self.weekday = (days + 4) % 7          # 1970-01-01 was a Thursday
        self.yearday = days - days_from_civil(self.year, 1, 1) + 1


def two(n):
    if n < 10:
        return "0%d" % n
    return "%d" % n


def format_date(fmt, t):
    out = []
    i = 0
    while i < len(fmt):
        c = fmt[i]
        i += 1
        if c != '%' or i >= len(fmt):
            out.append(c)
            continue
        d = fmt[i]
        i += 1
        if d == 'Y':
            out.append("%d" % t.year)
        elif d == 'y':
            out.append(two(t.year % 100))
        elif d == 'm':
            out.append(two(t.month))
        elif d == 'd':
            out.append(two(t.day))
        elif d == 'H':
            out.append(two(t.hour))
        elif d == 'M':
            out.append(two(t.minute))
        elif d == 'S':
            out.append(two(t.second))
        elif d == 'p':
            out.append("AM" if t.hour < 12 else "PM")
        elif d == 'A':
            out.append(WEEKDAYS[t.weekday])
        elif d == 'a':
            out.append(WEEKDAYS[t.weekday][:3])
        elif d == 'B':
            out.append(MONTHS[t.month - 1])
        elif d == 'b':
            out.append(MONTHS[t.month - 1][:3])
        elif d == 'c':
            out.append("%s %s %s %s:%s:%s %d" % (
                WEEKDAYS[t.weekday][:3], MONTHS[t.month - 1][:3],
                (" %d" % t.day if t.day < 10 else "%d" % t.day), two(t.hour), two(t.minute), two(t.second), t.year))
        elif d == 'x':
            out.append("%s/%s/%s" % (two(t.month), two(t.day), two(t.year % 100)))
        elif d == 'X':
            out.append("%s:%s:%s" % (two(t.hour), two(t.minute), two(t.second)))
        elif d == 'j':
            text = str(t.yearday)
            out.append("0" * (3 - len(text)) + text)
        elif d == '%':
            out.append('%')
        else:
            raise LuaRuntimeError(
                "bad argument #1 to 'date' (invalid conversion specifier '%%%s')" % d)
    return "".join(out)


def lua_date(interp, args):
    fmt = argcheck.opt_string(args, 0, "os.date", "%c")
    if isinstance(argcheck.get(args, 1), W_Nil):
        timestamp = int(time.time())
    else:
        timestamp = argcheck.check_int(args, 1, "os.date")
    # times are shown in UTC: the sandbox gives no time zone database
    if fmt.startswith("!"):
        fmt = fmt[1:]
    t = BrokenDownTime(timestamp)
    if fmt.startswith("*t"):
        w_table = W_Table()
        w_table.set_str("year", w_int(t.year))
        w_table.set_str("month", w_int(t.month))
        w_table.set_str("day", w_int(t.day))
        w_table.set_str("hour", w_int(t.hour))
        w_table.set_str("min", w_int(t.minute))
        w_table.set_str("sec", w_int(t.second))
        w_table.set_str("wday", w_int(t.weekday + 1))
        w_table.set_str("yday", w_int(t.yearday))
        w_table.set_str("isdst", w_false)
        return [w_table]
    return [W_PlainString(format_date(fmt, t))]


def lua_clock(interp, args):
    return [W_Float(time.clock())]


def lua_difftime(interp, args):
    t2 = argcheck.check_float(args, 0, "os.difftime")
    t1 = 0.0
    if not isinstance(argcheck.get(args, 1), W_Nil):
        t1 = argcheck.check_float(args, 1, "os.difftime")
    return [W_Float(t2 - t1)]


def lua_getenv(interp, args):
    name = argcheck.check_string(args, 0, "os.getenv")
    value = os.environ.get(name)
    if value is None:
        return [w_nil]
    return [W_PlainString(value)]


def lua_remove(interp, args):
    path = argcheck.check_string(args, 0, "os.remove")
    try:
        os.unlink(path)
    except OSError as e:
        try:
            os.rmdir(path)
        except OSError:
            return error_result("%s: %s" % (path, os.strerror(e.errno)), e.errno)
    return [w_true]


def lua_rename(interp, args):
    old = argcheck.check_string(args, 0, "os.rename")
    new = argcheck.check_string(args, 1, "os.rename")
    try:
        os.rename(old, new)
    except OSError as e:
        return error_result("%s: %s" % (old, os.strerror(e.errno)), e.errno)
    return [w_true]


def lua_tmpname(interp, args):
    counter = 0
    pid = os.getpid()
    while counter < 1000:
        path = "/tmp/lua_%d_%d" % (pid, counter)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0600)
        except OSError:
            counter += 1
            continue
        os.close(fd)
        return [W_PlainString(path)]
    raise LuaRuntimeError("unable to generate a unique filename")


def lua_exit(interp, args):
    w_status = argcheck.get(args, 0)
    if isinstance(w_status, W_Nil) or w_status is w_true:
        status = 0
    elif isinstance(w_status, W_Boolean):
        status = 1
    else:
        status = argcheck.check_int(args, 0, "os.exit")
    interp.stdout.flush()
    raise LuaExit(status)


def lua_execute(interp, args):
    if len(args) == 0:
        return [w_false]     # no shell available
    return [w_nil, W_PlainString("exit"), w_int(1)]


def install(interp):
    w_os = W_Table()
    for name, fn in [("time", lua_time), ("date", lua_date),
                     ("clock", lua_clock), ("difftime", lua_difftime),
                     ("getenv", lua_getenv), ("remove", lua_remove),
                     ("rename", lua_rename), ("tmpname", lua_tmpname),
                     ("exit", lua_exit), ("execute", lua_execute)]:
        register(interp, name, fn, w_os)
    interp.w_globals.set_str("os", w_os)
    interp.w_loaded.set_str("os", w_os)
