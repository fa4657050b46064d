/* The test driver's hot paths, timed: built once against the system's libvirt and
 * once against ferrovirt by tools/bench-test, which prints the ratios.
 *
 * usage: testdriver default          test:///default calls, ns per call
 *        testdriver file PATH.xml    open PATH, list all, get the XML of each
 * Each line is "NAME VALUE"; the last is the peak RSS in KiB. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void silent(void *data, virErrorPtr err)
{
    (void)data;
    (void)err;
}

static void die(const char *what)
{
    fprintf(stderr, "testdriver: %s failed: %s\n", what, virGetLastErrorMessage());
    exit(1);
}

/* Runs `op` for about `seconds` and prints the mean time of one run in ns. */
static void measure(const char *name, double seconds, void (*op)(virConnectPtr), virConnectPtr conn)
{
    long runs = 0;
    double start = now(), elapsed;
    do {
        for (int i = 0; i < 8; i++)
            op(conn);
        runs += 8;
        elapsed = now() - start;
    } while (elapsed < seconds);
    printf("%s %.0f\n", name, elapsed * 1e9 / runs);
}

static void open_close(virConnectPtr unused)
{
    (void)unused;
    virConnectPtr conn = virConnectOpen("test:///default");
    if (!conn)
        die("virConnectOpen");
    virConnectClose(conn);
}

static void lookup_info(virConnectPtr conn)
{
    virDomainInfo info;
    virDomainPtr dom = virDomainLookupByName(conn, "test");
    if (!dom || virDomainGetInfo(dom, &info) < 0)
        die("lookup+getInfo");
    virDomainFree(dom);
}

static void list_all(virConnectPtr conn)
{
    virDomainPtr *doms = NULL;
    int n = virConnectListAllDomains(conn, &doms, 0);
    if (n < 0)
        die("virConnectListAllDomains");
    for (int i = 0; i < n; i++)
        virDomainFree(doms[i]);
    free(doms);
}

static void failing_lookup(virConnectPtr conn)
{
    if (virDomainLookupByName(conn, "no-such-domain"))
        die("the failing lookup");
}

static const char *file_uri;

/* Open the custom host, list every domain, and get each one's XML. */
static void file_round(virConnectPtr unused)
{
    (void)unused;
    virDomainPtr *doms = NULL;
    virConnectPtr conn = virConnectOpen(file_uri);
    if (!conn)
        die("virConnectOpen of the file");
    int n = virConnectListAllDomains(conn, &doms, 0);
    if (n < 0)
        die("virConnectListAllDomains");
    for (int i = 0; i < n; i++) {
        char *xml = virDomainGetXMLDesc(doms[i], 0);
        if (!xml)
            die("virDomainGetXMLDesc");
        free(xml);
        virDomainFree(doms[i]);
    }
    free(doms);
    virConnectClose(conn);
}

int main(int argc, char **argv)
{
    struct rusage usage;
    virSetErrorFunc(NULL, silent);
    if (argc == 2 && strcmp(argv[1], "default") == 0) {
        virConnectPtr conn = virConnectOpen("test:///default");
        if (!conn)
            die("virConnectOpen");
        measure("open+close", 1.0, open_close, NULL);
        measure("lookup+getInfo+free", 0.5, lookup_info, conn);
        measure("ListAllDomains", 0.5, list_all, conn);
        measure("failing-lookup", 0.5, failing_lookup, conn);
        virConnectClose(conn);
    } else if (argc == 3 && strcmp(argv[1], "file") == 0) {
        static char uri[4096];
        snprintf(uri, sizeof(uri), "test://%s", argv[2]);
        file_uri = uri;
        measure("file:open+list+1000xGetXMLDesc", 2.0, file_round, NULL);
    } else {
        fprintf(stderr, "usage: testdriver default | testdriver file /ABS/PATH.xml\n");
        return 2;
    }
    getrusage(RUSAGE_SELF, &usage);
    printf("peak-RSS-KiB %ld\n", usage.ru_maxrss);
    return 0;
}
