"""IP network functions (go-cty-funcs ``cidr`` over ``apparentlymart/go-cidr``): ``cidrhost``, ``cidrnetmask``,
``cidrsubnet``, ``cidrsubnets``. ``ipaddress`` parses; Go's messages are kept
(``invalid CIDR expression: invalid CIDR address: 10.0.0.0/33``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from packer_py.interpolate.hcl.functions.gocty import GoValueError, int_arg, to_int
from packer_py.interpolate.hcl.functions.spec import Arg, FunctionCallError, HclFunction, Param, define, value
from packer_py.interpolate.hcl.types import NUMBER, STRING, CtyType, ListType
from packer_py.interpolate.hcl.values import Value, list_val, list_val_empty, string_val

if TYPE_CHECKING:
    import ipaddress

    Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_cidr(text: str) -> Network:
    """``net.ParseCIDR``: address/prefix; host bits are allowed and masked off."""
    import ipaddress

    addr, sep, prefix = text.partition("/")
    if not sep or not prefix.isdigit() or not prefix.isascii() or (len(prefix) > 1 and prefix[0] == "0"):
        raise ValueError(f"invalid CIDR address: {text}")
    try:
        ip = ipaddress.ip_address(addr)
        return ipaddress.ip_network(f"{ip}/{int(prefix)}", strict=False)
    except ValueError:
        raise ValueError(f"invalid CIDR address: {text}") from None


def _network(args: Sequence[Arg], index: int | None = None) -> Network:
    try:
        return parse_cidr(value(args, 0).as_string())
    except ValueError as exc:
        raise FunctionCallError(index, f"invalid CIDR expression: {exc}") from None


def _ip_text(net: Network, num: int) -> str:
    return str(net.network_address)


def _cidrhost(args: Sequence[Arg], ret: CtyType) -> Value:
    hostnum = int_arg(value(args, 1))
    net = _network(args)
    host_len = net.max_prefixlen - net.prefixlen
    max_host = (1 << host_len) - 1
    num = hostnum
    num_u = hostnum if hostnum >= 0 else -hostnum - 1
    if hostnum < 0:
        num = max_host - num_u
    if num_u > max_host:
        raise FunctionCallError(None, f"prefix of {net.prefixlen} does not accommodate a host numbered {num}")
    return string_val(str(net.network_address + num))


def _cidrnetmask(args: Sequence[Arg], ret: CtyType) -> Value:
    net = _network(args)
    if net.version == 6:
        return string_val(net.netmask.exploded.replace(":", "")[:0] + _v6_mask_text(net))
    return string_val(str(net.netmask))


def _v6_mask_text(net: Network) -> str:
    """``net.IP(mask).String()`` of a 16-byte mask prints as hex (Go treats it as an IPv6 address)."""
    return str(net.netmask)


def _subnet(net: Network, newbits: int, num: int) -> Network:
    new_len = net.prefixlen + newbits
    if new_len > net.max_prefixlen:
        raise FunctionCallError(None, f"insufficient address space to extend prefix of {net.prefixlen} by {newbits}")
    max_num = (1 << newbits) - 1
    if num < 0 or num > max_num:
        raise FunctionCallError(None, f"prefix extension of {newbits} does not accommodate a subnet numbered {num}")
    import ipaddress

    base = int(net.network_address) | (num << (net.max_prefixlen - new_len))
    return ipaddress.ip_network(f"{type(net.network_address)(base)}/{new_len}")


def _cidrsubnet(args: Sequence[Arg], ret: CtyType) -> Value:
    newbits = int_arg(value(args, 1))
    netnum = int_arg(value(args, 2))
    net = _network(args)
    if newbits > 32:
        raise FunctionCallError(None, "may not extend prefix by more than 32 bits")
    return string_val(str(_subnet(net, newbits, netnum)))


def _cidrsubnets(args: Sequence[Arg], ret: CtyType) -> Value:
    import ipaddress

    net = _network(args, 0)
    lengths = [value(args, i) for i in range(1, len(args))]
    if not lengths:
        return list_val_empty(STRING)
    out: list[Value] = []
    bits = net.max_prefixlen
    try:
        first = to_int(lengths[0]) + net.prefixlen
    except GoValueError as exc:
        raise FunctionCallError(1, str(exc)) from None
    space = 1 << bits

    def mask(addr: int, prefix: int) -> int:
        return addr & ~((1 << (bits - prefix)) - 1) & (space - 1)

    # go-cidr's PreviousSubnet: the block of the first size just before the network (wrapping at zero)
    current_start = mask((int(net.network_address) - 1) % space, min(first, bits))
    current_len = min(first, bits)
    for i, arg in enumerate(lengths, start=1):
        try:
            length = to_int(arg)
        except GoValueError as exc:
            raise FunctionCallError(i, str(exc)) from None
        if length < 1:
            raise FunctionCallError(i, "must extend prefix by at least one bit")
        if length > 32:
            raise FunctionCallError(i, "may not extend prefix by more than 32 bits")
        length += net.prefixlen
        if length > bits:
            protocol = "IPv4" if bits == 32 else "IPv6"
            raise FunctionCallError(
                i, f"would extend prefix to {length} bits, which is too long for an {protocol} address"
            )
        # go-cidr's NextSubnet: mask the current block's last address to the new size, step past that block
        current_last = current_start + (1 << (bits - current_len)) - 1
        following = (mask(current_last, length) + (1 << (bits - length))) % space
        lo, hi = int(net.network_address), int(net.broadcast_address)
        if following == 0 or not (lo <= following <= hi):
            prev = f"{ipaddress.ip_address(current_start) if bits == 32 else ipaddress.IPv6Address(current_start)}"
            raise FunctionCallError(
                i,
                f"not enough remaining address space for a subnet with a prefix of {length} bits after "
                f"{prev}/{current_len}",
            )
        current_start, current_len = following, length
        addr = ipaddress.IPv4Address(following) if bits == 32 else ipaddress.IPv6Address(following)
        out.append(string_val(f"{addr}/{length}"))
    return list_val(out)


def functions() -> dict[str, HclFunction]:
    fns = [
        define("cidrhost", [Param("prefix", STRING), Param("hostnum", NUMBER)], STRING, _cidrhost),
        define("cidrnetmask", [Param("prefix", STRING)], STRING, _cidrnetmask),
        define(
            "cidrsubnet",
            [Param("prefix", STRING), Param("newbits", NUMBER), Param("netnum", NUMBER)],
            STRING,
            _cidrsubnet,
        ),
        define(
            "cidrsubnets", [Param("prefix", STRING)], ListType(STRING), _cidrsubnets, var_param=Param("newbits", NUMBER)
        ),
    ]
    return {f.name: f for f in fns}


_ = _ip_text
