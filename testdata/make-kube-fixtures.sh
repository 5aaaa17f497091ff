#!/usr/bin/env bash
# Regenerates testdata/kube/enc/: the files of testdata/kube/plain/ encrypted
# by the real sops 3.11 with the TEST-ONLY age key testdata/keys/age1.txt.
# Kubernetes manifests keep apiVersion, kind and metadata in clear
# (encrypted_regex ^(data|stringData)$), as the README recipe says; the other
# files are encrypted whole. tests/ksops.rs and tests/kube_secret.rs use them.
set -euo pipefail
cd "$(dirname "$0")"
SOPS=${SOPS:-sops}
A1=$(grep '^# public key:' keys/age1.txt | awk '{print $4}')
export SOPS_AGE_KEY_FILE=$PWD/keys/age1.txt
in=kube/plain out=kube/enc
rm -rf "$out"; mkdir -p "$out"
for f in app-secret secret-a secret-b multi-doc hashed replace; do
  "$SOPS" encrypt --age "$A1" --encrypted-regex '^(data|stringData)$' \
    "$in/$f.yaml" > "$out/$f.enc.yaml"
done
"$SOPS" encrypt --age "$A1" "$in/config.json" > "$out/config.enc.json"
"$SOPS" encrypt --age "$A1" "$in/app.env" > "$out/app.enc.env"
"$SOPS" encrypt --age "$A1" "$in/extra.env" > "$out/extra.enc.env"
# kubectl's env-file rules (values verbatim, quotes kept): rsops secret tests.
"$SOPS" encrypt --age "$A1" "$in/kubectl.env" > "$out/kubectl.enc.env"
# Not .yaml/.json/.env/.ini: sops (and KSOPS) treat these as binary.
"$SOPS" encrypt --age "$A1" "$in/notes.txt" > "$out/notes.txt"
"$SOPS" encrypt --age "$A1" "$in/blob.bin" > "$out/blob.bin"
# Two files sharing one data key (rsops unwraps it once): a copy.
cp "$out/secret-a.enc.yaml" "$out/secret-a-copy.enc.yaml"
echo "fixtures written to $out/"
