#pragma once
// The one way smallcall opens a reference FASTA: through its existing index (.fai, and .gzi
// for bgzipped FASTA), never creating an index beside the user's file.
#include <htslib/faidx.h>

#include <string>

namespace smallcall {

// Throws DataError naming the file (and `samtools faidx`) when the FASTA or its index is
// missing or unreadable. The caller owns the result (fai_destroy).
faidx_t* load_fasta_index(const std::string& path);

}  // namespace smallcall
