"""Which component types exist in Packer 1.6.6, and which of them packer-py implements.

Packer answers ``Unknown builder x`` for a type it has never heard of. A type that Packer has but packer-py does not
implement (``virtualbox-iso``, ``docker``, ...) deserves a different, honest message: the template is fine, we just
cannot build it. ``validate -syntax-only`` and ``inspect`` accept any type, as Packer's do.
"""

from __future__ import annotations

from typing import Literal

Kind = Literal["builder", "provisioner", "post-processor"]

PACKER_1_6_6: dict[Kind, frozenset[str]] = {
    "builder": frozenset(
        "alicloud-ecs amazon-chroot amazon-ebs amazon-ebssurrogate amazon-ebsvolume amazon-instance azure-arm "
        "azure-chroot azure-dtl cloudstack digitalocean docker file googlecompute hcloud hyperone hyperv-iso "
        "hyperv-vmcx jdcloud linode lxc lxd ncloud null oneandone openstack oracle-classic oracle-oci osc-bsu "
        "osc-bsusurrogate osc-bsuvolume osc-chroot parallels-iso parallels-pvm profitbricks proxmox proxmox-clone "
        "proxmox-iso qemu scaleway tencentcloud-cvm triton ucloud-uhost vagrant virtualbox-iso virtualbox-ovf "
        "virtualbox-vm vmware-iso vmware-vmx vsphere-clone vsphere-iso yandex".split()
    ),
    "provisioner": frozenset(
        "ansible ansible-local azure-dtlartifact breakpoint chef-client chef-solo converge file inspec powershell "
        "puppet-masterless puppet-server salt-masterless shell shell-local sleep windows-restart windows-shell".split()
    ),
    "post-processor": frozenset(
        "alicloud-import amazon-import artifice checksum compress digitalocean-import docker-import docker-push "
        "docker-save docker-tag exoscale-import googlecompute-export googlecompute-import manifest shell-local "
        "ucloud-import vagrant vagrant-cloud vsphere vsphere-template yandex-export yandex-import".split()
    ),
}

SUPPORTED: dict[Kind, frozenset[str]] = {
    "builder": frozenset({"amazon-ebs", "null"}),
    "provisioner": frozenset({"shell", "file", "shell-local", "ansible", "ansible-local", "breakpoint"}),
    "post-processor": frozenset({"manifest", "shell-local"}),
}


def is_supported(kind: Kind, type_: str) -> bool:
    return type_ in SUPPORTED[kind]


def unknown_message(kind: Kind, type_: str) -> str:
    """Packer's words for a type it does not know, or ours for one it knows and we do not implement."""
    if type_ in PACKER_1_6_6[kind]:
        supported = ", ".join(sorted(SUPPORTED[kind]))
        return f"{kind} type '{type_}' is not supported by packer-py (supported: {supported})"
    return f"Unknown {kind} {type_}"
