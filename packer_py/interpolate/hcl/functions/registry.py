"""The function table: ``functions_for(context)``, Packer's ``hcl2template.Functions(basedir)`` plus the newer
functions of the newest Packer (``alltrue``, ``regex``, ``templatefile``, ...), plus ``env`` where allowed.

Building the table is cheap: the topic modules import only the standard library at module level.
"""

from __future__ import annotations

from collections.abc import Mapping

from packer_py.interpolate.hcl.functions import (
    cidr,
    collections,
    crypto,
    datetime,
    encoding,
    filesystem,
    format,
    numeric,
    regex,
    secrets,
    strings,
    typeconv,
    yamlfuncs,
)
from packer_py.interpolate.hcl.functions.context import FunctionContext
from packer_py.interpolate.hcl.functions.spec import HclFunction


def functions_for(context: FunctionContext | None = None) -> Mapping[str, HclFunction]:
    """Every HCL2 function available in ``context``, by name."""
    ctx = context or FunctionContext()
    table: dict[str, HclFunction] = {}
    table.update(strings.functions())
    table.update(format.functions())
    table.update(numeric.functions())
    table.update(collections.functions(legacy_index=ctx.legacy_index))
    table.update(encoding.functions())
    table.update(yamlfuncs.functions())
    table.update(crypto.functions())
    table.update(datetime.functions(ctx))
    table.update(cidr.functions())
    table.update(typeconv.functions())
    table.update(regex.functions())
    table.update(secrets.functions(ctx))
    table.update(filesystem.functions(ctx, table))
    return table
