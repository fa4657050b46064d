/* Storage volumes: creation, lookups, XML, space accounting and errors on
 * test:///default, and the pools and volumes of a custom host file. */
#include "check.h"

static const char v2_in[] =
    "<volume type='block'><name>v2</name><key>kk</key><capacity unit='KiB'>1</capacity>"
    "<allocation unit='k'>0</allocation><target><path>/x/y</path><format type='qcow2'/>"
    "<permissions><mode>644</mode><owner>0</owner><group>0</group></permissions><compat>1.1</compat><nocow/>"
    "<clusterSize unit='KiB'>64</clusterSize><features><lazy_refcounts/></features></target>"
    "<backingStore><path>/b</path><format type='raw'/><permissions><mode>0600</mode></permissions></backingStore></volume>";

static const char v2_out[] =
    "<volume type='block'>\n"
    "  <name>v2</name>\n"
    "  <key>/default-pool/v2</key>\n"
    "  <capacity unit='bytes'>1024</capacity>\n"
    "  <allocation unit='bytes'>0</allocation>\n"
    "  <target>\n"
    "    <path>/default-pool/v2</path>\n"
    "    <format type='qcow2'/>\n"
    "    <permissions>\n"
    "      <mode>0644</mode>\n"
    "      <owner>0</owner>\n"
    "      <group>0</group>\n"
    "    </permissions>\n"
    "    <compat>1.1</compat>\n"
    "    <clusterSize unit='B'>65536</clusterSize>\n"
    "    <features>\n"
    "      <lazy_refcounts/>\n"
    "    </features>\n"
    "  </target>\n"
    "  <backingStore>\n"
    "    <path>/b</path>\n"
    "    <format type='raw'/>\n"
    "    <permissions>\n"
    "      <mode>0600</mode>\n"
    "    </permissions>\n"
    "  </backingStore>\n"
    "</volume>\n";

static const char v1_out[] =
    "<volume type='file'>\n"
    "  <name>v1</name>\n"
    "  <key>/default-pool/v1</key>\n"
    "  <capacity unit='bytes'>1073741824</capacity>\n"
    "  <allocation unit='bytes'>5000000</allocation>\n"
    "  <target>\n"
    "    <path>/default-pool/v1</path>\n"
    "    <format type='raw'/>\n"
    "    <compat>1.1</compat>\n"
    "    <features/>\n"
    "  </target>\n"
    "</volume>\n";

#define NO_VOL(detail) CHECK_ERROR(VIR_ERR_NO_STORAGE_VOL, VIR_FROM_TEST, "Storage volume not found: " detail)

static void check_vol_info(virStorageVolPtr vol, int type, unsigned long long capacity,
                           unsigned long long allocation, int line)
{
    virStorageVolInfo info;
    if (virStorageVolGetInfo(vol, &info) != 0 || info.type != type || info.capacity != capacity ||
        info.allocation != allocation)
        fail_at(__FILE__, line, "wrong volume info");
}

static unsigned long long pool_allocation(virStoragePoolPtr pool)
{
    virStoragePoolInfo info;
    return virStoragePoolGetInfo(pool, &info) == 0 ? info.allocation : (unsigned long long)-1;
}

