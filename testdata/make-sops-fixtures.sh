#!/usr/bin/env bash
# Regenerates testdata/sops/: files encrypted by the real sops 3.11 with the
# TEST-ONLY keys in testdata/keys/, and what `sops decrypt` prints for each.
# The golden tests decrypt these offline with rsops and compare the bytes.
set -euo pipefail
cd "$(dirname "$0")"
SOPS=${SOPS:-sops}
pub() { grep '^# public key:' "keys/$1.txt" | awk '{print $4}'; }
A1=$(pub age1); A2=$(pub age2); A3=$(pub age3)
export SOPS_AGE_KEY_FILE=$PWD/keys/age1.txt
out=sops
rm -rf "$out"; mkdir -p "$out"
enc() { # name, input, extra encrypt args...
  local name=$1 input=$2; shift 2
  "$SOPS" encrypt "$@" "plain/$input" > "$out/$name"
  "$SOPS" decrypt "$out/$name" > "$out/$name.expected"
}
# sops 3.11's encrypt subcommand ignores some global flags (--indent,
# --mac-only-encrypted, the comment regexes); its legacy -e/-d form honours them.
enc_legacy() { # name, input, flags...
  local name=$1 input=$2; shift 2
  "$SOPS" "$@" -e "plain/$input" > "$out/$name"
  "$SOPS" "$@" -d "$out/$name" > "$out/$name.expected"
}
enc basic.yaml basic.yaml --age "$A1"
enc multi.yaml multi.yaml --age "$A1"
enc basic.json basic.json --age "$A1"
enc basic.env basic.env --age "$A1"
enc basic.ini basic.ini --age "$A1"
"$SOPS" encrypt --age "$A1" --input-type binary --output-type json plain/random.bin > "$out/random.bin.json"
"$SOPS" decrypt --input-type json --output-type binary "$out/random.bin.json" > "$out/random.bin.json.expected"
enc text.bin text.bin --age "$A1"
enc two-recipients.yaml basic.yaml --age "$A2,$A1"
enc encrypted-regex.yaml basic.yaml --age "$A1" --encrypted-regex '^(password|user)$'
enc unencrypted-regex.yaml basic.yaml --age "$A1" --unencrypted-regex '^(port|hosts)$'
enc encrypted-suffix.yaml basic.yaml --age "$A1" --encrypted-suffix word
enc_legacy mac-only-encrypted.yaml basic.yaml --age "$A1" --encrypted-regex '^password$' --mac-only-encrypted
enc_legacy indent2.yaml basic.yaml --age "$A1" --indent 2
enc_legacy indent2.json basic.json --age "$A1" --indent 2
enc_legacy comment-regex.yaml basic.yaml --age "$A1" --unencrypted-comment-regex 'the login'
enc_legacy encrypted-comment-regex.yaml basic.yaml --age "$A1" --encrypted-comment-regex 'a comment in a map' 
# Key groups with Shamir: 2 of 3 groups (identity age1 opens group 0 only,
# so the golden test needs two identities: SOPS_AGE_KEY_FILE lists age1 and age2).
cat keys/age1.txt keys/age2.txt > /tmp/rsops-fixture-keys.txt
SOPS_AGE_KEY_FILE=/tmp/rsops-fixture-keys.txt bash -c '
  cat > /tmp/rsops-fixture-sops.yaml <<CFG
creation_rules:
  - key_groups:
      - age: ['"$A1"']
      - age: ['"$A2"']
      - age: ['"$A3"']
    shamir_threshold: 2
CFG
  '"$SOPS"' --config /tmp/rsops-fixture-sops.yaml encrypt plain/basic.yaml > '"$out"'/shamir-2of3.yaml
  '"$SOPS"' decrypt '"$out"'/shamir-2of3.yaml > '"$out"'/shamir-2of3.yaml.expected'
rm -f /tmp/rsops-fixture-keys.txt /tmp/rsops-fixture-sops.yaml
echo "fixtures written to $out/"
