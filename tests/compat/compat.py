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
# Storage: libvirt lists pools and volumes in hash order, so lists are sorted.
print("storage pools", conn.numOfStoragePools(), sorted(conn.listStoragePools()),
      conn.numOfDefinedStoragePools(), sorted(conn.listDefinedStoragePools()))
pool = conn.storagePoolLookupByName("default-pool")
print("pool", pool.name(), pool.UUIDString(), pool.info(), pool.isActive(), pool.isPersistent(), pool.autostart())
print(pool.XMLDesc(0))
vol = pool.createXML("<volume><name>v1</name><capacity unit='MiB'>2</capacity>"
                     "<target><format type='qcow2'/><permissions><mode>0600</mode></permissions></target></volume>", 0)
print("vol", vol.name(), vol.key(), vol.path(), vol.info())
print(vol.XMLDesc(0))
clone = pool.createXMLFrom("<volume><name>v2</name><capacity>10</capacity></volume>", vol, 0)
print("volumes", pool.numOfVolumes(), sorted(pool.listVolumes()), sorted(v.name() for v in pool.listAllVolumes(0)))
print("byKey", conn.storageVolLookupByKey("/default-pool/v2").name(),
      "byPath", conn.storageVolLookupByPath("/default-pool/v1").name(),
      "pool", vol.storagePoolLookupByVolume().name(), "info", pool.info())
p2 = conn.storagePoolDefineXML("<pool type='netfs'><name>p2</name><uuid>11111111-2222-3333-4444-555555555555</uuid>"
                               "<source><host name='nfs.example'/><dir path='/export/'/></source>"
                               "<target><path>/mnt/p2</path></target></pool>", 0)
print(p2.XMLDesc(0))
print("p2", p2.info(), p2.isActive(), p2.isPersistent())
p2.setAutostart(1)
p2.create(0)
print("all", sorted(p.name() for p in conn.listAllStoragePools(0)),
      "autostart", [p.name() for p in conn.listAllStoragePools(libvirt.VIR_CONNECT_LIST_STORAGE_POOLS_AUTOSTART)],
      "netfs", [p.name() for p in conn.listAllStoragePools(libvirt.VIR_CONNECT_LIST_STORAGE_POOLS_NETFS)])
print("sources", conn.findStoragePoolSources("logical", None, 0))
for label, call in (
        ("undefine active", lambda: p2.undefine()),
        ("create active", lambda: p2.create(0)),
        ("vol exists", lambda: pool.createXML("<volume><name>v1</name><capacity>1</capacity></volume>", 0)),
        ("no space", lambda: pool.createXML("<volume><name>big</name><capacity unit='TiB'>1</capacity></volume>", 0)),
        ("bad vol xml", lambda: pool.createXML("<volume><name>a</name></volume>", 0)),
        ("bad pool xml", lambda: conn.storagePoolDefineXML("<pool type='dir'><name>a</name></pool>", 0)),
        ("pool conflict", lambda: conn.storagePoolCreateXML(
            "<pool type='dir'><name>z</name><target><path>/default-pool</path></target></pool>", 0)),
        ("no pool", lambda: conn.storagePoolLookupByName("nope")),
        ("no vol", lambda: conn.storageVolLookupByKey("nokey")),
        ("netfs sources", lambda: conn.findStoragePoolSources("netfs", None, 0)),
        ("wipe", lambda: vol.wipe(0)),
        ("target path", lambda: conn.storagePoolLookupByTargetPath("/default-pool"))):
    print(label)
    error(call)
p2.destroy()
p2.undefine()
clone.delete(0)
vol.delete(0)
print("after", pool.info(), conn.numOfStoragePools(), conn.numOfDefinedStoragePools())
error(lambda: vol.info())
conn.close()

# The lifecycle and its events, delivered by the default event loop.
print("register without a loop")
conn = libvirt.open("test:///default")
error(lambda: conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE, lambda *a: None, None))
libvirt.virEventRegisterDefaultImpl()
libvirt.virEventAddTimeout(1, lambda *a: None, None)
seen = []


def lifecycle(conn, dom, event, detail, name):
    seen.append("%s:%s:%d:%d:%d" % (name, dom.name(), dom.ID(), event, detail))


