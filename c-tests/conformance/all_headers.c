/* ferrovirt's four headers in one translation unit, for the warning checks
 * (compiled as C89, C99 and C++11). */
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <libvirt/libvirt-qemu.h>
#include <libvirt/libvirt-lxc.h>

int main(void)
{
    virNodeInfo info;
    info.nodes = info.sockets = info.cores = info.threads = 1;
    return VIR_NODEINFO_MAXCPUS(info) == 1 && LIBVIR_CHECK_VERSION(9, 0, 0) ? 0 : 1;
}
