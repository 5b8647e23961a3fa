#!/usr/bin/python3
"""Writes data/sample.tsv.gz: simulated candidate rows in DeepVariant's WGS small-model layout.

Deterministic (fixed seed, gzip mtime 0). Per candidate: a genotype, a depth, binomial ref/alt
read counts on the genotype's allele fraction plus sequencing error, mapping/base qualities,
strand ratios, SNP/insertion/deletion with lengths, a few multi-allelic candidates (rows for
the singleton and pair alt subsets, alts joined with '|'), and the 51 VAF-context values.
Features use DeepVariant's integer formulas (floor division, percentages x100). The
`genotype` column holds the simulated truth class (0 hom_ref, 1 het, 2 hom_alt); smallcall
ignores it.

Usage: scripts/make_sample_data.py [OUT.tsv.gz] [N_CANDIDATES] [SEED]
"""
import gzip
import io
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wgs_features import WGS_FEATURES  # noqa: E402

BASES = "ACGT"


def mean_int(values):
    return int(sum(values) // len(values)) if len(values) else 0


def read_group(rng, n, mq_mean, bq_mean):
    mq = np.clip(rng.normal(mq_mean, 6, n).round(), 0, 60).astype(int)
    bq = np.clip(rng.normal(bq_mean, 4, n).round(), 2, 41).astype(int)
    rev = rng.random(n) < 0.5
    return mq, bq, rev


def base_features(ref_reads, alt_reads, total_depth):
    (rmq, rbq, rrev), (amq, abq, arev) = ref_reads, alt_reads
    nref, nalt = len(rmq), len(amq)
    depth = nref + nalt
    return [
        nref, nalt, depth, total_depth,
        100 * nalt // total_depth if total_depth else 0,
        100 * nalt // depth if depth else 0,
        mean_int(rmq), mean_int(amq), mean_int(rbq), mean_int(abq),
        100 * int(rrev.sum()) // nref if nref else 0,
        100 * int(arev.sum()) // nalt if nalt else 0,
    ]


def random_alt(rng, ref, kind, length):
    if kind == "snp":
        return rng.choice([b for b in BASES if b != ref[0]])
    if kind == "ins":
        return ref + "".join(rng.choice(list(BASES), length))
    return ref[0]


def candidate_rows(rng, contig, pos):
    genotype = rng.choice(3, p=[0.3, 0.45, 0.25])
    depth = int(rng.poisson(30) if rng.random() < 0.85 else rng.poisson(7))
    multiallelic = rng.random() < 0.06
    kinds = [rng.choice(["snp", "ins", "del"], p=[0.8, 0.1, 0.1]) for _ in range(2 if multiallelic else 1)]
    lengths = [int(rng.integers(1, 6)) for _ in kinds]
    if multiallelic and kinds[0] != kinds[1]:
        kinds[1] = kinds[0]
    del_len = max([l for k, l in zip(kinds, lengths) if k == "del"], default=0)
    ref = "".join(rng.choice(list(BASES), 1 + del_len))
    alts = []
    for k, l in zip(kinds, lengths):
        a = random_alt(rng, ref if k != "snp" else ref[:1], k, l)
        if k == "del":
            a = ref[: len(ref) - l]
        if k == "snp" and len(ref) > 1:
            a = a + ref[1:]
        while a in alts or a == ref:
            a = a + rng.choice(list(BASES))
        alts.append(a)
    af = {0: 0.02, 1: 0.5, 2: 0.97}[int(genotype)]
    other = int(rng.binomial(depth, 0.01))
    n_alt_total = int(rng.binomial(depth - other, af))
    split = [n_alt_total] if not multiallelic else [n_alt_total - n_alt_total // 3, n_alt_total // 3]
    n_ref = depth - other - n_alt_total
    ref_reads = read_group(rng, n_ref, 57, 33)
    alt_groups = [read_group(rng, n, 55 if genotype else 35, 32 if genotype else 20) for n in split]
    context = [0] * 51
    for o in range(51):
        if rng.random() < 0.08:
            context[o] = int(rng.integers(0, 15))
    subsets = [(0,)] if not multiallelic else [(0,), (1,), (0, 1)]
    rows = []
    for subset in subsets:
        picked = [alt_groups[i] for i in subset]
        alt_reads = tuple(np.concatenate([g[j] for g in picked]) for j in range(3))
        base = base_features(ref_reads, alt_reads, depth)
        sel = [alts[i] for i in subset]
        is_snp = int(len(ref) == 1 and all(len(a) == 1 for a in sel))
        is_ins = int(all(len(a) > len(ref) for a in sel))
        is_del = int(all(len(a) < len(ref) for a in sel))
        ins_len = max(0, max(len(a) - len(ref) for a in sel))
        del_len_f = max(0, max(len(ref) - len(a) for a in sel))
        variant = [is_snp, is_ins, is_del, ins_len, del_len_f, int(multiallelic), int(len(subset) > 1)]
        ctx = list(context)
        ctx[25] = base[4]
        truth = int(genotype) if len(subset) == 1 or genotype == 0 else int(genotype)
        rows.append([contig, pos, pos + len(ref), ref, "|".join(sel), truth] + base + variant + ctx)
    return rows


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "data", "sample.tsv.gz")
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 7
    rng = np.random.default_rng(seed)
    text = io.StringIO()
    text.write("\t".join(["contig", "start", "end", "ref", "alt", "genotype"] + WGS_FEATURES) + "\n")
    for contig, count in (("chr20", n * 3 // 4), ("chr21", n - n * 3 // 4)):
        pos = 10_000_000
        for _ in range(count):
            pos += 1 + int(rng.exponential(250))
            for row in candidate_rows(rng, contig, pos):
                text.write("\t".join(str(v) for v in row) + "\n")
    data = text.getvalue().encode()
    if out.endswith(".gz"):
        with open(out, "wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", mtime=0, filename="") as gz:
            gz.write(data)
    else:
        with open(out, "wb") as fh:
            fh.write(data)


if __name__ == "__main__":
    main()
