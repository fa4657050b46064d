/* Node devices on test:///default and in a custom host file: the built-in
 * devices, capability filters, vHBA creation and destruction with their
 * lifecycle events, XML and errors. */
#include "check.h"

static const char vhba[] =
    "<device><parent>scsi_host1</parent><capability type='scsi_host'><capability type='fc_host'>"
    "<wwnn>2001001b32a9da4e</wwnn><wwpn>2101001b32a9da4e</wwpn></capability></capability></device>";

static const char scsi_host12_xml[] =
    "<device>\n"
    "  <name>scsi_host12</name>\n"
    "  <parent>scsi_host1</parent>\n"
    "  <capability type='scsi_host'>\n"
    "    <host>11</host>\n"
    "    <unique_id>10</unique_id>\n"
    "    <capability type='fc_host'>\n"
    "      <wwnn>2001001b32a9da4e</wwnn>\n"
    "      <wwpn>2101001b32a9da4e</wwpn>\n"
    "      <fabric_wwn>2000000043214321</fabric_wwn>\n"
    "    </capability>\n"
    "  </capability>\n"
    "</device>\n";

static const char computer_xml[] =
    "<device>\n"
    "  <name>computer</name>\n"
    "  <capability type='system'>\n"
    "    <hardware>\n"
    "      <vendor>Libvirt</vendor>\n"
    "      <version>Test driver</version>\n"
    "      <serial>123456</serial>\n"
    "      <uuid>11111111-2222-3333-4444-555555555555</uuid>\n"
    "    </hardware>\n"
    "    <firmware>\n"
    "      <vendor>Libvirt</vendor>\n"
    "      <version>Test Driver</version>\n"
    "      <release_date>01/22/2007</release_date>\n"
    "    </firmware>\n"
    "  </capability>\n"
    "</device>\n";

static int count(virConnectPtr conn, unsigned int flags)
{
    virNodeDevicePtr *list = NULL;
    int n = virConnectListAllNodeDevices(conn, &list, flags);
    for (int i = 0; i < n; i++)
        virNodeDeviceFree(list[i]);
    free(list);
    return n;
}

static char events[256];
static int global_errors;

static void lifecycle(virConnectPtr conn, virNodeDevicePtr dev, int event, int detail, void *opaque)
{
    (void)conn;
    size_t len = strlen(events);
    snprintf(events + len, sizeof(events) - len, "%s%s:%s:%d:%d", len ? " " : "", (const char *)opaque,
             virNodeDeviceGetName(dev), event, detail);
}

static void count_global(void *data, virErrorPtr err)
{
    (void)data;
    (void)err;
    global_errors++;
}

static void wake(int timer, void *opaque)
{
    (void)opaque;
    virEventRemoveTimeout(timer);
}

static void run_loop(void)
{
    /* The queued events go out on the next turn of the loop. */
    virEventAddTimeout(0, wake, NULL, NULL);
    virEventRunDefaultImpl();
}

