"""Casefile: the dossier, procedural state and deadlines (``python -m ecourt_casefile worker|migrate``)."""
from ecourt_shared.runner import service_main

service_main("casefile", package="ecourt_casefile", worker="ecourt_casefile.service:CasefileService")
