#!/usr/bin/python3
"""The realigner on real data (../shared/fixtures/reads), checked against DeepVariant's own
outputs and GIAB:
  1. DeepVariant 1.9.0's golden VCF (dv-testdata/golden.postprocess_single_site_output.vcf) on
     NA12878_S1.chr20.10_10p1mb.bam, chr20:10,000,000-10,010,000: every golden site is a
     candidate (its alleles among the candidate's, as postprocess_variants prunes a
     multi-allelic site) with DeepVariant's DP and AD, decoded from the features TFRecord with
     python3-protobuf; --norealign_reads, for comparison, misses some (reported);
  2. the CRAM gives the same rows as the BAM with the realigner on; --realign_threads 1/2/3
     give the same rows, stats and calls, and report a truncated BAM the same way;
  3. `call --reads` on NA12878_S1.chr20.10_10p1mb.bam (the whole 100 kb) against GIAB in its confident regions, realigner
     on and off: correct / wrong / accepted;
  4. PacBio HiFi (test_pacbio.chr20_100kbp_at_9mb.bam) with DeepVariant's PacBio flags: no
     realignment, no guard, memory flat (whole 100 kb vs 10 kb).
Exit 77 (skipped) when the fixtures are absent.

Usage: realigner_check.py SMALLCALL_BINARY SOURCE_DIR
"""
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile

from real_reads import Fixtures, confident_regions, read_tsv, reads_dir, vcf_records

BIN, SRC = sys.argv[1], sys.argv[2]
READS = reads_dir(SRC, "realigner checks")

import tfpy  # noqa: E402
from pyref import Checks  # noqa: E402

check = Checks()
TMP = tempfile.mkdtemp(prefix="smallcall_realigner_")
MODEL = os.path.join(SRC, "data", "model.json")
F = Fixtures(READS)
DV = os.path.join(READS, "dv-testdata")
S1_BAM = os.path.join(DV, "NA12878_S1.chr20.10_10p1mb.bam")
S1_CRAM = os.path.join(DV, "NA12878_S1.chr20.10_10p1mb.cram")
S1_FASTA = os.path.join(DV, "ucsc.hg19.chr20.unittest.fasta.gz")
S1_GOLDEN = os.path.join(DV, "golden.postprocess_single_site_output.vcf")
PACBIO_BAM = os.path.join(DV, "test_pacbio.chr20_100kbp_at_9mb.bam")
PACBIO_FASTA = os.path.join(DV, "grch38.chr20_and_21_10M.fa.gz")
REGION = "chr20:10,000,000-10,010,000"


