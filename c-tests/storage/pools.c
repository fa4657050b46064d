/* Storage pools on test:///default: the built-in pool, listing, lookups, the
 * pool life cycle and its errors, XML and the public API's argument checks. */
#include "check.h"

static const char default_xml[] =
    "<pool type='dir'>\n"
    "  <name>default-pool</name>\n"
    "  <uuid>dfe224cb-28fb-8dd0-c4b2-64eb3f0f4566</uuid>\n"
    "  <capacity unit='bytes'>107374182400</capacity>\n"
    "  <allocation unit='bytes'>0</allocation>\n"
    "  <available unit='bytes'>107374182400</available>\n"
    "  <source>\n"
    "  </source>\n"
    "  <target>\n"
    "    <path>/default-pool</path>\n"
    "  </target>\n"
    "</pool>\n";

static const char p2_xml[] =
    "<pool type='dir'><name>p2</name><uuid>11111111-2222-3333-4444-555555555555</uuid>"
    "<target><path>/p2</path></target></pool>";

static const char netfs_in[] =
    "<pool type='netfs'><name>nfs</name><uuid>11111111-2222-3333-4444-555555555556</uuid>"
    "<source><host name='h' port='2049'/><dir path='//x/./y/'/><format type='nfs'/><protocol ver='4'/>"
    "<vendor name='v&amp;'/></source><target><path>/b//c/</path><permissions><mode>0755</mode>"
    "<owner>107</owner><group>-1</group><label>sys</label></permissions></target></pool>";

static const char netfs_out[] =
    "<pool type='netfs'>\n"
    "  <name>nfs</name>\n"
    "  <uuid>11111111-2222-3333-4444-555555555556</uuid>\n"
    "  <capacity unit='bytes'>107374182400</capacity>\n"
    "  <allocation unit='bytes'>0</allocation>\n"
    "  <available unit='bytes'>107374182400</available>\n"
    "  <source>\n"
    "    <host name='h' port='2049'/>\n"
    "    <dir path='//x/./y'/>\n"
    "    <format type='nfs'/>\n"
    "    <protocol ver='4'/>\n"
    "    <vendor name='v&amp;'/>\n"
    "  </source>\n"
    "  <target>\n"
    "    <path>/b/c</path>\n"
    "    <permissions>\n"
    "      <mode>0755</mode>\n"
    "      <owner>107</owner>\n"
    "      <label>sys</label>\n"
    "    </permissions>\n"
    "  </target>\n"
    "</pool>\n";

#define NO_POOL(detail) CHECK_ERROR(VIR_ERR_NO_STORAGE_POOL, VIR_FROM_TEST, "Storage pool not found: " detail)
#define INVALID(detail) CHECK_ERROR(VIR_ERR_OPERATION_INVALID, VIR_FROM_TEST, "Requested operation is not valid: " detail)

static void check_info(virStoragePoolPtr pool, int state, unsigned long long allocation, int line)
{
    virStoragePoolInfo info;
    if (virStoragePoolGetInfo(pool, &info) != 0) {
        fail_at(__FILE__, line, "virStoragePoolGetInfo failed");
        return;
    }
    if (info.state != state || info.capacity != 107374182400ULL || info.allocation != allocation ||
        info.available != 107374182400ULL - allocation)
        fail_at(__FILE__, line, "wrong pool info");
}

