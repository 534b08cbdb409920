# Third-party dependencies, all from Debian 12 packages (see deploy/install-deps).

find_package(PkgConfig REQUIRED)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium>=1.0.18)
find_package(Protobuf REQUIRED)
find_package(CLI11 CONFIG REQUIRED)
if(AMPARO_BUILD_TESTS)
  find_package(GTest CONFIG REQUIRED)
  find_package(ZLIB REQUIRED)
  include(GoogleTest)
endif()
find_package(Threads REQUIRED)
