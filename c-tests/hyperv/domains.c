/* Domains on the simulator's built-in host (web01 running, db01 off, legacy saved,
 * broken off with a missing disk): lists, lookups, getters, every state change and
 * its error, settings, keys, statistics, and the requests each costs. */
#include "check.h"
#include "sim.h"

#define WEB01 "5e1f9a8c-3f1b-4c2f-9a77-0a1b2c3d4e5f"
#define INVALID(msg) CHECK_ERROR(VIR_ERR_OPERATION_INVALID, VIR_FROM_HYPERV, "Requested operation is not valid: " msg)

static int state_of(virDomainPtr dom)
{
    int state = -1, reason = -1;
    CHECK_INT(virDomainGetState(dom, &state, &reason, 0), 0);
    CHECK_INT(reason, 0);
    return state;
}

static int count_all(virConnectPtr conn, unsigned int flags)
{
    virDomainPtr *doms = NULL;
    int i, n = virConnectListAllDomains(conn, &doms, flags);
    for (i = 0; i < n; i++)
        virDomainFree(doms[i]);
    free(doms);
    return n;
}

static void lists_and_lookups(struct sim *sim, virConnectPtr conn)
{
    int ids[8];
    char *names[8] = {0};
    char uuid[VIR_UUID_STRING_BUFLEN];
    virDomainPtr dom, again;
    int i, n;

    CHECK_INT(virConnectNumOfDomains(conn), 1);
    CHECK_INT(virConnectListDomains(conn, ids, 8), 1);
    CHECK(ids[0] > 0);
    CHECK_INT(virConnectNumOfDefinedDomains(conn), 3);
    n = virConnectListDefinedDomains(conn, names, 8);
    CHECK_INT(n, 3);
    for (i = 0; i < n; i++) {
        CHECK(strcmp(names[i], "db01") == 0 || strcmp(names[i], "legacy") == 0 || strcmp(names[i], "broken") == 0);
        free(names[i]);
    }

    /* One Enumerate and one Pull (Windows puts one item in an optimized Enumerate). */
    sim_reset_stats(sim);
    CHECK_INT(count_all(conn, 0), 4);
    CHECK_INT(sim_requests(sim), 2);
    CHECK_INT(count_all(conn, VIR_CONNECT_LIST_DOMAINS_ACTIVE), 1);
    CHECK_INT(count_all(conn, VIR_CONNECT_LIST_DOMAINS_INACTIVE), 3);
    CHECK_INT(count_all(conn, VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE), 1);
    CHECK_INT(count_all(conn, VIR_CONNECT_LIST_DOMAINS_SHUTOFF | VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE), 2);
    CHECK_INT(count_all(conn, VIR_CONNECT_LIST_DOMAINS_RUNNING | VIR_CONNECT_LIST_DOMAINS_PAUSED), 1);
    CHECK_INT(count_all(conn, VIR_CONNECT_LIST_DOMAINS_TRANSIENT), 0);
    CHECK_INT(count_all(conn, VIR_CONNECT_LIST_DOMAINS_PERSISTENT), 4);
    CHECK_INT(count_all(conn, VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT), 4);
    CHECK_INT(count_all(conn, VIR_CONNECT_LIST_DOMAINS_AUTOSTART), 0);
    CHECK_INT(count_all(conn, 1U << 31), -1);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_HYPERV,
                "unsupported flags (0x80000000) in function hypervConnectListAllDomains");

    dom = virDomainLookupByName(conn, "web01");
    CHECK(dom != NULL);
    CHECK_INT(virDomainGetID(dom), ids[0]);
    CHECK_INT(virDomainGetUUIDString(dom, uuid), 0);
    CHECK_STR(uuid, WEB01);
    again = virDomainLookupByID(conn, ids[0]);
    CHECK(again && strcmp(virDomainGetName(again), "web01") == 0);
    virDomainFree(again);
    sim_reset_stats(sim);
    again = virDomainLookupByUUIDString(conn, WEB01);
    CHECK(again && strcmp(virDomainGetName(again), "web01") == 0);
    CHECK_INT(sim_requests(sim), 1);
    virDomainFree(again);
    virDomainFree(dom);

    CHECK(virDomainLookupByName(conn, "nope") == NULL);
    CHECK_ERROR(VIR_ERR_NO_DOMAIN, VIR_FROM_HYPERV, "Domain not found: No domain with name nope");
    CHECK(virDomainLookupByUUIDString(conn, "00000000-0000-0000-0000-000000000001") == NULL);
    CHECK_ERROR(VIR_ERR_NO_DOMAIN, VIR_FROM_HYPERV,
                "Domain not found: No domain with UUID 00000000-0000-0000-0000-000000000001");
    CHECK(virDomainLookupByID(conn, 4242424) == NULL);
    CHECK_ERROR(VIR_ERR_NO_DOMAIN, VIR_FROM_HYPERV, "Domain not found: No domain with ID 4242424");
}

