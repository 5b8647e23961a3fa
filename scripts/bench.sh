#!/usr/bin/env bash
# The performance benchmark: one run, ratios within it. Prints a markdown table, writes
# build/bench/report.md, build/bench/results.jsonl and build/bench/bench.png.
#   scripts/bench.sh            full run (about 10 minutes on 2 cores)
#   scripts/bench.sh --smoke    tiny sizes, to check that the benchmark still works (CI)
set -euo pipefail
cd "$(dirname "$0")/.."
smoke=0
[[ "${1:-}" == "--smoke" ]] && smoke=1
scripts/deps.sh --bench
if ((smoke)); then
  [[ -x build/smallcall ]] || scripts/build.sh
else
  scripts/build.sh
fi
cmake --build build --target smallcall_bench -j"$(nproc)" >&2  # the driver, built on demand
out=build/bench
rm -rf "$out"
mkdir -p "$out"
res=$out/results.jsonl
bin=build/smallcall
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
if ((smoke)); then
  ms="1 5 32"; e2e=20000; mem="10000 20000"; giant=20000; shard=10000; reps=1
  command -v parallel >/dev/null || scripts/deps.sh
else
  ms="1 5 32 128 300 4096"; e2e=1000000; mem="10000 1000000 10000000"; giant=6500000; shard=300000; reps=3
fi
note() { echo "bench: $*" >&2; }

note "machine"
{ echo "{\"kind\":\"machine\",\"cpu\":\"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')\",\"cores\":$(nproc --all),\"date\":\"$(date -u +%Y-%m-%d)\",\"smoke\":$smoke}"; } >> "$res"
note "FMA peak"
build/smallcall_bench peak >> "$res"
$bin simulate --quiet --output "$out/calibration.tsv" --rows 20000 --seed 4
/usr/bin/python3 scripts/bench_peers.py make "$out" "$out/calibration.tsv"
note "weight-streaming floor: reading the DeepVariant-shape weights (618,753 floats) once"
build/smallcall_bench stream $((618753 * 4)) >> "$res"
note "engine and peers, DeepVariant shape"
build/smallcall_bench engine "$out/dv.json" "$out/rows.f32" $ms | sed 's/"kind":"engine"/"kind":"engine","model":"dv"/' >> "$res"
/usr/bin/python3 scripts/bench_peers.py peers "$out/dv.json" "$out/rows.f32" $ms | sed 's/"kind": "peers"/"kind": "peers", "model": "dv"/' >> "$res"
note "engine, DeepVariant shape, each formulation (matmul, 1x1 convolution) whichever the engine chose"
for f in matmul conv1x1; do
  SMALLCALL_ENGINE=$f build/smallcall_bench engine "$out/dv.json" "$out/rows.f32" $ms |
    sed "s/\"kind\":\"engine\"/\"kind\":\"engine\",\"model\":\"dv-$f\"/" >> "$res"
done
note "engine and peers, small model (data/model.json)"
build/smallcall_bench engine data/model.json "$out/rows.f32" $ms | sed 's/"kind":"engine"/"kind":"engine","model":"small"/' >> "$res"
/usr/bin/python3 scripts/bench_peers.py peers data/model.json "$out/rows.f32" $ms | sed 's/"kind": "peers"/"kind": "peers", "model": "small"/' >> "$res"

note "end to end: $e2e WGS-profile rows, TFRecord.gz in, CVO TFRecord.gz + remainder out"
$bin simulate --quiet --output "$out/e2e.tfrecord.gz" --rows "$e2e" --seed 5
$bin call --quiet --model "$out/dv.json" --input "$out/e2e.tfrecord.gz" --accepted "$out/e2e_acc-00000-of-00001.tfrecord.gz" \
  --remainder "$out/e2e_rem.tfrecord.gz" --stats_json "$out/e2e.json"
/usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); d['kind']='e2e'; d.pop('gate_score_histogram'); print(json.dumps(d))" \
  "$out/e2e.json" >> "$res"
rm -f "$out"/e2e_*.tfrecord.gz

