#include "smallcall/fasta_index.hpp"

#include <sys/stat.h>

#include "smallcall/error.hpp"
#include "smallcall/paths.hpp"

namespace smallcall {

faidx_t* load_fasta_index(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
    throw DataError(path + ": cannot open the reference FASTA");
  faidx_t* fai = fai_load3(path.c_str(), nullptr, nullptr, 0);  // no FAI_CREATE
  if (!fai)
    throw DataError(path + ": cannot load the FASTA index (.fai" +
                    std::string(path_kind(path).compressed ? ", and .gzi for bgzipped FASTA" : "") +
                    "); create it with `samtools faidx`");
  return fai;
}

}  // namespace smallcall
