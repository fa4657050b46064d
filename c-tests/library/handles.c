/* Ref and Free of every handle class refuse NULL and foreign pointers with the
 * class's error, and the frees of returned structs free what libvirt allocates
 * in them, accept NULL and leave the last error alone. */
#include <stdlib.h>

#include "check.h"

#define CHECK_BAD(call, code, domain, message) \
    do { \
        CHECK_INT(call, -1); \
        CHECK_ERROR(code, domain, message); \
    } while (0)

static void bad_handles(virConnectPtr conn)
{
    CHECK_BAD(virNetworkRef(NULL), VIR_ERR_INVALID_NETWORK, VIR_FROM_NETWORK, "invalid network pointer in virNetworkRef");
    CHECK_BAD(virNetworkFree((virNetworkPtr)conn), VIR_ERR_INVALID_NETWORK, VIR_FROM_NETWORK,
              "invalid network pointer in virNetworkFree");
    CHECK_BAD(virNetworkPortRef(NULL), VIR_ERR_INVALID_NETWORK_PORT, VIR_FROM_NETWORK,
              "Invalid network port pointer: virNetworkPortRef");
    CHECK_BAD(virNetworkPortFree(NULL), VIR_ERR_INVALID_NETWORK_PORT, VIR_FROM_NETWORK,
              "Invalid network port pointer: virNetworkPortFree");
    CHECK_BAD(virInterfaceRef(NULL), VIR_ERR_INVALID_INTERFACE, VIR_FROM_INTERFACE,
              "invalid interface pointer in virInterfaceRef");
    CHECK_BAD(virInterfaceFree(NULL), VIR_ERR_INVALID_INTERFACE, VIR_FROM_INTERFACE,
              "invalid interface pointer in virInterfaceFree");
    CHECK_BAD(virStoragePoolRef(NULL), VIR_ERR_INVALID_STORAGE_POOL, VIR_FROM_STORAGE,
              "invalid storage pool pointer in virStoragePoolRef");
    CHECK_BAD(virStoragePoolFree(NULL), VIR_ERR_INVALID_STORAGE_POOL, VIR_FROM_STORAGE,
              "invalid storage pool pointer in virStoragePoolFree");
    CHECK_BAD(virStorageVolRef(NULL), VIR_ERR_INVALID_STORAGE_VOL, VIR_FROM_STORAGE,
              "invalid storage volume pointer in virStorageVolRef");
    CHECK_BAD(virStorageVolFree(NULL), VIR_ERR_INVALID_STORAGE_VOL, VIR_FROM_STORAGE,
              "invalid storage volume pointer in virStorageVolFree");
    CHECK_BAD(virNodeDeviceRef(NULL), VIR_ERR_INVALID_NODE_DEVICE, VIR_FROM_NODEDEV,
              "invalid node device pointer in virNodeDeviceRef");
    CHECK_BAD(virNodeDeviceFree(NULL), VIR_ERR_INVALID_NODE_DEVICE, VIR_FROM_NODEDEV,
              "invalid node device pointer in virNodeDeviceFree");
    CHECK_BAD(virSecretRef(NULL), VIR_ERR_INVALID_SECRET, VIR_FROM_SECRET, "Invalid secret: virSecretRef");
    CHECK_BAD(virSecretFree(NULL), VIR_ERR_INVALID_SECRET, VIR_FROM_SECRET, "Invalid secret: virSecretFree");
    CHECK_BAD(virNWFilterRef(NULL), VIR_ERR_INVALID_NWFILTER, VIR_FROM_NWFILTER, "Invalid network filter: virNWFilterRef");
    CHECK_BAD(virNWFilterFree(NULL), VIR_ERR_INVALID_NWFILTER, VIR_FROM_NWFILTER,
              "Invalid network filter: virNWFilterFree");
    CHECK_BAD(virNWFilterBindingRef(NULL), VIR_ERR_INVALID_NWFILTER_BINDING, VIR_FROM_NWFILTER,
              "Invalid network filter binding: virNWFilterBindingRef");
    CHECK_BAD(virNWFilterBindingFree(NULL), VIR_ERR_INVALID_NWFILTER_BINDING, VIR_FROM_NWFILTER,
              "Invalid network filter binding: virNWFilterBindingFree");
    CHECK_BAD(virStreamRef(NULL), VIR_ERR_INVALID_STREAM, VIR_FROM_STREAMS, "invalid stream pointer in virStreamRef");
    CHECK_BAD(virStreamFree(NULL), VIR_ERR_INVALID_STREAM, VIR_FROM_STREAMS, "invalid stream pointer in virStreamFree");
    CHECK_BAD(virDomainSnapshotRef(NULL), VIR_ERR_INVALID_DOMAIN_SNAPSHOT, VIR_FROM_DOMAIN_SNAPSHOT,
              "Invalid domain snapshot: virDomainSnapshotRef");
    CHECK_BAD(virDomainSnapshotFree(NULL), VIR_ERR_INVALID_DOMAIN_SNAPSHOT, VIR_FROM_DOMAIN_SNAPSHOT,
              "Invalid domain snapshot: virDomainSnapshotFree");
    CHECK_BAD(virDomainCheckpointRef(NULL), VIR_ERR_INVALID_DOMAIN_CHECKPOINT, VIR_FROM_DOMAIN_CHECKPOINT,
              "Invalid domain checkpoint: virDomainCheckpointRef");
    CHECK_BAD(virDomainCheckpointFree(NULL), VIR_ERR_INVALID_DOMAIN_CHECKPOINT, VIR_FROM_DOMAIN_CHECKPOINT,
              "Invalid domain checkpoint: virDomainCheckpointFree");
}

