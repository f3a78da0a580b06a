"""HCL2 values (a model of go-cty) and Packer's HCL2 function library.

What other packages may import (everything else is internal):

* types: ``CtyType`` and its kinds, ``STRING NUMBER BOOL DYNAMIC``;
* values: ``Value`` and the cty-named constructors (``string_val``, ``list_val``, ``unknown_val``, ...), the
  operations HCL's operators need (``equals add subtract multiply divide modulo negate less_than ...``);
* ``convert`` / ``ConversionError`` / ``unify`` / ``mismatch_message`` (go-cty's ``convert``);
* type constraints: ``type_constraint(node)``, ``parse_type_constraint(text)``, ``TypeSpecError`` and the
  ``TypeNode`` classes the evaluator builds from its parse tree;
* ``console_repr(value)``: what ``packer console`` prints;
* ``from_python`` / ``to_python``: plain data in and out;
* the function library: ``functions_for(FunctionContext(...))`` and its call protocol (see ``functions``).
"""

from __future__ import annotations

from packer_py.interpolate.hcl.console import console_repr
from packer_py.interpolate.hcl.convert import ConversionError, convert, mismatch_message, unify, unify_unsafe
from packer_py.interpolate.hcl.functions import (
    ExpressionFailed,
    ExpressionThunk,
    FunctionCallError,
    FunctionContext,
    HclFunction,
    Param,
    TemplateRenderer,
    ThunkDiagnostic,
    functions_for,
)
from packer_py.interpolate.hcl.numbers import BigFloat, NaNError
from packer_py.interpolate.hcl.pydata import from_python, to_python
from packer_py.interpolate.hcl.typeexpr import (
    TCall,
    TKeyword,
    TList,
    TMap,
    TOther,
    TypeNode,
    TypeSpecError,
    parse_type_constraint,
    type_constraint,
    type_exact,
)
from packer_py.interpolate.hcl.types import (
    BOOL,
    DYNAMIC,
    NUMBER,
    STRING,
    CtyType,
    DynamicPseudoType,
    ListType,
    MapType,
    ObjectType,
    PrimitiveType,
    SetType,
    TupleType,
)
from packer_py.interpolate.hcl.values import (
    DYNAMIC_VAL,
    EMPTY_OBJECT_VAL,
    EMPTY_TUPLE_VAL,
    FALSE,
    TRUE,
    Value,
    absolute,
    add,
    and_,
    bool_val,
    divide,
    equals,
    get_attr,
    greater_than,
    greater_than_or_equal,
    has_index,
    index,
    length,
    less_than,
    less_than_or_equal,
    list_val,
    list_val_empty,
    map_val,
    map_val_empty,
    modulo,
    multiply,
    negate,
    not_,
    null_val,
    number_float_val,
    number_int_val,
    number_val,
    object_val,
    or_,
    parse_number_val,
    raw_equals,
    set_val,
    set_val_empty,
    string_val,
    subtract,
    tuple_val,
    unknown_val,
)

__all__ = [
    "BOOL", "DYNAMIC", "DYNAMIC_VAL", "EMPTY_OBJECT_VAL", "EMPTY_TUPLE_VAL", "FALSE", "NUMBER", "STRING", "TRUE",
    "BigFloat", "ConversionError", "CtyType", "DynamicPseudoType", "ExpressionFailed", "ExpressionThunk",
    "FunctionCallError", "FunctionContext", "HclFunction", "ListType", "MapType", "NaNError", "ObjectType", "Param",
    "PrimitiveType", "SetType", "TCall", "TKeyword", "TList", "TMap", "TOther", "TemplateRenderer",
    "ThunkDiagnostic", "TupleType", "TypeNode", "TypeSpecError", "Value", "absolute", "add", "and_", "bool_val",
    "console_repr", "convert", "divide", "equals", "from_python", "functions_for", "get_attr", "greater_than",
    "greater_than_or_equal", "has_index", "index", "length", "less_than", "less_than_or_equal", "list_val",
    "list_val_empty", "map_val", "map_val_empty", "mismatch_message", "modulo", "multiply", "negate", "not_",
    "null_val", "number_float_val", "number_int_val", "number_val", "object_val", "or_", "parse_number_val",
    "parse_type_constraint", "raw_equals", "set_val", "set_val_empty", "string_val", "subtract", "to_python",
    "tuple_val", "type_constraint", "type_exact", "unify", "unify_unsafe", "unknown_val",
]  # fmt: skip
