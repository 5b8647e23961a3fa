#!/usr/bin/python3
"""`smallcall simulate`: exact row counts, determinism, TSV == TFRecord, DeepVariant's feature
formulas row by row, DeepVariant's subset labels, and the region profiles.

Usage: simulate_check.py SMALLCALL_BINARY SOURCE_DIR
"""
import os
import subprocess
import sys
import tempfile
from collections import Counter

BIN, SRC = sys.argv[1], sys.argv[2]
import tfpy  # noqa: E402
from wgs_features import WGS_FEATURES  # noqa: E402


from pyref import Checks  # noqa: E402

check = Checks()


def simulate(path, *args):
    subprocess.run([BIN, "simulate", "--output", path, "--quiet"] + list(args), check=True)


def read_tsv(path):
    with open(path) as fh:
        lines = fh.read().split("\n")[:-1]
    header = lines[0].split("\t")
    return header, [dict(zip(header, line.split("\t"))) for line in lines[1:]]


def main():
    with tempfile.TemporaryDirectory() as tmp:
        t = lambda n: os.path.join(tmp, n)  # noqa: E731
        simulate(t("a.tsv"), "--rows", "20000", "--seed", "9")
        simulate(t("b.tsv"), "--rows", "20000", "--seed", "9")
        simulate(t("c.tsv"), "--rows", "20000", "--seed", "10")
        simulate(t("a.tfrecord"), "--rows", "20000", "--seed", "9")
        a = open(t("a.tsv"), "rb").read()
        check(a == open(t("b.tsv"), "rb").read(), "same seed, different rows")
        check(a != open(t("c.tsv"), "rb").read(), "different seeds, same rows")
        header, rows = read_tsv(t("a.tsv"))
        check(len(rows) == 20000, f"{len(rows)} rows, asked for 20000")
        check(header[:11] == ["contig", "start", "end", "ref", "alt", "region", "label", "genotype", "candidate_alts",
                              "dp", "ad"] and header[11:] == WGS_FEATURES, "TSV header")

        # TFRecord holds the same rows.
        examples = [tfpy.Example.FromString(p) for p in tfpy.read_tfrecords(t("a.tfrecord"))]
        check(len(examples) == len(rows), "TFRecord row count")
        for ex, r in zip(examples, rows):
            f = ex.features.feature
            same = (list(f["features/encoded"].int64_list.value) == [int(r[k]) for k in WGS_FEATURES]
                    and [b.decode() for b in f["ids/encoded"].bytes_list.value] == [r[k] for k in ("contig", "start", "end", "ref", "alt")]
                    and f["region/encoded"].bytes_list.value[0].decode() == r["region"]
                    and list(f["label/encoded"].int64_list.value) == [int(int(r["label"]) == c) for c in range(3)]
                    and "/".join(map(str, f["genotype/encoded"].int64_list.value)) == r["genotype"])
            check(same, f"TFRecord row differs from TSV: {r['contig']}:{r['start']}")

        # DeepVariant's formulas (deepvariant-small-model.md section 2), row by row.
        labels = Counter()
        for r in rows:
            v = {k: int(r[k]) for k in WGS_FEATURES}
            ref_n, alt_n = v["num_reads_supports_ref"], v["num_reads_supports_alt"]
            total, depth = v["total_depth"], v["alt_indices_depth"]
            alts = r["alt"].split("|")
            where = f"{r['contig']}:{r['start']} {r['ref']}>{r['alt']}"
            check(depth == ref_n + alt_n and total >= depth, f"{where}: depths")
            # The candidate columns agree with the features: DP = total depth, AD[ref] = the
            # ref reads, the subset's AD sum = its alt reads.
            cand, ad = r["candidate_alts"].split("|"), [int(x) for x in r["ad"].split(",")]
            check(all(a in cand for a in alts) and len(ad) == len(cand) + 1 and int(r["dp"]) == total and
                  ad[0] == ref_n and sum(ad[cand.index(a) + 1] for a in alts) == alt_n, f"{where}: candidate columns")
            check(v["variant_allele_frequency"] == (100 * alt_n // total if total else 0), f"{where}: VAF")
            check(v["alt_indices_variant_allele_frequency"] == (100 * alt_n // depth if depth else 0), f"{where}: alt-indices VAF")
            check(0 <= v["ref_mapping_quality"] <= 60 and 0 <= v["alt_mapping_quality"] <= 60, f"{where}: MQ")
            check((ref_n or v["ref_mapping_quality"] == 0) and (alt_n or v["alt_base_quality"] == 0), f"{where}: empty means")
            check(0 <= v["ref_reverse_strand_ratio"] <= 100 and 0 <= v["alt_reverse_strand_ratio"] <= 100, f"{where}: strand")
            rl = len(r["ref"])
            check(v["is_snp"] == int(rl == 1 and all(len(x) == 1 for x in alts)), f"{where}: is_snp")
            check(v["is_insertion"] == int(all(len(x) > rl for x in alts)), f"{where}: is_insertion")
            check(v["is_deletion"] == int(all(len(x) < rl for x in alts)), f"{where}: is_deletion")
            check(v["insertion_length"] == max(0, max(len(x) - rl for x in alts)), f"{where}: insertion_length")
            check(v["deletion_length"] == max(0, max(rl - len(x) for x in alts)), f"{where}: deletion_length")
            check(v["is_multiple_alt_alleles"] == int(len(alts) > 1), f"{where}: multiple alts")
            check(int(r["end"]) - int(r["start"]) == rl, f"{where}: end")
            truth = [int(x) for x in r["genotype"].split("/")]
            check(all(0 <= x <= 2 for x in truth), f"{where}: genotype {r['genotype']}")
            labels[int(r["label"])] += 1
        # Multi-allelic candidates: singletons then the pair, labelled by the truth alleles held.
        by_site = {}
        for r in rows:
            by_site.setdefault((r["contig"], r["start"]), []).append(r)
        multi = [rs for rs in by_site.values() if rs[0]["is_multiallelic"] == "1"]
        check(len(multi) > 200, f"only {len(multi)} multi-allelic sites")
        for rs in multi:
            if len(rs) != 3:
                continue  # the last candidate may be cut by --rows
            check([len(r["alt"].split("|")) for r in rs] == [1, 1, 2], "subset order")
            truth = [int(x) for x in rs[0]["genotype"].split("/")]
            for r, subset in zip(rs, ([1], [2], [1, 2])):
                check(int(r["label"]) == sum(1 for a in truth if a in subset), f"subset label {r['alt']} {truth}")
        check(min(labels.values()) > 2000, f"labels {labels}")

        # Region profiles.
        def region_sizes(path):
            _, rs = read_tsv(path)
            sizes, last = [], None
            for r in rs:
                if r["region"] != last:
                    sizes.append(0)
                    last = r["region"]
                sizes[-1] += 1
            return sizes
        wgs = region_sizes(t("a.tsv"))
        check(4 <= len(rows) / len(wgs) <= 7, f"wgs: {len(rows) / len(wgs):.2f} rows per region")
        simulate(t("lr.tsv"), "--rows", "300000", "--seed", "2", "--profile", "longread")
        lr = region_sizes(t("lr.tsv"))
        check(100 <= 300000 / len(lr) <= 220 and max(lr) >= 1000, f"longread: {300000 / len(lr):.1f} rows/region, max {max(lr)}")
        simulate(t("g.tsv"), "--rows", "12000", "--seed", "2", "--giant_region", "10000")
        g = region_sizes(t("g.tsv"))
        check(g[0] == 10000 and len(g) > 100, f"giant region: first region {g[0]} rows")
        print(f"simulate: wgs {len(rows) / len(wgs):.2f} rows/region, longread {300000 / len(lr):.1f} "
              f"(max {max(lr)}), giant {g[0]}; labels {dict(labels)}")
    return check.report()


if __name__ == "__main__":
    sys.exit(main())
