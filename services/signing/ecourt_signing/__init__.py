"""Signing: PAdES signatures on court documents and their verification (drafting and workflows come later)."""
