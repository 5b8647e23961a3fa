#!/usr/bin/python3
"""Scale check for rows from reads: writes a synthetic BAM (python3-pysam) over a random
reference, with het/hom SNPs and small indels, 150 bp reads at DEPTH x, plus one partition
piled to PILE reads, then measures `smallcall features` and `smallcall call --reads`
(seconds, reads/s, peak RSS from /usr/bin/time). Shows that memory follows
--max_reads_per_partition and the partition size, not the BAM size. Beside them, in the same
run: `samtools view -c` (the BAM decode floor) and `bcftools mpileup -B -a AD,DP` (a pileup
peer), each the median of REPEAT runs, with smallcall's time relative to mpileup's.

Usage: scripts/reads_bench.py BUILD_DIR/smallcall [MEGABASES=2] [DEPTH=30] [PILE=20000]
Environment: REPEAT (default 3) runs per row; SMALLCALL_BENCH_DIR keeps the synthetic data
there and reuses it when it exists (else a temporary directory, removed at the end);
SMALLCALL_BENCH_BAM and SMALLCALL_BENCH_REF measure that indexed BAM and its reference
instead (e.g. dv-testdata's NA12878_S1.chr20.10_10p1mb.bam: the whole file, no --regions).
"""
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

import pysam

BIN = sys.argv[1]
MB = float(sys.argv[2]) if len(sys.argv) > 2 else 2
DEPTH = int(sys.argv[3]) if len(sys.argv) > 3 else 30
PILE = int(sys.argv[4]) if len(sys.argv) > 4 else 20000
SRC = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPEAT = int(os.environ.get("REPEAT", "3"))
REAL_BAM, REAL_REF = os.environ.get("SMALLCALL_BENCH_BAM"), os.environ.get("SMALLCALL_BENCH_REF")
if REAL_BAM:
    MB = 0.01  # the synthetic data below is then a stub nothing reads
rng = random.Random(11)
KEEP = os.environ.get("SMALLCALL_BENCH_DIR")
tmp = KEEP or tempfile.mkdtemp(prefix="smallcall_reads_bench_")
os.makedirs(tmp, exist_ok=True)
length = int(MB * 1e6)
ref = "".join(rng.choice("ACGT") for _ in range(length))
with open(os.path.join(tmp, "ref.fa"), "w") as fh:
    fh.write(">sim\n" + "\n".join(ref[i:i + 60] for i in range(0, length, 60)) + "\n")
pysam.faidx(os.path.join(tmp, "ref.fa"))

# Two haplotypes: variants every ~1 kb (SNPs, 1-3 bp insertions and deletions).
variants = {}
pos = 500
while pos < length - 500:
    kind = rng.random()
    hap = rng.choice([(1, 0), (0, 1), (1, 1)])
    if kind < 0.8:
        variants[pos] = ("snp", rng.choice([b for b in "ACGT" if b != ref[pos]]), hap)
    elif kind < 0.9:
        variants[pos] = ("ins", "".join(rng.choice("ACGT") for _ in range(rng.randint(1, 3))), hap)
    else:
        variants[pos] = ("del", rng.randint(1, 3), hap)
    pos += rng.randint(300, 1700)


def read_at(start, hap, n=150):
    """Sequence and CIGAR of a read from haplotype `hap` starting at reference `start`."""
    seq, cigar, p = [], [], start
    while len(seq) < n and p < length:
        v = variants.get(p)
        if v and v[2][hap]:
            if v[0] == "snp":
                seq.append(v[1]); cigar.append((0, 1)); p += 1; continue
            if v[0] == "ins" and len(seq) + 1 + len(v[1]) <= n and seq:
                seq.append(ref[p]); cigar.append((0, 1)); seq.extend(v[1]); cigar.append((1, len(v[1]))); p += 1
                continue
            if v[0] == "del" and seq and p + 1 + v[1] < length:
                seq.append(ref[p]); cigar.append((0, 1)); cigar.append((2, v[1])); p += 1 + v[1]; continue
        seq.append(ref[p]); cigar.append((0, 1)); p += 1
    merged = []
    for op, k in cigar:
        if merged and merged[-1][0] == op:
            merged[-1] = (op, merged[-1][1] + k)
        else:
            merged.append((op, k))
    while merged and merged[-1][0] != 0:
        merged.pop()
    q = sum(k for op, k in merged if op in (0, 1))
    return "".join(seq)[:q], merged


header = {"HD": {"VN": "1.6", "SO": "coordinate"}, "SQ": [{"SN": "sim", "LN": length}]}
bam_path = os.path.join(tmp, "reads.bam")
starts = sorted(rng.randrange(0, length - 200) for _ in range(int(length * DEPTH / 150)))
pile_at = length // 2
starts = sorted(starts + [pile_at + rng.randrange(0, 300) for _ in range(PILE)])


