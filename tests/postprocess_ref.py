"""An independent Python reimplementation of what DeepVariant's postprocess_variants writes
to the VCF for a set of CallVariantsOutput records (no code shared with smallcall), written
from DeepVariant's source:

- grouping and merging (r1.9 deepvariant/postprocess_variants.py merge_predictions,
  get_alt_alleles_to_remove, prune_alleles, convert_call_variants_outputs_to_probs_dict;
  r1.10's default --multiallelic_mode=product);
- the call (add_call_to_variant, most_likely_genotype, compute_quals, uncall_gt_if_no_ad,
  compute_filter_fields, uncall_homref_gt_if_lowqual: r1.9 keeps FILTER RefCall, r1.10 sets
  NoCall);
- third_party/nucleus/util/variant_utils.py simplify_variant_alleles and genomics_math.py
  (MAX_CONFIDENCE = 1 - 1.25e-10);
- deepvariant/haplotypes.py maybe_resolve_conflicting_variants;
- the VCF writer's numbers (nucleus vcf_writer.cc: QUAL floor(q*10+0.5)/10; vcf_conversion.cc:
  PL = int(-10 * (GL - max GL)), truncated).

Checked by hand against DeepVariant r1.9's golden.postprocess_single_site_output.vcf from its
golden.postprocess_single_site_input CVOs (78 of 78 records, every field).
"""
import itertools
import math

MAX_CONFIDENCE = 1.0 - 1.25e-10
QUAL_PRECISION = 7


def ptrue_to_bounded_phred(p, max_prob=MAX_CONFIDENCE):
    if not 0 <= p <= 1:
        raise ValueError(f"ptrue must be between zero and one: {p}")
    return -10.0 * math.log10(1.0 - min(p, max_prob))


def bounded_log10(p):
    return math.log10(max(p, 1.0 - MAX_CONFIDENCE))


def round_half_even(x):
    """numpy.around to an integer."""
    f = math.floor(x)
    d = x - f
    if d > 0.5 or (d == 0.5 and f % 2 == 1):
        return int(f) + 1
    return int(f)


def genotype_order(n_alts):
    """(i, j) in VCF likelihood order: for j in 0..n, i in 0..j."""
    return [(i, j) for j in range(n_alts + 1) for i in range(j + 1)]


def simplify(ref, alts):
    alleles = [ref] + list(alts)
    shortest = min(len(a) for a in alleles)
    common = 0
    for i in range(1, shortest):
        if len({a[-i] for a in alleles}) != 1:
            break
        common = i
    if common:
        alleles = [a[:-common] for a in alleles]
    return alleles[0], alleles[1:]


def compute_quals(preds, index):
    gq = round_half_even(ptrue_to_bounded_phred(preds[index]))
    qual = round(ptrue_to_bounded_phred(min(sum(preds[1:]), 1.0)), QUAL_PRECISION)
    return gq, qual


