/* Each fault the simulator injects gives its libvirt error within the URI's
 * timeout, and the connection works again afterwards. */
#include "check.h"
#include "sim.h"

/* virConnectNumOfDomains under the fault: its error code and a piece of its message. */
static void expect(struct sim *sim, virConnectPtr conn, const char *kind, const char *extra, int code,
                   const char *text, double within)
{
    double start;
    virErrorPtr e;

    sim_fault(sim, kind, 1, extra);
    start = now_seconds();
    CHECK_INT(virConnectNumOfDomains(conn), -1);
    if (now_seconds() - start > within) {
        fprintf(stderr, "fault %s took %.1f s\n", kind, now_seconds() - start);
        failures++;
    }
    e = virGetLastError();
    CHECK(e != NULL);
    if (e) {
        if (e->code != code || e->domain != VIR_FROM_HYPERV || !strstr(e->message, text)) {
            fprintf(stderr, "fault %s: code %d domain %d: %s\n", kind, e->code, e->domain, e->message);
            failures++;
        }
    }
    /* The next call is served normally. */
    CHECK_INT(virConnectNumOfDomains(conn), 1);
}

int main(int argc, char **argv)
{
    struct sim sim;
    virConnectPtr conn;
    char uri[512];
    struct answers a = {"administrator", "Passw0rd!", 0, 0, "", ""};

    if (argc < 2) {
        fprintf(stderr, "usage: %s path/to/hyperv_sim.py\n", argv[0]);
        return 2;
    }
    virSetErrorFunc(NULL, quiet);
    sim = sim_start(argv[1], NULL);

    /* At open. */
    sim_uri(&sim, uri, sizeof(uri), NULL, "&timeout=2");
    sim_fault(&sim, "401", 1, NULL);
    CHECK(open_as(uri, &a) == NULL);
    CHECK_INT(virGetLastError() ? virGetLastError()->code : 0, VIR_ERR_AUTH_FAILED);
    sim_fault(&sim, "500", 1, NULL);
    CHECK(open_as(uri, &a) == NULL);
    CHECK_INT(virGetLastError() ? virGetLastError()->code : 0, VIR_ERR_INTERNAL_ERROR);

    conn = sim_open(&sim, "&timeout=2");
    expect(&sim, conn, "401", NULL, VIR_ERR_AUTH_FAILED, "refused the credentials of 'administrator' (HTTP 401)", 1);
    expect(&sim, conn, "500", NULL, VIR_ERR_INTERNAL_ERROR, "SOAP fault during enumeration: code 'Receiver'", 1);
    expect(&sim, conn, "malformed", NULL, VIR_ERR_INTERNAL_ERROR, "Malformed response during enumeration", 1);
    expect(&sim, conn, "reset", NULL, VIR_ERR_INTERNAL_ERROR, "Transport error during enumeration", 1);
    expect(&sim, conn, "stall", ", \"seconds\": 4", VIR_ERR_OPERATION_TIMEOUT,
           "no response from 127.0.0.1", 3.5);
    expect(&sim, conn, "oversized", ", \"bytes\": 34000000", VIR_ERR_INTERNAL_ERROR, "exceeds 33554432 bytes", 2);

    /* A job-polling call survives nothing: the error comes from the poll. */
    CHECK_INT(virConnectClose(conn), 0);
    sim_stop(&sim);
    return finish("hyperv-faults");
}
