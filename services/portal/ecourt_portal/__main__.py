from ecourt_shared.runner import service_main

service_main("portal", package="ecourt_portal", worker="ecourt_portal.service:PortalService",
             web="ecourt_portal.http.app:create_app")
