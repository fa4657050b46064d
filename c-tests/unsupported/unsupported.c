/* Unsupported calls and bad handles fail exactly as libvirt 9.0 fails them on
 * test:///default: the return value, and the last error's code, domain and
 * message. The expectations were taken from the system's libvirt; this program
 * passes against it too.
 *
 * usage: unsupported connection|domain|invalid-handles */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libvirt/libvirt.h>
#include <libvirt/libvirt-lxc.h>
#include <libvirt/libvirt-qemu.h>
#include <libvirt/virterror.h>

#include "expect.h"

#define NO_SUPPORT(call, failed, domain, name) \
    expect(#call, (call) failed, VIR_ERR_NO_SUPPORT, domain, \
           "this function is not supported by the connection driver: " name)

static void connection_calls(virConnectPtr conn)
{
    NO_SUPPORT(virNodeSuspendForDuration(conn, VIR_NODE_SUSPEND_TARGET_MEM, 10, 0), == -1, VIR_FROM_DOMAIN,
               "virNodeSuspendForDuration");
    NO_SUPPORT(virConnectGetDomainCapabilities(conn, NULL, NULL, NULL, NULL, 0), == NULL, VIR_FROM_DOMAIN,
               "virConnectGetDomainCapabilities");
    NO_SUPPORT(virConnectDomainXMLFromNative(conn, "qemu-argv", "qemu-system-x86_64", 0), == NULL,
               VIR_FROM_DOMAIN, "virConnectDomainXMLFromNative");
    NO_SUPPORT(virDomainRestoreParams(conn, NULL, 0, 0), == -1, VIR_FROM_DOMAIN, "virDomainRestoreParams");
    NO_SUPPORT(virConnectGetStoragePoolCapabilities(conn, 0), == NULL, VIR_FROM_STORAGE,
               "virConnectGetStoragePoolCapabilities");
    NO_SUPPORT(virNodeDeviceDefineXML(conn, "<device/>", 0), == NULL, VIR_FROM_NODEDEV, "virNodeDeviceDefineXML");
    NO_SUPPORT(virConnectNumOfSecrets(conn), == -1, VIR_FROM_SECRET, "virConnectNumOfSecrets");
    NO_SUPPORT(virSecretDefineXML(conn, "<secret/>", 0), == NULL, VIR_FROM_SECRET, "virSecretDefineXML");
    NO_SUPPORT(virNWFilterDefineXML(conn, "<filter/>"), == NULL, VIR_FROM_NWFILTER, "virNWFilterDefineXML");
    NO_SUPPORT(virNWFilterBindingCreateXML(conn, "<filterbinding/>", 0), == NULL, VIR_FROM_NWFILTER,
               "virNWFilterBindingCreateXML");
    /* libvirt-qemu.so.0 */
    NO_SUPPORT(virDomainQemuAttach(conn, 1, 0), == NULL, VIR_FROM_NONE, "virDomainQemuAttach");
    NO_SUPPORT(virConnectDomainQemuMonitorEventDeregister(conn, 1), == -1, VIR_FROM_NONE,
               "virConnectDomainQemuMonitorEventDeregister");
}

static void domain_calls(virConnectPtr conn)
{
    virDomainPtr dom = virDomainLookupByName(conn, "test");
    int *fds = NULL;

    if (!dom) {
        printf("FAIL virDomainLookupByName(conn, \"test\") failed\n");
        failures++;
        return;
    }
    NO_SUPPORT(virDomainBlockCommit(dom, "vda", NULL, NULL, 0, 0), == -1, VIR_FROM_DOMAIN, "virDomainBlockCommit");
    /* libvirt-qemu.so.0 and libvirt-lxc.so.0 */
    NO_SUPPORT(virDomainQemuAgentCommand(dom, "{}", 0, 0), == NULL, VIR_FROM_NONE, "virDomainQemuAgentCommand");
    NO_SUPPORT(virDomainLxcOpenNamespace(dom, &fds, 0), == -1, VIR_FROM_NONE, "virDomainLxcOpenNamespace");
    virDomainFree(dom);
}

#define INVALID(call, failed, code, domain, message) expect(#call, (call) failed, code, domain, message)