def write_bam():
    with pysam.AlignmentFile(bam_path + ".unsorted", "wb", header=header) as out:
        for i, s in enumerate(starts):
            seq, cigar = read_at(s, rng.randrange(2))
            for k in range(len(seq) // 100):  # sequencing errors, ~1 %
                j = rng.randrange(len(seq))
                seq = seq[:j] + rng.choice("ACGT") + seq[j + 1:]
            a = pysam.AlignedSegment()
            a.query_name = f"r{i}"
            a.flag = 16 if rng.random() < 0.5 else 0
            a.reference_id, a.reference_start, a.mapping_quality = 0, s, 60
            a.cigartuples = cigar
            a.query_sequence = seq
            a.query_qualities = pysam.qualitystring_to_array("".join(chr(33 + rng.randint(20, 40)) for _ in seq))
            out.write(a)
    pysam.sort("-o", bam_path, bam_path + ".unsorted")
    pysam.index(bam_path)
    os.remove(bam_path + ".unsorted")


if REAL_BAM:
    bam_path = REAL_BAM
    n_reads = int(subprocess.run(["samtools", "view", "-c", bam_path], capture_output=True, text=True,
                                 check=True).stdout)
else:
    if not os.path.exists(bam_path + ".bai"):  # SMALLCALL_BENCH_DIR reuses the same data
        write_bam()
    n_reads = len(starts)


def measure(args, tool=None):
    """Median wall seconds of REPEAT runs, the largest peak RSS, smallcall's summary line."""
    times, rss, line = [], 0, ""
    for _ in range(REPEAT):
        proc = subprocess.run(["/usr/bin/time", "-v"] + (tool or [BIN]) + args, capture_output=True, text=True)
        if proc.returncode != 0:
            sys.exit(proc.stderr)
        m = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?([\d.]+)", proc.stderr)
        times.append(60 * int(m.group(1) or 0) + float(m.group(2)))
        rss = max(rss, int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr).group(1)))
        line = proc.stderr.splitlines()[0] if tool is None else ""
    return statistics.median(times), rss, line


if REAL_BAM:
    print(f"{REAL_BAM}: {n_reads} reads")
else:
    print(f"synthetic BAM: {MB} Mb, {DEPTH}x, {n_reads} reads ({PILE} piled into one partition), "
          f"{len(variants)} true variants")
ref_fa = REAL_REF or os.path.join(tmp, "ref.fa")
rows = os.path.join(tmp, "rows.tfrecord.gz")
print(f"medians of {REPEAT} runs, one after another on this machine")
peers = {}
for label, tool in (("samtools view -c (BAM decode floor)", ["samtools", "view", "-c", bam_path]),
                    ("bcftools mpileup -B -a AD,DP", ["bcftools", "mpileup", "-B", "-a", "AD,DP", "-f", ref_fa,
                                                      "-o", os.devnull, bam_path])):
    if shutil.which(tool[0]):
        secs, rss, _ = measure([], tool=tool)
        peers[label] = secs
        print(f"| {label} | {secs:.2f} s | {n_reads / secs:,.0f} reads/s | peak RSS {rss / 1024:.1f} MB |")
mpileup = peers.get("bcftools mpileup -B -a AD,DP")
for label, extra in (("features --norealign_reads", ["--norealign_reads"]),
                     ("features (default: realigner on, 1500 reads/partition)", []),
                     ("features --realign_threads 2", ["--realign_threads", "2"]),
                     ("features --max_reads_per_partition 20000", ["--max_reads_per_partition", "20000"]),
                     ("features --partition_size 25000", ["--partition_size", "25000", "--max_reads_per_partition",
                                                          "20000"])):
    secs, rss, line = measure(["features", "--reads", bam_path, "--ref", ref_fa, "--output", rows] + extra)
    vs = f" | {mpileup / secs:.1f}x faster than mpileup" if mpileup else ""
    print(f"| {label} | {secs:.2f} s | {n_reads / secs:,.0f} reads/s | peak RSS {rss / 1024:.1f} MB{vs} |")
    print("   ", line)
secs, rss, line = measure(["call", "--model", os.path.join(SRC, "data", "model.json"), "--reads", bam_path, "--ref",
                           ref_fa, "--accepted", os.path.join(tmp, "acc.tfrecord.gz"), "--remainder",
                           os.path.join(tmp, "rem.tfrecord.gz")])
print(f"| call --reads (default model) | {secs:.2f} s | {n_reads / secs:,.0f} reads/s | peak RSS {rss / 1024:.1f} MB |")
print("   ", line)
if not KEEP:
    shutil.rmtree(tmp)
