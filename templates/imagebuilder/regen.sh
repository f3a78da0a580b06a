#!/usr/bin/env bash
# Regenerates packer-py's Image Builder exports of the seed templates; review the result as a diff.
# Packer resolves a template's relative files (./ansible/...) from its working directory: templates/.
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH="$(cd .. && pwd)${PYTHONPATH:+:$PYTHONPATH}"
rm -rf imagebuilder/httpd imagebuilder/jenkins
python -m packer_py imagebuilder export httpd.json -o imagebuilder/httpd
python -m packer_py imagebuilder export jenkins.json -o imagebuilder/jenkins
