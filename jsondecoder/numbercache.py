"""Repeated numbers: one host object per value while it stays in a small
direct-mapped table.

A host boxes every number of a decoded document (rlua: 16 bytes each), and
record-shaped documents repeat many of them: the ids of the few users of an
event log, star ratings.  The host's numbers are immutable (JSONBuilder's
new_int and new_float say so), so the decoder hands the box of the last
equal value out again.  Integers go to the slot of their low bits (so runs
of nearby ids do not collide), floats to the slot of a multiplicative hash
of their bits; a slot remembers the bits and the box, and a miss replaces
both.  Floats are compared by their bits: 0.0 and -0.0 stay distinct.
Like the value cache (stringcache.py), the tables have a fixed size and
only the boxes they hold stay alive through them.
"""
from rpython.rlib.longlong2float import float2longlong
from rpython.rlib.rarithmetic import r_uint, intmask, LONG_BIT

INT_SLOTS = 1 << 13
FLOAT_SLOTS = 1 << 10
FLOAT_SHIFT = LONG_BIT - 10
# 2**64 / golden ratio, as an unsigned word (its low bits on 32-bit hosts)
FIBONACCI = r_uint(0x9E3779B97F4A7C15 & ((1 << LONG_BIT) - 1))


class NumberCache(object):

    def __init__(self):
        self.int_values = [0] * INT_SLOTS
        self.ints_w = [None] * INT_SLOTS
        self.float_bits = [r_uint(0)] * FLOAT_SLOTS
        self.floats_w = [None] * FLOAT_SLOTS

    def lookup_int(self, value):
        """The box cached for integer `value`, or None."""
        slot = value & (INT_SLOTS - 1)
        if self.int_values[slot] == value:
            return self.ints_w[slot]
        return None

    def insert_int(self, value, w_value):
        slot = value & (INT_SLOTS - 1)
        self.int_values[slot] = value
        self.ints_w[slot] = w_value

    def float_slot(self, bits):
        return intmask((bits * FIBONACCI) >> FLOAT_SHIFT)

    def lookup_float(self, value):
        """The box cached for the float with `value`'s bits, or None."""
        bits = r_uint(float2longlong(value))
        slot = self.float_slot(bits)
        if self.float_bits[slot] == bits:
            return self.floats_w[slot]
        return None

    def insert_float(self, value, w_value):
        bits = r_uint(float2longlong(value))
        slot = self.float_slot(bits)
        self.float_bits[slot] = bits
        self.floats_w[slot] = w_value

    def clear(self):
        for i in range(INT_SLOTS):
            self.int_values[i] = 0
            self.ints_w[i] = None
        for i in range(FLOAT_SLOTS):
            self.float_bits[i] = r_uint(0)
            self.floats_w[i] = None