static void invalid_handles(virConnectPtr conn)
{
    size_t size;

    INVALID(virConnectGetSysinfo(NULL, 0), == NULL, VIR_ERR_INVALID_CONN, VIR_FROM_DOMAIN,
            "invalid connection pointer in virConnectGetSysinfo");
    INVALID(virNodeGetFreeMemory(NULL), == 0, VIR_ERR_INVALID_CONN, VIR_FROM_DOMAIN,
            "invalid connection pointer in virNodeGetFreeMemory");
    INVALID(virDomainGetMaxMemory(NULL), == 0, VIR_ERR_INVALID_DOMAIN, VIR_FROM_DOM,
            "invalid domain pointer in virDomainGetMaxMemory");
    INVALID(virDomainGetID(NULL), == (unsigned int)-1, VIR_ERR_INVALID_DOMAIN, VIR_FROM_DOM,
            "invalid domain pointer in virDomainGetID");
    INVALID(virDomainBlockCommit(NULL, "vda", NULL, NULL, 0, 0), == -1, VIR_ERR_INVALID_DOMAIN, VIR_FROM_DOM,
            "invalid domain pointer in virDomainBlockCommit");
    /* A connection is not a domain. */
    INVALID(virDomainBlockCommit((virDomainPtr)conn, "vda", NULL, NULL, 0, 0), == -1, VIR_ERR_INVALID_DOMAIN,
            VIR_FROM_DOM, "invalid domain pointer in virDomainBlockCommit");
    INVALID(virDomainQemuMonitorCommand(NULL, "info", NULL, 0), == -1, VIR_ERR_INVALID_DOMAIN, VIR_FROM_DOM,
            "invalid domain pointer in virDomainQemuMonitorCommand");
    INVALID(virDomainLxcOpenNamespace(NULL, NULL, 0), == -1, VIR_ERR_INVALID_DOMAIN, VIR_FROM_DOM,
            "invalid domain pointer in virDomainLxcOpenNamespace");
    INVALID(virNetworkGetBridgeName(NULL), == NULL, VIR_ERR_INVALID_NETWORK, VIR_FROM_NETWORK,
            "invalid network pointer in virNetworkGetBridgeName");
    INVALID(virNetworkPortGetParameters(NULL, NULL, NULL, 0), == -1, VIR_ERR_INVALID_NETWORK_PORT,
            VIR_FROM_NETWORK, "Invalid network port pointer: virNetworkPortGetParameters");
    INVALID(virStoragePoolGetName(NULL), == NULL, VIR_ERR_INVALID_STORAGE_POOL, VIR_FROM_STORAGE,
            "invalid storage pool pointer in virStoragePoolGetName");
    INVALID(virStorageVolGetKey(NULL), == NULL, VIR_ERR_INVALID_STORAGE_VOL, VIR_FROM_STORAGE,
            "invalid storage volume pointer in virStorageVolGetKey");
    INVALID(virNodeDeviceGetName(NULL), == NULL, VIR_ERR_INVALID_NODE_DEVICE, VIR_FROM_NODEDEV,
            "invalid node device pointer in virNodeDeviceGetName");
    INVALID(virInterfaceGetMACString(NULL), == NULL, VIR_ERR_INVALID_INTERFACE, VIR_FROM_INTERFACE,
            "invalid interface pointer in virInterfaceGetMACString");
    INVALID(virSecretGetValue(NULL, &size, 0), == NULL, VIR_ERR_INVALID_SECRET, VIR_FROM_SECRET,
            "Invalid secret: virSecretGetValue");
    INVALID(virNWFilterGetName(NULL), == NULL, VIR_ERR_INVALID_NWFILTER, VIR_FROM_NWFILTER,
            "Invalid network filter: virNWFilterGetName");
    INVALID(virNWFilterBindingGetPortDev(NULL), == NULL, VIR_ERR_INVALID_NWFILTER_BINDING, VIR_FROM_NWFILTER,
            "Invalid network filter binding: virNWFilterBindingGetPortDev");
    INVALID(virStreamAbort(NULL), == -1, VIR_ERR_INVALID_STREAM, VIR_FROM_STREAMS,
            "invalid stream pointer in virStreamAbort");
    INVALID(virDomainSnapshotGetName(NULL), == NULL, VIR_ERR_INVALID_DOMAIN_SNAPSHOT, VIR_FROM_DOMAIN_SNAPSHOT,
            "Invalid domain snapshot: virDomainSnapshotGetName");
    INVALID(virDomainCheckpointGetName(NULL), == NULL, VIR_ERR_INVALID_DOMAIN_CHECKPOINT,
            VIR_FROM_DOMAIN_CHECKPOINT, "Invalid domain checkpoint: virDomainCheckpointGetName");
}

int main(int argc, char **argv)
{
    const char *group = argc > 1 ? argv[1] : "";
    virConnectPtr conn;

    virSetErrorFunc(NULL, quiet);
    conn = virConnectOpen("test:///default");
    if (!conn) {
        printf("FAIL virConnectOpen(\"test:///default\") failed\n");
        return EXIT_FAILURE;
    }
    if (strcmp(group, "connection") == 0)
        connection_calls(conn);
    else if (strcmp(group, "domain") == 0)
        domain_calls(conn);
    else if (strcmp(group, "invalid-handles") == 0)
        invalid_handles(conn);
    else {
        fprintf(stderr, "usage: %s connection|domain|invalid-handles\n", argv[0]);
        return EXIT_FAILURE;
    }
    virConnectClose(conn);
    return failures ? EXIT_FAILURE : EXIT_SUCCESS;
}
