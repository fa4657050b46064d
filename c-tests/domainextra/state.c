/* The test driver's figures for a domain's state (control info, memory
 * statistics, block info, disk errors, hostname, scheduler) and its memory and
 * vCPU settings, on the built-in "test" and on an inactive domain. */
#include "check.h"

#define FOO "<domain type='test'><name>foo</name><memory>1048576</memory>" \
            "<currentMemory>524288</currentMemory><vcpu>4</vcpu><os><type>hvm</type></os>" \
            "<devices><disk type='file' device='disk'><source file='/tmp/a.img'/><target dev='hda'/></disk>" \
            "<disk type='file' device='disk'><source file='/tmp/b.img'/><target dev='hdb'/></disk></devices></domain>"

static void not_running(int line)
{
    check_error_at(__FILE__, line, VIR_ERR_OPERATION_INVALID, VIR_FROM_DOMAIN,
                   "Requested operation is not valid: domain is not running");
}

static void queries(virConnectPtr conn)
{
    virDomainPtr test = virDomainLookupByName(conn, "test"), foo = virDomainDefineXML(conn, FOO);
    virDomainControlInfo ci = {9, 9, 9};
    virDomainMemoryStatStruct stats[20];
    virDomainBlockInfo bi;
    virDomainDiskError errs[4];
    static const int tags[] = {6, 0, 1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 7};
    static const unsigned long long vals[] = {2097152, 0, 0, 0, 0, 1048576, 2097152, 1048576, 627319920, 262144, 0, 0, 1048576};
    char *s;
    int n, i;

    CHECK_INT(virDomainGetControlInfo(test, &ci, 0), 0);
    CHECK_INT(ci.state + ci.details + ci.stateTime, 0);
    CHECK_INT(virDomainGetControlInfo(test, &ci, 1), -1);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_TEST, "unsupported flags (0x1) in function testDomainGetControlInfo");
    CHECK_INT(virDomainGetControlInfo(test, NULL, 0), -1);
    CHECK_ARG_ERROR(VIR_FROM_DOMAIN, "virDomainGetControlInfo", "info", "info in virDomainGetControlInfo must not be NULL");
    CHECK_INT(virDomainGetControlInfo(foo, &ci, 0), -1);
    not_running(__LINE__);

    n = virDomainMemoryStats(test, stats, 20, 0);
    CHECK_INT(n, 13);
    for (i = 0; i < n && i < 13; i++) {
        CHECK_INT(stats[i].tag, tags[i]);
        CHECK_INT(stats[i].val, vals[i]);
    }
    CHECK_INT(virDomainMemoryStats(test, stats, 3, 0), 3);
    CHECK_INT(virDomainMemoryStats(test, NULL, 3, 0), 0);
    CHECK_INT(virDomainMemoryStats(test, stats, 20, 1), -1);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_TEST, "unsupported flags (0x1) in function testDomainMemoryStats");
    CHECK_INT(virDomainMemoryStats(foo, stats, 20, 0), -1);
    not_running(__LINE__);

    CHECK_INT(virDomainGetBlockInfo(test, "vda", &bi, 0), 0);
    CHECK_INT(bi.capacity, 1099506450432LL);
    CHECK_INT(bi.allocation, 1099511627776LL);
    CHECK_INT(bi.physical, 1099511627776LL);
    CHECK_INT(virDomainGetBlockInfo(test, "/guest/diskimage1", &bi, 0), 0);
    CHECK_INT(virDomainGetBlockInfo(foo, "/tmp/b.img", &bi, 0), 0);
    CHECK_INT(virDomainGetBlockInfo(test, "hda", &bi, 0), -1);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_TEST, "invalid argument: invalid path hda not assigned to domain");
    CHECK_INT(virDomainGetBlockInfo(test, "", &bi, 0), -1);
    CHECK_ARG_ERROR(VIR_FROM_DOMAIN, "virDomainGetBlockInfo", "disk", "string disk in virDomainGetBlockInfo must not be empty");

    CHECK_INT(virDomainGetDiskErrors(test, NULL, 0, 0), 1);
    CHECK_INT(virDomainGetDiskErrors(test, errs, 0, 0), 0);
    CHECK_INT(virDomainGetDiskErrors(test, errs, 4, 0), 1);
    CHECK_STR(errs[0].disk, "vda");
    CHECK_INT(errs[0].error, VIR_DOMAIN_DISK_ERROR_UNSPEC);
    free(errs[0].disk);
    CHECK_INT(virDomainGetDiskErrors(test, errs, 4, 1), -1);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_TEST, "unsupported flags (0x1) in function testDomainGetDiskErrors");
    CHECK_INT(virDomainGetDiskErrors(foo, NULL, 0, 0), -1);
    not_running(__LINE__);

    s = virDomainGetHostname(test, 0);
    CHECK_STR(s, "testhost");
    free(s);
    CHECK(virDomainGetHostname(foo, 0) == NULL);
    not_running(__LINE__);

    CHECK_INT(virDomainCreate(foo), 0);
    CHECK_INT(virDomainGetDiskErrors(foo, errs, 4, 0), 2);
    CHECK_STR(errs[0].disk, "hda");
    CHECK_INT(errs[0].error, VIR_DOMAIN_DISK_ERROR_UNSPEC);
    CHECK_STR(errs[1].disk, "hdb");
    CHECK_INT(errs[1].error, VIR_DOMAIN_DISK_ERROR_NO_SPACE);
    free(errs[0].disk);
    free(errs[1].disk);
    CHECK_INT(virDomainDestroy(foo), 0);

    n = 0;
    s = virDomainGetSchedulerType(foo, &n);
    CHECK_STR(s, "fair");
    CHECK_INT(n, 1);
    free(s);
    {
        virTypedParameter p[1];
        n = 1;
        CHECK_INT(virDomainGetSchedulerParameters(test, p, &n), 0);
        CHECK_INT(n, 1);
        CHECK_STR(p[0].field, "weight");
        CHECK_INT(p[0].type, VIR_TYPED_PARAM_UINT);
        CHECK_INT(p[0].value.ui, 50);
        CHECK_INT(virDomainGetSchedulerParametersFlags(test, p, &n, VIR_DOMAIN_AFFECT_LIVE), -1);
        CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_TEST, "unsupported flags (0x5) in function testDomainGetSchedulerParametersFlags");
    }
    virDomainUndefine(foo);
    virDomainFree(foo);
    virDomainFree(test);
}

