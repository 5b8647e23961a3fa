// File kinds from names: the suffix only, any case; DeepVariant shard names.
#include <catch2/catch.hpp>

#include "smallcall/error.hpp"
#include "smallcall/paths.hpp"

using namespace smallcall;

TEST_CASE("a path's format and compression come from its suffix", "[paths]") {
  struct Case {
    const char* path;
    FileFormat format;
    bool compressed;
  };
  for (const Case& c : {Case{"rows.tsv", FileFormat::kTsv, false}, Case{"rows.tsv.gz", FileFormat::kTsv, true},
                        Case{"ROWS.TSV.GZ", FileFormat::kTsv, true}, Case{"x.tfrecord", FileFormat::kTfRecord, false},
                        Case{"x.tfrecords", FileFormat::kTfRecord, false},
                        Case{"x.tfrecord.gz", FileFormat::kTfRecord, true},
                        Case{"x.tfrecord-00003-of-00016.gz", FileFormat::kTfRecord, true},
                        Case{"x-00003-of-00016.tfrecord.gz", FileFormat::kTfRecord, true},
                        Case{"dir.tsv/x.tfrecord-00003-of-00016", FileFormat::kTfRecord, false},
                        Case{"calls.vcf", FileFormat::kVcf, false}, Case{"CALLS.VCF.GZ", FileFormat::kVcf, true},
                        Case{"calls.vcf.bgz", FileFormat::kVcf, true}, Case{"calls.bcf", FileFormat::kBcf, false},
                        Case{"rows.tfrecord.gz.acc.tsv", FileFormat::kTsv, false},
                        Case{"calls.vcf.tsv", FileFormat::kTsv, false},
                        Case{"x.tfrecord.tmp", FileFormat::kUnknown, false},
                        Case{"dir.tfrecord/rows", FileFormat::kUnknown, false}, Case{"-", FileFormat::kUnknown, false},
                        Case{"x-1-of-2", FileFormat::kUnknown, false}, Case{"", FileFormat::kUnknown, false}}) {
    INFO(c.path);
    const PathKind k = path_kind(c.path);
    REQUIRE(k.format == c.format);
    REQUIRE(k.compressed == c.compressed);
  }
}

TEST_CASE("an output name must say its format", "[paths]") {
  REQUIRE(output_kind("-", "--accepted").format == FileFormat::kTsv);
  REQUIRE(output_kind("/dev/null", "--accepted").format == FileFormat::kTsv);
  REQUIRE(output_kind("a.VCF.gz", "--accepted").format == FileFormat::kVcf);
  REQUIRE_THROWS_AS(output_kind("calls.out", "--accepted"), UsageError);
  REQUIRE_THROWS_WITH(output_kind("calls", "--remainder"), Catch::Contains("--remainder calls: the name says no format"));
  REQUIRE_THROWS_WITH(output_kind("x.bcf.gz", "--accepted"), Catch::Contains("BCF is compressed already"));
  REQUIRE(has_suffix("A.TSV", ".tsv"));
  REQUIRE_FALSE(has_suffix("tsv", ".tsv"));
}
