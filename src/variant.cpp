#include "smallcall/variant.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "smallcall/error.hpp"
#include "smallcall/protobuf.hpp"

namespace smallcall {

namespace {
using pb::Reader;
using pb::WireError;

void expect(int wire, int wanted, const char* what) {
  if (wire != wanted) throw WireError{std::string(what) + " has the wrong wire type " + std::to_string(wire)};
}

// The MID info entry: key "MID", value ListValue{values: [Value{string_value: "small_model"}]}.
std::string mid_entry() {
  std::string value, list, entry;
  pb::Writer(value).len_field(field::kValueString, "small_model");
  pb::Writer(list).len_field(field::kListValueValues, value);
  pb::Writer e(entry);
  e.len_field(1, "MID");
  e.len_field(2, list);
  return entry;
}

// calls[0] with any MID entry replaced by ours (and, with `sample`, its call_set_name);
// every other field kept byte for byte.
std::string mark_call(std::string_view call, const std::string* sample) {
  std::string out;
  Reader r(call);
  uint32_t f;
  int w;
  const char* field_start = r.position();
  while (r.next(f, w)) {
    bool keep = true;
    if (f == field::kCallInfo && w == pb::kLen) {
      // The entry's key is its last key field, as protobuf parses a map entry.
      Reader entry(r.bytes());
      uint32_t ef;
      int ew;
      std::string_view key;
      while (entry.next(ef, ew)) {
        if (ef == 1 && ew == pb::kLen) key = entry.bytes();
        else entry.skip(ew);
      }
      keep = key != "MID";
    } else {
      keep = !(sample && f == field::kCallSetName);
      r.skip(w);
    }
    if (keep) out.append(field_start, r.position());
    field_start = r.position();
  }
  pb::Writer(out).len_field(field::kCallInfo, mid_entry());
  if (sample) pb::Writer(out).len_field(field::kCallSetName, *sample);
  return out;
}

std::string new_call(const std::string& sample_name) {
  std::string call, genotype;
  pb::Writer g(genotype);
  g.varint(static_cast<uint64_t>(int64_t{-1}));  // int32 -1: sign-extended, 10 bytes
  g.varint(static_cast<uint64_t>(int64_t{-1}));
  pb::Writer c(call);
  c.len_field(field::kCallInfo, mid_entry());
  c.len_field(field::kCallGenotype, genotype);
  c.len_field(field::kCallSetName, sample_name);
  return call;
}

// One info map entry key -> ListValue of Values (int_value, or number_value for doubles).
std::string info_entry(std::string_view key, const std::vector<int64_t>* ints, const std::vector<double>* doubles) {
  std::string list, entry;
  pb::Writer l(list);
  std::string value;
  if (ints)
    for (int64_t v : *ints) {
      value.clear();
      pb::Writer(value).int64_field(field::kValueInt, v);
      l.len_field(field::kListValueValues, value);
    }
  if (doubles)
    for (double v : *doubles) {
      value.clear();
      pb::Writer(value).double_field(field::kValueNumber, v);
      l.len_field(field::kListValueValues, value);
    }
  pb::Writer e(entry);
  e.len_field(1, key);
  e.len_field(2, list);
  return entry;
}

}  // namespace

void encode_candidate_variant(std::string& out, const std::string& contig, int64_t start, int64_t end,
                              const std::string& ref, const std::vector<std::string>& alts, int64_t depth,
                              const std::vector<int64_t>& allele_depths, const std::string& sample_name) {
  std::string call, genotype;
  pb::Writer g(genotype);
  g.varint(static_cast<uint64_t>(int64_t{-1}));
  g.varint(static_cast<uint64_t>(int64_t{-1}));
  const std::vector<double> vaf = candidate_vaf(depth, allele_depths);
  const std::vector<int64_t> dp{depth};
  pb::Writer c(call);
  c.len_field(field::kCallInfo, info_entry("AD", &allele_depths, nullptr));
  c.len_field(field::kCallInfo, info_entry("DP", &dp, nullptr));
  c.len_field(field::kCallInfo, info_entry("VAF", nullptr, &vaf));
  c.len_field(field::kCallGenotype, genotype);
  c.len_field(field::kCallSetName, sample_name);
  pb::Writer v(out);
  v.len_field(field::kVariantReferenceBases, ref);
  for (const auto& a : alts) v.len_field(field::kVariantAlternateBases, a);
  v.len_field(field::kVariantCalls, call);
  v.int64_field(field::kVariantEnd, end);
  v.len_field(field::kVariantReferenceName, contig);
  v.int64_field(field::kVariantStart, start);
}

void encode_alt_allele_indices(std::string& out, const std::vector<int>& indices) {
  std::string packed;
  pb::Writer p(packed);
  for (int i : indices) p.varint(static_cast<uint64_t>(i));
  pb::Writer(out).len_field(1, packed);
}

VariantView decode_variant(std::string_view bytes) {
  VariantView v;
  decode_variant(bytes, v);
  return v;
}

void decode_variant(std::string_view bytes, VariantView& v) {
  v.reference_name = {};
  v.start = v.end = 0;
  v.reference_bases = {};
  v.alternate_bases.clear();
  v.calls.clear();
  Reader r(bytes);
  uint32_t f;
  int w;
  while (r.next(f, w)) {
    switch (f) {
      case field::kVariantReferenceName: expect(w, pb::kLen, "Variant.reference_name"); v.reference_name = r.bytes(); break;
      case field::kVariantStart: expect(w, pb::kVarint, "Variant.start"); v.start = static_cast<int64_t>(r.varint()); break;
      case field::kVariantEnd: expect(w, pb::kVarint, "Variant.end"); v.end = static_cast<int64_t>(r.varint()); break;
      case field::kVariantReferenceBases: expect(w, pb::kLen, "Variant.reference_bases"); v.reference_bases = r.bytes(); break;
      case field::kVariantAlternateBases: expect(w, pb::kLen, "Variant.alternate_bases"); v.alternate_bases.push_back(r.bytes()); break;
      case field::kVariantCalls: expect(w, pb::kLen, "Variant.calls"); v.calls.push_back(r.bytes()); break;
      default: r.skip(w);
    }
  }
}

std::vector<int> decode_alt_allele_indices(std::string_view bytes) {
  std::vector<int> out;
  decode_alt_allele_indices(bytes, out);
  return out;
}

void decode_alt_allele_indices(std::string_view bytes, std::vector<int>& out) {
  out.clear();
  pb::for_each_field(bytes, 1, [&](Reader& r, int w) {
    pb::for_each_varint(r, w, [&](uint64_t v) { out.push_back(static_cast<int>(static_cast<int64_t>(v))); });
  });
}

bool decode_call_info(const VariantView& v, CandidateInfo& c) {
  c.depth = -1;
  c.allele_depths.clear();
  c.allele_depths_int = true;
  c.vaf.clear();
  c.sample.clear();
  if (v.calls.empty()) return false;
  // Every Value of every info entry is walked (what the CVO writer copies must parse); AD, DP
  // and VAF are decoded on the way, straight into the candidate (this runs for every row).
  auto skip_values = [](std::string_view list) {
    pb::for_each_field(list, field::kListValueValues, [](Reader& l, int lw) {
      expect(lw, pb::kLen, "ListValue.values");
      Reader value(l.bytes());
      uint32_t vf;
      int vw;
      while (value.next(vf, vw)) value.skip(vw);
    });
  };
  bool vaf_ok = true, have_ad = false;
  Reader call(v.calls[0]);
  uint32_t f;
  int w;
  while (call.next(f, w)) {
    if (f == field::kCallSetName && w == pb::kLen) {
      c.sample.assign(call.bytes());
      continue;
    }
    if (f != field::kCallInfo) {
      call.skip(w);
      continue;
    }
    // VariantCall.info: map entries {key = 1, value = 2: ListValue{values = 1: Value}}.
    expect(w, pb::kLen, "VariantCall.info");
    std::string_view key, list;
    int lists = 0;
    Reader entry(call.bytes());
    uint32_t ef;
    int ew;
    while (entry.next(ef, ew)) {
      if (ef == 1 && ew == pb::kLen) {
        key = entry.bytes();
      } else if (ef == 2 && ew == pb::kLen) {
        if (lists++) skip_values(list);  // a repeated value field: the last wins
        list = entry.bytes();
      } else {
        entry.skip(ew);
      }
    }
    const int which = key == "AD" ? 0 : key == "DP" ? 1 : key == "VAF" ? 2 : -1;
    if (which < 0) {
      skip_values(list);
      continue;
    }
    if (which == 0) c.allele_depths.clear(), c.allele_depths_int = true, have_ad = true;  // a repeated key: the last wins
    if (which == 2) c.vaf.clear(), vaf_ok = true;
    std::size_t n = 0;
    pb::for_each_field(list, field::kListValueValues, [&](Reader& l, int lw) {
      expect(lw, pb::kLen, "ListValue.values");
      Reader value(l.bytes());
      uint32_t vf;
      int vw;
      int64_t count = -1;  // this Value as a count; -1 when it is not one
      double number = std::nan("");
      bool is_int = false;
      while (value.next(vf, vw)) {  // a oneof: the last kind set wins
        if (vf == field::kValueInt && vw == pb::kVarint) {
          count = static_cast<int32_t>(value.varint());
          number = static_cast<double>(count);
          is_int = true;
        } else if (vf == field::kValueNumber && vw == pb::kI64) {
          const uint64_t bits = value.fixed64();
          double d;
          std::memcpy(&d, &bits, 8);
          // A depth is a count: anything else (NaN, negative, huge) makes the field unusable.
          count = d >= 0 && d < 2147483648.0 ? static_cast<int64_t>(d) : -1;
          number = d;
          is_int = false;
        } else {
          value.skip(vw);
        }
      }
      ++n;
      if (which == 0) {
        c.allele_depths.push_back(count);
        c.allele_depths_int = c.allele_depths_int && is_int;
      } else if (which == 1) {
        c.depth = n == 1 ? count : -1;  // DP holds one value
      } else {
        c.vaf.push_back(number);
        vaf_ok = vaf_ok && std::isfinite(number);
      }
    });
    if (which == 1 && n != 1) c.depth = -1;
  }
  if (!vaf_ok || c.vaf.size() != v.alternate_bases.size()) c.vaf.clear();
  const bool counts = std::all_of(c.allele_depths.begin(), c.allele_depths.end(), [](int64_t x) { return x >= 0; });
  const bool ok = have_ad && c.depth >= 0 && counts && c.allele_depths.size() == v.alternate_bases.size() + 1;
  if (!ok) {
    c.depth = -1;
    c.allele_depths.clear();
    c.allele_depths_int = true;
  }
  return ok;
}

std::vector<double> candidate_vaf(int64_t depth, const std::vector<int64_t>& allele_depths) {
  std::vector<double> vaf;
  for (std::size_t k = 1; k < allele_depths.size(); ++k)
    vaf.push_back(depth > 0 ? static_cast<double>(allele_depths[k]) / static_cast<double>(depth) : 0.0);
  return vaf;
}

void read_candidate(Row& row) {
  CandidateInfo& c = row.candidate;
  thread_local VariantView v;  // its vectors keep their capacity from row to row
  decode_variant(c.variant_proto, v);
  decode_alt_allele_indices(c.alt_indices_proto, row.alt_indices);
  for (int i : row.alt_indices)
    if (i < 0 || static_cast<std::size_t>(i) >= v.alternate_bases.size())
      throw DataError("alt_allele_indices/encoded index " + std::to_string(i) + " is out of range for a variant with " +
                      std::to_string(v.alternate_bases.size()) + " alts");
  c.alts.resize(v.alternate_bases.size());
  for (std::size_t k = 0; k < c.alts.size(); ++k) c.alts[k].assign(v.alternate_bases[k]);
  // calls[0] down to each Value of its info map (what the CVO writer walks and copies), with
  // the sample, DP, AD and VAF.
  decode_call_info(v, c);
  row.is_multiallelic = row.is_multiallelic || has_multiple_real_alts(v);
}

const std::string& candidate_variant(const Row& row, std::string& scratch) {
  const CandidateInfo& c = row.candidate;
  if (!c.variant_proto.empty()) return c.variant_proto;
  scratch.clear();
  encode_candidate_variant(scratch, row.contig, row.start, row.end, row.ref, c.alts, c.depth, c.allele_depths,
                           c.sample);
  return scratch;
}

const std::string& candidate_alt_indices(const Row& row, std::string& scratch) {
  if (!row.candidate.alt_indices_proto.empty()) return row.candidate.alt_indices_proto;
  scratch.clear();
  encode_alt_allele_indices(scratch, row.alt_indices);
  return scratch;
}

bool has_multiple_real_alts(const VariantView& v) {
  int n = 0;
  for (auto a : v.alternate_bases) n += a != "." && a != "<*>" && a != "<NON_REF>";
  return n > 1;
}

void encode_call_variants_output(std::string& out, const Row& row, const float p[3],
                                 const std::string& sample_name, bool sample_given) {
  std::string variant, indices, scratch;
  if (row.has_candidate) {
    // The candidate verbatim, but for its calls: calls[0] marked MID, the rest dropped.
    Reader r(candidate_variant(row, scratch));
    uint32_t f;
    int w;
    const char* field_start = r.position();
    std::string_view first_call;
    bool have_call = false;
    while (r.next(f, w)) {
      if (f == field::kVariantCalls && w == pb::kLen) {
        const std::string_view call = r.bytes();
        if (!have_call) first_call = call, have_call = true;
      } else {
        r.skip(w);
        variant.append(field_start, r.position());
      }
      field_start = r.position();
    }
    pb::Writer(variant).len_field(field::kVariantCalls, have_call ? mark_call(first_call, sample_given ? &sample_name : nullptr)
                                                                  : new_call(sample_name));
    indices = candidate_alt_indices(row, scratch);
  } else {
    pb::Writer v(variant);
    v.len_field(field::kVariantReferenceBases, row.ref);
    std::vector<int> all;
    for (const auto& a : row.alts) {
      v.len_field(field::kVariantAlternateBases, a);
      all.push_back(static_cast<int>(all.size()));
    }
    v.len_field(field::kVariantCalls, new_call(sample_name));
    v.int64_field(field::kVariantEnd, row.end);
    v.len_field(field::kVariantReferenceName, row.contig);
    v.int64_field(field::kVariantStart, row.start);
    encode_alt_allele_indices(indices, all);
  }
  pb::Writer cvo(out);
  cvo.len_field(field::kCvoVariant, variant);
  cvo.len_field(field::kCvoAltAlleleIndices, indices);
  char probs[24];
  for (int i = 0; i < 3; ++i) {
    const double d = p[i];
    std::memcpy(probs + 8 * i, &d, 8);
  }
  cvo.len_field(field::kCvoGenotypeProbabilities, std::string_view(probs, 24));
}

}  // namespace smallcall
