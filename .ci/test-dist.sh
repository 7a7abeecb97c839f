#!/usr/bin/env bash
# Checks what `make dist` put in dist/, as a support team would meet it:
#   - SHA256SUMS covers every file and verifies;
#   - the .deb: its metadata (runtime dependencies, not -dev), its files;
#     installed with dpkg -i and apt-get -f install, the installed
#     servicedesk reports the version and opens its window on the demo under
#     Xvfb (screenshot: test-output/screenshots/deb-installed.png); then
#     purged, leaving the machine's package list as it was;
#   - the .tar.gz unpacks into a prefix whose binary runs;
#   - the Windows .exe and installer (Go tests in tools/dist: PE headers,
#     icon, version resource, manifest, the installer's contents).
# Needs root (dpkg) and the packages of `.ci/deps.sh test-dist`.
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/lib.sh
dist=dist
out=test-output/screenshots
mkdir -p "$out"
tmp=$(mktemp -d)
app_pid=
installed_by_us=
cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null || true
  [ -n "${XVFB_PID:-}" ] && kill "$XVFB_PID" 2>/dev/null || true
  # A run stopped half-way still takes its package out again.
  if [ -n "$installed_by_us" ]; then dpkg --purge servicedesk >/dev/null 2>&1 || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
passed=0 failed=0
check() {
  if "$@"; then passed=$((passed + 1)); echo "test-dist: ok   $1"
  else failed=$((failed + 1)); echo "test-dist: FAIL $1"; fi
}

if [ "$(id -u)" != 0 ]; then echo "test-dist: dpkg -i needs root" >&2; exit 1; fi
one() { # one PATTERN: the single file of dist/ that matches
  local found=("$dist"/$1)
  if [ "${#found[@]}" != 1 ] || [ ! -f "${found[0]}" ]; then echo "test-dist: want one $dist/$1, found: ${found[*]}" >&2; return 1; fi
  echo "${found[0]}"
}
deb=$(one 'servicedesk_*_amd64.deb')
tarball=$(one 'servicedesk-*-linux-amd64.tar.gz')
# The version every artefact must carry: what the Linux binary says.
version=$("$dist/servicedesk-linux-amd64" --version | awk '{print $2}')
commits=$(commits_of "$version")
echo "test-dist: checking $dist/ at version $version"

sums_verify() {
  (cd "$dist" && sha256sum --check --strict --quiet SHA256SUMS) || return 1
  local listed on_disk
  listed=$(awk '{print $2}' "$dist/SHA256SUMS" | sort)
  on_disk=$(cd "$dist" && find . -type f ! -name SHA256SUMS | sed 's|^\./||' | sort)
  [ "$listed" = "$on_disk" ] || { echo "SHA256SUMS lists: $listed; dist/ holds: $on_disk"; return 1; }
}

deb_metadata() {
  local depends ok=0
  depends=$(dpkg-deb --field "$deb" Depends)
  echo "  Depends: $depends"
  grep -q 'libwebkit2gtk-4.1-0' <<<"$depends" || { echo "  no WebKitGTK 4.1 runtime"; ok=1; }
  grep -Eq '(^|[ ,|])libgtk-3-0' <<<"$depends" || { echo "  no GTK 3 runtime"; ok=1; }
  if grep -q -- '-dev' <<<"$depends"; then echo "  depends on a -dev package"; ok=1; fi
  local files; files=$(dpkg-deb --contents "$deb" | awk '{print $NF}')
  for f in ./usr/bin/servicedesk ./usr/share/applications/servicedesk.desktop \
    ./usr/share/icons/hicolor/{16x16,24x24,32x32,48x48,64x64,128x128,256x256,512x512}/apps/servicedesk.png \
    ./usr/share/icons/hicolor/scalable/apps/servicedesk.svg; do
    grep -qxF "$f" <<<"$files" || { echo "  the package lacks $f"; ok=1; }
  done
  return $ok
}

tarball_runs() {
  mkdir -p "$tmp/prefix"
  tar -xzf "$tarball" --strip-components=1 -C "$tmp/prefix"
  [ -f "$tmp/prefix/share/applications/servicedesk.desktop" ] || { echo "  no launcher"; return 1; }
  [ -f "$tmp/prefix/share/icons/hicolor/256x256/apps/servicedesk.png" ] || { echo "  no icon"; return 1; }
  [ "$("$tmp/prefix/bin/servicedesk" --version)" = "servicedesk $version" ]
}

windows_artefacts() {
  SERVICEDESK_DIST=$PWD/$dist SERVICEDESK_DIST_VERSION=$version SERVICEDESK_DIST_COMMITS=$commits \
    go test -count=1 -run '^TestWindows' -v ./tools/dist 2>&1 | grep -Ev '^(=== |PASS$)' | sed 's/^/  /'
  return "${PIPESTATUS[0]}"
}

installed_packages() { dpkg-query -W -f='${Package} ${Status}\n' | awk '$4 == "installed" {print $1}' | sort; }
if dpkg-query -W -f='${Status}' servicedesk 2>/dev/null | grep -q ' installed$'; then
  echo "test-dist: servicedesk is installed already (a run stopped half-way?): purging it first"
  dpkg --purge servicedesk >/dev/null
