#!/usr/bin/env bash
# On a Mac (macOS builds need cgo and Apple's SDK: they cannot be made on
# Linux), builds the universal app (Intel and Apple silicon) into dist/:
#   servicedesk-<version>-macos-universal.dmg   "Service Desk.app" and a link to /Applications
#   servicedesk-<version>-macos-universal.zip   the app alone (ditto), e.g. for MDM
#   SHA256SUMS
# Signing and notarisation use the team's own Apple Developer ID, when set:
#   MACOS_SIGN_IDENTITY="Developer ID Application: Example Ltd (TEAMID1234)"
#   MACOS_NOTARY_PROFILE=servicedesk-notary   (made once with
#       xcrun notarytool store-credentials servicedesk-notary --apple-id you@example.com
#           --team-id TEAMID1234 --password <app-specific password>)
# Without them the app is signed ad hoc: it runs on the Mac that built it,
# and Gatekeeper refuses it elsewhere. Needs Go, Node.js and the Xcode
# command-line tools (xcode-select --install). Run through `make dist-macos`.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(uname -s)" != Darwin ]; then
  echo "dist-macos: run this on a Mac: the macOS app needs cgo and Apple's SDK, which Linux has not" >&2
  exit 1
fi
xcode-select -p >/dev/null 2>&1 || { echo "dist-macos: install the Xcode command-line tools: xcode-select --install" >&2; exit 1; }
version=${VERSION:?VERSION is set by the Makefile (.ci/version.sh)}
identity=${MACOS_SIGN_IDENTITY:-}
notary=${MACOS_NOTARY_PROFILE:-}
if [ -n "$notary" ] && [ -z "$identity" ]; then
  echo "dist-macos: notarisation needs a Developer ID signature: set MACOS_SIGN_IDENTITY too" >&2
  exit 1
fi
. .ci/lib.sh
work=build/dist-work
stage=$work/src
out=dist
name=servicedesk-$version-macos-universal
export GOFLAGS="-mod=mod -buildvcs=false"

echo "dist-macos: staging the work tree and building its frontend"
dist_stage "$version" "$work"

echo "dist-macos: building the universal app"
(cd "$stage" && go tool wails build -platform darwin/universal -s -skipbindings -m -trimpath \
  -ldflags "-X servicedesk/internal/version.Version=$version" -o servicedesk)
app="$work/Service Desk.app"
rm -rf "$app"
mv "$stage/build/bin/servicedesk.app" "$app"

# What Wails made from build/darwin/Info.plist and appicon.png.
plist=$app/Contents/Info.plist
short=$(/usr/libexec/PlistBuddy -c 'Print CFBundleShortVersionString' "$plist")
exe=$(/usr/libexec/PlistBuddy -c 'Print CFBundleExecutable' "$plist")
[ -f "$app/Contents/Resources/iconfile.icns" ] || { echo "dist-macos: the app has no icon" >&2; exit 1; }
archs=$(lipo -archs "$app/Contents/MacOS/$exe")
case "$archs" in *x86_64*arm64*|*arm64*x86_64*) ;; *) echo "dist-macos: not universal: $archs" >&2; exit 1 ;; esac
echo "dist-macos: $app: version $short, $archs"

# The hardened runtime is what notarisation requires; the app needs no
# entitlements (no sandbox; WebKit runs in its own signed processes).
if [ -n "$identity" ]; then
  codesign --force --options runtime --timestamp --sign "$identity" "$app"
else
  echo "dist-macos: MACOS_SIGN_IDENTITY is not set: signing ad hoc (not for distribution)"
  codesign --force --sign - "$app"
fi
codesign --verify --strict --verbose=2 "$app"

rm -rf "$out" "$work/dmg"
mkdir -p "$out" "$work/dmg"

# The app first: notarised and stapled before it goes into the .dmg, so the
# copy a user drags out opens offline too.
if [ -n "$notary" ]; then
  echo "dist-macos: notarising the app (Apple answers in a few minutes)"
  ditto -c -k --keepParent "$app" "$work/notarise.zip"
  xcrun notarytool submit "$work/notarise.zip" --keychain-profile "$notary" --wait
  xcrun stapler staple "$app"
  spctl --assess --type execute --verbose "$app"
fi

ditto "$app" "$work/dmg/$(basename "$app")"
ln -s /Applications "$work/dmg/Applications"
hdiutil create -volname "Service Desk" -srcfolder "$work/dmg" -fs HFS+ -format UDZO -ov "$out/$name.dmg"
[ -z "$identity" ] || codesign --force --timestamp --sign "$identity" "$out/$name.dmg"
if [ -n "$notary" ]; then
  echo "dist-macos: notarising the disk image"
  xcrun notarytool submit "$out/$name.dmg" --keychain-profile "$notary" --wait
  xcrun stapler staple "$out/$name.dmg"
  spctl --assess --type open --context context:primary-signature --verbose "$out/$name.dmg"
fi
ditto -c -k --keepParent "$app" "$out/$name.zip"
"$work/dist" sums -out "$out"
rm -rf "$work"
ls -l "$out"