static void default_pool(virConnectPtr conn)
{
    virStoragePoolPtr pool = virStoragePoolLookupByName(conn, "default-pool"), other;
    unsigned char uuid[VIR_UUID_BUFLEN];
    char uuidstr[VIR_UUID_STRING_BUFLEN], *xml, *names[4];
    int autostart = -1;

    CHECK(pool != NULL);
    CHECK_STR(virStoragePoolGetName(pool), "default-pool");
    CHECK_INT(virStoragePoolGetUUIDString(pool, uuidstr), 0);
    CHECK_STR(uuidstr, "dfe224cb-28fb-8dd0-c4b2-64eb3f0f4566");
    CHECK_INT(virStoragePoolGetUUID(pool, uuid), 0);
    other = virStoragePoolLookupByUUID(conn, uuid);
    CHECK(other && strcmp(virStoragePoolGetName(other), "default-pool") == 0);
    virStoragePoolFree(other);
    other = virStoragePoolLookupByUUIDString(conn, "DFE224CB28FB8DD0C4B264EB3F0F4566");
    CHECK(other != NULL);
    virStoragePoolFree(other);
    CHECK(virStoragePoolGetConnect(pool) == conn);
    xml = virStoragePoolGetXMLDesc(pool, 0);
    CHECK_STR(xml, default_xml);
    free(xml);
    CHECK(virStoragePoolGetXMLDesc(pool, VIR_STORAGE_XML_INACTIVE) == NULL);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_TEST, "unsupported flags (0x1) in function testStoragePoolGetXMLDesc");
    check_info(pool, VIR_STORAGE_POOL_RUNNING, 0, __LINE__);
    CHECK_INT(virStoragePoolIsActive(pool), 1);
    CHECK_INT(virStoragePoolIsPersistent(pool), 1);
    CHECK_INT(virStoragePoolGetAutostart(pool, &autostart), 0);
    CHECK_INT(autostart, 0);
    CHECK_INT(virStoragePoolNumOfVolumes(pool), 0);
    CHECK_INT(virStoragePoolListVolumes(pool, names, 4), 0);
    CHECK_INT(virStoragePoolRefresh(pool, 0), 0);

    CHECK_INT(virConnectNumOfStoragePools(conn), 1);
    CHECK_INT(virConnectListStoragePools(conn, names, 4), 1);
    CHECK_STR(names[0], "default-pool");
    free(names[0]);
    CHECK_INT(virConnectNumOfDefinedStoragePools(conn), 0);
    CHECK_INT(virConnectListDefinedStoragePools(conn, names, 4), 0);

    CHECK(virStoragePoolCreate(pool, 0) == -1);
    INVALID("storage pool 'default-pool' is active");
    CHECK(virStoragePoolUndefine(pool) == -1);
    INVALID("storage pool 'default-pool' is active");
    virStoragePoolFree(pool);
}

