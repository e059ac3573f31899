#!/usr/bin/env bash
# Start-up time and idle memory of JWK Desk against a bare Fyne window, in a
# real X window under Xvfb: exec → window mapped and viewable (polled every
# 10 ms: `xdotool search --sync` polls every 0.5 s, which rounds every
# start-up to 0.6 or 1.1 s), and
# resident memory 2 s after, over RUNS runs each, the two programs alternating.
# Usage: scripts/bench-window.sh ./jwkdesk ./bin/hello [RUNS]
set -euo pipefail
app=$(realpath "$1"); hello=$(realpath "$2"); runs=${3:-10}
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
. "$(dirname "$0")/xvfb.sh"
start_xvfb 90
export HOME="$work/home"; mkdir -p "$HOME"

measure() { # $1 binary, $2 window title → prints "ms rss_kib", or returns 2
  # when the program died before its window mapped (logged, counted, retried)
  local start end pid rss
  start=$(date +%s%N)
  "$1" >"$work/log" 2>&1 &
  pid=$!
  local deadline=$((start + 30000000000))
  until xdotool search --onlyvisible --name "^$2\$" >/dev/null 2>&1; do
    if ! kill -0 "$pid" 2>/dev/null; then
      { echo "bench-window: run $i: \"$2\" exited before its window mapped; its first lines:"; head -5 "$work/log"; } >&2
      return 2
    fi
    (( $(date +%s%N) < deadline )) || { echo "run $i: no window \"$2\" after 30 s; its output:" >&2; head -c 3000 "$work/log" >&2; exit 1; }
    sleep 0.01
  done
  end=$(date +%s%N)
  sleep 2
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  stop "$pid" "$2"
  echo "$(( (end - start) / 1000000 )) $rss"
}
# stop: SIGTERM (Fyne quits on it), then SIGKILL after 5 s. Now and then a
# Fyne program, the bare window as well as ours, never finishes quitting:
# every thread waits on a futex. Logged with the main goroutine's stack
# (SIGQUIT makes Go print it) and counted, so it neither hangs the bench
# nor goes unseen.
stop() {
  local n
  kill "$1" 2>/dev/null || true
  for n in $(seq 50); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$1" 2>/dev/null; then
    echo "bench-window: run $i: \"$2\" did not quit 5 s after SIGTERM; its main goroutine (SIGQUIT):" >&2
    echo 1 >>"$work/hung"
    kill -QUIT "$1" 2>/dev/null || true
    sleep 1
    grep -A 24 '^goroutine 1 ' "$work/log" >&2 || true
    kill -9 "$1" 2>/dev/null || true
  fi
  wait "$1" 2>/dev/null || true
}
failed=0
run() { # $1 binary, $2 title, $3 results file: one measure, retried up to 3 times
  local try
  for try in 1 2 3; do
    measure "$1" "$2" >>"$3" && return 0
    failed=$((failed + 1))
  done
  echo "\"$2\" failed to start 3 times in a row" >&2; exit 1
}
for i in $(seq "$runs"); do
  run "$hello" "Hello Fyne" "$work/hello"
  run "$app" "JWK Desk" "$work/app"
done
stats() { # column file → "median min max"
  cut -d' ' -f"$1" "$2" | sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%g %g %g", m, a[1], a[NR]}'
}
read -r hm hmin hmax <<<"$(stats 1 "$work/hello")"; read -r am amin amax <<<"$(stats 1 "$work/app")"
read -r hr hrmin hrmax <<<"$(stats 2 "$work/hello")"; read -r ar armin armax <<<"$(stats 2 "$work/app")"
echo "| measure ($runs runs each, alternating) | bare Fyne window | JWK Desk | ratio |"
echo "|---|---|---|---|"
printf "| window mapped, median ms (min–max) | %s (%s–%s) | %s (%s–%s) | %.2f× |\n" "$hm" "$hmin" "$hmax" "$am" "$amin" "$amax" "$(echo "$am / $hm" | bc -l)"
printf "| RSS 2 s after, median MiB (min–max) | %.1f (%.1f–%.1f) | %.1f (%.1f–%.1f) | %.2f× |\n" \
  "$(echo "$hr/1024" | bc -l)" "$(echo "$hrmin/1024" | bc -l)" "$(echo "$hrmax/1024" | bc -l)" \
  "$(echo "$ar/1024" | bc -l)" "$(echo "$armin/1024" | bc -l)" "$(echo "$armax/1024" | bc -l)" "$(echo "$ar / $hr" | bc -l)"
hung=0
if [ -f "$work/hung" ]; then hung=$(wc -l <"$work/hung"); fi
[ "$hung" -eq 0 ] || echo "
$hung run(s) did not quit within 5 s of SIGTERM and were killed (measured before the stop, so their figures stand)."
[ "$failed" -eq 0 ] || echo "
$failed start(s) died before mapping a window and were retried (their first lines are on stderr; the one seen so far: GLFW failing to initialise on Xvfb, then panicking in WindowHint)."
