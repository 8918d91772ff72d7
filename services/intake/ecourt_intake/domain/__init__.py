"""The rules of reception, in plain Python: no broker, no database."""
