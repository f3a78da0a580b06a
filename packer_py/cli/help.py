"""The usage texts: Packer 1.6.6's ``Help()`` of each command, printed for ``-h`` and before every usage error.

The Packer commands' texts are Packer's own, word for word (typos included: ``TEMPATE``, ``comming``), so that
``packer-py CMD -h`` prints what ``packer CMD -h`` prints; ``hcl2_upgrade`` also lists the newer Packers'
``-with-annotations``. Lines marked ``(packer-py)``, ``local`` and ``-local`` describe packer-py's own additions.
"""

from __future__ import annotations

COMMANDS_HELP = """Usage: packer [--version] [--help] <command> [<args>]

Available commands are:
    build           build image(s) from template
    console         creates a console for testing variable interpolation
    fix             fixes templates from old versions of packer
    fmt             Rewrites HCL2 config files to canonical format
    hcl2_upgrade    transform a JSON template into an HCL2 configuration
    inspect         see components of a template
    validate        check that a template is valid
    version         Prints the Packer version
"""

_VAR_HELP = (
    "  -var 'key=value'       Variable for templates, can be used multiple times.\n"
    "  -var-file=path         JSON or HCL2 file containing user variables. [ Note that even in HCL mode this "
    "expects file to contain JSON, a fix is comming soon ]"
)

HELP = {
    "validate": "Usage: packer validate [options] TEMPLATE\n\n"
    "  Checks the template is valid by parsing the template and also\n"
    "  checking the configuration with the various builders, provisioners, etc.\n\n"
    "  If it is not valid, the errors will be shown and the command will exit\n"
    "  with a non-zero exit status. If it is valid, it will exit with a zero\n"
    "  exit status.\n\n"
    "Options:\n\n"
    "  -syntax-only           Only check syntax. Do not verify config of the template.\n"
    "  -except=foo,bar,baz    Validate all builds other than these.\n"
    "  -only=foo,bar,baz      Validate only these builds.\n" + _VAR_HELP,
    "inspect": "Usage: packer inspect TEMPLATE\n\n"
    "  Inspects a template, parsing and outputting the components a template\n"
    "  defines. This does not validate the contents of a template (other than\n"
    "  basic syntax by necessity).\n\n"
    "Options:\n\n"
    "  -machine-readable  Machine-readable output",
    "console": "Usage: packer console [options] [TEMPLATE]\n\n"
    "  Creates a console for testing variable interpolation.\n"
    "  If a template is provided, this command will load the template and any\n"
    "  variables defined therein into its context to be referenced during\n"
    "  interpolation.\n\n"
    "Options:\n" + _VAR_HELP,
    "version": "Prints the Packer version, and checks for new release.",
    "hcl2_upgrade": "Usage: packer hcl2_upgrade [options] TEMPLATE\n\n"
    "  Will transform your JSON template into an HCL2 configuration.\n\n"
    "Options:\n\n"
    "  -output-file=path    Set output file name. By default this will be the\n"
    '                       TEMPLATE name with ".pkr.hcl" appended to it. To be a\n'
    "                       valid Packer HCL template, it must have the suffix\n"
    '                       ".pkr.hcl"\n'
    "  -with-annotations    Add helper annotation comments to the file to help new\n"
    "                       HCL2 users understand the template format.\n"
    "  -recursive           TEMPLATE is a folder: upgrade every JSON template in it\n"
    "                       and below, each to its own TEMPLATE.pkr.hcl, and print\n"
    "                       a summary table (packer-py).\n"
    "  -required-plugins=false  Do not write the required_plugins block that Packer\n"
    "                       1.7+ needs and Packer 1.6.6 rejects (packer-py).\n" + _VAR_HELP,
    "fmt": "Usage: packer fmt [options] [TEMPLATE]\n\n"
    "  Rewrites all Packer configuration files to a canonical format. Both\n"
    "  configuration files (.pkr.hcl) and variable files (.pkrvars.hcl) are updated.\n"
    "  JSON files (.json) are not modified.\n\n"
    '  If TEMPATE is "." the current directory will be used. The given content must\n'
    "  be in Packer's HCL2 configuration language; JSON is not supported.\n\n"
    "Options:\n"
    "  -check        Check if the input is formatted. Exit status will be 0 if all\n"
    "                 input is properly formatted and non-zero otherwise.\n\n"
    "  -diff         Display diffs of formatting change\n\n"
    "  -write=false  Don't write to source files\n"
    "                (always disabled if using -check)",
    "build": "Usage: packer build [options] TEMPLATE\n\n"
    "  Will execute multiple builds in parallel as defined in the template.\n"
    "  The various artifacts created by the template will be outputted.\n\n"
    "Options:\n\n"
    "  -color=false                  Disable color output. (Default: color)\n"
    "  -debug                        Debug mode enabled for builds.\n"
    "  -except=foo,bar,baz           Run all builds and post-processors other than these.\n"
    "  -only=foo,bar,baz             Build only the specified builds.\n"
    "  -force                        Force a build to continue if artifacts exist, deletes existing artifacts.\n"
    "  -machine-readable             Produce machine-readable output.\n"
    "  -on-error=[cleanup|abort|ask|run-cleanup-provisioner] If the build fails do: clean up (default), abort, ask, "
    "or run-cleanup-provisioner.\n"
    "  -parallel-builds=1            Number of builds to run in parallel. 1 disables parallelization. 0 means no "
    "limit (Default: 0)\n"
    "  -timestamp-ui                 Enable prefixing of each ui output with an RFC3339 timestamp.\n"
    "  -var 'key=value'              Variable for templates, can be used multiple times.\n"
    "  -var-file=path                JSON or HCL2 file containing user variables.",
    "local": "Usage: packer-py local <subcommand> [args]\n\n"
    "  Local mode's sandbox: ./.packer-py/local, or $PACKER_PY_LOCAL_DIR. A local build\n"
    "  (packer-py build -local TEMPLATE) keeps each AMI's content there as a layer tarball.\n\n"
    "Subcommands:\n"
    "    images               list the AMIs local builds registered\n"
    "    diff AMI_ID          list what the build changed: A added, C changed, D deleted\n"
    "    show AMI_ID [PATH]   the image's record and changes, or the content of PATH in its layer",
}

LOCAL_BUILD_HELP = (
    "  -local                        packer-py: build on this machine (embedded AWS endpoint, instances as\n"
    "                                namespaces over the host's /); see packer-py local -h."
)
