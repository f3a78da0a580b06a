"""Go's printing of aws-sdk-go values, which Packer puts into some of its messages.

* ``prettify``: aws-sdk-go's ``awsutil.Prettify`` (what ``%v`` of a request input prints), used by
  ``No AMI was found matching filters: {...}`` and its VPC/subnet siblings. A struct is a dict whose keys are the Go
  field names **in the Go struct's order**; unset fields (``None``) are left out, strings are Go-quoted, and a
  list of more than three items goes on separate lines.
* ``go_list``: ``%v`` of a ``[]string`` (``[a b]``), as in ``Authorizing access to port 22 from [0.0.0.0/0]``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from packer_py.gofmt import quote


def go_list(items: Sequence[object]) -> str:
    return "[" + " ".join(str(i) for i in items) + "]"


def prettify(value: object, indent: int = 0) -> str:
    if isinstance(value, Mapping):
        names = [k for k, v in value.items() if v is not None]
        parts = [" " * (indent + 2) + f"{name}: {prettify(value[name], indent + 2)}" for name in names]
        return "{\n" + ",\n".join(parts) + "\n" + " " * indent + "}"
    if isinstance(value, list | tuple):
        long = len(value) > 3
        newline = "\n" if long else ""
        inner = " " * (indent + 2) if long else ""
        closing = " " * indent if long else ""
        parts = [inner + prettify(item, indent + 2) for item in value]
        return "[" + newline + ("," + newline).join(parts) + newline + closing + "]"
    if isinstance(value, str):
        return quote(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def ec2_filters(filters: Mapping[str, str]) -> list[dict[str, object]]:
    """``buildEc2Filters``: one filter per key with a single value (as request parameters)."""
    return [{"Name": name, "Values": [value]} for name, value in filters.items()]


def go_filters(filters: Sequence[Mapping[str, object]]) -> list[dict[str, object]]:
    """Request filters shaped as ``ec2.Filter`` structs for ``prettify``."""
    return [{"Name": f["Name"], "Values": list(f["Values"])} for f in filters]  # type: ignore[call-overload]
