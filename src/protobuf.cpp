#include "smallcall/protobuf.hpp"

#include <cstring>

namespace smallcall::pb {

uint64_t Reader::varint() {
  uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (p_ == end_) throw WireError{"truncated varint"};
    const auto b = static_cast<unsigned char>(*p_++);
    if (shift == 63 && (b & 0x7E)) throw WireError{"varint overflows 64 bits"};
    v |= static_cast<uint64_t>(b & 0x7F) << shift;
    if (!(b & 0x80)) return v;
  }
  throw WireError{"varint longer than 10 bytes"};
}

bool Reader::next(uint32_t& field, int& wire_type) {
  if (p_ == end_) return false;
  const uint64_t tag = varint();
  wire_type = static_cast<int>(tag & 7);
  const uint64_t f = tag >> 3;
  if (f == 0 || f > 0x1FFFFFFF) throw WireError{"invalid field number " + std::to_string(f)};
  if (wire_type != kVarint && wire_type != kI64 && wire_type != kLen && wire_type != kI32)
    throw WireError{"unsupported wire type " + std::to_string(wire_type) + " for field " + std::to_string(f)};
  field = static_cast<uint32_t>(f);
  return true;
}

std::string_view Reader::bytes() {
  const uint64_t n = varint();
  if (n > static_cast<uint64_t>(end_ - p_)) throw WireError{"length " + std::to_string(n) + " runs past the end"};
  std::string_view v(p_, static_cast<std::size_t>(n));
  p_ += n;
  return v;
}

uint32_t Reader::fixed32() {
  if (end_ - p_ < 4) throw WireError{"truncated fixed32"};
  uint32_t v;
  std::memcpy(&v, p_, 4);
  p_ += 4;
  return v;
}

uint64_t Reader::fixed64() {
  if (end_ - p_ < 8) throw WireError{"truncated fixed64"};
  uint64_t v;
  std::memcpy(&v, p_, 8);
  p_ += 8;
  return v;
}

void Reader::skip(int wire_type) {
  switch (wire_type) {
    case kVarint: varint(); break;
    case kI64: fixed64(); break;
    case kLen: bytes(); break;
    case kI32: fixed32(); break;
    default: throw WireError{"cannot skip wire type " + std::to_string(wire_type)};
  }
}

void Writer::varint(uint64_t v) {
  char buf[10];
  int n = 0;
  while (v >= 0x80) {
    buf[n++] = static_cast<char>((v & 0x7F) | 0x80);
    v >>= 7;
  }
  buf[n++] = static_cast<char>(v);
  out_.append(buf, static_cast<std::size_t>(n));
}

}  // namespace smallcall::pb
