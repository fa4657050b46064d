/* Opening hyperv:// against the simulator over HTTP: libvirt's URI and credential
 * rules, the host calls, and what each costs in requests. */
#include "check.h"
#include "sim.h"

static const char caps[] =
    "<capabilities>\n\n  <host>\n    <uuid>4c4c4544-0042-4810-8057-b4c04f4e3332</uuid>\n"
    "    <cpu>\n      <arch>x86_64</arch>\n    </cpu>\n    <power_management/>\n"
    "    <iommu support='no'/>\n  </host>\n\n"
    "  <guest>\n    <os_type>hvm</os_type>\n    <arch name='i686'>\n      <wordsize>32</wordsize>\n"
    "      <domain type='hyperv'/>\n    </arch>\n  </guest>\n\n"
    "  <guest>\n    <os_type>hvm</os_type>\n    <arch name='x86_64'>\n      <wordsize>64</wordsize>\n"
    "      <domain type='hyperv'/>\n    </arch>\n  </guest>\n\n</capabilities>\n";

static void credentials(struct sim *sim)
{
    char uri[512], want[512];
    struct answers a = {"administrator", "Passw0rd!", 0, 0, "", ""};
    struct answers wrong = {"administrator", "nope", 0, 0, "", ""};
    struct answers no_user = {NULL, "Passw0rd!", 0, 0, "", ""};
    virConnectAuth passphrase_only = {cred_types + 1, 1, answer, &a};
    virConnectAuth no_callback = {cred_types, 2, NULL, NULL};
    virConnectPtr conn;
    char *got;

    sim_uri(sim, uri, sizeof(uri), NULL, NULL);
    /* libvirt's driver insists on a callback, even if auth.conf would answer. */
    CHECK(virConnectOpen(uri) == NULL);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_HYPERV, "invalid argument: Missing or invalid auth pointer");
    CHECK(virConnectOpenAuth(uri, &no_callback, 0) == NULL);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_HYPERV, "invalid argument: Missing or invalid auth pointer");

    /* The user name is asked with the host as challenge and "administrator" offered. */
    sim_reset_stats(sim);
    conn = open_as(uri, &a);
    CHECK(conn != NULL);
    CHECK_INT(a.asked_user, 1);
    CHECK_INT(a.asked_password, 1);
    CHECK_STR(a.challenge, "127.0.0.1");
    CHECK_STR(a.default_user, "administrator");
    CHECK(sim_requests(sim) <= 3);
    CHECK_INT(sim_requests(sim), 1);
    /* The default port is written back into the URI. */
    got = virConnectGetURI(conn);
    snprintf(want, sizeof(want), "hyperv://127.0.0.1:%d/?transport=http", sim->port);
    CHECK_STR(got, want);
    free(got);
    virConnectClose(conn);

    /* A user in the URI is not asked for. */
    a.asked_user = a.asked_password = 0;
    sim_uri(sim, uri, sizeof(uri), "administrator", NULL);
    conn = open_as(uri, &a);
    CHECK(conn != NULL);
    CHECK_INT(a.asked_user, 0);
    CHECK_INT(a.asked_password, 1);
    virConnectClose(conn);

    CHECK(open_as(uri, &wrong) == NULL);
    {
        virErrorPtr e = virGetLastError();
        CHECK(e != NULL);
        if (e) {
            CHECK_INT(e->code, VIR_ERR_AUTH_FAILED);
            CHECK_INT(e->domain, VIR_FROM_HYPERV);
            CHECK(strstr(e->message, "refused the credentials of 'administrator'") != NULL);
        }
    }

    /* A callback that cannot give a user name. */
    sim_uri(sim, uri, sizeof(uri), NULL, NULL);
    CHECK(virConnectOpenAuth(uri, &passphrase_only, 0) == NULL);
    CHECK_ERROR(VIR_ERR_AUTH_FAILED, VIR_FROM_AUTH, "authentication failed: Missing VIR_CRED_AUTHNAME credential type");
    /* A callback that fails. */
    CHECK(open_as(uri, &no_user) == NULL);
    CHECK_ERROR(VIR_ERR_AUTH_FAILED, VIR_FROM_AUTH, "authentication failed: Username request failed");
}

