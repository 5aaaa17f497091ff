#!/usr/bin/env bash
# Fill fuzz/corpus/<target>/ with seed inputs from testdata/ (idempotent:
# existing corpus entries are kept). Run from anywhere.
set -euo pipefail
cd "$(dirname "$0")"
td=../testdata

add() { # add TARGET FILE...: copy files in, named after their path
  local target=$1; shift
  mkdir -p "corpus/$target"
  local f
  for f in "$@"; do
    [ -f "$f" ] || continue
    cp "$f" "corpus/$target/seed-$(echo "${f#"$td"/}" | tr '/' '_')"
  done
}

shopt -s nullglob
for fmt in yaml json dotenv ini; do
  add "$fmt" "$td/$fmt-corpus"/* "$td/$fmt-corpus"/*/*
done
add yaml "$td"/sops/*.yaml* "$td"/plain/*.yaml
add json "$td"/sops/*.json* "$td"/plain/*.json
add dotenv "$td"/sops/*.env* "$td"/plain/*.env
add ini "$td"/sops/*.ini* "$td"/plain/*.ini

# metadata: every encrypted file sops or the corpus tests wrote.
add metadata "$td"/sops/* "$td"/*-corpus/encrypted/*

# enc_value: each ENC[…] value found in the sops fixtures, plus typed
# plaintexts (first byte = type index: 0 str, 1 int, 2 float, 3 bool,
# 4 time, 5 comment, 6 bytes, 7 unknown).
mkdir -p corpus/enc_value
n=0
grep -ohE 'ENC\[AES256_GCM,[^]]*\]' "$td"/sops/* "$td"/*-corpus/encrypted/* | sort -u | head -200 |
  while IFS= read -r v; do
    n=$((n + 1))
    printf '%s' "$v" > "corpus/enc_value/seed-enc-$n"
  done
i=0
for t in '\x00hello' '\x01-42' '\x01+7' '\x010042' '\x021.5' '\x02-0' '\x021e21' '\x02NaN' \
         '\x02+Inf' '\x031' '\x03true' '\x03False' '\x042024-01-01T00:00:00Z' \
         '\x042024-01-01T00:00:00.500+02:00' '\x05 a comment' '\x06\xff\xfe' '\x07x'; do
  i=$((i + 1))
  printf "$t" > "corpus/enc_value/seed-typed-$i"
done
for d in corpus/*/; do
  echo "$d: $(find "$d" -type f | wc -l) files"
done
