/* A read-only connection refuses every API that changes something, in the error
 * domain of the API's header. */
#include "check.h"

static void quiet(void *data, virErrorPtr err)
{
    (void)data;
    (void)err;
}

#define DENIED(from, fn) "operation forbidden: read only access prevents " fn

int main(void)
{
    virConnectPtr ro = virConnectOpenReadOnly("test:///default");
    virErrorPtr err;

    virSetErrorFunc(NULL, quiet);
    CHECK(ro != NULL);

    CHECK(virDomainCreateXML(ro, "<domain/>", 0) == NULL);
    CHECK_ERROR(VIR_ERR_OPERATION_DENIED, VIR_FROM_DOMAIN, DENIED(VIR_FROM_DOMAIN, "virDomainCreateXML"));
    err = virGetLastError();
    CHECK_EXTRA(err, "operation forbidden: %s", "read only access prevents virDomainCreateXML", NULL, -1, -1);
    /* The connection gets its copy. */
    CHECK(virConnGetLastError(ro) != NULL && virConnGetLastError(ro)->code == VIR_ERR_OPERATION_DENIED);

    CHECK(virDomainDefineXML(ro, "<domain/>") == NULL);
    CHECK_ERROR(VIR_ERR_OPERATION_DENIED, VIR_FROM_DOMAIN, DENIED(VIR_FROM_DOMAIN, "virDomainDefineXML"));
    CHECK(virNetworkCreateXML(ro, "<network/>") == NULL);
    CHECK_ERROR(VIR_ERR_OPERATION_DENIED, VIR_FROM_NETWORK, DENIED(VIR_FROM_NETWORK, "virNetworkCreateXML"));
    CHECK(virStoragePoolCreateXML(ro, "<pool/>", 0) == NULL);
    CHECK_ERROR(VIR_ERR_OPERATION_DENIED, VIR_FROM_STORAGE, DENIED(VIR_FROM_STORAGE, "virStoragePoolCreateXML"));

    /* virDomainCreateXML checks the handle first, its arguments next, and the
     * read-only flag last. */
    CHECK(virDomainCreateXML(NULL, NULL, 0) == NULL);
    CHECK_ERROR(VIR_ERR_INVALID_CONN, VIR_FROM_DOMAIN, "invalid connection pointer in virDomainCreateXML");
    CHECK(virDomainCreateXML(ro, NULL, 0) == NULL);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN, "xmlDesc in virDomainCreateXML must not be NULL");

    /* Reads work. */
    CHECK_STR(virConnectGetType(ro), "TEST");
    CHECK(virGetLastError() == NULL);

    CHECK(virConnectClose(ro) == 0);
    return report("readonly");
}
