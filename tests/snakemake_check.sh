#!/usr/bin/env bash
# scripts/Snakefile runs one smallcall job per shard and gives the same files as running the
# shards by hand. Skipped (exit 77, reported as skipped by ctest) where snakemake is absent.
set -u
bin=$(realpath "$1") src=$(realpath "$2")
command -v snakemake >/dev/null || { echo "snakemake not installed: skipped"; exit 77; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0 pass=0
for t in 0 1 2; do
  "$bin" simulate --quiet --output "$dir/ex-0000$t-of-00003.tfrecord.gz" --rows 1500 --seed $((t + 40)) || exit 1
done
snakemake -s "$src/scripts/Snakefile" --cores 2 --quiet --directory "$dir" \
  --config smallcall="$bin" model="$src/data/model.json" examples="$dir/ex@3.tfrecord.gz" outdir="$dir/out" \
  > "$dir/log" 2>&1 || { echo "FAIL: snakemake: $(tail -20 "$dir/log")"; exit 1; }
for t in 0 1 2; do
  "$bin" call --quiet --model "$src/data/model.json" --input "$dir/ex-0000$t-of-00003.tfrecord.gz" \
    --accepted "$dir/a$t.tfrecord.gz" --remainder "$dir/r$t.tfrecord.gz"
  for kind in accepted:a remainder:r; do
    name=${kind%%:*} mine=${kind##*:}
    if cmp -s <(gzip -dc "$dir/out/$name.tfrecord-0000$t-of-00003.gz") <(gzip -dc "$dir/$mine$t.tfrecord.gz"); then
      pass=$((pass + 1))
    else
      echo "FAIL: shard $t $name differs"; fail=$((fail + 1))
    fi
  done
done
echo "$pass passed, $fail failed"
exit $((fail > 0))
