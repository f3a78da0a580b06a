from packer_py.cli import main

main()
