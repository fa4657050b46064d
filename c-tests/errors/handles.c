/* Handles: NULL, freed, foreign and wrong-class pointers get libvirt's errors,
 * never a crash; references are counted as libvirt counts them. */
#include "check.h"

static void quiet(void *data, virErrorPtr err)
{
    (void)data;
    (void)err;
}

/* Memory that is no libvirt object: zeroes, as real libvirt needs to read it. */
static char not_an_object[256];

int main(void)
{
    virConnectPtr conn;
    virDomainPtr dom, dom2;
    virDomainInfo info;

    virSetErrorFunc(NULL, quiet);
    /* (Real libvirt's error storage is only usable once it is initialised.) */
    conn = virConnectOpen("test:///default");
    CHECK(conn != NULL);

    /* NULL handles, each class in its own error domain. */
    CHECK(virConnectRef(NULL) == -1);
    CHECK_ERROR(VIR_ERR_INVALID_CONN, VIR_FROM_DOMAIN, "invalid connection pointer in virConnectRef");
    CHECK(virConnectClose(NULL) == -1);
    CHECK_ERROR(VIR_ERR_INVALID_CONN, VIR_FROM_NONE, "invalid connection pointer in virConnectClose");
    CHECK(virDomainGetInfo(NULL, &info) == -1);
    CHECK_ERROR(VIR_ERR_INVALID_DOMAIN, VIR_FROM_DOM, "invalid domain pointer in virDomainGetInfo");
    CHECK_EXTRA(virGetLastError(), "invalid domain pointer in %s", "virDomainGetInfo", NULL, -1, -1);
    CHECK(virDomainRef(NULL) == -1);
    CHECK_ERROR(VIR_ERR_INVALID_DOMAIN, VIR_FROM_DOM, "invalid domain pointer in virDomainRef");
    CHECK(virDomainFree(NULL) == -1);
    CHECK_ERROR(VIR_ERR_INVALID_DOMAIN, VIR_FROM_DOM, "invalid domain pointer in virDomainFree");
    CHECK(virDomainLookupByName(NULL, "test") == NULL);
    CHECK_ERROR(VIR_ERR_INVALID_CONN, VIR_FROM_DOMAIN, "invalid connection pointer in virDomainLookupByName");
    CHECK(virNetworkLookupByName(NULL, "default") == NULL);
    CHECK_ERROR(VIR_ERR_INVALID_CONN, VIR_FROM_NETWORK, "invalid connection pointer in virNetworkLookupByName");
    CHECK(virNetworkGetName(NULL) == NULL);
    CHECK_ERROR(VIR_ERR_INVALID_NETWORK, VIR_FROM_NETWORK, "invalid network pointer in virNetworkGetName");
    CHECK(virStoragePoolGetName(NULL) == NULL);
    CHECK_ERROR(VIR_ERR_INVALID_STORAGE_POOL, VIR_FROM_STORAGE, "invalid storage pool pointer in virStoragePoolGetName");
    CHECK(virStorageVolGetName(NULL) == NULL);
    CHECK_ERROR(VIR_ERR_INVALID_STORAGE_VOL, VIR_FROM_STORAGE, "invalid storage volume pointer in virStorageVolGetName");
    CHECK(virNodeDeviceGetName(NULL) == NULL);
    CHECK_ERROR(VIR_ERR_INVALID_NODE_DEVICE, VIR_FROM_NODEDEV, "invalid node device pointer in virNodeDeviceGetName");
    CHECK(virSecretGetUsageID(NULL) == NULL);
    CHECK_ERROR(VIR_ERR_INVALID_SECRET, VIR_FROM_SECRET, "Invalid secret: virSecretGetUsageID");
    CHECK(virInterfaceGetName(NULL) == NULL);
    CHECK_ERROR(VIR_ERR_INVALID_INTERFACE, VIR_FROM_INTERFACE, "invalid interface pointer in virInterfaceGetName");
    CHECK(virNWFilterGetName(NULL) == NULL);
    CHECK_ERROR(VIR_ERR_INVALID_NWFILTER, VIR_FROM_NWFILTER, "Invalid network filter: virNWFilterGetName");
    CHECK(virStreamFree(NULL) == -1);
    CHECK_ERROR(VIR_ERR_INVALID_STREAM, VIR_FROM_STREAMS, "invalid stream pointer in virStreamFree");
    CHECK(virDomainSnapshotGetName(NULL) == NULL);
    CHECK_ERROR(VIR_ERR_INVALID_DOMAIN_SNAPSHOT, VIR_FROM_DOMAIN_SNAPSHOT, "Invalid domain snapshot: virDomainSnapshotGetName");
    CHECK(virDomainCheckpointGetName(NULL) == NULL);
    CHECK_ERROR(VIR_ERR_INVALID_DOMAIN_CHECKPOINT, VIR_FROM_DOMAIN_CHECKPOINT, "Invalid domain checkpoint: virDomainCheckpointGetName");
    CHECK(virNetworkPortFree(NULL) == -1);
    CHECK_ERROR(VIR_ERR_INVALID_NETWORK_PORT, VIR_FROM_NETWORK, "Invalid network port pointer: virNetworkPortFree");
    CHECK(virNWFilterBindingFree(NULL) == -1);
    CHECK_ERROR(VIR_ERR_INVALID_NWFILTER_BINDING, VIR_FROM_NWFILTER, "Invalid network filter binding: virNWFilterBindingFree");

    /* Memory that holds no object. */
    CHECK(virConnectGetType((virConnectPtr)not_an_object) == NULL);
    CHECK_ERROR(VIR_ERR_INVALID_CONN, VIR_FROM_DOMAIN, "invalid connection pointer in virConnectGetType");
    CHECK(virDomainGetInfo((virDomainPtr)not_an_object, &info) == -1);
    CHECK_ERROR(VIR_ERR_INVALID_DOMAIN, VIR_FROM_DOM, "invalid domain pointer in virDomainGetInfo");

    /* Objects of the wrong class. */
    CHECK(virDomainGetInfo((virDomainPtr)conn, &info) == -1);
    CHECK_ERROR(VIR_ERR_INVALID_DOMAIN, VIR_FROM_DOM, "invalid domain pointer in virDomainGetInfo");
    dom = virDomainLookupByName(conn, "test");
    CHECK(dom != NULL);
    CHECK(virConnectGetType((virConnectPtr)dom) == NULL);
    CHECK_ERROR(VIR_ERR_INVALID_CONN, VIR_FROM_DOMAIN, "invalid connection pointer in virConnectGetType");
    CHECK(virNetworkGetName((virNetworkPtr)dom) == NULL);
    CHECK_ERROR(VIR_ERR_INVALID_NETWORK, VIR_FROM_NETWORK, "invalid network pointer in virNetworkGetName");

    /* References: Ref returns 0; Close returns 1 while references remain (the
     * caller's others, and one per live domain handle), 0 once closed. */
    dom2 = virDomainLookupByName(conn, "test");
    CHECK(dom2 != NULL && dom2 != dom);
    CHECK(virConnectRef(conn) == 0);
    CHECK(virConnectClose(conn) == 1);
    CHECK(virConnectClose(conn) == 1);
    CHECK(virDomainRef(dom) == 0);
    CHECK(virDomainFree(dom) == 0);
    /* The domains keep the connection alive. */
    CHECK(virDomainGetInfo(dom, &info) == 0);
    CHECK(virDomainGetConnect(dom) == conn);
    CHECK_STR(virConnectGetType(conn), "TEST");
    CHECK(virDomainFree(dom2) == 0);
    CHECK(virDomainFree(dom) == 0);

#ifndef REAL_LIBVIRT
    /* Freed handles (real libvirt reads freed memory here, and may crash). */
    CHECK(virConnectGetType(conn) == NULL);
    CHECK_ERROR(VIR_ERR_INVALID_CONN, VIR_FROM_DOMAIN, "invalid connection pointer in virConnectGetType");
    CHECK(virConnectClose(conn) == -1);
    CHECK_ERROR(VIR_ERR_INVALID_CONN, VIR_FROM_NONE, "invalid connection pointer in virConnectClose");
    CHECK(virDomainFree(dom) == -1);
    CHECK_ERROR(VIR_ERR_INVALID_DOMAIN, VIR_FROM_DOM, "invalid domain pointer in virDomainFree");
#endif

    /* The last Close of a connection without children returns 0. */
    conn = virConnectOpen("test:///default");
    CHECK(virConnectClose(conn) == 0);
    return report("handles");
}
