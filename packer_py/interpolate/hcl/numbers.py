"""Arbitrary-precision binary floats, as go-cty numbers are (Go ``math/big.Float``).

Why not ``Decimal`` or ``Fraction``: Packer's output shows the binary precision of each number. A literal is parsed
at 512 bits (``jsonencode(1/3)`` prints 155 digits), an integer made by a function (``length(...)``) carries 64
bits (``"${length(a)/length(b)}"`` prints ``0.6666666666666666667``) and a float64 made by ``pow``/``log`` carries 53
(``jsonencode(pow(2,100))`` prints ``1267650600228229400000000000000``). An operation rounds to the larger precision
of its operands, to nearest even, exactly like ``big.Float`` with a zero-precision receiver. Text conversion follows
``big.Float.Text``: ``'f'`` with precision -1 is the shortest decimal that rounds back at the number's own precision.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

PARSE_PRECISION = 512
"""``cty.ParseNumberVal`` parses with 512 bits."""


class NaNError(ArithmeticError):
    """``big.ErrNaN``: an operation whose result would be NaN (Go panics; callers turn it into a diagnostic)."""


class NumberSyntaxError(ValueError):
    """The text is not a number ``big.ParseFloat`` accepts."""


def _round_ratio(num: int, den: int, prec: int) -> tuple[int, int]:
    """Round the positive rational num/den to ``prec`` bits (nearest even): returns (mant, exp), mant < 2**prec."""
    exp = num.bit_length() - den.bit_length() - prec
    while True:
        if exp >= 0:
            q, r = divmod(num, den << exp)
            d = den << exp
        else:
            q, r = divmod(num << -exp, den)
            d = den
        if q >= 1 << prec:
            exp += 1
            continue
        if q < 1 << (prec - 1):
            exp -= 1
            continue
        break
    twice = 2 * r
    if twice > d or (twice == d and q & 1):
        q += 1
        if q == 1 << prec:
            q >>= 1
            exp += 1
    return q, exp


def _decimal(mant: int, shift: int) -> tuple[str, int]:
    """Exact decimal digits of mant * 2**shift: (digits without trailing zeros, decimal point position)."""
    if mant == 0:
        return "", 0
    if shift >= 0:
        s = str(mant << shift)
        dp = len(s)
    else:
        s = str(mant * 5**-shift)
        dp = len(s) + shift
    return s.rstrip("0"), dp


def _digit_at(digits: str, i: int) -> str:
    return digits[i] if 0 <= i < len(digits) else "0"


def _should_round_up(digits: str, n: int) -> bool:
    if digits[n] == "5" and n + 1 == len(digits):
        return n > 0 and (ord(digits[n - 1]) - 48) & 1 == 1
    return digits[n] >= "5"


def _round_up(digits: str, dp: int, n: int) -> tuple[str, int]:
    if n < 0 or n >= len(digits):
        return digits, dp
    while n > 0 and digits[n - 1] >= "9":
        n -= 1
    if n == 0:
        return "1", dp + 1
    return digits[: n - 1] + chr(ord(digits[n - 1]) + 1), dp


def _round_down(digits: str, dp: int, n: int) -> tuple[str, int]:
    if n < 0 or n >= len(digits):
        return digits, dp
    return digits[:n].rstrip("0"), dp


def _round_digits(digits: str, dp: int, n: int) -> tuple[str, int]:
    """``decimal.round(n)``: keep n significant digits, ties to even."""
    if n < 0 or n >= len(digits):
        return digits, dp
    if _should_round_up(digits, n):
        return _round_up(digits, dp, n)
    return _round_down(digits, dp, n)


@dataclass(frozen=True, eq=False)
class BigFloat:
    """An immutable ``big.Float``: sign, and ``mant * 2**exp`` with ``mant < 2**prec`` (or zero / infinity)."""

    neg: bool
    mant: int
    exp: int
    prec: int
    inf: bool = False

    # construction ---------------------------------------------------------------------------------------------

    @classmethod
    def from_int(cls, value: int, prec: int | None = None) -> BigFloat:
        """``SetInt64`` (prec 64) or ``SetInt`` (prec max(64, bit length)) when ``prec`` is None."""
        if prec is None:
            prec = max(64, abs(value).bit_length())
        return cls._from_ratio(value, 1, prec)

    @classmethod
    def from_float(cls, value: float) -> BigFloat:
        """``SetFloat64``: 53 bits. NaN panics in Go (``ErrNaN``)."""
        if math.isnan(value):
            raise NaNError("NaN")
        if math.isinf(value):
            return cls(value < 0, 0, 0, 53, inf=True)
        neg = math.copysign(1.0, value) < 0
        if value == 0:
            return cls(neg, 0, 0, 53)
        n, d = abs(value).as_integer_ratio()
        mant, exp = _round_ratio(n, d, 53)
        return cls(neg, mant, exp, 53)

    @classmethod
    def from_fraction(cls, value: Fraction, prec: int) -> BigFloat:
        return cls._from_ratio(value.numerator, value.denominator, prec)

    @classmethod
    def _from_ratio(cls, num: int, den: int, prec: int, neg_zero: bool = False) -> BigFloat:
        if num == 0:
            return cls(neg_zero, 0, 0, prec)
        neg = (num < 0) != (den < 0)
        mant, exp = _round_ratio(abs(num), abs(den), prec)
        return cls(neg, mant, exp, prec)

    @classmethod
    def infinity(cls, neg: bool = False, prec: int = 0) -> BigFloat:
        return cls(neg, 0, 0, prec, inf=True)

    @classmethod
    def parse(cls, text: str, prec: int = PARSE_PRECISION) -> BigFloat:
        """``big.ParseFloat(text, 10, prec, ToNearestEven)``: sign, digits with one optional point, then an
        optional decimal (``e``) or binary (``p``) exponent; also ``Inf``/``inf``. No spaces, no ``_``, no hex."""
        s = text
        neg = False
        if s[:1] in ("+", "-"):
            neg = s[0] == "-"
            s = s[1:]
        if s in ("Inf", "inf"):
            return cls(neg, 0, 0, prec, inf=True)
        i = 0
        int_digits = ""
        while i < len(s) and s[i].isascii() and s[i].isdigit():
            i += 1
        int_digits = s[:i]
        frac_digits = ""
        if i < len(s) and s[i] == ".":
            j = i + 1
            while j < len(s) and s[j].isascii() and s[j].isdigit():
                j += 1
            frac_digits = s[i + 1 : j]
            i = j
        if not int_digits and not frac_digits:
            raise NumberSyntaxError(text)
        exp10 = 0
        exp2 = 0
        if i < len(s) and s[i] in "eEpP":
            kind = s[i].lower()
            j = i + 1
            esign = 1
            if j < len(s) and s[j] in "+-":
                esign = -1 if s[j] == "-" else 1
                j += 1
            k = j
            while k < len(s) and s[k].isascii() and s[k].isdigit():
                k += 1
            if k == j:
                raise NumberSyntaxError(text)
            value = esign * int(s[j:k])
            if kind == "e":
                exp10 = value
            else:
                exp2 = value
            i = k
        if i != len(s):
            raise NumberSyntaxError(text)
        mant = int(int_digits + frac_digits or "0")
        exp10 -= len(frac_digits)
        num, den = mant, 1
        if exp10 >= 0:
            num *= 10**exp10
        else:
            den *= 10**-exp10
        if exp2 >= 0:
            num <<= exp2
        else:
            den <<= -exp2
        if num == 0:
            return cls(neg, 0, 0, prec)
        m, e = _round_ratio(num, den, prec)
        return cls(neg, m, e, prec)

    # inspection -----------------------------------------------------------------------------------------------

    @property
    def is_zero(self) -> bool:
        return not self.inf and self.mant == 0

    @property
    def is_inf(self) -> bool:
        return self.inf

    def is_int(self) -> bool:
        """``IsInt``: finite with no fractional part."""
        if self.inf:
            return False
        return self.mant == 0 or self.exp >= 0 or self.mant % (1 << -self.exp) == 0

    def to_fraction(self) -> Fraction:
        if self.inf:
            raise OverflowError("infinite number")
        value = Fraction(self.mant * (1 << self.exp)) if self.exp >= 0 else Fraction(self.mant, 1 << -self.exp)
        return -value if self.neg else value

    def to_int(self) -> int:
        """Truncate toward zero (``big.Float.Int``). Infinity raises OverflowError."""
        frac = self.to_fraction()
        return math.trunc(frac)

    def int64(self) -> int | None:
        """The value as int64 when exact (``Int64()`` with ``Exact`` accuracy), else None."""
        if not self.is_int():
            return None
        value = self.to_int()
        if -(1 << 63) <= value < (1 << 63):
            return value
        return None

    def to_float(self) -> float:
        """``Float64()``: nearest float64 (±Inf when out of range; tiny values round to ±0)."""
        if self.inf:
            return -math.inf if self.neg else math.inf
        if self.mant == 0:
            return -0.0 if self.neg else 0.0
        try:
            value = float(self.to_fraction())
        except OverflowError:
            value = math.inf
            return -value if self.neg else value
        if value == 0:
            return -0.0 if self.neg else 0.0
        return value

    def sign(self) -> int:
        if self.inf:
            return -1 if self.neg else 1
        if self.mant == 0:
            return 0
        return -1 if self.neg else 1

    def cmp(self, other: BigFloat) -> int:
        """``Cmp``: -1, 0 or +1; the zeros are equal."""
        if self.inf or other.inf:
            a = (-1 if self.neg else 1) if self.inf else 0
            b = (-1 if other.neg else 1) if other.inf else 0
            if self.inf and other.inf:
                return (a > b) - (a < b)
            if self.inf:
                return a
            return -b
        x, y = self.to_fraction(), other.to_fraction()
        return (x > y) - (x < y)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BigFloat) and self.cmp(other) == 0

    def __hash__(self) -> int:
        if self.inf:
            return hash(("inf", self.neg))
        return hash(self.to_fraction())

    def __repr__(self) -> str:
        return f"BigFloat({self.text('g', -1)}, prec={self.prec})"

    # arithmetic (receiver precision 0: the result takes the larger operand precision) -----------------------

    def _with_prec(self, prec: int) -> BigFloat:
        if self.inf or self.mant == 0:
            return BigFloat(self.neg, 0, 0, prec, inf=self.inf)
        if self.mant.bit_length() <= prec:
            return BigFloat(self.neg, self.mant, self.exp, prec)
        m, e = _round_ratio(self.mant << max(self.exp, 0), 1 << max(-self.exp, 0), prec)
        return BigFloat(self.neg, m, e, prec)

    def round_to(self, prec: int) -> BigFloat:
        """``SetPrec``: round to ``prec`` bits."""
        return self._with_prec(prec)

    def neg_(self) -> BigFloat:
        return BigFloat(not self.neg, self.mant, self.exp, self.prec, inf=self.inf)

    def abs_(self) -> BigFloat:
        return BigFloat(False, self.mant, self.exp, self.prec, inf=self.inf)

    def add(self, other: BigFloat, prec: int | None = None) -> BigFloat:
        p = prec if prec is not None else max(self.prec, other.prec)
        if self.inf or other.inf:
            if self.inf and other.inf and self.neg != other.neg:
                raise NaNError("addition of infinities with opposite signs")
            src = self if self.inf else other
            return BigFloat(src.neg, 0, 0, p, inf=True)
        if self.mant == 0 and other.mant == 0:
            return BigFloat(self.neg and other.neg, 0, 0, p)
        total = self.to_fraction() + other.to_fraction()
        if total == 0:
            return BigFloat(False, 0, 0, p)
        return BigFloat.from_fraction(total, p)

    def sub(self, other: BigFloat, prec: int | None = None) -> BigFloat:
        return self.add(other.neg_(), prec)

    def mul(self, other: BigFloat, prec: int | None = None) -> BigFloat:
        p = prec if prec is not None else max(self.prec, other.prec)
        neg = self.neg != other.neg
        if self.inf or other.inf:
            if self.is_zero or other.is_zero:
                raise NaNError("multiplication of zero with infinity")
            return BigFloat(neg, 0, 0, p, inf=True)
        if self.mant == 0 or other.mant == 0:
            return BigFloat(neg, 0, 0, p)
        m, e = _round_ratio(self.mant * other.mant, 1, p)
        return BigFloat(neg, m, e + self.exp + other.exp, p)

    def quo(self, other: BigFloat, prec: int | None = None) -> BigFloat:
        p = prec if prec is not None else max(self.prec, other.prec)
        neg = self.neg != other.neg
        if (self.is_zero and other.is_zero) or (self.inf and other.inf):
            raise NaNError("division of zero by zero or infinity by infinity")
        if self.inf or other.is_zero:
            return BigFloat(neg, 0, 0, p, inf=True)
        if other.inf or self.is_zero:
            return BigFloat(neg, 0, 0, p)
        value = self.to_fraction() / other.to_fraction()
        return BigFloat.from_fraction(value, p)

    # text -------------------------------------------------------------------------------------------------

    def _digits(self) -> tuple[str, int]:
        return _decimal(self.mant, self.exp)

    def _shortest(self) -> tuple[str, int]:
        """``roundShortest``: Go's walk over the half-ulp bounds at this number's precision."""
        digits, dp = self._digits()
        if not digits:
            return digits, dp
        shift = self.prec + 1 - self.mant.bit_length()
        mant = self.mant << shift if shift >= 0 else self.mant >> -shift
        exp = self.exp - shift
        lower, _ = _decimal(mant - 1, exp)
        upper, _ = _decimal(mant + 1, exp)
        inclusive = mant & 2 == 0
        for i, m in enumerate(digits):
            lo = _digit_at(lower, i)
            up = _digit_at(upper, i)
            okdown = lo != m or (inclusive and i + 1 == len(lower))
            okup = m != up and (inclusive or chr(ord(m) + 1) < up or i + 1 < len(upper))
            if okdown and okup:
                return _round_digits(digits, dp, i + 1)
            if okdown:
                return _round_down(digits, dp, i + 1)
            if okup:
                return _round_up(digits, dp, i + 1)
        return digits, dp

    def text(self, fmt: str, prec: int) -> str:
        """``big.Float.Text(fmt, prec)`` for fmt in ``e E f g G``; prec -1 means shortest."""
        out = "-" if self.neg else ""
        if self.inf:
            return out + ("Inf" if self.neg else "+Inf")
        digits, dp = self._digits()
        shortest = prec < 0
        if shortest:
            digits, dp = self._shortest()
            if fmt in "eE":
                prec = len(digits) - 1
            elif fmt == "f":
                prec = max(len(digits) - dp, 0)
            else:
                prec = len(digits)
        elif fmt in "eE":
            digits, dp = _round_digits(digits, dp, 1 + prec)
        elif fmt == "f":
            digits, dp = _round_digits(digits, dp, dp + prec)
        else:
            if prec == 0:
                prec = 1
            digits, dp = _round_digits(digits, dp, prec)
        if fmt in "eE":
            return out + _fmt_e(digits, dp, fmt, prec)
        if fmt == "f":
            return out + _fmt_f(digits, dp, prec)
        eprec = prec
        if eprec > len(digits) and len(digits) >= dp:
            eprec = len(digits)
        if shortest:
            eprec = 6
        exp = dp - 1
        if exp < -4 or exp >= eprec:
            prec = min(prec, len(digits))
            return out + _fmt_e(digits, dp, "e" if fmt == "g" else "E", prec - 1)
        if prec > dp:
            prec = len(digits)
        return out + _fmt_f(digits, dp, max(prec - dp, 0))

    def __str__(self) -> str:
        """``big.Float.String()`` = ``Text('g', 10)`` (used by cty's set ordering hash)."""
        return self.text("g", 10)


def _fmt_e(digits: str, dp: int, fmt: str, prec: int) -> str:
    out = digits[0] if digits else "0"
    if prec > 0:
        out += "."
        i = 1
        m = min(len(digits), prec + 1)
        if i < m:
            out += digits[i:m]
            i = m
        out += "0" * (prec + 1 - i)
    exp = dp - 1 if digits else 0
    sign = "-" if exp < 0 else "+"
    exp = abs(exp)
    return f"{out}{fmt}{sign}{exp:02d}"


def _fmt_f(digits: str, dp: int, prec: int) -> str:
    if dp > 0:
        m = min(len(digits), dp)
        out = digits[:m] + "0" * (dp - m)
    else:
        out = "0"
    if prec > 0:
        out += "." + "".join(_digit_at(digits, dp + i) for i in range(prec))
    return out


def float64_digits(value: float) -> tuple[str, int]:
    """Shortest round-trip decimal digits of a finite float64 (as Go's strconv): (digits, decimal point)."""
    text = repr(abs(value))
    if "e" in text:
        mant, exp = text.split("e")
        digits = mant.replace(".", "")
        dp = int(exp) + 1
    else:
        whole, _, frac = text.partition(".")
        digits = whole + frac
        dp = len(whole)
    stripped = digits.lstrip("0")
    dp -= len(digits) - len(stripped)
    digits = stripped.rstrip("0")
    if not digits:
        return "", 0
    return digits, dp


def format_go_float64(value: float) -> str:
    """Go's ``fmt.Sprintf("%g", f)`` for a float64: shortest digits; exponent form when the decimal exponent is
    below -4 or at least 6 (strconv decides with precision 6 when printing the shortest form)."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    sign = "-" if math.copysign(1.0, value) < 0 else ""
    digits, dp = float64_digits(value)
    exp = dp - 1
    if digits and (exp < -4 or exp >= 6):
        return sign + _fmt_e(digits, dp, "e", len(digits) - 1)
    return sign + _fmt_f(digits, dp, max(len(digits) - dp, 0))
