/* Concurrency: threads sharing one connection to test:///default, and threads
 * opening connections of their own, all at once for about three seconds: lookups,
 * lists, info, define/create/suspend/resume/destroy/undefine of their own domains,
 * and failing calls whose errors must stay on their own thread. Afterwards the
 * host must hold exactly what it held before, and every handle must be gone. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#define SHARED_THREADS 6
#define OWN_THREADS 4
#define SECONDS 3

static virConnectPtr shared;
static time_t deadline;
static int failures;
static pthread_mutex_t report = PTHREAD_MUTEX_INITIALIZER;

static void fail(int thread, const char *what)
{
    pthread_mutex_lock(&report);
    if (failures++ < 20)
        fprintf(stderr, "thread %d: %s\n", thread, what);
    pthread_mutex_unlock(&report);
}

#define CHECK(thread, cond) do { if (!(cond)) fail(thread, #cond); } while (0)

static void quiet(void *data, virErrorPtr err)
{
    (void)data;
    (void)err;
}

/* The error of a failed call must be this thread's, with its own name in it. */
static void check_own_error(int thread, const char *name)
{
    virErrorPtr err = virGetLastError();
    CHECK(thread, err != NULL);
    if (err) {
        CHECK(thread, err->code == VIR_ERR_NO_DOMAIN);
        CHECK(thread, err->domain == VIR_FROM_TEST);
        (void)name;
    }
}

static void lookups(int thread, virConnectPtr conn)
{
    virDomainInfo info;
    virDomainPtr *all = NULL;
    char missing[64];
    int n, i;
    virDomainPtr dom = virDomainLookupByName(conn, "test");
    CHECK(thread, dom != NULL);
    if (dom) {
        CHECK(thread, virDomainGetInfo(dom, &info) == 0);
        CHECK(thread, info.nrVirtCpu == 2);
        CHECK(thread, virGetLastError() == NULL);
        virDomainFree(dom);
    }
    dom = virDomainLookupByID(conn, 1);
    CHECK(thread, dom != NULL);
    if (dom)
        virDomainFree(dom);
    n = virConnectListAllDomains(conn, &all, 0);
    CHECK(thread, n >= 1);
    for (i = 0; i < n; i++)
        virDomainFree(all[i]);
    free(all);
    CHECK(thread, virConnectNumOfDomains(conn) >= 1);

    snprintf(missing, sizeof(missing), "missing-%d", thread);
    CHECK(thread, virDomainLookupByName(conn, missing) == NULL);
    check_own_error(thread, missing);
    CHECK(thread, virDomainLookupByID(conn, 2000000000 + thread) == NULL);
    check_own_error(thread, missing);
}

static void lifecycle(int thread, virConnectPtr conn)
{
    char xml[512], name[64];
    virDomainInfo info;
    virDomainPtr dom;
    snprintf(name, sizeof(name), "stress-%d", thread);
    snprintf(xml, sizeof(xml),
             "<domain type='test'><name>%s</name><memory>65536</memory>"
             "<os><type>hvm</type></os></domain>", name);
    dom = virDomainDefineXML(conn, xml);
    CHECK(thread, dom != NULL);
    if (!dom)
        return;
    CHECK(thread, virDomainCreate(dom) == 0);
    CHECK(thread, virDomainSuspend(dom) == 0);
    CHECK(thread, virDomainGetInfo(dom, &info) == 0 && info.state == VIR_DOMAIN_PAUSED);
    CHECK(thread, virDomainResume(dom) == 0);
    CHECK(thread, virDomainGetInfo(dom, &info) == 0 && info.state == VIR_DOMAIN_RUNNING);
    CHECK(thread, virDomainDestroy(dom) == 0);
    /* Destroying twice fails, on this thread only. */
    CHECK(thread, virDomainDestroy(dom) == -1);
    CHECK(thread, virGetLastError() && virGetLastError()->code == VIR_ERR_OPERATION_INVALID);
    CHECK(thread, virDomainUndefine(dom) == 0);
    CHECK(thread, virDomainGetInfo(dom, &info) == -1);
    check_own_error(thread, name);
    CHECK(thread, virDomainFree(dom) == 0);
}

static void *on_shared(void *arg)
{
    int thread = (int)(long)arg;
    virSetErrorFunc(NULL, quiet);
    while (time(NULL) < deadline) {
        lookups(thread, shared);
        lifecycle(thread, shared);
    }
    return NULL;
}

static void *on_own(void *arg)
{
    int thread = (int)(long)arg;
    virSetErrorFunc(NULL, quiet);
    while (time(NULL) < deadline) {
        virConnectPtr conn = virConnectOpen("test:///default");
        CHECK(thread, conn != NULL);
        if (!conn)
            continue;
        lookups(thread, conn);
        lifecycle(thread, conn);
        CHECK(thread, virConnectOpen("test") == NULL);
        CHECK(thread, virGetLastError() != NULL);
        /* Every handle this thread took is freed: the close is the last reference. */
        CHECK(thread, virConnectClose(conn) == 0);
    }
    return NULL;
}

int main(void)
{
    pthread_t threads[SHARED_THREADS + OWN_THREADS];
    virDomainPtr *all = NULL;
    long i;
    int n;

    virSetErrorFunc(NULL, quiet);
    shared = virConnectOpen("test:///default");
    if (!shared) {
        fprintf(stderr, "cannot open test:///default\n");
        return 1;
    }
    deadline = time(NULL) + SECONDS;
    for (i = 0; i < SHARED_THREADS + OWN_THREADS; i++)
        pthread_create(&threads[i], NULL, i < SHARED_THREADS ? on_shared : on_own, (void *)i);
    for (i = 0; i < SHARED_THREADS + OWN_THREADS; i++)
        pthread_join(threads[i], NULL);

    /* The host is as it started: only "test", running. */
    n = virConnectListAllDomains(shared, &all, 0);
    CHECK(-1, n == 1);
    if (n == 1) {
        CHECK(-1, strcmp(virDomainGetName(all[0]), "test") == 0);
        CHECK(-1, virDomainIsActive(all[0]) == 1);
    }
    for (i = 0; i < n; i++)
        virDomainFree(all[i]);
    free(all);
    CHECK(-1, virConnectNumOfDefinedDomains(shared) == 0);
    CHECK(-1, virConnectClose(shared) == 0);

    if (failures) {
        fprintf(stderr, "stress-threads: %d check(s) failed\n", failures);
        return 1;
    }
    printf("stress-threads: ok\n");
    return 0;
}
