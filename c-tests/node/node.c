/* The node calls of libvirt's test driver on test:///default, with real
 * libvirt 9.0's answers and errors. */
#include "check.h"

#define NO_SUPPORT(fn) "this function is not supported by the connection driver: " fn

static void memory(virConnectPtr conn)
{
    unsigned long long mems[4] = {0};
    CHECK_INT(virNodeGetFreeMemory(conn), 3145728);
    /* Each cell's total memory, from startCell on, at most maxCells. */
    CHECK_INT(virNodeGetCellsFreeMemory(conn, mems, 0, 4), 2);
    CHECK_INT(mems[0], 2097152);
    CHECK_INT(mems[1], 4194304);
    CHECK_INT(virNodeGetCellsFreeMemory(conn, mems, 1, 1), 1);
    CHECK_INT(mems[0], 4194304);
    CHECK_INT(virNodeGetCellsFreeMemory(conn, mems, 2, 1), -1);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_TEST, "invalid argument: Range exceeds available cells");
    CHECK_INT(virNodeGetCellsFreeMemory(conn, NULL, 0, 1), -1);
    CHECK_ARG_ERROR(VIR_FROM_DOMAIN, "virNodeGetCellsFreeMemory", "freeMems",
                    "freeMems in virNodeGetCellsFreeMemory must not be NULL");
    CHECK_INT(virNodeGetCellsFreeMemory(conn, mems, -1, 0), -1);
    CHECK_ARG_ERROR(VIR_FROM_DOMAIN, "virNodeGetCellsFreeMemory", "maxCells",
                    "maxCells in virNodeGetCellsFreeMemory must be greater than zero");
    CHECK_INT(virNodeGetCellsFreeMemory(conn, mems, -1, 1), -1);
    CHECK_ARG_ERROR(VIR_FROM_DOMAIN, "virNodeGetCellsFreeMemory", "startCell",
                    "startCell in virNodeGetCellsFreeMemory must be zero or greater");
}

static void stats(virConnectPtr conn)
{
    virNodeCPUStats cpu[8];
    virNodeMemoryStats mem[4];
    int n = 0;
    CHECK_INT(virNodeGetCPUStats(conn, -1, NULL, &n, 0), 0);
    CHECK_INT(n, 4);
    n = 8;
    CHECK_INT(virNodeGetCPUStats(conn, 3, cpu, &n, 0), 0);
    CHECK_INT(n, 4);
    CHECK_STR(cpu[0].field, "user");
    CHECK_INT(cpu[0].value, 9797400000ULL);
    CHECK_STR(cpu[1].field, "kernel");
    CHECK_INT(cpu[1].value, 34678723400000ULL);
    CHECK_STR(cpu[2].field, "idle");
    CHECK_INT(cpu[2].value, 87264900000ULL);
    CHECK_STR(cpu[3].field, "iowait");
    CHECK_INT(cpu[3].value, 763600000ULL);
    n = 2;
    CHECK_INT(virNodeGetCPUStats(conn, -1, cpu, &n, 0), 0);
    CHECK_INT(n, 2);
    CHECK_INT(virNodeGetCPUStats(conn, -2, cpu, &n, 0), -1);
    CHECK_ARG_ERROR(VIR_FROM_DOMAIN, "virNodeGetCPUStats", "cpuNum",
                    "cpuNum in virNodeGetCPUStats only accepts -1 as a negative value");
    n = -1;
    CHECK_INT(virNodeGetCPUStats(conn, -2, cpu, &n, 0), -1);
    CHECK_ARG_ERROR(VIR_FROM_DOMAIN, "virNodeGetCPUStats", "*nparams",
                    "*nparams in virNodeGetCPUStats must be zero or greater");
    n = 4;
    CHECK_INT(virNodeGetCPUStats(conn, -1, cpu, &n, 1), -1);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_TEST, "unsupported flags (0x1) in function testNodeGetCPUStats");

    n = 0;
    CHECK_INT(virNodeGetMemoryStats(conn, -1, NULL, &n, 0), -1);
    CHECK_ERROR(VIR_ERR_NO_SUPPORT, VIR_FROM_DOMAIN, NO_SUPPORT("virNodeGetMemoryStats"));
    CHECK_INT(virNodeGetMemoryStats(conn, -2, mem, &n, 0), -1);
    /* libvirt names the argument cpuNum in str2. */
    CHECK_ARG_ERROR(VIR_FROM_DOMAIN, "virNodeGetMemoryStats", "cpuNum",
                    "cellNum in virNodeGetMemoryStats only accepts -1 as a negative value");
    CHECK_INT(virNodeGetMemoryStats(conn, -1, mem, NULL, 0), -1);
    CHECK_ARG_ERROR(VIR_FROM_DOMAIN, "virNodeGetMemoryStats", "nparams",
                    "nparams in virNodeGetMemoryStats must not be NULL");
}

