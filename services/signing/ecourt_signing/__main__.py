from ecourt_shared.runner import service_main

# No database yet: ``migrate`` only reports success, so the Deployment's init container keeps working.
service_main("signing", package="ecourt_signing", worker="ecourt_signing.service:SigningService", migrations=False)
