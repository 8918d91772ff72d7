"""The rules of assignment, in plain Python: no broker, no database."""
