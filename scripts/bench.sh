#!/usr/bin/env bash
# make bench: engine benchmarks beside their bare jwx/stdlib twins (medians of
# COUNT runs, ratio engine/bare), start-up and idle memory against a bare Fyne
# window, and the UI's longest stalls during slow work. Prints one report and
# writes it to bench/results.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
count=${COUNT:-5}
tags=jwx_es256k
out=bench/results.md
raw=$(mktemp)
trap 'rm -f "$raw"' EXIT

echo "bench: engine benchmarks (count=$count)…" >&2
go test -tags $tags -run '^$' -count "$count" -benchmem \
  -bench 'PEMToJWK|JWKToPEM|ThumbprintVsJWX|CertBundle1MiB|InspectVsJWX|InspectRS256|BareJWXVerify|ImportAndLint10k|ExportPublic10k|Generate/(EC|OKP|oct)' \
  ./convert/... >"$raw"
go test -tags $tags -run '^$' -count 5 -benchtime 8x -bench 'Generate/RSA' ./convert/keys/ >>"$raw"

{
  echo "# JWK Desk benchmarks"
  echo
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(go version | cut -d' ' -f3); $(date -u +%Y-%m-%d)."
  echo
  echo "## Engine against bare jwx / standard library (median of $count runs)"
  echo
  echo "| benchmark | engine | bare | ratio | engine allocs |"
  echo "|---|---|---|---|---|"
  awk '
    /^Benchmark/ {
      name=$1; sub(/-[0-9]+$/, "", name)
      ns[name]=ns[name] " " $3; al[name]=$7
    }
    function median(s,   a, n, i, j, t) {
      n=split(s, a, " ")
      for (i=1;i<=n;i++) for (j=i+1;j<=n;j++) if (a[j]+0 < a[i]+0) { t=a[i]; a[i]=a[j]; a[j]=t }
      return (n%2) ? a[(n+1)/2] : (a[n/2]+a[n/2+1])/2
    }
    function human(v) {
      if (v >= 1e9) return sprintf("%.2f s", v/1e9)
      if (v >= 1e6) return sprintf("%.2f ms", v/1e6)
      if (v >= 1e3) return sprintf("%.1f µs", v/1e3)
      return sprintf("%.0f ns", v)
    }
    END {
      for (n in ns) {
        if (n ~ /\/(engine)$/) {
          base=n; sub(/engine$/, "", base)
          b=base "bare"; if (!(b in ns)) b=base "stdlib"
          e=median(ns[n])
          if (b in ns) { m=median(ns[b]); printf "| %s | %s | %s | %.2f× | %s |\n", base, human(e), human(m), e/m, al[n] }
          else printf "| %s | %s | – | – | %s |\n", base, human(e), al[n]
          j=base "jwx"
          if (j in ns) { m=median(ns[j]); printf "| %s (vs bare jwx twin) | %s | %s | %.2f× | %s |\n", base, human(e), human(m), e/m, al[n] }
        }
      }
      for (n in ns) if (n ~ /InspectRS256|BareJWXVerify|ImportAndLint10k|ExportPublic10k/) printf "| %s | %s | | | %s |\n", n, human(median(ns[n])), al[n]
    }' "$raw" | sort
} >"$out"

if command -v Xvfb >/dev/null && command -v xdotool >/dev/null; then
  echo "bench: start-up and memory under Xvfb…" >&2
  # The benchmark build: tag jwkdesk_bench adds the heartbeat and profiling
  # hooks (JWKDESK_HEARTBEAT, JWKDESK_CPUPROFILE) the shipped binary leaves out.
  go build -tags "$tags jwkdesk_bench" -o jwkdesk . && go build -o bin/hello ./bench/hello && go build -o bin/mkjwks ./bench/mkjwks
  { echo; echo "## Start-up and idle memory in a real window (Xvfb)"; echo; scripts/bench-window.sh ./jwkdesk ./bin/hello "${RUNS:-20}"; } >>"$out"
  echo "bench: UI stalls…" >&2
  { echo; echo "## Longest UI stall while working (heartbeat every 10 ms through fyne.Do)"; echo; scripts/bench-stalls.sh ./jwkdesk ./bin/mkjwks; } >>"$out"
fi
cat "$out"
