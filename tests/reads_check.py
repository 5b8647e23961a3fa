#!/usr/bin/python3
"""Rows from reads on real data (../shared/fixtures/reads), checked against independent
references:
  1. DeepVariant 1.6.1's golden calls: the candidate set on chr20:10,000,000-10,002,000 and
     DP/AD per site (decoded from the features TFRecord with python3-protobuf);
  2. tests/reads_reference.py (pysam + numpy, written from the spec): every row's 70
     features, ids, region, DP/AD and realignment flag, on both data sets and under
     non-default flags (no ref tracking, window 21, small partitions, reservoir sampling);
  3. CRAM input gives the same rows as BAM;
  4. freebayes-tiny: which GIAB truth variants become candidates;
  5. end to end with the shipped default model: where every GIAB truth variant and every
     truth-negative candidate ended; no accepted call may contradict GIAB;
  6. bad input: missing index, contig mismatch, bad regions, wrong CRAM reference;
  7. @N sharding over partitions, and `call --reads` == `features` then `call --input`.
Exit 77 (skipped) when the fixtures are absent.

Usage: reads_check.py SMALLCALL_BINARY SOURCE_DIR
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

from real_reads import Fixtures, confident_regions, read_tsv, reads_dir, vcf_records

BIN, SRC = sys.argv[1], sys.argv[2]
READS = reads_dir(SRC, "reads checks")

import reads_reference  # noqa: E402
import tfpy  # noqa: E402
from pyref import Checks  # noqa: E402

check = Checks()
TMP = tempfile.mkdtemp(prefix="smallcall_reads_")
MODEL = os.path.join(SRC, "data", "model.json")
F = Fixtures(READS)
BAM, FASTA, GOLDEN, TRUTH, CONFIDENT = F.BAM, F.FASTA, F.GOLDEN, F.TRUTH, F.CONFIDENT
TINY = os.path.dirname(F.TINY_BAM)
TINY_BAM, TINY_FASTA, TINY_TRUTH, DV_REGION = F.TINY_BAM, F.TINY_FASTA, F.TINY_TRUTH, F.DV_REGION


def run(cmd, *args, expect=0):
    proc = subprocess.run([BIN, cmd, "--quiet"] + [str(a) for a in args], capture_output=True, text=True)
    check(proc.returncode == expect, f"{cmd} {args}: exit {proc.returncode} (wanted {expect}): {proc.stderr.strip()}")
    return proc


def feature_rows(*args, out="rows.tsv"):
    path = os.path.join(TMP, out)
    run("features", "--output", path, *args)
    return read_tsv(path)


# ---- 1. DeepVariant's golden candidates, DP and AD ----------------------------------------
golden = {}
for f in vcf_records(GOLDEN):
    fmt = dict(zip(f[8].split(":"), f[9].split(":")))
    golden[(int(f[1]), f[3], f[4])] = (int(fmt["DP"]), [int(x) for x in fmt["AD"].split(",")])
tf_path = os.path.join(TMP, "golden.tfrecord.gz")
run("features", "--reads", BAM, "--ref", FASTA, "--regions", DV_REGION, "--output", tf_path)
ours = {}
for payload in tfpy.read_tfrecords(tf_path):
    ex = tfpy.Example.FromString(payload)
    feat = ex.features.feature
    v = tfpy.Variant.FromString(feat["variant/encoded"].bytes_list.value[0])
    info = v.calls[0].info
    ours[(v.start + 1, v.reference_bases, ",".join(v.alternate_bases))] = (
        info["DP"].values[0].int_value, [x.int_value for x in info["AD"].values])
    check(v.calls[0].genotype == [-1, -1], "candidate genotype is [-1, -1]")
    check(abs(info["VAF"].values[0].number_value - info["AD"].values[1].int_value / info["DP"].values[0].int_value)
          < 1e-12, "VAF = AD/DP")
window = {k: v for k, v in ours.items() if k[0] <= 10002000}
check(set(window) == set(golden), f"candidate set == DeepVariant golden: extra {sorted(set(window) - set(golden))}, "
                                  f"missing {sorted(set(golden) - set(window))}")
print("DeepVariant 1.6.1 golden sites (DP, AD) vs smallcall features (reads realigned):")
matches, differ = 0, []
for k in sorted(golden):
    same = window.get(k) == golden[k]
    matches += same
    if not same:
        differ.append(k[0])
    print(f"  {k[0]} {k[1]}>{k[2]}: DV DP {golden[k][0]} AD {golden[k][1]} | smallcall "
          f"{window.get(k, ('-', '-'))[0]} {window.get(k, ('-', '-'))[1]} {'==' if same else '!='}")
print(f"  DP and AD equal at {matches} of {len(golden)} sites; differ at {differ}")
check(matches == len(golden) and not differ, f"DP/AD equal at every golden site (got {matches}, differ at {differ})")


# ---- 2. every row against the independent pysam reference ---------------------------------
def compare_with_reference(label, bam, fasta, intervals, flags, **ref_kwargs):
    # The reference counts reads as aligned: what --norealign_reads computes (the realigner is
    # checked against DeepVariant's own outputs, realigner_check.py and test_realigner.cpp).
    rows, head = feature_rows("--reads", bam, "--ref", fasta, "--norealign_reads", *flags, out=f"ref_{label}.tsv")
    names = head[head.index("ad") + 1:]  # after the ids, region, flag and candidate columns
    expected = reads_reference.rows(bam, fasta, intervals, **ref_kwargs)
    check(len(rows) == len(expected), f"{label}: {len(rows)} rows, reference {len(expected)}")
    bad = 0
    for got, exp in zip(rows, expected):
        ident = (got["contig"], int(got["start"]), int(got["end"]), got["ref"], got["alt"], got["region"],
                 int(got["realignment_sensitive"]))
        want = (exp["contig"], exp["start"], exp["end"], exp["ref"], exp["alt"], exp["region"],
                exp["realignment_sensitive"])
        values = [int(got[n]) for n in names]
        ok = check(ident == want and values == exp["features"],
                   f"{label}: row {want[:5]} differs:\n  got  {ident} {values}\n  want {want} {exp['features']}")
        bad += not ok
    print(f"reference {label}: {len(rows)} rows x {len(names)} features compared, {bad} differ")
    return rows, expected


DV_INTERVAL = [("chr20", 9999999, 10010000)]
compare_with_reference("chr20_dv_region", BAM, FASTA, DV_INTERVAL, ["--regions", DV_REGION])
tiny_len = int(open(TINY_FASTA + ".fai").read().split("\t")[1])
compare_with_reference("tiny_default", TINY_BAM, TINY_FASTA, [("q", 0, tiny_len)], [])
compare_with_reference("chr20_no_track_w21_p300", BAM, FASTA, DV_INTERVAL,
                       ["--regions", DV_REGION, "--notrack_ref_reads", "--small_model_vaf_context_window_size", "21",
                        "--partition_size", "300"], track_ref_reads=False, window=21, partition_size=300)
compare_with_reference("tiny_reservoir_bq20", TINY_BAM, TINY_FASTA, [("q", 0, tiny_len)],
                       ["--max_reads_per_partition", "40", "--min_base_quality", "20", "--vsc_min_fraction_snps",
                        "0.3"],
                       max_reads=40, min_bq=20, options=dict(min_fraction_snps=0.3))
compare_with_reference("chr20_two_regions_mapq20", BAM, FASTA, [("chr20", 9999499, 10000500), ("chr20", 10001200, 10002100)],
                       ["--regions", "chr20:9,999,500-10,000,500 chr20:10001201-10002100", "--min_mapping_quality", "20"],
                       min_mapq=20)
compare_with_reference("chr20_keep_all_min_count_3", BAM, FASTA, DV_INTERVAL,
                       ["--regions", DV_REGION, "--keep_duplicates", "--keep_secondary_alignments=true",
                        "--keep_supplementary_alignments", "--vsc_min_count_snps", "3", "--vsc_min_count_indels", "1",
                        "--vsc_min_fraction_indels", "0.02", "--min_mapping_quality", "0"],
                       keep=(True, True, True), min_mapq=0,
                       options=dict(min_count_snps=3, min_count_indels=1, min_fraction_indels=0.02))

rows_multi, _ = compare_with_reference(
    "tiny_sensitive_multiallelic", TINY_BAM, TINY_FASTA, [("q", 0, tiny_len)],
    ["--vsc_min_count_snps", "1", "--vsc_min_fraction_snps", "0.01", "--vsc_min_count_indels", "1",
     "--vsc_min_fraction_indels", "0.01", "--min_base_quality", "0"],
    min_bq=0, options=dict(min_count_snps=1, min_fraction_snps=0.01, min_count_indels=1, min_fraction_indels=0.01))
check(sum("|" in r["alt"] for r in rows_multi) >= 10, "the sensitive setting compares multi-allelic pair rows")

# DP/AD of every candidate against the reference too (the TFRecord carries the candidate), on
# the reads as aligned (the reference has no realigner).
ours_as_aligned = {}
run("features", "--reads", BAM, "--ref", FASTA, "--regions", DV_REGION, "--norealign_reads", "--output", tf_path)
for payload in tfpy.read_tfrecords(tf_path):
    v = tfpy.Variant.FromString(tfpy.Example.FromString(payload).features.feature["variant/encoded"].bytes_list.value[0])
    info = v.calls[0].info
    ours_as_aligned[(v.start + 1, v.reference_bases, ",".join(v.alternate_bases))] = (
        info["DP"].values[0].int_value, [x.int_value for x in info["AD"].values])
ref_rows = reads_reference.rows(BAM, FASTA, DV_INTERVAL)
for r in ref_rows:
    key = (r["start"] + 1, r["ref"], ",".join(r["alts"]))
    check(ours_as_aligned.get(key) == (r["dp"], r["ad"]),
          f"DP/AD at {key}: {ours_as_aligned.get(key)} vs reference {(r['dp'], r['ad'])}")

# ---- 3. CRAM == BAM -------------------------------------------------------------------------
if shutil.which("samtools"):
    for label, bam, fasta, flags in (("chr20", BAM, FASTA, ["--regions", DV_REGION]), ("tiny", TINY_BAM, TINY_FASTA, [])):
        cram = os.path.join(TMP, f"{label}.cram")
        subprocess.run(["samtools", "view", "-C", "-T", fasta, "-o", cram, bam], check=True, stderr=subprocess.DEVNULL)
        subprocess.run(["samtools", "index", cram], check=True)
        a, _ = feature_rows("--reads", bam, "--ref", fasta, *flags, out=f"{label}_bam.tsv")
        b, _ = feature_rows("--reads", cram, "--ref", fasta, *flags, out=f"{label}_cram.tsv")
        check(a == b and len(a) > 0, f"{label}: CRAM rows == BAM rows ({len(b)} vs {len(a)})")
        outs = []
        for src in (bam, cram):
            acc = os.path.join(TMP, f"{label}_{os.path.basename(src)}_acc.tsv")
            run("call", "--model", MODEL, "--reads", src, "--ref", fasta, *flags, "--accepted", acc, "--remainder",
                os.path.join(TMP, f"{label}_{os.path.basename(src)}_rem.tsv"))
            outs.append(open(acc).read())
        check(outs[0] == outs[1] and outs[0].count("\n") > 1, f"{label}: call --reads on CRAM == on BAM")
else:
    check(False, "samtools is needed to make the CRAM test files (scripts/deps.sh installs it)")

# ---- 4. freebayes-tiny: GIAB truth variants as candidates -----------------------------------
stats_path = os.path.join(TMP, "features_stats.json")
tiny_rows, _ = feature_rows("--reads", TINY_BAM, "--ref", TINY_FASTA, "--stats_json", stats_path, out="tiny.tsv")
stats = json.load(open(stats_path))
check(stats["rows"] == len(tiny_rows) and stats["candidates"] == len({r["start"] for r in tiny_rows}) and
      stats["realignment_sensitive_candidates"] == len({r["start"] for r in tiny_rows if r["realignment_sensitive"] == "1"})
      and stats["reads_used"] + stats["reads_filtered"] == stats["reads_seen"] and stats["partitions"] == 13,
      f"features stats JSON consistent with its rows: {stats}")
tiny_cands = {(int(r["start"]) + 1, r["ref"]) : r for r in tiny_rows}
tiny_truth = [(f[0], int(f[1]), f[3], f[4], f[9].split(":")[0]) for f in vcf_records(TINY_TRUTH)]
found = [t for t in tiny_truth if any(r["start"] == str(t[1] - 1) and r["ref"] == t[2] and t[3] in r["alt"].split("|")
                                      for r in tiny_rows)]
print(f"freebayes-tiny: {len(found)} of {len(tiny_truth)} GIAB truth variants are candidates; "
      f"{len({(r['start'], r['ref']) for r in tiny_rows})} candidates in all")
for t in tiny_truth:
    if t not in found:
        print(f"  not a candidate: {t}")
check(len(found) == len(tiny_truth), "every freebayes-tiny truth variant is a candidate")


# ---- 5. end to end with the default model against GIAB --------------------------------------
confident_chr20 = confident_regions(CONFIDENT, "chr20")


def end_to_end(label, bam, fasta, truth, confident, flags, false_positives_allowed=False):
    acc_path, rem_path = os.path.join(TMP, f"{label}_acc.tsv"), os.path.join(TMP, f"{label}_rem.tsv")
    run("call", "--model", MODEL, "--reads", bam, "--ref", fasta, "--accepted", acc_path, "--remainder", rem_path,
        *flags)
    acc, _ = read_tsv(acc_path)
    rem, _ = read_tsv(rem_path)
    truth_at = {(t[1], t[2], t[3]): t[4].replace("|", "/") for t in truth}
    contradictions, table = [], []
    sites = {}
    for r in acc:
        sites.setdefault((int(r["start"]) + 1, r["ref"], r["alt"]), []).append(("accepted", r["gt"], f"score {float(r['gate_score']):.1f}"))
    for r in rem:
        sites.setdefault((int(r["start"]) + 1, r["ref"], r["alt"]), []).append(
            ("remainder", "realign" if r.get("realignment_sensitive") == "1" else "low GQ", ""))
    for key, where in sorted(sites.items()):
        truth_gt = truth_at.get(key, "0/0 (not in truth)")
        for kind, gt, gq in where:
            if kind == "accepted" and confident(key[0]):
                want = truth_at.get(key, "0/0")
                norm = {"1/0": "0/1"}.get(want, want)
                if gt != norm:
                    contradictions.append((key, gt, want))
        table.append((key, truth_gt, where))
    for t in truth:
        if (t[1], t[2], t[3]) not in sites:
            table.append(((t[1], t[2], t[3]), t[4], [("not a candidate", "", "")]))
    n_acc = len(acc)
    print(f"end to end, {label}: {len(acc) + len(rem)} rows, {n_acc} accepted "
          f"({100.0 * n_acc / max(1, len(acc) + len(rem)):.1f}%), {len(contradictions)} contradict GIAB")
    for key, truth_gt, where in sorted(table):
        print(f"  {key[0]:>9} {key[1]}>{key[2]:<8} truth {truth_gt:<20} -> " +
              ", ".join(f"{k} {g} {q}".strip() for k, g, q in where) + ("" if confident(key[0]) else "  (outside confident regions)"))
    if false_positives_allowed:
        # The shipped demo model (trained on simulated rows) may call a candidate GIAB does not
        # have; a truth variant called with another genotype is still a failure.
        wrong = [c for c in contradictions if c[2] != "0/0"]
        check(not wrong, f"{label}: truth variants called with the wrong genotype: {wrong}")
        print(f"  {label}: {len(contradictions) - len(wrong)} accepted candidates GIAB does not have: "
              f"{[c[0] for c in contradictions]}")
    else:
        check(not contradictions, f"{label}: accepted calls contradicting GIAB: {contradictions}")
    return acc, rem


chr20_truth = [(f[0], int(f[1]), f[3], f[4], f[9].split(":")[0]) for f in vcf_records(TRUTH) if int(f[1]) <= 10002000]
end_to_end("NA12878_small", BAM, FASTA, chr20_truth, confident_chr20, ["--regions", DV_REGION])
end_to_end("freebayes-tiny", TINY_BAM, TINY_FASTA, tiny_truth, lambda p: True, [], false_positives_allowed=True)

# ---- 6. bad input ---------------------------------------------------------------------------
noindex = os.path.join(TMP, "noindex.bam")
shutil.copy(BAM, noindex)
p = run("features", "--reads", noindex, "--ref", FASTA, "--output", os.path.join(TMP, "x.tsv"), expect=1)
check("no index" in p.stderr and "noindex.bam" in p.stderr, f"missing index message: {p.stderr}")
p = run("features", "--reads", BAM, "--ref", TINY_FASTA, "--output", os.path.join(TMP, "x.tsv"), expect=1)
check("share no contig" in p.stderr, f"contig mismatch message: {p.stderr}")
short_q = os.path.join(TMP, "short_q.fa")
with open(short_q, "w") as fh:
    fh.write(">q\n" + "ACGT" * 1000 + "\n")
subprocess.run(["samtools", "faidx", short_q], check=True)
p = run("features", "--reads", TINY_BAM, "--ref", short_q, "--output", os.path.join(TMP, "x.tsv"), expect=1)
check("q is 4000 bp in" in p.stderr and "12356 bp in" in p.stderr, f"contig length mismatch message: {p.stderr}")
p = run("features", "--reads", BAM, "--ref", FASTA, "--regions", "chr20:63000000-63100000", "--output",
        os.path.join(TMP, "x.tsv"), expect=2)
check("outside chr20 (length 63025520)" in p.stderr, f"region outside the contig: {p.stderr}")
p = run("features", "--reads", BAM, "--ref", FASTA, "--regions", "chr21:1-100", "--output", os.path.join(TMP, "x.tsv"),
        expect=2)
check("chr21" in p.stderr, f"unknown contig: {p.stderr}")
p = run("features", "--reads", BAM, "--ref", FASTA, "--regions", "chr20:100-50", "--output", os.path.join(TMP, "x.tsv"),
        expect=2)
# A FASTA whose contig q has the right name and length but other bases: CRAM decoding fails.
if shutil.which("samtools"):
    wrong = os.path.join(TMP, "wrong_q.fa")
    with open(wrong, "w") as fh:
        fh.write(">q\n" + "ACGT" * (tiny_len // 4) + "A" * (tiny_len % 4) + "\n")
    subprocess.run(["samtools", "faidx", wrong], check=True)
    p = run("features", "--reads", os.path.join(TMP, "tiny.cram"), "--ref", wrong, "--output",
            os.path.join(TMP, "x.tsv"), expect=1)
    check("CRAM" in p.stderr and "wrong_q.fa" in p.stderr, f"wrong CRAM reference message: {p.stderr}")
bed = os.path.join(TMP, "bad.bed")
with open(bed, "w") as fh:
    fh.write("chr20\t100\n")
p = run("features", "--reads", BAM, "--ref", FASTA, "--regions", bed, "--output", os.path.join(TMP, "x.tsv"), expect=1)
check("bad.bed:1" in p.stderr, f"malformed BED names file and line: {p.stderr}")
p = run("features", "--reads", os.path.join(TMP, "absent.bam"), "--ref", FASTA, "--output", os.path.join(TMP, "x.tsv"),
        expect=1)
check(not os.path.exists(os.path.join(TMP, "x.tsv")), "no output left under the final name after errors")
check(not [f for f in os.listdir(TMP) if f.startswith("x.tsv")], "no temporary output left after errors")
p = run("call", "--model", MODEL, "--reads", BAM, "--input", os.path.join(TMP, "tiny.tsv"), "--ref", FASTA,
        "--accepted", os.path.join(TMP, "a.tsv"), "--remainder", os.path.join(TMP, "r.tsv"), expect=2)

# BED regions == the same literal regions.
with open(os.path.join(TMP, "two.bed"), "w") as fh:
    fh.write("# comment\nchr20\t9999499\t10000500\nchr20\t10001200\t10002100\n")
a, _ = feature_rows("--reads", BAM, "--ref", FASTA, "--regions", os.path.join(TMP, "two.bed"), out="bed.tsv")
b, _ = feature_rows("--reads", BAM, "--ref", FASTA, "--regions", "chr20:9999500-10000500 chr20:10,001,201-10,002,100",
                    out="lit.tsv")
check(a == b and len(a) > 0, "BED regions == literal regions")

# ---- 7. sharding and the in-process path ----------------------------------------------------
whole, _ = feature_rows("--reads", BAM, "--ref", FASTA, "--regions", DV_REGION, "--partition_size", "200",
                        out="whole.tsv")
shards = []
for t in range(3):
    run("features", "--reads", BAM, "--ref", FASTA, "--regions", DV_REGION, "--partition_size", "200",
        "--task", t, "--output", os.path.join(TMP, "sh@3.tsv"))
    part_path = os.path.join(TMP, f"sh-0000{t}-of-00003.tsv")
    part, _ = read_tsv(part_path)
    for r in part:
        begin = int(r["region"].split(":")[1].split("-")[0]) - 1
        check((begin - 9999999) // 200 % 3 == t, f"partition {r['region']} belongs to task {t}")
    shards += part
key = lambda r: (int(r["start"]), r["alt"])  # noqa: E731
check(sorted(shards, key=key) == sorted(whole, key=key), "3 shards together == one run")

for fmt in ("tsv", "tfrecord.gz"):
    rows_path = os.path.join(TMP, f"two_step.{fmt}")
    run("features", "--reads", TINY_BAM, "--ref", TINY_FASTA, "--output", rows_path)
    run("call", "--model", MODEL, "--input", rows_path, "--accepted", os.path.join(TMP, f"two_step_acc_{fmt}.tsv"),
        "--remainder", os.path.join(TMP, f"two_step_rem_{fmt}.tsv"))
    with open(os.path.join(TMP, f"two_step_acc_{fmt}.tsv")) as a, open(os.path.join(TMP, "freebayes-tiny_acc.tsv")) as b:
        check(a.read() == b.read(), f"features ({fmt}) then call --input == call --reads (accepted)")
cvo = os.path.join(TMP, "acc.tfrecord")
run("call", "--model", MODEL, "--reads", TINY_BAM, "--ref", TINY_FASTA, "--accepted", cvo, "--remainder",
    os.path.join(TMP, "rem.tfrecord"), "--stats_json", os.path.join(TMP, "call_stats.json"))
call_stats = json.load(open(os.path.join(TMP, "call_stats.json")))
check(call_stats["reads"] == {k: v for k, v in stats.items() if k not in ("rows", "output_path", "seconds", "sample_name")},
      f"call --reads stats JSON reads block == features stats: {call_stats['reads']}")
check(call_stats["remainder"]["realignment_sensitive"] ==
      sum(1 for r in tiny_rows if r["realignment_sensitive"] == "1"), "remainder.realignment_sensitive counts rows")
# The CVOs of rows computed in-process (candidates encoded from structure) are byte for byte
# those of the same rows written by `features` and read back (candidates copied verbatim).
run("call", "--model", MODEL, "--input", os.path.join(TMP, "two_step.tfrecord.gz"), "--accepted",
    os.path.join(TMP, "two_step_acc.tfrecord"), "--remainder", os.path.join(TMP, "two_step_rem.tfrecord"))
check(tfpy.read_tfrecords(os.path.join(TMP, "two_step_acc.tfrecord")) == tfpy.read_tfrecords(cvo),
      "features then call --input == call --reads (CVO bytes)")
check(tfpy.read_tfrecords(os.path.join(TMP, "two_step_rem.tfrecord")) == tfpy.read_tfrecords(os.path.join(TMP, "rem.tfrecord")),
      "features then call --input == call --reads (remainder tf.Example bytes)")
for payload in tfpy.read_tfrecords(cvo):
    c = tfpy.CallVariantsOutput.FromString(payload)
    info = c.variant.calls[0].info
    check("DP" in info and "AD" in info and info["MID"].values[0].string_value == "small_model",
          "CVO from reads carries the candidate's DP/AD and MID")
for payload in tfpy.read_tfrecords(os.path.join(TMP, "rem.tfrecord")):
    ex = tfpy.Example.FromString(payload)
    check(len(ex.features.feature["features/encoded"].int64_list.value) == 70, "remainder Example has 70 features")

# VCF from reads: FORMAT DP/AD of each accepted record (read back with bcftools) equal the
# golden DP/AD (the realigner makes every site's counts DeepVariant's, the insertion at
# 10001436 included).
if shutil.which("bcftools"):
    vcf = os.path.join(TMP, "acc.vcf.gz")
    run("call", "--model", MODEL, "--reads", BAM, "--ref", FASTA, "--regions", DV_REGION, "--accepted", vcf,
        "--remainder", os.path.join(TMP, "rem.vcf.gz"), "--norealignment_sensitive_to_remainder")
    out = subprocess.run(["bcftools", "query", "-f", "%POS\t%REF\t%ALT[\t%DP\t%AD]\n", vcf], capture_output=True,
                         text=True, check=True).stdout.splitlines()
    check(len(out) >= 10, f"VCF from reads has the accepted records ({len(out)})")
    for line in out:
        pos, ref_b, alt, dp, ad = line.split("\t")
        g = golden.get((int(pos), ref_b, alt))
        if g:
            check((int(dp), [int(x) for x in ad.split(",")]) == g, f"VCF DP/AD at {pos}: {dp} {ad} vs golden {g}")

shutil.rmtree(TMP)
sys.exit(check.report())
