/* virDomainSave/Restore with the test driver's image format, managed save and
 * core dumps: the states, reasons, ids and events libvirt's test driver gives. */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "check.h"

static int events[16][3], nevents;

static void lifecycle(virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque)
{
    (void)conn;
    (void)opaque;
    if (nevents < 16) {
        events[nevents][0] = (int)virDomainGetID(dom);
        events[nevents][1] = event;
        events[nevents][2] = detail;
        nevents++;
    }
}

static void tick(int timer, void *opaque)
{
    (void)timer;
    (void)opaque;
}

/* Runs the event loop once, then requires exactly the one event (id, event, detail), or none. */
static void check_event_at(int line, int id, int event, int detail)
{
    virEventRunDefaultImpl();
    if (event < 0) {
        if (nevents != 0)
            fail_at(__FILE__, line, "an unexpected event");
    } else if (nevents != 1 || events[0][0] != id || events[0][1] != event || events[0][2] != detail) {
        char msg[200];
        snprintf(msg, sizeof(msg), "%d events, first %d/%d/%d, want %d/%d/%d", nevents,
                 events[0][0], events[0][1], events[0][2], id, event, detail);
        fail_at(__FILE__, line, msg);
    }
    nevents = 0;
}
#define CHECK_EVENT(id, event, detail) check_event_at(__LINE__, (id), (event), (detail))
#define CHECK_NO_EVENT() check_event_at(__LINE__, 0, -1, 0)

static void check_state_at(int line, virDomainPtr dom, int state, int reason)
{
    int s = -1, r = -1;
    virDomainGetState(dom, &s, &r, 0);
    if (s != state || r != reason) {
        char msg[100];
        snprintf(msg, sizeof(msg), "state %d/%d, want %d/%d", s, r, state, reason);
        fail_at(__FILE__, line, msg);
    }
}
#define CHECK_STATE(dom, state, reason) check_state_at(__LINE__, (dom), (state), (reason))

/* A short read's error: libvirt appends strerror of whatever errno was left. */
static void check_prefix_at(int line, const char *prefix)
{
    virErrorPtr err = virGetLastError();
    if (!err || err->code != VIR_ERR_SYSTEM_ERROR || err->domain != VIR_FROM_TEST ||
        strncmp(err->message, prefix, strlen(prefix)) != 0)
        fail_at(__FILE__, line, err ? err->message : "no error");
}
#define check_prefix(prefix) check_prefix_at(__LINE__, (prefix))

static void write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    fwrite(data, 1, len, f);
    fclose(f);
}

static void save_and_restore(virConnectPtr conn, const char *dir)
{
    char image[512], bad[512], msg[1024];
    virDomainPtr test = virDomainLookupByName(conn, "test"), again;
    struct stat st;
    char head[20];
    FILE *f;

    snprintf(image, sizeof(image), "%s/test.img", dir);
    CHECK_INT(virDomainSave(test, image), 0);
    CHECK_EVENT(-1, VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_SAVED);
    CHECK_STATE(test, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_SAVED);
    CHECK_INT((int)virDomainGetID(test), -1);
    CHECK_INT(stat(image, &st), 0);
    CHECK_INT(st.st_mode & 0777, 0600);
    f = fopen(image, "rb");
    CHECK_INT(fread(head, 1, 20, f), 20);
    fclose(f);
    CHECK(memcmp(head, "TestGuestMagic\0", 15) == 0);
    CHECK_INT(head[15] | head[16] << 8, st.st_size - 19);
    CHECK(memcmp(head + 19, "<", 1) == 0);

    CHECK_INT(virDomainSave(test, image), -1);
    CHECK_ERROR(VIR_ERR_OPERATION_INVALID, VIR_FROM_DOMAIN, "Requested operation is not valid: domain is not running");

    CHECK_INT(virDomainRestore(conn, image), 0);
    CHECK_EVENT(2, VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_RESTORED);
    CHECK_STATE(test, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_RESTORED);
    again = virDomainLookupByName(conn, "test");
    CHECK_INT(virDomainGetID(again), 2);
    virDomainFree(again);
    CHECK_INT(virDomainRestore(conn, image), -1);
    CHECK_ERROR(VIR_ERR_OPERATION_INVALID, VIR_FROM_DOMAIN,
                "Requested operation is not valid: domain 'test' is already active");

    /* Flags and replacement XML the test driver refuses. */
    CHECK_INT(virDomainSaveFlags(test, image, NULL, VIR_DOMAIN_SAVE_BYPASS_CACHE), -1);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_TEST, "unsupported flags (0x1) in function testDomainSaveFlags");
    CHECK_INT(virDomainSaveFlags(test, image, "<domain/>", 0), -1);
    CHECK_ERROR(VIR_ERR_ARGUMENT_UNSUPPORTED, VIR_FROM_TEST, "argument unsupported: xml modification unsupported");
    CHECK_INT(virDomainRestoreFlags(conn, image, NULL, VIR_DOMAIN_SAVE_RUNNING | VIR_DOMAIN_SAVE_PAUSED), -1);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN,
                "Flags 'VIR_DOMAIN_SAVE_RUNNING' and 'VIR_DOMAIN_SAVE_PAUSED' are mutually exclusive");
    CHECK_INT(virDomainRestoreFlags(conn, image, "<domain/>", 0), -1);
    CHECK_ERROR(VIR_ERR_ARGUMENT_UNSUPPORTED, VIR_FROM_TEST, "argument unsupported: xml modification unsupported");
    CHECK_INT(virDomainSave(test, NULL), -1);
    CHECK_ARG_ERROR(VIR_FROM_DOMAIN, "virDomainSave", "to", "to in virDomainSave must not be NULL");

    /* Images that are not. */
    snprintf(bad, sizeof(bad), "%s/missing", dir);
    CHECK_INT(virDomainRestore(conn, bad), -1);
    snprintf(msg, sizeof(msg), "cannot read domain image '%s': No such file or directory", bad);
    CHECK_ERROR(VIR_ERR_SYSTEM_ERROR, VIR_FROM_TEST, msg);
    snprintf(bad, sizeof(bad), "%s/bad", dir);
    write_file(bad, "garbage-garbage-garbage", 23);
    CHECK_INT(virDomainRestore(conn, bad), -1);
    CHECK_ERROR(VIR_ERR_INTERNAL_ERROR, VIR_FROM_TEST, "internal error: mismatched header magic");
    write_file(bad, "TestGuestMagic\0\xff\xff\xff\x7f", 19);
    CHECK_INT(virDomainRestore(conn, bad), -1);
    CHECK_ERROR(VIR_ERR_INTERNAL_ERROR, VIR_FROM_TEST, "internal error: length of metadata out of range");
    write_file(bad, "TestGuestMagic\0\x20\0\0\0<domain/>", 28);
    CHECK_INT(virDomainRestore(conn, bad), -1);
    snprintf(msg, sizeof(msg), "incomplete metadata in '%s': ", bad);
    check_prefix(msg);
    write_file(bad, "short", 5);
    CHECK_INT(virDomainRestore(conn, bad), -1);
    snprintf(msg, sizeof(msg), "incomplete save header in '%s': ", bad);
    check_prefix(msg);
    CHECK_INT(virDomainSave(test, "/nonexistent/x"), -1);
    CHECK_ERROR(VIR_ERR_SYSTEM_ERROR, VIR_FROM_TEST,
                "saving domain 'test' to '/nonexistent/x': open failed: No such file or directory");
    CHECK_NO_EVENT();
    unlink(bad);
    unlink(image);
    virDomainFree(test);
}