static void uri_rules(struct sim *sim)
{
    char uri[512];
    struct answers a = {"administrator", "Passw0rd!", 0, 0, "", ""};
    double start;

    snprintf(uri, sizeof(uri), "hyperv://127.0.0.1:%d/?transport=ftp", sim->port);
    CHECK(open_as(uri, &a) == NULL);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_HYPERV,
                "invalid argument: Query parameter 'transport' has unexpected value 'ftp' (should be http|https)");
    CHECK(open_as("hyperv:///", &a) == NULL);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_HYPERV, "invalid argument: URI is missing the server part");
    snprintf(uri, sizeof(uri), "hyperv://127.0.0.1:%d/?transport=http&timeout=soon", sim->port);
    CHECK(open_as(uri, &a) == NULL);
    CHECK_INT(virGetLastError() ? virGetLastError()->code : 0, VIR_ERR_INVALID_ARG);
    snprintf(uri, sizeof(uri), "hyperv://127.0.0.1:%d/?transport=http", sim->port);
    {
        virConnectAuth auth = {cred_types, 2, answer, &a};
        CHECK(virConnectOpenAuth(uri, &auth, 1 << 5) == NULL);
    }
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_HYPERV, "unsupported flags (0x20) in function hypervConnectOpen");

    /* Nobody listens on port 1: a clear error, at once. */
    start = now_seconds();
    CHECK(open_as("hyperv://127.0.0.1:1/?transport=http", &a) == NULL);
    CHECK(now_seconds() - start < 5);
    {
        virErrorPtr e = virGetLastError();
        CHECK(e && e->code == VIR_ERR_INTERNAL_ERROR && strstr(e->message, "cannot connect to 127.0.0.1:1"));
    }
}

static void host_calls(struct sim *sim)
{
    virConnectPtr conn = sim_open(sim, NULL);
    unsigned long version = 0;
    virNodeInfo node;
    char *text;

    sim_reset_stats(sim);
    CHECK_STR(virConnectGetType(conn), "Hyper-V");
    CHECK_INT(virConnectGetVersion(conn, &version), 0);
    CHECK_INT(version, 1000017763UL); /* 10.0.17763, packed as libvirt packs it */
    CHECK_INT(virConnectIsEncrypted(conn), 0);
    CHECK_INT(virConnectIsSecure(conn), 0);
    CHECK_INT(virConnectIsAlive(conn), 1);
    CHECK_INT(sim_requests(sim), 0);

    text = virConnectGetHostname(conn);
    CHECK_STR(text, "HV-SIM01");
    free(text);
    text = virConnectGetCapabilities(conn);
    CHECK_STR(text, caps);
    free(text);
    CHECK_INT(virConnectGetMaxVcpus(conn, NULL), 240);
    CHECK_INT(virNodeGetFreeMemory(conn), 49152ULL * 1024 * 1024);
    CHECK_INT(sim_requests(sim), 4);

    sim_reset_stats(sim);
    CHECK_INT(virNodeGetInfo(conn, &node), 0);
    CHECK_STR(node.model, "Intel Xeon CPU E5-2630 v3");
    CHECK_INT(node.memory, 65536UL * 1024);
    CHECK_INT(node.mhz, 2400);
    CHECK_INT(node.nodes, 1);
    CHECK_INT(node.sockets, 1);
    CHECK_INT(node.cores, 8);
    CHECK_INT(node.threads, 2);
    CHECK_INT(node.cpus, 8);
    CHECK_INT(sim_requests(sim), 2);
    CHECK_INT(virConnectClose(conn), 0);
}

int main(int argc, char **argv)
{
    struct sim sim;
    if (argc < 2) {
        fprintf(stderr, "usage: %s path/to/hyperv_sim.py\n", argv[0]);
        return 2;
    }
    virSetErrorFunc(NULL, quiet);
    sim = sim_start(argv[1], NULL);
    credentials(&sim);
    uri_rules(&sim);
    host_calls(&sim);
    sim_stop(&sim);
    return finish("hyperv-connect");
}
