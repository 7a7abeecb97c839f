#!/usr/bin/env bash
# Real-window smoke test: the built binary opens its window on the demo under
# Xvfb; once the first sync has landed, a screenshot of the screen is taken
# and checked to be non-blank; a click opens a ticket and g r the reports.
# The screenshots stay in test-output/screenshots.
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/lib.sh
bin=build/bin/servicedesk
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
passed=0 failed=0
check() { if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi; }

start_xvfb
"$bin" --data-dir "$tmp/profile" demo >"$tmp/app.log" 2>&1 &
app_pid=$!

wid=
window_opens() { wid=$(timeout 60 xdotool search --sync --onlyvisible --name '^Service Desk$' | head -n 1); [ -n "$wid" ]; }
sync_lands() { wait_for_log "$tmp/app.log" 'msg="sync finished"' 60; }
screenshot_not_blank() {
  sleep 1 # let the page paint the synced list
  import -window root "$out/window.png"
  local sd; sd=$(convert "$out/window.png" -colorspace Gray -format '%[fx:standard_deviation]' info:)
  local colours; colours=$(convert "$out/window.png" -format '%k' info:)
  echo "smoke: screenshot $out/window.png: grey standard deviation $sd, $colours colours"
  awk -v sd="$sd" -v c="$colours" 'BEGIN { exit !(sd > 0.05 && c > 50) }'
}
# A click on the first row of the list opens that ticket: the right pane
# fills with its thread, so the screenshots before and after differ widely.
click_opens_a_ticket() {
  xdotool mousemove --window "$wid" 400 150 click 1
  sleep 1
  import -window root "$out/window-ticket.png"
  local changed; changed=$(compare -metric AE -fuzz 5% "$out/window.png" "$out/window-ticket.png" null: 2>&1 || true)
  echo "smoke: clicking the first row changed $changed pixels ($out/window-ticket.png)"
  awk -v n="${changed%% *}" 'BEGIN { exit !(n > 1280 * 800 / 40) }'
}
# g then r shows the reports in the real window (WebKitGTK draws the SVG
# charts): the middle and right panes change wholly.
reports_show() {
  xdotool key g r # XTEST, to the window the click focused (WebKit ignores sent events)
  sleep 2
  import -window root "$out/window-reports.png"
  local changed; changed=$(compare -metric AE -fuzz 5% "$out/window-ticket.png" "$out/window-reports.png" null: 2>&1 || true)
  echo "smoke: g r changed $changed pixels ($out/window-reports.png)"
  awk -v n="${changed%% *}" 'BEGIN { exit !(n > 1280 * 800 / 20) }'
}
check window_opens
check sync_lands
check screenshot_not_blank
check click_opens_a_ticket
check reports_show
kill -0 "$app_pid" 2>/dev/null && check true || { echo "smoke: the app exited:"; tail -n 30 "$tmp/app.log"; check false; }
echo "smoke: $passed passed, $failed failed"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
