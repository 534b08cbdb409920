# Compiler warnings and hardening flags applied to every target of the project.

add_compile_options(-Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
                    -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Wformat=2
                    -Wimplicit-fallthrough)
if(AMPARO_WERROR)
  add_compile_options(-Werror)
endif()

# Hardening: bounds-checked libc calls, stack canaries, position-independent
# executables, and a read-only GOT resolved at start-up.
set(CMAKE_POSITION_INDEPENDENT_CODE ON)
add_compile_options(-fstack-protector-strong -fstack-clash-protection -fcf-protection)
if(NOT AMPARO_SANITIZE AND NOT AMPARO_FUZZ)
  # FORTIFY_SOURCE needs optimisation and conflicts with ASan's interceptors.
  add_compile_options($<$<NOT:$<CONFIG:Debug>>:-D_FORTIFY_SOURCE=2>)
endif()
add_link_options(-pie -Wl,-z,relro -Wl,-z,now -Wl,-z,noexecstack)

if(AMPARO_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=all)
  add_link_options(-fsanitize=address,undefined)
endif()

# Fuzzing builds instrument every library for coverage, so that the fuzzers
# get feedback from the parsers, not only from the targets' own code.
if(AMPARO_FUZZ)
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=all)
  add_link_options(-fsanitize=address,undefined)
endif()

# The test suite's own code (tests/ and the fuzz targets' replays) is built
# without optimisation or debug information outside Debug builds: it runs
# once per test, and optimising it took half of the build's time. The code
# under test keeps the build type's flags. FORTIFY_SOURCE, which needs
# optimisation, goes too, from test code only: tests/architecture checks the
# product's sources.
set(amparo_not_debug "$<NOT:$<CONFIG:Debug>>")
set(AMPARO_TEST_CODE_OPTIONS "$<${amparo_not_debug}:-O0>" "$<${amparo_not_debug}:-g0>"
                             "$<${amparo_not_debug}:-U_FORTIFY_SOURCE>")
