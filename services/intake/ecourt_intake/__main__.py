from ecourt_shared.runner import service_main

service_main("intake", package="ecourt_intake", worker="ecourt_intake.service:IntakeService",
             web="ecourt_intake.http.app:create_app")
