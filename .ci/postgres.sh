# shellcheck shell=bash
#
# .ci/postgres.sh -- start a throw-away PostgreSQL cluster for the test suite.
#
# Usage (from .ci/run, which must be bash):
#
#     source .ci/postgres.sh
#
# On success this exports
#
#     CLAIMS_TEST_PG_URL=postgresql+psycopg://claims:<random>@127.0.0.1:<port>/claims_test
#
# and prints one line (on stderr) saying where the server listens.  On
# failure it prints the reason (and the tail of the server log, if any) on
# stderr and returns 1, leaving nothing running and nothing on disk.
#
# What it does:
#   1. Finds initdb/pg_ctl/postgres on PATH or in /usr/lib/postgresql/*/bin
#      (newest version first); if there are none it installs Debian's
#      `postgresql` package with apt-get (root only).  If that package creates
#      and starts its own default cluster on port 5432, that cluster is simply
#      ignored.
#   2. Creates a new cluster in a fresh `mktemp -d` directory under /tmp,
#      owned by an unprivileged user (initdb refuses to run as root): the
#      `postgres` system user if it exists, else a system user `claims-ci`
#      that is created for the purpose.  When not run as root, the cluster
#      simply belongs to the current user.
#   3. The server listens on 127.0.0.1 only, on a free port, with its unix
#      socket inside the temp dir (mode 0700), fsync off, max_connections
#      100 (override with CLAIMS_PG_MAX_CONNECTIONS), TimeZone UTC.  TCP
#      logins need a password (scram-sha-256); the unix socket (reachable
#      only by the cluster's owner and root) trusts the bootstrap superuser
#      `postgres`, which is used only to set things up.
#   4. Role `claims` (LOGIN, CREATEDB, not superuser) gets a random password
#      and owns database `claims_test` and its `public` schema, so tests may
#      `DROP SCHEMA public CASCADE; CREATE SCHEMA public`, create their own
#      schemas, or create a database per test worker.
#
# Clean-up: the function `claims_pg_stop` stops the server (pg_ctl stop -m
# fast, falling back to immediate / SIGKILL) and removes the temp dir.  It is
# idempotent and is registered with `trap ... EXIT`, so it runs when the
# sourcing shell exits (normally, through `exit`, errexit, or SIGINT/SIGTERM/
# SIGHUP).  Because a shell has only one EXIT trap:
#   * an EXIT trap that .ci/run set BEFORE sourcing this file is kept: it is
#     chained after claims_pg_stop;
#   * .ci/run must NOT set its own EXIT trap AFTER sourcing this file (that
#     would replace ours and leak the server); if it needs one, it must call
#     claims_pg_stop from it;
#   * `exec`-ing the test runner as the last command skips EXIT traps: run it
#     as a normal command instead.
#   Calling claims_pg_stop by hand at any time is fine.
#
# If CLAIMS_TEST_PG_URL is already set and non-empty when this file is
# sourced, it is left alone and no server is started (lets a developer point
# the tests at an existing server, and makes sourcing twice harmless).
#
# This file only defines functions and variables prefixed with claims_pg /
# _claims_pg / _CLAIMS_PG; it does not change the caller's shell options.

if [ -z "${BASH_VERSION:-}" ]; then
    echo "postgres.sh: must be sourced from bash" >&2
    # shellcheck disable=SC2317  # exit is reached when executed by sh
    return 1 2>/dev/null || exit 1
fi
if ! (return 0 2>/dev/null); then
    echo "postgres.sh: must be sourced (source .ci/postgres.sh), not executed" >&2
    exit 2
fi

_claims_pg_err() { printf 'postgres.sh: error: %s\n' "$*" >&2; }

# Run a command as the cluster's owner (or directly if that is us), from
# inside the temp dir (the caller's cwd may be unreadable for that user).
_claims_pg_as() {
    if [ -z "${_CLAIMS_PG_USER:-}" ]; then
        (cd "${_CLAIMS_PG_DIR:-/}" && "$@")
    elif command -v runuser >/dev/null 2>&1; then
        (cd "${_CLAIMS_PG_DIR:-/}" && runuser -u "$_CLAIMS_PG_USER" -- "$@")
    else
        local cmd
        cmd=$(printf '%q ' "$@")
        (cd "${_CLAIMS_PG_DIR:-/}" && su -s /bin/sh "$_CLAIMS_PG_USER" -c "$cmd")
    fi
}

