# Install rules (included from CMakeLists.txt when MOE_INSTALL is on):
#
#   include/moe/*.h                         the public headers (never src/)
#   lib/libmoe_<module>.a                   one static library per module
#   bin/moe                                 the CLI (with MOE_BUILD_TOOLS)
#   lib/cmake/moe/moe{Config,ConfigVersion,Targets}.cmake
#                                           find_package(moe CONFIG): moe::<module>, moe::moe
#   lib/pkgconfig/moe.pc                    pkg-config --cflags --libs moe
#
# Internal modules (moe::testing) and test helpers are not installed.
include(CMakePackageConfigHelpers)

get_property(moe_modules GLOBAL PROPERTY MOE_INSTALLED_MODULES)
list(TRANSFORM moe_modules PREPEND moe_ OUTPUT_VARIABLE moe_module_targets)

# Public headers; those of modules left out of this build stay out.
file(GLOB moe_public_headers ${PROJECT_SOURCE_DIR}/include/moe/*.h)
if(NOT MOE_BUILD_LOCAL)
  list(FILTER moe_public_headers EXCLUDE REGEX "/(local|server|simulator|kinesis_local)\\.h$")
endif()
install(FILES ${moe_public_headers} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/moe)

install(TARGETS ${moe_module_targets} moe_all EXPORT moeTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})

set(moe_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/moe)
install(EXPORT moeTargets NAMESPACE moe:: DESTINATION ${moe_cmake_dir})
configure_package_config_file(cmake/moeConfig.cmake.in
  ${PROJECT_BINARY_DIR}/cmake/moeConfig.cmake INSTALL_DESTINATION ${moe_cmake_dir})
# 0.x: a minor version may break the API, so 0.1 accepts 0.1.* only.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/cmake/moeConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/cmake/moeConfig.cmake
              ${PROJECT_BINARY_DIR}/cmake/moeConfigVersion.cmake
  DESTINATION ${moe_cmake_dir})

# moe.pc: every module library, dependents before their dependencies. Modules
# are added after the modules they link (src/CMakeLists.txt), so the reverse
# of that order is a link order; checked here.
set(moe_link_order ${moe_modules})
list(REVERSE moe_link_order)
foreach(module IN LISTS moe_link_order)
  list(FIND moe_link_order ${module} position)
  get_target_property(deps moe_${module} LINK_LIBRARIES)
  foreach(dep IN LISTS deps)
    if(dep MATCHES "^moe::(.+)$" AND CMAKE_MATCH_1 IN_LIST moe_link_order)
      list(FIND moe_link_order ${CMAKE_MATCH_1} dep_position)
      if(dep_position LESS position)
        message(FATAL_ERROR "moe.pc link order: moe_${module} links ${dep}, which comes "
                            "before it; add_subdirectory(${CMAKE_MATCH_1}) first in src/CMakeLists.txt")
      endif()
    endif()
  endforeach()
endforeach()
list(TRANSFORM moe_link_order PREPEND -lmoe_ OUTPUT_VARIABLE moe_pc_libs)
list(JOIN moe_pc_libs " " MOE_PC_LIBS)
# prefix relative to lib/pkgconfig, so that `cmake --install --prefix P` works.
string(REGEX REPLACE "[^/]+" ".." MOE_PC_UP "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
configure_file(cmake/moe.pc.in ${PROJECT_BINARY_DIR}/cmake/moe.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/cmake/moe.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