static void managed_save(virConnectPtr conn)
{
    virDomainPtr test = virDomainLookupByName(conn, "test");
    virDomainPtr *doms = NULL;

    CHECK_INT(virDomainHasManagedSaveImage(test, 0), 0);
    CHECK_INT(virDomainManagedSave(test, 0), 0);
    CHECK_EVENT(-1, VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_SAVED);
    CHECK_STATE(test, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_SAVED);
    CHECK_INT(virDomainHasManagedSaveImage(test, 0), 1);
    CHECK_INT(virConnectListAllDomains(conn, &doms, VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE), 1);
    virDomainFree(doms[0]);
    free(doms);
    CHECK_INT(virDomainManagedSave(test, 0), -1);
    CHECK_ERROR(VIR_ERR_OPERATION_INVALID, VIR_FROM_DOMAIN, "Requested operation is not valid: domain is not running");
    CHECK_INT(virDomainUndefine(test), -1);
    CHECK_ERROR(VIR_ERR_OPERATION_INVALID, VIR_FROM_TEST,
                "Requested operation is not valid: Refusing to undefine while domain managed save image exists");
    CHECK_INT(virDomainHasManagedSaveImage(test, 1), -1);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_TEST, "unsupported flags (0x1) in function testDomainHasManagedSaveImage");

    /* Starting boots afresh and drops the image. */
    CHECK_INT(virDomainCreate(test), 0);
    CHECK_EVENT(3, VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_BOOTED);
    CHECK_STATE(test, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED);
    CHECK_INT(virDomainHasManagedSaveImage(test, 0), 0);

    /* A paused domain saves too; removing the image is allowed without one. */
    CHECK_INT(virDomainSuspend(test), 0);
    CHECK_EVENT(3, VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_EVENT_SUSPENDED_PAUSED);
    CHECK_INT(virDomainManagedSave(test, VIR_DOMAIN_SAVE_BYPASS_CACHE), 0);
    CHECK_EVENT(-1, VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_SAVED);
    CHECK_INT(virDomainManagedSaveRemove(test, 0), 0);
    CHECK_INT(virDomainHasManagedSaveImage(test, 0), 0);
    CHECK_INT(virDomainManagedSaveRemove(test, 0), 0);
    CHECK_NO_EVENT();
    CHECK_INT(virDomainCreate(test), 0);
    CHECK_EVENT(4, VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_BOOTED);
    virDomainFree(test);
}

