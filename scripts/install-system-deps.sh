#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages that ecourt needs on a developer or CI machine. Idempotent: it installs
# only what is missing and starts only what is not answering.
#   --browser   chromium and fonts-noto-core (browser tests), when /usr/bin/chromium is missing
#   --services  rabbitmq-server and postgresql, installed if missing and started, when they do not answer on
#               127.0.0.1:5672 / 127.0.0.1:5432
#   --dry-run   print what would be run instead of running it
# As a user other than root it installs nothing and prints the commands to run as root.
set -euo pipefail

usage() { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; }

want_browser=0 want_services=0 dry_run=0
for arg in "$@"; do
  case "$arg" in
    --browser) want_browser=1 ;;
    --services) want_services=1 ;;
    --dry-run) dry_run=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "install-system-deps: unknown option: $arg" >&2; usage >&2; exit 2 ;;
  esac
done
if [ "$want_browser" = 0 ] && [ "$want_services" = 0 ]; then usage >&2; exit 2; fi

export DEBIAN_FRONTEND=noninteractive
RABBIT_PORT=5672
PG_PORT=5432

say() { echo "install-system-deps: $*"; }

port_open() { # port -> 0 when something accepts TCP connections on 127.0.0.1:port
  timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

wait_port() { # port name seconds
  local i
  for ((i = 0; i < $3; i++)); do
    port_open "$1" && return 0
    sleep 1
  done
  say "$2 is still not answering on 127.0.0.1:$1 after $3 s" >&2
  return 1
}

has_systemd() { [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; }

# ---- plan: the packages to install and the services to start -------------------------------------------------
packages=()
start_rabbit=0 start_pg=0 fresh_pg=0
if [ "$want_browser" = 1 ] && [ ! -x /usr/bin/chromium ]; then
  packages+=(chromium fonts-noto-core)
fi
if [ "$want_services" = 1 ]; then
  if ! port_open "$RABBIT_PORT"; then
    start_rabbit=1
    command -v rabbitmq-server >/dev/null 2>&1 || [ -x /usr/sbin/rabbitmq-server ] || packages+=(rabbitmq-server)
  fi
  if ! port_open "$PG_PORT"; then
    start_pg=1
    if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
      packages+=(postgresql)
      fresh_pg=1
    fi
  fi
fi

if [ "${#packages[@]}" = 0 ] && [ "$start_rabbit" = 0 ] && [ "$start_pg" = 0 ]; then
  say "nothing to do"
  exit 0
fi

start_rabbit_cmd='rabbitmq-server -detached'
start_pg_cmd='pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n 1)" main start'
if has_systemd; then
  start_rabbit_cmd='systemctl start rabbitmq-server'
  start_pg_cmd='systemctl start postgresql'
fi

if [ "$(id -u)" != 0 ] || [ "$dry_run" = 1 ]; then
  if [ "$(id -u)" != 0 ]; then
    say "not root: nothing installed. Run these commands as root (e.g. with sudo):" >&2
  else
    say "dry run: would run:" >&2
  fi
  if [ "${#packages[@]}" -gt 0 ]; then
    echo "  apt-get update" >&2
    echo "  DEBIAN_FRONTEND=noninteractive apt-get install -y ${packages[*]}" >&2
  fi
  [ "$start_rabbit" = 1 ] && echo "  $start_rabbit_cmd" >&2
  [ "$start_pg" = 1 ] && echo "  $start_pg_cmd" >&2
  if [ "$fresh_pg" = 1 ]; then
    echo "  # let local TCP clients in without a password (development only), then reload PostgreSQL:" >&2
    echo "  sed -i '1i host all all 127.0.0.1/32 trust\\nhost all all ::1/128 trust' /etc/postgresql/*/main/pg_hba.conf" >&2
  fi
  [ "$dry_run" = 1 ] && exit 0
  exit 1
fi

# ---- as root ----------------------------------------------------------------------------------------------------
if [ "${#packages[@]}" -gt 0 ]; then
  say "apt-get update"
  apt-get update
  say "apt-get install ${packages[*]}"
  apt-get install -y "${packages[@]}"
fi

if [ "$start_rabbit" = 1 ] && ! port_open "$RABBIT_PORT"; then
  say "starting RabbitMQ"
  if has_systemd; then systemctl start rabbitmq-server; else rabbitmq-server -detached || true; fi
  wait_port "$RABBIT_PORT" RabbitMQ 90
  # The port opens before the broker accepts logins; wait for it to finish booting.
  if command -v rabbitmqctl >/dev/null 2>&1; then
    timeout 90 rabbitmqctl await_startup >/dev/null 2>&1 || say "rabbitmqctl await_startup did not confirm; continuing"
  fi
fi

if [ "$start_pg" = 1 ]; then
  if [ "$fresh_pg" = 1 ]; then
    # A freshly installed cluster asks TCP clients for a password; ecourt's development default
    # (postgresql://postgres@127.0.0.1:5432/postgres) expects trust on the loopback, as on the CI machines.
    for hba in /etc/postgresql/*/main/pg_hba.conf; do
      grep -q '^host all all 127.0.0.1/32 trust' "$hba" ||
        sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
    done
  fi
  if ! port_open "$PG_PORT"; then
    say "starting PostgreSQL"
    if has_systemd; then
      systemctl start postgresql
    else
      for version in $(ls /etc/postgresql 2>/dev/null); do
        pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
      done
    fi
  elif [ "$fresh_pg" = 1 ]; then
    for version in $(ls /etc/postgresql 2>/dev/null); do
      pg_ctlcluster --skip-systemctl-redirect "$version" main reload || true
    done
  fi
  wait_port "$PG_PORT" PostgreSQL 60
fi
say "done"