static void life_cycle(virConnectPtr conn)
{
    virStoragePoolPtr pool, again, *all = NULL;
    char *xml;
    int autostart = -1, n, i;

    pool = virStoragePoolDefineXML(conn, p2_xml, 0);
    CHECK(pool != NULL);
    if (!pool)
        return;
    check_info(pool, VIR_STORAGE_POOL_INACTIVE, 0, __LINE__);
    CHECK_INT(virStoragePoolIsActive(pool), 0);
    CHECK_INT(virStoragePoolIsPersistent(pool), 1);
    CHECK_INT(virConnectNumOfDefinedStoragePools(conn), 1);

    CHECK(virStoragePoolNumOfVolumes(pool) == -1);
    INVALID("storage pool 'p2' is not active");
    CHECK(virStorageVolLookupByName(pool, "x") == NULL);
    INVALID("storage pool 'p2' is not active");
    CHECK(virStoragePoolListAllVolumes(pool, NULL, 0) == -1);
    INVALID("storage pool is not active");
    CHECK(virStoragePoolDestroy(pool) == -1);
    INVALID("storage pool 'p2' is not active");
    CHECK(virStoragePoolRefresh(pool, 0) == -1);
    INVALID("storage pool 'p2' is not active");
    CHECK_INT(virStoragePoolBuild(pool, 0), 0);
    CHECK_INT(virStoragePoolDelete(pool, 0), 0);
    CHECK(virStoragePoolBuild(pool, 1) == -1);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_TEST, "unsupported flags (0x1) in function testStoragePoolBuild");

    CHECK_INT(virStoragePoolSetAutostart(pool, 1), 0);
    CHECK_INT(virStoragePoolGetAutostart(pool, &autostart), 0);
    CHECK_INT(autostart, 1);

    n = virConnectListAllStoragePools(conn, &all, VIR_CONNECT_LIST_STORAGE_POOLS_AUTOSTART);
    CHECK_INT(n, 1);
    if (n == 1)
        CHECK_STR(virStoragePoolGetName(all[0]), "p2");
    for (i = 0; i < n; i++)
        virStoragePoolFree(all[i]);
    free(all);
    /* Without an array, libvirt counts every pool whatever the filter. */
    CHECK_INT(virConnectListAllStoragePools(conn, NULL, VIR_CONNECT_LIST_STORAGE_POOLS_LOGICAL), 2);
    n = virConnectListAllStoragePools(conn, &all, VIR_CONNECT_LIST_STORAGE_POOLS_LOGICAL);
    CHECK_INT(n, 0);
    CHECK(all != NULL && all[0] == NULL);
    free(all);
    n = virConnectListAllStoragePools(conn, &all, VIR_CONNECT_LIST_STORAGE_POOLS_DIR | VIR_CONNECT_LIST_STORAGE_POOLS_INACTIVE);
    CHECK_INT(n, 1);
    for (i = 0; i < n; i++)
        virStoragePoolFree(all[i]);
    free(all);
    CHECK(virConnectListAllStoragePools(conn, &all, 1U << 30) == -1);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_TEST, "unsupported flags (0x40000000) in function testConnectListAllStoragePools");

    CHECK_INT(virStoragePoolCreate(pool, 0), 0);
    check_info(pool, VIR_STORAGE_POOL_RUNNING, 0, __LINE__);
    CHECK(virStoragePoolBuild(pool, 0) == -1);
    INVALID("storage pool 'p2' is active");
    CHECK(virStoragePoolDelete(pool, 0) == -1);
    INVALID("storage pool 'p2' is active");

    /* libvirt sets a running pool's new definition aside, and its test driver
     * never takes it up; the sizes of the running one start afresh. */
    again = virStoragePoolDefineXML(conn,
        "<pool type='dir'><name>p2</name><uuid>11111111-2222-3333-4444-555555555555</uuid>"
        "<target><path>/p3</path></target></pool>", 0);
    CHECK(again != NULL);
    virStoragePoolFree(again);
    xml = virStoragePoolGetXMLDesc(pool, 0);
    CHECK(xml && strstr(xml, "<path>/p2</path>"));
    free(xml);
    CHECK_INT(virStoragePoolDestroy(pool), 0);
    xml = virStoragePoolGetXMLDesc(pool, 0);
    CHECK(xml && strstr(xml, "<path>/p2</path>"));
    free(xml);
    CHECK_INT(virStoragePoolUndefine(pool), 0);
    CHECK(virStoragePoolUndefine(pool) == -1);
    NO_POOL("no storage pool with matching name 'p2'");
    CHECK(virStoragePoolIsActive(pool) == -1);
    NO_POOL("no storage pool with matching uuid '11111111-2222-3333-4444-555555555555'");
    virStoragePoolFree(pool);

    /* Transient pools: running from the start, gone once stopped. */
    pool = virStoragePoolCreateXML(conn, p2_xml, 0);
    CHECK(pool != NULL);
    if (!pool)
        return;
    CHECK_INT(virStoragePoolIsActive(pool), 1);
    CHECK_INT(virStoragePoolIsPersistent(pool), 0);
    CHECK_INT(virStoragePoolGetAutostart(pool, &autostart), 0);
    CHECK_INT(autostart, 0);
    CHECK(virStoragePoolSetAutostart(pool, 1) == -1);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_TEST, "invalid argument: pool has no config file");
    CHECK(virStoragePoolCreateXML(conn, p2_xml, 0) == NULL);
    CHECK_ERROR(VIR_ERR_OPERATION_INVALID, VIR_FROM_STORAGE, "Requested operation is not valid: pool is already active as 'p2'");
    CHECK_INT(virStoragePoolDestroy(pool), 0);
    CHECK(virStoragePoolGetInfo(pool, &(virStoragePoolInfo){0}) == -1);
    NO_POOL("no storage pool with matching name 'p2'");
    virStoragePoolFree(pool);
    CHECK_INT(virConnectNumOfStoragePools(conn) + virConnectNumOfDefinedStoragePools(conn), 1);
}

