// Outputs appear under their final names only when complete.
#include <htslib/bgzf.h>

#include <catch2/catch.hpp>

#include "smallcall/error.hpp"
#include "smallcall/output_file.hpp"
#include "smallcall/tsv_writer.hpp"
#include "test_util.hpp"

using namespace smallcall;

TEST_CASE("an output is renamed into place only on publish", "[output]") {
  testutil::ScratchDir dir;
  {
    OutputFile out(dir / "a.tsv", Compression::kNone);
    out.write("hello\n");
    REQUIRE_FALSE(testutil::exists(dir / "a.tsv"));
    REQUIRE(dir.list().size() == 1);  // the temporary file
    out.publish();
  }
  REQUIRE(testutil::read_file(dir / "a.tsv") == "hello\n");
  REQUIRE(dir.list() == std::vector<std::string>{"a.tsv"});
}

TEST_CASE("an output abandoned by an error leaves no file at all", "[output]") {
  testutil::ScratchDir dir;
  try {
    OutputFile out(dir / "b.tsv.gz", compression_for(dir / "b.tsv.gz"));
    out.write("partial");
    throw DataError("boom");
  } catch (const DataError&) {
  }
  REQUIRE(dir.list().empty());
}

TEST_CASE(".gz outputs are BGZF (gzip-compatible), others plain", "[output]") {
  testutil::ScratchDir dir;
  REQUIRE(compression_for("x.tsv.gz") == Compression::kBgzf);
  REQUIRE(compression_for("x.tsv") == Compression::kNone);
  {
    OutputFile out(dir / "c.tsv.gz", Compression::kBgzf);
    out.write("compressed\n");
    out.publish();
  }
  const std::string bytes = testutil::read_file(dir / "c.tsv.gz");
  REQUIRE(static_cast<unsigned char>(bytes[0]) == 0x1f);
  REQUIRE(static_cast<unsigned char>(bytes[1]) == 0x8b);
  BGZF* fp = bgzf_open((dir / "c.tsv.gz").c_str(), "r");
  char buf[64] = {};
  REQUIRE(bgzf_read(fp, buf, sizeof buf) == 11);
  bgzf_close(fp);
  REQUIRE(std::string(buf) == "compressed\n");
}

TEST_CASE("a missing directory is a clear error", "[output]") {
  REQUIRE_THROWS_WITH(OutputFile("/nonexistent-dir/x.tsv", Compression::kNone),
                      Catch::Contains("/nonexistent-dir/x.tsv: cannot create output"));
}

TEST_CASE("float32 probabilities round-trip exactly", "[output]") {
  for (float v : {0.1f, 1.0f / 3.0f, 0.99f, 1e-30f, 0.99999994f, 1.0f, 0.0f, 1.4e-45f}) {
    std::string s;
    append_float(s, v);
    REQUIRE(std::strtof(s.c_str(), nullptr) == v);
  }
}
