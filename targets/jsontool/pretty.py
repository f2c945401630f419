"""Re-emit a decoded reference-host document as indented JSON.

The output is what Python's json.dumps(value, indent=2, ensure_ascii=False)
means, not byte for byte: floats use the shortest repr that reads back
exactly, non-ASCII text is written as UTF-8, control characters and lone
surrogates (WTF-8 policy) as \\u escapes.
"""
from rpython.rlib.rfloat import formatd, isinf, isnan
from rpython.rlib.rstring import StringBuilder

from jsondecoder.reference_host import (W_Null, W_Bool, W_Int, W_BigInt,
                                        W_Float, W_String, W_Array, W_Object)

HEX = "0123456789abcdef"
SHORT_ESCAPES = {'"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r',
                 '\t': '\\t', '\b': '\\b', '\f': '\\f'}


def dumps(w_value):
    out = StringBuilder()
    emit(out, w_value, 0)
    out.append('\n')
    return out.build()


def emit_newline(out, level):
    out.append('\n')
    out.append(' ' * (2 * level))


def emit(out, w_value, level):
    if isinstance(w_value, W_Object):
        count = w_value.length()
        if count == 0:
            out.append('{}')
            return
        out.append('{')
        for i in range(count):
            if i:
                out.append(',')
            emit_newline(out, level + 1)
            emit_string(out, w_value.key_at(i).utf8)
            out.append(': ')
            emit(out, w_value.value_at(i), level + 1)
        emit_newline(out, level)
        out.append('}')
    elif isinstance(w_value, W_Array):
        items_w = w_value.items_w
        if not items_w:
            out.append('[]')
            return
        out.append('[')
        for i in range(len(items_w)):
            if i:
                out.append(',')
            emit_newline(out, level + 1)
            emit(out, items_w[i], level + 1)
        emit_newline(out, level)
        out.append(']')
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
    return formatd(value, 'r', 0)


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
