/* hyperv:// over HTTPS to the simulator's self-signed certificate: refused by
 * default with a message naming the remedies, accepted with ?cacert=PATH or
 * ?no_verify=1. */
#include "check.h"
#include "sim.h"

int main(int argc, char **argv)
{
    struct sim sim;
    virConnectPtr conn;
    virErrorPtr e;
    char uri[1024], extra[600], cert[256];
    struct answers a = {"administrator", "Passw0rd!", 0, 0, "", ""};
    virDomainPtr dom;
    virDomainInfo info;

    if (argc < 2) {
        fprintf(stderr, "usage: %s path/to/hyperv_sim.py\n", argv[0]);
        return 2;
    }
    virSetErrorFunc(NULL, quiet);
    snprintf(cert, sizeof(cert), "/tmp/ferrovirt-hyperv-ca-%d.pem", (int)getpid());
    sim = sim_start(argv[1], "--https", "--cert-out", cert, NULL);

    sim_uri(&sim, uri, sizeof(uri), NULL, NULL);
    CHECK(open_as(uri, &a) == NULL);
    e = virGetLastError();
    CHECK(e && e->code == VIR_ERR_INTERNAL_ERROR && strstr(e->message, "TLS certificate verification")
          && strstr(e->message, "?cacert=PATH") && strstr(e->message, "?no_verify=1"));

    snprintf(extra, sizeof(extra), "&cacert=%s", cert);
    conn = sim_open(&sim, extra);
    CHECK_INT(virConnectIsEncrypted(conn), 1);
    CHECK_INT(virConnectIsSecure(conn), 1);
    dom = virDomainLookupByName(conn, "web01");
    CHECK(dom != NULL);
    CHECK_INT(virDomainGetInfo(dom, &info), 0);
    CHECK_INT(info.nrVirtCpu, 2);
    virDomainFree(dom);
    virConnectClose(conn);

    conn = sim_open(&sim, "&no_verify=1");
    CHECK_INT(virConnectNumOfDefinedDomains(conn), 3);
    virConnectClose(conn);

    /* An HTTPS port spoken to in plain HTTP. */
    snprintf(uri, sizeof(uri), "hyperv://127.0.0.1:%d/?transport=http&timeout=3", sim.port);
    CHECK(open_as(uri, &a) == NULL);
    CHECK(virGetLastError() != NULL);

    sim_stop(&sim);
    unlink(cert);
    return finish("hyperv-https");
}
