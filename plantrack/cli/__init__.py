"""The command line (python -m plantrack): each command in the module of its kind; plantrack/__main__.py
parses the arguments and calls them."""
