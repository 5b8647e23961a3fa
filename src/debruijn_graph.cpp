#include "smallcall/debruijn_graph.hpp"

#include <algorithm>
#include <cstring>
#include <deque>
#include <unordered_set>

#include "smallcall/kmer_hash.hpp"

namespace smallcall {

namespace {

bool good_base(char c) { return c == 'A' || c == 'C' || c == 'G' || c == 'T'; }

}  // namespace

void DeBruijnGraph::grow_table() {
  // Twice the slots, every vertex put back (ids unchanged).
  std::vector<std::pair<uint64_t, int>> old;
  old.swap(table_);
  table_.assign(2 * old.size(), {0, 0});
  table_mask_ = table_.size() - 1;
  for (const auto& entry : old) {
    if (entry.second == 0) continue;
    std::size_t slot = slot_of(entry.first);
    while (table_[slot].second != 0) slot = (slot + 1) & table_mask_;
    table_[slot] = entry;
  }
}

int DeBruijnGraph::vertex(std::size_t offset, uint64_t hash) {
  const auto k = static_cast<std::size_t>(k_);
  std::size_t slot = slot_of(hash);
  while (true) {
    auto& entry = table_[slot];
    if (entry.second == 0) {
      if (2 * (kmer_at_.size() + 1) > table_.size()) {  // keep the table at most half full
        grow_table();
        return vertex(offset, hash);
      }
      const int id = static_cast<int>(kmer_at_.size());
      entry = {hash, id + 1};
      kmer_at_.push_back(offset);
      head_.push_back(-1);
      alive_.push_back(1);
      return id;
    }
    if (entry.first == hash &&
        std::memcmp(text_.data() + kmer_at_[static_cast<std::size_t>(entry.second - 1)], text_.data() + offset, k) == 0)
      return entry.second - 1;
    slot = (slot + 1) & table_mask_;
  }
}

void DeBruijnGraph::add_edge(int from, int to, bool is_ref) {
  for (int e = head_[static_cast<std::size_t>(from)]; e >= 0; e = building_[static_cast<std::size_t>(e)].second) {
    OutEdge& out = building_[static_cast<std::size_t>(e)].first;
    if (out.to == to) {
      ++out.edge.weight;
      out.edge.is_ref = out.edge.is_ref || is_ref;
      return;
    }
  }
  building_.push_back({OutEdge{to, Edge{1, is_ref}, true}, head_[static_cast<std::size_t>(from)]});
  head_[static_cast<std::size_t>(from)] = static_cast<int>(building_.size() - 1);
}

void DeBruijnGraph::finish() {
  const std::size_t n = kmer_at_.size();
  first_.assign(n + 1, 0);
  edges_.clear();
  edges_.reserve(building_.size());
  for (std::size_t u = 0; u < n; ++u) {
    first_[u] = static_cast<int>(edges_.size());
    for (int e = head_[u]; e >= 0; e = building_[static_cast<std::size_t>(e)].second)
      edges_.push_back(building_[static_cast<std::size_t>(e)].first);
    std::sort(edges_.begin() + first_[u], edges_.end(), [](const OutEdge& a, const OutEdge& b) { return a.to < b.to; });
  }
  first_[n] = static_cast<int>(edges_.size());
  std::vector<std::pair<OutEdge, int>>().swap(building_);
  std::vector<int>().swap(head_);
  std::vector<std::pair<uint64_t, int>>().swap(table_);
}

bool DeBruijnGraph::has_out_edges(int v) const {
  for (int e = first_[static_cast<std::size_t>(v)]; e < first_[static_cast<std::size_t>(v) + 1]; ++e)
    if (edges_[static_cast<std::size_t>(e)].alive) return true;
  return false;
}

DeBruijnGraph::DeBruijnGraph(std::string_view ref, const std::vector<GraphRead>& reads, int k,
                             const DeBruijnOptions& options)
    : k_(k), options_(options) {
  const auto uk = static_cast<std::size_t>(k);
  std::size_t total = ref.size();
  for (const GraphRead& r : reads)
    if (r.mapq >= options.min_mapq && r.bases.size() > uk) total += r.bases.size();
  text_.reserve(total);
  // Sized for the reference's k-mers and as many again from the reads; grown when needed.
  std::size_t capacity = 64;
  while (capacity < 4 * ref.size()) capacity <<= 1;
  table_.assign(capacity, {0, 0});
  table_mask_ = capacity - 1;
  const KmerHash hash_of(uk);
  // The consecutive k-mers of text_[from, to) (at least k + 1 bases), an edge between each two.
  auto walk = [&](std::size_t from, std::size_t to, bool is_ref) {
    uint64_t h = hash_of(text_.data() + from);
    int u = vertex(from, h);
    for (std::size_t j = from; j + uk < to; ++j) {
      h = hash_of.roll(h, text_.data() + j);
      // An edge u -> t already there whose k-mer ends in the next base leads to the next
      // k-mer's vertex (t's k-mer is u's shifted by one base): no lookup needed.
      const char next = text_[j + uk];
      int v = -1;
      for (int e = head_[static_cast<std::size_t>(u)]; e >= 0; e = building_[static_cast<std::size_t>(e)].second) {
        OutEdge& out = building_[static_cast<std::size_t>(e)].first;
        if (text_[kmer_at_[static_cast<std::size_t>(out.to)] + uk - 1] == next) {
          ++out.edge.weight;
          out.edge.is_ref = out.edge.is_ref || is_ref;
          v = out.to;
          break;
        }
      }
      if (v < 0) {
        v = vertex(j + 1, h);
        add_edge(u, v, is_ref);
      }
      u = v;
    }
  };
  // The reference: consecutive k-mers, reference edges; source and sink its ends.
  text_.append(ref);
  if (k < 1 || ref.size() <= uk) {  // no edge: an empty graph (assemble_haplotypes never asks)
    finish();
    return;
  }
  walk(0, ref.size(), true);
  source_ = vertex(0, hash_of(text_.data()));
  sink_ = vertex(ref.size() - uk, hash_of(text_.data() + ref.size() - uk));
  // Reads: every run of good bases (ACGT, quality >= min) of at least k + 1 gives the
  // edges between its consecutive k-mers. Reads are not reverse-complemented.
  for (const GraphRead& r : reads) {
    if (r.mapq < options.min_mapq || r.bases.size() <= uk) continue;
    const std::size_t at = text_.size();
    text_.append(r.bases);
    const std::size_t n = r.bases.size();
    auto bad = [&](std::size_t i) { return !good_base(r.bases[i]) || r.qualities[i] < options.min_base_quality; };
    std::size_t i = 0;
    while (i < n - uk) {
      std::size_t next_bad = i;
      while (next_bad < n && !bad(next_bad)) ++next_bad;
      if (next_bad - i > uk) walk(at + i, at + next_bad, false);
      i = next_bad + 1;
    }
  }
  finish();
}

bool DeBruijnGraph::has_cycle() const {
  // Iterative depth-first search over every vertex: an edge to a vertex on the stack closes
  // a cycle (a self-loop too).
  const std::size_t n = kmer_at_.size();
  std::vector<uint8_t> colour(n, 0);  // 0 white, 1 on the stack, 2 done
  std::vector<std::pair<int, int>> stack;  // (vertex, next edge)
  for (std::size_t s = 0; s < n; ++s) {
    if (colour[s] || !alive_[s]) continue;
    colour[s] = 1;
    stack.emplace_back(static_cast<int>(s), first_[s]);
    while (!stack.empty()) {
      auto& [u, e] = stack.back();
      if (e == first_[static_cast<std::size_t>(u) + 1]) {
        colour[static_cast<std::size_t>(u)] = 2;
        stack.pop_back();
        continue;
      }
      const OutEdge& out = edges_[static_cast<std::size_t>(e++)];
      const auto v = static_cast<std::size_t>(out.to);
      if (!out.alive || !alive_[v]) continue;
      if (colour[v] == 1) return true;
      if (colour[v] == 0) {
        colour[v] = 1;
        stack.emplace_back(out.to, first_[v]);
      }
    }
  }
  return false;
}

void DeBruijnGraph::prune() {
  const std::size_t n = kmer_at_.size();
  if (source_ < 0) return;
  for (OutEdge& e : edges_)
    if (!e.edge.is_ref && e.edge.weight < options_.min_edge_weight) e.alive = false;
  // In-edges (alive ones), as CSR.
  std::vector<int> in_first(n + 1, 0), in;
  for (const OutEdge& e : edges_)
    if (e.alive) ++in_first[static_cast<std::size_t>(e.to) + 1];
  for (std::size_t v = 0; v < n; ++v) in_first[v + 1] += in_first[v];
  in.resize(static_cast<std::size_t>(in_first[n]));
  {
    std::vector<int> fill(in_first.begin(), in_first.end() - 1);
    for (std::size_t u = 0; u < n; ++u)
      for (int e = first_[u]; e < first_[u + 1]; ++e)
        if (edges_[static_cast<std::size_t>(e)].alive)
          in[static_cast<std::size_t>(fill[static_cast<std::size_t>(edges_[static_cast<std::size_t>(e)].to)]++)] =
              static_cast<int>(u);
  }
  auto reach = [&](int start, bool forward) {
    std::vector<char> seen(n, 0);
    std::vector<int> todo{start};
    seen[static_cast<std::size_t>(start)] = 1;
    while (!todo.empty()) {
      const auto u = static_cast<std::size_t>(todo.back());
      todo.pop_back();
      auto visit = [&](int v) {
        if (!seen[static_cast<std::size_t>(v)]) seen[static_cast<std::size_t>(v)] = 1, todo.push_back(v);
      };
      if (forward) {
        for (int e = first_[u]; e < first_[u + 1]; ++e)
          if (edges_[static_cast<std::size_t>(e)].alive) visit(edges_[static_cast<std::size_t>(e)].to);
      } else {
        for (int i = in_first[u]; i < in_first[u + 1]; ++i) visit(in[static_cast<std::size_t>(i)]);
      }
    }
    return seen;
  };
  const std::vector<char> from_source = reach(source_, true), to_sink = reach(sink_, false);
  for (std::size_t u = 0; u < n; ++u) alive_[u] = from_source[u] && to_sink[u];
  for (std::size_t u = 0; u < n; ++u)
    for (int e = first_[u]; e < first_[u + 1]; ++e) {
      OutEdge& out = edges_[static_cast<std::size_t>(e)];
      out.alive = out.alive && alive_[u] && alive_[static_cast<std::size_t>(out.to)];
    }
}

std::vector<std::string> DeBruijnGraph::candidate_haplotypes() const {
  if (source_ < 0) return {};
  // Breadth-first over paths from the source, given up when the paths done and queued exceed
  // max_num_paths at the start of an iteration (DeepVariant's CandidatePaths). A path is its
  // last vertex and the path it extends (an index into `paths`), so extending one copies
  // nothing; the queue holds paths in DeepVariant's order.
  struct Path {
    int vertex, parent;
  };
  std::vector<Path> paths{{source_, -1}};
  std::deque<int> queue{0};
  std::vector<int> done;
  const auto max_paths = static_cast<std::size_t>(std::max(0, options_.max_num_paths));
  while (!queue.empty()) {
    if (done.size() + queue.size() > max_paths) return {};
    const int p = queue.front();
    queue.pop_front();
    const auto u = static_cast<std::size_t>(paths[static_cast<std::size_t>(p)].vertex);
    for (int e = first_[u]; e < first_[u + 1]; ++e) {
      const OutEdge& out = edges_[static_cast<std::size_t>(e)];
      if (!out.alive) continue;
      paths.push_back({out.to, p});
      const int q = static_cast<int>(paths.size() - 1);
      if (out.to == sink_ || !has_out_edges(out.to)) done.push_back(q);
      else queue.push_back(q);
    }
  }
  std::vector<std::string> haplotypes;
  std::vector<int> vertices;
  for (int end : done) {
    vertices.clear();
    for (int p = end; p >= 0; p = paths[static_cast<std::size_t>(p)].parent)
      vertices.push_back(paths[static_cast<std::size_t>(p)].vertex);
    std::string h;
    h.reserve(vertices.size() + static_cast<std::size_t>(k_));
    for (auto it = vertices.rbegin(); it != vertices.rend(); ++it) h += kmer(*it)[0];
    h += kmer(vertices.front()).substr(1);
    haplotypes.push_back(std::move(h));
  }
  std::sort(haplotypes.begin(), haplotypes.end());
  return haplotypes;
}

std::map<std::pair<std::string, std::string>, DeBruijnGraph::Edge> DeBruijnGraph::edges() const {
  std::map<std::pair<std::string, std::string>, Edge> out;
  for (std::size_t u = 0; u < kmer_at_.size(); ++u)
    for (int e = first_[u]; e < first_[u + 1]; ++e) {
      const OutEdge& o = edges_[static_cast<std::size_t>(e)];
      if (o.alive) out[{std::string(kmer(static_cast<int>(u))), std::string(kmer(o.to))}] = o.edge;
    }
  return out;
}

int smallest_unique_k(std::string_view ref, const DeBruijnOptions& options) {
  const int max_k = std::min(options.max_k, static_cast<int>(ref.size()) - 1);
  for (int k = options.min_k; k <= max_k; ++k) {
    std::unordered_set<std::string_view> seen;
    bool unique = true;
    for (std::size_t i = 0; i + static_cast<std::size_t>(k) <= ref.size() && unique; ++i)
      unique = seen.insert(ref.substr(i, static_cast<std::size_t>(k))).second;
    if (unique) return k;
  }
  return -1;
}

Assembly assemble_haplotypes(std::string_view ref, const std::vector<GraphRead>& reads, const DeBruijnOptions& options) {
  Assembly out;
  const int min_k = smallest_unique_k(ref, options);
  if (min_k < 0) return out;  // kNoGraph
  const int max_k = std::min(options.max_k, static_cast<int>(ref.size()) - 1);
  for (int k = min_k; k <= max_k; k += std::max(1, options.step_k)) {
    DeBruijnGraph graph(ref, reads, k, options);
    if (graph.has_cycle()) continue;
    graph.prune();
    out.k = k;
    out.haplotypes = graph.candidate_haplotypes();
    out.status = out.haplotypes.empty() ? AssemblyStatus::kTooManyPaths : AssemblyStatus::kHaplotypes;
    return out;
  }
  return out;  // every k had a cycle: kNoGraph
}

}  // namespace smallcall
