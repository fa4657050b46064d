/* Opening connections by explicit URI: the test driver's URIs, virConnectGetURI's
 * canonical form, malformed and unknown URIs, flags, and connection references.
 *
 * With CONNECT_TESTS_REAL_LIBVIRT set, the checks that depend on which drivers the
 * library has (real libvirt also has the remote and esx drivers) are skipped, so
 * that the same program can prove the rest against real libvirt. */
#include "check.h"

static int callback_calls;

static int count_calls(virConnectCredentialPtr cred, unsigned int ncred, void *data)
{
    (void)cred;
    (void)ncred;
    (void)data;
    callback_calls++;
    return -1;
}

int main(void)
{
    int ferrovirt = getenv("CONNECT_TESTS_REAL_LIBVIRT") == NULL;
    virSetErrorFunc(NULL, quiet_errors);
    unsetenv("LIBVIRT_DEFAULT_URI");

    /* The canonical URI is libvirt's re-encoding of what it parsed. */
    CHECK_OPEN_URI("test:///default", "test:///default");
    CHECK_OPEN_URI("test:/default", "test:///default");
    CHECK_OPEN_URI("test:///%64efault", "test:///default");
    CHECK_OPEN_URI("test:///default?x", "test:///default?x");
    CHECK_OPEN_URI("test:///default#frag", "test:///default#frag");

    /* The test driver's own checks. */
    CHECK_OPEN_FAILS("test:///", VIR_ERR_INVALID_ARG, VIR_FROM_TEST,
                     "invalid argument: testOpen: supply a path or use test:///default");
    CHECK_OPEN_FAILS("test://", VIR_ERR_INVALID_ARG, VIR_FROM_TEST,
                     "invalid argument: testOpen: supply a path or use test:///default");
    CHECK_OPEN_FAILS("test:///nonexistent-ferrovirt.xml", VIR_ERR_XML_ERROR, VIR_FROM_TEST,
                     "XML error: failed to parse xml document '/nonexistent-ferrovirt.xml'");
    CHECK_OPEN_FAILS("test:///default/", VIR_ERR_XML_ERROR, VIR_FROM_TEST,
                     "XML error: failed to parse xml document '/default/'");

    /* Malformed URIs. */
    CHECK_OPEN_FAILS("::::", VIR_ERR_INTERNAL_ERROR, VIR_FROM_URI, "internal error: Unable to parse URI ::::");
    CHECK_OPEN_FAILS("test:///def ault", VIR_ERR_INTERNAL_ERROR, VIR_FROM_URI,
                     "internal error: Unable to parse URI test:///def ault");
    CHECK_OPEN_FAILS("te_st:///default", VIR_ERR_INTERNAL_ERROR, VIR_FROM_URI,
                     "internal error: Unable to parse URI te_st:///default");
    CHECK_OPEN_FAILS("test:///default?x=%zz", VIR_ERR_INTERNAL_ERROR, VIR_FROM_URI,
                     "internal error: Unable to parse URI test:///default?x=%zz");
    CHECK_OPEN_FAILS("test", VIR_ERR_NO_CONNECT, VIR_FROM_NONE,
                     "no connection driver available for URI 'test' does not include a driver name");
    CHECK_OPEN_FAILS("qemu://system", VIR_ERR_INTERNAL_ERROR, VIR_FROM_NONE,
                     "internal error: invalid URI qemu://system (maybe you want qemu:///system)");

    if (ferrovirt) {
        /* No driver: real libvirt would hand these to its remote driver. */
        CHECK_OPEN_FAILS("foo:///bar", VIR_ERR_NO_CONNECT, VIR_FROM_NONE, "no connection driver available for foo:///bar");
        CHECK_OPEN_FAILS("TEST:///default", VIR_ERR_NO_CONNECT, VIR_FROM_NONE,
                         "no connection driver available for TEST:///default");
        CHECK_OPEN_FAILS("test://somehost/default", VIR_ERR_NO_CONNECT, VIR_FROM_NONE,
                         "no connection driver available for test://somehost/default");
        CHECK_OPEN_FAILS("esx://somehost/", VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_NONE,
                         "unsupported configuration: libvirt was built without the 'esx' driver");
        CHECK_OPEN_FAILS("VPX://somehost/", VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_NONE,
                         "unsupported configuration: libvirt was built without the 'VPX' driver");
    }

    /* Read-only connections and flags: the test driver knows only VIR_CONNECT_RO,
     * and libvirt passes VIR_CONNECT_NO_ALIASES on to it. */
    virConnectPtr conn = virConnectOpenReadOnly("test:///default");
    CHECK(conn != NULL);
    CHECK(virConnectClose(conn) == 0);
    conn = virConnectOpenAuth("test:///default", NULL, VIR_CONNECT_RO);
    CHECK(conn != NULL);
    CHECK(virConnectClose(conn) == 0);
    CHECK(virConnectOpenAuth("test:///default", NULL, VIR_CONNECT_NO_ALIASES) == NULL);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_TEST, "unsupported flags (0x2) in function testConnectOpen");
    CHECK(virConnectOpenAuth("test:///default", NULL, 0x100) == NULL);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_TEST, "unsupported flags (0x100) in function testConnectOpen");
    virErrorPtr e = virGetLastError();
    CHECK(e && e->str1 && strcmp(e->str1, "testConnectOpen") == 0);
    CHECK(e && e->str2 && strcmp(e->str2, "flags") == 0);

    /* The test driver needs no credentials and never calls back. */
    int types[] = { VIR_CRED_AUTHNAME, VIR_CRED_PASSPHRASE };
    virConnectAuth auth = { types, 2, count_calls, NULL };
    conn = virConnectOpenAuth("test:///default", &auth, 0);
    CHECK(conn != NULL);
    CHECK(callback_calls == 0);
    CHECK(virConnectClose(conn) == 0);
    conn = virConnectOpenAuth("test:///default", virConnectAuthPtrDefault, 0);
    CHECK(conn != NULL);
    CHECK(virConnectClose(conn) == 0);

    /* References: virConnectClose says 1 while any remain, 0 at the last. */
    conn = virConnectOpen("test:///default");
    CHECK(virConnectRef(conn) == 0);
    CHECK(virConnectRef(conn) == 0);
    CHECK(virConnectClose(conn) == 1);
    CHECK(virConnectClose(conn) == 1);
    char *uri = virConnectGetURI(conn);
    CHECK(uri && strcmp(uri, "test:///default") == 0);
    free(uri);
    CHECK(virConnectClose(conn) == 0);

    /* Misuse. */
    CHECK(virConnectClose(NULL) == -1);
    CHECK_ERROR(VIR_ERR_INVALID_CONN, VIR_FROM_NONE, "invalid connection pointer in virConnectClose");
    CHECK(virConnectRef(NULL) == -1);
    CHECK_ERROR(VIR_ERR_INVALID_CONN, VIR_FROM_DOMAIN, "invalid connection pointer in virConnectRef");
    CHECK(virConnectGetURI(NULL) == NULL);
    CHECK_ERROR(VIR_ERR_INVALID_CONN, VIR_FROM_DOMAIN, "invalid connection pointer in virConnectGetURI");

    return report("open");
}
