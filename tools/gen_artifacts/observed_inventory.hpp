// SPDX-License-Identifier: MIT
// One real TheRock CI run's artifacts as data: the generator's `--scale real`
// set is made from it, and the selection tests list it as a realistic run.
#pragma once

namespace rockart::testdata {

// The artifact names of a multi-arch (kpack-split) Linux TheRock CI run as the
// gfx94X-dcgpu family sees them (run 30964030362: 252 generic and 14 gfx942
// archives, all .tar.zst), one row per name. Each column lists the components
// archived under that target family; "lib:400" also gives the archive's
// relative compressed size (about MiB in the generator's default 2 GiB set),
// a bare component takes the generator's default weight for its kind. The
// weights put a real run's spread on the set: one archive of about 400 MB, a
// handful above 50 MB, and most under 2 MB.
struct RealArtifact {
  const char* name;
  const char* generic;    // components of {name}_{component}_generic
  const char* per_target; // components of {name}_{component}_{target}
};

constexpr RealArtifact k_real_inventory[] = {
    {"amd-dbgapi", "dbg dev doc lib", ""},
    {"amd-llvm", "dbg:110 dev:20 doc lib:100 run:70", ""},
    {"aqlprofile", "dbg dev doc lib run test", ""},
    {"base", "dbg dev doc lib run test", ""},
    {"blas", "dbg:30 dev:8 doc lib:20 run test:20", "lib:400 test:230"},
    {"composable-kernel", "dbg dev:20 doc lib", ""},
    {"core-amdsmi", "dbg dev doc lib run", ""},
    {"core-hip", "dbg:12 dev doc lib:8 run", ""},
    {"core-hiptests", "test:35", ""},
    {"core-kpack", "dbg dev lib", ""},
    {"core-ocl-icd", "lib", ""},
    {"core-ocl", "dbg:4 dev doc lib:3 run test", ""},
    {"core-runtime", "dbg:8 dev doc lib:5 run", ""},
    {"elfio", "dev doc lib", ""},
    {"fft", "dbg:6 dev doc lib:3 run test:4", "lib:70 test:25"},
    {"fftw3", "dbg dev doc lib:6 run", ""},
    {"flatbuffers", "dev", ""},
    {"hipblasltprovider", "dbg lib test", ""},
    {"hipdnn", "dbg dev doc lib run test", ""},
    {"hipdnn-integration-tests", "dbg run test", ""},
    {"hipdnn-samples", "test", ""},
    {"hipfile", "dbg dev doc lib run test", ""},
    {"hipify", "dbg:8 run:6", ""},
    {"hipkernelprovider", "dbg lib test", ""},
    {"hiptensor", "dbg dev lib test", "lib:40 test:15"},
    {"hipthreads", "dev test", ""},
    {"host-blas", "dbg dev doc lib:15 run", ""},
    {"host-suite-sparse", "dbg dev doc lib:8 run", ""},
    {"libhipcxx", "dbg dev lib test", ""},
    {"miopen", "dbg:40 dev:5 doc lib:25 run test:20", "lib:150"},
    {"miopenprovider", "dbg lib test", ""},
    {"mirage", "dbg dev run", ""},
    {"nlohmann-json", "dev", ""},
    {"prim", "dbg dev doc test", "test:30"},
    {"rand", "dbg dev doc lib run test", "lib:12 test:8"},
    {"rccl", "dbg:10 dev doc lib:5 run test", "lib:45 test:6"},
    {"rdc", "dbg dev doc lib run test", ""},
    {"rocalution", "dbg dev lib test", "lib:10"},
    {"rocdecode", "dbg dev doc lib test", ""},
    {"rocgdb", "dbg:20 dev doc lib run:12 test", ""},
    {"rocjitsu", "dbg dev lib run", ""},
    {"rocjitsu-hotswap", "lib", ""},
    {"rocjpeg", "dbg dev doc lib test", ""},
    {"rocprofiler-compute", "dbg dev doc lib run:8 test", ""},
    {"rocprofiler-sdk", "dbg:15 dev doc lib:12 run test:6", ""},
    {"rocprofiler-systems", "dbg:15 dev doc lib:20 run:10 test", ""},
    {"rocprofiler-systems-examples", "test", ""},
    {"rocr-debug-agent", "dbg dev doc lib", ""},
    {"rocr-debug-agent-tests", "doc test", ""},
    {"rocrtst", "dbg dev doc lib run test", ""},
    {"rocshmem", "dbg dev doc lib run test", ""},
    {"rocwmma", "dbg dev lib test", "test:35"},
    {"rpp", "dbg:10 dev doc lib:15 test", ""},
    {"support", "dev doc", ""},
    {"sysdeps", "dev doc lib:6 run", ""},
    {"sysdeps-amd-mesa", "dev lib:4", ""},
    {"sysdeps-expat", "dev doc lib", ""},
    {"sysdeps-gmp", "dev doc lib", ""},
    {"sysdeps-hwloc", "dev doc lib", ""},
    {"sysdeps-libpciaccess", "dev lib", ""},
    {"sysdeps-mpfr", "dev doc lib", ""},
    {"sysdeps-ncurses", "dev doc lib", ""},
    {"sysdeps-util-linux", "dev lib", ""},
    {"wsl-rocdxg", "dev doc lib", ""},
};

} // namespace rockart::testdata
