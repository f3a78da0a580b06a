"""The project's own HCL2 conformance cases: small configurations for each path of HCL2 ``validate``.

``python -m conformance.record hcl-...`` records them from the real Packer 1.6.6 into ``cases/<name>/`` (see
``record.py``). Each case is a folder of files; the target is the folder (``.``) unless said otherwise, so Packer
names files as ``t.pkr.hcl`` in its messages. Most cases record ``validate`` only (the corpus covers the other
commands, and the conformance suite runs every recorded command in a subprocess); ``ALL`` records
``validate -syntax-only`` and ``inspect`` too.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HclCase:
    """An HCL2 case: its files, the target, extra arguments before the target, and the commands recorded."""

    files: dict[str, str]
    target: str = "."
    args: tuple[str, ...] = ()
    commands: tuple[str, ...] = ("validate",)


NULL_A = 'source "null" "a" {\n  communicator = "none"\n}\n'
NULL_B = 'source "null" "b" {\n  communicator = "none"\n}\n'
EBS = """source "amazon-ebs" "web" {
  region        = "us-east-1"
  ami_name      = "web-{{timestamp}}"
  instance_type = "t3.micro"
  ssh_username  = "ec2-user"
  source_ami    = "ami-0123456789abcdef0"
}
"""
ALL = ("validate-syntax", "validate", "inspect")


def one(text: str, **kw: object) -> HclCase:
    return HclCase({"t.pkr.hcl": text}, **kw)  # type: ignore[arg-type]


def build(body: str, *, name: str = "", sources: str = '"source.null.a"') -> str:
    head = f'  name = "{name}"\n' if name else ""
    return f"build {{\n{head}  sources = [{sources}]\n{body}}}\n"


SHELL_LOCAL = '  provisioner "shell-local" {\n    inline = ["echo hi"]\n  }\n'

HCL_CASES: dict[str, HclCase] = {
    # -- sources and names ------------------------------------------------------------------------------------
    "hcl-valid-null": one(NULL_A + build(SHELL_LOCAL), commands=ALL),
    "hcl-valid-ebs": one(
        EBS + build('  provisioner "shell" {\n    inline = ["id"]\n  }\n', sources='"source.amazon-ebs.web"')
    ),
    "hcl-empty-build": one(NULL_A + "build {\n}\n"),
    "hcl-unknown-source-none-defined": one('build {\n  sources = ["source.null.nope"]\n}\n'),
    "hcl-unknown-source-known-map": one(
        NULL_B + NULL_A + EBS + 'build {\n  sources = ["source.null.zz", "source.amazon-ebs.x", "source.null.a"]\n}\n'
    ),
    "hcl-unknown-source-block": one(NULL_A + 'build {\n  source "source.null.other" {\n  }\n}\n'),
    "hcl-renamed-source": one(
        NULL_A
        + 'build {\n  source "source.null.a" {\n    name = "renamed"\n  }\n'
        + '  provisioner "shell-local" {\n    only   = ["null.renamed"]\n    inline = "not a list"\n  }\n}\n'
    ),
    "hcl-renamed-source-only-original": one(
        NULL_A
        + 'build {\n  source "source.null.a" {\n    name = "renamed"\n  }\n'
        + '  provisioner "shell-local" {\n    only   = ["null.a"]\n    inline = "not a list"\n  }\n}\n'
    ),
    "hcl-source-used-twice": one(
        NULL_A
        + 'build {\n  sources = ["source.null.a"]\n  source "source.null.a" {\n    name = "second"\n'
        + '    communicator = "ssh"\n  }\n}\n'
    ),
    "hcl-build-source-duplicate-argument": one(
        NULL_A + 'build {\n  source "source.null.a" {\n    communicator = "ssh"\n  }\n}\n'
    ),
    "hcl-build-source-unknown-argument": one(NULL_A + 'build {\n  source "source.null.a" {\n    bogus = 1\n  }\n}\n'),
    "hcl-build-source-adds-setting": one(
        'source "null" "a" {\n}\n'
        + 'build {\n  source "source.null.a" {\n    communicator = "none"\n  }\n  source "source.null.a" {\n'
        + '    name = "nossh"\n  }\n}\n'
    ),
    "hcl-source-name-unknown-in-builder": one(
        'source "null" "a" {\n  communicator = "${source.name}"\n}\n' + build("")
    ),
    "hcl-build-value-in-builder": one('source "null" "a" {\n  communicator = build.ID\n}\n' + build("")),
    # -- decoding the builder body ---------------------------------------------------------------------------
    "hcl-type-list-required": one(
        EBS.replace("  region ", '  ami_regions   = "us-west-2"\n  region ')
        + build("", sources='"source.amazon-ebs.web"')
    ),
    "hcl-type-with-variable": one(
        'variable "regions" {\n  default = "us-west-2"\n}\n'
        + EBS.replace("  region ", "  ami_regions   = var.regions\n  region ")
        + build("", sources='"source.amazon-ebs.web"')
    ),
    "hcl-type-bool-from-string": one(
        'source "null" "a" {\n  communicator = "none"\n  ssh_pty = "yes"\n}\n' + build("")
    ),
    "hcl-type-number-from-string": one(
        'source "null" "a" {\n  communicator = "none"\n  ssh_port = "twenty-two"\n}\n' + build("")
    ),
    "hcl-type-map-required": one(
        EBS.replace("  region ", '  tags          = ["a"]\n  region ') + build("", sources='"source.amazon-ebs.web"')
    ),
    "hcl-number-not-whole": one('source "null" "a" {\n  communicator = "none"\n  ssh_port = 22.5\n}\n' + build("")),
    "hcl-number-not-whole-in-block": one(
        EBS.replace("  region ", "  launch_block_device_mappings {\n    volume_size = 8.5\n  }\n  region ")
        + build("", sources='"source.amazon-ebs.web"')
    ),
    "hcl-unsupported-argument-suggestion": one(
        EBS.replace("  region ", '  ami_nme       = "x"\n  region ') + build("", sources='"source.amazon-ebs.web"')
    ),
    "hcl-unsupported-block": one('source "null" "a" {\n  communicator = "none"\n  extra {\n  }\n}\n' + build("")),
    "hcl-attribute-as-block": one(
        EBS.replace("  region ", "  tags {\n    a = 1\n  }\n  region ") + build("", sources='"source.amazon-ebs.web"')
    ),
    "hcl-block-as-attribute": one(
        EBS.replace("  region ", "  source_ami_filter = {}\n  region ") + build("", sources='"source.amazon-ebs.web"')
    ),
    "hcl-duplicate-single-block": one(
        EBS.replace("  region ", "  aws_polling {\n  }\n  aws_polling {\n  }\n  region ")
        + build("", sources='"source.amazon-ebs.web"')
    ),
    "hcl-block-with-label": one(
        EBS.replace("  region ", '  aws_polling "x" {\n  }\n  region ') + build("", sources='"source.amazon-ebs.web"')
    ),
    "hcl-undefined-variable": one('source "null" "a" {\n  communicator = var.nope\n}\n' + build("")),
    "hcl-duration-bad": one(
        'source "null" "a" {\n  communicator = "ssh"\n  ssh_host = "h"\n  ssh_username = "u"\n'
        + '  ssh_password = "p"\n  ssh_timeout = "5x"\n}\n'
        + build("")
    ),
    # -- builder Prepare ------------------------------------------------------------------------------------
    "hcl-ebs-prepare-errors": one(
        'source "amazon-ebs" "web" {\n  region = "us-east-1"\n}\n' + build("", sources='"source.amazon-ebs.web"')
    ),
    "hcl-null-prepare-error": one('source "null" "a" {\n}\n' + build("")),
    "hcl-ebs-warning": one(
        EBS.replace("  region ", '  spot_price = "auto"\n  spot_price_auto_product = "Linux/UNIX"\n  region ')
        + build("", sources='"source.amazon-ebs.web"')
    ),
    "hcl-ebs-warning-and-error": one(
        'source "amazon-ebs" "web" {\n  region = "us-east-1"\n  spot_price_auto_product = "Linux/UNIX"\n}\n'
        + build("", sources='"source.amazon-ebs.web"')
    ),
    "hcl-go-template-in-builder": one(
        EBS.replace('"web-{{timestamp}}"', '"web-{{build_name}}-{{build_type}}-{{nope}}"')
        + build("", sources='"source.amazon-ebs.web"')
    ),
    "hcl-go-template-functions": one(
        'source "null" "a" {\n  communicator = "none"\n  ssh_host = "{{user `x`}}"\n}\n'
        'source "null" "b" {\n  communicator = "none"\n  ssh_host = "{{packer_version}}"\n}\n'
        'source "null" "c" {\n  communicator = "none"\n  ssh_host = "{{env `HOME`}}"\n}\n'
        + build("", sources='"source.null.a", "source.null.b", "source.null.c"')
    ),
    "hcl-template-dir-in-builder": one(
        EBS.replace('"web-{{timestamp}}"', '"web-{{template_dir}}"') + build("", sources='"source.amazon-ebs.web"')
    ),
    "hcl-two-sources-one-bad": one(
        NULL_A + 'source "null" "b" {\n}\n' + build(SHELL_LOCAL, sources='"source.null.b", "source.null.a"')
    ),
    # -- provisioners ---------------------------------------------------------------------------------------
    "hcl-provisioner-prepare-error": one(NULL_A + build('  provisioner "shell-local" {\n  }\n')),
    "hcl-provisioner-unknown-argument": one(
        NULL_A + build('  provisioner "shell-local" {\n    inline = ["a"]\n    bogus = 1\n  }\n')
    ),
    "hcl-provisioner-two-diagnostics": one(
        NULL_A + build('  provisioner "shell-local" {\n    inline = "a"\n    bogus = 1\n  }\n')
    ),
    "hcl-provisioner-named": one(NULL_A + build('  provisioner "shell-local" {\n    name = "first"\n  }\n')),
    "hcl-provisioner-build-values": one(
        NULL_A
        + build(
            '  provisioner "shell-local" {\n'
            '    inline = ["echo ${build.ID} ${build.name} ${source.name} ${source.type}"]\n  }\n',
            name="bb",
        )
    ),
    "hcl-provisioner-build-unknown-attribute": one(
        NULL_A + build('  provisioner "shell-local" {\n    inline = ["echo ${build.Nope}"]\n  }\n')
    ),
    "hcl-provisioner-ebs-generated-value": one(
        EBS
        + build(
            '  provisioner "shell-local" {\n    inline = ["echo ${build.SourceAMIName}"]\n  }\n',
            sources='"source.amazon-ebs.web"',
        )
    ),
    "hcl-provisioner-all-tried": one(
        NULL_A
        + build(
            '  provisioner "shell-local" {\n  }\n  provisioner "file" {\n    destination = "/tmp"\n  }\n'
            '  post-processor "shell-local" {\n  }\n'
        )
    ),
    "hcl-provisioner-only-except": one(
        NULL_A
        + NULL_B
        + build(
            '  provisioner "shell-local" {\n    only = ["null.b"]\n  }\n'
            '  provisioner "shell-local" {\n    except = ["null.b"]\n    inline = "x"\n  }\n',
            sources='"source.null.a", "source.null.b"',
        )
    ),
    "hcl-provisioner-override": one(
        NULL_A
        + NULL_B
        + build(
            '  provisioner "shell-local" {\n    inline = ["echo"]\n    override = {\n      b = {\n'
            "        bogus = 1\n      }\n      a = {\n        inline = []\n      }\n    }\n  }\n",
            sources='"source.null.a", "source.null.b"',
        )
    ),
    "hcl-provisioner-override-renamed": one(
        NULL_A
        + 'build {\n  source "source.null.a" {\n    name = "r"\n  }\n'
        + '  provisioner "shell-local" {\n    inline = ["echo"]\n    override = {\n      r = {\n        bogus = 1\n'
        + "      }\n    }\n  }\n}\n"
    ),
    "hcl-provisioner-ansible-probe": one(
        NULL_A + build('  provisioner "ansible" {\n    playbook_file = "p.yml"\n  }\n')
    ),
    "hcl-provisioner-file-missing-source": one(
        NULL_A + build('  provisioner "file" {\n    source = "nope.txt"\n    destination = "/tmp/x"\n  }\n')
    ),
    "hcl-provisioner-shell-script-missing": one(
        EBS + build('  provisioner "shell" {\n    script = "nope.sh"\n  }\n', sources='"source.amazon-ebs.web"')
    ),
    "hcl-provisioner-go-template": one(
        NULL_A + build('  provisioner "shell-local" {\n    inline = ["echo {{ build `ID` }} {{build_name}}"]\n  }\n')
    ),
    # -- post-processors ------------------------------------------------------------------------------------
    "hcl-post-processor-prepare-error": one(NULL_A + build('  post-processor "shell-local" {\n    name = "pp"\n  }\n')),
    "hcl-post-processor-unknown-argument": one(
        NULL_A + build('  post-processor "manifest" {\n    bogus = true\n  }\n')
    ),
    "hcl-post-processors-chain": one(
        NULL_A
        + build(
            '  post-processors {\n    post-processor "manifest" {\n    }\n    post-processor "shell-local" {\n'
            '    }\n    post-processor "manifest" {\n      output = 5\n      strip_path = "x"\n    }\n  }\n'
        )
    ),
    "hcl-post-processor-build-value": one(
        NULL_A + build('  post-processor "shell-local" {\n    inline = ["echo ${build.ID}"]\n  }\n')
    ),
    # -- -only / -except ------------------------------------------------------------------------------------
    "hcl-only-glob": one(
        NULL_A + 'source "null" "b" {\n}\n' + build("", sources='"source.null.a", "source.null.b"'),
        args=("-only=*.a",),
    ),
    "hcl-only-build-name": one(
        NULL_A
        + 'source "null" "b" {\n}\n'
        + build("", name="good", sources='"source.null.a"')
        + build("", name="bad", sources='"source.null.b"'),
        args=("-only=good.*",),
    ),
    "hcl-only-exact-no-match": one(
        'source "null" "b" {\n}\n' + build("", name="bb", sources='"source.null.b"'),
        args=("-only=null.b",),
    ),
    "hcl-except-glob": one(
        NULL_A + 'source "null" "b" {\n}\n' + build("", sources='"source.null.a", "source.null.b"'),
        args=("-except=null.[b-c]",),
    ),
    "hcl-except-post-processor": one(
        NULL_A
        + build(
            '  post-processors {\n    post-processor "manifest" {\n      name = "keep"\n    }\n'
            '    post-processor "shell-local" {\n      name = "drop"\n    }\n'
            '    post-processor "shell-local" {\n    }\n  }\n'
        ),
        args=("-except=dr?p",),
    ),
    "hcl-only-bad-pattern": one(NULL_A + build("", sources='"source.null.a", "source.null.zz"'), args=("-only=[a",)),
    "hcl-except-bad-patterns": one(NULL_A + build(""), args=("-except=[],x,[!]",)),
    "hcl-only-alternatives": one(
        NULL_A + 'source "null" "b" {\n}\n' + build("", sources='"source.null.a", "source.null.b"'),
        args=("-only={null.a",),
    ),
    # -- Initialize errors under full validate -------------------------------------------------------------
    "hcl-duplicate-source-block": one(NULL_A + NULL_A + build(""), commands=ALL),
    "hcl-multi-file": HclCase(
        {
            "sources.pkr.hcl": NULL_A + EBS.replace('  ssh_username  = "ec2-user"\n', ""),
            "build.pkr.hcl": build(SHELL_LOCAL, sources='"source.null.a", "source.amazon-ebs.web"'),
        },
        commands=ALL,
    ),
    # -- HCL JSON syntax (*.pkr.json) ------------------------------------------------------------------------
    "hcl-json-valid": HclCase(
        {
            "t.pkr.json": """{
  "//": "a comment",
  "variable": {"region": {"type": "string", "default": "us-east-1"}, "names": {"type": "list(string)"}},
  "locals": {"prefix": "${upper(var.region)}"},
  "source": {
    "null": {"a": {"communicator": "none"}},
    "amazon-ebs": {
      "web": {
        "region": "${var.region}",
        "ami_name": "${local.prefix}-{{timestamp}}",
        "instance_type": "t3.micro",
        "ssh_username": "ec2-user",
        "source_ami_filter": {"owners": ["amazon"], "filters": {"name": "al2023-*"}, "most_recent": true},
        "launch_block_device_mappings": [{"device_name": "/dev/xvda", "volume_size": 8}]
      }
    }
  },
  "build": [
    {"sources": ["source.null.a"]},
    {
      "name": "web",
      "source": {"source.amazon-ebs.web": {"name": "renamed"}},
      "provisioner": [{"shell": {"inline": ["echo ${source.name} ${build.ID}"]}}, {"shell-local": {"inline": ["x"]}}],
      "post-processors": [{"post-processor": [{"manifest": {}}, {"shell-local": {"inline": ["y"]}}]}]
    }
  ]
}
""",
            "v.auto.pkrvars.json": '{"names": ["a", "b"]}\n',
        },
        commands=ALL,
    ),
    "hcl-json-mixed-folder": HclCase(
        {
            "a.pkr.hcl": 'variable "x" {\n  type = string\n}\n' + NULL_A,
            "b.pkr.json": '{"build": {"sources": ["source.null.a"], '
            + '"provisioner": {"shell-local": {"inline": "${var.x}"}}}}\n',
            "v.auto.pkrvars.json": '{"x": "from-auto", "undeclared": 1}\n',
        },
        commands=ALL,
    ),
    "hcl-json-errors-located": HclCase(
        {
            "t.pkr.json": """{
  "source": {
    "null": {"a": {"communicator": "none", "bogus": 1}},
    "amazon-ebs": {"web": {"region": "us-east-1", "ami_regions": "x"}}
  },
  "build": {
    "sources": ["source.null.a", "source.amazon-ebs.web"],
    "post-processor": {"shell-local": {"inline": ["x"], "bogus": 2}}
  }
}
"""
        },
        commands=ALL,
    ),
    "hcl-json-trailing-comma": HclCase(
        {"t.pkr.json": '{"source": {"null": {"a": {"communicator": "none",}}}}\n'}, commands=ALL
    ),
    "hcl-json-bad-keyword": HclCase({"t.pkr.json": '{\n  "variable": {"x": {"default": True}}\n}\n'}, commands=ALL),
    "hcl-json-equals-sign": HclCase({"t.pkr.json": '{"variable" = {}}\n'}, commands=ALL),
    "hcl-json-bad-string-escape": HclCase({"t.pkr.json": '{"variable": {"x": {"default": "a\\qb"}}}\n'}, commands=ALL),
    "hcl-json-root-array": HclCase({"t.pkr.json": "[1]\n"}, commands=ALL),
    "hcl-json-extraneous-property": HclCase(
        {"t.pkr.json": '{"sourc": {}, "variable": {"x": {"defaults": 1}}}\n'}, commands=ALL
    ),
    "hcl-json-missing-label": HclCase({"t.pkr.json": '{"source": {"null": {}}, "build": {}}\n'}, commands=ALL),
    "hcl-json-block-not-object": HclCase({"t.pkr.json": '{"source": {"null": {"a": 5}}}\n'}, commands=ALL),
    "hcl-json-var-file-syntax": HclCase(
        {"t.pkr.json": '{"variable": {"x": {}}, "build": {}}\n', "vars.json": '{"x": "a"\n'},
        target="t.pkr.json",
        args=("-var-file=vars.json",),
        commands=ALL,
    ),
    "hcl-single-file-target": HclCase(
        {"t.pkr.hcl": NULL_A + build('  provisioner "shell-local" {\n  }\n')}, target="t.pkr.hcl"
    ),
}
