"""Fixtures for every test tier live in ecourt_shared.testing (see its docstring)."""

pytest_plugins = ["ecourt_shared.testing.fixtures"]