static void getters(struct sim *sim, virConnectPtr conn)
{
    virDomainPtr web = virDomainLookupByName(conn, "web01");
    virDomainPtr db = virDomainLookupByName(conn, "db01");
    virDomainInfo info;
    char *text;
    int n = 0;
    virTypedParameter params[3];

    sim_reset_stats(sim);
    CHECK_INT(virDomainGetInfo(web, &info), 0);
    CHECK(sim_requests(sim) <= 3);
    CHECK_INT(info.state, VIR_DOMAIN_RUNNING);
    CHECK_INT(info.maxMem, 1048576UL * 1024);
    CHECK_INT(info.memory, 4096UL * 1024);
    CHECK_INT(info.nrVirtCpu, 2);
    CHECK_INT(info.cpuTime, 0);

    /* vCPUs from the hypervisor's counters, all of them in one query (Enumerate + Pull:
     * Windows answers an optimized Enumerate with one item). */
    virVcpuInfo vcpus[3];
    unsigned char maps[3] = {0, 0, 0};
    sim_reset_stats(sim);
    CHECK_INT(virDomainGetVcpus(web, vcpus, 3, maps, 1), 3);
    CHECK_INT(sim_requests(sim), 2);
    CHECK_INT(vcpus[1].number, 1);
    CHECK_INT(vcpus[1].state, VIR_VCPU_RUNNING);
    CHECK_INT(vcpus[1].cpu, VIR_VCPU_INFO_CPU_UNAVAILABLE);
    CHECK(vcpus[0].cpuTime > 0);
    CHECK_INT(vcpus[2].state, VIR_VCPU_OFFLINE);
    CHECK_INT(vcpus[2].cpu, VIR_VCPU_INFO_CPU_OFFLINE);
    CHECK_INT(maps[0], 0xff);
    CHECK_INT(virDomainGetVcpus(db, vcpus, 1, NULL, 0), 1);
    CHECK_INT(vcpus[0].state, VIR_VCPU_OFFLINE);
    CHECK_INT(virDomainGetVcpus(db, vcpus, 0, NULL, 0), -1);
    CHECK_ARG_ERROR(VIR_FROM_DOMAIN, "virDomainGetVcpus", "maxinfo", "maxinfo in virDomainGetVcpus must be greater than zero");

    /* The addresses the guest reports: the settings (Get, Enumerate + Pull), the guest's
     * configurations (one query). */
    virDomainInterfacePtr *ifaces = NULL;
    sim_reset_stats(sim);
    CHECK_INT(virDomainInterfaceAddresses(web, &ifaces, VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT, 0), 1);
    CHECK_INT(sim_requests(sim), 4);
    if (ifaces) {
        CHECK(strstr(ifaces[0]->name, "Microsoft:5E1F9A8C-3F1B-4C2F-9A77-0A1B2C3D4E5F\\") == ifaces[0]->name);
        CHECK_STR(ifaces[0]->hwaddr, "00:15:5d:01:02:03");
        CHECK_INT(ifaces[0]->naddrs, 2);
        CHECK_INT(ifaces[0]->addrs[0].type, VIR_IP_ADDR_TYPE_IPV4);
        CHECK_STR(ifaces[0]->addrs[0].addr, "192.168.17.20");
        CHECK_INT(ifaces[0]->addrs[0].prefix, 24);
        CHECK_INT(ifaces[0]->addrs[1].type, VIR_IP_ADDR_TYPE_IPV6);
        CHECK_INT(ifaces[0]->addrs[1].prefix, 64);
        virDomainInterfaceFree(ifaces[0]);
        free(ifaces);
    }
    CHECK_INT(virDomainInterfaceAddresses(db, &ifaces, VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT, 0), 1);
    if (ifaces) {
        CHECK_INT(ifaces[0]->naddrs, 0);
        virDomainInterfaceFree(ifaces[0]);
        free(ifaces);
    }
    CHECK_INT(virDomainInterfaceAddresses(web, &ifaces, VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE, 0), -1);
    CHECK_INT(virGetLastError()->code, VIR_ERR_ARGUMENT_UNSUPPORTED);
    CHECK_INT(state_of(web), VIR_DOMAIN_RUNNING);
    CHECK_INT(state_of(db), VIR_DOMAIN_SHUTOFF);
    CHECK_INT(virDomainIsActive(web), 1);
    CHECK_INT(virDomainIsActive(db), 0);
    CHECK_INT(virDomainIsPersistent(db), 1);
    CHECK_INT(virDomainIsUpdated(db), 0);
    text = virDomainGetOSType(db);
    CHECK_STR(text, "hvm");
    free(text);
    CHECK_INT(virDomainGetMaxMemory(db), 1048576UL * 1024);
    CHECK_INT(virDomainGetMaxVcpus(db), 240);
    CHECK_INT(virDomainGetVcpusFlags(db, 0), 4);
    CHECK_INT(virDomainGetVcpusFlags(db, VIR_DOMAIN_VCPU_MAXIMUM), 240);
    CHECK_INT(virDomainGetVcpusFlags(db, VIR_DOMAIN_AFFECT_LIVE), -1);
    INVALID("Domain is not active");
    CHECK_INT(virDomainGetVcpusFlags(web, VIR_DOMAIN_AFFECT_LIVE), 2);

    text = virDomainGetSchedulerType(db, &n);
    CHECK_STR(text, "allocation");
    CHECK_INT(n, 3);
    free(text);
    CHECK_INT(virDomainGetSchedulerParameters(db, params, &n), 0);
    CHECK_INT(n, 3);
    CHECK_STR(params[0].field, "limit");
    CHECK_INT(params[0].type, VIR_TYPED_PARAM_LLONG);
    CHECK_INT(params[0].value.l, 100000);
    CHECK_STR(params[1].field, "reservation");
    CHECK_STR(params[2].field, "weight");
    CHECK_INT(params[2].type, VIR_TYPED_PARAM_UINT);
    CHECK_INT(params[2].value.ui, 100);
    virDomainFree(web);
    virDomainFree(db);
}

