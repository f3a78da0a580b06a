"""``BlockDevices.Prepare`` (builder/amazon/common/block_device.go, Packer 1.6.6).

Each mapping reports at most one error (its Prepare returns at the first problem). Note 1.6.6's gp3 rule: a gp3
volume must state ``throughput`` (125-1000) and ``iops`` (3000-16000) explicitly, since unset means 0.
"""

from __future__ import annotations

from packer_py.schema.rules.outcome import Checks, dict_list

E_DEVICE_NAME = "E230"
E_KMS_NOT_ENCRYPTED = "E231"
E_IOPS_RATIO = "E232"
E_IOPS_RANGE = "E233"
E_THROUGHPUT_RANGE = "E234"
E_GP3_IOPS_RANGE = "E235"
E_THROUGHPUT_NOT_GP3 = "E236"

MIN_IOPS, MAX_IOPS = 100, 64000
MIN_IOPS_GP3, MAX_IOPS_GP3 = 3000, 16000
MIN_THROUGHPUT, MAX_THROUGHPUT = 125, 1000
IOPS_RATIOS = {"io1": 50, "io2": 500}


def _go_div(a: int, b: int) -> int:
    """Go's integer division truncates toward zero."""
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


def device_error(device: dict[str, object]) -> tuple[str, str] | None:
    name = device["device_name"]
    volume_type = device["volume_type"]
    iops = device["iops"]
    size = device["volume_size"]
    throughput = device["throughput"]
    assert isinstance(iops, int) and isinstance(size, int) and isinstance(throughput, int)
    if name == "":
        return E_DEVICE_NAME, "The `device_name` must be specified for every device in the block device mapping."
    if device["kms_key_id"] and device["encrypted"] is False:
        return E_KMS_NOT_ENCRYPTED, f"The device {name}, must also have `encrypted: true` when setting a kms_key_id."
    ratio = IOPS_RATIOS.get(str(volume_type))
    if ratio is not None and size != 0:
        if _go_div(iops, size) > ratio:
            message = (
                f"{name}: the maximum ratio of provisioned IOPS to requested volume size (in GiB) is {ratio}:1 for "
                f"{volume_type} volumes"
            )
            return E_IOPS_RATIO, message
        if iops < MIN_IOPS or iops > MAX_IOPS:
            return E_IOPS_RANGE, f"IOPS must be between {MIN_IOPS} and {MAX_IOPS} for device {name}"
    if volume_type == "gp3":
        if throughput < MIN_THROUGHPUT or throughput > MAX_THROUGHPUT:
            return (
                E_THROUGHPUT_RANGE,
                f"Throughput must be between {MIN_THROUGHPUT} and {MAX_THROUGHPUT} for device {name}",
            )
        if iops < MIN_IOPS_GP3 or iops > MAX_IOPS_GP3:
            return E_GP3_IOPS_RANGE, f"IOPS must be between {MIN_IOPS_GP3} and {MAX_IOPS_GP3} for device {name}"
    elif throughput > 0:
        return E_THROUGHPUT_NOT_GP3, f"Throughput is not available for device {name}"
    return None


def prepare(cfg: dict[str, object], option: str, checks: Checks) -> None:
    for index, device in enumerate(dict_list(cfg, option)):
        problem = device_error(device)
        if problem is not None:
            checks.error(problem[0], problem[1], option, index)
