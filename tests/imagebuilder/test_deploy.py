"""deploy.sh runs as written with the real AWS CLI: S3 and IAM against a moto server, Image Builder against a small
recording HTTP stand-in (moto has no Image Builder). The create calls come in dependency order and each ARN
returned is the one passed on."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from packer_py.api import load_template
from packer_py.imagebuilder.export import ExportOptions, export_template
from packer_py.imagebuilder.output import write_export
from packer_py.imagebuilder.requests import validate_request
from tests.harness.moto_server import MotoServer

from .conftest import TEMPLATES

AWS = shutil.which("aws")
pytestmark = pytest.mark.skipif(AWS is None, reason="the AWS CLI (pip install awscli) is not installed")

ACCOUNT = "123456789012"
RESPONSES = {
    "CreateComponent": ("componentBuildVersionArn", "component/{n}/1.0.0/1"),
    "CreateImageRecipe": ("imageRecipeArn", "image-recipe/{n}/1.0.0"),
    "CreateInfrastructureConfiguration": ("infrastructureConfigurationArn", "infrastructure-configuration/{n}"),
    "CreateDistributionConfiguration": ("distributionConfigurationArn", "distribution-configuration/{n}"),
    "CreateImagePipeline": ("imagePipelineArn", "image-pipeline/{n}"),
}


class Recorder(ThreadingHTTPServer):
    calls: list[tuple[str, dict[str, Any], str]]


class Handler(BaseHTTPRequestHandler):
    server: Recorder

    def do_PUT(self) -> None:  # noqa: N802 (http.server's naming)
        operation = self.path.strip("/").split("?")[0]
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        member, suffix = RESPONSES[operation]
        arn = f"arn:aws:imagebuilder:eu-west-1:{ACCOUNT}:" + suffix.format(n=f"returned-{len(self.server.calls)}")
        self.server.calls.append((operation, body, arn))
        payload = json.dumps({"requestId": "r", "clientToken": body.get("clientToken", "t"), member: arn}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def imagebuilder_stand_in() -> Iterator[Recorder]:
    server = Recorder(("127.0.0.1", 0), Handler)
    server.calls = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def moto_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A moto server process with AWS's managed policies loaded (deploy.sh attaches two of them). Its own process:
    moto makes its IAM backend once per process, so a flag set for an in-process server would depend on whether
    another test had already made that backend."""
    server = MotoServer.start(tmp_path_factory.mktemp("moto-deploy"), env={"MOTO_IAM_LOAD_MANAGED_POLICIES": "true"})
    try:
        yield server.endpoint
    finally:
        server.stop()


def _run_deploy(folder: Path, moto: str, stand_in: Recorder, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_CONFIG_FILE": str(tmp_path / "no-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-credentials"),
        "AWS_ENDPOINT_URL": moto,
        "AWS_ENDPOINT_URL_IMAGEBUILDER": f"http://127.0.0.1:{stand_in.server_address[1]}",
    }
    return subprocess.run(
        ["bash", str(folder / "deploy.sh")], env=env, capture_output=True, text=True, timeout=240, check=False
    )


@pytest.mark.parametrize("template", ["httpd.json", "jenkins.json"])
def test_deploy_sh_with_the_real_aws_cli(
    template: str, tmp_path: Path, moto_endpoint: str, imagebuilder_stand_in: Recorder
) -> None:
    import boto3

    exports = export_template(load_template(TEMPLATES / template), ExportOptions(cwd=TEMPLATES))
    folder = tmp_path / "export"
    write_export(exports, folder, f"packer-py imagebuilder export {template} -o export")
    done = _run_deploy(folder, moto_endpoint, imagebuilder_stand_in, tmp_path)
    assert done.returncode == 0, done.stderr
    calls = imagebuilder_stand_in.calls
    assert [c[0] for c in calls] == list(RESPONSES)
    (component, _), (recipe, _), (infra, _), (dist, _), (pipeline, _) = [(c[1], c[2]) for c in calls]
    arns = [c[2] for c in calls]
    assert recipe["components"][0]["componentArn"] == arns[0]
    assert pipeline["imageRecipeArn"] == arns[1]
    assert pipeline["infrastructureConfigurationArn"] == arns[2]
    assert pipeline["distributionConfigurationArn"] == arns[3]
    assert "000000000000" not in json.dumps([c[1] for c in calls])  # no stand-in left
    for operation, body, _arn in calls:
        assert validate_request(operation, body) == [], operation  # what the CLI sent, clientToken included
    assert component["data"] == exports[0].components[0].text
    assert infra["instanceProfileName"] == exports[0].role.name
    assert dist["distributions"] == exports[0].distribution["distributions"]
    assert arns[4] in done.stdout

    session = boto3.session.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name="eu-west-1"
    )
    iam = session.client("iam", endpoint_url=moto_endpoint)
    role = exports[0].role.name
    attached = {p["PolicyArn"] for p in iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"]}
    assert attached == set(exports[0].role.managed_policies)
    profile = iam.get_instance_profile(InstanceProfileName=role)["InstanceProfile"]
    assert [r["RoleName"] for r in profile["Roles"]] == [role]
    if exports[0].bucket:
        s3 = session.client("s3", endpoint_url=moto_endpoint)
        keys = {o["Key"] for o in s3.list_objects_v2(Bucket=exports[0].bucket)["Contents"]}
        assert keys == {exports[0].prefix + s.key for s in exports[0].staged}
        assert recipe["components"][0]["parameters"] == [{"name": "StagingBucket", "value": [exports[0].bucket]}]
