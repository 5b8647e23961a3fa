#include "smallcall/row_reader.hpp"

#include "smallcall/byte_source.hpp"
#include "smallcall/error.hpp"
#include "smallcall/paths.hpp"
#include "smallcall/tfrecord.hpp"
#include "smallcall/tfrecord_reader.hpp"
#include "smallcall/tsv_reader.hpp"

namespace smallcall {

std::unique_ptr<RowReader> open_row_reader(const std::string& path, const std::vector<std::string>& features,
                                           const std::string& small_model_info) {
  const FileFormat named = path == "-" ? FileFormat::kUnknown : path_kind(path).format;
  if (named == FileFormat::kVcf || named == FileFormat::kBcf)
    throw UsageError("--input " + path + ": a VCF holds no feature rows (rows are TSV or TFRecord; BAM/CRAM go to --reads)");
  auto source = std::make_unique<ByteSource>(path);
  bool tfrecord = named == FileFormat::kTfRecord;
  if (named == FileFormat::kUnknown) {
    // The name says nothing (stdin, other names): a valid TFRecord length header means
    // TFRecord; anything else, and an empty input, is TSV.
    const std::string_view head = source->peek(12);
    tfrecord = is_tfrecord_header(head.data(), head.size());
  }
  if (tfrecord) return std::make_unique<TfRecordRowReader>(std::move(source), features, small_model_info);
  if (!small_model_info.empty())
    throw UsageError("--small_model_info " + small_model_info + " names the features of TFRecord rows; " +
                     source->display_name() + " is TSV, whose header names its columns");
  return std::make_unique<TsvReader>(std::move(source), features);
}

}  // namespace smallcall