static void cpus(virConnectPtr conn)
{
    unsigned char *map = NULL;
    unsigned int online = 0, pages[3] = {4, 8, 2048};
    unsigned long long counts[6] = {0};
    static const unsigned long long want[6] = {19, 45, 97, 201, 409, 825};
    char **models = NULL;
    int i, n;

    CHECK_INT(virNodeGetCPUMap(conn, &map, &online, 0), 8);
    CHECK(map && map[0] == 0x15);
    CHECK_INT(online, 3);
    free(map);
    CHECK_INT(virNodeGetCPUMap(conn, NULL, NULL, 0), 8);
    CHECK_INT(virNodeGetCPUMap(conn, NULL, NULL, 1), -1);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_TEST, "unsupported flags (0x1) in function testNodeGetCPUMap");

    /* Made-up counts, whatever the page sizes and cells. */
    CHECK_INT(virNodeGetFreePages(conn, 3, pages, 0, 2, counts, 0), 0);
    for (i = 0; i < 6; i++)
        CHECK_INT(counts[i], want[i]);
    CHECK_INT(virNodeGetFreePages(conn, 3, pages, 7, 1, counts, 0), 0);
    CHECK_INT(counts[2], 97);
    CHECK_INT(virNodeGetFreePages(conn, 0, pages, 0, 1, counts, 0), -1);
    CHECK_ARG_ERROR(VIR_FROM_DOMAIN, "virNodeGetFreePages", "npages", "npages in virNodeGetFreePages must not be zero");
    CHECK_INT(virNodeGetFreePages(conn, 3, pages, 0, 0, counts, 0), -1);
    CHECK_ARG_ERROR(VIR_FROM_DOMAIN, "virNodeGetFreePages", "cellCount",
                    "cellCount in virNodeGetFreePages must not be zero");
    CHECK_INT(virNodeGetFreePages(conn, 3, pages, 0, 1, counts, 2), -1);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_TEST, "unsupported flags (0x2) in function testNodeGetFreePages");

    n = virConnectGetCPUModelNames(conn, "x86_64", &models, 0);
    CHECK_INT(n, 58);
    if (models && n == 58) {
        CHECK_STR(models[0], "486");
        CHECK_STR(models[16], "Nehalem");
        CHECK_STR(models[57], "Dhyana");
        CHECK(models[58] == NULL);
        for (i = 0; i < n; i++)
            free(models[i]);
        free(models);
    }
    CHECK_INT(virConnectGetCPUModelNames(conn, "ppc64le", NULL, 0), 7);
    CHECK_INT(virConnectGetCPUModelNames(conn, "aarch64", NULL, 0), 0);
    CHECK_INT(virConnectGetCPUModelNames(conn, "riscv64", NULL, 0), -1);
    CHECK_ERROR(VIR_ERR_NO_SUPPORT, VIR_FROM_CPU,
                NO_SUPPORT("'riscv64' architecture is not supported by CPU driver"));
    CHECK_INT(virConnectGetCPUModelNames(conn, "arm", NULL, 0), -1);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_TEST, "invalid argument: cannot find architecture arm");
    CHECK_INT(virConnectGetCPUModelNames(conn, NULL, NULL, 0), -1);
    CHECK_ARG_ERROR(VIR_FROM_DOMAIN, "virConnectGetCPUModelNames", "arch",
                    "arch in virConnectGetCPUModelNames must not be NULL");
    CHECK_INT(virConnectGetCPUModelNames(conn, "x86_64", NULL, 1), -1);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_TEST,
                "unsupported flags (0x1) in function testConnectGetCPUModelNames");
}

