"""Date and time functions: ``timestamp``, ``formatdate``, ``timeadd`` (cty), ``legacy_isotime``,
``legacy_strftime``, ``rfc3339_parse``, ``unix_timestamp_parse`` (newest Packer).

Times are Go ``time.Time`` values: an instant in nanoseconds plus a fixed UTC offset, with Go's calendar (years
0 to 9999 parse). ``formatdate`` reproduces cty's token scanner, including its quirk of dropping a quoted literal
that ends the format string; parse errors use cty's wording over Go's ``time.ParseError`` fields.
``timestamp()`` reads the clock at every call, as Packer 1.6.6 does. Go layouts and go-strftime formats print
through ``packer_py.gotime``, the printer the JSON templates' ``isotime`` and ``strftime`` use.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from packer_py.gofmt import quote as go_quote
from packer_py.goparse import parse_duration
from packer_py.gotime import DAYS, MONTHS, TimeFields
from packer_py.interpolate.hcl.functions.context import FunctionContext
from packer_py.interpolate.hcl.functions.gocty import GoValueError, to_int
from packer_py.interpolate.hcl.functions.spec import Arg, FunctionCallError, HclFunction, Param, define, value
from packer_py.interpolate.hcl.types import NUMBER, STRING, CtyType, ObjectType
from packer_py.interpolate.hcl.values import Value, number_int_val, object_val, string_val

NS = 1_000_000_000


def _days_from_civil(y: int, m: int, d: int) -> int:
    y -= m <= 2
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _civil_from_days(z: int) -> tuple[int, int, int]:
    z += 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + (3 if mp < 10 else -9)
    return y + (m <= 2), m, d


def _is_leap(y: int) -> bool:
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)


def _days_in(m: int, y: int) -> int:
    if m == 2:
        return 29 if _is_leap(y) else 28
    return 30 if m in (4, 6, 9, 11) else 31


@dataclass(frozen=True)
class GoTime:
    """A Go ``time.Time`` in a fixed zone: Unix nanoseconds and the zone's offset in seconds."""

    unix_ns: int
    offset: int = 0
    zone_name: str = ""

    @classmethod
    def from_datetime(cls, dt: datetime) -> GoTime:
        offset = dt.utcoffset()
        seconds = int(offset.total_seconds()) if offset is not None else 0
        naive = dt.replace(tzinfo=None)
        days = _days_from_civil(naive.year, naive.month, naive.day)
        local = days * 86400 + naive.hour * 3600 + naive.minute * 60 + naive.second
        return cls((local - seconds) * NS + naive.microsecond * 1000, seconds, "UTC" if seconds == 0 else "")

    def _local(self) -> tuple[int, int]:
        secs, ns = divmod(self.unix_ns + self.offset * NS, NS)
        return secs, ns

    def fields(self) -> TimeFields:
        secs, ns = self._local()
        days, sod = divmod(secs, 86400)
        y, m, d = _civil_from_days(days)
        weekday, yday = (days + 4) % 7, days - _days_from_civil(y, 1, 1) + 1
        return TimeFields(
            y, m, d, sod // 3600, sod % 3600 // 60, sod % 60, ns, weekday, yday, self.offset, self.zone_name
        )

    def unix(self) -> int:
        return self.unix_ns // NS

    def add(self, ns: int) -> GoTime:
        return GoTime(self.unix_ns + ns, self.offset, self.zone_name)

    def iso_week(self) -> tuple[int, int]:
        days = self._local()[0] // 86400
        # Thursday of the current ISO week decides the year
        monday_based = (self.fields().weekday + 6) % 7
        thursday = days - monday_based + 3
        y, _, _ = _civil_from_days(thursday)
        return y, (thursday - _days_from_civil(y, 1, 1)) // 7 + 1

    def format(self, layout: str) -> str:
        """``time.Time.Format``."""
        return self.fields().format(layout)


class TimeParseError(Exception):
    """Go's ``time.ParseError``: layout element, value element and message."""

    def __init__(self, layout_elem: str, value_elem: str, message: str = "") -> None:
        super().__init__(message)
        self.layout_elem = layout_elem
        self.value_elem = value_elem
        self.message = message


