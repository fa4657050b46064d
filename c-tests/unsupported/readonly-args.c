/* What libvirt 9.0 checks before it reaches a driver, for a sample of the calls
 * of every header: a read-only connection is refused every call that changes
 * something (and a few reads), NULL and other bad arguments get libvirt's
 * argument errors, and the checks come in libvirt's order. The expectations were
 * taken from the system's libvirt; this program passes against it too. */
#include <stdio.h>
#include <string.h>

#include <libvirt/libvirt.h>
#include <libvirt/libvirt-lxc.h>
#include <libvirt/libvirt-qemu.h>
#include <libvirt/virterror.h>

#include "expect.h"

#define DENIED(call, failed, domain, name) \
    expect(#call, (call) failed, VIR_ERR_OPERATION_DENIED, domain, \
           "operation forbidden: read only access prevents " name)
#define BAD_ARG(call, failed, domain, message) expect(#call, (call) failed, VIR_ERR_INVALID_ARG, domain, message)

static void host_and_domain(virConnectPtr ro, virConnectPtr rw, virDomainPtr dom)
{
    unsigned int pages[1] = {4};
    unsigned long long counts[1] = {1};
    virDomainInterfacePtr *ifaces = NULL;

    DENIED(virNodeSuspendForDuration(ro, VIR_NODE_SUSPEND_TARGET_MEM, 10, 0), == -1, VIR_FROM_DOMAIN,
           "virNodeSuspendForDuration");
    DENIED(virConnectGetDomainCapabilities(ro, NULL, NULL, NULL, NULL, 0), == NULL, VIR_FROM_DOMAIN,
           "virConnectGetDomainCapabilities");
    /* The read-only check comes first, the page count after it. */
    DENIED(virNodeAllocPages(ro, 0, pages, NULL, -1, 0, 0), == -1, VIR_FROM_DOMAIN, "virNodeAllocPages");
    BAD_ARG(virNodeAllocPages(rw, 0, pages, counts, -1, 0, 0), == -1, VIR_FROM_DOMAIN,
            "npages in virNodeAllocPages must not be zero");
    /* The CPU descriptions come before the read-only check. */
    BAD_ARG(virConnectBaselineHypervisorCPU(ro, NULL, NULL, NULL, NULL, NULL, 0, 0), == NULL, VIR_FROM_DOMAIN,
            "xmlCPUs in virConnectBaselineHypervisorCPU must not be NULL");

    DENIED(virDomainRestore(ro, NULL), == -1, VIR_FROM_DOMAIN, "virDomainRestore");
    BAD_ARG(virDomainRestore(rw, NULL), == -1, VIR_FROM_DOMAIN, "from in virDomainRestore must not be NULL");
    BAD_ARG(virDomainSaveImageGetXMLDesc(ro, NULL, 0), == NULL, VIR_FROM_DOMAIN,
            "file in virDomainSaveImageGetXMLDesc must not be NULL");
    DENIED(virDomainSaveImageGetXMLDesc(ro, "/nonexistent", 0), == NULL, VIR_FROM_DOMAIN,
           "virDomainSaveImageGetXMLDesc");
    BAD_ARG(virConnectDomainEventRegisterAny(ro, NULL, 0, NULL, NULL, NULL), == -1, VIR_FROM_DOMAIN,
            "cb in virConnectDomainEventRegisterAny must not be NULL");

    DENIED(virDomainDestroy(dom), == -1, VIR_FROM_DOMAIN, "virDomainDestroy");
    DENIED(virDomainSetMemory(dom, 0), == -1, VIR_FROM_DOMAIN, "virDomainSetMemory");
    BAD_ARG(virDomainRename(dom, NULL, 0), == -1, VIR_FROM_DOMAIN, "new_name in virDomainRename must not be NULL");
    BAD_ARG(virDomainRename(dom, "", 0), == -1, VIR_FROM_DOMAIN,
            "string new_name in virDomainRename must not be empty");
    DENIED(virDomainRename(dom, "other", 0), == -1, VIR_FROM_DOMAIN, "virDomainRename");
    BAD_ARG(virDomainSendProcessSignal(dom, 0, 0, 0), == -1, VIR_FROM_DOMAIN,
            "pid_value in virDomainSendProcessSignal must not be zero");
    DENIED(virDomainSendProcessSignal(dom, 1, 0, 0), == -1, VIR_FROM_DOMAIN, "virDomainSendProcessSignal");
    BAD_ARG(virNodeGetFreePages(ro, 1, pages, 0, 1, NULL, 0), == -1, VIR_FROM_DOMAIN,
            "counts in virNodeGetFreePages must not be NULL");
    /* Only some flags or arguments make a read a write. */
    expect("virDomainManagedSaveGetXMLDesc(dom, VIR_DOMAIN_XML_SECURE)",
           virDomainManagedSaveGetXMLDesc(dom, VIR_DOMAIN_XML_SECURE) == NULL, VIR_ERR_OPERATION_DENIED,
           VIR_FROM_DOMAIN, "operation forbidden: virDomainManagedSaveGetXMLDesc with secure flag");
    DENIED(virDomainGetVcpusFlags(dom, VIR_DOMAIN_VCPU_GUEST), == -1, VIR_FROM_DOMAIN, "virDomainGetVcpusFlags");
    BAD_ARG(virDomainInterfaceAddresses(dom, NULL, VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT, 0), == -1,
            VIR_FROM_DOMAIN, "ifaces in virDomainInterfaceAddresses must not be NULL");
    DENIED(virDomainInterfaceAddresses(dom, &ifaces, VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT, 0), == -1,
           VIR_FROM_DOMAIN, "virDomainInterfaceAddresses");
    /* A second handle is checked before the read-only flag. */
    expect("virDomainOpenConsole(dom, NULL, NULL, 0)", virDomainOpenConsole(dom, NULL, NULL, 0) == -1,
           VIR_ERR_INVALID_STREAM, VIR_FROM_STREAMS, "invalid stream pointer in virDomainOpenConsole");

    BAD_ARG(virDomainSnapshotCreateXML(dom, NULL, 0), == NULL, VIR_FROM_DOMAIN_SNAPSHOT,
            "xmlDesc in virDomainSnapshotCreateXML must not be NULL");
    DENIED(virDomainSnapshotCreateXML(dom, "<domainsnapshot/>", 0), == NULL, VIR_FROM_DOMAIN_SNAPSHOT,
           "virDomainSnapshotCreateXML");
    BAD_ARG(virDomainCheckpointCreateXML(dom, NULL, 0), == NULL, VIR_FROM_DOMAIN_CHECKPOINT,
            "xmlDesc in virDomainCheckpointCreateXML must not be NULL");
    DENIED(virDomainCheckpointCreateXML(dom, "<domaincheckpoint/>", 0), == NULL, VIR_FROM_DOMAIN_CHECKPOINT,
           "virDomainCheckpointCreateXML");
}

