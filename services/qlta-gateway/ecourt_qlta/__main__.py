from ecourt_shared.runner import service_main

service_main("qlta", package="ecourt_qlta", worker="ecourt_qlta.service:QltaService",
             web="ecourt_qlta.http.app:create_app")