def _getnum(s: str, fixed: bool) -> tuple[int, str]:
    if not s[:1].isdigit() or not s[:1].isascii():
        raise ValueError
    if len(s) < 2 or not (s[1].isdigit() and s[1].isascii()):
        if fixed:
            raise ValueError
        return int(s[0]), s[1:]
    return int(s[:2]), s[2:]


def parse_rfc3339(text: str, space_separator: bool = False, nano: bool = False) -> GoTime:
    """``time.Parse(time.RFC3339, text)`` (``T`` or, when asked, a space between date and time)."""
    value_ = text
    sep = " " if space_separator else "T"

    def num(elem: str, fixed: bool, lo: int, hi: int, what: str) -> int:
        nonlocal value_
        try:
            n, rest = _getnum(value_, fixed)
        except ValueError:
            raise TimeParseError(elem, value_) from None
        value_ = rest
        if n < lo or n > hi:
            raise TimeParseError(elem, value_, f": {what} out of range")
        return n

    def lit(prefix: str) -> None:
        nonlocal value_
        if not value_.startswith(prefix):
            raise TimeParseError(prefix, value_)
        value_ = value_[len(prefix) :]

    if len(value_) < 4 or not value_[:4].isdigit() or not value_[:4].isascii():
        v = value_[4:] if len(value_) >= 4 else value_
        raise TimeParseError("2006", v)
    year = int(value_[:4])
    value_ = value_[4:]
    lit("-")
    month = num("01", True, 1, 12, "month")
    lit("-")
    day = num("02", True, 0, 99, "day")
    lit(sep)
    hour = num("15", False, 0, 23, "hour")
    lit(":")
    minute = num("04", True, 0, 59, "minute")
    lit(":")
    second = num("05", True, 0, 59, "second")
    nsec = 0
    if len(value_) >= 2 and value_[0] == "." and value_[1].isdigit():
        n = 1
        while n < len(value_) and value_[n].isdigit() and value_[n].isascii():
            n += 1
        frac = value_[1:n]
        nsec = int((frac + "000000000")[:9]) if len(frac) <= 9 else int(frac[:9])
        value_ = value_[n:]
    offset = 0
    if value_.startswith("Z"):
        value_ = value_[1:]
    else:
        if len(value_) < 6 or value_[3] != ":" or value_[0] not in "+-":
            raise TimeParseError("Z07:00", value_)
        try:
            hh, _ = _getnum(value_[1:3], True)
            mm, _ = _getnum(value_[4:6], True)
        except ValueError:
            raise TimeParseError("Z07:00", value_) from None
        offset = (hh * 3600 + mm * 60) * (-1 if value_[0] == "-" else 1)
        value_ = value_[6:]
    if value_:
        raise TimeParseError("", value_, f": extra text: {value_}")
    if day < 1 or day > _days_in(month, year):
        raise TimeParseError("", value_, ": day out of range")
    local = _days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second
    return GoTime((local - offset) * NS + nsec, offset, "UTC" if offset == 0 else "")


def cty_parse_timestamp(text: str) -> GoTime:
    """cty's ``parseTimestamp``: RFC 3339 with its friendlier error messages."""
    try:
        return parse_rfc3339(text)
    except TimeParseError as err:
        prefix = "not a valid RFC3339 timestamp"
        if err.layout_elem == "" and err.value_elem == "" and err.message:
            raise ValueError(f"{prefix}{err.message}") from None
        what = {"2006": "year", "01": "month", "02": "day of month", "15": "hour", "04": "minute", "05": "second",
                "Z07:00": "UTC offset"}.get(err.layout_elem)  # fmt: skip
        if err.layout_elem == "T":
            raise ValueError(f"{prefix}: missing required time introducer 'T'") from None
        if err.layout_elem in (":", "-"):
            if err.value_elem == "":
                raise ValueError(f"{prefix}: end of string where {go_quote(err.layout_elem)} is expected") from None
            raise ValueError(
                f"{prefix}: found {go_quote(err.value_elem)} where {go_quote(err.layout_elem)} is expected"
            ) from None
        what = what or "timestamp segment"
        if err.value_elem == "":
            raise ValueError(f"{prefix}: end of string before {what}") from None
        raise ValueError(f"{prefix}: cannot use {go_quote(err.value_elem)} as {what}") from None


# functions ----------------------------------------------------------------------------------------------------

_RFC3339 = "2006-01-02T15:04:05Z07:00"


