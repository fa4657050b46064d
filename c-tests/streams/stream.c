/* Streams as the in-library drivers fill them, through the test driver's
 * screenshot (the PNG libvirt installs in its data directory). Every expectation
 * here is real libvirt 9.0's: `gcc stream.c -lvirt` passes too. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#define SCREENSHOT "/usr/share/libvirt/test-screenshot.png"

static int failures;

#define CHECK(cond) \
    do { \
        if (!(cond)) { \
            printf("%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            failures++; \
        } \
    } while (0)

/* The call failed with this error as the thread's last one. */
#define CHECK_ERROR(code_, domain_, message_) \
    do { \
        virErrorPtr e_ = virGetLastError(); \
        CHECK(e_ != NULL); \
        if (e_) { \
            CHECK(e_->code == (code_)); \
            CHECK(e_->domain == (domain_)); \
            if (strcmp(e_->message, message_) != 0) { \
                printf("%s:%d: message \"%s\", want \"%s\"\n", __FILE__, __LINE__, e_->message, message_); \
                failures++; \
            } \
        } \
    } while (0)

static void quiet(void *opaque, virErrorPtr err)
{
    (void)opaque;
    (void)err;
}

struct sink {
    char *data;
    size_t len;
};

static int collect(virStreamPtr st, const char *data, size_t nbytes, void *opaque)
{
    struct sink *sink = opaque;
    (void)st;
    sink->data = realloc(sink->data, sink->len + nbytes);
    memcpy(sink->data + sink->len, data, nbytes);
    sink->len += nbytes;
    return (int)nbytes;
}

static int refuse(virStreamPtr st, const char *data, size_t nbytes, void *opaque)
{
    (void)st, (void)data, (void)nbytes, (void)opaque;
    errno = EPERM;
    return -1;
}

static size_t asked;
static int one_byte(virStreamPtr st, char *data, size_t nbytes, void *opaque)
{
    (void)st, (void)opaque;
    asked = nbytes;
    data[0] = 'x';
    return 1;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *data = malloc(1 << 20);
    *len = f ? fread(data, 1, 1 << 20, f) : 0;
    if (f)
        fclose(f);
    return data;
}

static virStreamPtr screenshot(virConnectPtr conn, virDomainPtr dom, unsigned int flags)
{
    virStreamPtr st = virStreamNew(conn, flags);
    char *mime = virDomainScreenshot(dom, st, 0, 0);
    CHECK(mime && strcmp(mime, "image/png") == 0);
    free(mime);
    return st;
}

static void test_screenshot(virConnectPtr conn, virDomainPtr dom)
{
    size_t want_len, len = 0;
    char *want = read_file(SCREENSHOT, &want_len);
    char *got = malloc(want_len + 1);
    char buf[16];
    int n;
    virStreamPtr st = screenshot(conn, dom, 0);

    CHECK(want_len == 33443);
    while ((n = virStreamRecv(st, got + len, 1000)) > 0)
        len += n;
    CHECK(n == 0);
    CHECK(len == want_len && memcmp(got, want, len) == 0);
    CHECK(memcmp(got, "\x89PNG\r\n\x1a\n", 8) == 0);
    CHECK(virStreamRecv(st, buf, sizeof(buf)) == 0);
    CHECK(virStreamSend(st, "x", 1) == -1);
    CHECK_ERROR(VIR_ERR_SYSTEM_ERROR, VIR_FROM_STREAMS, "cannot write to stream: Bad file descriptor");
    CHECK(virStreamFinish(st) == 0);
    CHECK(virStreamFinish(st) == 0);
    CHECK(virStreamAbort(st) == 0);
    CHECK(virStreamRecv(st, buf, sizeof(buf)) == -1);
    CHECK_ERROR(VIR_ERR_INTERNAL_ERROR, VIR_FROM_STREAMS, "internal error: stream is not open");
    CHECK(virStreamSend(st, "x", 1) == -1);
    CHECK_ERROR(VIR_ERR_INTERNAL_ERROR, VIR_FROM_STREAMS, "internal error: stream is not open");
    CHECK(virStreamFree(st) == 0);

    /* A stream may be aborted part way, and a closed one filled again. */
    st = screenshot(conn, dom, VIR_STREAM_NONBLOCK);
    CHECK(virStreamRecv(st, buf, 8) == 8);
    CHECK(virStreamAbort(st) == 0);
    CHECK(virStreamRecv(st, buf, 8) == -1);
    free(virDomainScreenshot(dom, st, 0, 0));
    CHECK(virStreamRecv(st, buf, 8) == 8 && memcmp(buf, want, 8) == 0);
    CHECK(virStreamFree(st) == 0);
    free(want);
    free(got);
}

