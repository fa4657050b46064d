/* Counting and listing the domains of test:///default. */
#include "check.h"

/* Lists with `flags` and checks the names (comma-separated, "" for none) and the
 * NULL after the last handle; frees what it got. */
static void check_list_all(virConnectPtr conn, unsigned int flags, const char *want, int line)
{
    virDomainPtr *doms = (virDomainPtr *)1;
    char names[256] = "";
    int n = virConnectListAllDomains(conn, &doms, flags), i;
    if (n < 0) {
        fail_at(__FILE__, line, "virConnectListAllDomains failed");
        return;
    }
    for (i = 0; i < n; i++) {
        if (i)
            strcat(names, ",");
        strcat(names, virDomainGetName(doms[i]));
        virDomainFree(doms[i]);
    }
    if (doms[n] != NULL)
        fail_at(__FILE__, line, "the list does not end with NULL");
    free(doms);
    check_str_at(__FILE__, line, "listed names", names, want);
}

int main(void)
{
    virConnectPtr conn = open_default();
    virDomainPtr *doms = (virDomainPtr *)1;
    int ids[4] = {-7, -7, -7, -7};
    char *names[4] = {NULL, NULL, NULL, NULL};

    CHECK_INT(virConnectNumOfDomains(conn), 1);
    CHECK_INT(virConnectListDomains(conn, ids, 4), 1);
    CHECK_INT(ids[0], 1);
    CHECK_INT(ids[1], -7);
    CHECK_INT(virConnectListDomains(conn, ids, 0), 0);
    CHECK_INT(virConnectListDomains(conn, NULL, 0), 0);
    CHECK_NO_ERROR();
    CHECK_INT(virConnectListDomains(conn, NULL, 4), -1);
    CHECK_ARG_ERROR(VIR_FROM_DOMAIN, "virConnectListDomains", "ids", "ids in virConnectListDomains must not be NULL");
    CHECK_INT(virConnectListDomains(conn, ids, -1), -1);
    CHECK_ARG_ERROR(VIR_FROM_DOMAIN, "virConnectListDomains", "maxids",
                    "maxids in virConnectListDomains must be zero or greater");

    CHECK_INT(virConnectNumOfDefinedDomains(conn), 0);
    CHECK_INT(virConnectListDefinedDomains(conn, names, 4), 0);
    CHECK(names[0] == NULL);
    CHECK_INT(virConnectListDefinedDomains(conn, NULL, 0), 0);
    CHECK_INT(virConnectListDefinedDomains(conn, NULL, 4), -1);
    CHECK_ARG_ERROR(VIR_FROM_DOMAIN, "virConnectListDefinedDomains", "names",
                    "names in virConnectListDefinedDomains must not be NULL");
    CHECK_INT(virConnectListDefinedDomains(conn, names, -1), -1);
    CHECK_ARG_ERROR(VIR_FROM_DOMAIN, "virConnectListDefinedDomains", "maxnames",
                    "maxnames in virConnectListDefinedDomains must be zero or greater");

    check_list_all(conn, 0, "test", __LINE__);
    check_list_all(conn, VIR_CONNECT_LIST_DOMAINS_ACTIVE, "test", __LINE__);
    check_list_all(conn, VIR_CONNECT_LIST_DOMAINS_INACTIVE, "", __LINE__);
    check_list_all(conn, VIR_CONNECT_LIST_DOMAINS_ACTIVE | VIR_CONNECT_LIST_DOMAINS_INACTIVE, "test", __LINE__);
    check_list_all(conn, VIR_CONNECT_LIST_DOMAINS_PERSISTENT, "test", __LINE__);
    check_list_all(conn, VIR_CONNECT_LIST_DOMAINS_TRANSIENT, "", __LINE__);
    check_list_all(conn, VIR_CONNECT_LIST_DOMAINS_RUNNING, "test", __LINE__);
    check_list_all(conn, VIR_CONNECT_LIST_DOMAINS_PAUSED | VIR_CONNECT_LIST_DOMAINS_SHUTOFF, "", __LINE__);
    check_list_all(conn, VIR_CONNECT_LIST_DOMAINS_OTHER, "", __LINE__);
    check_list_all(conn, VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE, "", __LINE__);
    check_list_all(conn, VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE, "test", __LINE__);
    check_list_all(conn, VIR_CONNECT_LIST_DOMAINS_AUTOSTART, "", __LINE__);
    check_list_all(conn, VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART, "test", __LINE__);
    check_list_all(conn, VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT, "", __LINE__);
    check_list_all(conn, VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT | VIR_CONNECT_LIST_DOMAINS_RUNNING, "test", __LINE__);
    check_list_all(conn, VIR_CONNECT_LIST_DOMAINS_HAS_CHECKPOINT, "", __LINE__);
    check_list_all(conn, VIR_CONNECT_LIST_DOMAINS_NO_CHECKPOINT, "test", __LINE__);
    CHECK_INT(virConnectListAllDomains(conn, NULL, 0), 1);
    CHECK_NO_ERROR();

    CHECK_INT(virConnectListAllDomains(conn, &doms, 1u << 31), -1);
    CHECK_ARG_ERROR(VIR_FROM_TEST, "testConnectListAllDomains", "flags",
                    "unsupported flags (0x80000000) in function testConnectListAllDomains");
    CHECK(doms == NULL);

    CHECK_INT(virConnectNumOfDomains(NULL), -1);
    CHECK_ERROR(VIR_ERR_INVALID_CONN, VIR_FROM_DOMAIN, "invalid connection pointer in virConnectNumOfDomains");
    CHECK_INT(virConnectListDomains(NULL, ids, 4), -1);
    CHECK_ERROR(VIR_ERR_INVALID_CONN, VIR_FROM_DOMAIN, "invalid connection pointer in virConnectListDomains");
    CHECK_INT(virConnectNumOfDefinedDomains(NULL), -1);
    CHECK_ERROR(VIR_ERR_INVALID_CONN, VIR_FROM_DOMAIN, "invalid connection pointer in virConnectNumOfDefinedDomains");
    CHECK_INT(virConnectListDefinedDomains(NULL, names, 4), -1);
    CHECK_ERROR(VIR_ERR_INVALID_CONN, VIR_FROM_DOMAIN, "invalid connection pointer in virConnectListDefinedDomains");
    doms = (virDomainPtr *)1;
    CHECK_INT(virConnectListAllDomains(NULL, &doms, 0), -1);
    CHECK_ERROR(VIR_ERR_INVALID_CONN, VIR_FROM_DOMAIN, "invalid connection pointer in virConnectListAllDomains");
    CHECK(doms == NULL);

    CHECK_INT(virConnectClose(conn), 0);
    return finish("lists");
}
