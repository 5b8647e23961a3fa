#include "smallcall/example.hpp"

#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "smallcall/error.hpp"
#include "smallcall/protobuf.hpp"
#include "smallcall/variant.hpp"

namespace smallcall {

namespace {

using pb::Reader;

constexpr std::string_view kFeaturesKey = "features/encoded";
constexpr std::string_view kIdsKey = "ids/encoded";
constexpr std::string_view kRegionKey = "region/encoded";
constexpr std::string_view kVariantKey = "variant/encoded";
constexpr std::string_view kAltIndicesKey = "alt_allele_indices/encoded";
constexpr std::string_view kLabelKey = "label/encoded";
constexpr std::string_view kRealignmentKey = "realignment_sensitive/encoded";
// smallcall's own: a row whose candidate is multi-allelic though nothing else in the row says
// so (a TSV row with an is_multiallelic column the model does not use).
constexpr std::string_view kMultiallelicKey = "is_multiallelic/encoded";

// Feature.kind fields.
constexpr uint32_t kBytesList = 1, kFloatList = 2, kInt64List = 3;

struct FeatureSpans {
  std::string_view features, ids, region, variant, alt_indices, label, realignment, multiallelic;
  bool has_features = false, has_ids = false, has_region = false, has_variant = false, has_alt_indices = false,
       has_label = false, has_realignment = false, has_multiallelic = false;
};

void expect_len(int wire, std::string_view what) {
  if (wire != pb::kLen) throw DataError(std::string(what) + " has the wrong wire type " + std::to_string(wire));
}

// Which oneof kind a Feature holds (the last one set wins) and its list bytes.
uint32_t feature_kind(std::string_view feature, std::string_view& list) {
  Reader r(feature);
  uint32_t kind = 0, f;
  int w;
  while (r.next(f, w)) {
    if (f == kBytesList || f == kFloatList || f == kInt64List) {
      expect_len(w, "a Feature list");
      kind = f;
      list = r.bytes();
    } else {
      r.skip(w);
    }
  }
  return kind;
}

std::vector<std::string_view> bytes_values(std::string_view feature, std::string_view key) {
  std::string_view list;
  const uint32_t kind = feature_kind(feature, list);
  if (kind != kBytesList) throw DataError(std::string(key) + " must be a bytes_list");
  std::vector<std::string_view> out;
  pb::for_each_field(list, 1, [&](Reader& r, int w) {
    expect_len(w, std::string(key) + " value");
    out.push_back(r.bytes());
  });
  return out;
}

// Decodes an int64_list or float_list into out[0..capacity) and returns the count (out null:
// counts only); `expected` words the limit in the message.
int decode_values(std::string_view feature, float* out, int capacity, const std::string& expected) {
  std::string_view list;
  const uint32_t kind = feature_kind(feature, list);
  if (kind != kInt64List && kind != kFloatList)
    throw DataError("features/encoded must be an int64_list or a float_list");
  int count = 0;
  auto put = [&](float v) {
    if (count >= capacity) throw DataError("features/encoded has more than " + expected);
    if (!std::isfinite(v)) throw DataError("features/encoded value " + std::to_string(count) + " is not finite");
    if (out) out[count] = v;
    ++count;
  };
  pb::for_each_field(list, 1, [&](Reader& r, int w) {
    if (kind == kInt64List) {
      pb::for_each_varint(r, w, [&](uint64_t v) { put(static_cast<float>(static_cast<int64_t>(v))); });
    } else if (w == pb::kLen) {
      const std::string_view packed = r.bytes();
      if (packed.size() % 4) throw DataError("packed float_list length is not a multiple of 4");
      for (std::size_t i = 0; i < packed.size(); i += 4) {
        float v;
        std::memcpy(&v, packed.data() + i, 4);
        put(v);
      }
    } else if (w == pb::kI32) {
      const uint32_t bits = r.fixed32();
      float v;
      std::memcpy(&v, &bits, 4);
      put(v);
    } else {
      throw DataError("float_list value has the wrong wire type " + std::to_string(w));
    }
  });
  return count;
}

// Exactly n values; `source` says who expects them ("the model", or the sidecar naming them).
void decode_features(std::string_view feature, int n, float* out, const std::string& source = "the model") {
  const int count = decode_values(feature, out, n, source + "'s " + std::to_string(n) + " features");
  if (count != n)
    throw DataError("features/encoded has " + std::to_string(count) + " values; " + source + " expects " +
                    std::to_string(n));
}

int64_t parse_coordinate(std::string_view s, const char* name) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size() || v < 0)
    throw DataError(std::string("ids/encoded ") + name + " is not a non-negative integer: \"" +
                    std::string(s.substr(0, 40)) + "\"");
  return v;
}

