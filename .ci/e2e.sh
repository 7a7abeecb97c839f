#!/usr/bin/env bash
# End-to-end: the dev-tagged binary serves the built frontend with the live
# Go bindings over HTTP and WebSocket (Wails' dev server); Chromium
# (playwright-core) drives the real page. Three scenarios:
#   demo     the demo profile: queue, thread, search, keys; a reply posted on
#            the sandbox GitLab arrives after Sync now (e2e/run.mjs)
#   setup    an empty profile with the real keychain: first run, GitLab,
#            mailbox and identity set-up against `servicedesk sandbox`
#            (e2e/setup.mjs)
#   firstrun an empty profile: "Try the demo" (e2e/firstrun-demo.mjs)
#   workspace the demo: views, search filters, customer card, assignee and
#            bulk labels on GitLab, a macro applied and one undone, an outage of every server and the outbox
#            draining after it, light and dark screenshots (e2e/workspace.mjs)
# Run it inside .ci/with-keychain.sh (make test does).
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/lib.sh
bin=build/bin/servicedesk-dev
out=test-output/screenshots
mkdir -p "$out"
tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -n "${XVFB_PID:-}" ] && kill "$XVFB_PID" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
start_xvfb

# start_app NAME ARGS... starts the dev app with Wails' dev server on a free
# port, waits until it answers, and sets APP_URL.
start_app() {
  local name=$1; shift
  local port; port=$(free_port)
  devserver="127.0.0.1:$port" "$bin" "$@" >"$tmp/$name.log" 2>&1 &
  local pid=$!
  pids+=("$pid")
  for _ in $(seq 1 300); do
    if node -e "require('http').get('http://127.0.0.1:$port/',r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1))"; then
      APP_URL="http://127.0.0.1:$port/"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || { echo "e2e: the $name app exited:"; cat "$tmp/$name.log"; return 1; }
    sleep 0.2
  done
  echo "e2e: the $name app did not answer"; return 1
}

# json FILE KEY prints one key of a JSON object.
json() { node -e "process.stdout.write(String(JSON.parse(require('fs').readFileSync(process.argv[1],'utf8'))[process.argv[2]]))" "$1" "$2"; }

status=0
# E2E_ONLY=NAME runs one scenario (while working on it).
only=${E2E_ONLY:-}
want() { [ -z "$only" ] || [ "$only" = "$1" ]; }

run() { # run NAME SCRIPT: runs one scenario, keeps going after a failure
  local name=$1 script=$2
  echo "e2e: $name"
  if ! SERVICEDESK_URL="$APP_URL" SERVICEDESK_SHOTS="$PWD/$out" node "frontend/e2e/$script"; then
    status=1
    echo "e2e: $name failed; app log:"; tail -n 40 "$tmp/$name.log"
  fi
}

# demo
if want demo; then
start_app demo --data-dir "$tmp/demo" demo
wait_for_log "$tmp/demo.log" '^demo sandbox: ' 30
sed -n 's/^demo sandbox: //p' "$tmp/demo.log" | head -n 1 >"$tmp/demo-sandbox.json"
SANDBOX_GITLAB_URL=$(json "$tmp/demo-sandbox.json" gitlab_url) \
SANDBOX_GITLAB_TOKEN=$(json "$tmp/demo-sandbox.json" gitlab_token) \
SANDBOX_PROJECT=$(json "$tmp/demo-sandbox.json" project) \
  run demo run.mjs
fi

# workspace: a fresh demo; its sandbox goes down and up mid-test
if want workspace; then
start_app workspace --data-dir "$tmp/workspace" demo
wait_for_log "$tmp/workspace.log" '^demo sandbox: ' 30
sed -n 's/^demo sandbox: //p' "$tmp/workspace.log" | head -n 1 >"$tmp/ws-sandbox.json"
w=$tmp/ws-sandbox.json
SANDBOX_GITLAB_URL=$(json "$w" gitlab_url) SANDBOX_GITLAB_TOKEN=$(json "$w" gitlab_token) \
SANDBOX_PROJECT=$(json "$w" project) SANDBOX_CONTROL=$(json "$w" control_url) \
  run workspace workspace.mjs
fi

# setup
if want setup; then
"$bin" sandbox >"$tmp/sandbox.json" 2>"$tmp/sandbox.log" &
pids+=("$!")
wait_for_log "$tmp/sandbox.json" 'gitlab_url' 30
start_app setup --data-dir "$tmp/setup"
s=$tmp/sandbox.json
SANDBOX_GITLAB_URL=$(json "$s" gitlab_url) SANDBOX_GITLAB_TOKEN=$(json "$s" gitlab_token) SANDBOX_PROJECT=$(json "$s" project) \
SANDBOX_IMAP_ADDR=$(json "$s" imap_addr) SANDBOX_IMAP_USER=$(json "$s" imap_user) SANDBOX_IMAP_PASSWORD=$(json "$s" imap_password) \
SANDBOX_SMTP_ADDR=$(json "$s" smtp_addr) SANDBOX_SMTP_USER=$(json "$s" smtp_user) SANDBOX_SMTP_PASSWORD=$(json "$s" smtp_password) \
SANDBOX_BRAND=$(json "$s" brand_address) \
  run setup setup.mjs
# The secrets typed into the page reached the keychain, not the profile.
for key in gitlab_token imap_password smtp_password; do
  if grep -rqF -- "$(json "$s" "$key")" "$tmp/setup" "$tmp/setup.log"; then
    echo "e2e: the $key typed into the page is in the profile or the app's log"; status=1
  fi
done
fi

# firstrun
if want firstrun; then
start_app firstrun --data-dir "$tmp/firstrun"
run firstrun firstrun-demo.mjs
fi

exit "$status"