static void definitions(virConnectPtr conn)
{
    virStoragePoolPtr pool = virStoragePoolDefineXML(conn, netfs_in, 0);
    char *xml = pool ? virStoragePoolGetXMLDesc(pool, 0) : NULL;

    CHECK_STR(xml, netfs_out);
    free(xml);
    if (pool) {
        CHECK_INT(virStoragePoolUndefine(pool), 0);
        virStoragePoolFree(pool);
    }

    CHECK(virStoragePoolDefineXML(conn, "<pool type='dir'><name>default-pool</name><target><path>/x</path></target></pool>", 0) == NULL);
    CHECK_ERROR(VIR_ERR_OPERATION_FAILED, VIR_FROM_STORAGE,
                "operation failed: pool 'default-pool' already exists with uuid dfe224cb-28fb-8dd0-c4b2-64eb3f0f4566");
    CHECK(virStoragePoolDefineXML(conn, "<pool type='dir'><name>zz</name><uuid>dfe224cb-28fb-8dd0-c4b2-64eb3f0f4566</uuid>"
                                        "<target><path>/x</path></target></pool>", 0) == NULL);
    CHECK_ERROR(VIR_ERR_OPERATION_FAILED, VIR_FROM_STORAGE,
                "operation failed: pool 'default-pool' is already defined with uuid dfe224cb-28fb-8dd0-c4b2-64eb3f0f4566");
    CHECK(virStoragePoolDefineXML(conn, "<pool type='dir'><name>zz</name><target><path>/default-pool</path></target></pool>", 0) == NULL);
    CHECK_ERROR(VIR_ERR_OPERATION_FAILED, VIR_FROM_STORAGE, "operation failed: Storage source conflict with pool: 'default-pool'");

    CHECK(virStoragePoolDefineXML(conn, "", 0) == NULL);
    CHECK_ERROR(VIR_ERR_XML_DETAIL, VIR_FROM_STORAGE, "(storage_pool_definition):1: Document is empty\n(null)\n^");
    CHECK(virStoragePoolDefineXML(conn, "garbage", 0) == NULL);
    CHECK_ERROR(VIR_ERR_XML_DETAIL, VIR_FROM_STORAGE,
                "(storage_pool_definition):1: Start tag expected, '<' not found\ngarbage\n^");
    CHECK(virStoragePoolDefineXML(conn, "<volume/>", 0) == NULL);
    CHECK_ERROR(VIR_ERR_XML_ERROR, VIR_FROM_XML, "XML error: expecting root element of 'pool', not 'volume'");
    CHECK(virStoragePoolDefineXML(conn, "<pool type='bogus'/>", 0) == NULL);
    CHECK_ERROR(VIR_ERR_XML_ERROR, VIR_FROM_XML, "XML error: Invalid value for attribute 'type' in element 'pool': 'bogus'.");
    CHECK(virStoragePoolDefineXML(conn, "<pool type='dir'><name>a</name></pool>", 0) == NULL);
    CHECK_ERROR(VIR_ERR_XML_ERROR, VIR_FROM_STORAGE, "XML error: missing storage pool target path");
    CHECK(virStoragePoolDefineXML(conn, "<pool type='netfs'><name>a</name><source><host name='h'/></source></pool>", 0) == NULL);
    CHECK_ERROR(VIR_ERR_XML_ERROR, VIR_FROM_STORAGE, "XML error: missing storage pool source path");
    CHECK(virStoragePoolDefineXML(conn, "<pool type='fs'><name>a</name><target><path>/a</path></target></pool>", 0) == NULL);
    CHECK_ERROR(VIR_ERR_XML_ERROR, VIR_FROM_STORAGE, "XML error: missing storage pool source device name");
    CHECK(virStoragePoolDefineXML(conn, "<pool type='dir'><name>a/b</name></pool>", 0) == NULL);
    CHECK_ERROR(VIR_ERR_XML_ERROR, VIR_FROM_STORAGE, "XML error: name a/b cannot contain '/'");
    CHECK(virStoragePoolCreateXML(conn, "<pool type='dir'><name>a</name><uuid>zz</uuid></pool>", 0) == NULL);
    CHECK_ERROR(VIR_ERR_XML_ERROR, VIR_FROM_STORAGE, "XML error: malformed uuid element");
    CHECK(virStoragePoolCreateXML(conn, p2_xml, 1) == NULL);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_TEST, "unsupported flags (0x1) in function testStoragePoolCreateXML");
}