# Print the directory holding initdb, pg_ctl and postgres, or fail.
_claims_pg_find_bindir() {
    local cand p d
    # 1. On PATH (resolve symlinks so psql etc. come from the same install).
    #    Skip Debian's pg_wrapper, which only wraps client programs.
    for cand in initdb pg_ctl; do
        p=$(command -v "$cand" 2>/dev/null) || continue
        p=$(readlink -f -- "$p" 2>/dev/null) || continue
        d=${p%/*}
        if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/postgres" ]; then
            printf '%s\n' "$d"
            return 0
        fi
    done
    # 2. Debian/Ubuntu layout, newest major version first.
    for d in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V -r); do
        if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/postgres" ]; then
            printf '%s\n' "$d"
            return 0
        fi
    done
    return 1
}

# Print a currently free TCP port on 127.0.0.1.
_claims_pg_free_port() {
    local py port
    for py in python3 python; do
        if command -v "$py" >/dev/null 2>&1; then
            port=$("$py" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])' 2>/dev/null) && [ -n "$port" ] && {
                printf '%s\n' "$port"
                return 0
            }
        fi
    done
    # Fallback: a random high port that nothing answers on.
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        port=$((20000 + RANDOM % 30000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            printf '%s\n' "$port"
            return 0
        fi
    done
    return 1
}

# Show the end of the given log files (names relative to the temp dir) on
# stderr; used on failure.
_claims_pg_show_log() {
    local f
    for f in "$@"; do
        f=${_CLAIMS_PG_DIR:-}/$f
        if [ -s "$f" ]; then
            echo "---- last lines of ${f##*/} ----" >&2
            tail -n 30 -- "$f" >&2
        fi
    done
}

# Stop the cluster and delete its directory.  Idempotent; never fails.
claims_pg_stop() {
    local dir=${_CLAIMS_PG_DIR:-} pid=
    if [ -n "$dir" ] && [ -d "$dir" ]; then
        if [ -f "$dir/data/postmaster.pid" ]; then
            pid=$(head -n 1 "$dir/data/postmaster.pid" 2>/dev/null) || pid=
            _claims_pg_as "${_CLAIMS_PG_BIN:-}/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null 2>&1 ||
                _claims_pg_as "${_CLAIMS_PG_BIN:-}/pg_ctl" -D "$dir/data" -m immediate -w -t 10 stop >/dev/null 2>&1 ||
                { [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null; } || true
        fi
        case $dir in
            */claims-pg.*) rm -rf -- "$dir" 2>/dev/null || true ;;
        esac
    fi
    if [ "${_CLAIMS_PG_OWN_URL:-}" = 1 ]; then
        unset CLAIMS_TEST_PG_URL
    fi
    unset _CLAIMS_PG_DIR _CLAIMS_PG_OWN_URL
    return 0
}