def merge_predictions(cvos, mode="product", multi_allelic_qual_filter=1.0):
    """cvos: dicts {ref, alts, indices, probs, info} of one candidate, in any order.
    Returns (ref, alts, kept_alt_positions, predictions)."""
    cvos = sorted(cvos, key=lambda c: sorted(c["indices"]))
    all_idx = sorted(sorted(c["indices"]) for c in cvos)
    n = len(cvos[0]["alts"])
    expected = sorted([[i] for i in range(n)] + [[i, j] for i in range(n) for j in range(i + 1, n)])
    if all_idx != expected:
        raise ValueError(f"alt allele indices {all_idx} != {expected}")
    ref, alts = cvos[0]["ref"], list(cvos[0]["alts"])
    if len(cvos) == 1:
        return ref, alts, list(range(n)), list(cvos[0]["probs"])
    # get_alt_alleles_to_remove
    remove, max_qual, max_allele = set(), None, None
    if multi_allelic_qual_filter:
        for c in cvos:
            if len(c["indices"]) == 1:
                _, qual = compute_quals(c["probs"], 0)
                a = alts[c["indices"][0]]
                if max_qual is None or max_qual < qual:
                    max_qual, max_allele = qual, a
                if qual < multi_allelic_qual_filter:
                    remove.add(a)
        if len(remove) == len(alts):
            remove -= {max_allele}
    kept = [k for k, a in enumerate(alts) if a not in remove]
    kept_alts = [alts[k] for k in kept]
    alleles = [ref] + kept_alts
    if mode == "product":
        examples = []
        for c in cvos:
            s = frozenset(alts[i] for i in c["indices"])
            if s & remove:
                continue
            examples.append((c["probs"], s))
        preds = []
        for i, j in genotype_order(len(kept_alts)):
            prod = 1.0  # numpy.prod: a left-to-right product
            for probs, s in examples:
                prod *= probs[int(alleles[i] in s) + int(alleles[j] in s)]
            preds.append(prod)
    else:  # r1.9: min over every CVO that speaks for the genotype's allele pair
        d = {}
        for c in cvos:
            s1 = frozenset([ref])
            s2 = frozenset(alts[i] for i in c["indices"])
            if s2 & remove:
                continue
            p11, p12, p22 = c["probs"]
            for a, b, p in ((s1, s1, p11), (s1, s2, p12), (s2, s2, p22)):
                for key in itertools.product(a, b):
                    d.setdefault(key, []).append(p)
        preds = [min(d.get((alleles[i], alleles[j]), []) or [0]) for i, j in genotype_order(len(kept_alts))]
        if sum(preds) == 0:
            preds = [1.0] * len(preds)
    if sum(preds) == 0:
        preds = [1.0] * len(preds)
    total = sum(preds) or 1.0
    preds = [p / total for p in preds]
    return ref, kept_alts, kept, preds


def make_record(cvos, mode="product", multi_allelic_qual_filter=1.0, qual_filter=1.0, homref_min_gq=20,
                version="1.10"):
    """The VCF record postprocess writes for one candidate's CVOs."""
    first = min(cvos, key=lambda c: sorted(c["indices"]))
    ref, alts, kept, preds = merge_predictions(cvos, mode, multi_allelic_qual_filter)
    ref, alts = simplify(ref, alts)
    info = first["info"]
    rec = {"contig": first["contig"], "start": first["start"], "end": first["start"] + len(ref), "ref": ref,
           "alts": alts, "mid": info.get("MID")}
    if "DP" in info:
        rec["dp"] = info["DP"][0]
    ad = info.get("AD")
    if ad is not None:
        rec["ad"] = [ad[0]] + [ad[k + 1] for k in kept]
    if "VAF" in info:
        rec["vaf"] = [info["VAF"][k] for k in kept]
    index = max(range(len(preds)), key=lambda k: (preds[k], -k))
    gt = None
    k = 0
    for h1 in range(len(alts) + 2):
        for h2 in range(h1 + 1):
            if k == index and gt is None:
                gt = [h2, h1]
            k += 1
    gq, qual = compute_quals(preds, index)
    gl = [bounded_log10(p) for p in preds]
    ad_int = info.get("AD_int")  # re-indexed by prune_alleles like AD
    ad_int = [ad_int[0]] + [ad_int[k + 1] for k in kept] if ad_int else []
    if sum(ad_int) == 0:  # uncall_gt_if_no_ad: AD read as int_value; missing counts as 0
        gt, gl, gq = [-1, -1], [0.0, 0.0], 0
    if -1 in gt:
        flt = "NoCall"
    elif gt == [0, 0]:
        flt = "RefCall"
    elif qual < qual_filter:
        flt = "LowQual"
    else:
        flt = "PASS"
    if flt == "RefCall" and gq < homref_min_gq:
        gt = [-1, -1]
        if version != "1.9":
            flt = "NoCall"
    rec.update(gt=gt, gq=gq, qual=qual, gl=gl, filter=flt)
    return rec


def pl_of(gl):
    m = max(gl)
    return [int(-10.0 * (g - m)) for g in gl]


# ---- deepvariant/haplotypes.py ----
def _log10sumexp(xs):
    m = max(xs)
    return m + math.log10(sum(10.0 ** (x - m) for x in xs))


def _nonref(rec):
    return sum(1 for g in rec["gt"] if g > 0)


def _groups(recs):
    out, cur, chrom, max_end = [], [], None, -1
    for r in recs:
        if r["contig"] != chrom or r["start"] >= max_end:
            if cur:
                out.append(cur)
            cur, chrom, max_end = [r], r["contig"], r["end"]
        else:
            cur.append(r)
            max_end = max(max_end, r["end"])
    if cur:
        out.append(cur)
    return out


