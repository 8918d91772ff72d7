import sys

from ecourt_shared.runner import service_main

if len(sys.argv) > 1 and sys.argv[1] == "create-user":
    from ecourt_console.accounts import create_user_main

    raise SystemExit(create_user_main(sys.argv[2:]))

service_main("console", package="ecourt_console", web="ecourt_console.http.app:create_app")