static void lifecycle(struct sim *sim, virConnectPtr conn)
{
    virDomainPtr db = virDomainLookupByName(conn, "db01");
    virDomainPtr legacy = virDomainLookupByName(conn, "legacy");
    virDomainPtr broken = virDomainLookupByName(conn, "broken");
    virErrorPtr e;

    /* What an inactive domain refuses, in libvirt's words. */
    CHECK_INT(virDomainSuspend(db), -1);
    INVALID("Domain is not active");
    CHECK_INT(virDomainResume(db), -1);
    INVALID("Domain is not paused");
    CHECK_INT(virDomainDestroy(db), -1);
    INVALID("Domain is not active or is in state transition");
    CHECK_INT(virDomainShutdown(db), -1);
    INVALID("Domain is not active or in state transition");
    CHECK_INT(virDomainReboot(db, 0), -1);
    INVALID("Domain is not active");
    CHECK_INT(virDomainReset(db, 0), -1);
    INVALID("Domain is not active");
    CHECK_INT(virDomainManagedSave(db, 0), -1);
    INVALID("Domain is not active or is in state transition");
    CHECK_INT(virDomainManagedSaveRemove(db, 0), -1);
    INVALID("Domain has no managed save image");
    CHECK_INT(virDomainCreateWithFlags(db, 1), -1);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_HYPERV, "unsupported flags (0x1) in function hypervDomainCreateWithFlags");

    sim_reset_stats(sim);
    CHECK_INT(virDomainCreate(db), 0);
    CHECK_INT(state_of(db), VIR_DOMAIN_RUNNING);
    CHECK_INT(virDomainCreate(db), -1);
    INVALID("Domain is already active or is in state transition");
    CHECK_INT(virDomainSuspend(db), 0);
    CHECK_INT(state_of(db), VIR_DOMAIN_PAUSED);
    CHECK_INT(virDomainIsActive(db), 1);
    CHECK_INT(virDomainReboot(db, 0), -1);
    INVALID("Domain is not active");
    CHECK_INT(virDomainResume(db), 0);
    CHECK_INT(state_of(db), VIR_DOMAIN_RUNNING);
    CHECK_INT(virDomainResume(db), -1);
    INVALID("Domain is not paused");
    CHECK_INT(virDomainReboot(db, 0), 0);
    CHECK_INT(virDomainReset(db, 0), 0);
    CHECK_INT(state_of(db), VIR_DOMAIN_RUNNING);
    CHECK_INT(virDomainManagedSave(db, 0), 0);
    CHECK_INT(state_of(db), VIR_DOMAIN_SHUTOFF);
    CHECK_INT(virDomainHasManagedSaveImage(db, 0), 1);
    CHECK_INT(virDomainCreate(db), 0);
    CHECK_INT(virDomainHasManagedSaveImage(db, 0), 0);
    CHECK_INT(virDomainShutdown(db), 0);
    CHECK_INT(state_of(db), VIR_DOMAIN_SHUTOFF);
    CHECK_INT(virDomainCreateWithFlags(db, 0), 0);
    CHECK_INT(virDomainDestroyFlags(db, 0), 0);
    CHECK_INT(state_of(db), VIR_DOMAIN_SHUTOFF);

    CHECK_INT(virDomainHasManagedSaveImage(legacy, 0), 1);
    CHECK_INT(state_of(legacy), VIR_DOMAIN_SHUTOFF);
    CHECK_INT(virDomainManagedSaveRemove(legacy, 0), 0);
    CHECK_INT(virDomainHasManagedSaveImage(legacy, 0), 0);

    /* A failed job says why. */
    CHECK_INT(virDomainCreate(broken), -1);
    e = virGetLastError();
    CHECK(e && e->code == VIR_ERR_OPERATION_FAILED && e->domain == VIR_FROM_HYPERV);
    CHECK(e && strstr(e->message, "'broken' failed to start") && strstr(e->message, "missing.vhdx"));
    CHECK_INT(state_of(broken), VIR_DOMAIN_SHUTOFF);

    virDomainFree(db);
    virDomainFree(legacy);
    virDomainFree(broken);
}

