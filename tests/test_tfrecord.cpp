// CRC32C, TFRecord framing, compression sniffing, and real TensorFlow-written files.
#include <htslib/bgzf.h>
#include <zlib.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <random>

#include "fixtures.hpp"
#include "smallcall/crc32c.hpp"
#include "smallcall/error.hpp"
#include "smallcall/tfrecord.hpp"
#include "test_util.hpp"

using namespace smallcall;

namespace {
std::string unhex(const std::string& hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

// A 57-byte tf.Example and its record framing as TensorFlow writes it
// (tensorflow/core/lib/io/record_writer.cc: length, masked CRC32C, payload, masked CRC32C).
const std::string kExample = unhex(
    "0a370a160a016612111a0f0a0d01ffffffffffffffffff01ac020a0d0a0167120812060a040000003f0a0e0a016812090a070a056368723230");

std::vector<std::string> read_all(const std::string& path) {
  TfRecordReader r(path);
  std::vector<std::string> out;
  std::string payload;
  while (r.next(payload)) out.push_back(payload);
  return out;
}

std::string error_reading(const std::string& path) {
  try {
    read_all(path);
  } catch (const DataError& e) {
    return e.what();
  }
  return "";
}

std::string zlib_compress(const std::string& data) {
  uLongf n = compressBound(data.size());
  std::string out(n, '\0');
  REQUIRE(compress(reinterpret_cast<Bytef*>(out.data()), &n, reinterpret_cast<const Bytef*>(data.data()), data.size()) == Z_OK);
  out.resize(n);
  return out;
}

void write_bgzf(const std::string& path, const std::string& data, const char* mode) {
  BGZF* fp = bgzf_open(path.c_str(), mode);
  REQUIRE(bgzf_write(fp, data.data(), data.size()) == static_cast<ssize_t>(data.size()));
  REQUIRE(bgzf_close(fp) == 0);
}
}  // namespace

TEST_CASE("CRC32C known answers, hardware and table paths agree", "[tfrecord]") {
  REQUIRE(crc32c("123456789", 9) == 0xE3069283u);
  REQUIRE(crc32c_table("123456789", 9) == 0xE3069283u);
  REQUIRE(masked_crc32c("", 0) == 0xa282ead8u);
  const char zeros[8] = {};
  REQUIRE(masked_crc32c(zeros, 8) == 0x07980329u);
  std::mt19937 rng(1);
  std::string data(4099, '\0');
  for (auto& c : data) c = static_cast<char>(rng());
  for (std::size_t len : {0, 1, 7, 8, 9, 63, 64, 1000, 4099})
    REQUIRE(crc32c(data.data(), len) == crc32c_table(data.data(), len));
  WARN("CRC32C hardware path in use: " << (crc32c_hardware_available() ? "yes (SSE4.2)" : "no (table)"));
}

TEST_CASE("a record is framed exactly as TensorFlow frames it", "[tfrecord]") {
  REQUIRE(kExample.size() == 57);
  std::string framed;
  append_tfrecord(framed, kExample);
  REQUIRE(framed.substr(0, 12) == unhex("39000000000000008b0737f1"));
  REQUIRE(framed.substr(69) == unhex("560c3c49"));
}

TEST_CASE("plain, gzip, multi-member gzip, bgzip and zlib TFRecords read the same", "[tfrecord]") {
  testutil::ScratchDir dir;
  std::string stream;
  std::vector<std::string> payloads;
  for (int i = 0; i < 300; ++i) {
    payloads.push_back(std::string(static_cast<std::size_t>(i * 7 % 500), static_cast<char>('a' + i % 26)));
    append_tfrecord(stream, payloads.back());
  }
  testutil::write_file(dir / "plain.tfrecord", stream);
  write_bgzf(dir / "gzip.tfrecord.gz", stream, "wg");
  write_bgzf(dir / "bgzip.tfrecord.gz", stream, "w");
  testutil::write_file(dir / "zlib.tfrecord", zlib_compress(stream));
  // Two gzip members back to back.
  write_bgzf(dir / "m1", stream.substr(0, 5000), "wg");
  write_bgzf(dir / "m2", stream.substr(5000), "wg");
  testutil::write_file(dir / "multi.gz", testutil::read_file(dir / "m1") + testutil::read_file(dir / "m2"));
  for (const std::string name : {"plain.tfrecord", "gzip.tfrecord.gz", "bgzip.tfrecord.gz", "zlib.tfrecord", "multi.gz"}) {
    INFO(name);
    REQUIRE(read_all(dir / name) == payloads);
  }
  TfRecordReader z(dir / "zlib.tfrecord");
  REQUIRE(z.source().compression() == InputCompression::kZlib);
  TfRecordReader g(dir / "bgzip.tfrecord.gz");
  REQUIRE(g.source().compression() == InputCompression::kGzip);
}

TEST_CASE("a plain TFRecord whose first bytes look like a zlib header is read as plain", "[tfrecord]") {
  testutil::ScratchDir dir;
  std::string stream;
  append_tfrecord(stream, std::string(0x178, 'x'));  // length bytes 78 01: a valid zlib header
  REQUIRE(static_cast<unsigned char>(stream[0]) == 0x78);
  REQUIRE(static_cast<unsigned char>(stream[1]) == 0x01);
  testutil::write_file(dir / "tricky", stream);
  TfRecordReader r(dir / "tricky");
  REQUIRE(r.source().compression() == InputCompression::kPlain);
  REQUIRE(read_all(dir / "tricky").size() == 1);
}

TEST_CASE("empty files are valid with zero records, writers produce readable files", "[tfrecord]") {
  testutil::ScratchDir dir;
  testutil::write_file(dir / "empty.tfrecord", "");
  REQUIRE(read_all(dir / "empty.tfrecord").empty());
  {
    TfRecordWriter w(dir / "out.tfrecord.gz");
    w.publish();
  }
  REQUIRE(read_all(dir / "out.tfrecord.gz").empty());
  {
    TfRecordWriter w(dir / "two.tfrecord.gz");
    w.write("first");
    w.write(kExample);
    w.publish();
  }
  const std::string bytes = testutil::read_file(dir / "two.tfrecord.gz");
  REQUIRE(static_cast<unsigned char>(bytes[0]) == 0x1f);  // one gzip stream, as TensorFlow writes
  REQUIRE(read_all(dir / "two.tfrecord.gz") == std::vector<std::string>{"first", kExample});
}

TEST_CASE("corrupt TFRecords are errors naming the file and record", "[tfrecord]") {
  testutil::ScratchDir dir;
  std::string good;
  append_tfrecord(good, "record zero");
  append_tfrecord(good, kExample);
  auto error_for = [&](const std::string& bytes) {
    testutil::write_file(dir / "bad.tfrecord", bytes);
    return error_reading(dir / "bad.tfrecord");
  };
  REQUIRE_THAT(error_for(good.substr(0, 27 + 5)), Catch::Contains("bad.tfrecord: record 1: truncated record header"));
  REQUIRE_THAT(error_for(good.substr(0, 27 + 12 + 10)), Catch::Contains("record 1: truncated payload"));
  REQUIRE_THAT(error_for(good.substr(0, good.size() - 2)), Catch::Contains("record 1: truncated record (payload CRC missing)"));
  std::string bad = good;
  bad[8] ^= 1;  // length CRC
  REQUIRE_THAT(error_for(bad), Catch::Contains("record 0: length CRC mismatch"));
  bad = good;
  bad[14] ^= 1;  // payload byte
  REQUIRE_THAT(error_for(bad), Catch::Contains("record 0: data CRC mismatch"));
  // Length 2^63 with a valid length CRC: rejected before allocating.
  std::string absurd(8, '\0');
  absurd[7] = static_cast<char>(0x80);
  const uint32_t crc = masked_crc32c(absurd.data(), 8);
  absurd.append(reinterpret_cast<const char*>(&crc), 4);
  REQUIRE_THAT(error_for(absurd), Catch::Contains("record 0: record length 9223372036854775808 exceeds"));
  REQUIRE_THAT(error_for("\x1f\x8bgarbage that is not deflate data"), Catch::Contains("bad.tfrecord: record 0: read error"));
  write_bgzf(dir / "full.gz", std::string(20000, 'x') + good, "wg");
  const std::string gz = testutil::read_file(dir / "full.gz");
  REQUIRE_THAT(error_for(gz.substr(0, gz.size() - 12)), Catch::Contains("read error"));
  REQUIRE_THAT(error_for(std::string("\x78\x9c\x07", 3) + "zlib garbage: reserved block type"), Catch::Contains("corrupt zlib data"));
  const std::string z = zlib_compress(good);
  REQUIRE_THAT(error_for(z.substr(0, z.size() - 6)), Catch::Contains("zlib stream is truncated"));
  REQUIRE_THAT(error_reading(dir / "missing.tfrecord"), Catch::Contains("missing.tfrecord: cannot open"));
}

TEST_CASE("real TensorFlow-written TFRecords: record counts and CRCs", "[fixtures]") {
  const std::pair<const char*, std::size_t> files[] = {
      {"test_reads.fastq.tfrecord", 4},       {"test_reads.fastq.tfrecord.gz", 4},
      {"test_regions.bed.tfrecord", 2},       {"test_regions.bed.tfrecord.gz", 2},
      {"test_features.gff.tfrecord", 2},      {"test_features.gff.tfrecord.gz", 2},
      {"test_sites.vcf.golden.tfrecord", 5},  {"test_samples.vcf.golden.tfrecord", 753}};
  for (const auto& [name, count] : files) {
    INFO(name);
    REQUIRE(read_all(testutil::fixture(std::string("tfrecord/") + name)).size() == count);
  }
  // The gzip copies hold the same records as the plain ones.
  REQUIRE(read_all(testutil::fixture("tfrecord/test_reads.fastq.tfrecord.gz")) ==
          read_all(testutil::fixture("tfrecord/test_reads.fastq.tfrecord")));
}