def _split_date_format(fmt: str) -> list[str]:
    """cty's ``splitDateFormat`` run by ``bufio.Scanner``: a quoted literal that ends the string is dropped."""
    tokens: list[str] = []
    i = 0
    while i < len(fmt):
        data = fmt[i:]
        if data[0] == "'":
            if len(data) > 1 and data[1] == "'":
                tokens.append(data[:2])
                i += 2
                continue
            j = 1
            end = None
            while j < len(data):
                if data[j] == "'":
                    if j + 1 == len(data):
                        return tokens  # the scanner asks for more data at EOF and stops
                    if data[j + 1] == "'":
                        j += 2
                        continue
                    end = j + 1
                    break
                j += 1
            if end is None:
                tokens.append(data)
                return tokens
            tokens.append(data[:end])
            i += end
        elif data[0].isascii() and data[0].isalpha():
            j = 1
            while j < len(data) and data[j] == data[0]:
                j += 1
            tokens.append(data[:j])
            i += j
        else:
            j = 1
            while j < len(data) and not (data[j] == "'" or (data[j].isascii() and data[j].isalpha())):
                j += 1
            tokens.append(data[:j])
            i += j
    return tokens


def _verb_error(tok: str, detail: str = "") -> FunctionCallError:
    return FunctionCallError(0, f"invalid date format verb {go_quote(tok)}{detail}")


def formatdate(fmt: str, t: GoTime) -> str:
    f = t.fields()
    out: list[str] = []
    for tok in _split_date_format(fmt):
        c = tok[0]
        n = len(tok)
        if c == "'":
            if tok[-1] != "'" or n == 1:
                raise FunctionCallError(0, "unterminated literal '")
            if n == 2:
                out.append("'")
            else:
                raw = tok[1:-1]
                k = 0
                while k < len(raw):
                    out.append(raw[k])
                    if raw[k] == "'":
                        k += 1
                    k += 1
        elif c.isascii() and c.isalpha():
            out.append(_date_verb(t, f, tok, c, n))
        else:
            out.append(tok)
    return "".join(out)


def _date_verb(t: GoTime, f: TimeFields, tok: str, c: str, n: int) -> str:
    def two(v: int, what: str, one: str, pair: str) -> str:
        if n == 1:
            return str(v)
        if n == 2:
            return f"{v:02d}"
        raise _verb_error(tok, f': {what} must either be "{one}" or "{pair}"')

    if c == "Y":
        if n == 2:
            return f"{f.year % 100:02d}"
        if n == 4:
            return f"{f.year:04d}"
        raise _verb_error(tok, ': year must either be "YY" or "YYYY"')
    if c == "M":
        if n <= 2:
            return str(f.month) if n == 1 else f"{f.month:02d}"
        if n == 3:
            return MONTHS[f.month - 1][:3]
        if n == 4:
            return MONTHS[f.month - 1]
        raise _verb_error(tok, ': month must be "M", "MM", "MMM", or "MMMM"')
    if c == "D":
        return two(f.day, "day of month", "D", "DD")
    if c == "E":
        if n == 3:
            return DAYS[f.weekday][:3]
        if n == 4:
            return DAYS[f.weekday]
        raise _verb_error(tok, ': day of week must either be "EEE" or "EEEE"')
    if c == "h":
        return two(f.hour, "24-hour", "h", "hh")
    if c == "H":
        return two(f.hour % 12 or 12, "12-hour", "H", "HH")
    if c in "Aa":
        if n != 2:
            raise _verb_error(tok, f': must be "{c}{c}"')
        pm = f.hour >= 12
        text = "PM" if pm else "AM"
        return text if c == "A" else text.lower()
    if c == "m":
        return two(f.minute, "minute", "m", "mm")
    if c == "s":
        return two(f.second, "second", "s", "ss")
    if c == "Z":
        if n == 1:
            return t.format("Z07:00")
        if n == 3:
            text = t.format("-0700")
            return "UTC" if text == "+0000" else text
        if n == 4:
            return t.format("-0700")
        if n == 5:
            return t.format("-07:00")
        raise _verb_error(tok, ": timezone must be Z, ZZZZ, or ZZZZZ")
    raise _verb_error(tok)


def _formatdate(args: Sequence[Arg], ret: CtyType) -> Value:
    try:
        t = cty_parse_timestamp(value(args, 1).as_string())
    except ValueError as exc:
        raise FunctionCallError(1, str(exc)) from None
    return string_val(formatdate(value(args, 0).as_string(), t))