static void settings(struct sim *sim, virConnectPtr conn)
{
    virDomainPtr db = virDomainLookupByName(conn, "db01");
    virDomainPtr web = virDomainLookupByName(conn, "web01");
    virDomainInfo info;
    int autostart = -1;
    unsigned int ctrl_alt_del[] = {29, 56, 111};
    unsigned int win32_a[] = {0x41};
    char *state;

    CHECK_INT(virDomainGetAutostart(db, &autostart), 0);
    CHECK_INT(autostart, 0);
    CHECK_INT(virDomainSetAutostart(db, 1), 0);
    CHECK_INT(virDomainGetAutostart(db, &autostart), 0);
    CHECK_INT(autostart, 1);
    sim_reset_stats(sim);
    /* The system settings of every VM: one more enumeration. */
    CHECK_INT(count_all(conn, VIR_CONNECT_LIST_DOMAINS_AUTOSTART), 1);
    CHECK_INT(sim_requests(sim), 4);
    CHECK_INT(count_all(conn, VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART), 3);

    /* KiB to whole, even MiB, as libvirt rounds. */
    CHECK_INT(virDomainSetMemory(db, 3 * 1024 * 1024 + 1), 0);
    CHECK_INT(virDomainSetMaxMemory(db, 16 * 1024 * 1024), 0);
    CHECK_INT(virDomainSetVcpus(db, 3), 0);
    CHECK_INT(virDomainGetInfo(db, &info), 0);
    CHECK_INT(info.memory, 3074UL * 1024);
    CHECK_INT(info.maxMem, 16UL * 1024 * 1024);
    CHECK_INT(info.nrVirtCpu, 3);
    CHECK_INT(virDomainSetMemoryFlags(db, 1024, 2), -1);
    CHECK_ERROR(VIR_ERR_INVALID_ARG, VIR_FROM_HYPERV, "unsupported flags (0x2) in function hypervDomainSetMemoryFlags");
    CHECK_INT(virDomainSetMemory(db, 0), -1);
    CHECK_INT(virGetLastError()->code, VIR_ERR_INVALID_ARG);

    sim_reset_stats(sim);
    CHECK_INT(virDomainSendKey(web, VIR_KEYCODE_SET_LINUX, 10, ctrl_alt_del, 3, 0), 0);
    CHECK_INT(sim_requests(sim), 7);
    CHECK_INT(virDomainSendKey(web, VIR_KEYCODE_SET_WIN32, 0, win32_a, 1, 0), 0);
    state = sim_control(sim, "GET", "/_sim/state", NULL);
    /* VK_LCONTROL, VK_LMENU, VK_DELETE, then 'A' as given. */
    CHECK(strstr(state, "162") && strstr(state, "164") && strstr(state, "46") && strstr(state, "65"));
    free(state);
    CHECK_INT(virDomainSendKey(db, VIR_KEYCODE_SET_LINUX, 0, win32_a, 1, 0), -1);
    CHECK(virGetLastError() && strstr(virGetLastError()->message, "Invalid state for this operation (32775)"));

    virDomainFree(db);
    virDomainFree(web);
}

