#!/usr/bin/python3
"""The Generation 2 define-and-start scenario (the LinuxKit way) through Debian's
python3-libvirt against tools/hyperv-sim. Run with LD_LIBRARY_PATH pointing at
ferrovirt's installed lib directory:

    LD_LIBRARY_PATH=target/test-prefix/lib /usr/bin/python3 tests/hyperv/define_scenario.py
"""

import json
import os
import subprocess
import sys
import urllib.request
import xml.etree.ElementTree as ET

import libvirt

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
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


def main():
    sim = subprocess.Popen(["/usr/bin/python3", os.path.join(ROOT, "tools/hyperv-sim/hyperv_sim.py"), "--port", "0"],
                           stdout=subprocess.PIPE, text=True)
    try:
        url = sim.stdout.readline().split()[-1]
        base = url.rsplit("/wsman", 1)[0]
        port = base.rsplit(":", 1)[1]

        def creds(credentials, _data):
            for c in credentials:
                c[4] = {libvirt.VIR_CRED_AUTHNAME: "administrator", libvirt.VIR_CRED_PASSPHRASE: "Passw0rd!"}[c[0]]
            return 0

        auth = [[libvirt.VIR_CRED_AUTHNAME, libvirt.VIR_CRED_PASSPHRASE], creds, None]
        conn = libvirt.openAuth(f"hyperv://127.0.0.1:{port}/?transport=http", auth, 0)
        urllib.request.urlopen(urllib.request.Request(base + "/_sim/reset-stats", method="POST")).read()
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
        stats = json.load(urllib.request.urlopen(base + "/_sim/stats"))
        print(f"define + start + dumpxml: {stats['requests']} requests")
        dom.destroy()
        dom.undefine()
        state = json.load(urllib.request.urlopen(base + "/_sim/state"))
        assert all(vm["name"] != "linuxkit-py" for vm in state["vms"])
        conn.close()
        print("ok")
    finally:
        sim.terminate()
        sim.wait()


if __name__ == "__main__":
    sys.exit(main())
