"""The real-reads fixtures (../shared/fixtures/reads, or $SMALLCALL_FIXTURES/reads) the Python
checks share: their paths, and a skip (exit 77) when they are absent."""
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
