"""Go's ``fmt`` (``Sprint``, ``Sprintf``, ``Sprintln``) and ``strconv.FormatFloat``, for ``print``/``printf``/
``println`` and for printing action values.

Template output is Go's ``fmt.Fprint`` of each value, so ``{{ 1e6 }}`` prints ``1e+06`` and ``printf "%5.2f"``
pads as Go does; errors in format strings are printed inline the Go way (``%!d(string=a)``, ``%!s(MISSING)``,
``%!(EXTRA int=1)``). This is a port of Go 1.19's ``fmt/print.go`` and ``fmt/format.go`` restricted to the value
kinds a template can produce (see ``values``).
"""

from __future__ import annotations

import math
import struct
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import cast

from packer_py.interpolate.gotemplate.gostrings import (
    can_backquote,
    go_quote,
    go_quote_rune,
    is_print,
    to_bytes,
)
from packer_py.interpolate.gotemplate.values import Boxed, Uint8, kind, type_name

__all__ = ["format_float", "sprint", "sprintf", "sprintln"]

_LDIGITS = "0123456789abcdefx"
_UDIGITS = "0123456789ABCDEFX"
_INVALID = object()  # p.value when no reflect.Value is being printed


# ---------------------------------------------------------------- strconv.FormatFloat


def _digits(text: str) -> tuple[str, int]:
    """(significant digits without trailing zeros, decimal point position) of a non-negative decimal string."""
    sign, digits, exponent = Decimal(text).as_tuple()
    del sign
    ds = "".join(str(d) for d in digits).lstrip("0")
    if not ds:
        return "", 0
    exp = int(exponent)
    stripped = ds.rstrip("0")
    exp += len(ds) - len(stripped)
    return stripped, len(stripped) + exp


def _fmt_e(neg: bool, d: str, dp: int, prec: int, fmt: str) -> str:
    out = "-" if neg else ""
    out += d[0] if d else "0"
    if prec > 0:
        out += "." + d[1 : min(len(d), prec + 1)]
        out += "0" * (prec + 1 - max(1, min(len(d), prec + 1)))
    exp = dp - 1 if d else 0
    sign = "-" if exp < 0 else "+"
    exp = abs(exp)
    return out + fmt + sign + (f"{exp:02d}" if exp < 100 else str(exp))


def _fmt_f(neg: bool, d: str, dp: int, prec: int) -> str:
    out = "-" if neg else ""
    if dp > 0:
        m = min(len(d), dp)
        out += d[:m] + "0" * (dp - m)
    else:
        out += "0"
    if prec > 0:
        out += "."
        for i in range(prec):
            j = dp + i
            out += d[j] if 0 <= j < len(d) else "0"
    return out


def _fmt_b(neg: bool, value: float) -> str:
    bits = struct.unpack("<Q", struct.pack("<d", value))[0]
    exp = (bits >> 52) & 0x7FF
    mant = bits & ((1 << 52) - 1)
    if exp == 0:
        exp += 1
    else:
        mant |= 1 << 52
    exp += -1023 - 52
    return ("-" if neg else "") + f"{mant}p" + ("+" if exp >= 0 else "") + str(exp)


