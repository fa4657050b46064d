/* Host interfaces on test:///default and in a custom host file: the built-in
 * eth1, lookups, define/undefine/create/destroy, transactions, XML and errors. */
#include "check.h"

static const char eth1_xml[] =
    "<interface type='ethernet' name='eth1'>\n"
    "  <start mode='onboot'/>\n"
    "  <mtu size='1492'/>\n"
    "  <protocol family='ipv4'>\n"
    "    <ip address='192.168.0.5' prefix='24'/>\n"
    "    <route gateway='192.168.0.1'/>\n"
    "  </protocol>\n"
    "  <mac address='aa:bb:cc:dd:ee:ff'/>\n"
    "</interface>\n";

#define NOT_FOUND(detail) CHECK_ERROR(VIR_ERR_NO_INTERFACE, VIR_FROM_TEST, "Interface not found: " detail)
#define INVALID(detail) CHECK_ERROR(VIR_ERR_OPERATION_INVALID, VIR_FROM_TEST, detail)

static int count(virConnectPtr conn, unsigned int flags)
{
    virInterfacePtr *list = NULL;
    int n = virConnectListAllInterfaces(conn, &list, flags);
    for (int i = 0; i < n; i++)
        virInterfaceFree(list[i]);
    free(list);
    return n;
}

