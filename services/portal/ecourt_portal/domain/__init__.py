"""Rules of the public portal in plain Python: no broker, no database."""