note "memory"
for n in $mem; do
  $bin simulate --quiet --output "$out/mem.tfrecord.gz" --rows "$n" --seed 6
  $bin call --quiet --model "$out/dv.json" --input "$out/mem.tfrecord.gz" --accepted "$out/m_acc-00000-of-00001.tfrecord.gz" \
    --remainder "$out/m_rem.tfrecord.gz" --stats_json "$out/mem.json"
  /usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(json.dumps({'kind':'memory','case':'rows','rows':d['rows'],'regions':d['regions'],'largest_region_rows':d['largest_region_rows'],'peak_rss_kb':d['peak_rss_kb'],'seconds':d['seconds']['total']}))" "$out/mem.json" >> "$res"
done
$bin simulate --quiet --output "$out/mem.tfrecord.gz" --rows "$giant" --giant_region "$giant" --seed 7
$bin call --quiet --model "$out/dv.json" --input "$out/mem.tfrecord.gz" --accepted "$out/m_acc-00000-of-00001.tfrecord.gz" \
  --remainder "$out/m_rem.tfrecord.gz" --stats_json "$out/mem.json"
/usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(json.dumps({'kind':'memory','case':'one region','rows':d['rows'],'regions':d['regions'],'largest_region_rows':d['largest_region_rows'],'peak_rss_kb':d['peak_rss_kb'],'seconds':d['seconds']['total']}))" "$out/mem.json" >> "$res"
rm -f "$out"/mem.tfrecord.gz "$out"/m_*.tfrecord.gz

note "shards: 2 under GNU parallel vs 1 over the same rows, threaded (--io_threads 1) and one core each (--io_threads 0)"
$bin simulate --quiet --output "$out/sh-00000-of-00002.tfrecord.gz" --rows "$shard" --seed 8
$bin simulate --quiet --output "$out/sh-00001-of-00002.tfrecord.gz" --rows "$shard" --seed 9
cat "$out/sh-00000-of-00002.tfrecord.gz" "$out/sh-00001-of-00002.tfrecord.gz" > "$out/sh_all.tfrecord.gz"
/usr/bin/python3 - "$bin" "$out" "$((2 * shard))" "$reps" >> "$res" <<'PY'
import json, resource, subprocess, sys, time
bin_, out, rows = sys.argv[1], sys.argv[2], int(sys.argv[3])
def run(cmd):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
reps = int(sys.argv[4])
for io in (1, 0):
    common = ["--quiet", "--model", f"{out}/dv.json", "--io_threads", str(io)]
    ones, twos = [], []
    for _ in range(reps):  # alternated, medians: the machine is shared and noisy
        ones.append(run([bin_, "call"] + common + ["--input", f"{out}/sh_all.tfrecord.gz", "--accepted",
                        f"{out}/one_acc-00000-of-00001.tfrecord.gz", "--remainder", f"{out}/one_rem.tfrecord.gz"]))
        twos.append(run(["bash", "-c", f"seq 0 1 | parallel --halt now,fail=1 {bin_} call {' '.join(common)} --task {{}} "
                         f"--input {out}/sh@2.tfrecord.gz --accepted {out}/acc@2.tfrecord.gz --remainder {out}/rem@2.tfrecord.gz"]))
    one_wall, one_cpu = sorted(ones)[reps // 2]
    two_wall, two_cpu = sorted(twos)[reps // 2]
    print(json.dumps({"kind": "shards", "io_threads": io, "rows": rows, "repetitions": reps, "one_process_s": one_wall,
                      "one_process_cpu_s": one_cpu, "two_shards_s": two_wall, "two_shards_cpu_s": two_cpu,
                      "one_process_all_s": [w for w, _ in ones], "two_shards_all_s": [w for w, _ in twos]}))
PY
rm -f "$out"/sh*.tfrecord.gz "$out"/one_*.tfrecord.gz "$out"/acc-* "$out"/rem-*

/usr/bin/python3 scripts/bench_report.py "$res" "$out/report.md" "$out/bench.png"
cat "$out/report.md"
