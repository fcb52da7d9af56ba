// SPDX-License-Identifier: MIT
// A BUILD_TOPOLOGY.toml for tests: the stages, topology groups and artifacts of
// spec/artifacts.md §8.2 and the stage list of spec/README.md, written as TOML.
// The dependencies (artifact_group_deps, artifact_deps) are the ones the
// worked examples of spec/install.md §2.3 name, completed so that every
// stage has the inbound/produced counts listed there.
#pragma once

#include <string_view>

namespace rockart::test {

inline constexpr std::string_view k_spec_topology_toml =
    R"toml(# Transcribed from spec/artifacts.md §8.2 (topology inventory) and spec/README.md
# (stages); dependencies give install.md §2.3's inbound sets. Not TheRock's file: a test fixture.
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
artifact_group_deps = ["third-party-sysdeps"]

[artifact_groups.core-runtime]
type = "generic"
artifact_group_deps = ["base", "third-party-sysdeps"]

[artifact_groups.core-amdsmi]
type = "generic"
artifact_group_deps = ["base"]

[artifact_groups.hip-runtime]
type = "generic"
artifact_group_deps = ["core-runtime", "compiler"]

[artifact_groups.opencl-runtime]
type = "generic"
artifact_group_deps = ["core-runtime", "compiler"]

[artifact_groups.kfdtest]
type = "generic"
artifact_group_deps = ["core-runtime"]

[artifact_groups.profiler-core]
type = "generic"
artifact_group_deps = ["core-runtime"]

[artifact_groups.rocjitsu]
type = "generic"
artifact_group_deps = ["hip-runtime"]

[artifact_groups.wsl-rocdxg]
type = "generic"

[artifact_groups.runtime-tests]
type = "generic"
artifact_group_deps = ["hip-runtime", "opencl-runtime"]

[artifact_groups.math-libs]
type = "per-arch"
artifact_group_deps = ["hip-runtime", "profiler-core"]

[artifact_groups.ml-libs]
type = "per-arch"
artifact_group_deps = ["math-libs", "profiler-core"]

[artifact_groups.comm-libs]
type = "generic"
artifact_group_deps = ["hip-runtime"]

[artifact_groups.storage-libs]
type = "generic"
artifact_group_deps = ["hip-runtime"]

[artifact_groups.cv-libs]
type = "generic"
artifact_group_deps = ["hip-runtime"]

[artifact_groups.media-libs]
type = "generic"
artifact_group_deps = ["hip-runtime"]

[artifact_groups.debug-tools]
type = "generic"
artifact_group_deps = ["hip-runtime"]

[artifact_groups.profiler-apps]
type = "generic"
artifact_group_deps = ["profiler-core", "compiler"]

[artifact_groups.dctools-core]
type = "generic"
artifact_group_deps = ["core-runtime", "profiler-core"]

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
artifact_deps = ["sysdeps-gmp"]

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
artifact_deps = ["sysdeps", "sysdeps-libpciaccess"]

[artifacts.host-blas]
artifact_group = "third-party-libs"
type = "target-neutral"

[artifacts.host-suite-sparse]
artifact_group = "third-party-libs"
type = "target-neutral"
artifact_deps = ["host-blas"]

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
artifact_deps = ["sysdeps"]

[artifacts.hipify]
artifact_group = "compiler"
type = "target-neutral"
artifact_deps = ["amd-llvm"]

[artifacts.core-runtime]
artifact_group = "core-runtime"
type = "target-neutral"
artifact_deps = ["base", "sysdeps", "amd-llvm"]

[artifacts.core-amdsmi]
artifact_group = "core-amdsmi"
type = "target-neutral"
artifact_deps = ["base", "sysdeps-libmnl", "sysdeps-libnl"]

[artifacts.core-kpack]
artifact_group = "hip-runtime"
type = "target-neutral"

[artifacts.core-hip]
artifact_group = "hip-runtime"
type = "target-neutral"
artifact_deps = ["core-runtime", "core-kpack", "amd-llvm"]

[artifacts.core-hipinfo]
artifact_group = "hip-runtime"
type = "target-neutral"
artifact_deps = ["core-hip"]

[artifacts.core-ocl-icd]
artifact_group = "opencl-runtime"
type = "target-neutral"

[artifacts.core-ocl]
artifact_group = "opencl-runtime"
type = "target-neutral"
artifact_deps = ["core-runtime", "core-ocl-icd"]

[artifacts.kfdtest]
artifact_group = "kfdtest"
type = "target-neutral"
artifact_deps = ["core-runtime"]

[artifacts.aqlprofile]
artifact_group = "profiler-core"
type = "target-neutral"
artifact_deps = ["core-runtime"]

[artifacts.rocprofiler-sdk]
artifact_group = "profiler-core"
type = "target-neutral"
artifact_deps = ["core-runtime", "aqlprofile", "elfio", "core-amdsmi"]

[artifacts.rocprofiler-compute]
artifact_group = "profiler-core"
type = "target-neutral"
artifact_deps = ["rocprofiler-sdk"]

[artifacts.rocjitsu]
artifact_group = "rocjitsu"
type = "target-neutral"
artifact_deps = ["core-hip"]

[artifacts.rocjitsu-hotswap]
artifact_group = "rocjitsu"
type = "target-neutral"
artifact_deps = ["rocjitsu"]

[artifacts.mirage]
artifact_group = "rocjitsu"
type = "target-neutral"
artifact_deps = ["rocjitsu"]

[artifacts.wsl-rocdxg]
artifact_group = "wsl-rocdxg"
type = "target-neutral"
artifact_deps = ["core-hip"]

[artifacts.rocrtst]
artifact_group = "runtime-tests"
type = "target-neutral"
artifact_deps = ["core-runtime", "core-ocl", "sysdeps-hwloc", "kfdtest"]

[artifacts.core-hiptests]
artifact_group = "runtime-tests"
type = "target-neutral"
artifact_deps = ["core-hip", "fmt", "nlohmann-json"]

[artifacts.blas]
artifact_group = "math-libs"
type = "target-specific"
artifact_deps = ["core-hip", "host-blas", "host-suite-sparse", "rocprofiler-sdk"]

[artifacts.rand]
artifact_group = "math-libs"
type = "target-specific"
artifact_deps = ["core-hip"]

[artifacts.fft]
artifact_group = "math-libs"
type = "target-specific"
artifact_deps = ["core-hip", "fftw3"]

[artifacts.prim]
artifact_group = "math-libs"
type = "target-specific"
artifact_deps = ["core-hip"]

[artifacts.sparse]
artifact_group = "math-libs"
type = "target-specific"
artifact_deps = ["blas", "prim"]

[artifacts.solver]
artifact_group = "math-libs"
type = "target-specific"
artifact_deps = ["blas", "prim", "sparse", "host-suite-sparse"]

[artifacts.rocalution]
artifact_group = "math-libs"
type = "target-specific"
artifact_deps = ["blas", "sparse", "openmpi"]

[artifacts.rocwmma]
artifact_group = "math-libs"
type = "target-specific"
artifact_deps = ["core-hip", "blas"]

[artifacts.composable-kernel]
artifact_group = "math-libs"
type = "target-specific"
artifact_deps = ["core-hip"]

[artifacts.hiptensor]
artifact_group = "math-libs"
type = "target-specific"
artifact_deps = ["composable-kernel"]

[artifacts.libhipcxx]
artifact_group = "math-libs"
type = "target-specific"
artifact_deps = ["core-hip", "amd-llvm"]

[artifacts.hipthreads]
artifact_group = "math-libs"
type = "target-neutral"

[artifacts.support]
artifact_group = "math-libs"
type = "target-neutral"

[artifacts.miopen]
artifact_group = "ml-libs"
type = "target-specific"
artifact_deps = ["blas", "composable-kernel", "rand", "rocprofiler-compute"]

[artifacts.hipdnn-samples]
artifact_group = "ml-libs"
type = "target-specific"
artifact_deps = ["miopen", "hipdnn"]

[artifacts.hipkernelprovider]
artifact_group = "ml-libs"
type = "target-specific"
artifact_deps = ["hipdnn"]

[artifacts.hipdnn]
artifact_group = "ml-libs"
type = "target-neutral"
artifact_deps = ["core-hip", "spdlog"]

[artifacts.hipdnn-integration-tests]
artifact_group = "ml-libs"
type = "target-neutral"
artifact_deps = ["hipdnn"]

[artifacts.miopenprovider]
artifact_group = "ml-libs"
type = "target-neutral"
artifact_deps = ["miopen", "hipdnn"]

[artifacts.hipblasltprovider]
artifact_group = "ml-libs"
type = "target-neutral"
artifact_deps = ["blas", "hipdnn"]

[artifacts.rccl]
artifact_group = "comm-libs"
type = "target-specific"
artifact_deps = ["core-hip", "hipify", "openmpi", "rocjitsu-hotswap", "rocprofiler-sdk"]

[artifacts.rocshmem]
artifact_group = "comm-libs"
type = "target-neutral"
artifact_deps = ["core-hip", "openmpi"]

[artifacts.hipfile]
artifact_group = "storage-libs"
type = "target-neutral"
artifact_deps = ["core-hip", "sysdeps-util-linux"]

[artifacts.rpp]
artifact_group = "cv-libs"
type = "target-neutral"
artifact_deps = ["core-hip", "rocprofiler-sdk", "sysdeps-expat", "sysdeps-ncurses", "host-blas"]

[artifacts.sysdeps-amd-mesa]
artifact_group = "media-libs"
type = "target-neutral"
artifact_deps = ["sysdeps", "sysdeps-expat", "sysdeps-libpciaccess", "sysdeps-util-linux", "amd-llvm"]

[artifacts.rocdecode]
artifact_group = "media-libs"
type = "target-neutral"
artifact_deps = ["core-hip", "sysdeps-amd-mesa", "core-amdsmi"]

[artifacts.rocjpeg]
artifact_group = "media-libs"
type = "target-neutral"
artifact_deps = ["rocdecode", "rocprofiler-sdk"]

[artifacts.amd-dbgapi]
artifact_group = "debug-tools"
type = "target-neutral"
artifact_deps = ["amd-llvm", "core-runtime", "sysdeps"]

[artifacts.rocr-debug-agent]
artifact_group = "debug-tools"
type = "target-neutral"
artifact_deps = ["amd-dbgapi", "core-runtime", "elfio"]

[artifacts.rocr-debug-agent-tests]
artifact_group = "debug-tools"
type = "target-neutral"
artifact_deps = ["rocr-debug-agent", "core-hip", "hipify", "kfdtest"]

[artifacts.rocgdb]
artifact_group = "debug-tools"
type = "target-neutral"
artifact_deps = ["amd-dbgapi", "sysdeps-expat", "sysdeps-gmp", "sysdeps-mpfr", "sysdeps-ncurses", "sysdeps-hwloc"]

[artifacts.rocprofiler-systems]
artifact_group = "profiler-apps"
type = "target-neutral"
artifact_deps = ["amd-llvm", "core-hip", "rocprofiler-sdk", "sysdeps-libpciaccess", "sysdeps-ncurses"]

[artifacts.rocprofiler-systems-examples]
artifact_group = "profiler-apps"
type = "target-neutral"
artifact_deps = ["rocprofiler-systems"]

[artifacts.rdc]
artifact_group = "dctools-core"
type = "target-neutral"
artifact_deps = ["core-hip", "rocprofiler-sdk", "sysdeps", "spdlog"]
)toml";

} // namespace rockart::test
