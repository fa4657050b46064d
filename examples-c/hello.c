/* hello: connect to a hypervisor and describe it and its domains.
 *
 * usage: hello [URI]        (default: test:///default) */
#include <stdio.h>
#include <stdlib.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

static const char *state_name(unsigned char state)
{
    switch (state) {
    case VIR_DOMAIN_NOSTATE: return "no state";
    case VIR_DOMAIN_RUNNING: return "running";
    case VIR_DOMAIN_BLOCKED: return "blocked";
    case VIR_DOMAIN_PAUSED: return "paused";
    case VIR_DOMAIN_SHUTDOWN: return "shutting down";
    case VIR_DOMAIN_SHUTOFF: return "shut off";
    case VIR_DOMAIN_CRASHED: return "crashed";
    case VIR_DOMAIN_PMSUSPENDED: return "suspended";
    default: return "?";
    }
}

/* libvirt versions are major * 1000000 + minor * 1000 + micro. */
static void print_version(const char *what, unsigned long version)
{
    printf("%-20s %lu.%lu.%lu\n", what, version / 1000000, version / 1000 % 1000, version % 1000);
}

static void print_domains(virConnectPtr conn)
{
    virDomainPtr *domains = NULL;
    int count = virConnectListAllDomains(conn, &domains, 0);

    if (count < 0) {
        printf("%-20s (cannot list: %s)\n", "domains", virGetLastErrorMessage());
        return;
    }
    printf("%-20s %d\n", "domains", count);
    printf("  %-4s %-16s %-14s %12s %6s\n", "id", "name", "state", "memory KiB", "vcpus");
    for (int i = 0; i < count; i++) {
        virDomainInfo info;
        int id = (int)virDomainGetID(domains[i]); /* -1 when not running */
        const char *name = virDomainGetName(domains[i]);
        char id_text[16] = "-";

        if (id >= 0)
            snprintf(id_text, sizeof(id_text), "%d", id);
        if (virDomainGetInfo(domains[i], &info) == 0)
            printf("  %-4s %-16s %-14s %12lu %6u\n", id_text, name ? name : "?", state_name(info.state), info.memory,
                   info.nrVirtCpu);
        else
            printf("  %-4s %-16s (no info: %s)\n", id_text, name ? name : "?", virGetLastErrorMessage());
        virDomainFree(domains[i]);
    }
    free(domains);
}

int main(int argc, char **argv)
{
    const char *uri = argc > 1 ? argv[1] : "test:///default";
    unsigned long version;
    virNodeInfo node;
    char *hostname;
    virConnectPtr conn = virConnectOpen(uri);

    if (!conn) {
        fprintf(stderr, "cannot connect to %s: %s\n", uri, virGetLastErrorMessage());
        return EXIT_FAILURE;
    }
    printf("%-20s %s\n", "connected to", uri);
    printf("%-20s %s\n", "hypervisor type", virConnectGetType(conn));
    if (virConnectGetLibVersion(conn, &version) == 0)
        print_version("library version", version);
    if (virConnectGetVersion(conn, &version) == 0)
        print_version("hypervisor version", version);
    if ((hostname = virConnectGetHostname(conn))) {
        printf("%-20s %s\n", "hostname", hostname);
        free(hostname);
    }
    if (virNodeGetInfo(conn, &node) == 0)
        printf("%-20s %s, %u CPUs at %u MHz, %lu KiB memory\n", "node", node.model, node.cpus, node.mhz,
               node.memory);
    print_domains(conn);
    virConnectClose(conn);
    return EXIT_SUCCESS;
}
