# The consumer test: install this build into a temporary prefix, then build
# and run a separate project against it twice, once with find_package(moe)
# and once with pkg-config and a plain compiler command. Run by CTest:
#
#   cmake -DMOE_BUILD_DIR=... -DMOE_LIBDIR=lib -DCONSUMER_DIR=.../tests/consumer
#         -DCXX=... -DMAKE_PROGRAM=ninja -P run.cmake
#
# Optional: -DCONSUMER_CXX_FLAGS=... and -DCONSUMER_LINKER_FLAGS=..., the
# compile and link flags of the build under test (its -fsanitize=... when the
# libraries are instrumented), given to both consumers.
#
# Each run works in its own mktemp directory (parallel runs do not collide)
# and removes it at the end, failed or not.
cmake_minimum_required(VERSION 3.25)
foreach(var MOE_BUILD_DIR MOE_LIBDIR CONSUMER_DIR CXX MAKE_PROGRAM)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run.cmake: -D${var}=... is required")
  endif()
endforeach()
foreach(var CONSUMER_CXX_FLAGS CONSUMER_LINKER_FLAGS)
  if(NOT DEFINED ${var})
    set(${var} "")
  endif()
endforeach()

execute_process(COMMAND mktemp -d ${MOE_BUILD_DIR}/consumer-test.XXXXXX
  OUTPUT_VARIABLE tmp OUTPUT_STRIP_TRAILING_WHITESPACE COMMAND_ERROR_IS_FATAL ANY)
set(prefix ${tmp}/prefix)
set(expected "consumer ok: {\"n\":42,\"pk\":\"a\"} 0.1.0")
# app_all (moe::moe): the registry's 2 manager tables + the family's table;
# 30 items read back; 4 shards.
set(expected_all "consumer all ok: 3 30 4")

function(fail message)
  file(REMOVE_RECURSE ${tmp})
  message(FATAL_ERROR "${message}")
endfunction()

# step(NAME ... COMMAND ...): runs a command (2 minutes at most); fails the
# test with its output if it fails. Its stdout is left in step_output.
function(step name)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err
    TIMEOUT 120)
  if(NOT rc EQUAL 0)
    fail("${name} failed (${rc}):\n${out}\n${err}")
  endif()
  set(step_output "${out}" PARENT_SCOPE)
endfunction()

# 1. Install, and check what landed.
step(install ${CMAKE_COMMAND} --install ${MOE_BUILD_DIR} --prefix ${prefix})
foreach(path include/moe/client.h include/moe/local.h include/moe/version.h include/moe/sequence.h
             include/moe/registry.h include/moe/sharding.h include/moe/kinesis.h
             ${MOE_LIBDIR}/libmoe_core.a ${MOE_LIBDIR}/libmoe_client.a ${MOE_LIBDIR}/libmoe_local.a
             ${MOE_LIBDIR}/cmake/moe/moeConfig.cmake ${MOE_LIBDIR}/cmake/moe/moeConfigVersion.cmake
             ${MOE_LIBDIR}/pkgconfig/moe.pc)
  if(NOT EXISTS ${prefix}/${path})
    fail("not installed: ${path}")
  endif()
endforeach()
file(GLOB_RECURSE headers RELATIVE ${prefix}/include ${prefix}/include/*)
list(FILTER headers EXCLUDE REGEX "^moe/[a-z_0-9]+\\.h$")
file(GLOB internal ${prefix}/${MOE_LIBDIR}/libmoe_testing.a ${prefix}/${MOE_LIBDIR}/*test*)
if(headers OR internal)
  fail("installed what is private: ${headers} ${internal}")
endif()

# 2. find_package(moe 0.1 CONFIG REQUIRED) + moe::client moe::local.
step(configure ${CMAKE_COMMAND} -S ${CONSUMER_DIR}/project -B ${tmp}/build -G Ninja
  -DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM} -DCMAKE_CXX_COMPILER=${CXX}
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH=${prefix}
  "-DCMAKE_CXX_FLAGS=${CONSUMER_CXX_FLAGS}" "-DCMAKE_EXE_LINKER_FLAGS=${CONSUMER_LINKER_FLAGS}")
step(build ${CMAKE_COMMAND} --build ${tmp}/build)
step(run-find-package ${tmp}/build/app)
if(NOT step_output MATCHES "^${expected}\n$")
  fail("find_package consumer printed:\n${step_output}\nexpected:\n${expected}")
endif()
step(run-find-package-all ${tmp}/build/app_all)
if(NOT step_output MATCHES "^${expected_all}\n$")
  fail("find_package moe::moe consumer printed:\n${step_output}\nexpected:\n${expected_all}")
endif()

# 3. pkg-config --cflags --libs moe with the plain compiler.
step(pkg-config ${CMAKE_COMMAND} -E env PKG_CONFIG_PATH=${prefix}/${MOE_LIBDIR}/pkgconfig
  pkg-config --cflags --libs moe)
separate_arguments(flags UNIX_COMMAND
  "${CONSUMER_CXX_FLAGS} ${step_output} ${CONSUMER_LINKER_FLAGS}")
step(compile ${CXX} ${CONSUMER_DIR}/project/app.cc -o ${tmp}/app-pc ${flags})
step(run-pkg-config ${tmp}/app-pc)
if(NOT step_output MATCHES "^${expected}\n$")
  fail("pkg-config consumer printed:\n${step_output}\nexpected:\n${expected}")
endif()
step(compile-all ${CXX} ${CONSUMER_DIR}/project/app_all.cc -o ${tmp}/app-all-pc ${flags})
step(run-pkg-config-all ${tmp}/app-all-pc)
if(NOT step_output MATCHES "^${expected_all}\n$")
  fail("pkg-config moe::moe consumer printed:\n${step_output}\nexpected:\n${expected_all}")
endif()

file(REMOVE_RECURSE ${tmp})
message(STATUS "consumer test: find_package and pkg-config consumers printed: ${expected} / ${expected_all}")
