"""ecourt developer command line: `ecourt up`, `ecourt test`, `ecourt migrate`, `ecourt dlq`."""

__version__ = "0.1.0"
