/* Domain handles: references, their connection, and connections sharing the
 * default host. */
#include "check.h"

int main(void)
{
    virConnectPtr conn = open_default();
    virConnectPtr second = virConnectOpen("test:///default");
    virDomainPtr dom = virDomainLookupByName(conn, "test");
    virDomainPtr other;

    if (!dom || !second)
        return finish("handles: setup failed");

    CHECK(virDomainGetConnect(dom) == conn);
    CHECK(virDomainGetConnect(NULL) == NULL);
    CHECK_ERROR(VIR_ERR_INVALID_DOMAIN, VIR_FROM_DOM, "invalid domain pointer in virDomainGetConnect");

    /* Each reference needs its own free. */
    CHECK_INT(virDomainRef(dom), 0);
    CHECK_INT(virDomainFree(dom), 0);
    CHECK_STR(virDomainGetName(dom), "test");
    CHECK_INT(virDomainRef(NULL), -1);
    CHECK_ERROR(VIR_ERR_INVALID_DOMAIN, VIR_FROM_DOM, "invalid domain pointer in virDomainRef");
    CHECK_INT(virDomainFree(NULL), -1);
    CHECK_ERROR(VIR_ERR_INVALID_DOMAIN, VIR_FROM_DOM, "invalid domain pointer in virDomainFree");
    /* A connection passed as a domain is caught, not used. */
    CHECK(virDomainGetName((virDomainPtr)conn) == NULL);
    CHECK_ERROR(VIR_ERR_INVALID_DOMAIN, VIR_FROM_DOM, "invalid domain pointer in virDomainGetName");

    /* Every lookup makes a new handle on the same domain. */
    other = virDomainLookupByID(second, 1);
    CHECK(other != NULL && other != dom);
    CHECK(virDomainGetConnect(other) == second);
    CHECK_STR(virDomainGetName(other), "test");
    CHECK_INT(virDomainFree(other), 0);

    /* The domain keeps its connection open after the caller closes it. */
    CHECK(virConnectClose(conn) > 0);
    CHECK_INT(virDomainIsActive(dom), 1);
    CHECK_INT(virDomainGetMaxMemory(dom), 8388608);
    CHECK_INT(virDomainFree(dom), 0);

    CHECK_INT(virConnectClose(second), 0);
    return finish("handles");
}