static void on_default_host(void)
{
    virConnectPtr conn = open_default();
    virStoragePoolPtr pool = virStoragePoolLookupByName(conn, "default-pool"), found;
    virStorageVolPtr v1, v2, v5, other, *vols = NULL;
    char *xml, *path, *names[4];
    int n, i;

    v1 = virStorageVolCreateXML(pool, "<volume><name>v1</name><capacity unit='G'>1</capacity>"
                                      "<allocation unit='MB'>5</allocation><target><features/></target></volume>", 0);
    v2 = virStorageVolCreateXML(pool, v2_in, 0);
    CHECK(v1 && v2);
    if (!v1 || !v2)
        exit(finish("storage-volumes"));
    xml = virStorageVolGetXMLDesc(v1, 0);
    CHECK_STR(xml, v1_out);
    free(xml);
    xml = virStorageVolGetXMLDesc(v2, 0);
    CHECK_STR(xml, v2_out);
    free(xml);
    CHECK(virStorageVolGetXMLDesc(v2, 1) == NULL);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_TEST, "unsupported flags (0x1) in function testStorageVolGetXMLDesc");
    CHECK_STR(virStorageVolGetName(v1), "v1");
    CHECK_STR(virStorageVolGetKey(v1), "/default-pool/v1");
    path = virStorageVolGetPath(v1);
    CHECK_STR(path, "/default-pool/v1");
    free(path);
    check_vol_info(v1, VIR_STORAGE_VOL_FILE, 1073741824ULL, 5000000, __LINE__);
    check_vol_info(v2, VIR_STORAGE_VOL_FILE, 1024, 0, __LINE__);
    CHECK(virStorageVolGetConnect(v1) == conn);
    CHECK_INT(pool_allocation(pool), 5000000);

    CHECK_INT(virStoragePoolNumOfVolumes(pool), 2);
    n = virStoragePoolListVolumes(pool, names, 4);
    CHECK_INT(n, 2);
    for (i = 0; i < n; i++) {
        CHECK(strcmp(names[i], "v1") == 0 || strcmp(names[i], "v2") == 0);
        free(names[i]);
    }
    CHECK_INT(virStoragePoolListVolumes(pool, names, 1), 1);
    free(names[0]);
    n = virStoragePoolListAllVolumes(pool, &vols, 0);
    CHECK_INT(n, 2);
    for (i = 0; i < n; i++)
        virStorageVolFree(vols[i]);
    free(vols);
    CHECK_INT(virStoragePoolListAllVolumes(pool, NULL, 0), 2);
    CHECK(virStoragePoolListAllVolumes(pool, &vols, 1) == -1);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_TEST, "unsupported flags (0x1) in function testStoragePoolListAllVolumes");

    other = virStorageVolLookupByKey(conn, "/default-pool/v2");
    CHECK(other && strcmp(virStorageVolGetName(other), "v2") == 0);
    virStorageVolFree(other);
    other = virStorageVolLookupByPath(conn, "/default-pool/v1");
    CHECK(other && strcmp(virStorageVolGetName(other), "v1") == 0);
    virStorageVolFree(other);
    other = virStorageVolLookupByName(pool, "v1");
    CHECK(other && strcmp(virStorageVolGetKey(other), "/default-pool/v1") == 0);
    virStorageVolFree(other);
    found = virStoragePoolLookupByVolume(v1);
    CHECK(found && strcmp(virStoragePoolGetName(found), "default-pool") == 0);
    virStoragePoolFree(found);
    CHECK(virStorageVolLookupByKey(conn, "nokey") == NULL);
    NO_VOL("no storage vol with matching key 'nokey'");
    CHECK(virStorageVolLookupByPath(conn, "/nopath") == NULL);
    NO_VOL("no storage vol with matching path '/nopath'");
    CHECK(virStorageVolLookupByName(pool, "zz") == NULL);
    NO_VOL("no storage vol with matching name 'zz'");

    v5 = virStorageVolCreateXMLFrom(pool, "<volume><name>v5</name><capacity>7</capacity></volume>", v2, 0);
    CHECK(v5 != NULL);
    CHECK_INT(pool_allocation(pool), 5000007);
    CHECK(virStorageVolCreateXMLFrom(pool, "<volume><name>v5</name><capacity>7</capacity></volume>", v2, 0) == NULL);
    CHECK_ERROR(VIR_ERR_OPERATION_FAILED, VIR_FROM_TEST, "operation failed: storage vol already exists");
    CHECK(virStorageVolCreateXML(pool, "<volume><name>v1</name><capacity>1</capacity></volume>", 0) == NULL);
    CHECK_ERROR(VIR_ERR_OPERATION_FAILED, VIR_FROM_TEST, "operation failed: storage vol already exists");
    CHECK(virStorageVolCreateXML(pool, "<volume><name>big</name><capacity unit='TiB'>1</capacity></volume>", 0) == NULL);
    CHECK_ERROR(VIR_ERR_INTERNAL_ERROR, VIR_FROM_TEST, "internal error: Not enough free space in pool for volume 'big'");

    CHECK_INT(virStorageVolDelete(v2, 0), 0);
    CHECK(virStorageVolDelete(v2, 0) == -1);
    NO_VOL("no storage vol with matching name 'v2'");
    CHECK(virStorageVolGetXMLDesc(v2, 0) == NULL);
    NO_VOL("no storage vol with matching name 'v2'");
    CHECK(virStorageVolGetPath(v2) == NULL);
    NO_VOL("no storage vol with matching name 'v2'");
    CHECK(virStorageVolCreateXMLFrom(pool, "<volume><name>v6</name><capacity>7</capacity></volume>", v2, 0) == NULL);
    NO_VOL("no storage vol with matching name 'v2'");
    CHECK_INT(virStorageVolDelete(v5, 0), 0);
    CHECK_INT(pool_allocation(pool), 5000000);

    /* Stopping and starting the pool keeps its volumes. */
    CHECK_INT(virStoragePoolDestroy(pool), 0);
    CHECK(virStorageVolGetInfo(v1, &(virStorageVolInfo){0}) == -1);
    CHECK_ERROR(VIR_ERR_OPERATION_INVALID, VIR_FROM_TEST,
                "Requested operation is not valid: storage pool 'default-pool' is not active");
    CHECK(virStorageVolLookupByKey(conn, "/default-pool/v1") == NULL);
    NO_VOL("no storage vol with matching key '/default-pool/v1'");
    CHECK_INT(virStoragePoolCreate(pool, 0), 0);
    CHECK_INT(virStoragePoolNumOfVolumes(pool), 1);

    /* Volume XML errors. */
    CHECK(virStorageVolCreateXML(pool, "", 0) == NULL);
    CHECK_ERROR(VIR_ERR_XML_DETAIL, VIR_FROM_STORAGE, "(storage_volume_definition):1: Document is empty\n(null)\n^");
    CHECK(virStorageVolCreateXML(pool, "<pool/>", 0) == NULL);
    CHECK_ERROR(VIR_ERR_XML_ERROR, VIR_FROM_XML, "XML error: expecting root element of 'volume', not 'pool'");
    CHECK(virStorageVolCreateXML(pool, "<volume/>", 0) == NULL);
    CHECK_ERROR(VIR_ERR_XML_ERROR, VIR_FROM_STORAGE, "XML error: missing volume name element");
    CHECK(virStorageVolCreateXML(pool, "<volume><name>a</name></volume>", 0) == NULL);
    CHECK_ERROR(VIR_ERR_XML_ERROR, VIR_FROM_STORAGE, "XML error: missing capacity element");
    CHECK(virStorageVolCreateXML(pool, "<volume><name>a</name><capacity>-1</capacity></volume>", 0) == NULL);
    CHECK_ERROR(VIR_ERR_XML_ERROR, VIR_FROM_STORAGE, "XML error: malformed capacity element");
    CHECK(virStorageVolCreateXML(pool, "<volume><name>a</name><capacity unit='zz'>1</capacity></volume>", 0) == NULL);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_NONE, "invalid argument: unknown suffix 'zz'");
    CHECK(virStorageVolCreateXML(pool, "<volume><name>a</name><capacity unit='EiB'>100</capacity></volume>", 0) == NULL);
    CHECK_ERROR(VIR_ERR_OVERFLOW, VIR_FROM_NONE, "numerical overflow: value too large: 100EiB");
    CHECK(virStorageVolCreateXML(pool, "<volume type='zz'><name>a</name><capacity>1</capacity></volume>", 0) == NULL);
    CHECK_ERROR(VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_STORAGE, "unsupported configuration: unknown volume type 'zz'");
    CHECK(virStorageVolCreateXML(pool, "<volume><name>a</name><capacity>1</capacity><target><format type='none'/></target></volume>", 0) == NULL);
    CHECK_ERROR(VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_STORAGE, "unsupported configuration: unknown volume format type none");
    CHECK(virStorageVolCreateXML(pool, "<volume><name>a</name><capacity>1</capacity><target><compat>x</compat></target></volume>", 0) == NULL);
    CHECK_ERROR(VIR_ERR_XML_ERROR, VIR_FROM_STORAGE, "XML error: forbidden characters in 'compat' attribute");
    CHECK(virStorageVolCreateXML(pool, "<volume><name>a</name><capacity>1</capacity></volume>", 1) == NULL);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_TEST, "unsupported flags (0x1) in function testStorageVolCreateXML");

    /* The calls libvirt's test driver lacks, and argument checks. */
    CHECK(virStorageVolWipe(v1, 0) == -1);
    CHECK_ERROR(VIR_ERR_NO_SUPPORT, VIR_FROM_STORAGE, "this function is not supported by the connection driver: virStorageVolWipe");
    CHECK(virStorageVolResize(v1, 1, 0) == -1);
    CHECK_ERROR(VIR_ERR_NO_SUPPORT, VIR_FROM_STORAGE, "this function is not supported by the connection driver: virStorageVolResize");
    CHECK(virStorageVolGetInfoFlags(v1, &(virStorageVolInfo){0}, 0) == -1);
    CHECK_ERROR(VIR_ERR_NO_SUPPORT, VIR_FROM_STORAGE, "this function is not supported by the connection driver: virStorageVolGetInfoFlags");
    CHECK(virStorageVolGetInfo(v1, NULL) == -1);
    CHECK_ARG_ERROR(VIR_FROM_STORAGE, "virStorageVolGetInfo", "info", "info in virStorageVolGetInfo must not be NULL");
    CHECK(virStorageVolCreateXML(pool, NULL, 0) == NULL);
    CHECK_ARG_ERROR(VIR_FROM_STORAGE, "virStorageVolCreateXML", "xmlDesc", "xmlDesc in virStorageVolCreateXML must not be NULL");
    CHECK(virStorageVolLookupByKey(conn, NULL) == NULL);
    CHECK_ARG_ERROR(VIR_FROM_STORAGE, "virStorageVolLookupByKey", "key", "key in virStorageVolLookupByKey must not be NULL");
    CHECK(virStorageVolCreateXMLFrom(pool, "<volume/>", NULL, 0) == NULL);
    CHECK_ERROR(VIR_ERR_INVALID_STORAGE_VOL, VIR_FROM_STORAGE, "invalid storage volume pointer in virStorageVolCreateXMLFrom");
    CHECK(virStorageVolGetName(NULL) == NULL);
    CHECK_ERROR(VIR_ERR_INVALID_STORAGE_VOL, VIR_FROM_STORAGE, "invalid storage volume pointer in virStorageVolGetName");

    CHECK_INT(virStorageVolDelete(v1, 0), 0);
    virStorageVolFree(v1);
    virStorageVolFree(v2);
    virStorageVolFree(v5);
    virStoragePoolFree(pool);
    CHECK_INT(virConnectClose(conn), 0);
}

