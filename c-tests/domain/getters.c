/* What a handle on the domain "test" of test:///default tells. */
#include "check.h"
#include <sys/time.h>

static const char test_xml[] =
    "<domain type='test'%s>\n"
    "  <name>test</name>\n"
    "  <uuid>6695eb01-f6a4-8304-79aa-97f2502e193f</uuid>\n"
    "  <memory unit='KiB'>8388608</memory>\n"
    "  <currentMemory unit='KiB'>2097152</currentMemory>\n"
    "  <vcpu placement='static'>2</vcpu>\n"
    "  <os>\n"
    "    <type arch='i686'>hvm</type>\n"
    "    <boot dev='hd'/>\n"
    "  </os>\n"
    "  <clock offset='utc'/>\n"
    "  <on_poweroff>destroy</on_poweroff>\n"
    "  <on_reboot>restart</on_reboot>\n"
    "  <on_crash>destroy</on_crash>\n"
    "  <devices>\n"
    "    <disk type='file' device='disk'>\n"
    "      <source file='/guest/diskimage1'/>\n"
    "      <target dev='vda' bus='virtio'/>\n"
    "      <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>\n"
    "    </disk>\n"
    "    <interface type='network'>\n"
    "      <mac address='aa:bb:cc:dd:ee:ff'/>\n"
    "      <source network='default'/>\n"
    "      <target dev='testnet0'/>\n"
    "      <address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x0'/>\n"
    "    </interface>\n"
    "    <memballoon model='virtio'>\n"
    "      <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0'/>\n"
    "    </memballoon>\n"
    "  </devices>\n"
    "</domain>\n";

static unsigned long long now_ns(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (unsigned long long)tv.tv_sec * 1000000000ULL + (unsigned long long)tv.tv_usec * 1000ULL;
}

static void check_xml(virDomainPtr dom, unsigned int flags, const char *id_attr)
{
    char want[4096];
    char *got = virDomainGetXMLDesc(dom, flags);
    snprintf(want, sizeof(want), test_xml, id_attr);
    CHECK_STR(got, want);
    free(got);
}

#define INVALID_DOMAIN(fn) CHECK_ERROR(VIR_ERR_INVALID_DOMAIN, VIR_FROM_DOM, "invalid domain pointer in " fn)

