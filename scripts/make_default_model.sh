#!/usr/bin/env bash
# Rebuilds data/model.json (trained on simulated rows) and data/sample.tsv.gz (the demo
# input), deterministically: smallcall simulate + scripts/train_smallcall.py.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
build/smallcall simulate --output "$tmp/train.tfrecord.gz" --rows 400000 --seed 1001
/usr/bin/python3 scripts/train_smallcall.py "$tmp/train.tfrecord.gz" --output data/model.json \
  --hidden 64,64 --epochs 6 --seed 1
build/smallcall simulate --output "$tmp/sample.tsv" --rows 2500 --seed 7
gzip -n -9 -c "$tmp/sample.tsv" > data/sample.tsv.gz
