#pragma once
// One candidate row (one alt-allele subset of a candidate) and a tile of rows of one region.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace smallcall {

// The candidate a row belongs to, when the input carries it (a TFRecord row's variant/encoded
// and alt_allele_indices/encoded, or a candidate computed from reads): read once, when the
// row is read, so no output parses anything later.
struct CandidateInfo {
  std::vector<std::string> alts;       // all its alternate alleles
  int64_t depth = -1;                  // calls[0].info DP; -1 when absent or unusable
  std::vector<int64_t> allele_depths;  // calls[0].info AD: ref, then every alt; empty when absent
  bool allele_depths_int = true;       // AD held int_value entries (postprocess reads only those)
  std::vector<double> vaf;             // calls[0].info VAF, one per alt; empty when absent
  std::string sample;                  // calls[0].call_set_name
  // The serialized Variant and AltAlleleIndices of a TFRecord row, verbatim: the CVO copies
  // them byte for byte. Empty for candidates computed from reads (encoded when written).
  std::string variant_proto;
  std::string alt_indices_proto;
};

// One candidate row: one alt-allele subset of a candidate, with what the gate and the outputs
// need of it, decoded once.
struct Row {
  std::string contig;
  int64_t start = 0;  // 0-based
  int64_t end = 0;
  std::string ref;
  std::vector<std::string> alts;  // the subset's alts (written joined with '|' in TSV and ids/encoded)
  std::string region;             // the `region` column when the input has one
  bool is_snp = false;            // ref length 1 and every alt of the subset length 1
  bool is_multiallelic = false;
  // DeepVariant would realign the reads around this candidate (rows from reads without a
  // realigner): the gate sends the row to the remainder (TSV column / Example key
  // realignment_sensitive).
  bool realignment_sensitive = false;
  int label = -1;           // truth class 0/1/2 when the input carries one (label column, label/encoded)
  uint64_t record = 0;      // 1-based line (TSV) or 0-based record index (TFRecord), for messages
  bool has_candidate = false;
  std::vector<int> alt_indices;  // with a candidate: the subset as indices into candidate.alts
  CandidateInfo candidate;
};

// Swaps two rows member by member (the region grouper moves rows between tiles).
void swap(Row& a, Row& b) noexcept;

// "A|AC": the subset's alts as TSV and ids/encoded write them.
std::string joined_alts(const Row& row);
// Splits "A|AC" into `alts` (reusing its strings).
void split_alts(std::string_view joined, std::vector<std::string>& alts);

// Rows of one candidate (its alt subsets) are consecutive and share contig, start and ref.
inline bool same_candidate(const Row& a, const Row& b) {
  return a.start == b.start && a.contig == b.contig && a.ref == b.ref;
}

// DeepVariant's is_snp of a subset: ref of length 1 and every alt of length 1.
bool subset_is_snp(const std::string& ref, const std::vector<std::string>& alts);

// A candidate's rows, as DeepVariant makes them for k alts: every single alt, then every pair
// (itertools.combinations), as 0-based alt indices.
std::vector<std::vector<int>> alt_subsets(int k);

// Whether a candidate's rows are its alt subsets as DeepVariant makes them: every singleton
// and every pair exactly once, all of one candidate (one end; when the rows carry it, the same
// alts, DP, AD, VAF and sample). postprocess_variants refuses a candidate otherwise, so only such a candidate can
// be accepted. Buffers are kept from candidate to candidate.
class SubsetCheck {
 public:
  void clear();
  void add(const Row& row);
  bool complete();
  // The same answer for a candidate of one row, without copying anything.
  static bool complete_alone(const Row& row);

 private:
  bool first_ = true, with_candidate_ = false, bad_ = false;
  int num_alts_ = 0;
  int64_t end_ = 0;
  std::vector<std::string> alts_;  // rows without a candidate: its alts so far
  CandidateInfo candidate_;        // rows with one: the first row's
  std::vector<std::pair<int, int>> subsets_;  // (a, -1) singletons, (a, b) pairs with a < b
};

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
  std::vector<float> probabilities;     // capacity x 3: the forward pass's output

  void reset(std::size_t cap, int width) {
    capacity = cap;
    num_features = width;
    size = 0;
    features.assign(cap * static_cast<std::size_t>(width), 0.f);
    rows.assign(cap, Row{});
    raw_records.assign(cap, std::string{});
    probabilities.assign(cap * 3, 0.f);
  }
  float* row_features(std::size_t i) { return features.data() + i * static_cast<std::size_t>(num_features); }
};

}  // namespace smallcall
