#pragma once
// CRC32C (Castagnoli), as TFRecord framing uses it, and TensorFlow's mask.
#include <cstddef>
#include <cstdint>

namespace smallcall {

// Standard CRC32C of `data` (init 0xFFFFFFFF, final inversion): crc32c("123456789") = 0xE3069283.
// Uses the SSE4.2 crc32 instruction when the CPU has it, a table otherwise.
uint32_t crc32c(const void* data, std::size_t size);
uint32_t crc32c_table(const void* data, std::size_t size);  // the portable path, for tests
bool crc32c_hardware_available();

inline uint32_t mask_crc(uint32_t crc) { return ((crc >> 15) | (crc << 17)) + 0xa282ead8u; }
inline uint32_t masked_crc32c(const void* data, std::size_t size) { return mask_crc(crc32c(data, size)); }

}  // namespace smallcall