static void on_custom_host(const char *file)
{
    char uri[4096], *xml;
    virConnectPtr conn;
    virStoragePoolPtr pool;
    virStorageVolPtr vol;

    snprintf(uri, sizeof(uri), "test://%s", file);
    conn = virConnectOpen(uri);
    CHECK(conn != NULL);
    if (!conn)
        return;
    CHECK_INT(virConnectNumOfStoragePools(conn), 2);
    pool = virStoragePoolLookupByName(conn, "filepool");
    CHECK(pool != NULL);
    CHECK_INT(pool_allocation(pool), 9096);
    CHECK_INT(virStoragePoolIsPersistent(pool), 1);
    vol = virStorageVolLookupByName(pool, "inline.img");
    xml = vol ? virStorageVolGetXMLDesc(vol, 0) : NULL;
    CHECK_STR(xml, "<volume type='file'>\n  <name>inline.img</name>\n  <key>/filepool/inline.img</key>\n"
                   "  <capacity unit='bytes'>1048576</capacity>\n  <allocation unit='bytes'>4096</allocation>\n"
                   "  <target>\n    <path>/filepool/inline.img</path>\n    <format type='raw'/>\n  </target>\n</volume>\n");
    free(xml);
    virStorageVolFree(vol);
    vol = virStorageVolLookupByKey(conn, "custom-key");
    CHECK(vol && strcmp(virStorageVolGetName(vol), "referenced.qcow2") == 0);
    if (vol) {
        char *path = virStorageVolGetPath(vol);
        CHECK_STR(path, "/elsewhere/referenced.qcow2");
        free(path);
        virStorageVolFree(vol);
    }
    virStoragePoolFree(pool);
    pool = virStoragePoolLookupByName(conn, "vg0");
    xml = pool ? virStoragePoolGetXMLDesc(pool, 0) : NULL;
    CHECK_STR(xml, "<pool type='logical'>\n  <name>vg0</name>\n  <uuid>35bb2ad9-388a-cdfe-461a-b8907f6e5301</uuid>\n"
                   "  <capacity unit='bytes'>107374182400</capacity>\n  <allocation unit='bytes'>0</allocation>\n"
                   "  <available unit='bytes'>107374182400</available>\n  <source>\n    <device path='/dev/sdb1'/>\n"
                   "    <name>vg0</name>\n    <format type='lvm2'/>\n  </source>\n  <target>\n    <path>/dev/vg0</path>\n"
                   "  </target>\n</pool>\n");
    free(xml);
    vol = pool ? virStorageVolCreateXML(pool, "<volume><name>lv1</name><capacity>10</capacity></volume>", 0) : NULL;
    CHECK(vol != NULL);
    if (vol) {
        xml = virStorageVolGetXMLDesc(vol, 0);
        CHECK_STR(xml, "<volume type='file'>\n  <name>lv1</name>\n  <key>/dev/vg0/lv1</key>\n"
                       "  <capacity unit='bytes'>10</capacity>\n  <allocation unit='bytes'>10</allocation>\n"
                       "  <target>\n    <path>/dev/vg0/lv1</path>\n  </target>\n</volume>\n");
        free(xml);
        check_vol_info(vol, VIR_STORAGE_VOL_BLOCK, 10, 10, __LINE__);
        virStorageVolFree(vol);
    }
    virStoragePoolFree(pool);
    CHECK_INT(virConnectClose(conn), 0);
}

int main(int argc, char **argv)
{
    on_default_host();
    if (argc > 1)
        on_custom_host(argv[1]);
    return finish("storage-volumes");
}