static void transient(virConnectPtr conn, const char *dir)
{
    char image[512];
    virDomainPtr tr = virDomainCreateXML(conn,
        "<domain type='test'><name>tr</name><memory>1048576</memory><os><type>hvm</type></os></domain>", 0);
    virDomainPtr back;

    CHECK_EVENT(5, VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_BOOTED);
    CHECK_INT(virDomainManagedSave(tr, 0), -1);
    CHECK_ERROR(VIR_ERR_OPERATION_INVALID, VIR_FROM_TEST,
                "Requested operation is not valid: cannot do managed save for transient domain");
    snprintf(image, sizeof(image), "%s/tr.img", dir);
    CHECK_INT(virDomainSave(tr, image), 0);
    CHECK_EVENT(5, VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_SAVED);
    CHECK(virDomainLookupByName(conn, "tr") == NULL);
    CHECK_INT(virDomainRestore(conn, image), 0);
    CHECK_EVENT(6, VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_RESTORED);
    back = virDomainLookupByName(conn, "tr");
    CHECK_INT(virDomainIsPersistent(back), 0);
    CHECK_INT(virDomainDestroy(back), 0);
    CHECK_EVENT(6, VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_DESTROYED);
    virDomainFree(back);
    virDomainFree(tr);
    unlink(image);
}

static void core_dump(virConnectPtr conn, const char *dir)
{
    char path[512], head[32];
    virDomainPtr test = virDomainLookupByName(conn, "test");
    FILE *f;

    snprintf(path, sizeof(path), "%s/core", dir);
    CHECK_INT(virDomainCoreDump(test, path, 0), 0);
    CHECK_NO_EVENT();
    f = fopen(path, "rb");
    CHECK_INT(fread(head, 1, sizeof(head), f), 15);
    fclose(f);
    CHECK(memcmp(head, "TestGuestMagic\0", 15) == 0);
    CHECK_INT(virDomainCoreDumpWithFormat(test, path, 1, 0), -1);
    CHECK_ERROR(VIR_ERR_OPERATION_UNSUPPORTED, VIR_FROM_TEST,
                "Operation not supported: kdump-compressed format is not supported here");
    CHECK_INT(virDomainCoreDumpWithFormat(test, path, 5, 0), -1);
    CHECK_ARG_ERROR(VIR_FROM_DOMAIN, "virDomainCoreDumpWithFormat", "flags", "dumpformat '5' is not supported");
    CHECK_INT(virDomainCoreDump(test, path, VIR_DUMP_LIVE), -1);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_TEST, "unsupported flags (0x2) in function testDomainCoreDumpWithFormat");
    CHECK_INT(virDomainCoreDump(test, path, VIR_DUMP_CRASH | VIR_DUMP_LIVE), -1);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN, "Flags 'VIR_DUMP_CRASH' and 'VIR_DUMP_LIVE' are mutually exclusive");
    CHECK_INT(virDomainCoreDump(test, "/nonexistent/core", 0), -1);
    CHECK_ERROR(VIR_ERR_SYSTEM_ERROR, VIR_FROM_TEST,
                "domain 'test' coredump: failed to open /nonexistent/core: No such file or directory");
    CHECK_INT(virDomainCoreDump(test, path, VIR_DUMP_CRASH), 0);
    CHECK_EVENT(-1, VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_CRASHED);
    CHECK_INT((int)virDomainGetID(test), -1);
    CHECK_STATE(test, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_CRASHED);
    CHECK_INT(virDomainCoreDump(test, path, 0), -1);
    CHECK_ERROR(VIR_ERR_OPERATION_INVALID, VIR_FROM_DOMAIN, "Requested operation is not valid: domain is not running");
    unlink(path);
    virDomainFree(test);
}

static void read_only(void)
{
    virConnectPtr ro = virConnectOpenReadOnly("test:///default");
    virDomainPtr test = virDomainLookupByName(ro, "test");
    CHECK_INT(virDomainRestore(ro, "x"), -1);
    CHECK_ERROR(VIR_ERR_OPERATION_DENIED, VIR_FROM_DOMAIN, "operation forbidden: read only access prevents virDomainRestore");
    CHECK_INT(virDomainSave(test, "x"), -1);
    CHECK_ERROR(VIR_ERR_OPERATION_DENIED, VIR_FROM_DOMAIN, "operation forbidden: read only access prevents virDomainSave");
    CHECK_INT(virDomainManagedSave(test, 0), -1);
    CHECK_ERROR(VIR_ERR_OPERATION_DENIED, VIR_FROM_DOMAIN, "operation forbidden: read only access prevents virDomainManagedSave");
    virDomainFree(test);
    virConnectClose(ro);
}

int main(void)
{
    char dir[] = "/tmp/domainextra-XXXXXX";
    virConnectPtr conn;

    virEventRegisterDefaultImpl();
    conn = open_default();
    /* A timer so that each loop iteration returns, event or not. */
    virEventAddTimeout(20, tick, NULL, NULL);
    virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                     VIR_DOMAIN_EVENT_CALLBACK(lifecycle), NULL, NULL);
    if (!mkdtemp(dir))
        return 1;
    save_and_restore(conn, dir);
    managed_save(conn);
    transient(conn, dir);
    core_dump(conn, dir);
    read_only();
    rmdir(dir);
    virConnectClose(conn);
    return finish("domainextra-save");
}
