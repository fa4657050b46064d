/* Looking domains up on test:///default, and the errors of failed lookups. */
#include "check.h"

static const unsigned char test_uuid[VIR_UUID_BUFLEN] = {
    0x66, 0x95, 0xeb, 0x01, 0xf6, 0xa4, 0x83, 0x04, 0x79, 0xaa, 0x97, 0xf2, 0x50, 0x2e, 0x19, 0x3f,
};

/* `dom` is the running domain "test"; frees it. */
static void check_test_domain(virDomainPtr dom, int line)
{
    unsigned char uuid[VIR_UUID_BUFLEN];
    if (!dom) {
        fail_at(__FILE__, line, "lookup failed");
        return;
    }
    check_str_at(__FILE__, line, "name", virDomainGetName(dom), "test");
    if (virDomainGetID(dom) != 1)
        fail_at(__FILE__, line, "id is not 1");
    if (virDomainGetUUID(dom, uuid) != 0 || memcmp(uuid, test_uuid, sizeof(uuid)) != 0)
        fail_at(__FILE__, line, "wrong uuid");
    virDomainFree(dom);
}

#define NOT_FOUND() CHECK_ERROR(VIR_ERR_NO_DOMAIN, VIR_FROM_TEST, "Domain not found")

int main(void)
{
    virConnectPtr conn = open_default();
    unsigned char other[VIR_UUID_BUFLEN];
    const char *spellings[] = {
        "6695eb01-f6a4-8304-79aa-97f2502e193f",
        "6695eb01f6a4830479aa97f2502e193f",
        "6695EB01-F6A4-8304-79AA-97F2502E193F",
        "  6695eb01 f6a4-8304-79aa-97f2502e193f\t\n",
        "-6695eb01-f6a4-8304-79aa-97f2502e193f",
        "6695-eb01-f6a4-8304-79aa-97f2502e193f",
    };
    const char *malformed[] = {
        "", "bad", "6695eb01f6a4830479aa97f2502e193",
        "6695eb01-f6a4-8304-79aa-97f2502e193f00",
        "6695eb01-f6a4-8304-79aa-97f2502e193f-",
        "6-695eb01f6a4-8304-79aa-97f2502e193f",
    };
    size_t i;

    check_test_domain(virDomainLookupByName(conn, "test"), __LINE__);
    check_test_domain(virDomainLookupByID(conn, 1), __LINE__);
    check_test_domain(virDomainLookupByUUID(conn, test_uuid), __LINE__);
    for (i = 0; i < sizeof(spellings) / sizeof(*spellings); i++)
        check_test_domain(virDomainLookupByUUIDString(conn, spellings[i]), __LINE__);

    CHECK(virDomainLookupByName(conn, "nonexistent") == NULL);
    NOT_FOUND();
    CHECK_STR(virGetLastError()->str1, "Domain not found");
    CHECK(virGetLastError()->str2 == NULL);
    CHECK(virDomainLookupByName(conn, "TEST") == NULL);
    NOT_FOUND();
    CHECK(virDomainLookupByID(conn, 0) == NULL);
    NOT_FOUND();
    CHECK(virDomainLookupByID(conn, 99) == NULL);
    NOT_FOUND();
    memcpy(other, test_uuid, sizeof(other));
    other[15] ^= 1;
    CHECK(virDomainLookupByUUID(conn, other) == NULL);
    NOT_FOUND();
    CHECK(virDomainLookupByUUIDString(conn, "00000000-0000-0000-0000-000000000000") == NULL);
    NOT_FOUND();

    CHECK(virDomainLookupByID(conn, -1) == NULL);
    CHECK_ARG_ERROR(VIR_FROM_DOMAIN, "virDomainLookupByID", "id", "id in virDomainLookupByID must be zero or greater");
    CHECK(virDomainLookupByName(conn, NULL) == NULL);
    CHECK_ARG_ERROR(VIR_FROM_DOMAIN, "virDomainLookupByName", "name", "name in virDomainLookupByName must not be NULL");
    CHECK(virDomainLookupByUUID(conn, NULL) == NULL);
    CHECK_ARG_ERROR(VIR_FROM_DOMAIN, "virDomainLookupByUUID", "uuid", "uuid in virDomainLookupByUUID must not be NULL");
    CHECK(virDomainLookupByUUIDString(conn, NULL) == NULL);
    CHECK_ARG_ERROR(VIR_FROM_DOMAIN, "virDomainLookupByUUIDString", "uuidstr",
                    "uuidstr in virDomainLookupByUUIDString must not be NULL");
    for (i = 0; i < sizeof(malformed) / sizeof(*malformed); i++) {
        CHECK(virDomainLookupByUUIDString(conn, malformed[i]) == NULL);
        CHECK_ARG_ERROR(VIR_FROM_DOMAIN, "virDomainLookupByUUIDString", "uuidstr", "Invalid UUID");
    }

    CHECK(virDomainLookupByName(NULL, "test") == NULL);
    CHECK_ERROR(VIR_ERR_INVALID_CONN, VIR_FROM_DOMAIN, "invalid connection pointer in virDomainLookupByName");
    CHECK(virDomainLookupByID(NULL, 1) == NULL);
    CHECK_ERROR(VIR_ERR_INVALID_CONN, VIR_FROM_DOMAIN, "invalid connection pointer in virDomainLookupByID");
    CHECK(virDomainLookupByUUID(NULL, test_uuid) == NULL);
    CHECK_ERROR(VIR_ERR_INVALID_CONN, VIR_FROM_DOMAIN, "invalid connection pointer in virDomainLookupByUUID");
    CHECK(virDomainLookupByUUIDString(NULL, spellings[0]) == NULL);
    CHECK_ERROR(VIR_ERR_INVALID_CONN, VIR_FROM_DOMAIN, "invalid connection pointer in virDomainLookupByUUIDString");

    CHECK_INT(virConnectClose(conn), 0);
    return finish("lookup");
}