def pump(what):
    for _ in range(3):
        libvirt.virEventRunDefaultImpl()
    print(what, seen)
    seen.clear()


test = conn.lookupByName("test")
print("ids", conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE, lifecycle, "any"),
      conn.domainEventRegisterAny(test, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE, lifecycle, "test"),
      conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_REBOOT, lambda *a: seen.append("reboot"), None))
conn.domainEventRegister(lifecycle, "legacy")
FOO = ("<domain type='test'><name>foo</name><uuid>11111111-2222-3333-4444-555555555555</uuid>"
       "<memory unit='MiB'>64</memory><vcpu>2</vcpu><os><type>hvm</type></os></domain>")
foo = conn.defineXML(FOO)
pump("define")
print("xml", foo.XMLDesc(0), sep="\n")
for name, op in (("create", foo.create), ("suspend", foo.suspend), ("suspend", foo.suspend),
                 ("resume", foo.resume), ("reboot", lambda: foo.reboot(0)), ("reset", lambda: foo.reset(0)),
                 ("shutdown", foo.shutdown), ("shutdown", foo.shutdown), ("createWithFlags", lambda: foo.createWithFlags(0)),
                 ("destroy", foo.destroy), ("destroy", foo.destroy), ("autostart", lambda: foo.setAutostart(1)),
                 ("undefine", foo.undefine), ("undefine", foo.undefine)):
    print(name)
    error(op)
    print("  state", foo.state() if name != "undefine" else "-", "id", foo.ID())
    pump("  events")
print("createXML")
foo = conn.createXML(FOO, 0)
print("  id", foo.ID(), "persistent", foo.isPersistent(), "xml", foo.XMLDesc(0), sep="\n")
error(lambda: conn.createXML(FOO, 0))
error(lambda: conn.defineXML(FOO.replace("foo", "bar")))
error(lambda: conn.defineXML("<domain type='test'><name>x</name><os><type>hvm</type></os></domain>"))
foo.destroy()
pump("  events")
print("test shutdown/create")
test.shutdown()
test.create()
print("  id", test.ID(), conn.lookupByName("test").ID())
pump("  events")
info = test.blockStats("vda")
print("blockStats", [clock_or(v * d) for v, d in zip(info, (10000, 20000, 30000, 40000))])
error(lambda: test.blockStats("hda"))
info = test.interfaceStats("testnet0")
print("interfaceStats", [clock_or(v * d) for v, d in zip(info[:2] + info[4:6], (10000, 100000, 20000, 110000))])
error(lambda: test.interfaceStats("eth0"))
# Save/restore, managed save and core dump (the test driver's own image format).
import os
import tempfile
# A fixed directory: its name shows in error messages.
scratch = os.path.join(tempfile.gettempdir(), "ferrovirt-compat-save")
os.makedirs(scratch, exist_ok=True)
image = os.path.join(scratch, "test.img")
for name, op in (("save", lambda: test.save(image)), ("save", lambda: test.save(image)),
                 ("restore", lambda: conn.restore(image)), ("restore", lambda: conn.restore(image)),
                 ("saveFlags", lambda: test.saveFlags(image, "<domain/>", 0)),
                 ("restoreFlags", lambda: conn.restoreFlags(image, None, 1)),
                 ("restore missing", lambda: conn.restore(os.path.join(scratch, "none"))),
                 ("managedSave", lambda: test.managedSave(0)), ("managedSave", lambda: test.managedSave(0)),
                 ("create", test.create), ("managedSave", lambda: test.managedSave(0)),
                 ("managedSaveRemove", lambda: test.managedSaveRemove(0)), ("create", test.create),
                 ("coreDump", lambda: test.coreDump(os.path.join(scratch, "core"), 0)),
                 ("coreDumpWithFormat", lambda: test.coreDumpWithFormat(os.path.join(scratch, "core"), 1, 0)),
                 ("coreDump crash", lambda: test.coreDump(os.path.join(scratch, "core"), libvirt.VIR_DUMP_CRASH)),
                 ("create", test.create)):
    print(name)
    error(op)
    print("  state", test.state(), "id", test.ID(), "managed", test.hasManagedSaveImage(0))
    pump("  events")
