/*
 * The part of libvirt.h that is not a Rust item: function-like macros, macros
 * that name other macros or struct tags, and the exported variable.
 */

#ifndef VIR_DEPRECATED
# ifdef __GNUC__
#  define VIR_DEPRECATED __attribute__((__deprecated__))
# else
#  define VIR_DEPRECATED
# endif
#endif
#define VIR_EXPORT_VAR extern

/* True when the headers describe at least libvirt major.minor.micro. */
#define LIBVIR_CHECK_VERSION(major, minor, micro) \
    ((major) * 1000000 + (minor) * 1000 + (micro) <= LIBVIR_VERSION_NUMBER)

/* The number of host CPUs a virNodeInfo describes. */
#define VIR_NODEINFO_MAXCPUS(nodeinfo) \
    ((nodeinfo).nodes * (nodeinfo).sockets * (nodeinfo).cores * (nodeinfo).threads)

/* CPU bitmaps: one bit per host CPU, eight to a byte, lowest CPU in bit 0. */
#define VIR_CPU_MAPLEN(cpu) (((cpu) + 7) / 8)
#define VIR_USE_CPU(cpumap, cpu) ((cpumap)[(cpu) / 8] |= (1 << ((cpu) % 8)))
#define VIR_UNUSE_CPU(cpumap, cpu) ((cpumap)[(cpu) / 8] &= ~(1 << ((cpu) % 8)))
#define VIR_CPU_USED(cpumap, cpu) ((cpumap)[(cpu) / 8] & (1 << ((cpu) % 8)))
/* virDomainGetVcpus' cpumaps hold one map of maplen bytes per vCPU. */
#define VIR_GET_CPUMAP(cpumaps, maplen, vcpu) (&((cpumaps)[(vcpu) * (maplen)]))
#define VIR_CPU_USABLE(cpumaps, maplen, vcpu, cpu) \
    VIR_CPU_USED(VIR_GET_CPUMAP(cpumaps, maplen, vcpu), cpu)
#define VIR_COPY_CPUMAP(cpumaps, maplen, vcpu, cpumap) \
    memcpy(cpumap, VIR_GET_CPUMAP(cpumaps, maplen, vcpu), maplen)

/* Event registration takes the generic callback type whatever the event. */
#define VIR_DOMAIN_EVENT_CALLBACK(cb) ((virConnectDomainEventGenericCallback)(cb))
#define VIR_NETWORK_EVENT_CALLBACK(cb) ((virConnectNetworkEventGenericCallback)(cb))
#define VIR_STORAGE_POOL_EVENT_CALLBACK(cb) ((virConnectStoragePoolEventGenericCallback)(cb))
#define VIR_NODE_DEVICE_EVENT_CALLBACK(cb) ((virConnectNodeDeviceEventGenericCallback)(cb))
#define VIR_SECRET_EVENT_CALLBACK(cb) ((virConnectSecretEventGenericCallback)(cb))

/* The older struct tags of virTypedParameter. */
#define _virSchedParameter _virTypedParameter
#define _virBlkioParameter _virTypedParameter
#define _virMemoryParameter _virTypedParameter

/* The credential callback that prompts on the terminal. */
VIR_EXPORT_VAR virConnectAuthPtr virConnectAuthPtrDefault;
