#!/usr/bin/env bash
# Runs a command with a real, unlocked Secret Service (gnome-keyring) on a
# private D-Bus session and a fresh XDG_DATA_HOME, so keychain tests never
# touch the agent's own keyring.
set -euo pipefail
export XDG_DATA_HOME; XDG_DATA_HOME=$(mktemp -d)
trap 'rm -rf "$XDG_DATA_HOME"' EXIT
export SERVICEDESK_KEYCHAIN_TESTS=required
dbus-run-session -- sh -c '
  echo -n test-keyring-password | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  exec "$@"' sh "$@"