print("image", open(image, "rb").read(15), "core", open(os.path.join(scratch, "core"), "rb").read())
for f in os.listdir(scratch):
    os.unlink(os.path.join(scratch, f))
os.rmdir(scratch)
test = conn.lookupByName("test")
print("controlInfo", test.controlInfo())
print("memoryStats", test.memoryStats())
print("blockInfo", test.blockInfo("vda"))
error(lambda: test.blockInfo("hda"))
print("diskErrors", test.diskErrors())
print("hostname", test.hostname())
print("scheduler", test.schedulerType(), test.schedulerParameters())
error(lambda: test.schedulerParametersFlags(0))
error(lambda: test.setMemory(99999999))
error(lambda: test.setMaxMemory(1000))
print("setMemory", test.setMemoryFlags(400000, libvirt.VIR_DOMAIN_AFFECT_LIVE),
      test.setMemoryFlags(500000, libvirt.VIR_DOMAIN_AFFECT_CONFIG), test.info()[1:3])
print("vcpusFlags", test.vcpusFlags(0), test.vcpusFlags(libvirt.VIR_DOMAIN_AFFECT_CONFIG | libvirt.VIR_DOMAIN_VCPU_MAXIMUM))
pump("  events")
print("deregister")
conn.domainEventDeregisterAny(0)
error(lambda: conn.domainEventDeregisterAny(0))
conn.domainEventDeregister(lifecycle)
error(lambda: conn.domainEventDeregister(lifecycle))

# --- node ---
print("node calls")
print("  freeMemory", conn.getFreeMemory(), "cells", conn.getCellsFreeMemory(0, 8), conn.getCellsFreeMemory(1, 1))
error(lambda: conn.getCellsFreeMemory(2, 1))
print("  cpuStats", conn.getCPUStats(-1, 0), conn.getCPUStats(3, 0))
error(lambda: conn.getCPUStats(-2, 0))
error(lambda: conn.getMemoryStats(-1, 0))
print("  cpuMap", conn.getCPUMap(0), "freePages", conn.getFreePages([4, 2048], 0, 2, 0))
print("  securityModel", conn.getSecurityModel(), "label", conn.lookupByName("test").securityLabel())
error(lambda: conn.lookupByName("test").securityLabelList())
print("  sysinfo", conn.getSysinfo(0), sep="\n")
for arch in ("x86_64", "ppc64", "s390x", "mips", "bogus"):
    print("  models", arch)
    error(lambda: print("  ", conn.getCPUModelNames(arch, 0)))
error(lambda: conn.getDomainCapabilities(None, None, None, None, 0))
error(lambda: conn.compareCPU("<cpu/>", 0))
error(lambda: conn.suspendForDuration(0, 60, 0))
conn.close()

# --- interface/nodedev/secret/nwfilter ---
# libvirt lists these objects from hash tables in no set order: lists are sorted.
conn = libvirt.open("test:///default")
print("interfaces", conn.numOfInterfaces(), conn.listInterfaces(), conn.numOfDefinedInterfaces())
print("  all", sorted(i.name() for i in conn.listAllInterfaces(0)),
      [i.name() for i in conn.listAllInterfaces(libvirt.VIR_CONNECT_LIST_INTERFACES_INACTIVE)])
eth1 = conn.interfaceLookupByMACString("AA:bb:cc:dd:ee:ff")
print("  eth1", eth1.name(), eth1.MACString(), eth1.isActive(), eth1.XMLDesc(0), sep="\n")
error(lambda: eth1.XMLDesc(libvirt.VIR_INTERFACE_XML_INACTIVE))
error(lambda: conn.interfaceLookupByName("eth9"))
error(lambda: eth1.create(0))
error(lambda: conn.interfaceDefineXML("<interface type='vlan' name='v'><vlan tag='1'/></interface>", 0))
error(lambda: conn.interfaceDefineXML("<interface type='ethernet' name='e'><mtu size='x'/></interface>", 0))
error(lambda: conn.interfaceDefineXML("junk", 0))
conn.changeBegin(0)
br = conn.interfaceDefineXML("<interface type='bridge' name='br1'><start mode='hotplug'/><bridge stp='on'>"
                             "<interface type='ethernet' name='eth1'/></bridge></interface>", 0)
