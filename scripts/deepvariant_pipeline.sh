#!/usr/bin/env bash
# DeepVariant with smallcall as its small model: the two-pass recipe of
# deepvariant-pipeline-contract.md section 7 (README: "Running DeepVariant with smallcall").
#
#   0. smallcall call --reads: the small model on every candidate, N shards over partitions ->
#      accepted calls as CVOs (OUT/smallcall_cvo-0000i-of-0000N.tfrecord.gz) and the rest of
#      the candidates as a sites VCF per shard;
#   1. the remainder shards merged into one sorted, indexed VCF (bcftools concat -a);
#   2. make_examples --variant_caller=vcf_candidate_importer on those sites only,
#      --nocall_small_model_examples (N shards);
#   3. call_variants (the large model) on their examples;
#   4. postprocess_variants: the CNN's CVOs + smallcall's (--small_model_cvo_records) -> VCF
#      (+ gVCF with --gvcf).
#
# Usage:
#   scripts/deepvariant_pipeline.sh --reads BAM --ref REF.fa --model MODEL --out DIR
#        [--regions "chr20 chr21:1-100"] [--shards N] [--gvcf] [--dry-run] [-- SMALLCALL_FLAGS...]
#
# Environment:
#   DV           how to run DeepVariant's binaries: a directory holding make_examples,
#                call_variants and postprocess_variants (default /opt/deepvariant/bin), or a
#                command prefix ending in '/' for a container, e.g.
#                DV="docker run --rm -v /data:/data google/deepvariant:1.9.0 /opt/deepvariant/bin/"
#                (every path given to this script must then be visible inside the container).
#   DV_MODEL     the large model's checkpoint directory [default: /opt/models/wgs]
#   DV_VERSION   1.9 or 1.10: 1.10 passes --checkpoint_json=$DV_MODEL/model.example_info.json
#                to make_examples and postprocess_variants, as run_deepvariant does [default 1.9]
#   SMALLCALL    the smallcall binary [default: smallcall on PATH, else build/smallcall here]
#
# --dry-run runs steps 0 and 1 (smallcall only), writes DeepVariant's flag files and prints
# the DeepVariant commands steps 2-4 would run. scripts/check_deepvariant_contract.py checks
# the files passed between the tools (run it on --out after a dry run).
set -euo pipefail

usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//' >&2; exit 2; }
die() { echo "deepvariant_pipeline.sh: $*" >&2; exit 2; }

reads="" ref="" model="" out="" regions="" shards=1 gvcf=0 dry=0
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --reads) reads=$2; shift 2 ;;
    --ref) ref=$2; shift 2 ;;
    --model) model=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --regions) regions=$2; shift 2 ;;
    --shards) shards=$2; shift 2 ;;
    --gvcf) gvcf=1; shift ;;
    --dry-run) dry=1; shift ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) usage ;;
    *) die "unknown argument $1 (see --help)" ;;
  esac
done
if [ -z "$reads" ] || [ -z "$ref" ] || [ -z "$model" ] || [ -z "$out" ]; then usage; fi
[[ "$shards" =~ ^[1-9][0-9]*$ ]] || die "--shards must be a positive integer"

here=$(cd "$(dirname "$0")" && pwd)
if [ -z "${SMALLCALL:-}" ]; then
  if command -v smallcall > /dev/null; then SMALLCALL=smallcall; else SMALLCALL="$here/../build/smallcall"; fi
fi
DV=${DV:-/opt/deepvariant/bin}
case "$DV" in */) ;; *) DV="$DV/" ;; esac
DV_MODEL=${DV_MODEL:-/opt/models/wgs}
DV_VERSION=${DV_VERSION:-1.9}
command -v bcftools > /dev/null || die "bcftools is needed to merge the remainder shards"
mkdir -p "$out"

# Runs "$@" with {} replaced by each task 0..N-1, N at a time (GNU parallel when present).
for_each_task() {
  if command -v parallel > /dev/null && parallel --version 2> /dev/null | grep -q GNU; then
    seq 0 $((shards - 1)) | parallel -q --halt now,fail=1 -j "$shards" "$@"
  else
    seq 0 $((shards - 1)) | xargs -P "$shards" -I{} "$@"
  fi
}

# 0. smallcall on every candidate: accepted CVOs + the remainder's sites, per shard.
region_flag=()
[ -n "$regions" ] && region_flag=(--regions "$regions")
echo "== 0. smallcall call --reads ($shards shards)" >&2
for_each_task "$SMALLCALL" call --reads "$reads" --ref "$ref" --model "$model" "${region_flag[@]}" \
  --task {} --accepted "$out/smallcall_cvo@$shards.tfrecord.gz" --remainder "$out/remainder@$shards.vcf.gz" \
  --stats_json "$out/smallcall_stats@$shards.json" --quiet "${extra[@]}"