def run(cmd, *args, expect=0):
    """Runs smallcall; returns (process, peak RSS in KiB)."""
    proc = subprocess.Popen([BIN, cmd, "--quiet"] + [str(a) for a in args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    out, err = proc.communicate()
    check(proc.returncode == expect, f"{cmd} {args}: exit {proc.returncode} (wanted {expect}): {err.strip()}")
    return out, err


def peak_rss_kib(cmd, *args):
    proc = subprocess.Popen([BIN, cmd, "--quiet"] + [str(a) for a in args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode()
    proc.stderr.close()
    check(proc.returncode == 0, f"{cmd} {args}: exit {proc.returncode}: {err.strip()}")
    return usage.ru_maxrss


def candidates(*args):
    """The features TFRecord's candidates: start (1-based) -> (ref, alts, DP, AD)."""
    path = os.path.join(TMP, "candidates.tfrecord.gz")
    run("features", "--output", path, *args)
    out = {}
    for payload in tfpy.read_tfrecords(path):
        ex = tfpy.Example.FromString(payload)
        v = tfpy.Variant.FromString(ex.features.feature["variant/encoded"].bytes_list.value[0])
        info = v.calls[0].info
        out[v.start + 1] = (v.reference_bases, list(v.alternate_bases), info["DP"].values[0].int_value,
                            [x.int_value for x in info["AD"].values])
    os.remove(path)
    return out


def simplify(ref, alts):
    """Trims the bases every allele shares at its end, keeping one (VCF's allele simplification,
    as postprocess_variants applies it after pruning alternate alleles)."""
    while len(ref) > 1 and all(len(a) > 1 for a in alts) and all(a[-1] == ref[-1] for a in alts):
        ref, alts = ref[:-1], [a[:-1] for a in alts]
    return ref, alts


def matches_golden(cand, golden_ref, golden_alts, golden_dp, golden_ad):
    """Whether a candidate carries the golden record: some subset of its alts, simplified, is
    the golden record's alleles, with the golden DP and AD (the reference's and those alts')."""
    ref, alts, dp, ad = cand
    for n in range(1, len(alts) + 1):
        for subset in itertools.combinations(range(len(alts)), n):
            r, a = simplify(ref, [alts[i] for i in subset])
            if r != golden_ref or sorted(a) != sorted(golden_alts):
                continue
            ad_by_alt = {a[j]: ad[1 + subset[j]] for j in range(len(subset))}
            return dp == golden_dp and [ad[0]] + [ad_by_alt[g] for g in golden_alts] == golden_ad
    return False


# ---- 1. DeepVariant 1.9.0's golden sites, DP and AD ----------------------------------------
golden = {}
for f in vcf_records(S1_GOLDEN):
    fmt = dict(zip(f[8].split(":"), f[9].split(":")))
    golden[int(f[1])] = (f[3], f[4].split(","), int(fmt["DP"]), [int(x) for x in fmt["AD"].split(",")])
check(len(golden) == 78, f"the golden VCF has 78 records ({len(golden)})")
results = {}
for label, flags in (("realigned", []), ("as aligned (--norealign_reads)", ["--norealign_reads"])):
    ours = candidates("--reads", S1_BAM, "--ref", S1_FASTA, "--regions", REGION, *flags)
    same = [p for p, g in golden.items() if p in ours and matches_golden(ours[p], *g)]
    results[label] = (same, ours)
    print(f"DeepVariant 1.9.0 golden sites with DP and AD equal, reads {label}: {len(same)} of {len(golden)}")
same, ours = results["realigned"]
for p in sorted(golden):
    if p not in same:
        print(f"  {p}: golden {golden[p]} | smallcall {ours.get(p, 'not a candidate')}")
check(len(same) == len(golden), f"realigned: every golden site a candidate with DP/AD equal ({len(same)} of 78)")
norealign_same, norealign_ours = results["as aligned (--norealign_reads)"]
differ = sorted(set(golden) - set(norealign_same))
print(f"  without the realigner these differ: {differ}")
# Reads as aligned do not give DeepVariant's counts here: the realigner is what makes them equal.
check(len(norealign_same) < len(golden), "--norealign_reads does not reproduce DeepVariant's realigned counts")

# ---- 2. CRAM == BAM with the realigner ----------------------------------------------------------
bam_rows = os.path.join(TMP, "bam.tsv")
cram_rows = os.path.join(TMP, "cram.tsv")
run("features", "--reads", S1_BAM, "--ref", S1_FASTA, "--regions", REGION, "--output", bam_rows)
run("features", "--reads", S1_CRAM, "--ref", S1_FASTA, "--regions", REGION, "--output", cram_rows)
a, b = read_tsv(bam_rows)[0], read_tsv(cram_rows)[0]
check(a == b and len(a) >= 78, f"CRAM rows == BAM rows with the realigner ({len(b)} vs {len(a)})")


# ---- 2b. --realign_threads: the same rows, stats and calls for every value ------------------------
def stats_without_timing(path):
    with open(path) as fh:
        st = json.load(fh)
    for key in ("seconds", "output_path"):
        st.pop(key, None)
    return st


by_threads = {}
for threads in (1, 2, 3):
    rows_path, stats_path = os.path.join(TMP, f"t{threads}.tsv"), os.path.join(TMP, f"t{threads}.json")
    run("features", "--reads", S1_BAM, "--ref", S1_FASTA, "--output", rows_path, "--stats_json", stats_path,
        "--realign_threads", threads)
    with open(rows_path) as fh:
        by_threads[threads] = (fh.read(), stats_without_timing(stats_path))
check(by_threads[1][0] == by_threads[2][0] == by_threads[3][0] and len(by_threads[1][0].splitlines()) > 300,
      "--realign_threads 1, 2, 3: identical rows on the whole 100 kb BAM")
check(by_threads[1][1] == by_threads[2][1] == by_threads[3][1], f"--realign_threads: identical stats {by_threads[2][1]}")
for threads in (1, 3):
    run("call", "--model", MODEL, "--reads", S1_BAM, "--ref", S1_FASTA, "--regions", "chr20:10,000,000-10,050,000",
        "--accepted", os.path.join(TMP, f"ca{threads}.tsv"), "--remainder", os.path.join(TMP, f"cr{threads}.tsv"),
        "--realign_threads", threads)
check(read_tsv(os.path.join(TMP, "ca1.tsv"))[0] == read_tsv(os.path.join(TMP, "ca3.tsv"))[0] and
      read_tsv(os.path.join(TMP, "cr1.tsv"))[0] == read_tsv(os.path.join(TMP, "cr3.tsv"))[0],
      "call --reads: the same accepted calls and remainder with 3 realignment threads")
# A read the BAM cannot give (truncated file) is reported whatever the threads; nothing left.
truncated = os.path.join(TMP, "truncated.bam")
with open(S1_BAM, "rb") as src, open(truncated, "wb") as dst:
    data = src.read()
    dst.write(data[: len(data) // 2])
shutil.copy(S1_BAM + ".bai", truncated + ".bai")
for threads in (1, 3):
    _, err = run("features", "--reads", truncated, "--ref", S1_FASTA, "--output", os.path.join(TMP, "trunc.tsv"),
                 "--realign_threads", threads, expect=1)
    check("truncated.bam" in err, f"--realign_threads {threads}: a truncated BAM is named: {err.strip()}")
    check(not os.path.exists(os.path.join(TMP, "trunc.tsv")), "nothing left after the error")
_, err = run("features", "--reads", S1_BAM, "--ref", S1_FASTA, "--output", os.path.join(TMP, "x.tsv"),
             "--realign_threads", 0, expect=2)
check("--realign_threads" in err, f"--realign_threads 0 is a usage error: {err.strip()}")

# ---- 3. call --reads on the 100 kb BAM against GIAB ----------------------------------------------
confident = confident_regions(F.CONFIDENT, "chr20")


truth = {}
for f in vcf_records(F.TRUTH):
    for alt in f[4].split(","):
        truth[(int(f[1]), f[3], alt)] = f[9].split(":")[0].replace("|", "/")


def end_to_end(label, flags):
    acc_path, rem_path = os.path.join(TMP, "acc.tsv"), os.path.join(TMP, "rem.tsv")
    stats_path = os.path.join(TMP, "stats.json")
    run("call", "--model", MODEL, "--reads", S1_BAM, "--ref", S1_FASTA, "--accepted", acc_path, "--remainder",
        rem_path, "--stats_json", stats_path, *flags)
    acc, rem = read_tsv(acc_path)[0], read_tsv(rem_path)[0]
    judged, correct, wrong = 0, 0, []
    for r in acc:
        pos = int(r["start"]) + 1
        if not confident(pos):
            continue
        judged += 1
        want = truth.get((pos, r["ref"], r["alt"]), "0/0")
        want = {"1/0": "0/1"}.get(want, want)
        if r["gt"] == want:
            correct += 1
        else:
            wrong.append((pos, r["ref"], r["alt"], r["gt"], want))
    guarded = sum(1 for r in rem if r.get("realignment_sensitive") == "1")
    rows = len(acc) + len(rem)
    print(f"call --reads {os.path.basename(S1_BAM)}, {label}: {len(acc)} of {rows} rows accepted "
          f"({100.0 * len(acc) / max(1, rows):.1f}%), {judged} in GIAB's confident regions: {correct} correct, "
          f"{len(wrong)} wrong; {guarded} rows kept back as realignment-sensitive")
    for w in wrong:
        print(f"    wrong: {w}")
    with open(stats_path) as fh:
        return acc, rem, wrong, guarded, json.load(fh)


acc_on, rem_on, wrong_on, guarded_on, stats_on = end_to_end("realigner on", [])
acc_off, rem_off, wrong_off, guarded_off, _ = end_to_end("--norealign_reads", ["--norealign_reads"])
check(not wrong_on, f"realigner on: no accepted call contradicts GIAB in its confident regions: {wrong_on}")
check(guarded_off == 0, "--norealign_reads: no row is kept back by the guard (the rows are DeepVariant's)")
check(len(acc_on) > 0 and len(acc_off) > 0, "both runs accept calls")

# ---- 4. PacBio HiFi with DeepVariant's PacBio flags --------------------------------------------
PACBIO_FLAGS = ["--norealign_reads", "--partition_size", "25000", "--max_reads_per_partition", "600",
                "--min_mapping_quality", "1"]
pb_rows, pb_stats = os.path.join(TMP, "pb.tsv"), os.path.join(TMP, "pb.json")
run("features", "--reads", PACBIO_BAM, "--ref", PACBIO_FASTA, "--regions", "chr20:9,000,000-9,100,000",
    "--output", pb_rows, "--stats_json", pb_stats, *PACBIO_FLAGS)
rows = read_tsv(pb_rows)[0]
with open(pb_stats) as fh:
    stats = json.load(fh)
check(len(rows) > 0, f"PacBio: rows computed ({len(rows)})")
check(all(r["realignment_sensitive"] == "0" for r in rows), "PacBio: no row is realignment-sensitive")
check(stats["realigner"]["windows"] == 0 and stats["realigner"]["reads_realigned"] == 0,
      f"PacBio: the realigner does not run ({stats['realigner']})")
small = peak_rss_kib("features", "--reads", PACBIO_BAM, "--ref", PACBIO_FASTA, "--regions", "chr20:9,000,000-9,010,000",
                     "--output", os.path.join(TMP, "pb_small.tsv"), *PACBIO_FLAGS)
whole = peak_rss_kib("features", "--reads", PACBIO_BAM, "--ref", PACBIO_FASTA, "--output",
                     os.path.join(TMP, "pb_whole.tsv"), *PACBIO_FLAGS)
print(f"PacBio HiFi: {len(rows)} rows on 100 kb, {stats['reads_used']} reads used; peak RSS {small // 1024} MiB on "
      f"10 kb, {whole // 1024} MiB on the whole file")
check(whole <= small * 1.5 + 8 * 1024, f"PacBio: memory flat (whole file {whole} KiB vs 10 kb {small} KiB)")
# The same reads with the realigner on (short-read defaults): reads longer than
# --max_read_length_to_realign never enter it.
run("features", "--reads", PACBIO_BAM, "--ref", PACBIO_FASTA, "--regions", "chr20:9,000,000-9,020,000",
    "--output", pb_rows, "--stats_json", pb_stats, "--partition_size", "25000", "--max_reads_per_partition", "600",
    "--min_mapping_quality", "1")
with open(pb_stats) as fh:
    stats = json.load(fh)
check(stats["realigner"]["windows"] == 0, f"PacBio, realigner on: 15 kb reads are not realigned ({stats['realigner']})")

shutil.rmtree(TMP)
sys.exit(check.report())
