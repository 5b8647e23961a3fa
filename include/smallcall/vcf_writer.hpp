#pragma once
// VCF/BCF outputs through HTSlib: accepted calls (GT, GQ, PL, SMP, MID) and the remainder as a
// sites-only VCF (one record per candidate, all its alts: DeepVariant's --proposed_variants).
// Records are coordinate-sorted with bounded memory (sorted runs spilled next to the output,
// merged at the end); .vcf.gz is bgzipped with a TBI index (CSI when a contig exceeds 2^29
// bp), .bcf gets a CSI index.
#include <memory>
#include <string>

#include "smallcall/writers.hpp"

namespace smallcall {

// ref_fasta: optional FASTA whose .fai gives the contigs (order and lengths) for the header.
std::unique_ptr<AcceptedWriter> open_accepted_vcf(const std::string& path, const Sample& sample,
                                                  const std::string& ref_fasta);
std::unique_ptr<RowWriter> open_sites_vcf(const std::string& path, const std::string& ref_fasta);

}  // namespace smallcall
