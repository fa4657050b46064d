/* The host and node getters on test:///default. */
#define _GNU_SOURCE
#include "check.h"
#include <dirent.h>
#include <netdb.h>
#include <unistd.h>

/* The host name as libvirt computes it: a short name other than localhost* is
 * replaced by its canonical name, unless that is localhost* too. */
static void expected_hostname(char *out, size_t len)
{
    struct addrinfo hints, *info = NULL;
    char name[256] = "";
    gethostname(name, sizeof(name) - 1);
    snprintf(out, len, "%s", name);
    if (strncmp(name, "localhost", 9) == 0 || strchr(name, '.'))
        return;
    memset(&hints, 0, sizeof(hints));
    hints.ai_flags = AI_CANONNAME | AI_CANONIDN;
    hints.ai_family = AF_UNSPEC;
    if (getaddrinfo(name, NULL, &hints, &info) != 0)
        return;
    if (info->ai_canonname && strncmp(info->ai_canonname, "localhost", 9) != 0)
        snprintf(out, len, "%s", info->ai_canonname);
    freeaddrinfo(info);
}

static int host_has_iommu(void)
{
    DIR *dir = opendir("/sys/kernel/iommu_groups/");
    struct dirent *entry;
    int found = 0;
    if (!dir)
        return 0;
    while ((entry = readdir(dir)))
        if (strcmp(entry->d_name, ".") && strcmp(entry->d_name, ".."))
            found = 1;
    closedir(dir);
    return found;
}

static const char caps_head[] =
    "<capabilities>\n\n  <host>\n    <cpu>\n      <arch>i686</arch>\n"
    "      <features>\n        <pae/>\n        <nonpae/>\n      </features>\n"
    "      <pages unit='KiB' size='4'/>\n      <pages unit='KiB' size='8'/>\n"
    "      <pages unit='KiB' size='2048'/>\n      <pages unit='KiB' size='1048576'/>\n"
    "    </cpu>\n    <power_management/>\n";

static const char caps_guest[] =
    "  <guest>\n    <os_type>%s</os_type>\n    <arch name='i686'>\n      <wordsize>32</wordsize>\n"
    "      <emulator>/usr/bin/test-hv</emulator>\n      <domain type='test'/>\n    </arch>\n"
    "    <features>\n      <pae/>\n      <nonpae/>\n    </features>\n  </guest>\n\n";

static void expected_capabilities(char *out, size_t len)
{
    size_t n = 0;
    int cell, cpu;
    n += snprintf(out + n, len - n, "%s    <iommu support='%s'/>\n", caps_head, host_has_iommu() ? "yes" : "no");
    n += snprintf(out + n, len - n, "    <topology>\n      <cells num='2'>\n");
    for (cell = 0; cell < 2; cell++) {
        n += snprintf(out + n, len - n,
                      "        <cell id='%d'>\n          <memory unit='KiB'>%d</memory>\n"
                      "          <pages unit='KiB' size='%d'>524288</pages>\n"
                      "          <pages unit='KiB' size='2048'>0</pages>\n"
                      "          <pages unit='KiB' size='1048576'>0</pages>\n          <cpus num='8'>\n",
                      cell, (cell + 1) * 2097152, cell ? 8 : 4);
        for (cpu = cell * 8; cpu < cell * 8 + 8; cpu++)
            n += snprintf(out + n, len - n,
                          "            <cpu id='%d' socket_id='%d' die_id='0' core_id='%d' siblings='%d'/>\n",
                          cpu, cell, cpu % 8, cpu);
        n += snprintf(out + n, len - n, "          </cpus>\n        </cell>\n");
    }
    n += snprintf(out + n, len - n,
                  "      </cells>\n    </topology>\n    <secmodel>\n      <model>testSecurity</model>\n"
                  "      <doi></doi>\n    </secmodel>\n  </host>\n\n");
    n += snprintf(out + n, len - n, caps_guest, "hvm");
    n += snprintf(out + n, len - n, caps_guest, "xen");
    snprintf(out + n, len - n, "</capabilities>\n");
}

int main(void)
{
    virConnectPtr conn = open_default();
    virNodeInfo info;
    char want[16384];
    char *got;

    got = virConnectGetHostname(conn);
    expected_hostname(want, sizeof(want));
    CHECK_STR(got, want);
    free(got);
    CHECK(virConnectGetHostname(NULL) == NULL);
    CHECK_ERROR(VIR_ERR_INVALID_CONN, VIR_FROM_DOMAIN, "invalid connection pointer in virConnectGetHostname");

    got = virConnectGetCapabilities(conn);
    expected_capabilities(want, sizeof(want));
    CHECK_STR(got, want);
    free(got);
    CHECK(virConnectGetCapabilities(NULL) == NULL);
    CHECK_ERROR(VIR_ERR_INVALID_CONN, VIR_FROM_DOMAIN, "invalid connection pointer in virConnectGetCapabilities");

    memset(&info, 0x55, sizeof(info));
    CHECK_INT(virNodeGetInfo(conn, &info), 0);
    CHECK_STR(info.model, "i686");
    CHECK_INT(info.memory, 3145728);
    CHECK_INT(info.cpus, 16);
    CHECK_INT(info.mhz, 1400);
    CHECK_INT(info.nodes, 2);
    CHECK_INT(info.sockets, 2);
    CHECK_INT(info.cores, 2);
    CHECK_INT(info.threads, 2);
    CHECK_INT(virNodeGetInfo(conn, NULL), -1);
    CHECK_ARG_ERROR(VIR_FROM_DOMAIN, "virNodeGetInfo", "info", "info in virNodeGetInfo must not be NULL");
    CHECK_INT(virNodeGetInfo(NULL, &info), -1);
    CHECK_ERROR(VIR_ERR_INVALID_CONN, VIR_FROM_DOMAIN, "invalid connection pointer in virNodeGetInfo");

    /* The test driver ignores the type. */
    CHECK_INT(virConnectGetMaxVcpus(conn, NULL), 32);
    CHECK_INT(virConnectGetMaxVcpus(conn, "test"), 32);
    CHECK_INT(virConnectGetMaxVcpus(conn, "no-such-type"), 32);
    CHECK_INT(virConnectGetMaxVcpus(NULL, NULL), -1);
    CHECK_ERROR(VIR_ERR_INVALID_CONN, VIR_FROM_DOMAIN, "invalid connection pointer in virConnectGetMaxVcpus");

    CHECK_INT(virConnectIsAlive(conn), 1);
    CHECK_INT(virConnectIsSecure(conn), 1);
    CHECK_INT(virConnectIsEncrypted(conn), 0);
    CHECK_NO_ERROR();
    CHECK_INT(virConnectIsAlive(NULL), -1);
    CHECK_ERROR(VIR_ERR_INVALID_CONN, VIR_FROM_DOMAIN, "invalid connection pointer in virConnectIsAlive");
    CHECK_INT(virConnectIsSecure(NULL), -1);
    CHECK_ERROR(VIR_ERR_INVALID_CONN, VIR_FROM_DOMAIN, "invalid connection pointer in virConnectIsSecure");
    CHECK_INT(virConnectIsEncrypted(NULL), -1);
    CHECK_ERROR(VIR_ERR_INVALID_CONN, VIR_FROM_DOMAIN, "invalid connection pointer in virConnectIsEncrypted");

    CHECK_INT(virConnectClose(conn), 0);
    return finish("node");
}
