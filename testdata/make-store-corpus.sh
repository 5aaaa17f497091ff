#!/usr/bin/env bash
# Regenerates the expected outputs of the JSON / dotenv / INI store corpora
# (testdata/{json,dotenv,ini}-corpus/) with the real sops 3.11 and the
# TEST-ONLY key testdata/keys/age1.txt:
#
#   NAME.EXT                 input
#   NAME.expected.EXT        `sops encrypt` then `sops decrypt` of NAME.EXT:
#                            what our parse -> emit round trip must print
#   NAME.indentN.expected.json   the same with the legacy `--indent N` flag
#   invalid/*                inputs sops refuses to encrypt (checked here)
#   encrypted/*              files encrypted by sops (emit(parse(f)) == f)
set -euo pipefail
cd "$(dirname "$0")"
SOPS=${SOPS:-sops}
pub() { grep '^# public key:' "keys/$1.txt" | awk '{print $4}'; }
A1=$(pub age1); A2=$(pub age2)
export SOPS_AGE_KEY_FILE=$PWD/keys/age1.txt
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

for fmt in json dotenv ini; do
  ext=$fmt; [ "$fmt" = dotenv ] && ext=env
  dir=$fmt-corpus
  rm -f "$dir"/*.expected.*
  for f in "$dir"/*."$ext"; do
    name=$(basename "$f" ".$ext")
    "$SOPS" encrypt --age "$A1" "$f" > "$tmp/enc.$ext"
    "$SOPS" decrypt "$tmp/enc.$ext" > "$dir/$name.expected.$ext"
  done
  for f in "$dir"/invalid/*; do
    if "$SOPS" encrypt --age "$A1" --input-type "$fmt" --output-type "$fmt" "$f" > /dev/null 2>&1; then
      echo "WARNING: sops accepts $f" >&2
    fi
  done
done

for n in 0 2 4; do
  for name in basic nested-arrays empty-containers; do
    "$SOPS" --indent "$n" -e --age "$A1" "json-corpus/$name.json" > "$tmp/enc.json"
    "$SOPS" --indent "$n" -d "$tmp/enc.json" > "json-corpus/$name.indent$n.expected.json"
  done
done

# Encrypted files: one per format with one recipient, one with key groups,
# Shamir threshold, mac_only_encrypted and a regex containing # and ;.
"$SOPS" encrypt --age "$A1" json-corpus/basic.json > json-corpus/encrypted/basic.json
"$SOPS" encrypt --age "$A1" dotenv-corpus/comments.env > dotenv-corpus/encrypted/comments.env
"$SOPS" encrypt --age "$A1" ini-corpus/comments.ini > ini-corpus/encrypted/comments.ini
cat > "$tmp/.sops.yaml" <<CFG
creation_rules:
  - shamir_threshold: 2
    mac_only_encrypted: true
    encrypted_regex: '^(pass|db#;)'
    key_groups:
      - age: [$A1]
      - age: [$A2]
CFG
cp json-corpus/basic.json "$tmp/kg.json"
cp dotenv-corpus/basic.env "$tmp/kg.env"
cp ini-corpus/basic.ini "$tmp/kg.ini"
(cd "$tmp" && for f in kg.json kg.env kg.ini; do "$SOPS" encrypt "$f" > "out-$f"; done)
cp "$tmp/out-kg.json" json-corpus/encrypted/key-groups.json
cp "$tmp/out-kg.env" dotenv-corpus/encrypted/key-groups.env
cp "$tmp/out-kg.ini" ini-corpus/encrypted/key-groups.ini
echo done
