from ecourt_shared.runner import service_main

service_main("assignment", package="ecourt_assignment", worker="ecourt_assignment.service:AssignmentService")