void decode_spans(std::string_view payload, FeatureSpans& s) {
  // Example.features (1) -> Features.feature (1): map entries {key = 1, value = 2}.
  pb::for_each_field(payload, 1, [&](Reader& example, int w) {
    expect_len(w, "Example.features");
    pb::for_each_field(example.bytes(), 1, [&](Reader& features, int w2) {
      expect_len(w2, "Features.feature");
      Reader entry(features.bytes());
      std::string_view key, value;
      uint32_t f;
      int w3;
      while (entry.next(f, w3)) {
        if (f == 1) {
          expect_len(w3, "a feature key");
          key = entry.bytes();
        } else if (f == 2) {
          expect_len(w3, "a feature value");
          value = entry.bytes();
        } else {
          entry.skip(w3);
        }
      }
      // A repeated key: the last value wins, as protobuf map merging does.
      if (key == kFeaturesKey) s.features = value, s.has_features = true;
      else if (key == kIdsKey) s.ids = value, s.has_ids = true;
      else if (key == kRegionKey) s.region = value, s.has_region = true;
      else if (key == kVariantKey) s.variant = value, s.has_variant = true;
      else if (key == kAltIndicesKey) s.alt_indices = value, s.has_alt_indices = true;
      else if (key == kLabelKey) s.label = value, s.has_label = true;
      else if (key == kRealignmentKey) s.realignment = value, s.has_realignment = true;
      else if (key == kMultiallelicKey) s.multiallelic = value, s.has_multiallelic = true;
    });
  });
}

}  // namespace

int example_feature_count(std::string_view payload) {
  FeatureSpans s;
  decode_spans(payload, s);
  if (!s.has_features) throw DataError("no features/encoded key (not a small-model tf.Example?)");
  return decode_values(s.features, nullptr, std::numeric_limits<int>::max(), "");
}

void decode_small_model_example(std::string_view payload, const ExampleLayout& layout, Row& row,
                                float* features) {
  FeatureSpans s;
  decode_spans(payload, s);
  if (!s.has_features) throw DataError("no features/encoded key (not a small-model tf.Example?)");
  if (!s.has_ids) throw DataError("no ids/encoded key");
  const float* values = features;  // the row's values in its own order
  if (layout.gather.empty()) {
    decode_features(s.features, layout.num_features, features, layout.source);
  } else {
    layout.row.resize(static_cast<std::size_t>(layout.row_width));
    decode_features(s.features, layout.row_width, layout.row.data(), layout.source);
    for (int i = 0; i < layout.num_features; ++i) features[i] = layout.row[static_cast<std::size_t>(layout.gather[static_cast<std::size_t>(i)])];
    values = layout.row.data();
  }
  const auto ids = bytes_values(s.ids, kIdsKey);
  if (ids.size() != 5)
    throw DataError("ids/encoded has " + std::to_string(ids.size()) + " values; expected contig, start, end, ref, alt");
  row.contig.assign(ids[0]);
  row.start = parse_coordinate(ids[1], "start");
  row.end = parse_coordinate(ids[2], "end");
  row.ref.assign(ids[3]);
  split_alts(ids[4], row.alts);
  if (row.contig.empty()) throw DataError("ids/encoded contig is empty");
  if (row.ref.empty()) throw DataError("ids/encoded ref or alt is empty");
  for (const auto& a : row.alts)
    if (a.empty()) throw DataError("ids/encoded ref or alt is empty");
  if (row.end < row.start) throw DataError("ids/encoded end is before start");
  row.region.clear();
  if (s.has_region) {
    const auto region = bytes_values(s.region, kRegionKey);
    if (region.size() != 1) throw DataError("region/encoded must hold one value");
    row.region.assign(region[0]);
  }
  row.label = -1;
  if (s.has_label) {
    // One-hot over hom_ref, het, hom_alt; anything else leaves the row unlabelled.
    float onehot[3];
    try {
      decode_features(s.label, 3, onehot);
      for (int c = 0; c < 3; ++c)
        if (onehot[c] == 1 && onehot[0] + onehot[1] + onehot[2] == 1) row.label = c;
    } catch (const DataError&) {
    }
  }
  auto flag = [&](bool has, std::string_view value, std::string_view key) {
    if (!has) return false;
    float v = 0;
    try {
      decode_features(value, 1, &v);
    } catch (const DataError&) {
      throw DataError(std::string(key) + " must hold one value, 0 or 1");
    }
    return v != 0;
  };
  row.realignment_sensitive = flag(s.has_realignment, s.realignment, kRealignmentKey);
  row.is_snp = subset_is_snp(row.ref, row.alts);
  row.is_multiallelic = flag(s.has_multiallelic, s.multiallelic, kMultiallelicKey) || row.alts.size() > 1 ||
                        (layout.is_multiallelic_value >= 0 && values[layout.is_multiallelic_value] != 0);
  row.has_candidate = s.has_variant && s.has_alt_indices;
  if (!row.has_candidate) {
    row.alt_indices.clear();
    row.candidate = CandidateInfo{};
  } else {
    const auto v = bytes_values(s.variant, kVariantKey);
    const auto a = bytes_values(s.alt_indices, kAltIndicesKey);
    if (v.size() != 1 || a.size() != 1) throw DataError("variant/encoded and alt_allele_indices/encoded must hold one value each");
    row.candidate.variant_proto.assign(v[0]);
    row.candidate.alt_indices_proto.assign(a[0]);
    read_candidate(row);
  }
}

