#!/usr/bin/env bash
# Compare two rsops builds on the workloads of `benches/run.sh 1k 1m`: the
# same generated inputs, both binaries alternating in one hyperfine run, the
# median of RUNS runs each (default 20), and the change in percent.
#   benches/ab.sh BEFORE_BINARY AFTER_BINARY [RUNS]
# Build the "before" binary from another checkout (git worktree add … REV;
# cargo build --release there).
set -euo pipefail
cd "$(dirname "$0")/.."
A=$1; B=$2; RUNS=${3:-20}
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
export SOPS_AGE_KEY_FILE=$PWD/testdata/keys/age1.txt
R=$(grep '^# public key:' "$SOPS_AGE_KEY_FILE" | awk '{print $4}')
for size in 1k 1m; do
  n=$([ "$size" = 1k ] && echo 1024 || echo 1048576)
  python3 benches/gen.py "$W" "$n" "$size" >/dev/null
  for ext in yaml json env; do
    "$A" encrypt --age "$R" "$W/$size.$ext" > "$W/$size.enc.$ext"
  done
done
row() { # LABEL ARGS...
  local label=$1; shift
  if ! hyperfine -N --style none --warmup 2 --runs "$RUNS" --export-json "$W/h.json" \
      "$A $*" "$B $*" >/dev/null 2>&1; then
    echo "$label: FAILED"; return
  fi
  python3 - "$label" "$W/h.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[2]))['results']
a, b = r[0]['median'] * 1000, r[1]['median'] * 1000
print(f"{sys.argv[1]:<24} before {a:8.2f} ms  after {b:8.2f} ms  {100 * (b - a) / a:+6.1f}%")
PY
}
for size in 1k 1m; do
  for ext in yaml json env; do
    row "encrypt $size.$ext" encrypt --age "$R" "$W/$size.$ext"
    row "decrypt $size.$ext" decrypt "$W/$size.enc.$ext"
  done
done
row "extract 1m.yaml" decrypt --extract "'[\"svc7\"][\"password\"]'" "$W/1m.enc.yaml"
row "rotate 1m.yaml" rotate "$W/1m.enc.yaml"
row "startup --version" --version
for bin in "$A" "$B"; do
  /usr/bin/time -f "%M KiB peak: $bin encrypt 1m.yaml" "$bin" encrypt --age "$R" "$W/1m.yaml" >/dev/null
done
