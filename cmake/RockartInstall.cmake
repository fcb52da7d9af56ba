# SPDX-License-Identifier: MIT
# What `cmake --install` puts in place, in two components that the Debian
# packages follow (cmake/RockartPackage.cmake):
#   runtime  bin/rockart, its man pages and bash/zsh/fish completions
#   dev      the public headers, the static layer libraries and the CMake
#            package: find_package(rockart CONFIG) gives rockart::rockart
#            (every layer) and rockart::<layer>.
include(CMakePackageConfigHelpers)

install(TARGETS rockart RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)

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
