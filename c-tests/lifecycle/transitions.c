/* Every lifecycle transition of the test driver, and its error where it is not
 * allowed; ids as libvirt assigns them, the handle's id as libvirt updates it;
 * define/undefine/createXML rules; autostart; block and interface statistics. */
#include <sys/time.h>
#include "check.h"

#define FOO_UUID "11111111-2222-3333-4444-555555555555"
#define FOO "<domain type='test'><name>foo</name><uuid>" FOO_UUID "</uuid>" \
            "<memory unit='MiB'>1</memory><os><type>hvm</type></os></domain>"
#define FOO_XML \
    "<domain type='test'%s>\n" \
    "  <name>foo</name>\n" \
    "  <uuid>" FOO_UUID "</uuid>\n" \
    "  <memory unit='KiB'>%s</memory>\n" \
    "  <currentMemory unit='KiB'>%s</currentMemory>\n" \
    "  <vcpu placement='static'>1</vcpu>\n" \
    "  <os>\n" \
    "    <type arch='i686'>hvm</type>\n" \
    "    <boot dev='hd'/>\n" \
    "  </os>\n" \
    "  <clock offset='utc'/>\n" \
    "  <on_poweroff>destroy</on_poweroff>\n" \
    "  <on_reboot>restart</on_reboot>\n" \
    "  <on_crash>destroy</on_crash>\n" \
    "  <devices>\n" \
    "  </devices>\n" \
    "</domain>\n"

static void check_state_at(int line, virDomainPtr dom, int state, int reason, int id)
{
    int got_state = -9, got_reason = -9;
    if (virDomainGetState(dom, &got_state, &got_reason, 0) != 0) {
        fail_at(__FILE__, line, "virDomainGetState failed");
        return;
    }
    if (got_state != state || got_reason != reason || (int)virDomainGetID(dom) != id) {
        char msg[200];
        snprintf(msg, sizeof(msg), "state/reason/id %d/%d/%d, want %d/%d/%d",
                 got_state, got_reason, (int)virDomainGetID(dom), state, reason, id);
        fail_at(__FILE__, line, msg);
    }
}
#define CHECK_STATE(dom, state, reason, id) check_state_at(__LINE__, (dom), (state), (reason), (id))

static void check_xml_at(int line, virDomainPtr dom, unsigned int flags, const char *id_attr, const char *mem)
{
    char want[2048];
    char *got = virDomainGetXMLDesc(dom, flags);
    snprintf(want, sizeof(want), FOO_XML, id_attr, mem, mem);
    check_str_at(__FILE__, line, "XML", got, want);
    free(got);
}
#define CHECK_XML(dom, flags, id_attr, mem) check_xml_at(__LINE__, (dom), (flags), (id_attr), (mem))

static void not_running(void)
{
    CHECK_ERROR(VIR_ERR_OPERATION_INVALID, VIR_FROM_DOMAIN, "Requested operation is not valid: domain is not running");
}

