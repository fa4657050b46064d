"""Inventories: the built-in host, JSON files, generated VMs for benchmarks, and the state dump."""

import copy
import json

import cim
import hyperv as hv
import methods
from store import Store

DEFAULT = {
    "host": {
        "name": "HV-SIM01", "dns_host_name": "HV-SIM01", "domain": "WORKGROUP",
        "os_version": "10.0.17763", "os_caption": "Microsoft Windows Server 2019 Datacenter",
        "total_memory_mb": 65536, "free_memory_mb": 49152, "max_vcpus": 240,
        "uuid": "4C4C4544-0042-4810-8057-B4C04F4E3332", "manufacturer": "Dell Inc.", "model": "PowerEdge R640",
        "processors": [{"name": "Intel(R) Xeon(R) CPU E5-2630 v3 @ 2.40GHz", "cores": 8, "logical": 16,
                        "max_clock_mhz": 2400}],
        "files": ["C:\\VMs\\web01\\web01.vhdx", "C:\\VMs\\db01\\db01.vhdx", "C:\\VMs\\legacy\\legacy.vhdx",
                  "C:\\ISO\\install.iso", "C:\\ISO\\linuxkit-efi.iso", "C:\\VMs\\linuxkit\\disk.vhdx"],
    },
    "switches": [
        {"name": "Default Switch", "guid": "c08cb7b8-9b3c-408e-8e30-5e16a3aeb444"},
        {"name": "External", "guid": "2c1b7f7e-0d8f-4c8e-9f1e-5a5f3e2d1c0b"},
    ],
    "vms": [
        {"name": "web01", "guid": "5E1F9A8C-3F1B-4C2F-9A77-0A1B2C3D4E5F", "generation": 2, "state": "running",
         "memory_mb": 4096, "vcpus": 2, "secure_boot": True, "notes": "Front-end VM",
         "disks": [{"path": "C:\\VMs\\web01\\web01.vhdx", "bus": "scsi", "controller": 0, "unit": 0},
                   {"path": "C:\\ISO\\install.iso", "bus": "scsi", "controller": 0, "unit": 1, "type": "dvd"}],
         "nics": [{"mac": "00155D010203", "switch": "2c1b7f7e-0d8f-4c8e-9f1e-5a5f3e2d1c0b",
                   "addresses": [["192.168.17.20", "255.255.255.0"], ["fe80::215:5dff:fe01:203", "/64"]]}],
         "serial": [{"port": 1, "pipe": "\\\\.\\pipe\\web01-com1"}]},
        {"name": "db01", "guid": "9D0B1E77-52C4-4E0E-8C1D-3B9A2F6E7A10", "generation": 2, "state": "off",
         "memory_mb": 8192, "vcpus": 4, "secure_boot": False,
         "disks": [{"path": "C:\\VMs\\db01\\db01.vhdx", "bus": "scsi", "controller": 0, "unit": 0}],
         "nics": [{"mac": "00155D010204", "switch": "c08cb7b8-9b3c-408e-8e30-5e16a3aeb444"}]},
        {"name": "legacy", "guid": "1B2C3D4E-5F60-4718-9A0B-1C2D3E4F5A6B", "generation": 1, "state": "saved",
         "memory_mb": 2048, "vcpus": 1,
         "disks": [{"path": "C:\\VMs\\legacy\\legacy.vhdx", "bus": "ide", "controller": 0, "unit": 0},
                   {"path": "C:\\ISO\\install.iso", "bus": "ide", "controller": 1, "unit": 0, "type": "dvd"}],
         "serial": [{"port": 1, "pipe": "\\\\.\\pipe\\legacy-com1"}]},
        {"name": "broken", "guid": "7A6B5C4D-3E2F-4011-8233-445566778899", "generation": 2, "state": "off",
         "memory_mb": 1024, "vcpus": 1,
         "disks": [{"path": "C:\\VMs\\broken\\missing.vhdx", "bus": "scsi", "controller": 0, "unit": 0}]},
    ],
}


def generated_vms(count, switch_guid):
    states = ["running", "off", "running", "paused", "saved"]
    return [{"name": f"bench-{n:04d}", "generation": 2 if n % 3 else 1, "state": states[n % len(states)],
             "memory_mb": 512 * (1 + n % 8), "vcpus": 1 + n % 4,
             "disks": [{"path": f"C:\\VMs\\bench-{n:04d}\\disk.vhdx",
                        "bus": "scsi" if n % 3 else "ide", "controller": 0, "unit": 0}],
             "nics": [{"mac": f"00155D{n:06X}", "switch": switch_guid}]} for n in range(count)]


class Simulation:
    """Store + Hyper-V model + methods built from one inventory."""

    def __init__(self, inventory, job_seconds=1.0, job_polls=1):
        inv = copy.deepcopy(inventory)
        host = inv.get("host", {})
        self.store = Store(host.get("name", "HV-SIM01"))
        self.hyperv = hv.HyperV(self.store, host, host.get("job_seconds", job_seconds), host.get("job_polls", job_polls))
        self.hyperv.build_host(inv.get("switches", []))
        if self.hyperv.files is not None:
            for vm in inv.get("vms", []):
                if vm.get("name", "").startswith("bench-"):
                    self.hyperv.files.update(d["path"].lower() for d in vm.get("disks", []))
        for vm in inv.get("vms", []):
            self.hyperv.add_vm(vm)
        self.methods = methods.Methods(self.hyperv)
        self.store.summaries = self.methods.summaries

    @property
    def os_version(self):
        return self.hyperv.host.get("os_version", "10.0.17763")


