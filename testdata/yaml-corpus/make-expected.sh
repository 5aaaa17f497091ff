#!/usr/bin/env bash
# Regenerates the expected outputs of the YAML store corpus with the real
# sops 3.11 (see README.md) and the TEST-ONLY key testdata/keys/age1.txt.
# encrypted/* is kept as is (its files are tests of their own).
set -euo pipefail
cd "$(dirname "$0")"
SOPS=${SOPS:-sops}
KEYS=../keys
R=$(grep '^# public key:' "$KEYS/age1.txt" | awk '{print $4}')
export SOPS_AGE_KEY_FILE=$PWD/$KEYS/age1.txt
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

for f in [0-9]*.yaml; do
  case $f in *.expected.yaml) continue;; esac
  n=${f%.yaml}
  "$SOPS" encrypt --age "$R" "$f" > "$tmp/enc.yaml"
  "$SOPS" decrypt "$tmp/enc.yaml" > "$n.expected.yaml"
done

for f in cycle/*.yaml; do
  case $f in *.expected.yaml) continue;; esac
  n=${f%.yaml}
  rm -f "$n.expected.yaml" "$n.error"
  if "$SOPS" encrypt --age "$R" --encrypted-regex '^zzznomatch$' --input-type yaml --output-type yaml "$f" > "$tmp/enc.yaml" 2>/dev/null &&
     "$SOPS" decrypt --input-type yaml --output-type yaml "$tmp/enc.yaml" > "$tmp/dec.yaml" 2>/dev/null; then
    mv "$tmp/dec.yaml" "$n.expected.yaml"
  else
    : > "$n.error"
  fi
done