namespace {
void encode_example(std::string& out, const Row& row, const float* features, int n, int multiallelic_feature,
                    int label_class, const std::vector<int64_t>* genotype) {
  std::string feature, list, packed, entries, scratch;
  auto add_entry = [&](std::string_view key, const std::string& value) {
    std::string entry;
    pb::Writer e(entry);
    e.len_field(1, key);
    e.len_field(2, value);
    pb::Writer(entries).len_field(1, entry);
  };
  // features/encoded
  bool integral = true;
  for (int i = 0; i < n && integral; ++i)
    integral = features[i] == std::nearbyint(features[i]) && std::fabs(features[i]) < 9.2e18f;
  pb::Writer pw(packed);
  if (integral) {
    for (int i = 0; i < n; ++i) pw.varint(static_cast<uint64_t>(static_cast<int64_t>(features[i])));
  } else {
    packed.resize(4 * static_cast<std::size_t>(n));
    std::memcpy(packed.data(), features, packed.size());
  }
  pb::Writer(list).len_field(1, packed);
  pb::Writer(feature).len_field(integral ? kInt64List : kFloatList, list);
  add_entry(kFeaturesKey, feature);
  // ids/encoded
  list.clear();
  feature.clear();
  pb::Writer lw(list);
  for (const std::string& v : {row.contig, std::to_string(row.start), std::to_string(row.end), row.ref, joined_alts(row)})
    lw.len_field(1, v);
  pb::Writer(feature).len_field(kBytesList, list);
  add_entry(kIdsKey, feature);
  auto bytes_entry = [&](std::string_view key, std::string_view value) {
    std::string l, f;
    pb::Writer(l).len_field(1, value);
    pb::Writer(f).len_field(kBytesList, l);
    add_entry(key, f);
  };
  auto int64_entry = [&](std::string_view key, const std::vector<int64_t>& values) {
    std::string p, l, f;
    pb::Writer w(p);
    for (int64_t v : values) w.varint(static_cast<uint64_t>(v));
    pb::Writer(l).len_field(1, p);
    pb::Writer(f).len_field(kInt64List, l);
    add_entry(key, f);
  };
  if (!row.region.empty()) bytes_entry(kRegionKey, row.region);
  if (row.has_candidate) {  // the full candidate rides along, so a CVO can carry it verbatim
    bytes_entry(kAltIndicesKey, candidate_alt_indices(row, scratch));
    bytes_entry(kVariantKey, candidate_variant(row, scratch));
  }
  if (row.realignment_sensitive) int64_entry(kRealignmentKey, {1});
  // A multi-allelic row that neither its alts, its candidate nor an is_multiallelic feature
  // marks keeps the mark, so the gate treats it the same when the row is read again.
  if (row.is_multiallelic && row.alts.size() < 2 && !row.has_candidate &&
      !(multiallelic_feature >= 0 && features[multiallelic_feature] != 0))
    int64_entry(kMultiallelicKey, {1});
  if (genotype) {
    int64_entry("genotype/encoded", *genotype);
    int64_entry(kLabelKey, {label_class == 0, label_class == 1, label_class == 2});
  }
  pb::Writer(out).len_field(1, entries);
}
}  // namespace

void encode_small_model_example(std::string& out, const Row& row, const float* features, int n,
                                int multiallelic_feature) {
  encode_example(out, row, features, n, multiallelic_feature, 0, nullptr);
}

void encode_training_example(std::string& out, const Row& row, const float* features, int n, int label_class,
                             const std::vector<int64_t>& genotype) {
  encode_example(out, row, features, n, -1, label_class, &genotype);
}

}  // namespace smallcall