static char *dup(const char *s)
{
    char *copy = malloc(strlen(s) + 1);
    strcpy(copy, s);
    return copy;
}

/* Structs as a driver returns them: every member malloc'd (a leak checker run
 * on this test sees whether they are all freed). */
static void struct_frees(virConnectPtr conn)
{
    virDomainFSInfoPtr fs = calloc(1, sizeof(*fs));
    virDomainIOThreadInfoPtr thread = calloc(1, sizeof(*thread));
    virDomainInterfacePtr nic = calloc(1, sizeof(*nic));
    virNetworkDHCPLeasePtr lease = calloc(1, sizeof(*lease));
    virDomainStatsRecordPtr *stats = calloc(2, sizeof(*stats));
    int nparams = 0, maxparams = 0;

    /* Leave an error behind: the frees keep it. */
    CHECK_INT(virDomainFree(NULL), -1);
    virDomainFSInfoFree(NULL);
    virDomainIOThreadInfoFree(NULL);
    virDomainInterfaceFree(NULL);
    virNetworkDHCPLeaseFree(NULL);
    virDomainStatsRecordListFree(NULL);
    CHECK_ERROR(VIR_ERR_INVALID_DOMAIN, VIR_FROM_DOM, "invalid domain pointer in virDomainFree");

    fs->mountpoint = dup("/");
    fs->name = dup("sda1");
    fs->fstype = dup("ext4");
    fs->ndevAlias = 2;
    fs->devAlias = calloc(2, sizeof(char *));
    fs->devAlias[0] = dup("vda");
    fs->devAlias[1] = dup("vdb");
    virDomainFSInfoFree(fs);

    thread->iothread_id = 1;
    thread->cpumaplen = 1;
    thread->cpumap = calloc(1, 1);
    virDomainIOThreadInfoFree(thread);

    nic->name = dup("eth0");
    nic->hwaddr = dup("52:54:00:00:00:01");
    nic->naddrs = 2;
    nic->addrs = calloc(2, sizeof(*nic->addrs));
    nic->addrs[0].addr = dup("192.168.122.2");
    nic->addrs[1].addr = dup("fe80::1");
    virDomainInterfaceFree(nic);

    lease->iface = dup("virbr0");
    lease->mac = dup("52:54:00:00:00:01");
    lease->iaid = NULL;
    lease->ipaddr = dup("192.168.122.2");
    lease->hostname = dup("guest");
    lease->clientid = dup("01:52:54:00:00:00:01");
    virNetworkDHCPLeaseFree(lease);
    CHECK_ERROR(VIR_ERR_INVALID_DOMAIN, VIR_FROM_DOM, "invalid domain pointer in virDomainFree");

    /* A stats list frees its records' domains: the connection then closes. */
    stats[0] = calloc(1, sizeof(**stats));
    stats[0]->dom = virDomainLookupByName(conn, "test");
    CHECK(stats[0]->dom != NULL);
    CHECK_INT(virTypedParamsAddString(&stats[0]->params, &nparams, &maxparams, "state.reason", "booted"), 0);
    stats[0]->nparams = nparams;
    virDomainStatsRecordListFree(stats);
    /* virDomainFree ran, and reset the last error. */
    CHECK_NO_ERROR();
}

int main(void)
{
    virConnectPtr conn = open_default();
    virNetworkPtr net;

    bad_handles(conn);
    struct_frees(conn);
    /* A connection passed as a network is no network; the connection's own
     * reference count is untouched. */
    net = (virNetworkPtr)conn;
    CHECK_INT(virNetworkRef(net), -1);
    CHECK_INT(virConnectClose(conn), 0);
    return finish("library-handles");
}
