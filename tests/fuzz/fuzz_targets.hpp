#pragma once
// The fuzzed entry points, shared by the libFuzzer harnesses (tests/fuzz/fuzz_*.cpp) and the
// Catch2 replay of seeds and regression inputs (tests/test_fuzz_regressions.cpp). Each takes
// arbitrary bytes; a DataError (or WireError) is the expected reaction to bad input, anything
// else — another exception, a crash, a sanitizer report — is a finding.
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "smallcall/error.hpp"
#include "smallcall/example.hpp"
#include "smallcall/model.hpp"
#include "smallcall/protobuf.hpp"
#include "smallcall/tfrecord.hpp"
#include "smallcall/tsv_reader.hpp"
#include "smallcall/variant.hpp"

namespace fuzz {

// Bytes as a file path, without touching the disk.
struct MemFile {
  int fd = -1;
  std::string path;
  MemFile(const uint8_t* data, std::size_t size) {
    fd = ::memfd_create("smallcall-fuzz", 0);
    std::size_t done = 0;
    while (done < size) {
      const ssize_t n = ::write(fd, data + done, size - done);
      if (n <= 0) break;
      done += static_cast<std::size_t>(n);
    }
    path = "/proc/self/fd/" + std::to_string(fd);
  }
  ~MemFile() { ::close(fd); }
};

inline int tfrecord(const uint8_t* data, std::size_t size) {
  MemFile f(data, size);
  try {
    smallcall::TfRecordReader reader(f.path);
    std::string payload;
    while (reader.next(payload)) {
    }
  } catch (const smallcall::DataError&) {
  }
  return 0;
}

inline int example(const uint8_t* data, std::size_t size) {
  smallcall::CandidateId id;
  std::vector<float> features(70);
  try {
    smallcall::decode_small_model_example(std::string_view(reinterpret_cast<const char*>(data), size),
                                          smallcall::ExampleLayout{70, 18}, id, features.data());
    // A decoded row must also encode, both as a remainder Example and as a CVO.
    std::string out;
    smallcall::encode_small_model_example(out, id, features.data(), 70);
    const float p[3] = {0.2f, 0.3f, 0.5f};
    smallcall::encode_call_variants_output(out, id, p, "fuzz");
  } catch (const smallcall::DataError&) {
  }
  return 0;
}

inline int variant(const uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    const smallcall::VariantView v = smallcall::decode_variant(bytes);
    (void)smallcall::has_multiple_real_alts(v);
    (void)smallcall::decode_alt_allele_indices(bytes);
    smallcall::CandidateId id;
    id.has_candidate = true;
    id.variant_proto.assign(bytes);
    id.alt_indices_proto = std::string("\x0a\x01\x00", 3);
    std::string out;
    const float p[3] = {0.2f, 0.3f, 0.5f};
    smallcall::encode_call_variants_output(out, id, p, "fuzz");
  } catch (const smallcall::pb::WireError&) {
  }
  return 0;
}

inline int tsv(const uint8_t* data, std::size_t size) {
  MemFile f(data, size);
  static const std::vector<std::string> features{"depth", "vaf", "is_multiallelic"};
  try {
    smallcall::TsvReader reader(f.path, features);
    smallcall::CandidateId id;
    float values[3];
    std::string raw;
    while (reader.next(id, values, raw)) {
    }
  } catch (const smallcall::DataError&) {
  }
  return 0;
}

inline int model(const uint8_t* data, std::size_t size) {
  try {
    smallcall::parse_model_json(std::string(reinterpret_cast<const char*>(data), size), "fuzz.json");
  } catch (const smallcall::DataError&) {
  }
  return 0;
}

}  // namespace fuzz
