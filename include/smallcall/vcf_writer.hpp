#pragma once
// VCF/BCF outputs through HTSlib: accepted calls, one record per candidate exactly as
// postprocess_variants writes it from the candidate's CVOs (postprocess.hpp, haplotypes.hpp;
// FORMAT GT:GQ:DP:AD:VAF:PL:MID), and the remainder as a sites-only VCF (one record per
// candidate, all its alts: DeepVariant's --proposed_variants).
// Records are coordinate-sorted with bounded memory (sorted runs spilled next to the output,
// merged at the end); .vcf.gz is bgzipped with a TBI index (CSI when a contig exceeds 2^29
// bp), .bcf gets a CSI index.
#include <memory>
#include <string>

#include "smallcall/postprocess.hpp"
#include "smallcall/writers.hpp"

namespace smallcall {

// ref_fasta: optional FASTA whose .fai gives the contigs (order and lengths) for the header.
std::unique_ptr<AcceptedWriter> open_accepted_vcf(const std::string& path, const Sample& sample,
                                                  const std::string& ref_fasta, const PostprocessOptions& options);
std::unique_ptr<RowWriter> open_sites_vcf(const std::string& path, const std::string& ref_fasta);

}  // namespace smallcall
