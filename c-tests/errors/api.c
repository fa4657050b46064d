/* The virterror API: the thread's last error, copies, the connection's copy. */
#include <pthread.h>
#include "check.h"

static int handled;

static void count(void *data, virErrorPtr err)
{
    (void)data;
    (void)err;
    handled++;
}

static void no_error_yet(void)
{
    virError copy;
    virErrorPtr saved;

    CHECK(virGetLastError() == NULL);
    CHECK_STR(virGetLastErrorMessage(), "no error");
    CHECK(virGetLastErrorCode() == VIR_ERR_OK);
    CHECK(virGetLastErrorDomain() == VIR_FROM_NONE);

    memset(&copy, 0x55, sizeof(copy));
    CHECK(virCopyLastError(&copy) == VIR_ERR_OK);
    CHECK(copy.code == 0 && copy.domain == 0 && copy.message == NULL && copy.str1 == NULL);
    CHECK(virCopyLastError(NULL) == -1);

    saved = virSaveLastError();
    CHECK(saved != NULL);
    if (saved)
        CHECK(saved->code == VIR_ERR_OK && saved->message == NULL);
    virFreeError(saved);
    virFreeError(NULL);
    virResetError(NULL);
}

static void *other_thread(void *arg)
{
    int *ok = arg;

    /* The main thread's error is not ours. */
    *ok = virGetLastError() == NULL && strcmp(virGetLastErrorMessage(), "no error") == 0;
    virConnectGetType(NULL);
    *ok = *ok && virGetLastErrorCode() == VIR_ERR_INVALID_CONN;
    return NULL;
}

int main(void)
{
    virConnectPtr conn;
    virErrorPtr err, first, conn_err;
    virError copy;
    virErrorPtr saved;
    pthread_t thread;
    int thread_ok = 0;

    virSetErrorFunc(NULL, count);
    /* (Real libvirt's error storage is only usable once it is initialised.) */
    conn = virConnectOpen("test:///default");
    CHECK(conn != NULL);
    no_error_yet();

    /* A bad handle: libvirt's message, str1 = template, str2 = function. */
    CHECK(virConnectGetType(NULL) == NULL);
    CHECK_ERROR(VIR_ERR_INVALID_CONN, VIR_FROM_DOMAIN, "invalid connection pointer in virConnectGetType");
    first = virGetLastError();
    CHECK_EXTRA(first, "invalid connection pointer in %s", "virConnectGetType", NULL, -1, -1);
    CHECK_STR(virGetLastErrorMessage(), "invalid connection pointer in virConnectGetType");
    CHECK(virGetLastErrorCode() == VIR_ERR_INVALID_CONN);
    CHECK(virGetLastErrorDomain() == VIR_FROM_DOMAIN);
    CHECK(handled == 1);

    /* virterror calls read the error; none of them resets it. */
    virGetLastErrorMessage();
    virCopyLastError(&copy);
    virResetError(&copy);
    virFreeError(virSaveLastError());
    virConnGetLastError(conn);
    virConnCopyLastError(conn, &copy);
    virResetError(&copy);
    virSetErrorFunc(NULL, count);
    virConnSetErrorFunc(conn, NULL, NULL);
    CHECK(virGetLastErrorCode() == VIR_ERR_INVALID_CONN);

    /* A NULL argument: the message stands alone, str1 = function, str2 = argument,
     * and the error is copied to the connection. */
    CHECK(virDomainLookupByName(conn, NULL) == NULL);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN, "name in virDomainLookupByName must not be NULL");
    err = virGetLastError();
    CHECK(err == first); /* the same thread-local object */
    CHECK_EXTRA(err, "virDomainLookupByName", "name", NULL, 0, 0);

    /* Deep copies. */
    memset(&copy, 0, sizeof(copy));
    CHECK(virCopyLastError(&copy) == VIR_ERR_INVALID_ARG);
    CHECK(copy.message != err->message);
    CHECK_STR(copy.message, "name in virDomainLookupByName must not be NULL");
    CHECK_EXTRA(&copy, "virDomainLookupByName", "name", NULL, 0, 0);
    virResetError(&copy);
    CHECK(copy.code == 0 && copy.message == NULL && copy.str1 == NULL);
    saved = virSaveLastError();
    CHECK(saved != NULL && saved->code == VIR_ERR_INVALID_ARG && saved->domain == VIR_FROM_DOMAIN);
    CHECK_STR(saved->message, "name in virDomainLookupByName must not be NULL");
    virFreeError(saved);

    /* The connection's copy; errors without a connection leave it alone. */
    conn_err = virConnGetLastError(conn);
    CHECK(conn_err != NULL && conn_err != err);
    if (conn_err) {
        CHECK(conn_err->code == VIR_ERR_INVALID_ARG && conn_err->domain == VIR_FROM_DOMAIN);
        CHECK_STR(conn_err->message, "name in virDomainLookupByName must not be NULL");
    }
    virConnectGetType(NULL);
    CHECK(virConnGetLastError(conn) == conn_err);
    CHECK(conn_err->code == VIR_ERR_INVALID_ARG);
    CHECK(virConnCopyLastError(conn, &copy) == VIR_ERR_INVALID_ARG);
    CHECK_STR(copy.message, "name in virDomainLookupByName must not be NULL");
    virResetError(&copy);
    CHECK(virConnCopyLastError(NULL, &copy) == -1);
    CHECK(virConnGetLastError(NULL) == NULL);
    /* A success does not clear it, a reset does (and only it). */
    CHECK(virConnectGetType(conn) != NULL);
    CHECK(virGetLastError() == NULL);
    CHECK(conn_err->code == VIR_ERR_INVALID_ARG);
    virConnectGetType(NULL);
    virConnResetLastError(conn);
    CHECK(virConnGetLastError(conn) == conn_err && conn_err->code == VIR_ERR_OK);
    CHECK(virConnCopyLastError(conn, &copy) == 0);
    CHECK(virGetLastErrorCode() == VIR_ERR_INVALID_CONN);
    virConnResetLastError(NULL);

    /* Errors are per thread. */
    virConnectGetType(NULL);
    CHECK(pthread_create(&thread, NULL, other_thread, &thread_ok) == 0);
    pthread_join(thread, NULL);
    CHECK(thread_ok);
    CHECK(virGetLastErrorCode() == VIR_ERR_INVALID_CONN);

    /* Every public call starts by clearing the last error. */
    CHECK(virConnectGetType(conn) != NULL);
    CHECK(virGetLastError() == NULL);
    virConnectGetType(NULL);
    virResetLastError();
    CHECK(virGetLastError() == NULL);
    CHECK_STR(virGetLastErrorMessage(), "no error");

    CHECK(virConnectClose(conn) == 0);
    return report("api");
}
