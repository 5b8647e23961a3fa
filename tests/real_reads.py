"""The real-reads fixtures (../shared/fixtures/reads, or $SMALLCALL_FIXTURES/reads) the Python
checks share: their paths, a skip (exit 77) when they are absent, and readers for the TSV,
VCF and BED files the checks compare."""
import gzip
import os
import sys


def reads_dir(source_dir, what):
    """The fixtures' reads folder; exits 77 (skipped) naming `what` when it is absent."""
    fixtures = os.environ.get("SMALLCALL_FIXTURES", os.path.join(source_dir, "..", "shared", "fixtures"))
    reads = os.path.join(fixtures, "reads")
    if not os.path.isdir(reads):
        print(f"fixtures not found at {reads}: {what} skipped")
        sys.exit(77)
    return reads


class Fixtures:
    def __init__(self, reads):
        self.BAM = os.path.join(reads, "NA12878_small.bam")
        self.FASTA = os.path.join(reads, "ucsc.hg19.chr20.unittest.fasta.gz")
        self.GOLDEN = os.path.join(reads, "deepvariant-golden", "golden.chr20_10000000_10002000.vcf")
        self.TRUTH = os.path.join(reads, "test_nist.b37_chr20_100kbp_at_10mb.vcf.gz")
        self.CONFIDENT = os.path.join(reads, "test_nist.b37_chr20_100kbp_at_10mb.bed")
        tiny = os.path.join(reads, "freebayes-tiny")
        self.TINY_BAM = os.path.join(tiny, "NA12878.chr22.tiny.bam")
        self.TINY_FASTA = os.path.join(tiny, "q.fa")
        self.TINY_TRUTH = os.path.join(tiny, "NA12878.chr22.tiny.giab.vcf")
        self.DV_REGION = "chr20:10,000,000-10,010,000"


def read_tsv(path):
    """A TSV with a header line (plain or gzip): (rows as dicts, header)."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt") as fh:
        lines = fh.read().splitlines()
    head = lines[0].split("\t")
    return [dict(zip(head, line.split("\t"))) for line in lines[1:]], head


def vcf_records(path):
    """A VCF's records (plain or gzip), each as its list of columns."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt") as fh:
        for line in fh:
            if not line.startswith("#"):
                yield line.rstrip("\n").split("\t")


def confident_regions(bed, contig):
    """Whether a 1-based position of `contig` lies in the BED file's intervals (read once)."""
    intervals = []
    with open(bed) as fh:
        for line in fh:
            c, b, e = line.split("\t")[:3]
            if c == contig:
                intervals.append((int(b), int(e)))
    return lambda pos1: any(b < pos1 <= e for b, e in intervals)