def _gl_index(a):
    g1, g2 = sorted(a)
    return g1 + g2 * (g2 + 1) // 2


def _with_num_alts(n_alts, k):
    if k == 0:
        return [(0, 0)]
    if k == 1:
        return [(0, i) for i in range(1, n_alts + 1)]
    return [(i, j) for i in range(1, n_alts + 1) for j in range(i, n_alts + 1)]


def _compatible(recs, counts):
    lo = min(r["start"] for r in recs)
    span = [0] * max(r["end"] - lo for r in recs)
    for c, r in zip(counts, recs):
        for x in range(r["start"] - lo, r["end"] - lo):
            span[x] += c
    return all(x <= 2 for x in span)


def _resolve(recs):
    if len(recs) == 1 or _compatible(recs, [_nonref(r) for r in recs]) or len(recs) > 12:
        return recs
    aggregators = [[[] for _ in range(len(genotype_order(len(r["alts"]))))] for r in recs]
    best, best_lik = None, None
    for counts in itertools.product([0, 1, 2], repeat=len(recs)):
        if not _compatible(recs, counts):
            continue
        for config in itertools.product(*[_with_num_alts(len(r["alts"]), c) for r, c in zip(recs, counts)]):
            lik = sum(r["gl"][_gl_index(a)] for r, a in zip(recs, config))
            if best_lik is None or lik > best_lik:
                best_lik, best = lik, config
            for agg, a in zip(aggregators, config):
                agg[_gl_index(a)].append(lik)
    scaled = []
    for agg in aggregators:
        if not all(agg):
            raise ValueError("All genotypes must have some probability mass")
        lse = [_log10sumexp(x) for x in agg]
        total = _log10sumexp(lse)
        scaled.append([min(x - total, 0.0) for x in lse])
    marginal = []
    for s, r in zip(scaled, recs):
        ix = max(range(len(s)), key=lambda k: (s[k], -k))
        marginal.append(genotype_order(len(r["alts"]))[ix])
    if tuple(marginal) != tuple(best):
        return recs
    out = []
    for r, a, s in zip(recs, best, scaled):
        r = dict(r, gt=list(a), gl=s, resolved=True)
        out.append(r)
    return out


def resolve_conflicts(recs):
    """maybe_resolve_conflicting_variants over coordinate-sorted records."""
    out = []
    for group in _groups(recs):
        if len(group) == 1:
            out.extend(group)
            continue
        ref_calls = [r for r in group if _nonref(r) == 0]
        var_calls = [r for r in group if _nonref(r) > 0]
        resolved = []
        for g in _groups(var_calls):
            resolved.extend(_resolve(g))
        out.extend(sorted(ref_calls + resolved, key=lambda r: (r["contig"], r["start"], r["end"])))
    return out


# ---- reading CVOs ----
def cvo_dict(cvo):
    v = cvo.variant
    call = v.calls[0]
    info = {}
    for key, lv in call.info.items():
        vals = []
        ints = []
        for x in lv.values:
            kind = x.WhichOneof("kind")
            vals.append(getattr(x, kind) if kind else None)
            ints.append(x.int_value)  # struct_utils reads int_value: a double reads as 0
        info[key] = vals
        if key == "AD":
            info["AD_int"] = ints
    if "MID" in info:
        info["MID"] = info["MID"][0]
    return {"contig": v.reference_name, "start": v.start, "end": v.end, "ref": v.reference_bases,
            "alts": list(v.alternate_bases), "indices": list(cvo.alt_allele_indices.indices),
            "probs": list(cvo.genotype_probabilities), "info": info, "sample": call.call_set_name}


def postprocess(cvos, contig_order, version="1.10", mode=None, **kw):
    """Records postprocess_variants writes for CVO dicts (sorted and grouped as it does)."""
    mode = mode or ("min" if version == "1.9" else "product")
    order = {c: i for i, c in enumerate(contig_order)}
    cvos = sorted(cvos, key=lambda c: (order[c["contig"]], c["start"], c["end"]))
    recs = [make_record(list(g), mode=mode, version=version, **kw)
            for _, g in itertools.groupby(cvos, key=lambda c: (c["contig"], c["start"], c["end"]))]
    return resolve_conflicts(recs)
