// SPDX-License-Identifier: MIT
// A BUILD_TOPOLOGY.toml for tests: the stages, topology groups and artifacts of
// spec/artifacts.md §8.2 and the stage list of spec/README.md, written as TOML.
#pragma once

#include <string_view>

namespace rockart::test {

inline constexpr std::string_view k_spec_topology_toml =
    R"toml(# Transcribed from spec/artifacts.md §8.2 (topology inventory) and spec/README.md
# (stages); artifact_deps omitted. Not TheRock's file: a test fixture.
[metadata]
version = "2.0"

[build_stages.compiler-runtime]
description = "compiler-runtime stage"
artifact_groups = ["third-party-sysdeps", "third-party-libs", "base", "compiler", "core-runtime", "core-amdsmi", "hip-runtime", "opencl-runtime", "kfdtest", "profiler-core", "rocjitsu"]

[build_stages.wsl-rocdxg]
description = "wsl-rocdxg stage"
artifact_groups = ["wsl-rocdxg"]

[build_stages.runtime-tests]
description = "runtime-tests stage"
artifact_groups = ["runtime-tests"]

[build_stages.math-libs]
description = "math-libs stage"
artifact_groups = ["math-libs", "ml-libs"]
type = "per-arch"

[build_stages.comm-libs]
description = "comm-libs stage"
artifact_groups = ["comm-libs"]

[build_stages.storage-libs]
description = "storage-libs stage"
artifact_groups = ["storage-libs"]

[build_stages.cv-libs]
description = "cv-libs stage"
artifact_groups = ["cv-libs"]

[build_stages.media-libs]
description = "media-libs stage"
artifact_groups = ["media-libs"]

[build_stages.debug-tools]
description = "debug-tools stage"
artifact_groups = ["debug-tools"]

[build_stages.profiler-apps]
description = "profiler-apps stage"
artifact_groups = ["profiler-apps"]

[build_stages.dctools-core]
description = "dctools-core stage"
artifact_groups = ["dctools-core"]

[artifact_groups.third-party-sysdeps]
type = "generic"

[artifact_groups.third-party-libs]
type = "generic"

[artifact_groups.base]
type = "generic"

[artifact_groups.compiler]
type = "generic"

[artifact_groups.core-runtime]
type = "generic"

[artifact_groups.core-amdsmi]
type = "generic"

[artifact_groups.hip-runtime]
type = "generic"

[artifact_groups.opencl-runtime]
type = "generic"

[artifact_groups.kfdtest]
type = "generic"

[artifact_groups.profiler-core]
type = "generic"

[artifact_groups.rocjitsu]
type = "generic"

[artifact_groups.wsl-rocdxg]
type = "generic"

[artifact_groups.runtime-tests]
type = "generic"

[artifact_groups.math-libs]
type = "per-arch"

[artifact_groups.ml-libs]
type = "per-arch"

[artifact_groups.comm-libs]
type = "generic"

[artifact_groups.storage-libs]
type = "generic"

[artifact_groups.cv-libs]
type = "generic"

[artifact_groups.media-libs]
type = "generic"

[artifact_groups.debug-tools]
type = "generic"

[artifact_groups.profiler-apps]
type = "generic"

[artifact_groups.dctools-core]
type = "generic"

[artifacts.sysdeps]
artifact_group = "third-party-sysdeps"
type = "target-neutral"

[artifacts.sysdeps-expat]
artifact_group = "third-party-sysdeps"
type = "target-neutral"

[artifacts.sysdeps-gmp]
artifact_group = "third-party-sysdeps"
type = "target-neutral"

[artifacts.sysdeps-mpfr]
artifact_group = "third-party-sysdeps"
type = "target-neutral"

[artifacts.sysdeps-ncurses]
artifact_group = "third-party-sysdeps"
type = "target-neutral"

[artifacts.sysdeps-libmnl]
artifact_group = "third-party-sysdeps"
type = "target-neutral"

[artifacts.sysdeps-util-linux]
artifact_group = "third-party-sysdeps"
type = "target-neutral"

[artifacts.sysdeps-libnl]
artifact_group = "third-party-sysdeps"
type = "target-neutral"

[artifacts.sysdeps-libpciaccess]
artifact_group = "third-party-sysdeps"
type = "target-neutral"

[artifacts.sysdeps-hwloc]
artifact_group = "third-party-sysdeps"
type = "target-neutral"

[artifacts.host-blas]
artifact_group = "third-party-libs"
type = "target-neutral"

[artifacts.host-suite-sparse]
artifact_group = "third-party-libs"
type = "target-neutral"

[artifacts.elfio]
artifact_group = "third-party-libs"
type = "target-neutral"

[artifacts.fftw3]
artifact_group = "third-party-libs"
type = "target-neutral"

[artifacts.flatbuffers]
artifact_group = "third-party-libs"
type = "target-neutral"

[artifacts.fmt]
artifact_group = "third-party-libs"
type = "target-neutral"

[artifacts.nlohmann-json]
artifact_group = "third-party-libs"
type = "target-neutral"

[artifacts.spdlog]
artifact_group = "third-party-libs"
type = "target-neutral"

[artifacts.openmpi]
artifact_group = "third-party-libs"
type = "target-neutral"

[artifacts.base]
artifact_group = "base"
type = "target-neutral"

[artifacts.amd-llvm]
artifact_group = "compiler"
type = "target-neutral"

[artifacts.hipify]
artifact_group = "compiler"
type = "target-neutral"

[artifacts.core-runtime]
artifact_group = "core-runtime"
type = "target-neutral"

[artifacts.core-amdsmi]
artifact_group = "core-amdsmi"
type = "target-neutral"

[artifacts.core-kpack]
artifact_group = "hip-runtime"
type = "target-neutral"

[artifacts.core-hip]
artifact_group = "hip-runtime"
type = "target-neutral"

[artifacts.core-hipinfo]
artifact_group = "hip-runtime"
type = "target-neutral"

[artifacts.core-ocl-icd]
artifact_group = "opencl-runtime"
type = "target-neutral"

[artifacts.core-ocl]
artifact_group = "opencl-runtime"
type = "target-neutral"

[artifacts.kfdtest]
artifact_group = "kfdtest"
type = "target-neutral"

[artifacts.aqlprofile]
artifact_group = "profiler-core"
type = "target-neutral"

[artifacts.rocprofiler-sdk]
artifact_group = "profiler-core"
type = "target-neutral"

[artifacts.rocprofiler-compute]
artifact_group = "profiler-core"
type = "target-neutral"

[artifacts.rocjitsu]
artifact_group = "rocjitsu"
type = "target-neutral"

[artifacts.rocjitsu-hotswap]
artifact_group = "rocjitsu"
type = "target-neutral"

[artifacts.mirage]
artifact_group = "rocjitsu"
type = "target-neutral"

[artifacts.wsl-rocdxg]
artifact_group = "wsl-rocdxg"
type = "target-neutral"

[artifacts.rocrtst]
artifact_group = "runtime-tests"
type = "target-neutral"

[artifacts.core-hiptests]
artifact_group = "runtime-tests"
type = "target-neutral"

[artifacts.blas]
artifact_group = "math-libs"
type = "target-specific"

[artifacts.rand]
artifact_group = "math-libs"
type = "target-specific"

[artifacts.fft]
artifact_group = "math-libs"
type = "target-specific"

[artifacts.prim]
artifact_group = "math-libs"
type = "target-specific"

[artifacts.sparse]
artifact_group = "math-libs"
type = "target-specific"

[artifacts.solver]
artifact_group = "math-libs"
type = "target-specific"

[artifacts.rocalution]
artifact_group = "math-libs"
type = "target-specific"

[artifacts.rocwmma]
artifact_group = "math-libs"
type = "target-specific"

[artifacts.composable-kernel]
artifact_group = "math-libs"
type = "target-specific"

[artifacts.hiptensor]
artifact_group = "math-libs"
type = "target-specific"

[artifacts.libhipcxx]
artifact_group = "math-libs"
type = "target-specific"

[artifacts.hipthreads]
artifact_group = "math-libs"
type = "target-neutral"

[artifacts.support]
artifact_group = "math-libs"
type = "target-neutral"

[artifacts.miopen]
artifact_group = "ml-libs"
type = "target-specific"

[artifacts.hipdnn-samples]
artifact_group = "ml-libs"
type = "target-specific"

[artifacts.hipkernelprovider]
artifact_group = "ml-libs"
type = "target-specific"

[artifacts.hipdnn]
artifact_group = "ml-libs"
type = "target-neutral"

[artifacts.hipdnn-integration-tests]
artifact_group = "ml-libs"
type = "target-neutral"

[artifacts.miopenprovider]
artifact_group = "ml-libs"
type = "target-neutral"

[artifacts.hipblasltprovider]
artifact_group = "ml-libs"
type = "target-neutral"

[artifacts.rccl]
artifact_group = "comm-libs"
type = "target-specific"

[artifacts.rocshmem]
artifact_group = "comm-libs"
type = "target-neutral"

[artifacts.hipfile]
artifact_group = "storage-libs"
type = "target-neutral"

[artifacts.rpp]
artifact_group = "cv-libs"
type = "target-neutral"

[artifacts.sysdeps-amd-mesa]
artifact_group = "media-libs"
type = "target-neutral"

[artifacts.rocdecode]
artifact_group = "media-libs"
type = "target-neutral"

[artifacts.rocjpeg]
artifact_group = "media-libs"
type = "target-neutral"

[artifacts.amd-dbgapi]
artifact_group = "debug-tools"
type = "target-neutral"

[artifacts.rocr-debug-agent]
artifact_group = "debug-tools"
type = "target-neutral"

[artifacts.rocr-debug-agent-tests]
artifact_group = "debug-tools"
type = "target-neutral"

[artifacts.rocgdb]
artifact_group = "debug-tools"
type = "target-neutral"

[artifacts.rocprofiler-systems]
artifact_group = "profiler-apps"
type = "target-neutral"

[artifacts.rocprofiler-systems-examples]
artifact_group = "profiler-apps"
type = "target-neutral"

[artifacts.rdc]
artifact_group = "dctools-core"
type = "target-neutral"
)toml";

} // namespace rockart::test