static void transitions(virConnectPtr conn)
{
    virDomainPtr foo = virDomainDefineXML(conn, FOO), other;
    int autostart = -1;

    CHECK(foo != NULL);
    CHECK_STATE(foo, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_UNKNOWN, -1);
    CHECK_INT(virDomainIsPersistent(foo), 1);
    CHECK_INT(virDomainIsActive(foo), 0);
    CHECK_XML(foo, 0, "", "1024");

    /* What an inactive domain refuses. */
    CHECK_INT(virDomainSuspend(foo), -1);
    CHECK_ERROR(VIR_ERR_INTERNAL_ERROR, VIR_FROM_TEST, "internal error: domain 'foo' not running");
    CHECK_INT(virDomainResume(foo), -1);
    CHECK_ERROR(VIR_ERR_INTERNAL_ERROR, VIR_FROM_TEST, "internal error: domain 'foo' not paused");
    CHECK_INT(virDomainShutdown(foo), -1);
    CHECK_ERROR(VIR_ERR_INTERNAL_ERROR, VIR_FROM_TEST, "internal error: domain 'foo' not running");
    CHECK_INT(virDomainReboot(foo, 0), -1);
    not_running();
    CHECK_INT(virDomainReset(foo, 0), -1);
    not_running();
    CHECK_INT(virDomainDestroy(foo), -1);
    not_running();

    /* Start: the next id (the built-in "test" has 1), on this handle only. */
    other = virDomainLookupByName(conn, "foo");
    CHECK_INT(virDomainCreate(foo), 0);
    CHECK_STATE(foo, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED, 2);
    CHECK_INT((int)virDomainGetID(other), -1);
    virDomainFree(other);
    CHECK_XML(foo, 0, " id='2'", "1024");
    CHECK_INT(virDomainCreate(foo), -1);
    CHECK_ERROR(VIR_ERR_INTERNAL_ERROR, VIR_FROM_TEST, "internal error: Domain 'foo' is already running");
    CHECK_INT(virDomainResume(foo), -1);
    CHECK_ERROR(VIR_ERR_INTERNAL_ERROR, VIR_FROM_TEST, "internal error: domain 'foo' not paused");

    /* Pause and resume. */
    CHECK_INT(virDomainSuspend(foo), 0);
    CHECK_STATE(foo, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_USER, 2);
    CHECK_INT(virDomainSuspend(foo), -1);
    CHECK_ERROR(VIR_ERR_INTERNAL_ERROR, VIR_FROM_TEST, "internal error: domain 'foo' not running");
    CHECK_INT(virDomainResume(foo), 0);
    CHECK_STATE(foo, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNPAUSED, 2);

    /* Reset changes nothing; reboot runs it again as booted, paused or not. */
    CHECK_INT(virDomainReset(foo, 0), 0);
    CHECK_STATE(foo, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNPAUSED, 2);
    CHECK_INT(virDomainSuspend(foo), 0);
    CHECK_INT(virDomainReset(foo, 0), 0);
    CHECK_STATE(foo, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_USER, 2);
    CHECK_INT(virDomainReboot(foo, VIR_DOMAIN_REBOOT_ACPI_POWER_BTN), 0);
    CHECK_STATE(foo, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED, 2);
    CHECK_INT(virDomainReboot(foo, 0x20), -1);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_TEST, "unsupported flags (0x20) in function testDomainReboot");
    CHECK_INT(virDomainReset(foo, 1), -1);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_TEST, "unsupported flags (0x1) in function testDomainReset");

    /* A paused domain shuts down. */
    CHECK_INT(virDomainSuspend(foo), 0);
    CHECK_INT(virDomainShutdownFlags(foo, 1), -1);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_TEST, "unsupported flags (0x1) in function testDomainShutdownFlags");
    CHECK_INT(virDomainShutdown(foo), 0);
    CHECK_STATE(foo, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_SHUTDOWN, -1);

    /* Ids only grow. */
    CHECK_INT(virDomainCreateWithFlags(foo, VIR_DOMAIN_START_PAUSED), -1);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_TEST, "unsupported flags (0x1) in function testDomainCreateWithFlags");
    CHECK_INT(virDomainCreateWithFlags(foo, 0), 0);
    CHECK_STATE(foo, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED, 3);
    CHECK_INT(virDomainDestroyFlags(foo, 2), -1);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_TEST, "unsupported flags (0x2) in function testDomainDestroyFlags");
    CHECK_INT(virDomainDestroyFlags(foo, VIR_DOMAIN_DESTROY_GRACEFUL), 0);
    CHECK_STATE(foo, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_DESTROYED, -1);

    /* Autostart, kept for any domain. */
    CHECK_INT(virDomainGetAutostart(foo, &autostart), 0);
    CHECK_INT(autostart, 0);
    CHECK_INT(virDomainSetAutostart(foo, 1), 0);
    CHECK_INT(virDomainGetAutostart(foo, &autostart), 0);
    CHECK_INT(autostart, 1);
    CHECK_INT(virDomainGetAutostart(foo, NULL), -1);
    CHECK_ARG_ERROR(VIR_FROM_DOMAIN, "virDomainGetAutostart", "autostart",
                    "autostart in virDomainGetAutostart must not be NULL");

    /* Undefine: an inactive domain goes, and its handles go stale. */
    CHECK_INT(virDomainUndefineFlags(foo, 4), -1);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_TEST, "unsupported flags (0x4) in function testDomainUndefineFlags");
    CHECK_INT(virDomainUndefine(foo), 0);
    CHECK(virDomainLookupByName(conn, "foo") == NULL);
    CHECK_INT(virDomainUndefine(foo), -1);
    CHECK_ERROR(VIR_ERR_NO_DOMAIN, VIR_FROM_TEST,
                "Domain not found: no domain with matching uuid '" FOO_UUID "' (foo)");
    virDomainFree(foo);
}