# The sample the CVOs carry: make_examples and postprocess_variants must use the same.
sample=$(/usr/bin/env python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["sample_name"])' \
  "$(printf '%s/smallcall_stats-%05d-of-%05d.json' "$out" 0 "$shards")")

# 1. One sorted, indexed sites VCF: the shards interleave partitions (task k takes partition
# k mod N), so they are merged by position (concat -a), not appended.
echo "== 1. merge the remainder shards (bcftools concat -a)" >&2
shard_vcfs=()
for ((i = 0; i < shards; i++)); do shard_vcfs+=("$(printf '%s/remainder-%05d-of-%05d.vcf.gz' "$out" "$i" "$shards")"); done
bcftools concat -a -O z -o "$out/remainder.vcf.gz" "${shard_vcfs[@]}"
bcftools index -f -t "$out/remainder.vcf.gz"

# 2-4. DeepVariant on the remainder, then the merge of both models' calls. Flags as absl flag
# files (one --name=value per line), the same sample and regions as smallcall's.
json_flag=()
[ "$DV_VERSION" = "1.10" ] && json_flag=("--checkpoint_json=$DV_MODEL/model.example_info.json")
{
  echo "# make_examples on the candidates smallcall did not accept (written by deepvariant_pipeline.sh)"
  echo "--mode=calling"
  echo "--ref=$ref"
  echo "--reads=$reads"
  echo "--sample_name=$sample"
  echo "--examples=$out/make_examples.tfrecord@$shards.gz"
  echo "--checkpoint=$DV_MODEL"
  for f in "${json_flag[@]}"; do echo "$f"; done
  echo "--variant_caller=vcf_candidate_importer"
  echo "--proposed_variants=$out/remainder.vcf.gz"
  echo "--nocall_small_model_examples"
  [ -n "$regions" ] && echo "--regions=$regions"
  [ "$gvcf" = 1 ] && echo "--gvcf=$out/gvcf.tfrecord@$shards.gz"
} > "$out/make_examples.flags"
{
  echo "# postprocess_variants: the large model's calls and smallcall's (written by deepvariant_pipeline.sh)"
  echo "--ref=$ref"
  echo "--sample_name=$sample"
  echo "--infile=$out/call_variants_output.tfrecord.gz"
  echo "--small_model_cvo_records=$out/smallcall_cvo@$shards.tfrecord.gz"
  echo "--outfile=$out/$sample.vcf.gz"
  echo "--cpus=$shards"
  for f in "${json_flag[@]}"; do echo "$f"; done
  [ -n "$regions" ] && echo "--regions=$regions"
  if [ "$gvcf" = 1 ]; then
    echo "--nonvariant_site_tfrecord_path=$out/gvcf.tfrecord@$shards.gz"
    echo "--gvcf_outfile=$out/$sample.g.vcf.gz"
  fi
} > "$out/postprocess_variants.flags"

make_examples_cmd="${DV}make_examples --flagfile=$out/make_examples.flags --task={}"
call_variants_cmd="${DV}call_variants --examples=$out/make_examples.tfrecord@$shards.gz --checkpoint=$DV_MODEL --outfile=$out/call_variants_output.tfrecord.gz"
postprocess_cmd="${DV}postprocess_variants --flagfile=$out/postprocess_variants.flags"
if [ "$dry" = 1 ]; then
  echo "== dry run: smallcall's files are in $out; DeepVariant would run:" >&2
  echo "seq 0 $((shards - 1)) | parallel -j $shards $make_examples_cmd"
  echo "$call_variants_cmd"
  echo "$postprocess_cmd"
  exit 0
fi
echo "== 2. make_examples on the remainder ($shards shards)" >&2
# shellcheck disable=SC2086  # $DV may be a container command prefix: word splitting intended
for_each_task ${DV}make_examples "--flagfile=$out/make_examples.flags" "--task={}"
echo "== 3. call_variants" >&2
# shellcheck disable=SC2086
${DV}call_variants "--examples=$out/make_examples.tfrecord@$shards.gz" "--checkpoint=$DV_MODEL" \
  "--outfile=$out/call_variants_output.tfrecord.gz"
echo "== 4. postprocess_variants" >&2
# shellcheck disable=SC2086
${DV}postprocess_variants "--flagfile=$out/postprocess_variants.flags"
echo "== done: $out/$sample.vcf.gz" >&2