static void default_host(void)
{
    virConnectPtr conn = open_default();
    char *names[4] = { NULL };
    CHECK_INT(virConnectNumOfInterfaces(conn), 1);
    CHECK_INT(virConnectNumOfDefinedInterfaces(conn), 0);
    CHECK_INT(virConnectListInterfaces(conn, names, 4), 1);
    CHECK_STR(names[0], "eth1");
    free(names[0]);
    CHECK_INT(count(conn, 0), 1);
    CHECK_INT(count(conn, VIR_CONNECT_LIST_INTERFACES_INACTIVE), 0);
    CHECK_INT(count(conn, VIR_CONNECT_LIST_INTERFACES_ACTIVE), 1);
    CHECK_INT(count(conn, 4), -1);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_TEST, "unsupported flags (0x4) in function testConnectListAllInterfaces");

    virInterfacePtr eth1 = virInterfaceLookupByName(conn, "eth1");
    CHECK(eth1 != NULL);
    CHECK_STR(virInterfaceGetName(eth1), "eth1");
    CHECK_STR(virInterfaceGetMACString(eth1), "aa:bb:cc:dd:ee:ff");
    CHECK(virInterfaceGetConnect(eth1) == conn);
    CHECK_INT(virInterfaceIsActive(eth1), 1);
    char *xml = virInterfaceGetXMLDesc(eth1, 0);
    CHECK_STR(xml, eth1_xml);
    free(xml);
    CHECK(virInterfaceGetXMLDesc(eth1, VIR_INTERFACE_XML_INACTIVE) == NULL);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_TEST, "unsupported flags (0x1) in function testInterfaceGetXMLDesc");

    CHECK(virInterfaceLookupByName(conn, "nope") == NULL);
    NOT_FOUND("no interface with matching name 'nope'");
    CHECK(virInterfaceLookupByName(conn, NULL) == NULL);
    CHECK_ARG_ERROR(VIR_FROM_INTERFACE, "virInterfaceLookupByName", "name", "name in virInterfaceLookupByName must not be NULL");
    virInterfacePtr bymac = virInterfaceLookupByMACString(conn, "AA:BB:cc:dd:ee:ff");
    CHECK(bymac != NULL);
    CHECK_STR(virInterfaceGetMACString(bymac), "AA:BB:cc:dd:ee:ff");
    virInterfaceFree(bymac);
    CHECK(virInterfaceLookupByMACString(conn, "00:00:00:00:00:01") == NULL);
    NOT_FOUND("no interface with matching mac '00:00:00:00:00:01'");

    /* Life cycle. */
    CHECK_INT(virInterfaceCreate(eth1, 0), -1);
    INVALID("Requested operation is not valid");
    CHECK_INT(virInterfaceDestroy(eth1, 1), -1);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_TEST, "unsupported flags (0x1) in function testInterfaceDestroy");
    CHECK_INT(virInterfaceDestroy(eth1, 0), 0);
    CHECK_INT(virInterfaceIsActive(eth1), 0);
    CHECK_INT(virConnectNumOfDefinedInterfaces(conn), 1);
    CHECK_INT(virInterfaceCreate(eth1, 0), 0);

    virInterfacePtr eth2 = virInterfaceDefineXML(conn,
        "<interface type='ethernet' name='eth2'><mac address='AA:BB:CC:DD:EE:00'/><link speed='10'/></interface>", 0);
    CHECK(eth2 != NULL);
    CHECK_INT(virInterfaceIsActive(eth2), 0);
    xml = virInterfaceGetXMLDesc(eth2, 0);
    CHECK_STR(xml, "<interface type='ethernet' name='eth2'>\n  <link speed='10'/>\n  <mac address='AA:BB:CC:DD:EE:00'/>\n</interface>\n");
    free(xml);
    virInterfacePtr dup = virInterfaceDefineXML(conn,
        "<interface type='ethernet' name='eth3'><mac address='aa:bb:cc:dd:ee:ff'/></interface>", 0);
    CHECK(virInterfaceLookupByMACString(conn, "aa:bb:cc:dd:ee:ff") == NULL);
    CHECK_ERROR(VIR_ERR_MULTIPLE_INTERFACES, VIR_FROM_TEST, "multiple matching interfaces found");
    CHECK_INT(virInterfaceUndefine(dup), 0);
    virInterfaceFree(dup);

    /* XML errors. */
    CHECK(virInterfaceDefineXML(conn, "<interface type='bogus' name='x'/>", 0) == NULL);
    CHECK_ERROR(VIR_ERR_XML_ERROR, VIR_FROM_XML, "XML error: Invalid value for attribute 'type' in element 'interface': 'bogus'.");
    CHECK(virInterfaceDefineXML(conn, "<interface type='ethernet'/>", 0) == NULL);
    CHECK_ERROR(VIR_ERR_XML_ERROR, VIR_FROM_INTERFACE, "XML error: interface has no name");
    CHECK(virInterfaceDefineXML(conn, "<interface type='vlan' name='v'><vlan/></interface>", 0) == NULL);
    CHECK_ERROR(VIR_ERR_XML_ERROR, VIR_FROM_INTERFACE, "XML error: vlan interface misses the tag attribute");
    CHECK(virInterfaceDefineXML(conn, "<interface type='ethernet' name='e'><mtu size='100001'/></interface>", 0) == NULL);
    CHECK_ERROR(VIR_ERR_XML_ERROR, VIR_FROM_INTERFACE, "XML error: value of the 'size' attribute of 'mtu' element must be at most 100000");
    CHECK(virInterfaceDefineXML(conn, "<interface type='bond' name='b'><bond><interface type='bridge' name='x'/></bond></interface>", 0) == NULL);
    CHECK_ERROR(VIR_ERR_XML_ERROR, VIR_FROM_INTERFACE, "XML error: interface has unsupported type 'bridge'");
    CHECK(virInterfaceDefineXML(conn, "<network/>", 0) == NULL);
    CHECK_ERROR(VIR_ERR_XML_ERROR, VIR_FROM_XML, "XML error: expecting root element of 'interface', not 'network'");
    CHECK(virInterfaceDefineXML(conn, "x", 2) == NULL);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_TEST, "unsupported flags (0x2) in function testInterfaceDefineXML");

    /* Transactions copy the definitions, not the states. */
    CHECK_INT(virInterfaceChangeCommit(conn, 0), -1);
    INVALID("Requested operation is not valid: no transaction running, nothing to be committed.");
    CHECK_INT(virInterfaceChangeRollback(conn, 0), -1);
    INVALID("Requested operation is not valid: no transaction running, nothing to rollback.");
    CHECK_INT(virInterfaceChangeBegin(conn, 0), 0);
    CHECK_INT(virInterfaceChangeBegin(conn, 0), -1);
    INVALID("Requested operation is not valid: there is another transaction running.");
    CHECK_INT(virInterfaceUndefine(eth1), 0);
    CHECK_INT(virInterfaceIsActive(eth1), -1);
    NOT_FOUND("no interface with matching name 'eth1'");
    CHECK_INT(virInterfaceChangeRollback(conn, 0), 0);
    CHECK_INT(virInterfaceIsActive(eth1), 0);
    CHECK_INT(virConnectNumOfInterfaces(conn), 0);
    CHECK_INT(virConnectNumOfDefinedInterfaces(conn), 2);
    CHECK_INT(virInterfaceChangeBegin(conn, 0), 0);
    CHECK_INT(virInterfaceUndefine(eth2), 0);
    CHECK_INT(virInterfaceChangeCommit(conn, 0), 0);
    CHECK_INT(virConnectNumOfDefinedInterfaces(conn), 1);
    CHECK_INT(virInterfaceCreate(eth1, 0), 0);
    virInterfaceFree(eth2);
    virInterfaceFree(eth1);

    /* Read-only connections change nothing. */
    virConnectPtr ro = virConnectOpenReadOnly("test:///default");
    CHECK_INT(virInterfaceChangeBegin(ro, 0), -1);
    CHECK_ERROR(VIR_ERR_OPERATION_DENIED, VIR_FROM_INTERFACE, "operation forbidden: read only access prevents virInterfaceChangeBegin");
    CHECK(virInterfaceDefineXML(ro, NULL, 0) == NULL);
    CHECK_ERROR(VIR_ERR_OPERATION_DENIED, VIR_FROM_INTERFACE, "operation forbidden: read only access prevents virInterfaceDefineXML");
    virConnectClose(ro);
    virConnectClose(conn);
}

