#!/usr/bin/env bash
# Builds the release artefacts into dist/ from this Linux machine:
#   servicedesk-linux-amd64                          the Linux binary
#   servicedesk_<debian version>_amd64.deb            with the launcher and icons
#   servicedesk-<version>-linux-amd64.tar.gz          bin/ and share/, for ~/.local
#   servicedesk.exe                                   Windows amd64, icon and version resource
#   servicedesk-<version>-windows-amd64-installer.exe NSIS; installs WebView2 when missing
#   SHA256SUMS
# <version> is .ci/version.sh's (the Makefile's VERSION): git describe of release tags, -dirty.
# Wails builds in a staged copy of the work tree (build/dist-work/src), so the
# tree itself is never touched. Run through `make dist`, which installs what
# is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."

version=${VERSION:?VERSION is set by the Makefile (.ci/version.sh)}
if ! git rev-parse --git-dir >/dev/null 2>&1; then
  echo "dist: not a git checkout: the version comes from git describe" >&2
  exit 1
fi
. .ci/lib.sh
commits=$(commits_of "$version")
mtime=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}
ldflags="-X servicedesk/internal/version.Version=$version"
work=build/dist-work
stage=$work/src
out=dist
started=$(date +%s)

# step NAME: prints where the build is and how long it has taken.
step() { echo "dist: $1 ($(( $(date +%s) - started ))s)"; }

export GOFLAGS="-mod=mod -buildvcs=false"
step "staging the work tree and building its frontend"
dist_stage "$version" "$work"

# Both builds skip what the stage already has: the frontend (-s), the
# bindings (-skipbindings, committed) and go mod tidy (-m). nice: another
# build or test may share the machine.
wails_build() {
  (cd "$stage" && nice -n 5 go tool wails build -s -skipbindings -m -trimpath "$@") >"$work/wails.log" 2>&1 || {
    cat "$work/wails.log" >&2
    echo "dist: wails build $* failed" >&2
    return 1
  }
}

step "building Linux amd64"
wails_build -platform linux/amd64 -tags webkit2_41 -ldflags "$ldflags" -o servicedesk

# Wails on Windows needs no cgo: the .exe cross-compiles. -nsis renders
# build/windows/installer with the WebView2 bootstrapper and runs makensis.
step "building Windows amd64 and its installer"
command -v makensis >/dev/null || { echo "dist: makensis is missing (apt-get install nsis)" >&2; exit 1; }
CGO_ENABLED=0 wails_build -platform windows/amd64 -nsis -ldflags "$ldflags" -o servicedesk.exe
# Wails only warns when makensis fails to start: make sure it ran.
[ -s "$stage/build/bin/servicedesk-amd64-installer.exe" ] || {
  cat "$work/wails.log" >&2; echo "dist: no installer was made" >&2; exit 1; }

step "packing"
rm -rf "$out"
mkdir -p "$out"
cp "$stage/build/bin/servicedesk" "$out/servicedesk-linux-amd64"
cp "$stage/build/bin/servicedesk.exe" "$out/servicedesk.exe"
cp "$stage/build/bin/servicedesk-amd64-installer.exe" "$out/servicedesk-$version-windows-amd64-installer.exe"
pack() { "$work/dist" "$1" -bin "$out/servicedesk-linux-amd64" -assets build/linux -project wails.json \
  -describe "$version" -commits "$commits" -mtime "$mtime" -out "$out" >/dev/null; }
pack deb
pack tarball
"$work/dist" sums -out "$out"

rm -rf "$work"
step "done"
(cd "$out" && ls -l --block-size=K | tail -n +2)