int main(void)
{
    virConnectPtr conn = open_default();
    virDomainPtr dom = virDomainLookupByName(conn, "test");
    virDomainInfo info;
    unsigned long long before, after;
    unsigned char uuid[VIR_UUID_BUFLEN];
    char uuidstr[VIR_UUID_STRING_BUFLEN];
    int state = -7, reason = -7;
    char *os;

    if (!dom)
        return finish("getters: no domain test");

    CHECK_STR(virDomainGetName(dom), "test");
    CHECK_INT(virDomainGetID(dom), 1);
    CHECK_INT(virDomainGetUUIDString(dom, uuidstr), 0);
    CHECK_STR(uuidstr, "6695eb01-f6a4-8304-79aa-97f2502e193f");
    CHECK_INT(virDomainGetUUID(dom, uuid), 0);
    CHECK_INT(uuid[0], 0x66);
    CHECK_INT(uuid[15], 0x3f);

    before = now_ns();
    CHECK_INT(virDomainGetInfo(dom, &info), 0);
    after = now_ns();
    CHECK_INT(info.state, VIR_DOMAIN_RUNNING);
    CHECK_INT(info.maxMem, 8388608);
    CHECK_INT(info.memory, 2097152);
    CHECK_INT(info.nrVirtCpu, 2);
    /* The test driver reports the wall clock, in microseconds, as CPU time. */
    CHECK(info.cpuTime >= before / 1000 * 1000 && info.cpuTime <= after);
    CHECK_INT(info.cpuTime % 1000, 0);

    CHECK_INT(virDomainGetState(dom, &state, &reason, 0), 0);
    CHECK_INT(state, VIR_DOMAIN_RUNNING);
    CHECK_INT(reason, VIR_DOMAIN_RUNNING_UNKNOWN);
    state = -7;
    CHECK_INT(virDomainGetState(dom, &state, NULL, 0), 0);
    CHECK_INT(state, VIR_DOMAIN_RUNNING);
    CHECK_INT(virDomainGetState(dom, &state, &reason, 1), -1);
    CHECK_ARG_ERROR(VIR_FROM_TEST, "testDomainGetState", "flags", "unsupported flags (0x1) in function testDomainGetState");

    os = virDomainGetOSType(dom);
    CHECK_STR(os, "linux");
    free(os);
    CHECK_INT(virDomainGetMaxMemory(dom), 8388608);
    CHECK_INT(virDomainGetMaxVcpus(dom), 2);
    CHECK_INT(virDomainIsActive(dom), 1);
    CHECK_INT(virDomainIsPersistent(dom), 1);
    CHECK_INT(virDomainIsUpdated(dom), 0);
    CHECK_NO_ERROR();

    check_xml(dom, 0, " id='1'");
    check_xml(dom, VIR_DOMAIN_XML_SECURE, " id='1'");
    check_xml(dom, VIR_DOMAIN_XML_MIGRATABLE, " id='1'");
    check_xml(dom, VIR_DOMAIN_XML_INACTIVE, "");
    check_xml(dom, VIR_DOMAIN_XML_INACTIVE | VIR_DOMAIN_XML_SECURE, "");
    CHECK(virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_UPDATE_CPU) == NULL);
    CHECK_ARG_ERROR(VIR_FROM_TEST, "testDomainGetXMLDesc", "flags",
                    "unsupported flags (0x4) in function testDomainGetXMLDesc");
    CHECK(virDomainGetXMLDesc(dom, 1u << 30) == NULL);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_TEST, "unsupported flags (0x40000000) in function testDomainGetXMLDesc");

    /* NULL output arguments. */
    CHECK_INT(virDomainGetUUID(dom, NULL), -1);
    CHECK_ARG_ERROR(VIR_FROM_DOMAIN, "virDomainGetUUID", "uuid", "uuid in virDomainGetUUID must not be NULL");
    CHECK_INT(virDomainGetUUIDString(dom, NULL), -1);
    CHECK_ARG_ERROR(VIR_FROM_DOMAIN, "virDomainGetUUIDString", "buf", "buf in virDomainGetUUIDString must not be NULL");
    CHECK_INT(virDomainGetInfo(dom, NULL), -1);
    CHECK_ARG_ERROR(VIR_FROM_DOMAIN, "virDomainGetInfo", "info", "info in virDomainGetInfo must not be NULL");
    CHECK_INT(virDomainGetState(dom, NULL, &reason, 0), -1);
    CHECK_ARG_ERROR(VIR_FROM_DOMAIN, "virDomainGetState", "state", "state in virDomainGetState must not be NULL");

    /* NULL handles: each getter's own failure value. */
    CHECK(virDomainGetName(NULL) == NULL);
    INVALID_DOMAIN("virDomainGetName");
    CHECK(virDomainGetID(NULL) == (unsigned int)-1);
    INVALID_DOMAIN("virDomainGetID");
    CHECK_INT(virDomainGetUUID(NULL, uuid), -1);
    INVALID_DOMAIN("virDomainGetUUID");
    CHECK_INT(virDomainGetUUIDString(NULL, uuidstr), -1);
    INVALID_DOMAIN("virDomainGetUUIDString");
    CHECK_INT(virDomainGetInfo(NULL, &info), -1);
    INVALID_DOMAIN("virDomainGetInfo");
    CHECK_INT(virDomainGetState(NULL, &state, &reason, 0), -1);
    INVALID_DOMAIN("virDomainGetState");
    CHECK(virDomainGetOSType(NULL) == NULL);
    INVALID_DOMAIN("virDomainGetOSType");
    CHECK_INT(virDomainGetMaxMemory(NULL), 0);
    INVALID_DOMAIN("virDomainGetMaxMemory");
    CHECK_INT(virDomainGetMaxVcpus(NULL), -1);
    INVALID_DOMAIN("virDomainGetMaxVcpus");
    CHECK_INT(virDomainIsActive(NULL), -1);
    INVALID_DOMAIN("virDomainIsActive");
    CHECK_INT(virDomainIsPersistent(NULL), -1);
    INVALID_DOMAIN("virDomainIsPersistent");
    CHECK_INT(virDomainIsUpdated(NULL), -1);
    INVALID_DOMAIN("virDomainIsUpdated");
    CHECK(virDomainGetXMLDesc(NULL, 0) == NULL);
    INVALID_DOMAIN("virDomainGetXMLDesc");

    CHECK_INT(virDomainFree(dom), 0);
    CHECK_INT(virConnectClose(conn), 0);
    return finish("getters");
}