static void settings(virConnectPtr conn)
{
    virDomainPtr test = virDomainLookupByName(conn, "test"), foo = virDomainDefineXML(conn, FOO);
    virDomainInfo info;

    CHECK_INT(virDomainSetMemory(test, 99999999), -1);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_TEST, "invalid argument: cannot set memory higher than max memory");
    CHECK_INT(virDomainSetMemoryFlags(test, 500000, VIR_DOMAIN_AFFECT_CONFIG), 0);
    CHECK_INT(virDomainSetMemoryFlags(test, 400000, VIR_DOMAIN_AFFECT_LIVE), 0);
    CHECK_INT(virDomainSetMemoryFlags(test, 4000000, VIR_DOMAIN_MEM_MAXIMUM), -1);
    CHECK_ERROR(VIR_ERR_OPERATION_INVALID, VIR_FROM_TEST,
                "Requested operation is not valid: cannot resize the maximum memory on an active domain");
    CHECK_INT(virDomainSetMaxMemory(test, 300000), -1);
    CHECK_ERROR(VIR_ERR_OPERATION_INVALID, VIR_FROM_TEST,
                "Requested operation is not valid: cannot resize the maximum memory on an active domain");
    CHECK_INT(virDomainSetMemoryFlags(test, 4000000, VIR_DOMAIN_MEM_MAXIMUM | VIR_DOMAIN_AFFECT_CONFIG), 0);
    CHECK_INT(virDomainGetInfo(test, &info), 0);
    CHECK_INT(info.memory, 400000);
    CHECK_INT(info.maxMem, 8388608);
    CHECK_INT(virDomainGetMaxMemory(test), 8388608);
    CHECK_INT(virDomainSetMemoryFlags(test, 1, 8), -1);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_TEST, "unsupported flags (0x8) in function testDomainSetMemoryFlags");
    CHECK_INT(virDomainGetVcpusFlags(test, 0), 2);
    CHECK_INT(virDomainGetVcpusFlags(test, VIR_DOMAIN_VCPU_MAXIMUM | VIR_DOMAIN_AFFECT_CONFIG), 2);
    CHECK_INT(virDomainGetVcpusFlags(test, VIR_DOMAIN_VCPU_GUEST), -1);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_TEST, "unsupported flags (0x8) in function testDomainGetVcpusFlags");

    CHECK_INT(virDomainSetMemoryFlags(foo, 400000, VIR_DOMAIN_AFFECT_LIVE), -1);
    not_running(__LINE__);
    CHECK_INT(virDomainSetMemoryFlags(foo, 4000000, VIR_DOMAIN_MEM_MAXIMUM), 0);
    CHECK_INT(virDomainSetMaxMemory(foo, 300000), 0);
    CHECK_INT(virDomainGetInfo(foo, &info), 0);
    CHECK_INT(info.memory, 300000);
    CHECK_INT(info.maxMem, 300000);
    CHECK_INT(virDomainGetVcpusFlags(foo, 0), 4);
    CHECK_INT(virDomainGetVcpusFlags(foo, VIR_DOMAIN_AFFECT_LIVE), -1);
    not_running(__LINE__);
    virDomainUndefine(foo);
    virDomainFree(foo);
    virDomainFree(test);
}

int main(void)
{
    virConnectPtr conn = open_default();
    queries(conn);
    settings(conn);
    virConnectClose(conn);
    return finish("domainextra-state");
}
