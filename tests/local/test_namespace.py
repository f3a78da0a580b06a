"""Isolation: commands run in a namespace over an overlay of /, as root or in a user namespace, and never on the
host when neither is possible."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

from packer_py.local import namespace
from packer_py.local.namespace import LocalModeError, Namespace

from .conftest import require_isolation

REPO = Path(__file__).resolve().parents[2]


def _fake_tools(tmp_path: Path, unshare_script: str | None) -> str:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    if unshare_script is not None:
        for tool in ("unshare", "nsenter", "setpriv"):
            (bin_dir / tool).write_text(unshare_script)
            (bin_dir / tool).chmod(0o755)
    return str(bin_dir)


def test_no_util_linux_is_a_clear_refusal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", _fake_tools(tmp_path, None))
    with pytest.raises(LocalModeError, match="needs unshare, nsenter, setpriv .*refusing to run them on this host"):
        namespace._probe()


def test_a_kernel_that_refuses_namespaces_is_a_clear_refusal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    script = "#!/bin/sh\necho 'unshare: unshare failed: Operation not permitted' >&2\nexit 1\n"
    monkeypatch.setenv("PATH", _fake_tools(tmp_path, script) + ":/usr/bin:/bin")
    with pytest.raises(LocalModeError) as info:
        namespace._probe()
    assert "Operation not permitted" in str(info.value)
    assert "refusing to run them on this host" in str(info.value)
    if os.geteuid() != 0:
        assert "unprivileged_userns_clone" in str(info.value)


def test_namespace_runs_as_root_over_an_overlay(tmp_path: Path) -> None:
    require_isolation()
    shims = tmp_path / "shims"
    shims.mkdir()
    (shims / "hello").write_text("#!/bin/sh\necho shim\n")
    (shims / "hello").chmod(0o755)
    ns = Namespace.start(
        upper=tmp_path / "upper", work=tmp_path / "work", mountpoint=tmp_path / "root", shims=shims, binds=[]
    )
    try:
        proc = subprocess.run(
            ns.argv(["/bin/sh", "-c", "id -u; /run/packer-py/shims/hello; touch /etc/ns-test; mount | head -1"]),
            capture_output=True,
            text=True,
            timeout=30,
        )
    finally:
        ns.stop()
    lines = proc.stdout.splitlines()
    assert lines[:2] == ["0", "shim"]
    assert lines[2].startswith("overlay on / ") or ns.layout == "per-directory"
    assert (tmp_path / "upper/etc/ns-test").exists()
    assert not Path("/etc/ns-test").exists()
    assert not ns.alive()


USERNS_PROBE = textwrap.dedent(
    """
    import subprocess, sys
    from pathlib import Path
    from packer_py.local.namespace import Namespace, probe
    base = Path(sys.argv[1])
    ns = Namespace.start(upper=base / "upper", work=base / "work", mountpoint=base / "root", shims=base / "shims",
                         binds=[])
    try:
        out = subprocess.run(ns.argv(["/bin/sh", "-c", "id -u; mkdir -p /var/www/html && echo hi > /var/www/html/i"]),
                             capture_output=True, text=True).stdout
    finally:
        ns.stop()
    print(probe().kind, ns.layout, out.strip())
    """
)


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("setpriv") is None, reason="needs root to become nobody")
def test_an_unprivileged_user_gets_a_user_namespace() -> None:
    base = Path(tempfile.mkdtemp(prefix="packer-py-userns-"))  # pytest's tmp_path is private to root
    try:
        _as_nobody(base)
    finally:
        shutil.rmtree(base)


def _as_nobody(base: Path) -> None:
    os.chmod(base, 0o755)
    (base / "shims").mkdir()
    for p in (base, base / "shims"):
        shutil.chown(p, 65534, 65534)
    python = "/usr/bin/python3" if Path("/usr/bin/python3").exists() else sys.executable
    proc = subprocess.run(
        ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", python, "-c", USERNS_PROBE, str(base)],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": os.environ["PATH"], "PYTHONPATH": str(REPO), "HOME": str(base)},
        cwd=str(base),
    )
    if proc.returncode != 0 and "cannot isolate" in proc.stderr:
        pytest.skip("unprivileged user namespaces are disabled here")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["userns", "per-directory", "0"]
    assert (base / "upper/var/www/html/i").read_text() == "hi\n"
    assert not Path("/var/www/html/i").exists()
