#!/usr/bin/env bash
# Installs what `make run`, `make test`, `make dist` or `make test-dist`
# needs and is missing, on Debian or Ubuntu.
# Usage: .ci/deps.sh run|test|dist|test-dist. Uses sudo when not root.
set -euo pipefail
want=${1:-run}

pkgs=(pkg-config libgtk-3-dev libwebkit2gtk-4.1-dev)
case "$want" in
  test) pkgs+=(xvfb xauth xdotool imagemagick chromium fonts-liberation gnome-keyring dbus libsecret-tools dovecot-imapd openssl) ;;
  # makensis builds the Windows installer.
  dist) pkgs+=(nsis) ;;
  # 7-Zip looks inside the installer; the .deb is installed and its window
  # screenshot under Xvfb.
  test-dist) pkgs+=(nsis 7zip desktop-file-utils xvfb xauth xdotool imagemagick) ;;
esac
# Debian 12 and Ubuntu 24.04 call 7-Zip 7zip; older releases p7zip-full.
if [[ " ${pkgs[*]} " == *" 7zip "* ]] && command -v apt-cache >/dev/null && ! apt-cache show 7zip >/dev/null 2>&1; then
  pkgs=("${pkgs[@]/#7zip/p7zip-full}")
fi

if [ "$(uname -s)" != Linux ]; then
  echo "deps: not Linux; install the Wails prerequisites listed in README.md by hand" >&2
  exit 0
fi

sudo=()
if [ "$(id -u)" != 0 ]; then sudo=(sudo); fi

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  missing+=(nodejs npm)
fi
if [ ${#missing[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null; then
    echo "deps: missing ${missing[*]}; install them with your package manager" >&2
    exit 1
  fi
  echo "deps: installing ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v go >/dev/null; then
  echo "deps: Go 1.26 or newer is needed: https://go.dev/doc/install" >&2
  exit 1
fi
node_ok=$(node -e 'const [a,b]=process.versions.node.split(".").map(Number); console.log(a>20||(a==20&&b>=19)?1:0)')
if [ "$node_ok" != 1 ]; then
  echo "deps: Node.js 20.19 or newer is needed (found $(node --version)); install it from your distribution or nodejs.org" >&2
  exit 1
fi
