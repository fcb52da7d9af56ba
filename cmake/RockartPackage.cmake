# SPDX-License-Identifier: MIT
# `cpack -G DEB` (scripts/package.sh): two Debian packages from the install
# components of cmake/RockartInstall.cmake.
#   rockart      the binary, man pages and completions; what users install.
#                Depends computed by dpkg-shlibdeps from the binary's needs.
#   rockart-dev  headers, static libraries and the CMake package, for
#                building against the library; depends on the -dev packages
#                its link interface needs. Kept apart so a user of the tool
#                does not pull in ~200 MB of static libraries and headers.
set(ROCKART_PACKAGE_MAINTAINER "rockart maintainers <maintainers@rockart.invalid>"
    CACHE STRING "Maintainer field of the Debian packages (Name <email>)")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME rockart)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_DEBIAN_PACKAGE_MAINTAINER ${ROCKART_PACKAGE_MAINTAINER})
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # rockart_0.1.0-1_amd64.deb
set(CPACK_DEB_COMPONENT_INSTALL ON)
# Strips the binary as it is packaged (the static libraries are left alone).
set(CPACK_STRIP_FILES ON)
set(CPACK_COMPONENTS_ALL runtime dev)

set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME rockart)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SHLIBDEPS ON)
# Each description's first line is the package's synopsis. (CPACK_PACKAGE_
# DESCRIPTION_SUMMARY stays unset: CPack would put it before both.)
set(CPACK_DEBIAN_RUNTIME_DESCRIPTION
    "locate, upload, find, fetch and bisect the CI outputs of ROCm's TheRock
rockart computes where every output of a TheRock CI run lives, talks to S3
with its own SigV4 signer, finds the workflow runs that built a commit,
downloads, verifies and extracts their artifacts, installs ROCm components
from a run or release incrementally, and bisects regressions with prebuilt
artifacts. Includes man pages and bash, zsh and fish completions.")

set(CPACK_DEBIAN_DEV_PACKAGE_NAME rockart-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
# The packages providing what rockart::rockart links (rockartConfig.cmake's
# find_dependency list) on Debian 12.
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS
    "libcurl4-openssl-dev | libcurl-dev, libssl-dev, nlohmann-json3-dev (>= 3.10), "
    "libarchive-dev, libsqlite3-dev, zlib1g-dev, libtomlplusplus-dev (>= 3)")
string(REPLACE ";" "" CPACK_DEBIAN_DEV_PACKAGE_DEPENDS "${CPACK_DEBIAN_DEV_PACKAGE_DEPENDS}")
set(CPACK_DEBIAN_DEV_DESCRIPTION
    "rockart C++ library: headers, static libraries and CMake package
The layers of rockart (util, layout, http, s3, github, archive, cache, runs,
storage, fetch, bisect, install) as static libraries with their public
headers; find_package(rockart CONFIG) gives the imported target
rockart::rockart.")

include(CPack)
