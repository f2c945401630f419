"""Re-emit a decoded reference-host document as indented JSON.

The output is what Python's json.dumps(value, indent=2, ensure_ascii=False)
means, not byte for byte: floats use the shortest repr that reads back
exactly (with ".0" when integral, so a float stays a float), non-ASCII text
is written as UTF-8, control characters and lone surrogates (WTF-8 policy)
as \\u escapes.
"""
from rpython.rlib.rfloat import DTSF_ADD_DOT_0, formatd, isinf, isnan
from rpython.rlib.rstring import StringBuilder

from jsondecoder.reference_host import (W_Null, W_Bool, W_Int, W_BigInt,
                                        W_Float, W_String, W_Array, W_Object)

HEX = "0123456789abcdef"
SHORT_ESCAPES = {'"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r',
                 '\t': '\\t', '\b': '\\b', '\f': '\\f'}


def dumps(w_value):
    """The document as indented JSON text.  Iterative, like the decoder,
    so any depth the decoder accepted can be printed."""
    out = StringBuilder()
    open_containers = []        # W_Object or W_Array being printed
    next_positions = []         # the next member of each to print
    emit_value(out, w_value, open_containers, next_positions)
    while open_containers:
        level = len(open_containers)
        w_container = open_containers[-1]
        position = next_positions[-1]
        is_object = isinstance(w_container, W_Object)
        if position >= container_length(w_container):
            open_containers.pop()
            next_positions.pop()
            emit_newline(out, level - 1)
            out.append('}' if is_object else ']')
            continue
        next_positions[-1] = position + 1
        if position:
            out.append(',')
        emit_newline(out, level)
        if isinstance(w_container, W_Object):
            emit_string(out, w_container.key_at(position).utf8)
            out.append(': ')
            w_member = w_container.value_at(position)
        else:
            assert isinstance(w_container, W_Array)
            w_member = w_container.items_w[position]
        emit_value(out, w_member, open_containers, next_positions)
    out.append('\n')
    return out.build()


def container_length(w_container):
    if isinstance(w_container, W_Object):
        return w_container.length()
    assert isinstance(w_container, W_Array)
    return len(w_container.items_w)


def emit_newline(out, level):
    out.append('\n')
    out.append(' ' * (2 * level))


def emit_value(out, w_value, open_containers, next_positions):
    """Print a scalar or an empty container; open a non-empty container."""
    if isinstance(w_value, W_Object) or isinstance(w_value, W_Array):
        is_object = isinstance(w_value, W_Object)
        if container_length(w_value) == 0:
            out.append('{}' if is_object else '[]')
        else:
            out.append('{' if is_object else '[')
            open_containers.append(w_value)
            next_positions.append(0)
    elif isinstance(w_value, W_String):
        emit_string(out, w_value.utf8)
    elif isinstance(w_value, W_Int):
        out.append(str(w_value.value))
    elif isinstance(w_value, W_BigInt):
        out.append(w_value.digits)
    elif isinstance(w_value, W_Float):
        out.append(float_text(w_value.value))
    elif isinstance(w_value, W_Bool):
        out.append('true' if w_value.value else 'false')
    elif isinstance(w_value, W_Null):
        out.append('null')
    else:
        raise TypeError


def float_text(value):
    if isnan(value):
        return 'NaN'
    if isinf(value):
        return 'Infinity' if value > 0.0 else '-Infinity'
    return formatd(value, 'r', 0, DTSF_ADD_DOT_0)   # 1.0 stays a float


def emit_string(out, utf8):
    out.append('"')
    i = 0
    run_start = 0
    length = len(utf8)
    while i < length:
        ch = utf8[i]
        if ch == '"' or ch == '\\' or ch < ' ':
            out.append_slice(utf8, run_start, i)
            escape = SHORT_ESCAPES.get(ch, '')
            if escape:
                out.append(escape)
            else:
                emit_u_escape(out, ord(ch))
            i += 1
            run_start = i
        elif ch == '\xed' and i + 2 < length and ord(utf8[i + 1]) >= 0xA0:
            # an encoded lone surrogate (WTF-8 policy): not valid UTF-8
            out.append_slice(utf8, run_start, i)
            code_point = (0xD000 | ((ord(utf8[i + 1]) & 0x3F) << 6) |
                          (ord(utf8[i + 2]) & 0x3F))
            emit_u_escape(out, code_point)
            i += 3
            run_start = i
        else:
            i += 1
    out.append_slice(utf8, run_start, length)
    out.append('"')


def emit_u_escape(out, code_point):
    out.append('\\u')
    shift = 12
    while shift >= 0:
        out.append(HEX[(code_point >> shift) & 0xF])
        shift -= 4
