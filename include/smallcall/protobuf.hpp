#pragma once
// The few protobuf wire-format pieces smallcall needs (tf.Example, nucleus Variant,
// CallVariantsOutput): a bounds-checked field reader and an appending writer.
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "smallcall/error.hpp"

namespace smallcall::pb {

enum WireType : int { kVarint = 0, kI64 = 1, kLen = 2, kI32 = 5 };

// Thrown for malformed wire data: a data error (exit 1) like every other; callers add the
// file and record.
struct WireError : DataError {
  explicit WireError(const std::string& what) : DataError("malformed protobuf: " + what) {}
};

class Reader {
 public:
  explicit Reader(std::string_view bytes) : p_(bytes.data()), end_(bytes.data() + bytes.size()) {}
  bool done() const { return p_ == end_; }
  // Reads the next tag; false at the end. Rejects field 0 and group wire types.
  bool next(uint32_t& field, int& wire_type);
  uint64_t varint();
  std::string_view bytes();  // a LEN payload
  uint32_t fixed32();
  uint64_t fixed64();
  void skip(int wire_type);  // the value of the field just read
  const char* position() const { return p_; }

 private:
  const char* p_;
  const char* end_;
};

class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}
  void varint(uint64_t v);
  void tag(uint32_t field, WireType w) { varint((static_cast<uint64_t>(field) << 3) | w); }
  void len_field(uint32_t field, std::string_view bytes) {
    tag(field, kLen);
    varint(bytes.size());
    out_.append(bytes);
  }
  void int64_field(uint32_t field, int64_t v) {
    tag(field, kVarint);
    varint(static_cast<uint64_t>(v));
  }
  void double_field(uint32_t field, double v) {
    tag(field, kI64);
    char bytes[8];
    std::memcpy(bytes, &v, 8);  // little-endian hosts only, as the reader
    out_.append(bytes, 8);
  }

 private:
  std::string& out_;
};

// Calls fn(reader, wire_type) for each occurrence of `field` in `bytes`; fn must consume the
// value. Every other field is skipped, as unknown fields must be.
template <typename Fn>
void for_each_field(std::string_view bytes, uint32_t field, Fn fn) {
  Reader r(bytes);
  uint32_t f;
  int w;
  while (r.next(f, w)) {
    if (f == field) fn(r, w);
    else r.skip(w);
  }
}

// Calls fn(value) for each element of a repeated varint field just read with `wire`: packed
// (LEN) or one element (VARINT); parsers must accept both.
template <typename Fn>
void for_each_varint(Reader& r, int wire, Fn fn) {
  if (wire == kLen) {
    Reader packed(r.bytes());
    while (!packed.done()) fn(packed.varint());
  } else if (wire == kVarint) {
    fn(r.varint());
  } else {
    throw WireError{"a repeated varint field has the wrong wire type " + std::to_string(wire)};
  }
}

}  // namespace smallcall::pb