def _fmt_x(value: float, prec: int, fmt: str) -> str:
    bits = struct.unpack("<Q", struct.pack("<d", value))[0]
    neg = bits >> 63 != 0
    exp = (bits >> 52) & 0x7FF
    mant = bits & ((1 << 52) - 1)
    if exp == 0:
        exp += 1
    else:
        mant |= 1 << 52
    exp += -1023
    if mant == 0:
        exp = 0
    mant <<= 60 - 52
    while mant != 0 and mant & (1 << 60) == 0:
        mant <<= 1
        exp -= 1
    mask60 = (1 << 60) - 1
    if 0 <= prec < 15:
        shift = prec * 4
        extra = (mant << shift) & mask60
        mant >>= 60 - shift
        if extra | (mant & 1) > 1 << 59:
            mant += 1
        mant <<= 60 - shift
        if mant & (1 << 61):
            mant >>= 1
            exp += 1
    hexdigits = "0123456789abcdef" if fmt == "x" else "0123456789ABCDEF"
    out = ("-" if neg else "") + "0" + fmt + str((mant >> 60) & 1)
    mant = (mant << 4) & ((1 << 64) - 1)
    if prec < 0 and mant != 0:
        out += "."
        while mant != 0:
            out += hexdigits[(mant >> 60) & 15]
            mant = (mant << 4) & ((1 << 64) - 1)
    elif prec > 0:
        out += "."
        for _ in range(prec):
            out += hexdigits[(mant >> 60) & 15]
            mant = (mant << 4) & ((1 << 64) - 1)
    out += "p" if fmt == "x" else "P"
    out += "-" if exp < 0 else "+"
    exp = abs(exp)
    return out + (f"{exp:02d}" if exp < 100 else str(exp))