fi
# The packages installed before, to prove the purge leaves the same list.
installed_packages >"$tmp/before"
deb_installs() {
  installed_by_us=1
  # dpkg -i leaves the package unconfigured when a dependency is missing;
  # apt-get -f install then brings the dependencies and configures it.
  dpkg -i "$deb" >"$tmp/dpkg.log" 2>&1 || echo "  dpkg -i wants dependencies: apt-get -f install"
  DEBIAN_FRONTEND=noninteractive apt-get -f install -y -qq >"$tmp/apt.log" 2>&1 || { cat "$tmp/dpkg.log" "$tmp/apt.log"; return 1; }
  [ "$(dpkg-query -W -f='${Status}' servicedesk)" = "install ok installed" ] || return 1
  [ -x /usr/bin/servicedesk ] && [ -f /usr/share/applications/servicedesk.desktop ] &&
    [ -f /usr/share/icons/hicolor/48x48/apps/servicedesk.png ]
}

installed_version() {
  local got; got=$(/usr/bin/servicedesk --version)
  [ "$got" = "servicedesk $version" ] || { echo "  /usr/bin/servicedesk --version: $got"; return 1; }
}

launcher_valid() {
  if ! command -v desktop-file-validate >/dev/null; then echo "  desktop-file-validate missing"; return 1; fi
  # Hints (several main categories) are fine; errors are not.
  ! desktop-file-validate /usr/share/applications/servicedesk.desktop | grep -q 'error:'
}

wid=
installed_window_opens() {
  start_xvfb
  # A fresh home: the demo's profile and WebKit's caches go there.
  mkdir -p "$tmp/home"
  HOME=$tmp/home XDG_DATA_HOME=$tmp/home/.local/share XDG_CACHE_HOME=$tmp/home/.cache XDG_CONFIG_HOME=$tmp/home/.config \
    /usr/bin/servicedesk demo >"$tmp/app.log" 2>&1 &
  app_pid=$!
  wid=$(timeout 60 xdotool search --sync --onlyvisible --name '^Service Desk$' | head -n 1) || true
  [ -n "$wid" ] || { echo "  no window; app log:"; tail -n 20 "$tmp/app.log"; return 1; }
  wait_for_log "$tmp/app.log" 'msg="sync finished"' 60
}

# settle SHOT retakes the screenshot until three in a row, a second apart,
# are alike (the list has replaced its loading placeholders), for 15
# seconds at most: for a picture worth looking at, not a check.
settle() {
  local shot=$1 prev=$tmp/prev.png changed i alike=0
  for i in $(seq 1 15); do
    cp "$shot" "$prev"
    sleep 1
    import -window root "$shot"
    changed=$(compare -metric AE -fuzz 5% "$prev" "$shot" null: 2>&1 || true)
    if [ "${changed%% *}" -lt $((1280 * 800 / 500)) ] 2>/dev/null; then alike=$((alike + 1)); else alike=0; fi
    [ "$alike" -lt 2 ] || return 0
  done
}

# The first start in a fresh home paints later than the sync lands (WebKit
# fills its caches): take a screenshot each second until the page shows,
# for 30 seconds at most. A white or black screen never passes.
screenshot_shows_the_app() {
  local shot=$out/deb-installed.png sd colours i
  for i in $(seq 1 30); do
    sleep 1
    import -window root "$shot"
    sd=$(convert "$shot" -colorspace Gray -format '%[fx:standard_deviation]' info:)
    colours=$(convert "$shot" -format '%k' info:)
    if awk -v sd="$sd" -v c="$colours" 'BEGIN { exit !(sd > 0.05 && c > 50) }'; then
      echo "  $shot after ${i}s: grey standard deviation $sd, $colours colours"
      settle "$shot"
      return 0
    fi
  done
  echo "  $shot stayed blank: grey standard deviation $sd, $colours colours; app log:"
  tail -n 20 "$tmp/app.log"
  return 1
}

purge_leaves_nothing() {
  kill "$app_pid" 2>/dev/null || true
  wait "$app_pid" 2>/dev/null || true
  app_pid=
  dpkg -r servicedesk >/dev/null
  [ ! -e /usr/bin/servicedesk ] || { echo "  dpkg -r left /usr/bin/servicedesk"; return 1; }
  # The package has no conffiles, so dpkg -r already forgot it and apt-get
  # purge would not find it; dpkg --purge takes whatever might remain.
  dpkg --purge servicedesk >/dev/null 2>&1
  installed_by_us=
  local status; status=$(dpkg-query -W -f='${Status}' servicedesk 2>/dev/null || true)
  case "$status" in ""|*not-installed) ;; *) echo "  dpkg still lists it: $status"; return 1 ;; esac
  for f in /usr/share/applications/servicedesk.desktop /usr/share/icons/hicolor/48x48/apps/servicedesk.png; do
    [ ! -e "$f" ] || { echo "  $f is still there"; return 1; }
  done
  installed_packages >"$tmp/after"
  # What apt-get -f install brought in for the package goes too.
  local pulled; pulled=$(comm -13 "$tmp/before" "$tmp/after" | xargs -r apt-mark showauto)
  if [ -n "$pulled" ]; then
    echo "  purging what the package pulled in: $pulled"
    # shellcheck disable=SC2086 # one word per package
    DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq $pulled >/dev/null
    installed_packages >"$tmp/after"
  fi
  if ! diff -u "$tmp/before" "$tmp/after" >"$tmp/diff"; then
    echo "  the installed packages differ from before:"; sed 's/^/    /' "$tmp/diff"; return 1
  fi
}

check sums_verify
check deb_metadata
check tarball_runs
check windows_artefacts
check deb_installs
check installed_version
check launcher_valid
check installed_window_opens
check screenshot_shows_the_app
check purge_leaves_nothing
echo "test-dist: $passed passed, $failed failed"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
