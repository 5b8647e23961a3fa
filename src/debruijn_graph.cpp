#include "smallcall/debruijn_graph.hpp"

#include <algorithm>
#include <deque>
#include <unordered_set>

namespace smallcall {

namespace {
bool good_base(char c) { return c == 'A' || c == 'C' || c == 'G' || c == 'T'; }
}  // namespace

int DeBruijnGraph::vertex(std::string_view kmer) {
  auto it = ids_.find(std::string(kmer));
  if (it != ids_.end()) return it->second;
  const int id = static_cast<int>(kmers_.size());
  ids_.emplace(std::string(kmer), id);
  kmers_.emplace_back(kmer);
  out_.emplace_back();
  alive_.push_back(1);
  return id;
}

void DeBruijnGraph::add_edge(std::string_view from, std::string_view to, bool is_ref) {
  const int u = vertex(from), v = vertex(to);
  Edge& e = out_[static_cast<std::size_t>(u)][v];
  ++e.weight;
  e.is_ref = e.is_ref || is_ref;
}

DeBruijnGraph::DeBruijnGraph(std::string_view ref, const std::vector<GraphRead>& reads, int k,
                             const DeBruijnOptions& options)
    : k_(k), options_(options) {
  const auto uk = static_cast<std::size_t>(k);
  // The reference: consecutive k-mers, reference edges; source and sink its ends.
  for (std::size_t i = 0; i + uk < ref.size(); ++i) add_edge(ref.substr(i, uk), ref.substr(i + 1, uk), true);
  source_ = vertex(ref.substr(0, uk));
  sink_ = vertex(ref.substr(ref.size() - uk, uk));
  // Reads: every run of good bases (ACGT, quality >= min) of at least k + 1 gives the
  // edges between its consecutive k-mers. Reads are not reverse-complemented.
  for (const GraphRead& r : reads) {
    if (r.mapq < options.min_mapq || r.bases.size() <= uk) continue;
    const std::size_t n = r.bases.size();
    auto bad = [&](std::size_t i) { return !good_base(r.bases[i]) || r.qualities[i] < options.min_base_quality; };
    std::size_t i = 0;
    while (i < n - uk) {
      std::size_t next_bad = i;
      while (next_bad < n && !bad(next_bad)) ++next_bad;
      for (std::size_t j = i; j + uk < next_bad; ++j) add_edge(r.bases.substr(j, uk), r.bases.substr(j + 1, uk), false);
      i = next_bad + 1;
    }
  }
}

bool DeBruijnGraph::has_cycle() const {
  // Iterative depth-first search over every vertex: an edge to a vertex on the stack closes
  // a cycle (a self-loop too).
  const std::size_t n = kmers_.size();
  std::vector<uint8_t> colour(n, 0);  // 0 white, 1 on the stack, 2 done
  std::vector<std::pair<int, std::map<int, Edge>::const_iterator>> stack;
  for (std::size_t s = 0; s < n; ++s) {
    if (colour[s] || !alive_[s]) continue;
    colour[s] = 1;
    stack.emplace_back(static_cast<int>(s), out_[s].begin());
    while (!stack.empty()) {
      auto& [u, it] = stack.back();
      const auto& edges = out_[static_cast<std::size_t>(u)];
      if (it == edges.end()) {
        colour[static_cast<std::size_t>(u)] = 2;
        stack.pop_back();
        continue;
      }
      const int v = it->first;
      ++it;
      if (!alive_[static_cast<std::size_t>(v)]) continue;
      if (colour[static_cast<std::size_t>(v)] == 1) return true;
      if (colour[static_cast<std::size_t>(v)] == 0) {
        colour[static_cast<std::size_t>(v)] = 1;
        stack.emplace_back(v, out_[static_cast<std::size_t>(v)].begin());
      }
    }
  }
  return false;
}

void DeBruijnGraph::prune() {
  for (auto& edges : out_)
    for (auto it = edges.begin(); it != edges.end();)
      it = !it->second.is_ref && it->second.weight < options_.min_edge_weight ? edges.erase(it) : std::next(it);
  const std::size_t n = kmers_.size();
  std::vector<std::vector<int>> in(n);
  for (std::size_t u = 0; u < n; ++u)
    for (const auto& [v, e] : out_[u]) in[static_cast<std::size_t>(v)].push_back(static_cast<int>(u));
  auto reach = [&](int start, bool forward) {
    std::vector<char> seen(n, 0);
    std::vector<int> todo{start};
    seen[static_cast<std::size_t>(start)] = 1;
    while (!todo.empty()) {
      const int u = todo.back();
      todo.pop_back();
      auto visit = [&](int v) {
        if (!seen[static_cast<std::size_t>(v)]) seen[static_cast<std::size_t>(v)] = 1, todo.push_back(v);
      };
      if (forward)
        for (const auto& [v, e] : out_[static_cast<std::size_t>(u)]) visit(v);
      else
        for (int v : in[static_cast<std::size_t>(u)]) visit(v);
    }
    return seen;
  };
  const std::vector<char> from_source = reach(source_, true), to_sink = reach(sink_, false);
  for (std::size_t u = 0; u < n; ++u) alive_[u] = from_source[u] && to_sink[u];
  for (std::size_t u = 0; u < n; ++u) {
    if (!alive_[u]) {
      out_[u].clear();
      continue;
    }
    for (auto it = out_[u].begin(); it != out_[u].end();)
      it = alive_[static_cast<std::size_t>(it->first)] ? std::next(it) : out_[u].erase(it);
  }
}

std::vector<std::string> DeBruijnGraph::candidate_haplotypes() const {
  // Breadth-first over paths from the source, given up when the paths done and queued exceed
  // max_num_paths at the start of an iteration (DeepVariant's CandidatePaths).
  std::deque<std::vector<int>> queue{{source_}};
  std::vector<std::vector<int>> done;
  const auto max_paths = static_cast<std::size_t>(std::max(0, options_.max_num_paths));
  while (!queue.empty()) {
    if (done.size() + queue.size() > max_paths) return {};
    std::vector<int> p = std::move(queue.front());
    queue.pop_front();
    for (const auto& [v, e] : out_[static_cast<std::size_t>(p.back())]) {
      std::vector<int> q = p;
      q.push_back(v);
      if (v == sink_ || out_[static_cast<std::size_t>(v)].empty()) done.push_back(std::move(q));
      else queue.push_back(std::move(q));
    }
  }
  std::vector<std::string> haplotypes;
  for (const auto& path : done) {
    std::string h;
    for (int v : path) h += kmers_[static_cast<std::size_t>(v)][0];
    h += kmers_[static_cast<std::size_t>(path.back())].substr(1);
    haplotypes.push_back(std::move(h));
  }
  std::sort(haplotypes.begin(), haplotypes.end());
  return haplotypes;
}

std::map<std::pair<std::string, std::string>, DeBruijnGraph::Edge> DeBruijnGraph::edges() const {
  std::map<std::pair<std::string, std::string>, Edge> out;
  for (std::size_t u = 0; u < kmers_.size(); ++u)
    for (const auto& [v, e] : out_[u]) out[{kmers_[u], kmers_[static_cast<std::size_t>(v)]}] = e;
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
