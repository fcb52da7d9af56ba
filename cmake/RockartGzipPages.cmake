# SPDX-License-Identifier: MIT
# Run at build time (cmake -P): compresses every DIR/*.1 in place with
# `gzip -n -9`, as Debian policy wants man pages. -n leaves the file name and
# time stamp out of the header, so the same page always gives the same bytes.
find_program(GZIP_EXECUTABLE gzip REQUIRED)
file(GLOB _pages "${DIR}/*.1")
if(NOT _pages)
  message(FATAL_ERROR "no man pages in ${DIR}")
endif()
foreach(_page IN LISTS _pages)
  execute_process(COMMAND "${GZIP_EXECUTABLE}" -n -9 -f "${_page}" COMMAND_ERROR_IS_FATAL ANY)
endforeach()
