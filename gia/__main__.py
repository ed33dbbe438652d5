from gia.cli import main

main()
