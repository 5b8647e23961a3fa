#!/usr/bin/python3
"""An independent re-implementation of DeepVariant's small-model rows from reads, written
from ../shared/docs/deepvariant-features-from-reads.md and deepvariant-small-model.md
(sections 1-4, 6), with pysam (Debian python3-pysam) for BAM/CRAM/FASTA and numpy's
RandomState for the reservoir sampling. It shares no code with smallcall: it walks pysam's
cigartuples, keys read alleles in Python dicts by read name as DeepVariant's C++ does, and
runs the two counting passes literally.

rows(bam, fasta, regions, ...) -> list of dicts: contig, start, end, ref, alts (sorted),
subset (alt indices), features (12 + 7 + W ints), dp, ad, region, realignment_sensitive (0:
the reads are counted as aligned, which is what smallcall computes with --norealign_reads).
"""
import numpy as np
import pysam

REF, SUB, INS, DEL, SOFT = "REFERENCE", "SUBSTITUTION", "INSERTION", "DELETION", "SOFT_CLIP"
ACGT = set("ACGT")


def partitions(intervals, size):
    for contig, begin, end in intervals:
        b = begin
        while b < end:
            yield contig, b, min(end, b + size)
            b = min(end, b + size)


def passes_filters(r, min_mapq, keep_dup=False, keep_sec=False, keep_sup=False):
    if r.is_unmapped or r.is_qcfail:
        return False
    if r.is_duplicate and not keep_dup:
        return False
    if r.is_secondary and not keep_sec:
        return False
    if r.is_supplementary and not keep_sup:
        return False
    if (r.is_paired and not r.is_proper_pair and not r.mate_is_unmapped and r.next_reference_id >= 0
            and r.next_reference_id != r.reference_id):
        return False
    return r.mapping_quality >= min_mapq


def sample_reads(bam, contig, begin, end, min_mapq, max_reads, keep):
    rng = np.random.RandomState(609314161)
    sample = []
    i = 0
    for r in bam.fetch(contig, begin, end):
        if not passes_filters(r, min_mapq, *keep):
            continue
        if r.query_qualities is None:
            continue
        if len(sample) < max_reads:
            sample.append(r)
        else:
            j = rng.randint(0, i + 1)
            if j < max_reads:
                sample[j] = r
        i += 1
    return sample