static void default_host(void)
{
    virConnectPtr conn = open_default();
    char *names[8] = { NULL };
    CHECK_INT(virNodeNumOfDevices(conn, NULL, 0), 4);
    CHECK_INT(virNodeNumOfDevices(conn, "fc_host", 0), 3);
    CHECK_INT(virNodeNumOfDevices(conn, "vports", 0), 2);
    CHECK_INT(virNodeNumOfDevices(conn, "system", 0), 1);
    CHECK_INT(virNodeNumOfDevices(conn, "bogus", 0), 0);
    CHECK_INT(virNodeNumOfDevices(conn, NULL, 1), -1);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_TEST, "unsupported flags (0x1) in function testNodeNumOfDevices");
    CHECK_INT(virNodeListDevices(conn, "system", names, 8, 0), 1);
    CHECK_STR(names[0], "computer");
    free(names[0]);
    CHECK_INT(count(conn, 0), 4);
    CHECK_INT(count(conn, VIR_CONNECT_LIST_NODE_DEVICES_CAP_SCSI_HOST), 3);
    CHECK_INT(count(conn, VIR_CONNECT_LIST_NODE_DEVICES_CAP_VPORTS | VIR_CONNECT_LIST_NODE_DEVICES_CAP_SYSTEM), 3);
    CHECK_INT(count(conn, VIR_CONNECT_LIST_NODE_DEVICES_CAP_NET), 0);
    CHECK_INT(count(conn, VIR_CONNECT_LIST_NODE_DEVICES_ACTIVE), -1);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_TEST, "unsupported flags (0x80000000) in function testConnectListAllNodeDevices");

    virNodeDevicePtr computer = virNodeDeviceLookupByName(conn, "computer");
    CHECK(computer != NULL);
    CHECK_STR(virNodeDeviceGetName(computer), "computer");
    CHECK(virNodeDeviceGetParent(computer) == NULL);
    CHECK_ERROR(VIR_ERR_INTERNAL_ERROR, VIR_FROM_TEST, "internal error: no parent for this device");
    char *xml = virNodeDeviceGetXMLDesc(computer, 0);
    CHECK_STR(xml, computer_xml);
    free(xml);
    CHECK_INT(virNodeDeviceNumOfCaps(computer), 1);
    CHECK_INT(virNodeDeviceListCaps(computer, names, 8), 1);
    CHECK_STR(names[0], "system");
    free(names[0]);
    CHECK(virNodeDeviceLookupByName(conn, "nope") == NULL);
    CHECK_ERROR(VIR_ERR_NO_NODE_DEVICE, VIR_FROM_TEST, "Node device not found: no node device with matching name 'nope'");
    virNodeDevicePtr host1 = virNodeDeviceLookupByName(conn, "scsi_host1");
    CHECK_STR(virNodeDeviceGetParent(host1), "computer");
    virNodeDeviceFree(host1);
    CHECK_INT(virNodeDeviceReset(computer), -1);
    CHECK_ERROR(VIR_ERR_NO_SUPPORT, VIR_FROM_NODEDEV, "this function is not supported by the connection driver: virNodeDeviceReset");
    CHECK(virNodeDeviceLookupSCSIHostByWWN(conn, "2000000012341234", "1000000012341234", 0) == NULL);
    CHECK_ERROR(VIR_ERR_NO_SUPPORT, VIR_FROM_NODEDEV, "this function is not supported by the connection driver: virNodeDeviceLookupSCSIHostByWWN");

    /* Destroying what is no vHBA reports an error, yet succeeds: the error is
     * the thread's, and no handler hears of it. */
    virSetErrorFunc(NULL, count_global);
    CHECK_INT(virNodeDeviceDestroy(computer), 0);
    CHECK_ERROR(VIR_ERR_INTERNAL_ERROR, VIR_FROM_NODEDEV, "internal error: Device is not a fibre channel HBA");
    CHECK_INT(global_errors, 0);
    CHECK(virConnGetLastError(conn) == NULL || virConnGetLastError(conn)->code != VIR_ERR_INTERNAL_ERROR);
    virSetErrorFunc(NULL, quiet);
    CHECK_INT(virNodeNumOfDevices(conn, NULL, 0), 4);

    /* vHBAs, and their events. */
    CHECK_INT(virEventRegisterDefaultImpl(), 0);
    int all = virConnectNodeDeviceEventRegisterAny(conn, NULL, VIR_NODE_DEVICE_EVENT_ID_LIFECYCLE,
                                                   VIR_NODE_DEVICE_EVENT_CALLBACK(lifecycle), "all", NULL);
    CHECK(all >= 0);
    CHECK_INT(virConnectNodeDeviceEventRegisterAny(conn, NULL, 2, VIR_NODE_DEVICE_EVENT_CALLBACK(lifecycle), "x", NULL), -1);
    CHECK_ARG_ERROR(VIR_FROM_NODEDEV, "virConnectNodeDeviceEventRegisterAny", "eventID",
                    "eventID in virConnectNodeDeviceEventRegisterAny must be less than 2");
    int filtered = virConnectNodeDeviceEventRegisterAny(conn, computer, VIR_NODE_DEVICE_EVENT_ID_LIFECYCLE,
                                                        VIR_NODE_DEVICE_EVENT_CALLBACK(lifecycle), "computer", NULL);
    CHECK(filtered >= 0);
    virNodeDevicePtr made = virNodeDeviceCreateXML(conn, vhba, 0);
    CHECK(made != NULL);
    CHECK_STR(virNodeDeviceGetName(made), "scsi_host12");
    CHECK_STR(virNodeDeviceGetParent(made), "scsi_host1");
    xml = virNodeDeviceGetXMLDesc(made, 0);
    CHECK_STR(xml, scsi_host12_xml);
    free(xml);
    run_loop();
    CHECK_STR(events, "all:scsi_host12:0:0");
    CHECK_INT(virNodeDeviceDestroy(made), 0);
    CHECK_NO_ERROR();
    CHECK_INT(virNodeDeviceDestroy(made), -1);
    CHECK_ERROR(VIR_ERR_NO_NODE_DEVICE, VIR_FROM_TEST, "Node device not found: no node device with matching name 'scsi_host12'");
    run_loop();
    CHECK_STR(events, "all:scsi_host12:0:0 all:scsi_host12:1:0");
    virNodeDeviceFree(made);
    CHECK_INT(virConnectNodeDeviceEventDeregisterAny(conn, filtered), 0);
    CHECK_INT(virConnectNodeDeviceEventDeregisterAny(conn, all), 0);

    CHECK(virNodeDeviceCreateXML(conn, "<device><parent>computer</parent><capability type='scsi_host'>"
                                 "<capability type='fc_host'><wwnn>1</wwnn><wwpn>2</wwpn></capability></capability></device>", 0) == NULL);
    CHECK_ERROR(VIR_ERR_INTERNAL_ERROR, VIR_FROM_NODEDEV, "internal error: Parent device computer is not capable of vport operations");
    CHECK(virNodeDeviceCreateXML(conn, "<device><capability type='scsi_host'><capability type='fc_host'/></capability></device>", 0) == NULL);
    CHECK_ERROR(VIR_ERR_INTERNAL_ERROR, VIR_FROM_NODEDEV, "internal error: no WWNN supplied for 'new device', and auto-generation failed");
    CHECK(virNodeDeviceCreateXML(conn, "<device><capability type='vports'/></device>", 0) == NULL);
    CHECK_ERROR(VIR_ERR_INTERNAL_ERROR, VIR_FROM_NODEDEV, "internal error: unknown capability type '10' for 'new device'");
    CHECK(virNodeDeviceCreateXML(conn, "<device/>", 0) == NULL);
    CHECK_ERROR(VIR_ERR_INTERNAL_ERROR, VIR_FROM_NODEDEV, "internal error: no device capabilities for 'new device'");
    CHECK(virNodeDeviceCreateXML(conn, "<device><capability type='system'/></device>", 0) == NULL);
    CHECK_ERROR(VIR_ERR_INTERNAL_ERROR, VIR_FROM_NODEDEV, "internal error: no system UUID supplied for 'new device'");
    CHECK(virNodeDeviceDefineXML(conn, vhba, 0) == NULL);
    CHECK_ERROR(VIR_ERR_NO_SUPPORT, VIR_FROM_NODEDEV, "this function is not supported by the connection driver: virNodeDeviceDefineXML");
    virNodeDeviceFree(computer);

    virConnectPtr ro = virConnectOpenReadOnly("test:///default");
    CHECK(virNodeDeviceCreateXML(ro, vhba, 0) == NULL);
    CHECK_ERROR(VIR_ERR_OPERATION_DENIED, VIR_FROM_NODEDEV, "operation forbidden: read only access prevents virNodeDeviceCreateXML");
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
    CHECK_INT(virNodeNumOfDevices(conn, NULL, 0), 3);
    CHECK_INT(virNodeNumOfDevices(conn, "scsi", 0), 1);
    virNodeDevicePtr sda = virNodeDeviceLookupByName(conn, "block_sda");
    char *names[4] = { NULL };
    CHECK_INT(virNodeDeviceListCaps(sda, names, 4), 2);
    CHECK_STR(names[0], "storage");
    CHECK_STR(names[1], "scsi");
    free(names[0]);
    free(names[1]);
    char *xml = virNodeDeviceGetXMLDesc(sda, 0);
    CHECK_STR(xml,
        "<device>\n"
        "  <name>block_sda</name>\n"
        "  <path>/sys/block/sda</path>\n"
        "  <devnode type='dev'>/dev/sda</devnode>\n"
        "  <devnode type='link'>/dev/disk/by-id/x</devnode>\n"
        "  <parent>computer</parent>\n"
        "  <capability type='storage'>\n"
        "    <block>/dev/sda</block>\n"
        "    <bus>ata</bus>\n"
        "    <model>Disk</model>\n"
        "    <size>1000</size>\n"
        "    <capability type='hotpluggable'/>\n"
        "  </capability>\n"
        "  <capability type='scsi'>\n"
        "    <host>0</host>\n"
        "    <bus>0</bus>\n"
        "    <target>0</target>\n"
        "    <lun>0</lun>\n"
        "    <type>disk</type>\n"
        "  </capability>\n"
        "</device>\n");
    free(xml);
    virNodeDeviceFree(sda);
    virNodeDevicePtr net = virNodeDeviceLookupByName(conn, "net_eth0");
    xml = virNodeDeviceGetXMLDesc(net, 0);
    CHECK_STR(xml,
        "<device>\n"
        "  <name>net_eth0</name>\n"
        "  <parent>computer</parent>\n"
        "  <capability type='net'>\n"
        "    <interface>eth0</interface>\n"
        "    <address>00:11:22:33:44:55</address>\n"
        "    <link speed='1000' state='up'/>\n"
        "    <feature name='rx'/>\n"
        "    <feature name='tx'/>\n"
        "    <capability type='80203'/>\n"
        "  </capability>\n"
        "</device>\n");
    free(xml);
    virNodeDeviceFree(net);
    /* Without scsi_host11 to copy, libvirt's test driver cannot make a vHBA. */
    CHECK(virNodeDeviceCreateXML(conn, vhba, 0) == NULL);
    virConnectClose(conn);
}

int main(int argc, char **argv)
{
    default_host();
    if (argc > 1)
        custom_host(argv[1]);
    return finish("objects-nodedevs");
}
