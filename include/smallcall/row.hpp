#pragma once
// One candidate row (one alt-allele subset of a candidate) and a tile of rows of one region.
#include <cstdint>
#include <string>
#include <vector>

namespace smallcall {

struct Row {
  std::string contig;
  int64_t start = 0;  // 0-based
  int64_t end = 0;
  std::string ref;
  std::string alt;          // alts of a multi-allelic subset joined with '|'
  std::string region;       // the `region` column when the input has one
  bool is_snp = false;      // ref length 1 and every alt of the subset length 1
  bool is_multiallelic = false;
  uint64_t record = 0;      // 1-based line (TSV) or 0-based record index (TFRecord), for messages
  int label = -1;           // truth class 0/1/2 when the input carries one (label column, label/encoded)
  // DeepVariant would realign the reads around this candidate (rows from reads without a
  // realigner): the gate sends the row to the remainder (TSV column / Example key
  // realignment_sensitive).
  bool realignment_sensitive = false;
  // The full candidate when the row carries it (variant/encoded and alt_allele_indices/encoded,
  // or computed from reads): serialized nucleus Variant and AltAlleleIndices, verbatim.
  bool has_candidate = false;
  std::string variant_proto;
  std::string alt_indices_proto;
  // Read from the candidate when the row is read (so writing cannot fail on it later):
  // calls[0].info DP, and AD of the row's alleles (ref, then the subset's alts), or -1 / empty
  // when the candidate has no usable DP/AD; calls[0].call_set_name.
  int64_t depth = -1;
  std::vector<int64_t> allele_depths;
  std::string call_set_name;
};

// Rows of one candidate (its alt subsets) are consecutive and share contig, start and ref.
inline bool same_candidate(const Row& a, const Row& b) {
  return a.start == b.start && a.contig == b.contig && a.ref == b.ref;
}

// Decides is_snp from ref and the '|'-joined subset alts (DeepVariant's is_snp on the subset).
bool subset_is_snp(const std::string& ref, const std::string& alts);

// A candidate's rows, as DeepVariant makes them for k alts: every single alt, then every pair
// (itertools.combinations), as 0-based alt indices.
std::vector<std::vector<int>> alt_subsets(int k);

// Up to `capacity` consecutive rows that belong to one region, stored column-wise and
// reused from tile to tile (strings keep their capacity).
struct RowTile {
  std::size_t capacity = 0;
  int num_features = 0;
  std::size_t size = 0;
  bool starts_region = false;  // the first tile of its region
  bool ends_region = false;    // known to be the last tile of its region (false: maybe not)
  uint64_t region_index = 0;   // 0-based count of regions seen before this one
  std::vector<float> features;          // capacity x num_features
  std::vector<Row> rows;        // capacity
  std::vector<std::string> raw_records; // the input bytes of each row (remainder output)

  void reset(std::size_t cap, int width) {
    capacity = cap;
    num_features = width;
    size = 0;
    features.assign(cap * static_cast<std::size_t>(width), 0.f);
    rows.assign(cap, Row{});
    raw_records.assign(cap, std::string{});
  }
  float* row_features(std::size_t i) { return features.data() + i * static_cast<std::size_t>(num_features); }
};

}  // namespace smallcall
