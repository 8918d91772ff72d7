"""Signing: drafting, PAdES signatures and workflows, the seal queue, verification (RPC and HTTP)."""
from ecourt_shared.runner import service_main

service_main("signing", package="ecourt_signing", worker="ecourt_signing.service:SigningService",
             web="ecourt_signing.http.app:create_app")
