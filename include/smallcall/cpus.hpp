#pragma once
// How many CPUs this process may use, and what --io_threads auto means on them.

namespace smallcall {

// CPUs the process may run on: its affinity mask (taskset, numactl, a cpuset cgroup, docker
// --cpuset-cpus), further limited by a cgroup v2 CPU quota (docker --cpus) when one is set.
// At least 1.
int usable_cpus();

// --io_threads: 0 (everything on the calling thread) and 1 (reading, writing and
// compression on background threads) as given; kIoThreadsAuto: 0 when the process may use
// only one CPU (background threads could only take turns with the forward pass), else 1.
int resolve_io_threads(int requested);

}  // namespace smallcall