print("  br1", repr(br.MACString()), br.isActive(), br.XMLDesc(0), sep="\n")
br.create(0)
print("  after create", sorted(conn.listInterfaces()), conn.listDefinedInterfaces())
error(lambda: conn.changeBegin(0))
conn.changeRollback(0)
print("  after rollback", conn.listInterfaces(), conn.listDefinedInterfaces())
error(lambda: br.isActive())
eth1.create(0)
error(lambda: conn.changeCommit(0))

print("node devices", conn.numOfDevices(None, 0), sorted(conn.listDevices(None, 0)))
for cap in ("system", "scsi_host", "fc_host", "vports", "net"):
    print("  cap", cap, conn.numOfDevices(cap, 0), sorted(conn.listDevices(cap, 0)))
for flags in (libvirt.VIR_CONNECT_LIST_NODE_DEVICES_CAP_SYSTEM, libvirt.VIR_CONNECT_LIST_NODE_DEVICES_CAP_VPORTS):
    print("  flags", flags, sorted(d.name() for d in conn.listAllDevices(flags)))
error(lambda: conn.listAllDevices(libvirt.VIR_CONNECT_LIST_NODE_DEVICES_ACTIVE))
for name in ("computer", "scsi_host1", "scsi_host2", "scsi_host11"):
    dev = conn.nodeDeviceLookupByName(name)
    print("  device", dev.name(), dev.parent(), dev.numOfCaps(), dev.listCaps(), dev.XMLDesc(0), sep="\n")
error(lambda: conn.nodeDeviceLookupByName("scsi_host99"))
error(lambda: conn.nodeDeviceLookupByName("computer").reset())


def device_event(conn, dev, event, detail, what):
    seen.append("%s:%s:%d:%d" % (what, dev.name(), event, detail))


conn.nodeDeviceEventRegisterAny(None, libvirt.VIR_NODE_DEVICE_EVENT_ID_LIFECYCLE, device_event, "lifecycle")
vhba = conn.nodeDeviceCreateXML(
    "<device><parent>scsi_host2</parent><capability type='scsi_host'><capability type='fc_host'>"
    "<wwnn>2001001b32a9da4e</wwnn><wwpn>2101001b32a9da4e</wwpn></capability></capability></device>", 0)
print("  created", vhba.name(), vhba.parent(), vhba.XMLDesc(0), sep="\n")
pump("  events")
error(lambda: conn.nodeDeviceCreateXML("<device><capability type='scsi_host'/></device>", 0))
error(lambda: conn.nodeDeviceCreateXML("<device><parent>computer</parent><capability type='scsi_host'>"
                                       "<capability type='fc_host'><wwnn>1</wwnn><wwpn>2</wwpn></capability>"
                                       "</capability></device>", 0))
print("  destroy", vhba.destroy())
pump("  events")
error(lambda: vhba.destroy())
print("  destroy computer", conn.nodeDeviceLookupByName("computer").destroy())
conn.close()

# --- network ---
# Networks and their events; libvirt lists networks in hash order, so lists are sorted.
conn = libvirt.open("test:///default")
print("networks", conn.numOfNetworks(), sorted(conn.listNetworks()),
      conn.numOfDefinedNetworks(), sorted(conn.listDefinedNetworks()))
net = conn.networkLookupByName("default")
print("default", net.name(), net.UUIDString(), net.bridgeName(), net.isActive(), net.isPersistent(), net.autostart())
print(net.XMLDesc(0))
net_seen = []
net_cb = conn.networkEventRegisterAny(
    None, libvirt.VIR_NETWORK_EVENT_ID_LIFECYCLE,
    lambda c, n, event, detail, opaque: net_seen.append("%s:%d:%d" % (n.name(), event, detail)), None)
NET = ("<network ipv6='yes'><name>n1</name><uuid>11111111-2222-3333-4444-555555555555</uuid>"
       "<forward dev='eth0'/><bridge name='vb1' zone='z'/><mtu size='1400'/><mac address='52:54:00:AA:00:01'/>"
       "<dns forwardPlainNames='no'><forwarder addr='8.8.8.8'/><srv service='s' protocol='udp'/></dns>"
       "<bandwidth><inbound average='10'/></bandwidth>"
       "<ip family='ipv6' address='2001:db8::1' prefix='64'><dhcp><range start='2001:db8::10' end='2001:db8::20'/>"
       "</dhcp></ip><ip address='10.9.0.1' netmask='255.255.0.0'><tftp root='/t'/></ip>"
       "<route address='10.10.0.0' prefix='16' gateway='10.9.0.2'/></network>")