def format_float(value: float, fmt: str, prec: int) -> str:
    """``strconv.FormatFloat(value, fmt, prec, 64)``; ``prec`` -1 means the shortest exact representation."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    neg = math.copysign(1.0, value) < 0
    if fmt == "b":
        return _fmt_b(neg, value)
    if fmt in "xX":
        return _fmt_x(value, prec, fmt)
    mag = abs(value)
    shortest = prec < 0
    if shortest:
        d, dp = _digits(repr(mag))
        if fmt in "eE":
            prec = max(len(d) - 1, 0)
        elif fmt == "f":
            prec = max(len(d) - dp, 0)
        elif fmt in "gG":
            prec = len(d)
    elif fmt == "f":
        d, dp = _digits(f"{mag:.{prec}f}")
    else:
        digits = prec + 1 if fmt in "eE" else prec
        if fmt in "gG":
            if prec == 0:
                prec = 1
            digits = prec
        elif fmt not in "eE":
            digits = 1
        d, dp = _digits(f"{mag:.{max(digits - 1, 0)}e}")
    if fmt in "eE":
        return _fmt_e(neg, d, dp, prec, fmt)
    if fmt == "f":
        return _fmt_f(neg, d, dp, prec)
    if fmt in "gG":
        eprec = prec
        if eprec > len(d) and len(d) >= dp:
            eprec = len(d)
        if shortest:
            eprec = 6
        exp = dp - 1
        if exp < -4 or exp >= eprec:
            prec = min(prec, len(d))
            return _fmt_e(neg, d, dp, prec - 1, "e" if fmt == "g" else "E")
        if prec > dp:
            prec = len(d)
        return _fmt_f(neg, d, dp, max(prec - dp, 0))
    return "%" + fmt


# ---------------------------------------------------------------- fmt


class _Printer:
    """Go's ``pp`` and ``fmt`` structs together: one formatting run."""

    def __init__(self) -> None:
        self.buf: list[str] = []
        self.arg: object = None
        self.value: object = _INVALID
        self.erroring = False
        self.clear_flags()

    def clear_flags(self) -> None:
        self.wid_present = self.prec_present = False
        self.minus = self.plus = self.sharp = self.space = self.zero = False
        self.plus_v = self.sharp_v = False
        self.wid = self.prec = 0

    # ---- fmt.fmt

    def write_padding(self, n: int) -> None:
        if n > 0:
            self.buf.append(("0" if self.zero else " ") * n)

    def pad(self, s: str) -> None:
        if not self.wid_present or self.wid == 0:
            self.buf.append(s)
            return
        width = self.wid - len(s)
        if not self.minus:
            self.write_padding(width)
            self.buf.append(s)
        else:
            self.buf.append(s)
            self.write_padding(width)

    def fmt_boolean(self, v: bool) -> None:
        self.pad("true" if v else "false")

    def fmt_unicode(self, u: int) -> None:
        prec = 4
        if self.prec_present and self.prec > 4:
            prec = self.prec
        text = f"U+{u:0{prec}X}"
        if self.sharp and u <= 0x10FFFF and is_print(u):
            text += " '" + chr(u) + "'"
        old_zero, self.zero = self.zero, False
        self.pad(text)
        self.zero = old_zero

    def fmt_integer(self, value: int, base: int, signed: bool, verb: str, digits: str) -> None:
        negative = signed and value < 0
        u = -value if negative else value
        prec = 0
        if self.prec_present:
            prec = self.prec
            if prec == 0 and u == 0:
                old_zero, self.zero = self.zero, False
                self.write_padding(self.wid)
                self.zero = old_zero
                return
        elif self.zero and self.wid_present:
            prec = self.wid
            if negative or self.plus or self.space:
                prec -= 1
        out = ""
        while u >= base:
            out = digits[u % base] + out
            u //= base
        out = digits[u] + out
        if prec > len(out):
            out = "0" * (prec - len(out)) + out
        if self.sharp:
            if base == 2:
                out = "0b" + out
            elif base == 8 and out[0] != "0":
                out = "0" + out
            elif base == 16:
                out = "0" + digits[16] + out
        if verb == "O":
            out = "0o" + out
        if negative:
            out = "-" + out
        elif self.plus:
            out = "+" + out
        elif self.space:
            out = " " + out
        old_zero, self.zero = self.zero, False
        self.pad(out)
        self.zero = old_zero

    def truncate(self, s: str) -> str:
        if self.prec_present and self.prec < len(s):
            return s[: self.prec]
        return s

    def fmt_s(self, s: str) -> None:
        self.pad(self.truncate(s))

    def fmt_sx(self, s: str, digits: str) -> None:
        data = to_bytes(s)
        length = len(data)
        if self.prec_present and self.prec < length:
            length = self.prec
        width = 2 * length
        if width > 0:
            if self.space:
                if self.sharp:
                    width *= 2
                width += length - 1
            elif self.sharp:
                width += 2
        else:
            if self.wid_present:
                self.write_padding(self.wid)
            return
        if self.wid_present and self.wid > width and not self.minus:
            self.write_padding(self.wid - width)
        out = []
        if self.sharp:
            out.append("0" + digits[16])
        for i in range(length):
            if self.space and i > 0:
                out.append(" ")
                if self.sharp:
                    out.append("0" + digits[16])
            c = data[i]
            out.append(digits[c >> 4] + digits[c & 0xF])
        self.buf.append("".join(out))
        if self.wid_present and self.wid > width and self.minus:
            self.write_padding(self.wid - width)

    def fmt_q(self, s: str) -> None:
        s = self.truncate(s)
        if self.sharp and can_backquote(s):
            self.pad("`" + s + "`")
            return
        self.pad(go_quote(s, ascii_only=self.plus))

    def fmt_c(self, c: int) -> None:
        if c > 0x10FFFF or c < 0 or 0xD800 <= c <= 0xDFFF:
            c = 0xFFFD
        self.pad(chr(c))

    def fmt_qc(self, c: int) -> None:
        if c > 0x10FFFF or c < 0:
            c = 0xFFFD
        self.pad(go_quote_rune(c, ascii_only=self.plus))

    def fmt_float_raw(self, v: float, verb: str, prec: int) -> None:
        if self.prec_present:
            prec = self.prec
        formatted = format_float(v, verb, prec)
        num = list(formatted if formatted[0] in "+-" else "+" + formatted)
        if self.space and num[0] == "+" and not self.plus:
            num[0] = " "
        if num[1] in "IN":
            old_zero, self.zero = self.zero, False
            if num[1] == "N" and not self.space and not self.plus:
                num = num[1:]
            self.pad("".join(num))
            self.zero = old_zero
            return
        if self.sharp and verb != "b":
            digits = 0
            if verb in "vgGx":
                digits = prec
                if digits == -1:
                    digits = 6
            tail: list[str] = []
            has_point = saw_nonzero = False
            i = 1
            while i < len(num):
                c = num[i]
                if c == ".":
                    has_point = True
                elif c in "pP" or (c in "eE" and verb not in "xX"):
                    tail = num[i:]
                    num = num[:i]
                    break
                else:
                    if c != "0":
                        saw_nonzero = True
                    if saw_nonzero:
                        digits -= 1
                i += 1
            if not has_point:
                if len(num) == 2 and num[1] == "0":
                    digits -= 1
                num.append(".")
            while digits > 0:
                num.append("0")
                digits -= 1
            num.extend(tail)
        text = "".join(num)
        if self.plus or num[0] != "+":
            if self.zero and self.wid_present and self.wid > len(text):
                self.buf.append(text[0])
                self.write_padding(self.wid - len(text))
                self.buf.append(text[1:])
                return
            self.pad(text)
            return
        self.pad(text[1:])

    # ---- fmt.pp

    def bad_verb(self, verb: str) -> None:
        self.erroring = True
        self.buf.append("%!" + verb + "(")
        if self.arg is not None:
            self.buf.append(type_name(self.arg) + "=")
            self.print_arg(self.arg, "v")
        elif self.value is not _INVALID:
            self.buf.append(type_name(self.value) + "=")
            self.print_value(self.value, "v", 0)
        else:
            self.buf.append("<nil>")
        self.buf.append(")")
        self.erroring = False

    def fmt_bool(self, v: bool, verb: str) -> None:
        if verb in "tv":
            self.fmt_boolean(v)
        else:
            self.bad_verb(verb)

    def fmt_0x64(self, v: int, leading0x: bool) -> None:
        sharp, self.sharp = self.sharp, leading0x
        self.fmt_integer(v, 16, False, "v", _LDIGITS)
        self.sharp = sharp

    def fmt_int(self, v: int, signed: bool, verb: str) -> None:
        if verb == "v":
            if self.sharp_v and not signed:
                self.fmt_0x64(v, True)
            else:
                self.fmt_integer(v, 10, signed, verb, _LDIGITS)
        elif verb == "d":
            self.fmt_integer(v, 10, signed, verb, _LDIGITS)
        elif verb == "b":
            self.fmt_integer(v, 2, signed, verb, _LDIGITS)
        elif verb in "oO":
            self.fmt_integer(v, 8, signed, verb, _LDIGITS)
        elif verb == "x":
            self.fmt_integer(v, 16, signed, verb, _LDIGITS)
        elif verb == "X":
            self.fmt_integer(v, 16, signed, verb, _UDIGITS)
        elif verb == "c":
            self.fmt_c(v if v >= 0 else v + (1 << 64))
        elif verb == "q":
            self.fmt_qc(v if v >= 0 else v + (1 << 64))
        elif verb == "U":
            self.fmt_unicode(v if v >= 0 else v + (1 << 64))
        else:
            self.bad_verb(verb)

    def fmt_float(self, v: float, verb: str) -> None:
        if verb == "v":
            self.fmt_float_raw(v, "g", -1)
        elif verb in "bgGxX":
            self.fmt_float_raw(v, verb, -1)
        elif verb in "feE":
            self.fmt_float_raw(v, verb, 6)
        elif verb == "F":
            self.fmt_float_raw(v, "f", 6)
        else:
            self.bad_verb(verb)

    def fmt_complex(self, v: complex, verb: str) -> None:
        if verb in "vbgGxXfFeE":
            old_plus = self.plus
            self.buf.append("(")
            self.fmt_float(v.real, verb)
            self.plus = True
            self.fmt_float(v.imag, verb)
            self.buf.append("i)")
            self.plus = old_plus
        else:
            self.bad_verb(verb)

    def fmt_string(self, v: str, verb: str) -> None:
        if verb == "v":
            if self.sharp_v:
                self.fmt_q(v)
            else:
                self.fmt_s(v)
        elif verb == "s":
            self.fmt_s(v)
        elif verb == "x":
            self.fmt_sx(v, _LDIGITS)
        elif verb == "X":
            self.fmt_sx(v, _UDIGITS)
        elif verb == "q":
            self.fmt_q(v)
        else:
            self.bad_verb(verb)

    def fmt_pointer(self, value: object, verb: str) -> None:
        if kind(value) not in ("func", "map", "slice"):
            self.bad_verb(verb)
            return
        address = 0xC000000000 + (id(value) & 0xFFFFFF) * 8
        if verb == "v":
            if self.sharp_v:
                self.buf.append("(" + type_name(value) + ")(")
                self.fmt_0x64(address, True)
                self.buf.append(")")
            else:
                self.fmt_0x64(address, not self.sharp)
        elif verb == "p":
            self.fmt_0x64(address, not self.sharp)
        elif verb in "bodxX":
            self.fmt_int(address, False, verb)
        else:
            self.bad_verb(verb)

    def handle_methods(self, verb: str) -> bool:
        """Go's Stringer support: values of unknown Python types print as ``str(value)``."""
        if self.erroring:
            return False
        if verb == "w":
            self.bad_verb(verb)
            return True
        if kind(self.arg) == "struct" and not self.sharp_v and verb in "vsxXq":
            self.fmt_string(str(self.arg), verb)
            return True
        return False

    def print_arg(self, arg: object, verb: str) -> None:
        if isinstance(arg, Boxed):
            arg = arg.value
        self.arg = arg
        self.value = _INVALID
        if arg is None:
            if verb in "Tv":
                self.pad("<nil>")
            else:
                self.bad_verb(verb)
            return
        if verb == "T":
            self.fmt_s(type_name(arg))
            return
        if verb == "p":
            self.fmt_pointer(arg, "p")
            return
        k = kind(arg)
        if k == "bool":
            self.fmt_bool(bool(arg), verb)
        elif k == "float":
            self.fmt_float(float(arg), verb)  # type: ignore[arg-type]
        elif k == "complex":
            self.fmt_complex(cast(complex, arg), verb)
        elif k == "int":
            self.fmt_int(int(arg), True, verb)  # type: ignore[call-overload]
        elif k == "uint":
            self.fmt_int(int(arg), False, verb)  # type: ignore[call-overload]
        elif k == "string":
            self.fmt_string(str(arg), verb)
        elif not self.handle_methods(verb):
            self.print_value(arg, verb, 0)

    def print_value(self, value: object, verb: str, depth: int) -> None:
        if depth > 0 and value is not None and not isinstance(value, Boxed):
            self.arg = value
            if self.handle_methods(verb):
                return
        self.arg = None
        self.value = value
        k = kind(value)
        if k == "bool":
            self.fmt_bool(bool(value), verb)
        elif k == "int":
            self.fmt_int(int(value), True, verb)  # type: ignore[call-overload]
        elif k == "uint":
            self.fmt_int(int(value), False, verb)  # type: ignore[call-overload]
        elif k == "float":
            self.fmt_float(float(value), verb)  # type: ignore[arg-type]
        elif k == "complex":
            self.fmt_complex(cast(complex, value), verb)
        elif k == "string":
            self.fmt_string(str(value), verb)
        elif k == "map":
            assert isinstance(value, Mapping)
            if self.sharp_v:
                self.buf.append(type_name(value) + "{")
            else:
                self.buf.append("map[")
            for i, key in enumerate(sorted(value, key=_sort_key)):
                if i > 0:
                    self.buf.append(", " if self.sharp_v else " ")
                self.print_value(key, verb, depth + 1)
                self.buf.append(":")
                self.print_value(Boxed(value[key]), verb, depth + 1)
            self.buf.append("}" if self.sharp_v else "]")
        elif k == "interface":
            assert isinstance(value, Boxed)
            if value.value is None:
                self.buf.append("interface {}(nil)" if self.sharp_v else "<nil>")
            else:
                self.print_value(value.value, verb, depth + 1)
        elif k == "slice":
            assert isinstance(value, Sequence)
            if self.sharp_v:
                self.buf.append(type_name(value) + "{")
            else:
                self.buf.append("[")
            for i, item in enumerate(value):
                if i > 0:
                    self.buf.append(", " if self.sharp_v else " ")
                self.print_value(Boxed(item), verb, depth + 1)
            self.buf.append("}" if self.sharp_v else "]")
        elif k == "func":
            self.fmt_pointer(value, verb)
        elif k == "invalid":
            if depth == 0:
                self.buf.append("<invalid reflect.Value>")
            elif verb == "v":
                self.buf.append("<nil>")
            else:
                self.bad_verb(verb)
        else:
            self.fmt_string(str(value), verb)

    # ---- Sprintf

    def do_printf(self, fmt: str, args: Sequence[object]) -> None:
        end = len(fmt)
        arg_num = 0
        after_index = False
        self.reordered = False
        i = 0
        while i < end:
            self.good_arg_num = True
            last = i
            while i < end and fmt[i] != "%":
                i += 1
            if i > last:
                self.buf.append(fmt[last:i])
            if i >= end:
                break
            i += 1
            self.clear_flags()
            simple_done = False
            while i < end:
                c = fmt[i]
                if c == "#":
                    self.sharp = True
                elif c == "0":
                    self.zero = not self.minus
                elif c == "+":
                    self.plus = True
                elif c == "-":
                    self.minus = True
                    self.zero = False
                elif c == " ":
                    self.space = True
                else:
                    if "a" <= c <= "z" and arg_num < len(args):
                        if c == "v":
                            self.sharp_v, self.sharp = self.sharp, False
                            self.plus_v, self.plus = self.plus, False
                        self.print_arg(args[arg_num], c)
                        arg_num += 1
                        i += 1
                        simple_done = True
                    break
                i += 1
            if simple_done:
                continue
            arg_num, i, after_index = self._arg_number(arg_num, fmt, i, len(args))
            if i < end and fmt[i] == "*":
                i += 1
                self.wid, self.wid_present, arg_num = _int_from_arg(args, arg_num)
                if not self.wid_present:
                    self.buf.append("%!(BADWIDTH)")
                if self.wid < 0:
                    self.wid = -self.wid
                    self.minus = True
                    self.zero = False
                after_index = False
            else:
                self.wid, self.wid_present, i = _parse_num(fmt, i, end)
                if after_index and self.wid_present:
                    self.good_arg_num = False
            if i + 1 < end and fmt[i] == ".":
                i += 1
                if after_index:
                    self.good_arg_num = False
                arg_num, i, after_index = self._arg_number(arg_num, fmt, i, len(args))
                if i < end and fmt[i] == "*":
                    i += 1
                    self.prec, self.prec_present, arg_num = _int_from_arg(args, arg_num)
                    if self.prec < 0:
                        self.prec = 0
                        self.prec_present = False
                    if not self.prec_present:
                        self.buf.append("%!(BADPREC)")
                    after_index = False
                else:
                    self.prec, self.prec_present, i = _parse_num(fmt, i, end)
                    if not self.prec_present:
                        self.prec = 0
                        self.prec_present = True
            if not after_index:
                arg_num, i, after_index = self._arg_number(arg_num, fmt, i, len(args))
            if i >= end:
                self.buf.append("%!(NOVERB)")
                break
            verb = fmt[i]
            i += 1
            if verb == "%":
                self.buf.append("%")
            elif not self.good_arg_num:
                self.buf.append("%!" + verb + "(BADINDEX)")
            elif arg_num >= len(args):
                self.buf.append("%!" + verb + "(MISSING)")
            else:
                if verb == "v":
                    self.sharp_v, self.sharp = self.sharp, False
                    self.plus_v, self.plus = self.plus, False
                self.print_arg(args[arg_num], verb)
                arg_num += 1
        if not self.reordered and arg_num < len(args):
            self.clear_flags()
            self.buf.append("%!(EXTRA ")
            for j, arg in enumerate(args[arg_num:]):
                if j > 0:
                    self.buf.append(", ")
                plain = arg.value if isinstance(arg, Boxed) else arg
                if plain is None:
                    self.buf.append("<nil>")
                else:
                    self.buf.append(type_name(plain) + "=")
                    self.print_arg(plain, "v")
            self.buf.append(")")

    def _arg_number(self, arg_num: int, fmt: str, i: int, num_args: int) -> tuple[int, int, bool]:
        if len(fmt) <= i or fmt[i] != "[":
            return arg_num, i, False
        self.reordered = True
        index, wid, ok = _parse_arg_number(fmt[i:])
        if ok and 0 <= index < num_args:
            return index, i + wid, True
        self.good_arg_num = False
        return arg_num, i + wid, ok


