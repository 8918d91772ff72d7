"""Casefile: the dossier of each case, its procedural state and its statutory deadlines."""
