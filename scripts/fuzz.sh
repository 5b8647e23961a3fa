#!/usr/bin/env bash
# Builds the libFuzzer harnesses (clang, ASan+UBSan) and runs each for SECONDS (default 30),
# two at a time. Seeds come from the test data (built into build-fuzz/corpus, never committed)
# and tests/fuzz/regressions. A crash leaves build-fuzz/artifacts/<target>-crash-* and fails
# the script; copy the input into tests/fuzz/regressions/<target>/ once fixed.
#   scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
shift || true
targets=("$@")
((${#targets[@]})) || targets=(tfrecord example variant tsv model reads nested cvo sidecar)
scripts/deps.sh --fuzz
scripts/build.sh  # the release binary makes seed files
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSMALLCALL_FUZZ=ON \
  -DSMALLCALL_BUILD_TESTS=OFF >&2
cmake --build build-fuzz -j"$(nproc)" >&2

corpus=build-fuzz/corpus
mkdir -p "$corpus"/{tfrecord,example,variant,tsv,model,reads,nested,cvo,sidecar} build-fuzz/artifacts
# Seeds from the test data.
build/smallcall call --quiet --model data/model.json --input data/sample.tsv.gz --accepted "$corpus/variant_cvo.tfrecord" \
  --remainder "$corpus/tfrecord/sample.tfrecord" --small_model_snp_gq_threshold 30 --small_model_indel_gq_threshold 40
head -c 20000 "$corpus/tfrecord/sample.tfrecord" > "$corpus/tfrecord/head.tfrecord"
gzip -c "$corpus/tfrecord/head.tfrecord" > "$corpus/tfrecord/head.tfrecord.gz"
/usr/bin/python3 - "$corpus" <<'PY'
import os, sys, zlib
sys.path.insert(0, "scripts")
import tfpy
corpus = sys.argv[1]
examples = tfpy.read_tfrecords(f"{corpus}/tfrecord/sample.tfrecord")
for i, e in enumerate(examples[:40]):
    open(f"{corpus}/example/ex{i}.bin", "wb").write(e)
with open(f"{corpus}/tfrecord/head.tfrecord", "rb") as fh:
    open(f"{corpus}/tfrecord/head.zlib", "wb").write(zlib.compress(fh.read()))
cvos = tfpy.read_tfrecords(f"{corpus}/variant_cvo.tfrecord")
for i, c in enumerate(cvos[:20]):
    open(f"{corpus}/variant/v{i}.bin", "wb").write(tfpy.CallVariantsOutput.FromString(c).variant.SerializeToString())
fx = "../shared/fixtures/tfrecord"
if os.path.isdir(fx):
    for i, v in enumerate(tfpy.read_tfrecords(f"{fx}/test_sites.vcf.golden.tfrecord")):
        open(f"{corpus}/variant/golden{i}.bin", "wb").write(v)
    for i, v in enumerate(tfpy.read_tfrecords(f"{fx}/test_samples.vcf.golden.tfrecord")[:30]):
        open(f"{corpus}/variant/samples{i}.bin", "wb").write(v)
PY
rm -f "$corpus/variant_cvo.tfrecord"
# Structure-aware seeds: real candidates (rows computed from the fixture BAMs) and the
# fixtures' TensorFlow-written Variants, cut into their inner messages.
seed_rows=()
reads=../shared/fixtures/reads
if [[ -d $reads ]]; then
  build/smallcall features --quiet --reads "$reads/freebayes-tiny/NA12878.chr22.tiny.bam" --ref "$reads/freebayes-tiny/q.fa" \
    --vsc_min_count_snps 1 --vsc_min_fraction_snps 0.01 --output build-fuzz/seed_rows_tiny.tfrecord
  build/smallcall features --quiet --reads "$reads/NA12878_small.bam" --ref "$reads/ucsc.hg19.chr20.unittest.fasta.gz" \
    --regions chr20:10,000,000-10,010,000 --output build-fuzz/seed_rows_na12878.tfrecord
  seed_rows=(build-fuzz/seed_rows_tiny.tfrecord build-fuzz/seed_rows_na12878.tfrecord
             --sidecar build-fuzz/seed_rows_tiny.tfrecord.small_model_info.json)
fi
golden=()
for g in ../shared/fixtures/tfrecord/test_sites.vcf.golden.tfrecord ../shared/fixtures/tfrecord/test_samples.vcf.golden.tfrecord; do
  [[ -f $g ]] && golden+=(--golden "$g")
done
/usr/bin/python3 scripts/fuzz_seeds.py "$corpus" "$corpus/tfrecord/sample.tfrecord" "${seed_rows[@]}" "${golden[@]}" >&2
if [[ -d ../shared/fixtures/tfrecord ]]; then cp ../shared/fixtures/tfrecord/*.tfrecord* "$corpus/tfrecord/"; fi
printf 'contig\tstart\tend\tref\talt\tdepth\tvaf\tis_multiallelic\nchr1\t1\t2\tA\tG\t30\t50\t0\nchr1\t5\t8\tACG\tA|AC\t7\t12.5\t1\r\n' > "$corpus/tsv/seed.tsv"
gzip -c "$corpus/tsv/seed.tsv" > "$corpus/tsv/seed.tsv.gz"
cp data/model.json "$corpus/model/default.json"
head -c 4096 /dev/urandom > "$corpus/reads/random.bin"  # structure comes from the harness
printf '{"features":["a","b"],"layers":[{"activation":"relu","kernel":[[1,2],[3,4]],"bias":[0,0]},{"activation":"softmax","kernel":[[1,0,0],[0,1,0]],"bias":[0,0,0]}],"gate":{"snp_gq_threshold":20},"self_test":{"inputs":[[1,2]],"probabilities":[[0.2,0.3,0.5]],"atol":1e-5}}' \
  > "$corpus/model/small.json"

run_one() {
  local t=$1
  local log=build-fuzz/fuzz_$t.log
  # libFuzzer exits when a corpus directory is missing: git keeps no empty directory.
  mkdir -p "tests/fuzz/regressions/$t"
  if build-fuzz/fuzz_"$t" -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=65536 -timeout=10 \
       -print_final_stats=1 -artifact_prefix=build-fuzz/artifacts/"$t"- \
       "$corpus/$t" "tests/fuzz/regressions/$t" > "$log" 2>&1; then
    local execs cov
    execs=$(grep -m1 'stat::number_of_executed_units' "$log" | awk '{print $2}')
    cov=$(grep -E '^#[0-9]+.*cov:' "$log" | tail -1 | sed -E 's/.*cov: ([0-9]+).*/\1/')
    echo "fuzz_$t: ${seconds}s, ${execs} executions, coverage ${cov} edges, 0 findings"
  else
    echo "fuzz_$t: FINDING (see $log and build-fuzz/artifacts/$t-*)"
    tail -40 "$log" >&2
    return 1
  fi
}
export -f run_one
export seconds corpus
status=0
printf '%s\n' "${targets[@]}" | xargs -P "${FUZZ_JOBS:-2}" -I{} bash -c 'run_one {}' || status=1
exit $status
