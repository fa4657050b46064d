/* Defining Hyper-V VMs the LinuxKit way (Generation 2, UEFI without secure boot,
 * a VHDX and an ISO on SCSI, a NIC on a switch named by its friendly name, a
 * serial console on a named pipe), Generation 1, a failure halfway, attach and
 * detach, snapshots and switches, through the public API against the simulator.
 * Usage: hyperv-define SIMULATOR.py http|https */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

static int failures;
#define CHECK(c) do { if (!(c)) { fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #c); failures++; } } while (0)
#define CONTAINS(s, sub) CHECK((s) != NULL && strstr((s), (sub)) != NULL)
#define LACKS(s, sub) CHECK((s) != NULL && strstr((s), (sub)) == NULL)

static pid_t sim_pid;
static char base[256];   /* http://127.0.0.1:PORT */

static void start_sim(const char *script, int https, const char *pem)
{
    int fds[2];
    if (pipe(fds) != 0) exit(2);
    sim_pid = fork();
    if (sim_pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        if (https)
            execl("/usr/bin/python3", "python3", script, "--port", "0", "--https", "--cert-out", pem, (char *)NULL);
        else
            execl("/usr/bin/python3", "python3", script, "--port", "0", (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    FILE *out = fdopen(fds[0], "r");
    char line[512] = "";
    if (!fgets(line, sizeof(line), out)) { fprintf(stderr, "simulator did not start\n"); exit(2); }
    char *url = strstr(line, "http");
    char *end = url ? strstr(url, "/wsman") : NULL;
    if (!end) exit(2);
    *end = '\0';
    snprintf(base, sizeof(base), "%s", url);
}

static void stop_sim(void)
{
    if (sim_pid > 0) { kill(sim_pid, SIGTERM); waitpid(sim_pid, NULL, 0); }
}

/* The simulator's control interface, through curl (plain HTTP or HTTPS without checks). */
static char *control(const char *method, const char *path)
{
    char cmd[512];
    snprintf(cmd, sizeof(cmd), "curl -sk -X %s %s%s", method, base, path);
    FILE *p = popen(cmd, "r");
    if (!p) return NULL;
    size_t cap = 1 << 20, len = 0;
    char *buf = malloc(cap);
    size_t n;
    while ((n = fread(buf + len, 1, cap - 1 - len, p)) > 0) len += n;
    buf[len] = '\0';
    pclose(p);
    return buf;
}

static int auth_cb(virConnectCredentialPtr cred, unsigned int ncred, void *data)
{
    (void)data;
    for (unsigned int i = 0; i < ncred; i++) {
        const char *v = cred[i].type == VIR_CRED_AUTHNAME ? "administrator" : "Passw0rd!";
        cred[i].result = strdup(v);
        cred[i].resultlen = strlen(v);
    }
    return 0;
}

static const char *GEN2 =
    "<domain type='hyperv'>"
    "<name>linuxkit</name><uuid>6a1d2e3f-4b5c-4d6e-8f70-8192a3b4c5d6</uuid>"
    "<description>LinuxKit</description>"
    "<memory unit='MiB'>1025</memory><vcpu>2</vcpu>"
    "<os firmware='efi'><type>hvm</type><loader secure='no'/></os>"
    "<devices>"
    "<disk type='file' device='disk'><source file='C:\\VMs\\linuxkit\\disk.vhdx'/><target dev='sda' bus='scsi'/>"
    "<boot order='2'/></disk>"
    "<disk type='file' device='cdrom'><source file='C:\\ISO\\linuxkit-efi.iso'/><target dev='sdb' bus='scsi'/>"
    "<boot order='1'/></disk>"
    "<interface type='bridge'><mac address='00:15:5d:0a:0b:0c'/><source bridge='Default Switch'/></interface>"
    "<serial type='pipe'><source path='\\\\.\\pipe\\linuxkit-com1'/><target port='1'/></serial>"
    "</devices></domain>";

static const char *GEN1 =
    "<domain type='hyperv'><name>gen1</name><memory unit='GiB'>1</memory>"
    "<os><type>hvm</type><boot dev='cdrom'/><boot dev='hd'/></os><devices>"
    "<disk type='file'><source file='C:\\VMs\\db01\\db01.vhdx'/><target dev='hda' bus='ide'/></disk>"
    "<disk type='file' device='cdrom'><source file='C:\\ISO\\install.iso'/><target dev='hdc' bus='ide'/></disk>"
    "<interface type='bridge'><source bridge='2c1b7f7e-0d8f-4c8e-9f1e-5a5f3e2d1c0b'/></interface>"
    "</devices></domain>";

static void gen2(virConnectPtr conn)
{
    virDomainPtr dom = virDomainDefineXML(conn, GEN2);
    CHECK(dom != NULL);
    if (!dom) { fprintf(stderr, "%s\n", virGetLastErrorMessage()); return; }
    char uuid[VIR_UUID_STRING_BUFLEN];
    virDomainGetUUIDString(dom, uuid);
    CHECK(strcmp(uuid, "6a1d2e3f-4b5c-4d6e-8f70-8192a3b4c5d6") == 0);
    CHECK(virDomainCreate(dom) == 0);
    int state = 0;
    CHECK(virDomainGetState(dom, &state, NULL, 0) == 0 && state == VIR_DOMAIN_RUNNING);
    char *xml = virDomainGetXMLDesc(dom, 0);
    CONTAINS(xml, "<domain type='hyperv' id='");
    CONTAINS(xml, "<description>LinuxKit</description>");
    CONTAINS(xml, "<memory unit='KiB'>1050624</memory>");  /* 1025 MiB rounded up to 1026 */
    CONTAINS(xml, "<vcpu placement='static'>2</vcpu>");
    CONTAINS(xml, "<os firmware='efi'>");
    CONTAINS(xml, "<feature enabled='no' name='secure-boot'/>");
    CONTAINS(xml, "<loader secure='no'/>");
    /* Generation 2 boot order: the DVD, then the disk, then the NIC Hyper-V appended. */
    CONTAINS(xml, "<source file='C:\\VMs\\linuxkit\\disk.vhdx'/>\n      <target dev='sda' bus='scsi'/>\n"
                  "      <boot order='2'/>\n"
                  "      <address type='drive' controller='0' bus='0' target='0' unit='0'/>");
    CONTAINS(xml, "<disk type='file' device='cdrom'>\n      <source file='C:\\ISO\\linuxkit-efi.iso'/>\n"
                  "      <target dev='sdb' bus='scsi'/>\n      <boot order='1'/>");
    CONTAINS(xml, "<controller type='scsi' index='0'/>");
    CONTAINS(xml, "<mac address='00:15:5d:0a:0b:0c'/>\n      <source bridge='c08cb7b8-9b3c-408e-8e30-5e16a3aeb444'/>\n"
                  "      <boot order='3'/>");
    CONTAINS(xml, "<source path='\\\\.\\pipe\\linuxkit-com1'/>\n      <target port='1'/>");
    free(xml);
    xml = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE);
    CONTAINS(xml, "<domain type='hyperv'>");
    free(xml);

    /* Defining it again: the UUID, then the name, are taken. */
    virResetLastError();
    CHECK(virDomainDefineXML(conn, GEN2) == NULL);
    CHECK(virGetLastErrorCode() == VIR_ERR_OPERATION_UNSUPPORTED);
    CHECK(virDomainDestroy(dom) == 0);

    /* Snapshots: create two, revert to the first, delete. */
    virDomainSnapshotPtr s1 = virDomainSnapshotCreateXML(dom, "<domainsnapshot><name>clean</name></domainsnapshot>", 0);
    CHECK(s1 != NULL);
    virDomainSnapshotPtr s2 = virDomainSnapshotCreateXML(dom, "<domainsnapshot/>", 0);
    CHECK(s2 != NULL);
    CHECK(virDomainSnapshotNum(dom, 0) == 2);
    CHECK(virDomainSnapshotNum(dom, VIR_DOMAIN_SNAPSHOT_LIST_ROOTS) == 1);
    CHECK(virDomainHasCurrentSnapshot(dom, 0) == 1);
    if (s1 && s2) {
        virDomainSnapshotPtr cur = virDomainSnapshotCurrent(dom, 0);
        CHECK(cur && strcmp(virDomainSnapshotGetName(cur), virDomainSnapshotGetName(s2)) == 0);
        virDomainSnapshotPtr parent = virDomainSnapshotGetParent(s2, 0);
        CHECK(parent && strcmp(virDomainSnapshotGetName(parent), virDomainSnapshotGetName(s1)) == 0);
        virDomainSnapshotPtr byname = virDomainSnapshotLookupByName(dom, "clean", 0);
        CHECK(byname && strcmp(virDomainSnapshotGetName(byname), virDomainSnapshotGetName(s1)) == 0);
        char *sx = virDomainSnapshotGetXMLDesc(s1, 0);
        CONTAINS(sx, "<description>clean</description>");
        CONTAINS(sx, "  <domain type='hyperv'>\n    <name>linuxkit</name>");
        free(sx);
        CHECK(virDomainRevertToSnapshot(s1, 0) == 0);
        CHECK(virDomainSnapshotIsCurrent(s1, 0) == 1);
        CHECK(virDomainSnapshotDelete(s1, VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN) == 0);
        CHECK(virDomainSnapshotNum(dom, 0) == 0);
        virResetLastError();
        CHECK(virDomainSnapshotLookupByName(dom, "clean", 0) == NULL);
        CHECK(virGetLastErrorCode() == VIR_ERR_NO_DOMAIN_SNAPSHOT);
        if (cur) virDomainSnapshotFree(cur);
        if (parent) virDomainSnapshotFree(parent);
        if (byname) virDomainSnapshotFree(byname);
    }
    if (s1) virDomainSnapshotFree(s1);
    if (s2) virDomainSnapshotFree(s2);

    /* Attach and detach: a disk on a second SCSI controller, a NIC, the COM 2 pipe. */
    CHECK(virDomainAttachDevice(dom, "<disk type='file'><source file='C:\\VMs\\web01\\web01.vhdx'/>"
                                     "<target dev='sdb' bus='scsi'/><address type='drive' controller='1' bus='0' unit='3'/></disk>") == 0);
    CHECK(virDomainAttachDeviceFlags(dom, "<interface type='bridge'><mac address='00:15:5d:00:00:99'/>"
                                          "<source bridge='External'/></interface>", VIR_DOMAIN_AFFECT_CONFIG) == 0);
    CHECK(virDomainAttachDevice(dom, "<serial type='pipe'><source path='\\\\.\\pipe\\two'/><target port='2'/></serial>") == 0);
    xml = virDomainGetXMLDesc(dom, 0);
    /* Hyper-V appends new devices to a Generation 2 VM's boot order. */
    CONTAINS(xml, "<target dev='sdbp' bus='scsi'/>\n      <boot order='4'/>\n"
                  "      <address type='drive' controller='1' bus='0' target='0' unit='3'/>");
    CONTAINS(xml, "<controller type='scsi' index='1'/>");
    CONTAINS(xml, "<mac address='00:15:5d:00:00:99'/>");
    CONTAINS(xml, "<source path='\\\\.\\pipe\\two'/>");
    free(xml);
    CHECK(virDomainDetachDevice(dom, "<disk type='file'><target dev='sdbp' bus='scsi'/></disk>") == 0);
    CHECK(virDomainDetachDevice(dom, "<disk type='file' device='cdrom'><target dev='sdb' bus='scsi'/></disk>") == 0);
    CHECK(virDomainDetachDeviceFlags(dom, "<interface type='bridge'><mac address='00:15:5d:00:00:99'/>"
                                          "<source bridge='x'/></interface>", 0) == 0);
    CHECK(virDomainDetachDevice(dom, "<serial type='pipe'><target port='2'/></serial>") == 0);
    virResetLastError();
    CHECK(virDomainDetachDevice(dom, "<disk type='file'><target dev='sdz' bus='scsi'/></disk>") == -1);
    CHECK(virGetLastErrorCode() == VIR_ERR_DEVICE_MISSING);
    xml = virDomainGetXMLDesc(dom, 0);
    LACKS(xml, "sdbp");
    LACKS(xml, "linuxkit-efi.iso");
    LACKS(xml, "00:15:5d:00:00:99");
    LACKS(xml, "\\pipe\\two");
    CONTAINS(xml, "disk.vhdx");
    free(xml);

    CHECK(virDomainUndefine(dom) == 0);
    char *state_json = control("GET", "/_sim/state");
    LACKS(state_json, "\"name\": \"linuxkit\"");
    free(state_json);
    virDomainFree(dom);
}

static void gen1(virConnectPtr conn)
{
    virDomainPtr dom = virDomainDefineXML(conn, GEN1);
    CHECK(dom != NULL);
    if (!dom) { fprintf(stderr, "%s\n", virGetLastErrorMessage()); return; }
    char *xml = virDomainGetXMLDesc(dom, 0);
    CONTAINS(xml, "<os>\n    <type>hvm</type>\n    <boot dev='cdrom'/>\n    <boot dev='hd'/>");
    CONTAINS(xml, "<target dev='hda' bus='ide'/>\n      <address type='drive' controller='0' bus='0' target='0' unit='0'/>");
    CONTAINS(xml, "<target dev='hdc' bus='ide'/>\n      <address type='drive' controller='0' bus='1' target='0' unit='0'/>");
    CONTAINS(xml, "<controller type='ide' index='0'/>");
    CONTAINS(xml, "<source bridge='2c1b7f7e-0d8f-4c8e-9f1e-5a5f3e2d1c0b'/>");
    CONTAINS(xml, "<memory unit='KiB'>1048576</memory>");
    free(xml);
    CHECK(virDomainUndefineFlags(dom, 0) == 0);
    virDomainFree(dom);
}

static void failures_leave_nothing(virConnectPtr conn)
{
    /* A missing image fails its AddResourceSettings job after the VM exists. */
    char bad[4096];
    snprintf(bad, sizeof(bad), "%s", GEN2);
    char *p = strstr(bad, "disk.vhdx");
    memcpy(p, "nope.vhdx", 9);
    virResetLastError();
    CHECK(virDomainDefineXML(conn, bad) == NULL);
    CHECK(virGetLastErrorCode() == VIR_ERR_OPERATION_FAILED);
    CONTAINS(virGetLastErrorMessage(), "The system cannot find the file specified");
    char *state = control("GET", "/_sim/state");
    LACKS(state, "\"name\": \"linuxkit\"");
    free(state);
    /* A switch that does not exist fails before anything is made. */
    char *nosw = strdup(GEN2);
    memcpy(strstr(nosw, "Default Switch"), "Nowhere Switch", 14);
    virResetLastError();
    CHECK(virDomainDefineXML(conn, nosw) == NULL);
    CHECK(virGetLastErrorCode() == VIR_ERR_NO_NETWORK);
    free(nosw);
    /* XML errors. */
    virResetLastError();
    CHECK(virDomainDefineXML(conn, "<domain type='hyperv'><name>x</name>") == NULL);
    CHECK(virGetLastErrorCode() == VIR_ERR_XML_DETAIL);
    CHECK(virDomainDefineXML(conn, "<domain type='hyperv'><name>x</name><memory>1024</memory><devices>"
                                   "<disk type='file'><source file='a'/><target dev='vda' bus='virtio'/></disk>"
                                   "</devices></domain>") == NULL);
    CHECK(virGetLastErrorCode() == VIR_ERR_CONFIG_UNSUPPORTED);
    CHECK(virDomainDefineXML(conn, "<domain type='hyperv'><name>web01</name><memory>1024</memory></domain>") == NULL);
    CHECK(virGetLastErrorCode() == VIR_ERR_DOM_EXIST);
}

static void switches(virConnectPtr conn)
{
    CHECK(virConnectNumOfNetworks(conn) == 2);
    CHECK(virConnectNumOfDefinedNetworks(conn) == 0);
    virNetworkPtr *nets = NULL;
    CHECK(virConnectListAllNetworks(conn, &nets, 0) == 2);
    for (int i = 0; nets && nets[i]; i++) virNetworkFree(nets[i]);
    free(nets);
    CHECK(virConnectListAllNetworks(conn, NULL, VIR_CONNECT_LIST_NETWORKS_INACTIVE) == 0);
    virNetworkPtr net = virNetworkLookupByName(conn, "External");
    CHECK(net != NULL);
    if (!net) return;
    char uuid[VIR_UUID_STRING_BUFLEN];
    CHECK(virNetworkGetUUIDString(net, uuid) == 0 && strcmp(uuid, "2c1b7f7e-0d8f-4c8e-9f1e-5a5f3e2d1c0b") == 0);
    CHECK(strcmp(virNetworkGetName(net), "External") == 0);
    char *xml = virNetworkGetXMLDesc(net, 0);
    CHECK(xml && strcmp(xml, "<network>\n  <name>External</name>\n  <uuid>2c1b7f7e-0d8f-4c8e-9f1e-5a5f3e2d1c0b</uuid>\n</network>\n") == 0);
    free(xml);
    int autostart = 0;
    CHECK(virNetworkGetAutostart(net, &autostart) == 0 && autostart == 1);
    CHECK(virNetworkIsActive(net) == 1 && virNetworkIsPersistent(net) == 1);
    virNetworkPtr same = virNetworkLookupByUUIDString(conn, uuid);
    CHECK(same && strcmp(virNetworkGetName(same), "External") == 0);
    if (same) virNetworkFree(same);
    virNetworkFree(net);
    virResetLastError();
    CHECK(virNetworkLookupByName(conn, "nope") == NULL);
    CHECK(virGetLastErrorCode() == VIR_ERR_NO_NETWORK);
}

int main(int argc, char **argv)
{
    if (argc != 3) { fprintf(stderr, "usage: %s SIM.py http|https\n", argv[0]); return 2; }
    int https = strcmp(argv[2], "https") == 0;
    char pem[] = "/tmp/hyperv-define-XXXXXX";
    int fd = mkstemp(pem);
    if (fd >= 0) close(fd);
    start_sim(argv[1], https, pem);
    const char *port = strrchr(base, ':') + 1;
    char uri[512];
    if (https)
        snprintf(uri, sizeof(uri), "hyperv://127.0.0.1:%s/?cacert=%s", port, pem);
    else
        snprintf(uri, sizeof(uri), "hyperv://127.0.0.1:%s/?transport=http", port);
    int types[] = { VIR_CRED_AUTHNAME, VIR_CRED_PASSPHRASE };
    virConnectAuth auth = { types, 2, auth_cb, NULL };
    virConnectPtr conn = virConnectOpenAuth(uri, &auth, 0);
    CHECK(conn != NULL);
    if (conn) {
        gen2(conn);
        gen1(conn);
        failures_leave_nothing(conn);
        switches(conn);
        CHECK(virConnectClose(conn) == 0);
    } else {
        fprintf(stderr, "open %s: %s\n", uri, virGetLastErrorMessage());
    }
    stop_sim();
    unlink(pem);
    if (failures) fprintf(stderr, "%d check(s) failed\n", failures);
    return failures ? 1 : 0;
}
