/* Networks on test:///default and a custom host file: the built-in network,
 * lists and lookups, the life cycle and its errors, XML, updates, and the public
 * API's argument checks. */
#include "check.h"

static const char default_xml[] =
    "<network>\n"
    "  <name>default</name>\n"
    "  <uuid>dd8fe884-6c02-601e-7551-cca97df1c5df</uuid>\n"
    "  <forward mode='nat'/>\n"
    "  <bridge name='virbr0' stp='on' delay='0'/>\n"
    "  <ip address='192.168.122.1' netmask='255.255.255.0'>\n"
    "    <dhcp>\n"
    "      <range start='192.168.122.2' end='192.168.122.254'/>\n"
    "    </dhcp>\n"
    "  </ip>\n"
    "</network>\n";

static const char full_in[] =
    "<network><name>full</name><uuid>11111111-2222-3333-4444-555555555555</uuid>"
    "<forward mode='nat'><nat><address start='1.2.3.4' end='1.2.3.10'/></nat></forward>"
    "<bridge name='virbr5' stp='off' delay='3'/><mac address='52:54:00:AB:CD:EF'/>"
    "<domain name='example.com'/><dns><host ip='10.0.0.7'><hostname>h</hostname></host>"
    "<txt name='t' value='v'/></dns><ip address='10.0.0.1' prefix='24'>"
    "<dhcp><range start='10.0.0.2' end='10.0.0.9'/></dhcp></ip>"
    "<portgroup name='pg' default='no'/></network>";

static const char full_out[] =
    "<network>\n"
    "  <name>full</name>\n"
    "  <uuid>11111111-2222-3333-4444-555555555555</uuid>\n"
    "  <forward mode='nat'>\n"
    "    <nat>\n"
    "      <address start='1.2.3.4' end='1.2.3.10'/>\n"
    "    </nat>\n"
    "  </forward>\n"
    "  <bridge name='virbr5' stp='off' delay='3'/>\n"
    "  <mac address='52:54:00:ab:cd:ef'/>\n"
    "  <domain name='example.com'/>\n"
    "  <dns>\n"
    "    <txt name='t' value='v'/>\n"
    "    <host ip='10.0.0.7'>\n"
    "      <hostname>h</hostname>\n"
    "    </host>\n"
    "  </dns>\n"
    "  <ip address='10.0.0.1' prefix='24'>\n"
    "    <dhcp>\n"
    "      <range start='10.0.0.2' end='10.0.0.9'/>\n"
    "      <host mac='00:16:3E:77:E2:ED' name='foo' ip='10.0.0.5'/>\n"
    "    </dhcp>\n"
    "  </ip>\n"
    "  <portgroup name='pg'>\n"
    "  </portgroup>\n"
    "</network>\n";

#define NOT_FOUND(detail) CHECK_ERROR(VIR_ERR_NO_NETWORK, VIR_FROM_TEST, "Network not found: " detail)
#define INVALID(detail) CHECK_ERROR(VIR_ERR_OPERATION_INVALID, VIR_FROM_TEST, "Requested operation is not valid: " detail)

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names of ListAllNetworks(flags), sorted and joined by commas. */
static char *names(virConnectPtr conn, unsigned int flags)
{
    virNetworkPtr *nets = NULL;
    static char buf[256];
    char *list[16];
    int n = virConnectListAllNetworks(conn, &nets, flags), i;
    buf[0] = 0;
    if (n < 0)
        return strcpy(buf, "error");
    for (i = 0; i < n && i < 16; i++)
        list[i] = (char *)virNetworkGetName(nets[i]);
    qsort(list, n, sizeof(char *), cmp);
    for (i = 0; i < n; i++) {
        if (i)
            strcat(buf, ",");
        strcat(buf, list[i]);
    }
    for (i = 0; i < n; i++)
        virNetworkFree(nets[i]);
    free(nets);
    return buf;
}