static void security(virConnectPtr conn)
{
    virSecurityModel model;
    virSecurityLabel label;
    virSecurityLabelPtr labels = NULL;
    virDomainPtr dom = virDomainLookupByName(conn, "test");

    memset(&model, 'x', sizeof(model));
    CHECK_INT(virNodeGetSecurityModel(conn, &model), 0);
    CHECK_STR(model.model, "testSecurity");
    CHECK_STR(model.doi, "");
    CHECK_INT(virNodeGetSecurityModel(conn, NULL), -1);
    CHECK_ARG_ERROR(VIR_FROM_DOMAIN, "virNodeGetSecurityModel", "secmodel",
                    "secmodel in virNodeGetSecurityModel must not be NULL");

    memset(&label, 'x', sizeof(label));
    CHECK_INT(virDomainGetSecurityLabel(dom, &label), 0);
    CHECK_STR(label.label, "libvirt-test");
    CHECK_INT(label.enforcing, 1);
    /* An inactive domain has no label. */
    CHECK_INT(virDomainDestroy(dom), 0);
    memset(&label, 'x', sizeof(label));
    CHECK_INT(virDomainGetSecurityLabel(dom, &label), 0);
    CHECK_STR(label.label, "");
    CHECK_INT(label.enforcing, 0);
    CHECK_INT(virDomainCreate(dom), 0);
    CHECK_INT(virDomainGetSecurityLabel(dom, NULL), -1);
    CHECK_ARG_ERROR(VIR_FROM_DOMAIN, "virDomainGetSecurityLabel", "seclabel",
                    "seclabel in virDomainGetSecurityLabel must not be NULL");
    CHECK_INT(virDomainGetSecurityLabelList(dom, &labels), -1);
    CHECK_ERROR(VIR_ERR_NO_SUPPORT, VIR_FROM_DOMAIN, NO_SUPPORT("virDomainGetSecurityLabelList"));
    virDomainFree(dom);
}

static void host(virConnectPtr conn, virConnectPtr ro)
{
    char *s = virConnectGetSysinfo(ro, 0);
    CHECK_STR(s, "<sysinfo type='smbios'>\n  <bios>\n    <entry name='vendor'>LENOVO</entry>\n"
                 "    <entry name='version'>G4ETA1WW (2.61 )</entry>\n"
                 "    <entry name='date'>05/07/2014</entry>\n    <entry name='release'>2.61</entry>\n"
                 "  </bios>\n</sysinfo>\n");
    free(s);
    CHECK(virConnectGetSysinfo(conn, 1) == NULL);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_TEST, "unsupported flags (0x1) in function testConnectGetSysinfo");

    /* What the test driver lacks. */
    CHECK(virConnectGetDomainCapabilities(conn, NULL, NULL, NULL, NULL, 0) == NULL);
    CHECK_ERROR(VIR_ERR_NO_SUPPORT, VIR_FROM_DOMAIN, NO_SUPPORT("virConnectGetDomainCapabilities"));
    CHECK(virConnectGetDomainCapabilities(ro, NULL, NULL, NULL, NULL, 0) == NULL);
    CHECK_ERROR(VIR_ERR_OPERATION_DENIED, VIR_FROM_DOMAIN,
                "operation forbidden: read only access prevents virConnectGetDomainCapabilities");
    CHECK_INT(virConnectCompareCPU(conn, "<cpu/>", 0), -1);
    CHECK_ERROR(VIR_ERR_NO_SUPPORT, VIR_FROM_DOMAIN, NO_SUPPORT("virConnectCompareCPU"));
    CHECK_INT(virNodeSuspendForDuration(conn, 0, 60, 0), -1);
    CHECK_ERROR(VIR_ERR_NO_SUPPORT, VIR_FROM_DOMAIN, NO_SUPPORT("virNodeSuspendForDuration"));
    CHECK_INT(virNodeSuspendForDuration(ro, 0, 60, 0), -1);
    CHECK_ERROR(VIR_ERR_OPERATION_DENIED, VIR_FROM_DOMAIN,
                "operation forbidden: read only access prevents virNodeSuspendForDuration");
    CHECK_INT(virConnectGetMaxVcpus(conn, "kvm"), 32);
}

int main(void)
{
    virConnectPtr conn = open_default();
    virConnectPtr ro = virConnectOpenReadOnly("test:///default");
    memory(conn);
    stats(conn);
    cpus(ro);
    security(conn);
    host(conn, ro);
    virConnectClose(ro);
    virConnectClose(conn);
    return finish("node-calls");
}
