#!/usr/bin/python3
"""The Hyper-V scenario through Debian's python3-libvirt on ferrovirt's library:
open hyperv:// with a credential callback against tools/hyperv-sim, list, read,
start/suspend/resume/shutdown/destroy, the Generation 2 define-and-start workflow,
and the errors libvirt gives.

usage: tests/hyperv/python_scenario.py LIBDIR"""

import json
import os
import subprocess
import sys
import urllib.request
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
SIM = os.path.join(HERE, "..", "..", "tools", "hyperv-sim", "hyperv_sim.py")

if len(sys.argv) < 2:
    sys.exit(__doc__)
LIBDIR = os.path.realpath(sys.argv[1])
if os.environ.get("LD_LIBRARY_PATH") != LIBDIR:
    # The dynamic loader reads LD_LIBRARY_PATH at start: run again with it.
    env = dict(os.environ, LD_LIBRARY_PATH=LIBDIR, LC_ALL="C")
    sys.exit(subprocess.call([sys.executable] + sys.argv, env=env))

import libvirt  # noqa: E402

with open("/proc/self/maps") as maps:
    loaded = {line.split()[-1] for line in maps if "libvirt.so" in line}
assert loaded and all(path.startswith(LIBDIR) for path in loaded), f"not ferrovirt's library: {loaded}"


UUID = "6a1d2e3f-4b5c-4d6e-8f70-8192a3b4c5d6"
XML = r"""<domain type='hyperv'>
  <name>linuxkit-py</name>
  <uuid>%s</uuid>
  <description>LinuxKit from Python</description>
  <memory unit='MiB'>2048</memory>
  <vcpu>2</vcpu>
  <os firmware='efi'><type>hvm</type><loader secure='no'/></os>
  <devices>
    <disk type='file' device='disk'><source file='C:\VMs\linuxkit\disk.vhdx'/><target dev='sda' bus='scsi'/></disk>
    <disk type='file' device='cdrom'><source file='C:\ISO\linuxkit-efi.iso'/><target dev='sdb' bus='scsi'/></disk>
    <interface type='bridge'><mac address='00:15:5d:aa:bb:cc'/><source bridge='Default Switch'/></interface>
    <serial type='pipe'><source path='\\.\pipe\linuxkit-py'/><target port='1'/></serial>
  </devices>
</domain>""" % UUID


def start_sim(*args):
    proc = subprocess.Popen(["/usr/bin/python3", SIM, "--port", "0", *args], stdout=subprocess.PIPE, text=True)
    url = proc.stdout.readline().split()[-1]
    return proc, url.rsplit(":", 1)[1].split("/")[0]


def stats(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_sim/stats") as reply:
        return json.load(reply)["requests"]


def reset(port):
    urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}/_sim/reset-stats", data=b"")).close()


def expect_error(code, text, call, *args):
    try:
        call(*args)
    except libvirt.libvirtError as e:
        assert e.get_error_code() == code, (e.get_error_code(), str(e))
        assert text in str(e), str(e)
        return
    raise AssertionError(f"{call.__name__} did not fail")


def gen2_define(conn, port):
    """The LinuxKit workflow: a Generation 2 VM with secure boot off, a VHDX and an
    ISO on SCSI, a NIC on a switch named by its friendly name, a serial console on
    a named pipe; start it and read the same facts back; no VM left afterwards."""
    reset(port)
    dom = conn.defineXML(XML)
    assert dom.UUIDString() == UUID, dom.UUIDString()
    dom.create()
    assert dom.state()[0] == libvirt.VIR_DOMAIN_RUNNING, dom.state()
    root = ET.fromstring(dom.XMLDesc(0))
    assert root.get("id"), "a running domain has an id"
    assert root.findtext("name") == "linuxkit-py"
    assert root.findtext("uuid") == UUID
    assert root.findtext("description") == "LinuxKit from Python"
    assert root.findtext("memory") == str(2048 * 1024)
    assert root.findtext("vcpu") == "2"
    assert root.find("os").get("firmware") == "efi"
    assert root.find("os/loader").get("secure") == "no"
    disks = [(d.get("device"), d.find("source").get("file"), d.find("target").get("dev"))
             for d in root.findall("devices/disk")]
    assert disks == [("disk", r"C:\VMs\linuxkit\disk.vhdx", "sda"),
                     ("cdrom", r"C:\ISO\linuxkit-efi.iso", "sdb")], disks
    nic = root.find("devices/interface")
    assert nic.find("mac").get("address") == "00:15:5d:aa:bb:cc"
    switch = conn.networkLookupByName("Default Switch")
    assert nic.find("source").get("bridge") == switch.UUIDString()
    serial = root.find("devices/serial")
    assert serial.find("source").get("path") == r"\\.\pipe\linuxkit-py"
    print(f"gen 2 define + start + dumpxml: {stats(port)} requests")
    dom.destroy()
    dom.undefine()
    state = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/_sim/state"))
    assert all(vm["name"] != "linuxkit-py" for vm in state["vms"])