static void other_headers(virConnectPtr ro, virConnectPtr rw, virDomainPtr dom)
{
    char *result = NULL;
    int *fds = NULL;

    /* virNetworkCreateXML checks its XML first, virNetworkDefineXML last. */
    BAD_ARG(virNetworkCreateXML(ro, NULL), == NULL, VIR_FROM_NETWORK,
            "xmlDesc in virNetworkCreateXML must not be NULL");
    DENIED(virNetworkDefineXML(ro, NULL), == NULL, VIR_FROM_NETWORK, "virNetworkDefineXML");
    BAD_ARG(virNetworkDefineXML(rw, NULL), == NULL, VIR_FROM_NETWORK, "xml in virNetworkDefineXML must not be NULL");
    BAD_ARG(virConnectNetworkEventRegisterAny(ro, NULL, 0, NULL, NULL, NULL), == -1, VIR_FROM_NETWORK,
            "cb in virConnectNetworkEventRegisterAny must not be NULL");

    DENIED(virStoragePoolDefineXML(ro, NULL, 0), == NULL, VIR_FROM_STORAGE, "virStoragePoolDefineXML");
    BAD_ARG(virStoragePoolDefineXML(rw, NULL, 0), == NULL, VIR_FROM_STORAGE,
            "xml in virStoragePoolDefineXML must not be NULL");
    BAD_ARG(virConnectFindStoragePoolSources(ro, NULL, NULL, 0), == NULL, VIR_FROM_STORAGE,
            "type in virConnectFindStoragePoolSources must not be NULL");
    DENIED(virConnectFindStoragePoolSources(ro, "logical", NULL, 0), == NULL, VIR_FROM_STORAGE,
           "virConnectFindStoragePoolSources");

    DENIED(virNodeDeviceCreateXML(ro, NULL, 0), == NULL, VIR_FROM_NODEDEV, "virNodeDeviceCreateXML");
    BAD_ARG(virNodeDeviceCreateXML(rw, NULL, 0), == NULL, VIR_FROM_NODEDEV,
            "xmlDesc in virNodeDeviceCreateXML must not be NULL");
    BAD_ARG(virNodeDeviceLookupSCSIHostByWWN(ro, "wwnn", NULL, 0), == NULL, VIR_FROM_NODEDEV,
            "wwpn in virNodeDeviceLookupSCSIHostByWWN must not be NULL");

    DENIED(virSecretDefineXML(ro, NULL, 0), == NULL, VIR_FROM_SECRET, "virSecretDefineXML");
    BAD_ARG(virSecretDefineXML(rw, NULL, 0), == NULL, VIR_FROM_SECRET, "xml in virSecretDefineXML must not be NULL");
    BAD_ARG(virSecretLookupByUsage(ro, VIR_SECRET_USAGE_TYPE_VOLUME, NULL), == NULL, VIR_FROM_SECRET,
            "usageID in virSecretLookupByUsage must not be NULL");

    DENIED(virInterfaceChangeBegin(ro, 0), == -1, VIR_FROM_INTERFACE, "virInterfaceChangeBegin");
    DENIED(virInterfaceDefineXML(ro, NULL, 0), == NULL, VIR_FROM_INTERFACE, "virInterfaceDefineXML");
    BAD_ARG(virInterfaceDefineXML(rw, NULL, 0), == NULL, VIR_FROM_INTERFACE,
            "xml in virInterfaceDefineXML must not be NULL");

    BAD_ARG(virNWFilterDefineXML(ro, NULL), == NULL, VIR_FROM_NWFILTER,
            "xmlDesc in virNWFilterDefineXML must not be NULL");
    DENIED(virNWFilterDefineXML(ro, "<filter/>"), == NULL, VIR_FROM_NWFILTER, "virNWFilterDefineXML");
    DENIED(virNWFilterBindingCreateXML(ro, "<filterbinding/>", 0), == NULL, VIR_FROM_NWFILTER,
           "virNWFilterBindingCreateXML");

    /* libvirt-qemu and libvirt-lxc report in no particular domain. */
    BAD_ARG(virDomainQemuAttach(ro, 0, 0), == NULL, VIR_FROM_NONE,
            "pid_value in virDomainQemuAttach must not be zero");
    DENIED(virDomainQemuAttach(ro, 1, 0), == NULL, VIR_FROM_NONE, "virDomainQemuAttach");
    BAD_ARG(virDomainQemuMonitorCommand(dom, "info", NULL, 0), == -1, VIR_FROM_NONE,
            "result in virDomainQemuMonitorCommand must not be NULL");
    DENIED(virDomainQemuMonitorCommand(dom, "info", &result, 0), == -1, VIR_FROM_NONE,
           "virDomainQemuMonitorCommand");
    DENIED(virDomainQemuAgentCommand(dom, "{}", 0, 0), == NULL, VIR_FROM_NONE, "virDomainQemuAgentCommand");
    BAD_ARG(virDomainLxcOpenNamespace(dom, NULL, 0), == -1, VIR_FROM_NONE,
            "fdlist in virDomainLxcOpenNamespace must not be NULL");
    DENIED(virDomainLxcOpenNamespace(dom, &fds, 0), == -1, VIR_FROM_NONE, "virDomainLxcOpenNamespace");
}

int main(void)
{
    virConnectPtr ro, rw;
    virDomainPtr dom;

    virSetErrorFunc(NULL, quiet);
    ro = virConnectOpenReadOnly("test:///default");
    rw = virConnectOpen("test:///default");
    dom = ro ? virDomainLookupByName(ro, "test") : NULL;
    if (!ro || !rw || !dom) {
        printf("FAIL cannot open test:///default or find its domain \"test\"\n");
        return 1;
    }
    host_and_domain(ro, rw, dom);
    other_headers(ro, rw, dom);
    virDomainFree(dom);
    virConnectClose(rw);
    virConnectClose(ro);
    if (failures)
        printf("%d check(s) failed\n", failures);
    return failures ? 1 : 0;
}
