#pragma once
// DeepVariant's De Bruijn graph assembly of a realignment window
// (deepvariant/realigner/debruijn_graph.cc): the reference window's k-mers and the reads'
// k-mers of good bases, for the smallest k at which the reference k-mers are unique and the
// graph is acyclic; weak non-reference edges pruned; every source-to-sink path a haplotype,
// unless there are too many (deepvariant-realigner.md section 6).
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "smallcall/options.hpp"

namespace smallcall {

// A read as the graph reads it: its whole sequence upper-cased (soft clips included), its
// base qualities and its mapping quality.
struct GraphRead {
  std::string_view bases;
  const uint8_t* qualities = nullptr;
  int mapq = 0;
};

class DeBruijnGraph {
 public:
  struct Edge {
    int weight = 0;
    bool is_ref = false;
  };
  // The graph of `ref` and the reads for one k (before pruning). The k-mers are copied: the
  // graph does not keep `ref` or the reads.
  DeBruijnGraph(std::string_view ref, const std::vector<GraphRead>& reads, int k, const DeBruijnOptions& options);
  bool has_cycle() const;
  // Deletes non-reference edges lighter than min_edge_weight, then every vertex not on a
  // source-to-sink path.
  void prune();
  // The haplotypes of every source-to-sink path, sorted; empty when there are more than
  // max_num_paths.
  std::vector<std::string> candidate_haplotypes() const;
  // The edges as (from k-mer, to k-mer) -> edge, for tests.
  std::map<std::pair<std::string, std::string>, Edge> edges() const;
  int k() const { return k_; }

 private:
  // A vertex: its k-mer's offset in text_; its out-edges edges_[first_[v], first_[v + 1])
  // sorted by target (DeepVariant's boost setS order) once built.
  struct OutEdge {
    int to;
    Edge edge;
    bool alive;
  };
  int vertex(std::size_t offset, uint64_t hash);
  std::size_t slot_of(uint64_t hash) const { return static_cast<std::size_t>((hash * 0x9E3779B97F4A7C15ull) >> 20) & table_mask_; }
  void grow_table();
  void add_edge(int from, int to, bool is_ref);
  void finish();  // the edge lists, as built, into sorted per-vertex ranges
  std::string_view kmer(int v) const { return std::string_view(text_).substr(kmer_at_[static_cast<std::size_t>(v)], static_cast<std::size_t>(k_)); }
  bool has_out_edges(int v) const;

  int k_;
  DeBruijnOptions options_;
  std::string text_;                  // the reference then every read, one after another
  std::vector<std::size_t> kmer_at_;  // vertex -> offset of its k-mer in text_
  // Open addressing: slot -> (k-mer hash, vertex + 1), 0 = empty.
  std::vector<std::pair<uint64_t, int>> table_;
  uint64_t table_mask_ = 0;
  // While building: singly linked out-edge lists (head per vertex, next per edge).
  std::vector<int> head_;
  std::vector<std::pair<OutEdge, int>> building_;
  std::vector<int> first_;            // after finish(): CSR offsets into edges_
  std::vector<OutEdge> edges_;
  std::vector<char> alive_;
  int source_ = -1, sink_ = -1;
};

enum class AssemblyStatus { kHaplotypes, kNoGraph, kTooManyPaths };

struct Assembly {
  AssemblyStatus status = AssemblyStatus::kNoGraph;
  int k = 0;                            // the k used (kHaplotypes, kTooManyPaths)
  std::vector<std::string> haplotypes;  // sorted; the reference among them
};

// The smallest k in [min_k, min(max_k, len(ref) - 1)] with distinct reference k-mers, or -1.
int smallest_unique_k(std::string_view ref, const DeBruijnOptions& options);

// DeepVariant's DeBruijnGraph::Build + CandidateHaplotypes for an upper-case reference
// window and the reads overlapping it.
Assembly assemble_haplotypes(std::string_view ref, const std::vector<GraphRead>& reads, const DeBruijnOptions& options);

}  // namespace smallcall