def _sort_key(key: object) -> tuple[int, object]:
    if isinstance(key, str):
        return (1, to_bytes(key))
    if isinstance(key, (int, float)) and not isinstance(key, bool):
        return (0, key)
    return (2, str(key))


def _too_large(x: int) -> bool:
    return x > 1_000_000 or x < -1_000_000


def _parse_num(s: str, start: int, end: int) -> tuple[int, bool, int]:
    if start >= end:
        return 0, False, end
    num = 0
    isnum = False
    i = start
    while i < end and "0" <= s[i] <= "9":
        if _too_large(num):
            return 0, False, end
        num = num * 10 + ord(s[i]) - ord("0")
        isnum = True
        i += 1
    return num, isnum, i


def _parse_arg_number(fmt: str) -> tuple[int, int, bool]:
    if len(fmt) < 3:
        return 0, 1, False
    for i in range(1, len(fmt)):
        if fmt[i] == "]":
            width, ok, newi = _parse_num(fmt, 1, i)
            if not ok or newi != i:
                return 0, i + 1, False
            return width - 1, i + 1, True
    return 0, 1, False


def _int_from_arg(args: Sequence[object], arg_num: int) -> tuple[int, bool, int]:
    num, is_int, new_arg_num = 0, False, arg_num
    if arg_num < len(args):
        arg = args[arg_num]
        if isinstance(arg, Boxed):
            arg = arg.value
        if (
            isinstance(arg, int)
            and not isinstance(arg, bool)
            and (isinstance(arg, Uint8) or -(1 << 63) <= arg < (1 << 63))
        ):
            num, is_int = int(arg), True
        new_arg_num = arg_num + 1
        if _too_large(num):
            num, is_int = 0, False
    return num, is_int, new_arg_num


def sprintf(fmt: str, args: Sequence[object]) -> str:
    """``fmt.Sprintf``."""
    p = _Printer()
    p.do_printf(fmt, args)
    return "".join(p.buf)


def sprint(args: Sequence[object]) -> str:
    """``fmt.Sprint``: operands separated by a space when neither side is a string."""
    p = _Printer()
    prev_string = False
    for i, arg in enumerate(args):
        plain = arg.value if isinstance(arg, Boxed) else arg
        is_string = plain is not None and kind(plain) == "string"
        if i > 0 and not is_string and not prev_string:
            p.buf.append(" ")
        p.print_arg(plain, "v")
        prev_string = is_string
    return "".join(p.buf)


def sprintln(args: Sequence[object]) -> str:
    """``fmt.Sprintln``: always space-separated, with a final newline."""
    p = _Printer()
    for i, arg in enumerate(args):
        if i > 0:
            p.buf.append(" ")
        p.print_arg(arg, "v")
    p.buf.append("\n")
    return "".join(p.buf)
