# Debian packages, built with `cpack` in the build folder:
#   amparo-gateway      the gateway host: amparo-gateway, amparo-admin, the
#                       systemd unit, the sample configuration, the Tor
#                       onion service configuration, the operator's guide;
#   amparo-workstation  the air-gapped workstation: amparo-review.
# The gateway's package holds no decryption code: amparo-review, the only
# binary that can decrypt, is in the workstation's alone (checked by
# tests/deploy/packages.sh).

install(FILES deploy/systemd/amparo-gateway.service
        DESTINATION lib/systemd/system COMPONENT gateway)
install(FILES deploy/gateway.conf deploy/tor/amparo-onion.conf
        DESTINATION share/amparo COMPONENT gateway)
install(FILES docs/OPERATIONS.md docs/API.md SECURITY.md
        DESTINATION share/doc/amparo-gateway COMPONENT gateway)
install(FILES SECURITY.md DESTINATION share/doc/amparo-workstation COMPONENT workstation)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME amparo)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL gateway workstation)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "Amparo maintainers")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)  # Depends from the binaries' libraries
set(CPACK_DEBIAN_GATEWAY_PACKAGE_NAME amparo-gateway)
set(CPACK_DEBIAN_GATEWAY_PACKAGE_DEPENDS adduser)
set(CPACK_DEBIAN_GATEWAY_PACKAGE_RECOMMENDS tor)
set(CPACK_COMPONENT_GATEWAY_DESCRIPTION
    "Amparo intake gateway for reprisal allegations: server, operator's tool, systemd unit")
set(CPACK_DEBIAN_WORKSTATION_PACKAGE_NAME amparo-workstation)
set(CPACK_COMPONENT_WORKSTATION_DESCRIPTION
    "Amparo air-gapped workstation tool: keys, import, casework")
configure_file(deploy/debian/gateway-postinst ${CMAKE_BINARY_DIR}/debian/gateway/postinst COPYONLY)
set(CPACK_DEBIAN_GATEWAY_PACKAGE_CONTROL_EXTRA ${CMAKE_BINARY_DIR}/debian/gateway/postinst)
include(CPack)