static long long param_ull(virDomainStatsRecordPtr rec, const char *name)
{
    unsigned long long v = 0;
    unsigned int ui = 0;
    int i = 0;
    if (virTypedParamsGetULLong(rec->params, rec->nparams, name, &v) == 1)
        return (long long)v;
    if (virTypedParamsGetUInt(rec->params, rec->nparams, name, &ui) == 1)
        return ui;
    if (virTypedParamsGetInt(rec->params, rec->nparams, name, &i) == 1)
        return i;
    return -1;
}

static void stats(struct sim *sim, virConnectPtr conn)
{
    virDomainStatsRecordPtr *records = NULL, *r;
    virDomainPtr doms[3] = {virDomainLookupByName(conn, "web01"), virDomainLookupByName(conn, "legacy"), NULL};
    int n, found = 0;
    unsigned int groups = VIR_DOMAIN_STATS_STATE | VIR_DOMAIN_STATS_VCPU | VIR_DOMAIN_STATS_BALLOON;

    sim_reset_stats(sim);
    n = virConnectGetAllDomainStats(conn, groups, &records, 0);
    CHECK_INT(n, 4);
    CHECK_INT(sim_requests(sim), 3);
    for (r = records; r && *r; r++) {
        if (strcmp(virDomainGetName((*r)->dom), "web01") == 0) {
            found++;
            CHECK_INT(param_ull(*r, "state.state"), VIR_DOMAIN_RUNNING);
            CHECK_INT(param_ull(*r, "state.reason"), 0);
            CHECK_INT(param_ull(*r, "vcpu.current"), 2);
            CHECK_INT(param_ull(*r, "vcpu.maximum"), 2);
            CHECK_INT(param_ull(*r, "balloon.current"), 4096LL * 1024);
            CHECK_INT(param_ull(*r, "balloon.maximum"), -1);
        }
    }
    CHECK_INT(found, 1);
    virDomainStatsRecordListFree(records);

    n = virConnectGetAllDomainStats(conn, VIR_DOMAIN_STATS_STATE, &records, VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE);
    CHECK_INT(n, 1);
    CHECK_INT(records[0]->nparams, 2);
    virDomainStatsRecordListFree(records);
    CHECK_INT(virConnectGetAllDomainStats(conn, VIR_DOMAIN_STATS_BLOCK, &records,
                                          VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS), -1);
    CHECK_ERROR(VIR_ERR_ARGUMENT_UNSUPPORTED, VIR_FROM_HYPERV,
                "argument unsupported: Stats types bits 0x20 are not supported by this daemon");

    n = virDomainListGetStats(doms, 0, &records, 0);
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK_STR(virDomainGetName(records[0]->dom), "web01");
        CHECK_STR(virDomainGetName(records[1]->dom), "legacy");
        CHECK_INT(param_ull(records[1], "state.state"), VIR_DOMAIN_SHUTOFF);
        CHECK_INT(param_ull(records[1], "vcpu.current"), 1);
        CHECK_INT(param_ull(records[1], "balloon.current"), -1);
    }
    virDomainStatsRecordListFree(records);
    virDomainFree(doms[0]);
    virDomainFree(doms[1]);
}