static void default_host(void)
{
    virConnectPtr conn = open_default();
    virNetworkPtr net, other;
    char *xml, *bridge, *list[4], uuid[VIR_UUID_STRING_BUFLEN];
    unsigned char raw[VIR_UUID_BUFLEN];
    int autostart = -1;

    CHECK_INT(virConnectNumOfNetworks(conn), 1);
    CHECK_INT(virConnectNumOfDefinedNetworks(conn), 0);
    CHECK_INT(virConnectListNetworks(conn, list, 4), 1);
    CHECK_STR(list[0], "default");
    free(list[0]);
    CHECK_STR(names(conn, 0), "default");
    CHECK_STR(names(conn, VIR_CONNECT_LIST_NETWORKS_INACTIVE), "");
    CHECK_STR(names(conn, VIR_CONNECT_LIST_NETWORKS_NO_AUTOSTART | VIR_CONNECT_LIST_NETWORKS_PERSISTENT), "default");
    CHECK_INT(virConnectListAllNetworks(conn, NULL, 0x40), -1);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_TEST, "unsupported flags (0x40) in function testConnectListAllNetworks");

    net = virNetworkLookupByName(conn, "default");
    CHECK(net != NULL);
    xml = virNetworkGetXMLDesc(net, 0);
    CHECK_STR(xml, default_xml);
    free(xml);
    CHECK(virNetworkGetXMLDesc(net, VIR_NETWORK_XML_INACTIVE) == NULL);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_TEST, "unsupported flags (0x1) in function testNetworkGetXMLDesc");
    bridge = virNetworkGetBridgeName(net);
    CHECK_STR(bridge, "virbr0");
    free(bridge);
    CHECK_INT(virNetworkGetUUIDString(net, uuid), 0);
    CHECK_STR(uuid, "dd8fe884-6c02-601e-7551-cca97df1c5df");
    CHECK_INT(virNetworkGetUUID(net, raw), 0);
    other = virNetworkLookupByUUID(conn, raw);
    CHECK_STR(other ? virNetworkGetName(other) : NULL, "default");
    virNetworkFree(other);
    CHECK(virNetworkGetConnect(net) == conn);
    CHECK_INT(virNetworkIsActive(net), 1);
    CHECK_INT(virNetworkIsPersistent(net), 1);
    CHECK_INT(virNetworkGetAutostart(net, &autostart), 0);
    CHECK_INT(autostart, 0);
    CHECK_INT(virNetworkSetAutostart(net, 1), 0);
    CHECK_STR(names(conn, VIR_CONNECT_LIST_NETWORKS_AUTOSTART), "default");

    CHECK(virNetworkLookupByName(conn, "nope") == NULL);
    NOT_FOUND("no network with matching name 'nope'");
    CHECK(virNetworkLookupByUUIDString(conn, "c7a5fdbd-edaf-9455-926a-d65c16db1809") == NULL);
    NOT_FOUND("no network with matching uuid 'c7a5fdbd-edaf-9455-926a-d65c16db1809'");
    CHECK(virNetworkLookupByUUIDString(conn, "bad") == NULL);
    CHECK_ARG_ERROR(VIR_FROM_NETWORK, "virNetworkLookupByUUIDString", "uuidstr",
                    "uuidstr in virNetworkLookupByUUIDString must be a valid UUID");

    CHECK_INT(virNetworkUndefine(net), -1);
    INVALID("Network 'default' is still running");
    CHECK_INT(virNetworkCreate(net), -1);
    INVALID("Network 'default' is already running");
    CHECK_INT(virNetworkDestroy(net), 0);
    CHECK_INT(virNetworkIsActive(net), 0);
    CHECK_STR(names(conn, VIR_CONNECT_LIST_NETWORKS_INACTIVE), "default");
    CHECK_INT(virNetworkDestroy(net), 0); /* libvirt's test driver does not check */
    CHECK_INT(virNetworkCreate(net), 0);

    /* Unsupported by the test driver. */
    CHECK_INT(virNetworkGetDHCPLeases(net, NULL, NULL, 0), -1);
    CHECK_ERROR(VIR_ERR_NO_SUPPORT, VIR_FROM_NETWORK,
                "this function is not supported by the connection driver: virNetworkGetDHCPLeases");
    CHECK(virNetworkPortCreateXML(net, "<networkport/>", 0) == NULL);
    CHECK_ERROR(VIR_ERR_NO_SUPPORT, VIR_FROM_NETWORK,
                "this function is not supported by the connection driver: virNetworkPortCreateXML");
    CHECK_INT(virNetworkListAllPorts(net, NULL, 0), -1);
    CHECK_ERROR(VIR_ERR_NO_SUPPORT, VIR_FROM_NETWORK,
                "this function is not supported by the connection driver: virNetworkListAllPorts");

    /* Define, update, format. */
    other = virNetworkDefineXML(conn, full_in);
    CHECK(other != NULL);
    CHECK_INT(virNetworkUpdate(other, VIR_NETWORK_UPDATE_COMMAND_ADD_LAST, VIR_NETWORK_SECTION_IP_DHCP_HOST, -1,
                               "<host mac='00:16:3E:77:E2:ED' name='foo' ip='10.0.0.5'/>", 0), 0);
    CHECK_INT(virNetworkUpdate(other, VIR_NETWORK_UPDATE_COMMAND_ADD_LAST, VIR_NETWORK_SECTION_IP_DHCP_HOST, -1,
                               "<host mac='00:16:3e:77:e2:ee' name='foo' ip='10.0.0.6'/>", 0), -1);
    CHECK_ERROR(VIR_ERR_OPERATION_INVALID, VIR_FROM_NETWORK,
                "Requested operation is not valid: there is an existing dhcp host entry in network 'full' that "
                "matches \"<host mac='00:16:3e:77:e2:ee' name='foo' ip='10.0.0.6'/>\"");
    CHECK_INT(virNetworkUpdate(other, VIR_NETWORK_UPDATE_COMMAND_ADD_LAST, VIR_NETWORK_SECTION_BRIDGE, -1,
                               "<bridge/>", 0), -1);
    CHECK_ERROR(VIR_ERR_OPERATION_UNSUPPORTED, VIR_FROM_NETWORK,
                "Operation not supported: can't update 'bridge' section of network 'full'");
    CHECK_INT(virNetworkUpdate(other, VIR_NETWORK_UPDATE_COMMAND_ADD_LAST, VIR_NETWORK_SECTION_IP_DHCP_HOST, -1,
                               "<host/>", VIR_NETWORK_UPDATE_AFFECT_LIVE), -1);
    CHECK_ERROR(VIR_ERR_OPERATION_INVALID, VIR_FROM_NETWORK, "Requested operation is not valid: network is not running");
    xml = virNetworkGetXMLDesc(other, 0);
    CHECK_STR(xml, full_out);
    free(xml);
    CHECK_INT(virNetworkIsActive(other), 0);
    CHECK_STR(names(conn, 0), "default,full");
    CHECK(virNetworkDefineXML(conn, "<network><name>default</name></network>") == NULL);
    CHECK_ERROR(VIR_ERR_OPERATION_FAILED, VIR_FROM_NETWORK,
                "operation failed: network 'default' already exists with uuid dd8fe884-6c02-601e-7551-cca97df1c5df");
    CHECK(virNetworkDefineXML(conn, "<network><name>x</name><forward mode='weird'/></network>") == NULL);
    CHECK_ERROR(VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_NETWORK, "unsupported configuration: unknown forwarding type 'weird'");
    CHECK(virNetworkDefineXMLFlags(conn, "<network><name>x</name></network>", 2) == NULL);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_TEST, "unsupported flags (0x2) in function testNetworkDefineXMLFlags");
    CHECK_INT(virNetworkUndefine(other), 0);
    CHECK_INT(virNetworkIsActive(other), -1);
    NOT_FOUND("no network with matching uuid '11111111-2222-3333-4444-555555555555'");
    virNetworkFree(other);

    /* A transient network goes when stopped. */
    other = virNetworkCreateXML(conn, "<network><name>tr</name></network>");
    CHECK(other != NULL);
    CHECK_INT(virNetworkIsPersistent(other), 0);
    CHECK(virNetworkGetBridgeName(other) == NULL);
    CHECK_ERROR(VIR_ERR_INTERNAL_ERROR, VIR_FROM_TEST, "internal error: network 'tr' does not have a bridge name.");
    CHECK_STR(names(conn, VIR_CONNECT_LIST_NETWORKS_TRANSIENT), "tr");
    CHECK_INT(virNetworkDestroy(other), 0);
    CHECK(virNetworkGetXMLDesc(other, 0) == NULL);
    NOT_FOUND("no network with matching name 'tr'");
    virNetworkFree(other);

    /* The public API's checks. */
    CHECK(virNetworkCreateXML(conn, NULL) == NULL);
    CHECK_ARG_ERROR(VIR_FROM_NETWORK, "virNetworkCreateXML", "xmlDesc",
                    "xmlDesc in virNetworkCreateXML must not be NULL");
    CHECK(virNetworkDefineXML(conn, NULL) == NULL);
    CHECK_ARG_ERROR(VIR_FROM_NETWORK, "virNetworkDefineXML", "xml",
                    "xml in virNetworkDefineXML must not be NULL");
    CHECK_INT(virNetworkDestroy(NULL), -1);
    CHECK_ERROR(VIR_ERR_INVALID_NETWORK, VIR_FROM_NETWORK, "invalid network pointer in virNetworkDestroy");
    virNetworkFree(net);
    virConnectClose(conn);

    /* A read-only connection may look, not change. */
    conn = virConnectOpenReadOnly("test:///default");
    net = virNetworkLookupByName(conn, "default");
    CHECK_INT(virNetworkDestroy(net), -1);
    CHECK_ERROR(VIR_ERR_OPERATION_DENIED, VIR_FROM_NETWORK, "operation forbidden: read only access prevents virNetworkDestroy");
    CHECK(virNetworkDefineXML(conn, "<network><name>x</name></network>") == NULL);
    CHECK_ERROR(VIR_ERR_OPERATION_DENIED, VIR_FROM_NETWORK,
                "operation forbidden: read only access prevents virNetworkDefineXML");
    virNetworkFree(net);
    virConnectClose(conn);
}

static void custom_host(const char *path)
{
    char uri[4096], *xml;
    virConnectPtr conn;
    virNetworkPtr net;
    snprintf(uri, sizeof(uri), "test://%s", path);
    conn = virConnectOpen(uri);
    CHECK(conn != NULL);
    if (!conn)
        return;
    CHECK_STR(names(conn, VIR_CONNECT_LIST_NETWORKS_ACTIVE | VIR_CONNECT_LIST_NETWORKS_PERSISTENT), "fromfile,inline");
    net = virNetworkLookupByName(conn, "fromfile");
    xml = virNetworkGetXMLDesc(net, 0);
    CHECK_STR(xml,
              "<network>\n"
              "  <name>fromfile</name>\n"
              "  <uuid>35bb2ad9-388a-cdfe-461a-b8907f6e5302</uuid>\n"
              "  <forward mode='bridge'/>\n"
              "  <bridge name='br0'/>\n"
              "</network>\n");
    free(xml);
    virNetworkFree(net);
    virConnectClose(conn);
}

int main(int argc, char **argv)
{
    default_host();
    if (argc > 1)
        custom_host(argv[1]);
    return finish("network-networks");
}
