#include "smallcall/crc32c.hpp"

#include <array>
#include <cstring>

#if defined(__x86_64__) || defined(__i386__)
#include <nmmintrin.h>
#define SMALLCALL_HAVE_SSE42_PATH 1
#endif

namespace smallcall {

namespace {

constexpr std::array<uint32_t, 256> make_table() {
  std::array<uint32_t, 256> t{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
    t[i] = c;
  }
  return t;
}
constexpr std::array<uint32_t, 256> kTable = make_table();

#ifdef SMALLCALL_HAVE_SSE42_PATH
__attribute__((target("sse4.2"))) uint32_t crc32c_sse42(const void* data, std::size_t size) {
  const auto* p = static_cast<const unsigned char*>(data);
  uint64_t c = 0xFFFFFFFFu;
  for (; size >= 8; size -= 8, p += 8) {
    uint64_t v;
    std::memcpy(&v, p, 8);
    c = _mm_crc32_u64(c, v);
  }
  auto c32 = static_cast<uint32_t>(c);
  for (; size; --size, ++p) c32 = _mm_crc32_u8(c32, *p);
  return c32 ^ 0xFFFFFFFFu;
}
#endif

using CrcFn = uint32_t (*)(const void*, std::size_t);
CrcFn choose() {
#ifdef SMALLCALL_HAVE_SSE42_PATH
  if (__builtin_cpu_supports("sse4.2")) return crc32c_sse42;
#endif
  return crc32c_table;
}
const CrcFn kChosen = choose();

}  // namespace

uint32_t crc32c_table(const void* data, std::size_t size) {
  const auto* p = static_cast<const unsigned char*>(data);
  uint32_t c = 0xFFFFFFFFu;
  for (std::size_t i = 0; i < size; ++i) c = kTable[(c ^ p[i]) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

bool crc32c_hardware_available() { return kChosen != crc32c_table; }

uint32_t crc32c(const void* data, std::size_t size) { return kChosen(data, size); }

}  // namespace smallcall