_claims_pg_start() {
    local bindir user port pw dir data sock started=0 psql out

    # ---- 1. binaries ---------------------------------------------------------
    if ! bindir=$(_claims_pg_find_bindir); then
        if [ "$(id -u)" != 0 ]; then
            _claims_pg_err "PostgreSQL server binaries (initdb, pg_ctl) not found on PATH or in /usr/lib/postgresql/*/bin, and not root so cannot apt-get install postgresql"
            return 1
        fi
        if ! command -v apt-get >/dev/null 2>&1; then
            _claims_pg_err "PostgreSQL server binaries not found and apt-get is not available"
            return 1
        fi
        echo "postgres.sh: PostgreSQL not found; installing Debian package 'postgresql'..." >&2
        if ! out=$(apt-get update -qq 2>&1); then
            printf '%s\n' "$out" >&2
            _claims_pg_err "apt-get update failed"
            return 1
        fi
        if ! out=$(DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql 2>&1 </dev/null); then
            printf '%s\n' "$out" >&2
            _claims_pg_err "apt-get install postgresql failed"
            return 1
        fi
        if ! bindir=$(_claims_pg_find_bindir); then
            _claims_pg_err "installed postgresql but still cannot find initdb/pg_ctl in /usr/lib/postgresql/*/bin"
            return 1
        fi
    fi
    _CLAIMS_PG_BIN=$bindir
    psql=$bindir/psql
    if [ ! -x "$psql" ]; then
        psql=$(command -v psql 2>/dev/null) || {
            _claims_pg_err "psql not found (looked in $bindir and on PATH)"
            return 1
        }
    fi

    # ---- 2. unprivileged owner -------------------------------------------------
    user=
    if [ "$(id -u)" = 0 ]; then
        if id -u postgres >/dev/null 2>&1; then
            user=postgres
        else
            if ! id -u claims-ci >/dev/null 2>&1; then
                if ! out=$(useradd --system --no-create-home --home-dir /nonexistent \
                    --shell /usr/sbin/nologin --user-group claims-ci 2>&1); then
                    printf '%s\n' "$out" >&2
                    _claims_pg_err "could not create system user claims-ci"
                    return 1
                fi
            fi
            user=claims-ci
        fi
    fi
    _CLAIMS_PG_USER=$user

    # ---- 3. temp dir and initdb --------------------------------------------
    # Always under /tmp (world-traversable, and short enough for the unix
    # socket path limit); $TMPDIR might be e.g. under root's 0700 home.
    if ! dir=$(mktemp -d /tmp/claims-pg.XXXXXXXX); then
        _claims_pg_err "mktemp -d failed"
        return 1
    fi
    _CLAIMS_PG_DIR=$dir
    data=$dir/data
    sock=$dir/sock
    if ! mkdir -m 0700 "$sock" ||
        { [ -n "$user" ] && ! chown -R "$user:" "$dir"; } ||
        ! chmod 0700 "$dir"; then
        _claims_pg_err "could not prepare $dir for user ${user:-$(id -un)}"
        return 1
    fi
    if ! _claims_pg_as test -w "$dir"; then
        _claims_pg_err "$dir is not writable by user $user"
        return 1
    fi

    if ! _claims_pg_as "$bindir/initdb" -D "$data" -U postgres -E UTF8 --locale=C \
        --auth-local=trust --auth-host=scram-sha-256 --no-sync \
        >"$dir/initdb.log" 2>&1; then
        _claims_pg_err "initdb failed"
        _claims_pg_show_log initdb.log
        return 1
    fi
    # Later settings override earlier ones in postgresql.conf.
    if ! cat >>"$data/postgresql.conf" <<EOF

# ---- added by .ci/postgres.sh (throw-away test cluster) ----
listen_addresses = '127.0.0.1'
unix_socket_directories = '$sock'
unix_socket_permissions = 0700
max_connections = ${CLAIMS_PG_MAX_CONNECTIONS:-100}
password_encryption = 'scram-sha-256'
fsync = off
synchronous_commit = off
full_page_writes = off
TimeZone = 'UTC'
EOF
    then
        _claims_pg_err "could not write $data/postgresql.conf"
        return 1
    fi

    # ---- 4. start on a free port (retry if someone grabs it first) ---------
    for _ in 1 2 3 4 5; do
        if ! port=$(_claims_pg_free_port); then
            _claims_pg_err "could not find a free TCP port"
            return 1
        fi
        if _claims_pg_as "$bindir/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 \
            -o "-p $port" start >"$dir/pg_ctl.log" 2>&1; then
            started=1
            break
        fi
        if grep -qE 'could not bind|could not create any TCP/IP sockets|Address already in use' \
            "$dir/server.log" 2>/dev/null; then
            continue # port race: try another one
        fi
        break
    done
    if [ "$started" != 1 ]; then
        _claims_pg_err "could not start PostgreSQL server (pg_ctl start failed)"
        _claims_pg_show_log pg_ctl.log server.log
        return 1
    fi

    # ---- 5. role and database ----------------------------------------------
    pw=$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')
    if [ "${#pw}" != 48 ]; then
        _claims_pg_err "could not generate a random password"
        return 1
    fi
    # SQL goes through stdin so the password never shows up in `ps`.
    if ! _claims_pg_as "$psql" -X -q -v ON_ERROR_STOP=1 -h "$sock" -p "$port" -U postgres -d postgres \
        >"$dir/setup.log" 2>&1 <<EOF; then
CREATE ROLE claims LOGIN CREATEDB PASSWORD '$pw';
CREATE DATABASE claims_test OWNER claims;
\\connect claims_test
ALTER SCHEMA public OWNER TO claims;
EOF
        _claims_pg_err "could not create role/database"
        _claims_pg_show_log setup.log server.log
        return 1
    fi

    # ---- 6. check a password login over TCP, as the tests will do ----------
    if ! out=$(PGPASSWORD=$pw PGCONNECT_TIMEOUT=10 "$psql" -X -At \
        -h 127.0.0.1 -p "$port" -U claims -d claims_test -c 'select 1' 2>&1) ||
        [ "$out" != 1 ]; then
        printf '%s\n' "$out" >&2
        _claims_pg_err "server started but password login over TCP as claims failed"
        _claims_pg_show_log server.log
        return 1
    fi

    export CLAIMS_TEST_PG_URL="postgresql+psycopg://claims:$pw@127.0.0.1:$port/claims_test"
    _CLAIMS_PG_OWN_URL=1
    echo "postgres.sh: PostgreSQL $("$bindir/postgres" -V 2>/dev/null | awk '{print $3}') listening on 127.0.0.1:$port (db claims_test, user claims, dir $dir)" >&2
    return 0
}

# Install the EXIT trap, keeping (after ours) any EXIT trap the caller had.
# shellcheck disable=SC2120  # $3 comes from the `set --` below, not from args
_claims_pg_set_trap() {
    local prev
    prev=$(trap -p EXIT)
    if [ -n "$prev" ]; then
        eval "set -- $prev" # -> trap -- 'CMD' EXIT
        case $3 in
            claims_pg_stop | 'claims_pg_stop;'*) prev= ;; # ours already
            *) prev=$3 ;;
        esac
    fi
    if [ -n "$prev" ]; then
        # shellcheck disable=SC2064  # expanding the old trap now is the point
        trap "claims_pg_stop; $prev" EXIT
    else
        trap claims_pg_stop EXIT
    fi
}

if [ -n "${CLAIMS_TEST_PG_URL:-}" ]; then
    echo "postgres.sh: CLAIMS_TEST_PG_URL is already set; not starting a server" >&2
else
    # Set the trap first, so a failure half-way (or Ctrl-C) still cleans up.
    # shellcheck disable=SC2119
    _claims_pg_set_trap
    if ! _claims_pg_start; then
        claims_pg_stop
        return 1
    fi
fi