static void definitions(virConnectPtr conn)
{
    virDomainPtr foo = virDomainDefineXML(conn, FOO), again, live;

    /* Redefining updates; another name or UUID is refused. */
    again = virDomainDefineXMLFlags(conn,
        "<domain type='test'><name>foo</name><uuid>" FOO_UUID "</uuid><memory>2048</memory>"
        "<os><type>hvm</type></os></domain>", VIR_DOMAIN_DEFINE_VALIDATE);
    CHECK(again != NULL);
    CHECK_INT(virDomainGetMaxMemory(foo), 2048);
    virDomainFree(again);
    CHECK(virDomainDefineXML(conn, "<domain type='test'><name>bar</name><uuid>" FOO_UUID "</uuid>"
                                   "<memory>1024</memory><os><type>hvm</type></os></domain>") == NULL);
    CHECK_ERROR(VIR_ERR_OPERATION_FAILED, VIR_FROM_DOMAIN,
                "operation failed: domain 'foo' is already defined with uuid " FOO_UUID);
    CHECK(virDomainDefineXML(conn, "<domain type='test'><name>foo</name>"
                                   "<memory>1024</memory><os><type>hvm</type></os></domain>") == NULL);
    CHECK_ERROR(VIR_ERR_OPERATION_FAILED, VIR_FROM_DOMAIN,
                "operation failed: domain 'foo' already exists with uuid " FOO_UUID);
    CHECK(virDomainDefineXMLFlags(conn, FOO, 2) == NULL);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_TEST, "unsupported flags (0x2) in function testDomainDefineXMLFlags");

    /* Definitions libvirt's parser refuses. */
    CHECK(virDomainDefineXML(conn, "<foo/>") == NULL);
    CHECK_ERROR(VIR_ERR_XML_ERROR, VIR_FROM_XML, "XML error: expecting root element of 'domain', not 'foo'");
    CHECK(virDomainDefineXML(conn, "<domain><name>x</name><memory>1</memory><os><type>hvm</type></os></domain>") == NULL);
    CHECK_ERROR(VIR_ERR_INTERNAL_ERROR, VIR_FROM_DOMAIN, "internal error: missing domain type attribute");
    CHECK(virDomainDefineXML(conn, "<domain type='test'><memory>1</memory><os><type>hvm</type></os></domain>") == NULL);
    CHECK_ERROR(VIR_ERR_NO_NAME, VIR_FROM_DOMAIN, "missing name information");
    CHECK(virDomainDefineXML(conn, "<domain type='test'><name>x</name><os><type>hvm</type></os></domain>") == NULL);
    CHECK_ERROR(VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN,
                "XML error: Memory size must be specified via <memory> or in the <numa> configuration");
    CHECK(virDomainDefineXML(conn, "<domain type='test'><name>x</name><memory>1</memory></domain>") == NULL);
    CHECK_ERROR(VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN, "XML error: an os <type> must be specified");
    CHECK(virDomainDefineXML(conn, NULL) == NULL);
    CHECK_ARG_ERROR(VIR_FROM_DOMAIN, "virDomainDefineXML", "xml", "xml in virDomainDefineXML must not be NULL");

    /* createXML over an inactive domain runs the new definition; the handle
     * used to define keeps its id, and the old definition comes back at stop. */
    live = virDomainCreateXML(conn, FOO, 0);
    CHECK(live != NULL);
    CHECK_STATE(live, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED, 4);
    CHECK_INT((int)virDomainGetID(foo), -1);
    CHECK_INT(virDomainGetMaxMemory(foo), 1024);
    CHECK_XML(foo, VIR_DOMAIN_XML_INACTIVE, "", "2048");
    CHECK(virDomainCreateXML(conn, FOO, 0) == NULL);
    CHECK_ERROR(VIR_ERR_OPERATION_INVALID, VIR_FROM_DOMAIN, "Requested operation is not valid: domain 'foo' is already active");
    CHECK(virDomainCreateXML(conn, FOO, VIR_DOMAIN_START_PAUSED) == NULL);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_TEST, "unsupported flags (0x1) in function testDomainCreateXML");

    /* Undefining a running domain makes it transient; it goes when it stops. */
    CHECK_INT(virDomainUndefine(live), 0);
    CHECK_INT(virDomainIsPersistent(live), 0);
    CHECK_INT(virDomainIsActive(live), 1);
    CHECK_INT(virDomainDestroy(live), 0);
    CHECK(virDomainLookupByName(conn, "foo") == NULL);
    CHECK_INT(virDomainIsActive(foo), -1);
    CHECK_ERROR(VIR_ERR_NO_DOMAIN, VIR_FROM_TEST,
                "Domain not found: no domain with matching uuid '" FOO_UUID "' (foo)");
    virDomainFree(live);
    virDomainFree(foo);

    /* A transient domain from createXML. */
    live = virDomainCreateXML(conn, FOO, 0);
    CHECK_STATE(live, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED, 5);
    CHECK_INT(virDomainIsPersistent(live), 0);
    CHECK_INT(virDomainShutdown(live), 0);
    CHECK(virDomainLookupByName(conn, "foo") == NULL);
    virDomainFree(live);
}