def read_alleles_of(r, ref, contig_len, begin, end, min_bq):
    """The alleles one read emits (section 2.2), before the supersede rule."""
    seq, qual = r.query_sequence, r.query_qualities
    pos, off, out = r.reference_start, 0, []
    for op, n in r.cigartuples:
        if op in (0, 7, 8):  # M = X
            for k in range(n):
                p = pos + k
                if begin <= p < end and seq[off + k] in ACGT:
                    b = seq[off + k]
                    out.append((p, REF if b == ref(p) else SUB, b, qual[off + k] < min_bq, qual[off + k]))
            pos += n
            off += n
        elif op in (1, 4):  # I, S
            if off == 0:
                prev = ref(pos - 1) if pos > 0 else None
            else:
                prev = seq[off - 1]
            q = list(qual[off:off + n])
            bases = (prev or "") + seq[off:off + n]
            if prev is not None and all(c in ACGT for c in bases):
                out.append((pos - 1, INS if op == 1 else SOFT, bases, sum(q) < min_bq * n, sum(q) // n))
            off += n
        elif op == 2:  # D
            prev = (ref(pos - 1) if pos > 0 else None) if off == 0 else seq[off - 1]
            if prev is not None and pos + n <= contig_len:
                bases = prev + "".join(ref(pos + k) for k in range(n))
                if all(c in ACGT for c in bases):
                    out.append((pos - 1, DEL, bases, False, qual[off - 1] if off > 0 else 0))
            pos += n
        elif op in (3, 6):  # N, P
            pos += n
    return out


def count(reads, ref, contig_len, begin, end, min_bq, candidates):
    """One AlleleCounter pass: ref_count[p], read_alleles[p][key] = allele."""
    ref_count, read_alleles = {}, {}
    for r in reads:
        key = r.query_name + ("/1" if r.is_paired and not r.is_read1 else "/0")
        alleles = read_alleles_of(r, ref, contig_len, begin, end, min_bq)
        for i, (p, t, b, lq, bq) in enumerate(alleles):
            if i + 1 < len(alleles) and alleles[i + 1][0] == p:
                continue  # superseded
            if not begin <= p < end:
                continue
            entry = (t, b, lq, r.mapping_quality, bq, r.is_reverse)
            if t == REF:
                if not lq:
                    ref_count[p] = ref_count.get(p, 0) + 1
                if candidates is not None and p in candidates:
                    read_alleles.setdefault(p, {})[key] = entry
            else:
                read_alleles.setdefault(p, {})[key] = entry
    return ref_count, read_alleles


def accepted_alleles(p, ref_count, read_alleles, o):
    groups = {}
    total = ref_count.get(p, 0)
    for t, b, lq, *_ in read_alleles.get(p, {}).values():
        if t == REF or lq:
            continue
        total += 1
        groups[(t, b)] = groups.get((t, b), 0) + 1
    accepted = {}
    for (t, b), c in groups.items():
        snp = t == SUB
        if c < (o["min_count_snps"] if snp else o["min_count_indels"]):
            continue
        if t == SOFT:
            continue
        frac = float(np.float32(o["min_fraction_snps"] if snp else o["min_fraction_indels"]))
        if c / total < frac:
            continue
        accepted[(t, b)] = c
    return accepted, total


def base_features(ref_reads, alt_reads, total_depth):
    def mean(xs):
        return sum(xs) // len(xs) if xs else 0

    def rev(rs):
        return 100 * sum(1 for r in rs if r[2]) // len(rs) if rs else 0
    nr, na = len(ref_reads), len(alt_reads)
    return [nr, na, nr + na, total_depth,
            100 * na // total_depth if total_depth else 0,
            100 * na // (nr + na) if nr + na else 0,
            mean([r[0] for r in ref_reads]), mean([r[0] for r in alt_reads]),
            mean([r[1] for r in ref_reads]), mean([r[1] for r in alt_reads]),
            rev(ref_reads), rev(alt_reads)]


def variant_features(ref, alts, subset):
    sel = [alts[i] for i in subset]
    return [int(len(ref) == 1 and len(sel) > 0 and all(len(a) == 1 for a in sel)),
            int(len(sel) > 0 and all(len(a) > len(ref) for a in sel)),
            int(len(sel) > 0 and all(len(a) < len(ref) for a in sel)),
            max([0] + [len(a) - len(ref) for a in sel]),
            max([0] + [len(ref) - len(a) for a in sel]),
            int(len(alts) > 1), int(len(subset) > 1)]


def rows(bam_path, fasta_path, intervals, partition_size=1000, window=51, track_ref_reads=True,
         min_mapq=5, min_bq=10, max_reads=1500, options=None, keep=(False, False, False)):
    o = dict(min_count_snps=2, min_count_indels=2, min_fraction_snps=0.12, min_fraction_indels=0.06)
    o.update(options or {})
    bam = pysam.AlignmentFile(bam_path, reference_filename=fasta_path)
    fasta = pysam.FastaFile(fasta_path)
    out = []
    for contig, begin, end in partitions(intervals, partition_size):
        contig_len = fasta.get_reference_length(contig)
        reads = sample_reads(bam, contig, begin, end, min_mapq, max_reads, keep)
        lo = max(0, begin - 1)
        hi = max([end] + [r.reference_end for r in reads])
        seq = fasta.fetch(contig, lo, min(hi, contig_len)).upper()

        def ref(p):
            return seq[p - lo] if lo <= p < lo + len(seq) else "N"
        rc, ra = count(reads, ref, contig_len, begin, end, min_bq, None)
        cands = {p for p in range(begin, end) if ref(p) in ACGT and accepted_alleles(p, rc, ra, o)[0]}
        if track_ref_reads:
            rc, ra = count(reads, ref, contig_len, begin, end, min_bq, cands)
        region = f"{contig}:{begin + 1}-{end}"
        for p in sorted(cands):
            acc, total = accepted_alleles(p, rc, ra, o)
            if not acc:
                continue  # pass 2 decides (differs from pass 1 only when reads share a key)
            longest = max([len(b) - 1 for (t, b) in acc if t == DEL] + [0])
            refb = "".join(ref(p + k) for k in range(longest + 1))
            alt_of = {}
            for (t, b) in acc:
                alt_of[(t, b)] = b[0] + refb[len(b):] if t == DEL else b + refb[1:]
            alts = sorted(alt_of.values())
            support = {a: [] for a in alts}
            ref_reads, uncalled = [], []
            for t, b, lq, mq, bq, rev in ra.get(p, {}).values():
                info = (mq, bq, rev)
                if t == REF:
                    ref_reads.append(info)
                elif (t, b) in acc:
                    support[alt_of[(t, b)]].append(info)
                else:
                    uncalled.append(info)
            total_depth = len(ref_reads) + len(uncalled) + sum(len(v) for v in support.values())
            context = []
            for off in range(-(window // 2), window // 2 + 1):
                q = p + off
                if not begin <= q < end:
                    context.append(0)
                    continue
                m, r_ = len(ra.get(q, {})), rc.get(q, 0)
                context.append(100 * m // (r_ + m) if r_ + m else 0)
            subsets = [(i,) for i in range(len(alts))] + [(i, j) for i in range(len(alts))
                                                          for j in range(i + 1, len(alts))]
            for s in subsets:
                alt_reads = [x for i in s for x in support[alts[i]]]
                feats = base_features(ref_reads, alt_reads, total_depth) + variant_features(refb, alts, s) + context
                out.append(dict(contig=contig, start=p, end=p + len(refb), ref=refb, alts=alts, subset=s,
                                alt="|".join(alts[i] for i in s), features=feats, dp=total,
                                ad=[rc.get(p, 0)] + [acc[k] for a in alts for k in acc if alt_of[k] == a],
                                region=region, realignment_sensitive=0))
    return out
