# SPDX-License-Identifier: MIT
# What `cmake --install` puts in place, in two components that the Debian
# packages follow (cmake/RockartPackage.cmake):
#   runtime  bin/rockart, its man pages and bash/zsh/fish completions
#   dev      the public headers, the static layer libraries and the CMake
#            package: find_package(rockart CONFIG) gives rockart::rockart
#            (every layer) and rockart::<layer>.
include(CMakePackageConfigHelpers)

install(TARGETS rockart RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)

# Man pages and completions are generated at build time by the just-built
# binary from its own command tree (the hidden `rockart __generate-docs`,
# src/cli/docs.hpp), so they never drift from what it parses. They are
# rewritten whenever the binary is relinked; the directories are emptied
# first so a removed command leaves no page behind. (A cross-compiled binary
# could not run here; rockart is built natively.)
set(ROCKART_DOCS_DIR ${PROJECT_BINARY_DIR}/docs)
add_custom_command(
  OUTPUT ${ROCKART_DOCS_DIR}/generated.stamp
  COMMAND ${CMAKE_COMMAND} -E rm -rf ${ROCKART_DOCS_DIR}/man1 ${ROCKART_DOCS_DIR}/completions
  COMMAND rockart __generate-docs --man ${ROCKART_DOCS_DIR}/man1
          --completions ${ROCKART_DOCS_DIR}/completions
  COMMAND ${CMAKE_COMMAND} -DDIR=${ROCKART_DOCS_DIR}/man1
          -P ${PROJECT_SOURCE_DIR}/cmake/RockartGzipPages.cmake
  COMMAND ${CMAKE_COMMAND} -E touch ${ROCKART_DOCS_DIR}/generated.stamp
  DEPENDS rockart ${PROJECT_SOURCE_DIR}/cmake/RockartGzipPages.cmake
  COMMENT "Generating rockart's man pages and shell completions from its command tree"
  VERBATIM)
add_custom_target(rockart_docs ALL DEPENDS ${ROCKART_DOCS_DIR}/generated.stamp)

install(DIRECTORY ${ROCKART_DOCS_DIR}/man1/
        DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT runtime
        FILES_MATCHING PATTERN "*.1.gz")
# Where bash-completion, zsh (Debian's vendor directory) and fish look.
install(FILES ${ROCKART_DOCS_DIR}/completions/rockart
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions COMPONENT runtime)
install(FILES ${ROCKART_DOCS_DIR}/completions/_rockart
        DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions COMPONENT runtime)
install(FILES ${ROCKART_DOCS_DIR}/completions/rockart.fish
        DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d COMPONENT runtime)

# rockart::rockart links every layer, for consumers that do not want to pick.
add_library(rockart_library INTERFACE)
target_link_libraries(rockart_library INTERFACE ${ROCKART_LAYER_TARGETS})
set_target_properties(rockart_library PROPERTIES EXPORT_NAME rockart)
add_library(rockart::rockart ALIAS rockart_library)

set(ROCKART_CMAKE_PACKAGE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/rockart)
install(TARGETS ${ROCKART_LAYER_TARGETS} rockart_library
        EXPORT rockartTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/rockart
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT dev)
install(EXPORT rockartTargets
        NAMESPACE rockart::
        DESTINATION ${ROCKART_CMAKE_PACKAGE_DIR} COMPONENT dev)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/rockartConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/rockartConfig.cmake
                              INSTALL_DESTINATION ${ROCKART_CMAKE_PACKAGE_DIR})
# 0.x: a new minor version may change the API, so only the same minor version matches.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/rockartConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/rockartConfig.cmake
              ${PROJECT_BINARY_DIR}/rockartConfigVersion.cmake
        DESTINATION ${ROCKART_CMAKE_PACKAGE_DIR} COMPONENT dev)
