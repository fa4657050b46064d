/* Where an error goes: the connection's handler, else the global one, else the
 * default handler, which prints to stderr exactly as libvirt does. */
#include "check.h"

static char last_seen[64];
static virErrorPtr last_err;

static void record(void *data, virErrorPtr err)
{
    snprintf(last_seen, sizeof(last_seen), "%s:%d", data ? (const char *)data : "(null)", err->code);
    last_err = err;
}

/* What the default handler prints for `err`. */
static char *printed(virErrorPtr err)
{
    Capture c;
    capture_start(&c);
    virDefaultErrorFunc(err);
    return capture_end(&c);
}

#define CHECK_PRINTED(err, want) \
    do { \
        char *got_ = printed(err); \
        CHECK_STR(got_, want); \
        free(got_); \
    } while (0)

static void default_format(void)
{
    virError e;

    memset(&e, 0, sizeof(e));
    e.code = VIR_ERR_NO_DOMAIN;
    e.domain = VIR_FROM_TEST;
    e.level = VIR_ERR_ERROR;
    e.message = (char *)"Domain not found";
    CHECK_PRINTED(&e, "libvirt: Test Driver error : Domain not found\n");
    e.level = VIR_ERR_WARNING;
    CHECK_PRINTED(&e, "libvirt: Test Driver warning : Domain not found\n");
    e.level = VIR_ERR_NONE;
    CHECK_PRINTED(&e, "libvirt: Test Driver  : Domain not found\n");
    e.level = VIR_ERR_ERROR;
    e.domain = VIR_FROM_NONE;
    CHECK_PRINTED(&e, "libvirt:  error : Domain not found\n");
    e.domain = 1000;
    CHECK_PRINTED(&e, "libvirt: Unknown error : Domain not found\n");
    e.domain = VIR_FROM_DOM;
    CHECK_PRINTED(&e, "libvirt: Domain error : Domain not found\n");
    e.domain = VIR_FROM_DOMAIN;
    CHECK_PRINTED(&e, "libvirt: Domain Config error : Domain not found\n");
    e.domain = VIR_FROM_HYPERV;
    CHECK_PRINTED(&e, "libvirt: Hyper-V Driver error : Domain not found\n");
    e.message = (char *)"ends in a newline\n";
    CHECK_PRINTED(&e, "libvirt: Hyper-V Driver error : ends in a newline\n");
    e.message = (char *)"";
    CHECK_PRINTED(&e, "libvirt: Hyper-V Driver error : \n");
    /* XML parser details carry a line number, and no newline is added. */
    e.domain = VIR_FROM_XML;
    e.code = VIR_ERR_XML_DETAIL;
    e.int1 = 5;
    e.message = (char *)"bad tag";
    CHECK_PRINTED(&e, "libvirt: XML Util error : line 5: bad tag");
    e.int1 = 0;
    CHECK_PRINTED(&e, "libvirt: XML Util error : bad tag\n");
    /* No error, nothing printed. */
    e.code = VIR_ERR_OK;
    CHECK_PRINTED(&e, "");
    CHECK_PRINTED(NULL, "");
}

/* What a failing call prints through the default handler. */
#define CHECK_CALL_PRINTS(call, want) \
    do { \
        Capture c_; \
        char *got_; \
        capture_start(&c_); \
        call; \
        got_ = capture_end(&c_); \
        CHECK_STR(got_, want); \
        free(got_); \
    } while (0)

int main(void)
{
    virConnectPtr conn, other;
    virDomainInfo info;

    default_format();

    conn = virConnectOpen("test:///default");
    other = virConnectOpen("test:///default");
    CHECK(conn != NULL && other != NULL);

    /* No handler: the default one, for errors with and without a connection. */
    CHECK_CALL_PRINTS(virConnectGetType(NULL),
                      "libvirt: Domain Config error : invalid connection pointer in virConnectGetType\n");
    CHECK_CALL_PRINTS(virDomainGetInfo(NULL, &info),
                      "libvirt: Domain error : invalid domain pointer in virDomainGetInfo\n");
    CHECK_CALL_PRINTS(virConnectClose(NULL), "libvirt:  error : invalid connection pointer in virConnectClose\n");
    CHECK_CALL_PRINTS(virDomainLookupByName(conn, NULL),
                      "libvirt: Domain Config error : name in virDomainLookupByName must not be NULL\n");
    CHECK_CALL_PRINTS(virConnectGetType(conn), "");

    /* The global handler gets the thread's error itself, and its data. */
    virSetErrorFunc((void *)"global", record);
    CHECK_CALL_PRINTS(virConnectGetType(NULL), "");
    CHECK_STR(last_seen, "global:6");
    CHECK(last_err == virGetLastError());

    /* A connection's handler takes that connection's errors only. */
    virConnSetErrorFunc(conn, (void *)"conn", record);
    virDomainLookupByName(conn, NULL);
    CHECK_STR(last_seen, "conn:8");
    CHECK(last_err == virGetLastError());
    virDomainLookupByName(other, NULL);
    CHECK_STR(last_seen, "global:8");
    virConnectGetType(NULL);
    CHECK_STR(last_seen, "global:6");

    /* A NULL connection handler hands errors back to the global one, whatever the data. */
    virConnSetErrorFunc(conn, (void *)"ignored", NULL);
    virDomainLookupByName(conn, NULL);
    CHECK_STR(last_seen, "global:8");

    /* A NULL global handler restores the default, whatever the data. */
    last_seen[0] = '\0';
    virSetErrorFunc((void *)"ignored", NULL);
    CHECK_CALL_PRINTS(virDomainLookupByName(conn, NULL),
                      "libvirt: Domain Config error : name in virDomainLookupByName must not be NULL\n");
    CHECK_STR(last_seen, "");

    /* A connection handler still wins with the default global one. */
    virConnSetErrorFunc(conn, (void *)"conn", record);
    CHECK_CALL_PRINTS(virDomainLookupByName(conn, NULL), "");
    CHECK_STR(last_seen, "conn:8");

    virConnectClose(other);
    virConnectClose(conn);
    return report("dispatch");
}
