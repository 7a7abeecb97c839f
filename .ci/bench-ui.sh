#!/usr/bin/env bash
# The window's benchmark with 50,000 tickets (make bench-ui): cold start to
# an interactive list, and a performance trace of scrolling, in Chromium
# against the dev-tagged binary. Prints figures; asserts no timing.
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/lib.sh
profile=${BENCH_PROFILE:-${TMPDIR:-/tmp}/servicedesk-bench-ui-50k}
if [ ! -f "$profile/servicedesk.db" ]; then
  rm -rf "$profile.tmp"
  go run -tags webkit2_41 ./internal/store/storefixture/fill -dir "$profile.tmp" -tickets 50000
  mv "$profile.tmp" "$profile"
fi
start_xvfb
trap '[ -n "${XVFB_PID:-}" ] && kill "$XVFB_PID" 2>/dev/null || true' EXIT
BENCH_PROFILE="$profile" BENCH_BIN=build/bin/servicedesk-dev node frontend/e2e/bench-list.mjs
