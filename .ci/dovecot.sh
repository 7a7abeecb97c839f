#!/usr/bin/env bash
# Starts a throw-away Dovecot IMAP server on 127.0.0.1 for tests, or stops one.
#
#   .ci/dovecot.sh            start; prints one JSON line:
#                             {"imap_port":N,"imaps_port":N,"user":"...","password":"...",
#                              "ca_file":"...","pid_file":"...","dir":"..."}
#   .ci/dovecot.sh stop DIR   stop the Dovecot started in DIR and remove DIR
#
# The caller (SERVICEDESK_DOVECOT_OWNER, else the parent process) owns the
# Dovecot; a later start stops those whose owner is no longer running.
#
# IMAP (STARTTLS) and IMAPS listen on free ports picked at run time; the
# certificate is self-signed for localhost and 127.0.0.1 (its file is ca_file).
# Everything lives in a fresh temp folder; nothing outside it is touched.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

if [ "${1:-}" = stop ]; then
  dir=${2:?usage: dovecot.sh stop DIR}
  if [ -f "$dir/base/master.pid" ]; then
    pid=$(cat "$dir/base/master.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  case "$dir" in */servicedesk-dovecot.*) rm -rf "$dir" ;; esac
  exit 0
fi

command -v dovecot >/dev/null || { echo "dovecot not installed (apt-get install -y dovecot-imapd)" >&2; exit 1; }
command -v openssl >/dev/null || { echo "openssl not installed" >&2; exit 1; }

# A test process killed before its clean-up (SIGKILL, a timeout) leaves its
# Dovecot running: stop those whose owner is gone.
for old in "${TMPDIR:-/tmp}"/servicedesk-dovecot.*; do
  [ -f "$old/owner" ] || continue
  owner=$(cat "$old/owner")
  if ! kill -0 "$owner" 2>/dev/null; then "$0" stop "$old"; fi
done

dir=$(mktemp -d "${TMPDIR:-/tmp}/servicedesk-dovecot.XXXXXX")
echo "${SERVICEDESK_DOVECOT_OWNER:-$PPID}" >"$dir/owner" # the process that stops it
chmod 755 "$dir" # the mail user is nobody
mkdir -m 755 "$dir/base" "$dir/state" "$dir/home"
chown nobody:nogroup "$dir/home"
user=support@acme.test
password=pw-$(openssl rand -hex 8)

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
  -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 \
  -keyout "$dir/key.pem" -out "$dir/cert.pem" 2>/dev/null
chmod 644 "$dir/cert.pem"; chmod 600 "$dir/key.pem"
echo "$user:{PLAIN}$password" >"$dir/passwd"
chmod 644 "$dir/passwd"

write_conf() {
  cat >"$dir/dovecot.conf" <<CONF
base_dir = $dir/base
state_dir = $dir/state
log_path = $dir/dovecot.log
protocols = imap
listen = 127.0.0.1
first_valid_uid = 1
disable_plaintext_auth = no
auth_failure_delay = 0
ssl = yes
ssl_cert = <$dir/cert.pem
ssl_key = <$dir/key.pem
passdb {
  driver = passwd-file
  args = scheme=PLAIN $dir/passwd
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=$dir/home/%u
}
mail_location = maildir:~/Maildir
namespace inbox {
  inbox = yes
  separator = /
  mailbox Sent {
    special_use = \\Sent
    auto = subscribe
  }
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $1
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $2
    ssl = yes
  }
}
CONF
}

# A free port may be taken between picking it and Dovecot binding it: retry.
for attempt in 1 2 3; do
  imap_port=$(free_port); imaps_port=$(free_port)
  [ "$imap_port" != "$imaps_port" ] || continue
  write_conf "$imap_port" "$imaps_port"
  if dovecot -c "$dir/dovecot.conf" 2>>"$dir/start.err"; then
    for _ in $(seq 1 50); do
      if (exec 3<>"/dev/tcp/127.0.0.1/$imaps_port") 2>/dev/null && (exec 3<>"/dev/tcp/127.0.0.1/$imap_port") 2>/dev/null; then
        printf '{"imap_port":%d,"imaps_port":%d,"user":"%s","password":"%s","ca_file":"%s","pid_file":"%s","dir":"%s"}\n' \
          "$imap_port" "$imaps_port" "$user" "$password" "$dir/cert.pem" "$dir/base/master.pid" "$dir"
        exit 0
      fi
      sleep 0.1
    done
    if [ -f "$dir/base/master.pid" ]; then kill "$(cat "$dir/base/master.pid")" 2>/dev/null || true; sleep 0.3; fi
  fi
  echo "dovecot start attempt $attempt failed" >>"$dir/start.err"
done
echo "dovecot did not start; see below" >&2
cat "$dir/start.err" "$dir/dovecot.log" >&2 2>/dev/null || true
rm -rf "$dir"
exit 1
