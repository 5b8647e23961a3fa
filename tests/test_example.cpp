// tf.Example and nucleus Variant decoding; CallVariantsOutput encoding. Inputs are built
// with a tiny encoder written here (not the library's), and checked against real files.
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "fixtures.hpp"
#include "smallcall/error.hpp"
#include "smallcall/example.hpp"
#include "smallcall/tfrecord.hpp"
#include "smallcall/protobuf.hpp"
#include "smallcall/variant.hpp"
#include <cstring>
#include <cmath>

using namespace smallcall;

namespace {
// --- an independent, minimal protobuf encoder for test inputs ---
std::string varint(uint64_t v) {
  std::string s;
  do {
    unsigned char b = v & 0x7F;
    v >>= 7;
    if (v) b |= 0x80;
    s.push_back(static_cast<char>(b));
  } while (v);
  return s;
}
std::string tag(int field, int wire) { return varint(static_cast<uint64_t>(field) << 3 | wire); }
std::string len(int field, const std::string& body) { return tag(field, 2) + varint(body.size()) + body; }
std::string entry(const std::string& key, const std::string& feature) { return len(1, len(1, key) + len(2, feature)); }
std::string int64_packed(const std::vector<int64_t>& v) {
  std::string body;
  for (auto x : v) body += varint(static_cast<uint64_t>(x));
  return len(3, len(1, body));
}
std::string int64_unpacked(const std::vector<int64_t>& v) {
  std::string body;
  for (auto x : v) body += tag(1, 0) + varint(static_cast<uint64_t>(x));
  return len(3, body);
}
std::string float_packed(const std::vector<float>& v) {
  return len(2, len(1, std::string(reinterpret_cast<const char*>(v.data()), 4 * v.size())));
}
std::string float_unpacked(const std::vector<float>& v) {
  std::string body;
  for (float x : v) body += tag(1, 5) + std::string(reinterpret_cast<const char*>(&x), 4);
  return len(2, body);
}
std::string bytes_list(const std::vector<std::string>& v) {
  std::string body;
  for (const auto& x : v) body += len(1, x);
  return len(1, body);
}
std::string example(const std::string& entries) { return len(1, entries); }

const std::vector<std::string> kIds{"chr20", "10000", "10001", "A", "G"};

struct Decoded {
  Row row;
  std::vector<float> features;
};
Decoded decode(const std::string& payload, int n = 3, int multi_index = -1) {
  Decoded d;
  d.features.assign(n, -999.f);
  ExampleLayout layout;
  layout.num_features = n;
  layout.is_multiallelic_value = multi_index;
  decode_small_model_example(payload, layout, d.row, d.features.data());
  return d;
}
std::string decode_error(const std::string& payload, int n = 3) {
  try {
    decode(payload, n);
  } catch (const DataError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("small-model Examples decode: packed and unpacked lists, any key order, unknown fields", "[example]") {
  const std::string ids = entry("ids/encoded", bytes_list(kIds));
  const std::string label = entry("label/encoded", int64_packed({0, 1, 0}));
  for (const std::string& features : {int64_packed({3, -1, 300}), int64_unpacked({3, -1, 300})}) {
    const Decoded d = decode(example(label + entry("features/encoded", features) + ids));
    REQUIRE(d.features == std::vector<float>{3, -1, 300});
    REQUIRE(d.row.contig == "chr20");
    REQUIRE(d.row.start == 10000);
    REQUIRE(d.row.end == 10001);
    REQUIRE(d.row.ref == "A");
    REQUIRE(d.row.alts == std::vector<std::string>{"G"});
    REQUIRE(d.row.is_snp);
    REQUIRE_FALSE(d.row.is_multiallelic);
    REQUIRE_FALSE(d.row.has_candidate);
  }
  for (const std::string& features : {float_packed({0.5f, 2, 7}), float_unpacked({0.5f, 2, 7})}) {
    const Decoded d = decode(example(ids + entry("features/encoded", features)));
    REQUIRE(d.features == std::vector<float>{0.5f, 2, 7});
  }
  // Unknown fields at every level are skipped; Features split over two messages merge.
  const std::string unknown = tag(9, 0) + varint(5) + len(10, "xx") + tag(11, 5) + "abcd" + tag(12, 1) + "abcdefgh";
  const Decoded d = decode(unknown + len(1, ids + unknown) + len(1, entry("features/encoded", int64_packed({1, 2, 3}))));
  REQUIRE(d.features == std::vector<float>{1, 2, 3});
  // The last value of a repeated key wins.
  const Decoded last = decode(example(entry("features/encoded", int64_packed({9, 9, 9})) + ids +
                                      entry("features/encoded", int64_packed({4, 5, 6}))));
  REQUIRE(last.features == std::vector<float>{4, 5, 6});
}

TEST_CASE("region, multi-allelic subsets and the is_multiallelic feature", "[example]") {
  const Decoded d = decode(example(entry("features/encoded", int64_packed({0, 1, 0})) +
                                   entry("ids/encoded", bytes_list({"chr1", "5", "8", "ACG", "A|AC"})) +
                                   entry("region/encoded", bytes_list({"chr1:1-1000"}))));
  REQUIRE(d.row.region == "chr1:1-1000");
  REQUIRE(d.row.is_multiallelic);
  REQUIRE_FALSE(d.row.is_snp);
  const Decoded f = decode(example(entry("features/encoded", int64_packed({0, 1, 0})) + entry("ids/encoded", bytes_list(kIds))),
                           3, 1);
  REQUIRE(f.row.is_multiallelic);  // feature 1 (is_multiallelic) is 1
}

TEST_CASE("malformed Examples are errors that say what is wrong", "[example]") {
  const std::string ids = entry("ids/encoded", bytes_list(kIds));
  const std::string feats = entry("features/encoded", int64_packed({1, 2, 3}));
  REQUIRE_THAT(decode_error(example(ids)), Catch::Contains("no features/encoded"));
  REQUIRE_THAT(decode_error(example(feats)), Catch::Contains("no ids/encoded"));
  REQUIRE_THAT(decode_error(example(ids + entry("features/encoded", int64_packed({1, 2})))),
               Catch::Contains("features/encoded has 2 values; the model expects 3"));
  REQUIRE_THAT(decode_error(example(ids + entry("features/encoded", int64_packed({1, 2, 3, 4})))),
               Catch::Contains("more than the model's 3 features"));
  REQUIRE_THAT(decode_error(example(ids + entry("features/encoded", bytes_list({"1", "2", "3"})))),
               Catch::Contains("must be an int64_list or a float_list"));
  REQUIRE_THAT(decode_error(example(feats + entry("ids/encoded", int64_packed({1, 2, 3, 4, 5})))),
               Catch::Contains("ids/encoded must be a bytes_list"));
  REQUIRE_THAT(decode_error(example(feats + entry("ids/encoded", bytes_list({"chr1", "x", "2", "A", "G"})))),
               Catch::Contains("ids/encoded start is not a non-negative integer: \"x\""));
  REQUIRE_THAT(decode_error(example(feats + entry("ids/encoded", bytes_list({"chr1", "1", "2", "A"})))),
               Catch::Contains("ids/encoded has 4 values"));
  REQUIRE_THAT(decode_error(example(ids + entry("features/encoded", float_packed({1, NAN, 3})))), Catch::Contains("not finite"));
  REQUIRE_THAT(decode_error(std::string("\x0a\x05\x0a\x03", 4)), Catch::Contains("malformed protobuf"));
  REQUIRE_THAT(decode_error(std::string("\x0a\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 12)),
               Catch::Contains("malformed protobuf"));
  REQUIRE_THAT(decode_error(tag(1, 0) + varint(3)), Catch::Contains("wrong wire type"));
  REQUIRE_THAT(decode_error(tag(1, 3)), Catch::Contains("malformed protobuf: unsupported wire type 3"));
  REQUIRE_THAT(decode_error(""), Catch::Contains("no features/encoded"));
}

TEST_CASE("Variant decoder matches test_samples.vcf on all 753 real records", "[fixtures]") {
  TfRecordReader records(testutil::fixture("tfrecord/test_samples.vcf.golden.tfrecord"));
  std::ifstream vcf(testutil::fixture("tfrecord/test_samples.vcf"));
  REQUIRE(vcf);
  std::string line, payload;
  std::size_t n = 0;
  while (std::getline(vcf, line)) {
    if (line.empty() || line[0] == '#') continue;
    REQUIRE(records.next(payload));
    const auto f = testutil::split(line, '\t');
    const VariantView v = decode_variant(payload);
    INFO("VCF line: " << line.substr(0, 80));
    REQUIRE(std::string(v.reference_name) == f[0]);
    REQUIRE(v.start == std::stoll(f[1]) - 1);
    int64_t end = std::stoll(f[1]) - 1 + static_cast<int64_t>(f[3].size());
    for (const auto& kv : testutil::split(f[7], ';'))
      if (kv.rfind("END=", 0) == 0) end = std::stoll(kv.substr(4));
    REQUIRE(v.end == end);
    REQUIRE(std::string(v.reference_bases) == f[3]);
    std::vector<std::string> alts;
    for (auto a : v.alternate_bases) alts.emplace_back(a);
    REQUIRE(alts == (f[4] == "." ? std::vector<std::string>{} : testutil::split(f[4], ',')));
    REQUIRE(v.calls.size() == f.size() - 9);
    ++n;
  }
  REQUIRE_FALSE(records.next(payload));
  REQUIRE(n == 753);
}

TEST_CASE("CVO from ids: variant, one MID-marked call, indices 0..k-1, probabilities", "[example]") {
  Row row;
  row.contig = "chr20";
  row.start = 99;
  row.end = 102;
  row.ref = "ACG";
  row.alts = {"A", "ACGT"};
  const float p[3] = {0.25f, 0.5f, 0.25f};
  std::string cvo;
  encode_call_variants_output(cvo, row, p, "NA12878", false);
  // Walk the message with the library reader; tests/interop_check.py decodes it with protobuf.
  const std::string variant_field = len(1, "");  // tag of field 1
  REQUIRE(cvo.substr(0, 1) == variant_field.substr(0, 1));
  pb::Reader r(cvo);
  uint32_t f;
  int w;
  std::string_view variant, indices, probs;
  while (r.next(f, w)) {
    const std::string_view b = r.bytes();
    if (f == 1) variant = b;
    if (f == 2) indices = b;
    if (f == 3) probs = b;
  }
  const VariantView v = decode_variant(variant);
  REQUIRE(v.reference_name == "chr20");
  REQUIRE(v.start == 99);
  REQUIRE(v.end == 102);
  REQUIRE(v.reference_bases == "ACG");
  REQUIRE(v.alternate_bases == std::vector<std::string_view>{"A", "ACGT"});
  REQUIRE(v.calls.size() == 1);
  REQUIRE(v.calls[0].find("small_model") != std::string_view::npos);
  REQUIRE(v.calls[0].find("NA12878") != std::string_view::npos);
  REQUIRE(decode_alt_allele_indices(indices) == std::vector<int>{0, 1});
  REQUIRE(probs.size() == 24);
  double d[3];
  std::memcpy(d, probs.data(), 24);
  REQUIRE(d[0] == 0.25);
  REQUIRE(d[1] == 0.5);
}

namespace {
// A candidate as make_examples writes it: chr20:10000 A>G,T, calls[0] = {info DP [30],
// AD [10, 15, 5], call_set_name NA12878}, built with the test's own encoder.
std::string info_entry(const std::string& key, const std::vector<int64_t>& ints) {
  std::string list;
  for (auto v : ints) list += len(1, tag(7, 0) + varint(static_cast<uint64_t>(v)));  // Value.int_value
  return len(2, len(1, key) + len(2, list));                                         // VariantCall.info
}
std::string candidate(const std::string& call) {
  return len(6, "A") + len(7, "G") + len(7, "T") + len(11, call) + tag(13, 0) + varint(10001) + len(14, "chr20") +
         tag(16, 0) + varint(10000);
}
std::string with_candidate(const std::string& variant, const std::string& indices) {
  return example(entry("features/encoded", int64_packed({1, 2, 3})) + entry("ids/encoded", bytes_list(kIds)) +
                 entry("variant/encoded", bytes_list({variant})) +
                 entry("alt_allele_indices/encoded", bytes_list({len(1, indices)})));
}
const std::string kGoodCall = info_entry("DP", {30}) + info_entry("AD", {10, 15, 5}) + len(9, "NA12878");
}  // namespace

TEST_CASE("a row's candidate is read with the row: alts, DP, AD, the sample, the subset", "[example]") {
  const Decoded d = decode(with_candidate(candidate(kGoodCall), varint(1)));
  REQUIRE(d.row.has_candidate);
  REQUIRE(d.row.candidate.alts == std::vector<std::string>{"G", "T"});
  REQUIRE(d.row.candidate.depth == 30);
  REQUIRE(d.row.candidate.allele_depths == std::vector<int64_t>{10, 15, 5});  // ref, then every alt
  REQUIRE(d.row.candidate.sample == "NA12878");
  REQUIRE(d.row.alt_indices == std::vector<int>{1});  // the subset: alt 1 (T)
  REQUIRE(d.row.is_multiallelic);  // two real alts
  const Decoded pair = decode(with_candidate(candidate(kGoodCall), varint(0) + varint(1)));
  REQUIRE(pair.row.alt_indices == std::vector<int>{0, 1});
  // A row without a candidate after one with: nothing of the earlier candidate stays.
  Decoded reused = d;
  ExampleLayout three_features;
  three_features.num_features = 3;
  decode_small_model_example(example(entry("features/encoded", int64_packed({1, 2, 3})) +
                                     entry("ids/encoded", bytes_list(kIds))),
                             three_features, reused.row, reused.features.data());
  REQUIRE_FALSE(reused.row.has_candidate);
  REQUIRE(reused.row.candidate.alts.empty());
  REQUIRE(reused.row.candidate.depth == -1);
}

TEST_CASE("a malformed calls[0] is an error when the row is read, not when it is written", "[example]") {
  const std::string name = len(9, "NA12878");
  for (const std::string& bad_call : {
           std::string("\x12\x04\x0a\x09" "DP", 6) + name,  // an info entry's key runs past the entry
           info_entry("DP", {30}).substr(0, 6) + "\x0a\x05\x38\x01" + name,  // a ListValue cut short
           len(2, len(1, "DP") + len(2, len(1, std::string("\x38", 1)))) + name,  // a Value's varint cut short
           len(2, len(1, "DP") + len(2, tag(1, 0) + varint(3))) + name,  // ListValue.values as a varint
       }) {
    INFO(bad_call.size());
    REQUIRE_THAT(decode_error(with_candidate(candidate(bad_call), varint(0))), Catch::Contains("malformed protobuf") ||
                                                                                  Catch::Contains("wrong wire type"));
  }
  REQUIRE_THAT(decode_error(with_candidate(candidate(kGoodCall), varint(2))),
               Catch::Contains("index 2 is out of range for a variant with 2 alts"));
}

TEST_CASE("the CVO keeps a copied candidate's sample unless the run names one", "[example]") {
  const Decoded d = decode(with_candidate(candidate(kGoodCall), varint(0)));
  const float p[3] = {0.1f, 0.2f, 0.7f};
  for (const bool given : {false, true}) {
    std::string cvo;
    encode_call_variants_output(cvo, d.row, p, "OTHER", given);
    std::string_view variant;
    pb::for_each_field(cvo, 1, [&](pb::Reader& r, int) { variant = r.bytes(); });
    const VariantView v = decode_variant(variant);
    REQUIRE(v.calls.size() == 1);
    std::vector<std::string_view> names;
    pb::for_each_field(v.calls[0], 9, [&](pb::Reader& r, int) { names.push_back(r.bytes()); });
    REQUIRE(names == std::vector<std::string_view>{given ? "OTHER" : "NA12878"});
    REQUIRE(v.calls[0].find("small_model") != std::string_view::npos);
    REQUIRE(v.calls[0].find("DP") != std::string_view::npos);  // the rest of the call kept
  }
}
