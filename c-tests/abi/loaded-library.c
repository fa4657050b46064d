/* Fails unless libvirt's functions resolve to the libraries of LIBDIR, the prefix
 * pkg-config named, and no other libvirt library is mapped into the process. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libvirt/libvirt.h>
#include <libvirt/libvirt-lxc.h>
#include <libvirt/libvirt-qemu.h>

static int failures;

static void expect_from(const char *symbol, const char *library)
{
    char path[PATH_MAX], want[PATH_MAX], have[PATH_MAX];
    Dl_info info;
    void *address = dlsym(RTLD_DEFAULT, symbol);

    snprintf(path, sizeof(path), "%s/%s", LIBDIR, library);
    if (!address || !dladdr(address, &info) || !realpath(info.dli_fname, have)) {
        printf("FAIL %s: not found in the process\n", symbol);
        failures++;
        return;
    }
    if (!realpath(path, want) || strcmp(want, have) != 0) {
        printf("FAIL %s comes from %s, not from %s\n", symbol, have, path);
        failures++;
        return;
    }
    printf("ok   %s from %s\n", symbol, have);
}

/* Every mapped file whose name starts with "libvirt" must live in LIBDIR. */
static void expect_no_other_libvirt(void)
{
    char line[PATH_MAX + 256], libdir[PATH_MAX];
    FILE *maps = fopen("/proc/self/maps", "r");

    if (!maps || !realpath(LIBDIR, libdir)) {
        printf("FAIL cannot read /proc/self/maps or %s\n", LIBDIR);
        failures++;
        return;
    }
    while (fgets(line, sizeof(line), maps)) {
        char *path = strchr(line, '/');
        char *base = strrchr(line, '/');
        if (!path || strncmp(base + 1, "libvirt", 7) != 0)
            continue;
        path[strcspn(path, "\n")] = '\0';
        char real[PATH_MAX];
        if (!realpath(path, real) || strncmp(real, libdir, strlen(libdir)) != 0 || real[strlen(libdir)] != '/') {
            printf("FAIL %s is mapped\n", path);
            failures++;
        }
    }
    fclose(maps);
}

int main(void)
{
    /* Referencing one function of each library keeps all three linked in. */
    void *volatile keep[] = { (void *)virConnectOpen, (void *)virDomainQemuAttach, (void *)virDomainLxcOpenNamespace };
    (void)keep;

    expect_from("virConnectOpen", "libvirt.so.0");
    expect_from("virDomainQemuAttach", "libvirt-qemu.so.0");
    expect_from("virDomainLxcOpenNamespace", "libvirt-lxc.so.0");
    expect_no_other_libvirt();
    return failures ? EXIT_FAILURE : EXIT_SUCCESS;
}