def load(path, extra_vms=0):
    with open(path, encoding="utf-8") as fh:
        inv = json.load(fh)
    return with_generated(inv, extra_vms)


def with_generated(inv, extra_vms):
    inv = copy.deepcopy(inv)
    if extra_vms:
        switches = inv.setdefault("switches", copy.deepcopy(DEFAULT["switches"]))
        inv.setdefault("vms", []).extend(generated_vms(extra_vms, switches[0]["guid"] if switches else None))
    return inv


STATE_NAMES = {2: "running", 3: "off", 4: "stopping", 6: "saved", 9: "paused", 10: "starting",
               32768: "paused", 32769: "saved", 32773: "saving", 32776: "pausing", 32777: "resuming"}


def dump(sim):
    """The VM inventory as it stands now (GET /_sim/state)."""
    h, store = sim.hyperv, sim.store
    with store.lock:
        h.refresh()
        vms = []
        for cs in store.all_of("Msvm_ComputerSystem"):
            if not h.is_vm(cs):
                continue
            vm = cs.get("Name")
            vssd = h.vssd_of(vm)
            settings = h.settings_of(vssd)
            by_class = {}
            for s in settings:
                by_class.setdefault(s.cls.name, []).append(s)
            mem = by_class["Msvm_MemorySettingData"][0]
            cpu = by_class["Msvm_ProcessorSettingData"][0]
            disks = []
            for ext in by_class.get("Msvm_StorageAllocationSettingData", []):
                drive = store.resolve(cim.parse_path(ext.get("Parent")))
                ctrl = store.resolve(cim.parse_path(drive.get("Parent"))) if drive and drive.get("Parent") else None
                entry = {"path": (ext.get("HostResource") or [None])[0],
                         "type": "dvd" if ext.get("ResourceSubType") == hv.SUBTYPES["iso"] else "disk"}
                if ctrl is not None and drive is not None:
                    scsi = [c for c in by_class.get("Msvm_ResourceAllocationSettingData", []) if c.get("ResourceType") == 6]
                    entry.update(bus="scsi" if ctrl.get("ResourceType") == 6 else "ide",
                                 controller=scsi.index(ctrl) if ctrl in scsi else int(ctrl.get("Address") or 0),
                                 unit=int(drive.get("AddressOnParent") or 0))
                disks.append(entry)
            nics = []
            for port in by_class.get("Msvm_SyntheticEthernetPortSettingData", []):
                conn = [c for c in by_class.get("Msvm_EthernetPortAllocationSettingData", [])
                        if cim.parse_path(c.get("Parent")).matches(port.ref())]
                switch = None
                if conn and conn[0].get("HostResource"):
                    ref = cim.parse_path(conn[0].get("HostResource")[0])
                    switch = ref.keys.get("Name") if ref else None
                nics.append({"mac": port.get("Address"), "switch": switch})
            serial = [{"port": int(s.get("ElementName")[4:]), "pipe": (s.get("Connection") or [""])[0]}
                      for s in by_class.get("Msvm_SerialPortSettingData", [])]
            snapshots = [s.get("InstanceID") for s in store.all_of("Msvm_VirtualSystemSettingData")
                         if s.get("VirtualSystemIdentifier") == vm and s.get("VirtualSystemType") == hv.SNAPSHOT]
            vms.append({
                "name": cs.get("ElementName"), "guid": vm,
                "generation": 2 if vssd.get("VirtualSystemSubType") == hv.SUB_GEN2 else 1,
                "state": STATE_NAMES.get(cs.get("EnabledState"), str(cs.get("EnabledState"))),
                "enabled_state": cs.get("EnabledState"), "process_id": cs.get("ProcessID"),
                "memory_mb": mem.get("VirtualQuantity"), "max_memory_mb": mem.get("Limit"),
                "vcpus": cpu.get("VirtualQuantity"), "secure_boot": vssd.get("SecureBootEnabled"),
                "autostart": vssd.get("AutomaticStartupAction") == 4,
                "notes": "\n\n".join(n for n in (vssd.get("Notes") or []) if n) or None,
                "disks": disks, "nics": nics, "serial": serial, "snapshots": snapshots,
                "keys": h.vm_extra.get(vm, {}).get("keys", []),
                "boot_source_order": vssd.get("BootSourceOrder") or []})
        jobs = [{"id": j.inst.get("InstanceID"), "state": j.inst.get("JobState"), "error": j.inst.get("ErrorCode")}
                for j in h.jobs]
        return {"host": h.host, "switches": [{"name": s.get("ElementName"), "guid": s.get("Name")}
                                             for s in store.all_of("Msvm_VirtualEthernetSwitch")],
                "vms": vms, "jobs": jobs}