/* A host answering in the other state code set (paused 32768, saved 32769). */
static void legacy_codes(const char *script, const char *inventory)
{
    struct sim sim = sim_start(script, "--inventory", inventory, NULL);
    virConnectPtr conn = sim_open(&sim, NULL);
    virDomainPtr run = virDomainLookupByName(conn, "run");
    virDomainPtr pause = virDomainLookupByName(conn, "pause");
    virDomainPtr save = virDomainLookupByName(conn, "save");
    unsigned long version = 0;

    CHECK_INT(virConnectGetVersion(conn, &version), 0);
    CHECK_INT(version, 603009600UL);
    CHECK_INT(state_of(pause), VIR_DOMAIN_PAUSED);
    CHECK_INT(virDomainIsActive(pause), 1);
    CHECK_INT(state_of(save), VIR_DOMAIN_SHUTOFF);
    CHECK_INT(virDomainHasManagedSaveImage(save, 0), 1);
    CHECK_INT(count_all(conn, VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE), 1);
    CHECK_INT(count_all(conn, VIR_CONNECT_LIST_DOMAINS_PAUSED), 1);
    CHECK_INT(virConnectNumOfDomains(conn), 2);
    /* libvirt's driver refuses to resume from 32768; this one does not. */
    CHECK_INT(virDomainResume(pause), 0);
    CHECK_INT(state_of(pause), VIR_DOMAIN_RUNNING);
    CHECK_INT(virDomainSuspend(run), 0);
    CHECK_INT(state_of(run), VIR_DOMAIN_PAUSED);
    CHECK_INT(virDomainCreate(save), 0);
    CHECK_INT(state_of(save), VIR_DOMAIN_RUNNING);

    virDomainFree(run);
    virDomainFree(pause);
    virDomainFree(save);
    virConnectClose(conn);
    sim_stop(&sim);
}

/* Fifty VMs: the requests must not grow with them. */
static void many(const char *script)
{
    struct sim sim = sim_start(script, "--vms", "46", NULL);
    virConnectPtr conn = sim_open(&sim, NULL);
    virDomainStatsRecordPtr *records = NULL;
    unsigned int groups = VIR_DOMAIN_STATS_STATE | VIR_DOMAIN_STATS_VCPU | VIR_DOMAIN_STATS_BALLOON;

    sim_reset_stats(&sim);
    CHECK_INT(count_all(conn, 0), 50);
    CHECK(sim_requests(&sim) <= 2);
    sim_reset_stats(&sim);
    CHECK_INT(virConnectGetAllDomainStats(conn, groups, &records, 0), 50);
    CHECK(sim_requests(&sim) <= 4);
    virDomainStatsRecordListFree(records);
    virConnectClose(conn);
    sim_stop(&sim);
}

int main(int argc, char **argv)
{
    struct sim sim;
    virConnectPtr conn;
    if (argc < 3) {
        fprintf(stderr, "usage: %s path/to/hyperv_sim.py legacy.json\n", argv[0]);
        return 2;
    }
    virSetErrorFunc(NULL, quiet);
    sim = sim_start(argv[1], NULL);
    conn = sim_open(&sim, NULL);
    lists_and_lookups(&sim, conn);
    getters(&sim, conn);
    lifecycle(&sim, conn);
    settings(&sim, conn);
    stats(&sim, conn);
    CHECK_INT(virConnectClose(conn), 0);
    sim_stop(&sim);
    legacy_codes(argv[1], argv[2]);
    many(argv[1]);
    return finish("hyperv-domains");
}
