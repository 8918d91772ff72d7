from ecourt_shared.runner import service_main

service_main("stats", package="ecourt_stats", worker="ecourt_stats.service:StatsService")
