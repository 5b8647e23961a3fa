#pragma once
// DeepVariant's haplotypes.maybe_resolve_conflicting_variants (deepvariant/haplotypes.py),
// the last step of postprocess_variants before the VCF: overlapping calls whose genotypes
// would need more than two alt alleles at a position get the most likely compatible
// configuration (GT and GL change; GQ, QUAL and FILTER stay), when the joint and marginal
// answers agree and at most 12 calls conflict.
#include <functional>
#include <string>
#include <vector>

#include "smallcall/postprocess.hpp"

namespace smallcall {

// Takes coordinate-sorted calls one at a time and hands them on, resolved, in the order
// postprocess writes them.
class ConflictResolver {
 public:
  using Emit = std::function<void(const std::string& contig, VcfCall&)>;
  explicit ConflictResolver(Emit emit) : emit_(std::move(emit)) {}
  void add(const std::string& contig, VcfCall call);
  void finish();

 private:
  Emit emit_;
  std::string contig_;
  int64_t max_end_ = -1;
  std::vector<VcfCall> group_;
};

// One group of overlapping calls (maybe_resolve_conflicting_variants' inner step, exposed for
// tests): returns them in output order.
std::vector<VcfCall> resolve_overlapping_calls(std::vector<VcfCall> group);

}  // namespace smallcall
