"""Plain Python data (JSON-like) to and from cty values, for the loader and the builders.

``from_python`` gives the types HCL/JSON imply: lists become tuples and dicts objects (as cty's JSON decoder and
Packer's ``hcl2shim.HCL2ValueFromConfigValue`` do), ``None`` a dynamic null. ``to_python`` returns ``None``,
``bool``, ``str``, ``int`` (integral numbers), ``float``, ``list`` and ``dict``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from packer_py.errors import PackerPyError
from packer_py.interpolate.hcl.types import BOOL, DYNAMIC, NUMBER, STRING
from packer_py.interpolate.hcl.values import (
    Value,
    bool_val,
    null_val,
    number_float_val,
    number_int_val,
    object_val,
    string_val,
    tuple_val,
)

PyData = None | bool | int | float | str | Sequence["PyData"] | Mapping[str, "PyData"]


class UnknownValueError(PackerPyError):
    """A value that is not yet known cannot become plain data."""


def from_python(data: object) -> Value:
    """Wrap plain data as a cty value with its implied type."""
    if data is None:
        return null_val(DYNAMIC)
    if isinstance(data, Value):
        return data
    if isinstance(data, bool):
        return bool_val(data)
    if isinstance(data, int):
        return number_int_val(data)
    if isinstance(data, float):
        return number_float_val(data)
    if isinstance(data, str):
        return string_val(data)
    if isinstance(data, Mapping):
        return object_val({str(k): from_python(v) for k, v in data.items()})
    if isinstance(data, Sequence | set | frozenset):
        return tuple_val(from_python(v) for v in data)
    raise TypeError(f"cannot represent {type(data).__name__} as an HCL value")


def to_python(value: Value) -> PyData:
    """Unwrap a wholly known value into plain data (integral numbers become ``int``)."""
    if not value.is_known:
        raise UnknownValueError("value is not known")
    if value.is_null:
        return None
    ty = value.type
    if ty == STRING:
        return value.as_string()
    if ty == BOOL:
        return value.true()
    if ty == NUMBER:
        f = value.as_bigfloat()
        if f.is_int():
            return f.to_int()
        return f.to_float()
    if ty.is_map or ty.is_object:
        return {k: to_python(v) for k, v in value.attrs().items()}
    return [to_python(v) for v in value.elements()]