def main():
    libvirt.registerErrorHandler(lambda *_: None, None)
    sim, port = start_sim()
    try:
        asked = []

        def callback(credentials, _data):
            for cred in credentials:
                asked.append((cred[0], cred[2]))
                if cred[0] == libvirt.VIR_CRED_AUTHNAME:
                    cred[4] = "administrator"
                elif cred[0] in (libvirt.VIR_CRED_PASSPHRASE, libvirt.VIR_CRED_NOECHOPROMPT):
                    cred[4] = "Passw0rd!"
                else:
                    return -1
            return 0

        uri = f"hyperv://127.0.0.1:{port}/?transport=http"
        auth = [[libvirt.VIR_CRED_AUTHNAME, libvirt.VIR_CRED_PASSPHRASE], callback, None]
        reset(port)
        conn = libvirt.openAuth(uri, auth, 0)
        assert stats(port) <= 3
        assert asked[0] == (libvirt.VIR_CRED_AUTHNAME, "127.0.0.1"), asked
        assert conn.getType() == "Hyper-V"
        assert conn.getVersion() == 1000017763
        assert conn.getHostname() == "HV-SIM01"
        assert conn.getInfo()[:3] == ["Intel Xeon CPU E5-2630 v3", 65536, 8]

        reset(port)
        names = sorted(d.name() for d in conn.listAllDomains())
        assert stats(port) <= 2
        assert names == ["broken", "db01", "legacy", "web01"], names
        assert [d.name() for d in conn.listAllDomains(libvirt.VIR_CONNECT_LIST_DOMAINS_ACTIVE)] == ["web01"]

        web = conn.lookupByName("web01")
        assert web.UUIDString() == "5e1f9a8c-3f1b-4c2f-9a77-0a1b2c3d4e5f"
        reset(port)
        assert web.info() == [libvirt.VIR_DOMAIN_RUNNING, 1048576 * 1024, 4096 * 1024, 2, 0], web.info()
        assert stats(port) <= 3

        db = conn.lookupByName("db01")
        assert db.state() == [libvirt.VIR_DOMAIN_SHUTOFF, 0]
        expect_error(libvirt.VIR_ERR_OPERATION_INVALID, "Domain is not active", db.suspend)
        db.create()
        assert db.isActive() == 1 and db.state()[0] == libvirt.VIR_DOMAIN_RUNNING
        assert conn.lookupByID(conn.lookupByName("db01").ID()).name() == "db01"
        db.suspend()
        assert db.state()[0] == libvirt.VIR_DOMAIN_PAUSED
        expect_error(libvirt.VIR_ERR_OPERATION_INVALID, "Domain is already active", db.create)
        db.resume()
        assert db.state()[0] == libvirt.VIR_DOMAIN_RUNNING
        db.shutdown()
        assert db.state()[0] == libvirt.VIR_DOMAIN_SHUTOFF
        db.create()
        db.destroy()
        assert db.state()[0] == libvirt.VIR_DOMAIN_SHUTOFF
        expect_error(libvirt.VIR_ERR_OPERATION_FAILED, "failed to start", conn.lookupByName("broken").create)

        records = conn.getAllDomainStats(libvirt.VIR_DOMAIN_STATS_STATE | libvirt.VIR_DOMAIN_STATS_VCPU)
        by_name = {dom.name(): values for dom, values in records}
        assert by_name["web01"]["state.state"] == libvirt.VIR_DOMAIN_RUNNING
        assert by_name["db01"]["vcpu.current"] == 4
        gen2_define(conn, port)
        conn.close()

        # A wrong password.
        bad = [[libvirt.VIR_CRED_AUTHNAME, libvirt.VIR_CRED_PASSPHRASE],
               lambda creds, _: [c.__setitem__(4, "x") for c in creds] and 0, None]
        expect_error(libvirt.VIR_ERR_AUTH_FAILED, "refused the credentials", libvirt.openAuth, uri, bad, 0)
    finally:
        sim.terminate()
        sim.wait()
    print("hyperv python scenario: ok")


main()
