"""The `studygraph` command line: `app.py` joins one module per command group, all sharing `common.py`."""
