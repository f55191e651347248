from ambition.cli import main

main()
