"""The rules of the court for case files: plain Python, no broker and no database."""
