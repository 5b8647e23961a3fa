#include "smallcall/cpus.hpp"

#include <sched.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <string>

#include "smallcall/error.hpp"
#include "smallcall/options.hpp"

namespace smallcall {

namespace {
// "max 100000" (no limit) or "<quota> <period>" in the cgroup v2 file; 0 when none is set.
double cgroup_cpu_limit() {
  std::ifstream in("/sys/fs/cgroup/cpu.max");
  std::string quota;
  double period = 0;
  if (!(in >> quota >> period) || quota == "max" || period <= 0) return 0;
  try {
    return std::stod(quota) / period;
  } catch (const std::exception&) {
    return 0;
  }
}
}  // namespace

int usable_cpus() {
  int n = 0;
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0) n = CPU_COUNT(&set);
  if (n < 1) n = 1;
  const double limit = cgroup_cpu_limit();
  if (limit > 0) n = std::min(n, std::max(1, static_cast<int>(std::ceil(limit))));
  return n;
}

int resolve_io_threads(int requested) {
  if (requested == kIoThreadsAuto) return usable_cpus() > 1 ? 1 : 0;
  if (requested != 0 && requested != 1)
    throw UsageError("--io_threads must be 0, 1 or auto, not " + std::to_string(requested));
  return requested;
}

}  // namespace smallcall