static void read_only(void)
{
    virConnectPtr ro = virConnectOpenReadOnly("test:///default");
    virDomainPtr test = virDomainLookupByName(ro, "test");
    int autostart = -1;

    CHECK(virDomainDefineXML(ro, NULL) == NULL);
    CHECK_ERROR(VIR_ERR_OPERATION_DENIED, VIR_FROM_DOMAIN,
                "operation forbidden: read only access prevents virDomainDefineXML");
    CHECK(virDomainCreateXML(ro, FOO, 0) == NULL);
    CHECK_ERROR(VIR_ERR_OPERATION_DENIED, VIR_FROM_DOMAIN,
                "operation forbidden: read only access prevents virDomainCreateXML");
    CHECK_INT(virDomainDestroy(test), -1);
    CHECK_ERROR(VIR_ERR_OPERATION_DENIED, VIR_FROM_DOMAIN,
                "operation forbidden: read only access prevents virDomainDestroy");
    CHECK_INT(virDomainSuspend(test), -1);
    CHECK_ERROR(VIR_ERR_OPERATION_DENIED, VIR_FROM_DOMAIN,
                "operation forbidden: read only access prevents virDomainSuspend");
    CHECK_INT(virDomainSetAutostart(test, 1), -1);
    CHECK_ERROR(VIR_ERR_OPERATION_DENIED, VIR_FROM_DOMAIN,
                "operation forbidden: read only access prevents virDomainSetAutostart");
    CHECK_INT(virDomainGetAutostart(test, &autostart), 0);
    CHECK_INT(autostart, 0);
    CHECK_INT(virDomainCreate(NULL), -1);
    CHECK_ERROR(VIR_ERR_INVALID_DOMAIN, VIR_FROM_DOM, "invalid domain pointer in virDomainCreate");
    virDomainFree(test);
    virConnectClose(ro);
}

static long long now_us(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return tv.tv_sec * 1000000LL + tv.tv_usec;
}

/* The counters are the wall clock in libvirt's proportions. */
static void statistics(virConnectPtr conn)
{
    virDomainPtr test = virDomainLookupByName(conn, "test");
    virDomainBlockStatsStruct bs;
    virDomainInterfaceStatsStruct is;
    long long before = now_us(), after;

    CHECK_INT(virDomainBlockStats(test, "vda", &bs, sizeof(bs)), 0);
    CHECK_INT(virDomainInterfaceStats(test, "testnet0", &is, sizeof(is)), 0);
    after = now_us();
    CHECK(bs.rd_req >= before / 10 && bs.rd_req <= after / 10);
    CHECK(bs.rd_bytes >= before / 20 && bs.rd_bytes <= after / 20);
    CHECK(bs.wr_req >= before / 30 && bs.wr_req <= after / 30);
    CHECK(bs.wr_bytes >= before / 40 && bs.wr_bytes <= after / 40);
    CHECK(bs.errs >= before / 2000000 && bs.errs <= after / 2000000);
    CHECK(is.rx_bytes >= before / 10 && is.rx_bytes <= after / 10);
    CHECK(is.rx_packets >= before / 100 && is.rx_packets <= after / 100);
    CHECK(is.rx_errs >= before / 1000000 && is.rx_errs <= after / 1000000);
    CHECK(is.tx_packets >= before / 110 && is.tx_packets <= after / 110);
    CHECK(is.tx_drop >= before / 4000000 && is.tx_drop <= after / 4000000);
    CHECK_INT(virDomainBlockStats(test, "/guest/diskimage1", &bs, sizeof(bs)), 0);
    CHECK_INT(virDomainInterfaceStats(test, "aa:bb:cc:dd:ee:ff", &is, sizeof(is)), 0);

    CHECK_INT(virDomainBlockStats(test, "hda", &bs, sizeof(bs)), -1);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_TEST, "invalid argument: invalid path: hda");
    CHECK_INT(virDomainBlockStats(test, "", &bs, sizeof(bs)), -1);
    CHECK_ERROR(VIR_ERR_OPERATION_UNSUPPORTED, VIR_FROM_TEST,
                "Operation not supported: summary statistics are not supported yet");
    CHECK_INT(virDomainInterfaceStats(test, "eth0", &is, sizeof(is)), -1);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_DOMAIN, "invalid argument: 'eth0' is not a known interface");
    CHECK_INT(virDomainBlockStats(test, NULL, &bs, sizeof(bs)), -1);
    CHECK_ARG_ERROR(VIR_FROM_DOMAIN, "virDomainBlockStats", "disk", "disk in virDomainBlockStats must not be NULL");

    CHECK_INT(virDomainShutdown(test), 0);
    CHECK_INT(virDomainBlockStats(test, "hda", &bs, sizeof(bs)), -1);
    not_running();
    CHECK_INT(virDomainInterfaceStats(test, "testnet0", &is, sizeof(is)), -1);
    not_running();
    CHECK_INT(virDomainCreate(test), 0);
    CHECK_INT((int)virDomainGetID(test), 6);
    virDomainFree(test);
}

int main(void)
{
    virConnectPtr conn = open_default();
    transitions(conn);
    definitions(conn);
    read_only();
    statistics(conn);
    CHECK_INT(virConnectClose(conn), 0);
    return finish("lifecycle-transitions");
}
