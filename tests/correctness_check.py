#!/usr/bin/python3
"""No silent wrong answers, on real reads (../shared/fixtures/reads): each path of issue 12 that
once gave a wrong result with exit 0, run as a DeepVariant user would run it.
  1. feature order: TFRecord rows carry no names; a model whose features are a permutation of
     the rows' (the same function) must give the same calls through the sidecar, and be refused
     without it (it was applied positionally);
  2. a remainder called again with the same model and flags accepts nothing, for TSV, TFRecord
     and reads inputs and TSV and TFRecord remainders;
  3. sweep's counts at call's thresholds are call's;
  4. a malformed calls[0] inside variant/encoded is a data error naming the record, no output
     left, for CVO and VCF outputs (it aborted);
  5. the sample: the BAM's @RG SM, or --sample_name, reaches the VCF column and every CVO;
  6. no multi-allelic candidate is split between the accepted calls and the remainder, and every
     accepted candidate has all its alt subsets.
Exit 77 (skipped) when the fixtures are absent.

Usage: correctness_check.py SMALLCALL_BINARY SOURCE_DIR
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

from real_reads import Fixtures, reads_dir

BIN, SRC = sys.argv[1], sys.argv[2]
F = Fixtures(reads_dir(SRC, "correctness checks on real reads"))

import tfpy  # noqa: E402
from pyref import Checks  # noqa: E402
from wgs_features import WGS_FEATURES  # noqa: E402

check = Checks()
TMP = tempfile.mkdtemp(prefix="smallcall_correctness_")
MODEL = os.path.join(SRC, "data", "model.json")
BAM, FASTA, DV_REGION, TINY_BAM, TINY_FASTA = F.BAM, F.FASTA, F.DV_REGION, F.TINY_BAM, F.TINY_FASTA
# A very sensitive caller: hundreds of multi-allelic candidates on freebayes-tiny.
SENSITIVE = ["--vsc_min_count_snps", "1", "--vsc_min_fraction_snps", "0.01", "--vsc_min_count_indels", "1",
             "--vsc_min_fraction_indels", "0.01", "--min_base_quality", "0"]
# The realigner gives up on every window with more than one haplotype: their candidates are
# realignment-sensitive, so the guard is exercised.
GIVE_UP = ["--dbg_max_num_paths", "1"]


def t(name):
    return os.path.join(TMP, name)


def run(cmd, *args, expect=0, stdin=None):
    quiet = [] if cmd == "sweep" else ["--quiet"]
    proc = subprocess.run([BIN, cmd] + quiet + [str(a) for a in args], capture_output=True, text=True, stdin=stdin)
    check(proc.returncode == expect, f"{cmd} {args}: exit {proc.returncode} (wanted {expect}): {proc.stderr.strip()}")
    return proc


def stats(path):
    with open(path) as fh:
        return json.load(fh)


def accepted_tsv(path):
    """{(contig, start, ref, alt): (gt, p_hom_ref, p_het, p_hom_alt)} of an accepted TSV."""
    out = {}
    with open(path) as fh:
        for line in fh.read().splitlines()[1:]:
            f = line.split("\t")
            out[(f[0], f[1], f[3], f[4])] = (f[5], float(f[7]), float(f[8]), float(f[9]))
    return out


def same_calls(a, b, what):
    check(a.keys() == b.keys(), f"{what}: accepted rows differ ({len(a)} vs {len(b)})")
    diff = max((abs(x - y) for k in a.keys() & b.keys() for x, y in zip(a[k][1:], b[k][1:])), default=0.0)
    check(all(a[k][0] == b[k][0] for k in a.keys() & b.keys()), f"{what}: genotypes differ")
    check(diff <= 1e-5, f"{what}: probabilities differ by {diff}")


def files_in(directory):
    return sorted(os.listdir(directory))


# ---- 1. Feature order -------------------------------------------------------------------
rows_tf = t("rows.tfrecord.gz")
run("features", "--reads", TINY_BAM, "--ref", TINY_FASTA, "--output", rows_tf)
sidecar = rows_tf + ".small_model_info.json"
check(os.path.exists(sidecar), "features writes <rows>.small_model_info.json")
info = json.load(open(sidecar))
check(info.get("model_features") == WGS_FEATURES and info.get("shape") == 70 and info.get("config") == {} and
      "version" in info, f"sidecar content as DeepVariant writes it: {sorted(info)}")

# The same function with its features in another order: reversed, first-layer rows to match.
model = json.load(open(MODEL))
perm = list(reversed(range(70)))
permuted = json.loads(json.dumps(model))
permuted["features"] = [model["features"][i] for i in perm]
permuted["layers"][0]["kernel"] = [model["layers"][0]["kernel"][i] for i in perm]
permuted["self_test"]["inputs"] = [[row[i] for i in perm] for row in model["self_test"]["inputs"]]
PERMUTED = t("permuted.json")
json.dump(permuted, open(PERMUTED, "w"))

run("call", "--model", MODEL, "--input", rows_tf, "--accepted", t("acc_default.tsv"), "--remainder", t("r.tsv"))
default_calls = accepted_tsv(t("acc_default.tsv"))
check(len(default_calls) >= 10, f"enough accepted rows to compare: {len(default_calls)}")
run("call", "--model", PERMUTED, "--input", rows_tf, "--accepted", t("acc_perm.tsv"), "--remainder", t("r.tsv"))
same_calls(accepted_tsv(t("acc_perm.tsv")), default_calls, "permuted model, rows named by their sidecar")

# Without the sidecar the rows are DeepVariant's order: the default model reads them as before,
# the permuted one is refused (it cannot know which value is which).
os.makedirs(t("bare"))
bare = os.path.join(t("bare"), "rows.tfrecord.gz")
shutil.copy(rows_tf, bare)
run("call", "--model", MODEL, "--input", bare, "--accepted", t("acc_bare.tsv"), "--remainder", t("r.tsv"))
same_calls(accepted_tsv(t("acc_bare.tsv")), default_calls, "default model, unnamed rows")
proc = run("call", "--model", PERMUTED, "--input", bare, "--accepted", os.path.join(t("bare"), "a.tsv"),
           "--remainder", os.path.join(t("bare"), "r.tsv"), expect=1)
check("record 0: features/encoded carries no feature names" in proc.stderr and "--small_model_info" in proc.stderr,
      f"permuted model on unnamed rows: {proc.stderr.strip()}")
check(files_in(t("bare")) == ["rows.tfrecord.gz"], f"nothing left after the refusal: {files_in(t('bare'))}")
# stdin has no name to find a sidecar by: --small_model_info names the features.
with open(bare, "rb") as fh:
    run("call", "--model", PERMUTED, "--input", "-", "--small_model_info", sidecar, "--accepted", t("acc_stdin.tsv"),
        "--remainder", t("r.tsv"), stdin=fh)
same_calls(accepted_tsv(t("acc_stdin.tsv")), default_calls, "permuted model, stdin rows named by --small_model_info")
# A sidecar that lacks a feature the model needs names it.
broken = dict(info, model_features=["no_such_feature"] + WGS_FEATURES[1:])
json.dump(broken, open(t("broken.json"), "w"))
proc = run("call", "--model", MODEL, "--input", rows_tf, "--small_model_info", t("broken.json"), "--accepted",
           t("a.tsv"), "--remainder", t("r.tsv"), expect=1)
check('no feature "num_reads_supports_ref"' in proc.stderr, f"missing feature named: {proc.stderr.strip()}")
# Rows in the permuted order (a converted remainder) with their sidecar, read by the default model.
run("call", "--model", PERMUTED, "--input", rows_tf, "--accepted", t("a.tsv"), "--remainder", t("all.tsv"),
    "--small_model_snp_gq_threshold=-1", "--small_model_indel_gq_threshold=-1")
run("call", "--model", PERMUTED, "--input", t("all.tsv"), "--accepted", t("a.tsv"), "--remainder",
    t("perm_order.tfrecord.gz"), "--small_model_snp_gq_threshold=-1", "--small_model_indel_gq_threshold=-1")
perm_info = json.load(open(t("perm_order.tfrecord.gz.small_model_info.json")))
check(perm_info["model_features"] == permuted["features"], "a converted remainder's sidecar lists its own order")
run("call", "--model", MODEL, "--input", t("perm_order.tfrecord.gz"), "--accepted", t("acc_reordered.tsv"),
    "--remainder", t("r.tsv"))
same_calls(accepted_tsv(t("acc_reordered.tsv")), default_calls, "default model, rows in another order, by name")
# TSV rows are matched by their header.
run("features", "--reads", TINY_BAM, "--ref", TINY_FASTA, "--output", t("rows.tsv"))
run("call", "--model", PERMUTED, "--input", t("rows.tsv"), "--accepted", t("acc_tsv_perm.tsv"), "--remainder",
    t("r.tsv"))
same_calls(accepted_tsv(t("acc_tsv_perm.tsv")), default_calls, "permuted model, TSV rows")
# Shards: each shard's sidecar, and the spec's.
for task in range(3):
    run("features", "--reads", TINY_BAM, "--ref", TINY_FASTA, "--output", t("sh@3.tfrecord.gz"), "--task", task)
for task in range(3):
    check(os.path.exists(t(f"sh-0000{task}-of-00003.tfrecord.gz.small_model_info.json")), f"shard {task} sidecar")
check(os.path.exists(t("sh@3.tfrecord.gz.small_model_info.json")), "the @N spec's sidecar")
merged = {}
for task in range(3):
    run("call", "--model", PERMUTED, "--input", t("sh@3.tfrecord.gz"), "--task", task, "--accepted",
        t("shacc@3.tsv"), "--remainder", t("shrem@3.tsv"))
    merged.update(accepted_tsv(t(f"shacc-0000{task}-of-00003.tsv")))
same_calls(merged, default_calls, "permuted model over 3 shards")
print(f"1. feature order: {len(default_calls)} accepted rows, the same through sidecar, stdin + --small_model_info, "
      "another row order, TSV and shards; refused without names")

# ---- 2. A remainder called again accepts nothing ---------------------------------------
run("features", "--reads", TINY_BAM, "--ref", TINY_FASTA, "--output", t("sens.tfrecord.gz"), *SENSITIVE, *GIVE_UP)
run("features", "--reads", TINY_BAM, "--ref", TINY_FASTA, "--output", t("sens.tsv"), *SENSITIVE, *GIVE_UP)
inputs = {"TSV": ["--input", t("sens.tsv")], "TFRecord": ["--input", t("sens.tfrecord.gz")],
          "reads": ["--reads", TINY_BAM, "--ref", TINY_FASTA] + SENSITIVE + GIVE_UP,
          "reads (default caller)": ["--reads", TINY_BAM, "--ref", TINY_FASTA] + GIVE_UP}
for name, source in inputs.items():
    for rem in ("rem.tsv", "rem.tfrecord.gz"):
        run("call", "--model", MODEL, *source, "--accepted", t("a.tsv"), "--remainder", t(rem), "--stats_json",
            t("s1.json"))
        first = stats(t("s1.json"))
        run("call", "--model", MODEL, "--input", t(rem), "--accepted", t("a2.tsv"), "--remainder", t("again" + rem),
            "--stats_json", t("s2.json"))
        second = stats(t("s2.json"))
        check(second["rows"] == first["remainder"]["total"] and second["accepted"]["total"] == 0,
              f"{name} -> {rem} -> call again: {second['accepted']['total']} of {second['rows']} accepted "
              f"(first run: {first['accepted']['total']} accepted, {first['remainder']['total']} remainder, "
              f"{first['remainder']['realignment_sensitive']} realignment-sensitive)")
        check(first["remainder"]["realignment_sensitive"] > 0, f"{name}: the guard was exercised")
print("2. remainders called again: 0 accepted for TSV, TFRecord and reads inputs into TSV and TFRecord remainders")

# ---- 3. sweep == call --------------------------------------------------------------------
for flags in ([], ["--small_model_snp_gq_threshold=9", "--small_model_indel_gq_threshold=17"],
              ["--nosmall_model_call_multiallelics"], ["--norealignment_sensitive_to_remainder"]):
    run("call", "--model", MODEL, "--input", t("sens.tfrecord.gz"), "--accepted", t("a.tsv"), "--remainder",
        t("r.tsv"), "--stats_json", t("s.json"), *flags)
    run("sweep", "--model", MODEL, "--input", t("sens.tfrecord.gz"), "--json", t("sweep.json"), *flags)
    c, sw = stats(t("s.json")), stats(t("sweep.json"))
    snp_t, indel_t = c["thresholds"]["snp_gq"], c["thresholds"]["indel_gq"]
    check((sw["snp"]["accepted"][snp_t], sw["indel"]["accepted"][indel_t]) == (c["accepted"]["snp"], c["accepted"]["indel"]),
          f"sweep {flags} at {snp_t}/{indel_t}: SNP {sw['snp']['accepted'][snp_t]} indel "
          f"{sw['indel']['accepted'][indel_t]} vs call {c['accepted']['snp']} / {c['accepted']['indel']}")
print(f"3. sweep == call on {c['rows']} rows under 4 flag sets")

# ---- 4. A malformed calls[0] is a data error ---------------------------------------------
payloads = tfpy.read_tfrecords(rows_tf)
example = tfpy.Example.FromString(payloads[3])
variant = tfpy.Variant.FromString(example.features.feature["variant/encoded"].bytes_list.value[0])
del variant.calls[:]
base = variant.SerializeToString()
bad_calls = {
    # An info entry whose key runs past the end of the entry (the CVO writer walks entries).
    "info entry": b"\x12\x04\x0a\x09DP" + b"\x4a\x07NA12878",
    # A Value inside an info ListValue runs past its end (the VCF writer reads DP/AD values).
    "info value": b"\x12\x0c\x0a\x02DP\x12\x06\x0a\x05\x38\x01\x38\x01" + b"\x4a\x07NA12878",
}
for what, call in bad_calls.items():
    bad = tfpy.Example()
    bad.CopyFrom(example)
    bad_variant = base + b"\x5a" + bytes([len(call)]) + call
    bad.features.feature["variant/encoded"].bytes_list.value[0] = bad_variant
    records = list(payloads)
    records[5] = bad.SerializeToString()
    d = t("malformed_" + what.replace(" ", "_"))
    os.makedirs(d)
    tfpy.write_tfrecords(os.path.join(d, "in.tfrecord.gz"), records)
    shutil.copy(sidecar, os.path.join(d, "in.tfrecord.gz.small_model_info.json"))
    for out in ("acc.tfrecord.gz", "acc.vcf.gz"):
        proc = run("call", "--model", MODEL, "--input", os.path.join(d, "in.tfrecord.gz"), "--accepted",
                   os.path.join(d, out), "--remainder", os.path.join(d, "rem.tfrecord.gz"),
                   "--small_model_snp_gq_threshold=0", "--small_model_indel_gq_threshold=0",
                   "--norealignment_sensitive_to_remainder", expect=1)
        check("in.tfrecord.gz: record 5: malformed protobuf" in proc.stderr,
              f"malformed {what} -> {out}: {proc.stderr.strip()}")
        check(files_in(d) == ["in.tfrecord.gz", "in.tfrecord.gz.small_model_info.json"],
              f"malformed {what} -> {out}: left {files_in(d)}")
print("4. a malformed calls[0] (info entry, info value): exit 1 naming record 5, nothing left, CVO and VCF outputs")

# ---- 5. The sample -----------------------------------------------------------------------
region = ["--regions", DV_REGION]
run("call", "--model", MODEL, "--reads", BAM, "--ref", FASTA, *region, "--accepted", t("na.vcf.gz"), "--remainder",
    t("r.tsv"), "--stats_json", t("s.json"))
vcf_sample = subprocess.run(["bcftools", "query", "-l", t("na.vcf.gz")], capture_output=True, text=True).stdout.split()
check(vcf_sample == ["NA12878"] and stats(t("s.json"))["sample_name"] == "NA12878",
      f"call --reads: VCF sample {vcf_sample}, stats {stats(t('s.json'))['sample_name']}")
run("call", "--model", MODEL, "--reads", BAM, "--ref", FASTA, *region, "--accepted", t("na.tfrecord.gz"),
    "--remainder", t("r.tsv"))
names = {c.variant.calls[0].call_set_name for c in map(tfpy.CallVariantsOutput.FromString,
                                                        tfpy.read_tfrecords(t("na.tfrecord.gz")))}
check(names == {"NA12878"}, f"call --reads CVO call_set_name {names}")
run("features", "--reads", BAM, "--ref", FASTA, *region, "--output", t("na_rows.tfrecord.gz"))
names = {tfpy.Variant.FromString(tfpy.Example.FromString(p).features.feature["variant/encoded"].bytes_list.value[0])
         .calls[0].call_set_name for p in tfpy.read_tfrecords(t("na_rows.tfrecord.gz"))}
check(names == {"NA12878"}, f"features: candidates' call_set_name {names}")
# Rows that carry candidates: their sample, unless --sample_name replaces it.
for flag, want in (([], "NA12878"), (["--sample_name", "OTHER"], "OTHER")):
    run("call", "--model", MODEL, "--input", t("na_rows.tfrecord.gz"), "--accepted", t("rows_acc.tfrecord.gz"),
        "--remainder", t("r.tsv"), *flag)
    names = {c.variant.calls[0].call_set_name for c in map(tfpy.CallVariantsOutput.FromString,
                                                            tfpy.read_tfrecords(t("rows_acc.tfrecord.gz")))}
    run("call", "--model", MODEL, "--input", t("na_rows.tfrecord.gz"), "--accepted", t("rows_acc.vcf"),
        "--remainder", t("r.tsv"), *flag)
    column = subprocess.run(["bcftools", "query", "-l", t("rows_acc.vcf")], capture_output=True, text=True).stdout.split()
    check(names == {want} and column == [want], f"--input rows {flag}: CVO names {names}, VCF column {column}")
run("features", "--reads", BAM, "--ref", FASTA, *region, "--output", t("x_rows.tfrecord.gz"), "--sample_name", "X")
names = {tfpy.Variant.FromString(tfpy.Example.FromString(p).features.feature["variant/encoded"].bytes_list.value[0])
         .calls[0].call_set_name for p in tfpy.read_tfrecords(t("x_rows.tfrecord.gz"))}
check(names == {"X"}, f"features --sample_name X: {names}")
print("5. sample: NA12878 from @RG SM in the VCF column, CVOs and rows; --sample_name replaces it")

# ---- 6. Whole candidates -----------------------------------------------------------------
for flags in ([], ["--norealignment_sensitive_to_remainder"]):
    run("call", "--model", MODEL, "--input", t("sens.tfrecord.gz"), "--accepted", t("w_acc.tfrecord.gz"),
        "--remainder", t("w_rem.tfrecord.gz"), "--stats_json", t("s.json"), *flags)
    cvos = [tfpy.CallVariantsOutput.FromString(b) for b in tfpy.read_tfrecords(t("w_acc.tfrecord.gz"))]
    accepted = {}
    for c in cvos:
        key = (c.variant.reference_name, c.variant.start, c.variant.reference_bases)
        accepted.setdefault(key, []).append((len(c.variant.alternate_bases), tuple(c.alt_allele_indices.indices)))
    remainder_keys = set()
    for p in tfpy.read_tfrecords(t("w_rem.tfrecord.gz")):
        ids = tfpy.Example.FromString(p).features.feature["ids/encoded"].bytes_list.value
        remainder_keys.add((ids[0].decode(), int(ids[1]), ids[3].decode()))
    split = sorted(set(accepted) & remainder_keys)
    check(not split, f"{flags}: {len(split)} candidates split between accepted and remainder: {split[:5]}")
    multi = 0
    for key, subsets in accepted.items():
        k = subsets[0][0]
        want = sorted([(i,) for i in range(k)] + [(i, j) for i in range(k) for j in range(i + 1, k)])
        check(sorted(s for _, s in subsets) == want, f"{key}: accepted subsets {sorted(s for _, s in subsets)}")
        multi += k > 1
    check(multi > 50, f"multi-allelic candidates accepted: {multi}")
    s = stats(t("s.json"))
    print(f"6. whole candidates {flags}: {len(accepted)} accepted ({multi} multi-allelic, every subset), none split; "
          f"{s['remainder']['other_subset_rejected']} rows to the remainder with a rejected sibling subset")

shutil.rmtree(TMP)
sys.exit(check.report())