static void custom_host(const char *path)
{
    char uri[4096];
    snprintf(uri, sizeof(uri), "test://%s", path);
    virConnectPtr conn = virConnectOpen(uri);
    CHECK(conn != NULL);
    if (!conn)
        return;
    CHECK_INT(virConnectNumOfInterfaces(conn), 2);
    virInterfacePtr br0 = virInterfaceLookupByName(conn, "br0");
    CHECK_STR(virInterfaceGetMACString(br0), "");
    char *xml = virInterfaceGetXMLDesc(br0, 0);
    CHECK_STR(xml,
        "<interface type='bridge' name='br0'>\n"
        "  <start mode='onboot'/>\n"
        "  <protocol family='ipv4'>\n"
        "    <dhcp peerdns='yes'/>\n"
        "  </protocol>\n"
        "  <bridge stp='off' delay='0.01'>\n"
        "    <interface type='ethernet' name='eth0'>\n"
        "      <mac address='00:11:22:33:44:55'/>\n"
        "    </interface>\n"
        "    <interface type='vlan' name='eth0.42'>\n"
        "      <vlan tag='42'>\n"
        "        <interface name='eth0'/>\n"
        "      </vlan>\n"
        "    </interface>\n"
        "  </bridge>\n"
        "</interface>\n");
    free(xml);
    virInterfaceFree(br0);
    virInterfacePtr bond0 = virInterfaceLookupByName(conn, "bond0");
    xml = virInterfaceGetXMLDesc(bond0, 0);
    CHECK_STR(xml,
        "<interface type='bond' name='bond0'>\n"
        "  <mtu size='9000'/>\n"
        "  <protocol family='ipv6'>\n"
        "    <autoconf/>\n"
        "    <ip address='fe80::1' prefix='64'/>\n"
        "    <route gateway='fe80::2'/>\n"
        "  </protocol>\n"
        "  <link speed='1000' state='up'/>\n"
        "  <bond mode='802.3ad'>\n"
        "    <miimon freq='100' updelay='10' carrier='netif'/>\n"
        "    <interface type='ethernet' name='eth1'>\n"
        "      <link state='down'/>\n"
        "      <mac address='00:11:22:33:44:66'/>\n"
        "    </interface>\n"
        "  </bond>\n"
        "</interface>\n");
    free(xml);
    virInterfaceFree(bond0);
    virConnectClose(conn);
}

int main(int argc, char **argv)
{
    default_host();
    if (argc > 1)
        custom_host(argv[1]);
    return finish("objects-interfaces");
}
