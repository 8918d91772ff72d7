"""The rules of signing and verifying court documents, in plain Python: no broker, no database."""