static void sources(virConnectPtr conn)
{
    char *xml = virConnectFindStoragePoolSources(conn, "netfs", "<source><host name='foo'/></source>", 0);
    CHECK_STR(xml, "<sources>\n  <source>\n    <host name='foo'/>\n    <dir path='/testshare'/>\n"
                   "    <format type='nfs'/>\n  </source>\n</sources>\n");
    free(xml);
    xml = virConnectFindStoragePoolSources(conn, "logical", NULL, 0);
    CHECK_STR(xml, "<sources>\n  <source>\n    <device path='/dev/sda20'/>\n    <name>testvg1</name>\n"
                   "    <format type='lvm2'/>\n  </source>\n  <source>\n    <device path='/dev/sda21'/>\n"
                   "    <name>testvg2</name>\n    <format type='lvm2'/>\n  </source>\n</sources>\n");
    free(xml);
    CHECK(virConnectFindStoragePoolSources(conn, "netfs", NULL, 0) == NULL);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_TEST, "invalid argument: hostname must be specified for netfs sources");
    CHECK(virConnectFindStoragePoolSources(conn, "dir", NULL, 0) == NULL);
    CHECK_ERROR(VIR_ERR_INTERNAL_ERROR, VIR_FROM_TEST, "internal error: unknown storage pool type dir");
    CHECK(virConnectFindStoragePoolSources(conn, "iscsi", NULL, 0) == NULL);
    CHECK_ERROR(VIR_ERR_NO_SUPPORT, VIR_FROM_TEST,
                "this function is not supported by the connection driver: pool type 'iscsi' does not support source discovery");
    CHECK(virConnectFindStoragePoolSources(conn, NULL, NULL, 0) == NULL);
    CHECK_ARG_ERROR(VIR_FROM_STORAGE, "virConnectFindStoragePoolSources", "type",
                    "type in virConnectFindStoragePoolSources must not be NULL");
}

