"""Provisioners for ``packer-py build``: ``shell``, ``file``, ``shell-local``, ``breakpoint``, ``ansible``,
``ansible-local``.

``make_provisioner(type, config, render_ctx, environ)`` builds one from its prepared config (decoded, defaults
filled, checked by ``packer_py.schema``). Modules are imported only when a build needs them.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import TYPE_CHECKING

from packer_py.errors import UnsupportedError

if TYPE_CHECKING:
    from packer_py.build.interfaces import Provisioner
    from packer_py.interpolate.gotemplate import RenderContext

_FACTORIES: dict[str, str] = {
    "shell": "packer_py.provisioners.shell:ShellProvisioner",
    "file": "packer_py.provisioners.file:FileProvisioner",
    "shell-local": "packer_py.provisioners.shell_local:ShellLocalProvisioner",
    "breakpoint": "packer_py.provisioners.breakpoint:BreakpointProvisioner",
    "ansible": "packer_py.provisioners.ansible:AnsibleProvisioner",
    "ansible-local": "packer_py.provisioners.ansible_local:AnsibleLocalProvisioner",
}


def make_provisioner(
    type_: str, config: Mapping[str, object], render_ctx: RenderContext, environ: Mapping[str, str]
) -> Provisioner:
    target = _FACTORIES.get(type_)
    if target is None:
        raise UnsupportedError(f"provisioner type '{type_}' is not available in this build of packer-py")
    module, _, name = target.partition(":")
    factory = getattr(importlib.import_module(module), name)
    return factory(dict(config), render_ctx, environ)  # type: ignore[no-any-return]
