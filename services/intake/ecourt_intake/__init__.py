"""Intake: the court's front door (reception register, party registry, case codes)."""