static void test_unused(virConnectPtr conn)
{
    char buf[16];
    virStreamPtr st = virStreamNew(conn, 0);

    CHECK(st != NULL);
    CHECK(virStreamRecv(st, buf, sizeof(buf)) == -1);
    CHECK_ERROR(VIR_ERR_NO_SUPPORT, VIR_FROM_STREAMS, "this function is not supported by the connection driver: virStreamRecv");
    CHECK(virStreamRecvFlags(st, buf, sizeof(buf), 0) == -1);
    CHECK_ERROR(VIR_ERR_NO_SUPPORT, VIR_FROM_STREAMS, "this function is not supported by the connection driver: virStreamRecvFlags");
    CHECK(virStreamSend(st, "x", 1) == -1);
    CHECK_ERROR(VIR_ERR_NO_SUPPORT, VIR_FROM_STREAMS, "this function is not supported by the connection driver: virStreamSend");
    CHECK(virStreamFinish(st) == -1);
    CHECK_ERROR(VIR_ERR_NO_SUPPORT, VIR_FROM_STREAMS, "this function is not supported by the connection driver: virStreamFinish");
    CHECK(virStreamAbort(st) == 0);
    CHECK(virStreamRecv(st, NULL, 1) == -1);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_STREAMS, "data in virStreamRecv must not be NULL");
    CHECK(virStreamSend(st, NULL, 1) == -1);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_STREAMS, "data in virStreamSend must not be NULL");
    CHECK(virStreamRecvAll(st, NULL, NULL) == -1);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_STREAMS, "handler in virStreamRecvAll must not be NULL");
    CHECK(virStreamFree(st) == 0);

    CHECK(virStreamNew(NULL, 0) == NULL);
    CHECK_ERROR(VIR_ERR_INVALID_CONN, VIR_FROM_STREAMS, "invalid connection pointer in virStreamNew");
    CHECK(virStreamAbort(NULL) == -1);
    CHECK_ERROR(VIR_ERR_INVALID_STREAM, VIR_FROM_STREAMS, "invalid stream pointer in virStreamAbort");
}

static void test_all(virConnectPtr conn, virDomainPtr dom)
{
    struct sink sink = {0};
    virStreamPtr st = screenshot(conn, dom, 0);
    char buf[8];

    CHECK(virStreamRecvAll(st, collect, &sink) == 0);
    CHECK(sink.len == 33443);
    CHECK(virStreamFinish(st) == 0);
    virStreamFree(st);
    free(sink.data);

    /* A failing handler's errno is reported, and the stream aborted. */
    st = screenshot(conn, dom, 0);
    CHECK(virStreamRecvAll(st, refuse, NULL) == -1);
    CHECK_ERROR(VIR_ERR_SYSTEM_ERROR, VIR_FROM_STREAMS, "recv handler failed: Operation not permitted");
    CHECK(virStreamRecv(st, buf, sizeof(buf)) == -1);
    virStreamFree(st);

    st = screenshot(conn, dom, 0);
    CHECK(virStreamSendAll(st, one_byte, NULL) == -1);
    CHECK_ERROR(VIR_ERR_SYSTEM_ERROR, VIR_FROM_STREAMS, "cannot write to stream: Bad file descriptor");
    CHECK(asked == 262120);
    virStreamFree(st);

    st = screenshot(conn, dom, VIR_STREAM_NONBLOCK);
    CHECK(virStreamRecvAll(st, collect, &sink) == -1);
    CHECK_ERROR(VIR_ERR_OPERATION_INVALID, VIR_FROM_STREAMS, "Requested operation is not valid: data sinks cannot be used for non-blocking streams");
    CHECK(virStreamSendAll(st, one_byte, NULL) == -1);
    CHECK_ERROR(VIR_ERR_OPERATION_INVALID, VIR_FROM_STREAMS, "Requested operation is not valid: data sources cannot be used for non-blocking streams");
    CHECK(virStreamRecv(st, buf, sizeof(buf)) == -1);
    CHECK_ERROR(VIR_ERR_INTERNAL_ERROR, VIR_FROM_STREAMS, "internal error: stream is not open");
    virStreamFree(st);
}

static void test_screenshot_args(virConnectPtr conn, virDomainPtr dom)
{
    virConnectPtr other = virConnectOpen("test:///default");
    virConnectPtr ro = virConnectOpenReadOnly("test:///default");
    virDomainPtr ro_dom = virDomainLookupByName(ro, "test");
    virStreamPtr st = virStreamNew(other, 0), ro_st = virStreamNew(ro, 0);

    (void)conn;
    CHECK(virDomainScreenshot(dom, NULL, 0, 0) == NULL);
    CHECK_ERROR(VIR_ERR_INVALID_STREAM, VIR_FROM_STREAMS, "invalid stream pointer in virDomainScreenshot");
    CHECK(virDomainScreenshot(NULL, st, 0, 0) == NULL);
    CHECK_ERROR(VIR_ERR_INVALID_DOMAIN, VIR_FROM_DOM, "invalid domain pointer in virDomainScreenshot");
    CHECK(virDomainScreenshot(dom, st, 0, 0) == NULL);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN, "stream must match connection of domain 'test'");
    CHECK(virDomainScreenshot(ro_dom, ro_st, 0, 0) == NULL);
    CHECK_ERROR(VIR_ERR_OPERATION_DENIED, VIR_FROM_DOMAIN, "operation forbidden: read only access prevents virDomainScreenshot");
    virStreamFree(st);
    virStreamFree(ro_st);
    virDomainFree(ro_dom);
    virConnectClose(ro);
    virConnectClose(other);
}

int main(void)
{
    virConnectPtr conn;
    virDomainPtr dom;

    virSetErrorFunc(NULL, quiet);
    conn = virConnectOpen("test:///default");
    dom = virDomainLookupByName(conn, "test");
    CHECK(conn && dom);
    test_screenshot(conn, dom);
    test_unused(conn);
    test_all(conn, dom);
    test_screenshot_args(conn, dom);
    /* The test driver's image does not depend on the domain running. */
    CHECK(virDomainDestroy(dom) == 0);
    virStreamFree(screenshot(conn, dom, 0));
    virDomainFree(dom);
    virConnectClose(conn);
    if (failures)
        printf("%d failures\n", failures);
    return failures != 0;
}
