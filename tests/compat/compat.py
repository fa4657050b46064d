# The compatibility calls for Debian's python3-libvirt: run with /usr/bin/python3,
# once against real libvirt and once against ferrovirt; run.sh diffs the outputs.
import sys
import time

import libvirt


def loaded_library():
    with open("/proc/self/maps") as maps:
        for line in maps:
            if "libvirt.so.0" in line:
                return line.split()[-1]
    return "none"


def clock_or(value):
    """CPU time of the test driver is the wall clock: print it as such."""
    now = time.time_ns()
    return "<clock>" if abs(now - value) < 60 * 10**9 else value


def error(call):
    try:
        call()
        print("  no error")
    except libvirt.libvirtError as e:
        print("  code=%s domain=%s message=%r" % (e.get_error_code(), e.get_error_domain(), e.get_error_message()))
        print("  err=%r" % (e.err,))


print("loaded:", loaded_library(), file=sys.stderr)
conn = libvirt.open("test:///default")
print("libVersion", conn.getLibVersion())
print("version", conn.getVersion())
print("type", conn.getType())
print("hostname", conn.getHostname())
print("nodeinfo", conn.getInfo())
print("maxVcpus", conn.getMaxVcpus(None))
print("alive/secure/encrypted", conn.isAlive(), conn.isSecure(), conn.isEncrypted())
print("capabilities", conn.getCapabilities(), sep="\n")
print("numOfDomains", conn.numOfDomains(), "ids", conn.listDomainsID())
print("numOfDefined", conn.numOfDefinedDomains(), "names", conn.listDefinedDomains())
print("all", [d.name() for d in conn.listAllDomains(0)])
print("active", [d.name() for d in conn.listAllDomains(libvirt.VIR_CONNECT_LIST_DOMAINS_ACTIVE)])
print("inactive", [d.name() for d in conn.listAllDomains(libvirt.VIR_CONNECT_LIST_DOMAINS_INACTIVE)])
for how, dom in (("byName", conn.lookupByName("test")), ("byID", conn.lookupByID(1)),
                 ("byUUID", conn.lookupByUUIDString("6695eb01-f6a4-8304-79aa-97f2502e193f"))):
    info = dom.info()
    print(how, dom.name(), dom.ID(), dom.UUIDString(), dom.UUID().hex())
    print("  info", info[:4], clock_or(info[4]))
    print("  state", dom.state(), "os", dom.OSType(), "maxMemory", dom.maxMemory(), "maxVcpus", dom.maxVcpus())
    print("  active", dom.isActive(), "persistent", dom.isPersistent(), "updated", dom.isUpdated())
dom = conn.lookupByName("test")
print("xml", dom.XMLDesc(0), sep="\n")
print("inactive xml", dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE), sep="\n")
print("lookupByName('nonexistent')")
error(lambda: conn.lookupByName("nonexistent"))
print("lookupByID(99)")
error(lambda: conn.lookupByID(99))
print("lookupByUUIDString('bad')")
error(lambda: conn.lookupByUUIDString("bad"))
print("state(flags=1)")
error(lambda: dom.state(1))
print("XMLDesc(UPDATE_CPU)")
error(lambda: dom.XMLDesc(libvirt.VIR_DOMAIN_XML_UPDATE_CPU))
conn.close()
