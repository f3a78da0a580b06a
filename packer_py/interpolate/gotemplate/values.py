"""How Go values are represented while a template runs.

Go's ``text/template`` works on ``reflect.Value``s; the differences between Go types leak into output and errors
(``index "abc" 1`` prints ``98`` because it is a ``uint8``; ``.A.B`` on a map element fails with ``can't evaluate
field B in type interface {}``). The mapping used here:

================================  ==========================================
Python                            Go
================================  ==========================================
``None``                          the invalid ``reflect.Value`` (no value; prints ``<no value>``)
``str``                           ``string`` (bytes outside UTF-8 as ``U+DC80+byte``, see ``gostrings``)
``bool`` / ``int`` / ``float``    ``bool`` / ``int`` / ``float64``
``Uint8``                         ``uint8`` (a byte of a string)
``complex``                       ``complex128``
``Mapping``                       ``map[string]interface {}`` (the data value, ``.Vars``, ...)
``list`` / ``tuple``              ``[]interface {}``
``Boxed(x)``                      an ``interface {}`` holding ``x``: what a map or slice element is
``GoFunc`` / other callables      ``func`` values
anything else                     a struct, printed with ``str()``
================================  ==========================================
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

__all__ = ["MISSING", "Boxed", "GoFunc", "Uint8", "indirect", "indirect_interface", "is_true", "kind", "type_name"]


class Uint8(int):
    """A Go ``uint8``: what ``index`` returns for a byte of a string."""

    __slots__ = ()


@dataclass(frozen=True)
class Boxed:
    """A value of static type ``interface {}`` (a map or slice element); ``value`` None means a nil interface."""

    value: object


class _Missing:
    """Go's ``missingVal``: 'no value was piped into this command' (not the same as a piped nil)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING = _Missing()

_GO_TYPE_NAMES = {"string": "string", "int": "int", "bool": "bool", "float64": "float64", "any": "interface {}"}


@dataclass(frozen=True)
class GoFunc:
    """A template function with a Go signature, because argument checks and their errors follow the signature.

    ``params`` are the Go types of the fixed parameters: ``"string"``, ``"int"``, ``"bool"``, ``"float64"``,
    ``"any"`` (``interface {}``) or ``"value"`` (``reflect.Value``: receives the raw value, as Go's builtins do).
    ``variadic`` is the element type of a final ``...T`` parameter. ``impl`` gets Python values and returns the
    result; it raises :class:`~packer_py.interpolate.gotemplate.exceptions.FuncError` to return a Go error.
    """

    impl: Callable[..., object]
    params: tuple[str, ...] = ()
    variadic: str | None = None
    returns_error: bool = True

    @property
    def num_in(self) -> int:
        return len(self.params) + (1 if self.variadic else 0)

    def go_type(self) -> str:
        names = [_GO_TYPE_NAMES.get(p, "reflect.Value") for p in self.params]
        if self.variadic:
            names.append("..." + _GO_TYPE_NAMES.get(self.variadic, "reflect.Value"))
        result = "interface {}"
        return f"func({', '.join(names)}) " + (f"({result}, error)" if self.returns_error else result)


def kind(value: object) -> str:
    """Go's ``reflect.Kind`` of a value, as a word (``"invalid"``, ``"string"``, ``"map"``, ...)."""
    if value is None:
        return "invalid"
    if isinstance(value, Boxed):
        return "interface"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, Uint8):
        return "uint"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, complex):
        return "complex"
    if isinstance(value, str):
        return "string"
    if isinstance(value, Mapping):
        return "map"
    if isinstance(value, (list, tuple)):
        return "slice"
    if isinstance(value, GoFunc) or callable(value):
        return "func"
    return "struct"


def type_name(value: object) -> str:
    """Go's ``reflect.Type.String()`` (``"map[string]interface {}"``), as errors and ``%T`` print it."""
    k = kind(value)
    if k == "interface":
        return "interface {}"
    if k == "uint":
        return "uint8"
    if k == "float":
        return "float64"
    if k == "complex":
        return "complex128"
    if k == "map":
        return "map[string]interface {}"
    if k == "slice":
        return "[]interface {}"
    if k == "func":
        return value.go_type() if isinstance(value, GoFunc) else "func(...interface {}) (interface {}, error)"
    if k == "struct":
        return type(value).__name__
    return k


def indirect(value: object) -> tuple[object, bool]:
    """Go's ``indirect``: look through interfaces; True when a nil interface was found."""
    while isinstance(value, Boxed):
        if value.value is None:
            return value, True
        value = value.value
    return value, False


def indirect_interface(value: object) -> object:
    """Go's ``indirectInterface``: the value inside an interface (None for a nil interface)."""
    if isinstance(value, Boxed):
        return value.value
    return value


def is_true(value: object) -> tuple[bool, bool]:
    """Go's ``template.IsTrue``: (truth, ok). Empty strings, maps and lists, zero numbers and nil are false."""
    k = kind(value)
    if k == "invalid":
        return False, True
    if k in ("string", "map", "slice"):
        return len(value) > 0, True  # type: ignore[arg-type]
    if k == "bool":
        return bool(value), True
    if k in ("int", "uint", "float", "complex"):
        return value != 0, True
    if k == "interface":
        return isinstance(value, Boxed) and value.value is not None, True
    return True, True
