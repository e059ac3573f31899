# Sourced by the scripts that need a real X display (e2e, benchmarks).
# start_xvfb FIRST: starts Xvfb on the first free display from FIRST, exports
# DISPLAY, appends its pid to the caller's pids array and waits until it
# answers.
start_xvfb() {
  local disp=$1
  while [ -e "/tmp/.X11-unix/X$disp" ] || [ -e "/tmp/.X$disp-lock" ]; do disp=$((disp + 1)); done
  export DISPLAY=":$disp"
  Xvfb "$DISPLAY" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
  pids+=($!)
  for _ in $(seq 50); do
    xdpyinfo >/dev/null 2>&1 && return 0
    sleep 0.1
  done
}
