"""Portal: the court's public web site and its public-only read model (no personal data, ever)."""
