"""``python -m equity ...`` runs the command line (``cli/main.py``) as a program.

It is run by name, not imported: the domain package does not depend on the command line above it, it
only starts it, so the layers contract needs no exception."""

import runpy

runpy.run_module("cli.main", run_name="__main__", alter_sys=True)