n1 = conn.networkDefineXML(NET)
print(n1.XMLDesc(0))
for label, call in (
        ("create", n1.create), ("create again", n1.create),
        ("update txt", lambda: n1.update(libvirt.VIR_NETWORK_UPDATE_COMMAND_ADD_FIRST, libvirt.VIR_NETWORK_SECTION_DNS_TXT,
                                         -1, "<txt name='a' value='b'/>", 0)),
        ("update range", lambda: n1.update(libvirt.VIR_NETWORK_UPDATE_COMMAND_DELETE,
                                           libvirt.VIR_NETWORK_SECTION_IP_DHCP_RANGE, 0,
                                           "<range start='2001:db8::10' end='2001:db8::20'/>", 0)),
        ("update portgroup", lambda: n1.update(libvirt.VIR_NETWORK_UPDATE_COMMAND_MODIFY,
                                               libvirt.VIR_NETWORK_SECTION_PORTGROUP, -1, "<portgroup name='p'/>", 0)),
        ("update bad command", lambda: n1.update(7, libvirt.VIR_NETWORK_SECTION_DNS_TXT, -1, "<txt name='a'/>", 0)),
        ("update config", lambda: n1.update(libvirt.VIR_NETWORK_UPDATE_COMMAND_ADD_LAST,
                                            libvirt.VIR_NETWORK_SECTION_FORWARD_INTERFACE, -1, "<interface dev='eth5'/>",
                                            libvirt.VIR_NETWORK_UPDATE_AFFECT_CONFIG)),
        ("undefine running", n1.undefine), ("destroy", n1.destroy), ("undefine", n1.undefine),
        ("gone", n1.isActive), ("no name", lambda: conn.networkDefineXML("<network/>")),
        ("bad range", lambda: conn.networkCreateXML(
            "<network><name>r</name><ip address='10.0.0.1' prefix='24'><dhcp><range start='10.0.1.1' end='10.0.1.2'/>"
            "</dhcp></ip></network>")),
        ("bad ip", lambda: conn.networkDefineXML("<network><name>r</name><ip address='1.2.3'/></network>")),
        ("route without ip", lambda: conn.networkDefineXML("<network><name>r</name><forward mode='route'/></network>")),
        ("bridge with dev", lambda: conn.networkDefineXML(
            "<network><name>r</name><forward mode='bridge' dev='e'/><bridge name='b'/></network>")),
        ("same uuid", lambda: conn.networkDefineXML(
            "<network><name>r</name><uuid>dd8fe884-6c02-601e-7551-cca97df1c5df</uuid></network>")),
        ("not xml", lambda: conn.networkDefineXML("not xml")),
        ("leases", lambda: net.DHCPLeases()), ("ports", lambda: net.listAllPorts())):
    print(label)
    error(call)
print("after", sorted(n.name() for n in conn.listAllNetworks(0)))
pump("network events")
print(net_seen)
conn.networkEventDeregisterAny(net_cb)
error(lambda: conn.networkEventDeregisterAny(net_cb))
conn.close()

# The network XML corpus: each definition's XML (or error) as libvirt formats it;
# random UUIDs are normalized.
import os
import re

conn = libvirt.open("test:///default")
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "network-corpus.txt")) as corpus:
    for text in corpus.read().split("\n====\n"):
        print("network xml", text.strip())
        try:
            n = conn.networkDefineXML(text.strip())
            print(re.sub(r"<uuid>[0-9a-f-]{36}</uuid>", "<uuid>random</uuid>", n.XMLDesc(0))
                  if "<uuid>" not in text else n.XMLDesc(0))
            n.undefine()
        except libvirt.libvirtError as e:
            print("  code=%s domain=%s message=%r" % (e.get_error_code(), e.get_error_domain(), e.get_error_message()))
conn.close()
