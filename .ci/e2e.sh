#!/usr/bin/env bash
# End-to-end: the dev-tagged binary runs the demo with Wails' dev server,
# which serves the built frontend with the live Go bindings over HTTP and
# WebSocket; Chromium (playwright-core) drives the real page against it.
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/lib.sh
bin=build/bin/servicedesk-dev
out=test-output/screenshots
mkdir -p "$out"
tmp=$(mktemp -d)
app_pid=
cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null || true
  [ -n "${XVFB_PID:-}" ] && kill "$XVFB_PID" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

start_xvfb
port=$(free_port)
devserver="127.0.0.1:$port" "$bin" --data-dir "$tmp/profile" demo >"$tmp/app.log" 2>&1 &
app_pid=$!
for _ in $(seq 1 300); do
  if node -e "require('http').get('http://127.0.0.1:$port/',r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1))"; then
    break
  fi
  kill -0 "$app_pid" 2>/dev/null || { echo "e2e: the app exited:"; cat "$tmp/app.log"; exit 1; }
  sleep 0.2
done
wait_for_log "$tmp/app.log" '^demo sandbox: ' 30
sandbox=$(sed -n 's/^demo sandbox: //p' "$tmp/app.log" | head -n 1)
field() { node -e "process.stdout.write(JSON.parse(process.argv[1])[process.argv[2]])" "$sandbox" "$1"; }
export SANDBOX_GITLAB_URL SANDBOX_GITLAB_TOKEN SANDBOX_PROJECT
SANDBOX_GITLAB_URL=$(field gitlab_url) SANDBOX_GITLAB_TOKEN=$(field gitlab_token) SANDBOX_PROJECT=$(field project)
status=0
SERVICEDESK_URL="http://127.0.0.1:$port/" SERVICEDESK_SHOTS="$PWD/$out" node frontend/e2e/run.mjs || status=$?
if [ "$status" != 0 ]; then echo "e2e: app log:"; tail -n 40 "$tmp/app.log"; fi
exit "$status"