def _timeadd(args: Sequence[Arg], ret: CtyType) -> Value:
    try:
        t = cty_parse_timestamp(value(args, 0).as_string())
        d = parse_duration(value(args, 1).as_string())
    except ValueError as exc:
        raise FunctionCallError(None, str(exc)) from None
    return string_val(t.add(d).format(_RFC3339))


_DATE_ATTRS = {
    "year": NUMBER, "year_day": NUMBER, "day": NUMBER, "month": NUMBER, "month_name": STRING, "weekday": NUMBER,
    "weekday_name": STRING, "hour": NUMBER, "minute": NUMBER, "second": NUMBER, "iso_year": NUMBER,
    "iso_week": NUMBER,
}  # fmt: skip


def _date_object(t: GoTime, extra: dict[str, Value]) -> Value:
    f = t.fields()
    iso_year, iso_week = t.iso_week()
    attrs = {
        "year": number_int_val(f.year), "year_day": number_int_val(f.yday), "day": number_int_val(f.day),
        "month": number_int_val(f.month), "month_name": string_val(MONTHS[f.month - 1]),
        "weekday": number_int_val(f.weekday), "weekday_name": string_val(DAYS[f.weekday]),
        "hour": number_int_val(f.hour), "minute": number_int_val(f.minute),
        "second": number_int_val(f.second), "iso_year": number_int_val(iso_year),
        "iso_week": number_int_val(iso_week),
    }  # fmt: skip
    attrs.update(extra)
    return object_val(attrs)


def _rfc3339_parse(args: Sequence[Arg], ret: CtyType) -> Value:
    text = value(args, 0).as_string()
    for space in (False, True):
        try:
            t = parse_rfc3339(text, space_separator=space)
        except TimeParseError:
            continue
        return _date_object(t, {"unix": number_int_val(t.unix())})
    raise FunctionCallError(0, f"{go_quote(text)} is not a valid RFC3339 timestamp")


def _unix_timestamp_parse(args: Sequence[Arg], ret: CtyType) -> Value:
    try:
        ts = to_int(value(args, 0))
    except GoValueError as exc:
        raise FunctionCallError(
            0, f"unix_timestamp must be a whole number of seconds representable as a 64-bit integer: {exc}"
        ) from None
    t = GoTime(ts * NS, 0, "UTC")
    return _date_object(t, {"rfc3339": string_val(t.format(_RFC3339))})


def _legacy(kind: str, ctx: FunctionContext) -> object:
    def impl(args: Sequence[Arg], ret: CtyType) -> Value:
        start = GoTime.from_datetime(ctx.run_start)
        if len(args) > 1:
            shown = (
                "[" + " ".join(f"cty.StringVal({go_quote(value(args, i).as_string())})" for i in range(len(args))) + "]"
            )
            raise FunctionCallError(None, f"too many values, 1 needed: {shown}")
        if not args:
            return string_val(start.format(_RFC3339))
        layout = value(args, 0).as_string()
        return string_val(start.format(layout) if kind == "isotime" else start.fields().strftime(layout))

    return impl


def functions(ctx: FunctionContext) -> dict[str, HclFunction]:
    fns = [
        define("timestamp", [], STRING, lambda a, r: string_val(GoTime.from_datetime(ctx.clock()).format(_RFC3339))),
        define("formatdate", [Param("format", STRING), Param("time", STRING)], STRING, _formatdate),
        define("timeadd", [Param("timestamp", STRING), Param("duration", STRING)], STRING, _timeadd),
        define("legacy_isotime", [], STRING, _legacy("isotime", ctx), var_param=Param("format", STRING)),  # type: ignore[arg-type]
        define("legacy_strftime", [], STRING, _legacy("strftime", ctx), var_param=Param("format", STRING)),  # type: ignore[arg-type]
        define(
            "rfc3339_parse",
            [Param("timestamp", STRING)],
            ObjectType.of({**_DATE_ATTRS, "unix": NUMBER}),
            _rfc3339_parse,
        ),
        define(
            "unix_timestamp_parse",
            [Param("unix_timestamp", NUMBER)],
            ObjectType.of({**_DATE_ATTRS, "rfc3339": STRING}),
            _unix_timestamp_parse,
        ),
    ]
    return {f.name: f for f in fns}
