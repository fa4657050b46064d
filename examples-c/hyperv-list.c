/* Lists the VMs of a Hyper-V host: hyperv-list URI [USER [PASSWORD]].
 * The user and password may also come from HYPERV_USER and HYPERV_PASSWORD;
 * a user in the URI wins, as libvirt's driver has it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

static const char *user, *password;

static int answer(virConnectCredentialPtr cred, unsigned int ncred, void *data)
{
    unsigned int i;
    (void)data;
    for (i = 0; i < ncred; i++) {
        const char *value = NULL;
        if (cred[i].type == VIR_CRED_AUTHNAME)
            value = user ? user : cred[i].defresult;
        else if (cred[i].type == VIR_CRED_PASSPHRASE || cred[i].type == VIR_CRED_NOECHOPROMPT)
            value = password;
        if (!value)
            return -1;
        cred[i].result = strdup(value);
        cred[i].resultlen = strlen(value);
    }
    return 0;
}

static const char *state_name(unsigned char state)
{
    static const char *names[] = {"no state", "running", "blocked", "paused", "shutting down", "shut off",
                                  "crashed", "suspended"};
    return state < sizeof(names) / sizeof(names[0]) ? names[state] : "?";
}

int main(int argc, char **argv)
{
    int types[] = {VIR_CRED_AUTHNAME, VIR_CRED_PASSPHRASE};
    virConnectAuth auth = {types, 2, answer, NULL};
    virConnectPtr conn;
    virDomainPtr *doms = NULL;
    unsigned long version = 0;
    char *hostname;
    int i, n;

    if (argc < 2) {
        fprintf(stderr, "usage: %s hyperv://HOST/ [USER [PASSWORD]]\n", argv[0]);
        return 2;
    }
    user = argc > 2 ? argv[2] : getenv("HYPERV_USER");
    password = argc > 3 ? argv[3] : getenv("HYPERV_PASSWORD");

    conn = virConnectOpenAuth(argv[1], &auth, 0);
    if (!conn)
        return 1; /* libvirt has printed the error */
    virConnectGetVersion(conn, &version);
    hostname = virConnectGetHostname(conn);
    /* libvirt packs 10.0.17763 as 10 * 100000000 + 0 * 1000000 + 17763. */
    printf("%s host %s, version %lu.%lu.%lu\n", virConnectGetType(conn), hostname ? hostname : "?",
           version / 100000000, version / 1000000 % 100, version % 1000000);
    free(hostname);

    n = virConnectListAllDomains(conn, &doms, 0);
    printf("%-20s %-14s %10s %5s\n", "Name", "State", "Memory MiB", "vCPUs");
    for (i = 0; i < n; i++) {
        virDomainInfo info;
        if (virDomainGetInfo(doms[i], &info) == 0)
            printf("%-20s %-14s %10lu %5u\n", virDomainGetName(doms[i]), state_name(info.state),
                   info.memory / 1024, info.nrVirtCpu);
        virDomainFree(doms[i]);
    }
    free(doms);
    virConnectClose(conn);
    return n < 0;
}
