#!/usr/bin/env bash
# Prints the build's version: `git describe` of the commit, by release tags
# only (v1.2.3), with -dirty when the tree has changes, tracked or not
# (make dist stages files git does not track yet, so they are in the
# build); "dev" outside a git checkout.
set -uo pipefail
cd "$(dirname "$0")/.."
v=$(git describe --tags --match 'v[0-9]*' --always --dirty 2>/dev/null) || { echo dev; exit 0; }
if [[ $v != *-dirty ]] && [ -n "$(git ls-files --others --exclude-standard | head -n 1)" ]; then
  v=$v-dirty
fi
echo "$v"
