# SPDX-License-Identifier: MIT
# Warnings, sanitizers and the per-layer library helper. Flags live on the
# rockart_settings INTERFACE target, linked PRIVATE everywhere, never global.
add_library(rockart_settings INTERFACE)
target_compile_options(rockart_settings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Woverloaded-virtual -Wnull-dereference)
if(ROCKART_WERROR)
  target_compile_options(rockart_settings INTERFACE -Werror)
endif()
if(ROCKART_SANITIZERS)
  list(JOIN ROCKART_SANITIZERS "," _rockart_san)
  target_compile_options(rockart_settings INTERFACE
    -fsanitize=${_rockart_san} -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(rockart_settings INTERFACE -fsanitize=${_rockart_san})
endif()
if(ROCKART_CLANG_TIDY)
  find_program(CLANG_TIDY_EXE NAMES clang-tidy-14 clang-tidy REQUIRED)
  set(CMAKE_CXX_CLANG_TIDY ${CLANG_TIDY_EXE})
endif()

set(ROCKART_LAYER_TARGETS "" CACHE INTERNAL "")

# rockart_add_layer(<name> DEPS <targets...>): static library rockart_<name>
# from src/rockart/<name>/*.cpp with the public headers of include/. It is
# installed and exported as rockart::<name> (cmake/RockartInstall.cmake), and
# has that alias in the build tree too.
function(rockart_add_layer name)
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  file(GLOB _sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/src/rockart/${name}/*.cpp)
  # Installed consumers find the headers under the install prefix, never in this source tree.
  set(_includes $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
                $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
  if(NOT _sources)
    # A layer without sources yet still exists as a target so that the
    # dependency graph is declared once, here.
    add_library(rockart_${name} INTERFACE)
    target_include_directories(rockart_${name} INTERFACE ${_includes})
    target_link_libraries(rockart_${name} INTERFACE ${ARG_DEPS})
  else()
    add_library(rockart_${name} STATIC ${_sources})
    target_include_directories(rockart_${name} PUBLIC ${_includes}
                                                PRIVATE ${PROJECT_SOURCE_DIR}/src/rockart/${name})
    # A static library's private dependencies still enter its link interface
    # ($<LINK_ONLY:rockart_settings>). BUILD_INTERFACE keeps the warning flags
    # out of the exported targets, so consumers never see (or need) them.
    target_link_libraries(rockart_${name} PUBLIC ${ARG_DEPS}
                                          PRIVATE $<BUILD_INTERFACE:rockart_settings>)
  endif()
  set_target_properties(rockart_${name} PROPERTIES EXPORT_NAME ${name})
  add_library(rockart::${name} ALIAS rockart_${name})
  set(ROCKART_LAYER_TARGETS ${ROCKART_LAYER_TARGETS} rockart_${name} CACHE INTERNAL "")
endfunction()
