# Helpers shared by the test scripts. Source it.

# free_port prints a TCP port on 127.0.0.1 that nothing listens on now.
free_port() {
  node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

# free_display prints an X display number with no server.
free_display() {
  local n
  for n in $(seq 71 140); do
    if [ ! -e "/tmp/.X11-unix/X$n" ] && [ ! -e "/tmp/.X$n-lock" ]; then echo "$n"; return; fi
  done
  echo "no free X display" >&2; return 1
}

# start_xvfb starts Xvfb on a free display and exports DISPLAY; its pid is in XVFB_PID.
start_xvfb() {
  local n; n=$(free_display)
  Xvfb ":$n" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
  XVFB_PID=$!
  export DISPLAY=":$n"
  for _ in $(seq 1 50); do
    [ -e "/tmp/.X11-unix/X$n" ] && return 0
    sleep 0.1
  done
  echo "Xvfb did not start on :$n" >&2; return 1
}

# wait_for_log FILE PATTERN SECONDS waits until FILE has a line matching PATTERN.
wait_for_log() {
  local file=$1 pattern=$2 secs=$3 i
  for i in $(seq 1 $((secs * 10))); do
    grep -q -- "$pattern" "$file" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "timed out after ${secs}s waiting for '$pattern' in $file:" >&2
  tail -n 30 "$file" >&2
  return 1
}

# commits_of VERSION prints how many commits lead to the commit that VERSION
# (.ci/version.sh: git describe of release tags, --dirty) names: the build number of a
# Windows file version and of an untagged Debian version. Counting from the
# version, not HEAD, keeps it right when a commit lands after the build.
commits_of() {
  local rev=${1%-dirty}
  case "$rev" in
    *-g[0-9a-f]*) rev=${rev##*-g} ;; # v1.2.3-4-gabc1234: the commit
  esac
  git rev-list --count "$rev"
}

# dist_stage VERSION WORK builds the packaging tool into WORK/dist, stages
# the work tree into WORK/src with VERSION stamped in (tools/dist), and
# builds the staged frontend: what `wails build -s` then compiles.
dist_stage() {
  local version=$1 work=$2
  mkdir -p "$work"
  go build -o "$work/dist" ./tools/dist
  "$work/dist" stage -repo . -dir "$work/src" -describe "$version" -commits "$(commits_of "$version")"
  (cd "$work/src/frontend" && npm run --silent build >/dev/null)
}
