"""The command line: ``python -m equity <command>`` hands over to :func:`cli.main.main`."""