static void arguments(virConnectPtr conn)
{
    virConnectPtr ro = virConnectOpenReadOnly("test:///default");
    virStoragePoolPtr pool = virStoragePoolLookupByName(ro, "default-pool");
    char *names[1];

    CHECK(virStoragePoolLookupByName(conn, "nope") == NULL);
    NO_POOL("no storage pool with matching name 'nope'");
    CHECK(virStoragePoolLookupByUUIDString(conn, "11111111-2222-3333-4444-555555555556") == NULL);
    NO_POOL("no storage pool with matching uuid '11111111-2222-3333-4444-555555555556'");
    CHECK(virStoragePoolLookupByUUIDString(conn, "bad") == NULL);
    CHECK_ARG_ERROR(VIR_FROM_STORAGE, "virStoragePoolLookupByUUIDString", "uuidstr",
                    "uuidstr in virStoragePoolLookupByUUIDString must be a valid UUID");
    CHECK(virStoragePoolLookupByName(conn, NULL) == NULL);
    CHECK_ARG_ERROR(VIR_FROM_STORAGE, "virStoragePoolLookupByName", "name", "name in virStoragePoolLookupByName must not be NULL");
    CHECK(virStoragePoolLookupByUUID(conn, NULL) == NULL);
    CHECK_ARG_ERROR(VIR_FROM_STORAGE, "virStoragePoolLookupByUUID", "uuid", "uuid in virStoragePoolLookupByUUID must not be NULL");
    CHECK(virConnectListStoragePools(conn, NULL, 1) == -1);
    CHECK_ARG_ERROR(VIR_FROM_STORAGE, "virConnectListStoragePools", "names", "names in virConnectListStoragePools must not be NULL");
    CHECK(virConnectListStoragePools(conn, names, -1) == -1);
    CHECK_ARG_ERROR(VIR_FROM_STORAGE, "virConnectListStoragePools", "maxnames",
                    "maxnames in virConnectListStoragePools must be zero or greater");
    CHECK_INT(virConnectListStoragePools(conn, NULL, 0), 0);
    CHECK(virStoragePoolDefineXML(conn, NULL, 0) == NULL);
    CHECK_ARG_ERROR(VIR_FROM_STORAGE, "virStoragePoolDefineXML", "xml", "xml in virStoragePoolDefineXML must not be NULL");
    CHECK(virStoragePoolCreateXML(conn, NULL, 0) == NULL);
    CHECK_ARG_ERROR(VIR_FROM_STORAGE, "virStoragePoolCreateXML", "xmlDesc", "xmlDesc in virStoragePoolCreateXML must not be NULL");
    CHECK(virStoragePoolGetInfo(pool, NULL) == -1);
    CHECK_ARG_ERROR(VIR_FROM_STORAGE, "virStoragePoolGetInfo", "info", "info in virStoragePoolGetInfo must not be NULL");
    CHECK(virStoragePoolGetAutostart(pool, NULL) == -1);
    CHECK_ARG_ERROR(VIR_FROM_STORAGE, "virStoragePoolGetAutostart", "autostart",
                    "autostart in virStoragePoolGetAutostart must not be NULL");

    CHECK(virStoragePoolNumOfVolumes(NULL) == -1);
    CHECK_ERROR(VIR_ERR_INVALID_STORAGE_POOL, VIR_FROM_STORAGE, "invalid storage pool pointer in virStoragePoolNumOfVolumes");
    CHECK(virConnectNumOfStoragePools(NULL) == -1);
    CHECK_ERROR(VIR_ERR_INVALID_CONN, VIR_FROM_STORAGE, "invalid connection pointer in virConnectNumOfStoragePools");

    CHECK(virStoragePoolDefineXML(ro, p2_xml, 0) == NULL);
    CHECK_ERROR(VIR_ERR_OPERATION_DENIED, VIR_FROM_STORAGE, "operation forbidden: read only access prevents virStoragePoolDefineXML");
    CHECK(virStoragePoolCreateXML(ro, p2_xml, 0) == NULL);
    CHECK_ERROR(VIR_ERR_OPERATION_DENIED, VIR_FROM_STORAGE, "operation forbidden: read only access prevents virStoragePoolCreateXML");
    CHECK(virStoragePoolDestroy(pool) == -1);
    CHECK_ERROR(VIR_ERR_OPERATION_DENIED, VIR_FROM_STORAGE, "operation forbidden: read only access prevents virStoragePoolDestroy");
    CHECK(virStoragePoolRefresh(pool, 0) == -1);
    CHECK_ERROR(VIR_ERR_OPERATION_DENIED, VIR_FROM_STORAGE, "operation forbidden: read only access prevents virStoragePoolRefresh");
    CHECK(virStoragePoolSetAutostart(pool, 0) == -1);
    CHECK_ERROR(VIR_ERR_OPERATION_DENIED, VIR_FROM_STORAGE, "operation forbidden: read only access prevents virStoragePoolSetAutostart");
    CHECK(virConnectFindStoragePoolSources(ro, "logical", NULL, 0) == NULL);
    CHECK_ERROR(VIR_ERR_OPERATION_DENIED, VIR_FROM_STORAGE,
                "operation forbidden: read only access prevents virConnectFindStoragePoolSources");
    CHECK(virStoragePoolLookupByTargetPath(conn, "/default-pool") == NULL);
    CHECK_ERROR(VIR_ERR_NO_SUPPORT, VIR_FROM_STORAGE,
                "this function is not supported by the connection driver: virStoragePoolLookupByTargetPath");
    CHECK(virConnectGetStoragePoolCapabilities(conn, 0) == NULL);
    CHECK_ERROR(VIR_ERR_NO_SUPPORT, VIR_FROM_STORAGE,
                "this function is not supported by the connection driver: virConnectGetStoragePoolCapabilities");
    virStoragePoolFree(pool);
    virConnectClose(ro);
}

int main(void)
{
    virConnectPtr conn = open_default();
    default_pool(conn);
    life_cycle(conn);
    definitions(conn);
    sources(conn);
    arguments(conn);
    CHECK_INT(virConnectClose(conn), 0);
    return finish("storage-pools");
}
