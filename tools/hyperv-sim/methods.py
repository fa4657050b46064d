"""WMI method invocation: parameter decoding (plain, EPR, CIM-XML embedded) and the Hyper-V methods."""

import base64
import time
import uuid

import cim
import classes
import faults
import hyperv as hv
from envelope import NS_A, NS_CIM, NS_XSI, esc, parse_epr
from cim import Instance, Ref

# class -> method -> (input params {name: kind}, output params in MOF order [(name, kind)])
# kinds: str, int, bool, ref, ref[], emb, emb[], int[], obj[], interval
SIGNATURES = {
    "Msvm_ComputerSystem": {
        "RequestStateChange": ({"RequestedState": "int", "TimeoutPeriod": "interval"}, [("Job", "ref")]),
    },
    "Msvm_VirtualSystemManagementService": {
        "DefineSystem": ({"SystemSettings": "emb", "ResourceSettings": "emb[]", "ReferenceConfiguration": "ref"},
                         [("ResultingSystem", "ref"), ("Job", "ref")]),
        "DestroySystem": ({"AffectedSystem": "ref"}, [("Job", "ref")]),
        "ModifySystemSettings": ({"SystemSettings": "emb"}, [("Job", "ref")]),
        "AddResourceSettings": ({"AffectedConfiguration": "ref", "ResourceSettings": "emb[]"},
                                [("ResultingResourceSettings", "ref[]"), ("Job", "ref")]),
        "ModifyResourceSettings": ({"ResourceSettings": "emb[]"},
                                   [("ResultingResourceSettings", "ref[]"), ("Job", "ref")]),
        "RemoveResourceSettings": ({"ResourceSettings": "ref[]"}, [("Job", "ref")]),
        "GetSummaryInformation": ({"SettingData": "ref[]", "RequestedInformation": "int[]"},
                                  [("SummaryInformation", "obj[]")]),
        "GetVirtualSystemThumbnailImage": ({"TargetSystem": "ref", "WidthPixels": "int", "HeightPixels": "int"},
                                           [("ImageData", "str")]),
    },
    "Msvm_ShutdownComponent": {
        "InitiateShutdown": ({"Force": "bool", "Reason": "str"}, [("Job", "ref")]),
    },
    "Msvm_Keyboard": {
        "TypeKey": ({"keyCode": "int"}, []),
        "PressKey": ({"keyCode": "int"}, []),
        "ReleaseKey": ({"keyCode": "int"}, []),
        "TypeText": ({"asciiText": "str"}, []),
        "TypeCtrlAltDel": ({}, []),
    },
    "Msvm_VirtualSystemSnapshotService": {
        "CreateSnapshot": ({"AffectedSystem": "ref", "SnapshotSettings": "str", "SnapshotType": "int"},
                           [("ResultingSnapshot", "ref"), ("Job", "ref")]),
        "ApplySnapshot": ({"Snapshot": "ref"}, [("Job", "ref")]),
        "DestroySnapshot": ({"AffectedSnapshot": "ref"}, [("Job", "ref")]),
    },
}

# GetSummaryInformation RequestedInformation codes -> Msvm_SummaryInformation property.
SUMMARY_CODES = {
    0: "Name", 1: "ElementName", 2: "CreationTime", 3: "Notes", 4: "NumberOfProcessors", 9: "VirtualSwitchNames",
    10: "Version", 11: "Shielded", 100: "EnabledState", 101: "ProcessorLoad", 102: "ProcessorLoadHistory",
    103: "MemoryUsage", 104: "HeartBeat", 105: "UpTime", 106: "GuestOperatingSystem", 107: "Snapshots",
    108: "AsynchronousTasks", 109: "HealthState", 110: "OperationalStatus", 111: "StatusDescriptions",
    112: "MemoryAvailable", 113: "AvailableMemoryBuffer", 114: "ReplicationMode", 115: "ReplicationState",
    116: "ReplicationHealth", 117: "ApplicationHealth", 120: "SwapFilesInUse",
    121: "IntegrationServicesVersionState", 123: "MemorySpansPhysicalNumaNodes", 132: "HostComputerSystemName",
    135: "VirtualSystemSubType",
}


def thumbnail_pixel(x, y):
    """The RGB565 value of the simulator's thumbnails at (x, y)."""
    return ((x % 32) << 11) | ((y % 64) << 5) | ((x + y) % 32)


class Result:
    def __init__(self, code, **outputs):
        self.code = code
        self.outputs = outputs


def decode_params(cls_name, method, input_el):
    """Read <M_INPUT> children according to the method signature."""
    inputs, _ = SIGNATURES[cls_name][method]
    by_lower = {k.lower(): (k, kind) for k, kind in inputs.items()}
    params = {}
    for child in list(input_el) if input_el is not None else []:
        local = child.tag.split("}")[-1]
        if local.lower() not in by_lower:
            raise faults.schema_validation(f"The method parameter '{local}' is not valid for {method}. ")
        name, kind = by_lower[local.lower()]
        if child.get(f"{{{NS_XSI}}}nil") == "true":
            continue
        value = _decode(kind.rstrip("[]"), child)
        if kind.endswith("[]"):
            params.setdefault(name, []).append(value)
        else:
            params[name] = value
    return params


def _decode(kind, el):
    if kind == "ref":
        if el.find(f"{{{NS_A}}}ReferenceParameters") is None and el.find(f"{{{NS_A}}}EndpointReference") is None:
            text = (el.text or "").strip()
            ref = cim.parse_path(text) if text else None
            if ref is None:
                raise faults.schema_validation("A reference parameter must be an endpoint reference. ")
            return ref
        uri, selectors = parse_epr(el)
        return Ref((uri or "").rstrip("/").split("/")[-1], selectors)
    if len(el):
        # The WS-CIM element form of an embedded instance: Hyper-V only takes CIM-XML text.
        raise faults.schema_validation("The embedded instance must be a CIM-XML (DSP0201) INSTANCE string. ")
    text = el.text or ""
    if kind == "emb":
        try:
            return cim.parse_embedded(text)
        except cim.EmbeddedError as err:
            raise faults.schema_validation(str(err) + " ")
    if kind == "int":
        try:
            return int(text.strip())
        except ValueError:
            raise faults.schema_validation(f"'{text}' is not an integer. ")
    if kind == "bool":
        return text.strip().lower() in ("true", "1")
    return text


def render_output(cls, method, result):
    _, outputs = SIGNATURES[cls.name][method]
    parts = []
    for name, kind in outputs:
        value = result.outputs.get(name)
        if value is None:
            continue
        items = value if kind.endswith("[]") else [value]
        for item in items:
            if kind.startswith("ref"):
                parts.append(f'<p:{name} xmlns:a="{NS_A}" xmlns:w="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd">'
                             f"{item.ref().render_epr() if isinstance(item, Instance) else item.render_epr()}</p:{name}>")
            elif kind == "obj[]":
                parts.append(cim.render_embedded_object(f"p:{name}", item))
            else:
                parts.append(f"<p:{name}>{esc(item)}</p:{name}>")
    parts.append(f"<p:ReturnValue>{result.code}</p:ReturnValue>")
    return (f'<p:{method}_OUTPUT xmlns:xsi="{NS_XSI}" xmlns:p="{cls.resource_uri}" xmlns:cim="{NS_CIM}">'
            + "".join(parts) + f"</p:{method}_OUTPUT>")


class Methods:
    def __init__(self, host):
        self.hv = host
        self.store = host.store

    def invoke(self, cls, method, target, params):
        handler = getattr(self, f"{cls.name}_{method}", None)
        if handler is None:
            raise faults.action_not_supported(method)
        with self.store.lock:
            return handler(target, params)

    # ---------------------------------------------------------------- helpers
    def _vm_of_ref(self, ref):
        if ref is None:
            return None
        inst = self.store.resolve(ref)
        if inst is None:
            return None
        if inst.cls.name == "Msvm_ComputerSystem":
            return inst if self.hv.is_vm(inst) else None
        if inst.cls.name == "Msvm_VirtualSystemSettingData":
            return self.hv.vm_cs(inst.get("VirtualSystemIdentifier"))
        return None

    def _job(self, caption, job_type, apply=None, error=None, affected=(), **outputs):
        job = self.hv.new_job(caption, job_type, apply, error, affected)
        return Result(hv.JOB_STARTED, Job=job, **outputs)

    def _vm_name(self, cs):
        return cs.get("ElementName")

    # ---------------------------------------------------------------- Msvm_ComputerSystem
    def Msvm_ComputerSystem_RequestStateChange(self, cs, params):
        if not self.hv.is_vm(cs):
            return Result(hv.NOT_SUPPORTED)
        requested = params.get("RequestedState")
        state = self.hv.base_state(cs)
        name, vm = self._vm_name(cs), cs.get("Name")
        transitions = {
            2: {hv.OFF: hv.STARTING, hv.SAVED: hv.STARTING, hv.PAUSED: hv.RESUMING},
            3: {hv.RUNNING: hv.SHUTTING_DOWN, hv.PAUSED: hv.SHUTTING_DOWN, hv.SAVED: hv.OFF},
            6: {hv.RUNNING: hv.SAVING, hv.PAUSED: hv.SAVING},
            9: {hv.RUNNING: hv.PAUSING},
            10: {hv.RUNNING: hv.RUNNING},
            11: {hv.RUNNING: hv.RUNNING},
        }
        aliases = {32773: 6, 32776: 9, 32777: 2, 32779: 6}
        requested = aliases.get(requested, requested)
        if requested not in transitions:
            return Result(hv.INVALID_PARAMETER)
        if state not in transitions[requested]:
            return Result(hv.INVALID_STATE)
        final = {2: hv.RUNNING, 3: hv.OFF, 6: hv.SAVED, 9: hv.PAUSED, 10: hv.RUNNING, 11: hv.RUNNING}[requested]
        error = None
        if requested == 2 and state in (hv.OFF, hv.SAVED):
            missing = self._missing_images(vm)
            if missing:
                error = (32768, f"'{name}' failed to start. (Virtual machine ID {vm})\n\n"
                                f"'{name}' failed to start worker process: The system cannot find the file "
                                f"specified. (0x80070002). (Virtual machine ID {vm})\n\n"
                                f"Failed to open attachment '{missing}'. Error: 'The system cannot find the file "
                                "specified.'")
        cs.set("RequestedState", requested)
        if error is None:
            self.hv._set_state(cs, transitions[requested][state])

        def apply():
            cs.set("RequestedState", 5)
            if error:
                self.hv._set_state(cs, state)
                return error
            if final == hv.RUNNING and (state in (hv.OFF, hv.SAVED) or requested in (10, 11)):
                self.hv._power_on(cs)
            else:
                self.hv._set_state(cs, final)
            self.hv.vssd_of(vm).set("IsSaved", final == hv.SAVED)
            return None
        return self._job("Changing the virtual machine state", 2 if requested == 2 else 3,
                         apply, affected=[(cs, 0)])

    def _missing_images(self, vm):
        if self.hv.files is None:
            return None
        vssd = self.hv.vssd_of(vm)
        for s in self.hv.settings_of(vssd):
            if s.cls.name == "Msvm_StorageAllocationSettingData":
                for path in s.get("HostResource") or []:
                    if path.lower() not in self.hv.files:
                        return path
        return None

    # ---------------------------------------------------------------- Msvm_VirtualSystemManagementService
    def Msvm_VirtualSystemManagementService_DefineSystem(self, svc, params):
        emb = params.get("SystemSettings")
        if emb is None or emb[0] != "Msvm_VirtualSystemSettingData":
            return Result(hv.INVALID_PARAMETER)
        values = emb[1]
        sub = values.get("VirtualSystemSubType") or hv.SUB_GEN1
        if sub not in (hv.SUB_GEN1, hv.SUB_GEN2):
            return Result(hv.INVALID_PARAMETER)
        gen = 2 if sub == hv.SUB_GEN2 else 1
        # Hyper-V keeps a VirtualSystemIdentifier it is given (a GUID no other VM has).
        wanted = (values.get("VirtualSystemIdentifier") or "").strip("{}").upper()
        if wanted:
            try:
                uuid.UUID(wanted)
            except ValueError:
                return Result(hv.INVALID_PARAMETER)
            if self.hv.vm_cs(wanted) is not None:
                return self._job("Creating virtual machine", 1, error=(
                    32768, f"Failed to create the virtual machine: a virtual machine with ID {wanted} exists."))
        cs = self.hv.add_vm({"name": values.get("ElementName") or "New Virtual Machine", "generation": gen,
                             "guid": wanted or None, "secure_boot": values.get("SecureBootEnabled", gen == 2)})
        vssd = self.hv.vssd_of(cs.get("Name"))
        for key, value in values.items():
            if key not in ("InstanceID", "VirtualSystemIdentifier", "VirtualSystemType", "ConfigurationID"):
                vssd.set(key, value)
        for res in params.get("ResourceSettings", []):
            try:
                self._add_resource(vssd, res)
            except hv.JobFailure:
                pass
        return self._job("Creating virtual machine", 1, affected=[(cs, 5)], ResultingSystem=cs)

    def Msvm_VirtualSystemManagementService_DestroySystem(self, svc, params):
        cs = self._vm_of_ref(params.get("AffectedSystem"))
        if cs is None:
            return Result(hv.INVALID_PARAMETER)
        if self.hv.base_state(cs) not in (hv.OFF, hv.SAVED):
            return Result(hv.INVALID_STATE)
        vm = cs.get("Name")
        for objs in self.store.objects.values():
            for inst in list(objs):
                if inst.meta.get("vm") == vm:
                    self.store.remove(inst)
        self.hv.vm_extra.pop(vm, None)
        return self._job("Deleting virtual machine", 1)

    def Msvm_VirtualSystemManagementService_ModifySystemSettings(self, svc, params):
        emb = params.get("SystemSettings")
        if emb is None or emb[0] != "Msvm_VirtualSystemSettingData":
            return Result(hv.INVALID_PARAMETER)
        values = emb[1]
        vssd = self.store.resolve(Ref("Msvm_VirtualSystemSettingData", {"InstanceID": values.get("InstanceID")}))
        if vssd is None:
            return Result(hv.INVALID_PARAMETER)
        if "VirtualSystemSubType" in values and values["VirtualSystemSubType"] != vssd.get("VirtualSystemSubType"):
            return Result(hv.INVALID_PARAMETER)
        cs = self.hv.vm_cs(vssd.get("VirtualSystemIdentifier"))
        if "BootSourceOrder" in values:
            order = self._boot_order(vssd, values["BootSourceOrder"])
            if order is None:
                return Result(hv.INVALID_PARAMETER)
            values = dict(values, BootSourceOrder=order)

        def apply():
            for key, value in values.items():
                if key not in ("InstanceID", "VirtualSystemIdentifier", "VirtualSystemType"):
                    vssd.set(key, value)
            # Renaming a snapshot's settings renames the snapshot, not the VM.
            if "ElementName" in values and cs is not None and vssd.get("VirtualSystemType") == hv.REALIZED:
                cs.set("ElementName", values["ElementName"])
            if cs is not None:
                cs.set("TimeOfLastConfigurationChange", cim.now_iso())
        apply()
        return self._job("Modifying virtual machine settings", 40, affected=[(vssd, 0)])

    def _boot_order(self, vssd, paths):
        """A new BootSourceOrder: the VM's own boot entries, each once, in any order; None if not."""
        current = [self.store.resolve(cim.parse_path(p)) for p in vssd.get("BootSourceOrder") or []]
        wanted = [self.store.resolve(cim.parse_path(p)) if cim.parse_path(p) else None for p in paths or []]
        if len(wanted) != len(current) or any(w is None or not any(w is c for c in current) for w in wanted):
            return None
        if len({id(w) for w in wanted}) != len(wanted):
            return None
        return [self.hv.path_of(w) for w in wanted]

    def Msvm_VirtualSystemManagementService_AddResourceSettings(self, svc, params):
        target = params.get("AffectedConfiguration")
        vssd = self.store.resolve(target) if target else None
        if vssd is None or vssd.cls.name != "Msvm_VirtualSystemSettingData":
            return Result(hv.INVALID_PARAMETER)
        created, error = [], None
        for res in params.get("ResourceSettings", []):
            try:
                created.append(self._add_resource(vssd, res))
            except hv.JobFailure as failure:
                error = (failure.code, failure.description)
                break
        if error:
            return self._job("Adding resources", 41, error=error)
        return self._job("Adding resources", 41, affected=[(c, 5) for c in created], ResultingResourceSettings=created)

    def _add_resource(self, vssd, emb):
        cls_name, values = emb
        rtype = values.get("ResourceType")
        subtype = values.get("ResourceSubType")
        vm = vssd.get("VirtualSystemIdentifier")
        if rtype == 6:
            if len([s for s in self.hv.settings_of(vssd) if s.get("ResourceType") == 6]) >= 4:
                raise hv.JobFailure(32768, "A virtual machine can have at most 4 SCSI controllers.")
            return self.hv._add_scsi(vssd, values)
        if rtype in (16, 17):
            parent = self._parent(values, vssd, (5, 6))
            unit = int(values.get("AddressOnParent") or 0)
            limit = 2 if parent.get("ResourceType") == 5 else 64
            used = {s.get("AddressOnParent") for s in self.hv.settings_of(vssd)
                    if s.get("Parent") and cim.parse_path(s.get("Parent")).matches(parent.ref())}
            if unit >= limit or str(unit) in used:
                raise hv.JobFailure(32768, f"The controller location {unit} is not available.")
            if subtype == "Microsoft:Hyper-V:Physical Disk Drive":
                values = dict(values, HostResource=values.get("HostResource"))
            return self.hv._add_drive(vssd, parent, unit, "dvd" if rtype == 16 else "disk", values)
        if rtype == 31 or cls_name == "Msvm_StorageAllocationSettingData":
            drive = self._parent(values, vssd, (14, 16, 17))
            paths = values.get("HostResource") or []
            if not paths:
                raise hv.JobFailure(32773, "The disk image path is missing.")
            if self.hv.files is not None and paths[0].lower() not in self.hv.files:
                raise hv.JobFailure(32768, f"Failed to add device 'Virtual Hard Disk'. (Virtual machine ID {vm})\n\n"
                                           f"The system cannot find the file specified. (0x80070002). "
                                           f"'{paths[0]}'")
            kind = {hv.SUBTYPES["iso"]: "iso", hv.SUBTYPES["vfd"]: "vfd"}.get(subtype, "vhd")
            return self.hv._add_extent(vssd, drive, paths[0], kind, values)
        if rtype == 10 or cls_name == "Msvm_SyntheticEthernetPortSettingData":
            return self.hv._add_nic(vssd, values)
        if rtype == 33 or cls_name == "Msvm_EthernetPortAllocationSettingData":
            port = self._parent(values, vssd, (10,))
            switch_path = (values.get("HostResource") or [None])[0]
            if switch_path:
                ref = cim.parse_path(switch_path)
                if ref is None or self.store.resolve(ref) is None:
                    raise hv.JobFailure(32768, "The virtual switch could not be found.")
            return self.hv._add_connection(vssd, port, switch_path, values)
        raise hv.JobFailure(32773, f"Resources of type {rtype} cannot be added to '{vm}'.")

    def _parent(self, values, vssd, types):
        parent_path = values.get("Parent")
        ref = cim.parse_path(parent_path) if parent_path else None
        parent = self.store.resolve(ref) if ref else None
        if parent is None or parent.meta.get("vssd") != vssd.get("InstanceID") or parent.get("ResourceType") not in types:
            raise hv.JobFailure(32773, f"The parent resource '{parent_path}' was not found.")
        return parent

    def Msvm_VirtualSystemManagementService_ModifyResourceSettings(self, svc, params):
        changes = []
        for cls_name, values in params.get("ResourceSettings", []):
            inst = self.store.resolve(Ref(cls_name, {"InstanceID": values.get("InstanceID")}))
            if inst is None:
                return Result(hv.INVALID_PARAMETER)
            changes.append((inst, values))
        error = None
        for inst, values in changes:
            cs = self.hv.vm_cs(inst.meta.get("vm"))
            running = cs is not None and self.hv.base_state(cs) != hv.OFF
            if inst.cls.name == "Msvm_MemorySettingData":
                vq = values.get("VirtualQuantity")
                if vq is not None and vq % 2:
                    error = (32773, f"Memory size ({vq} MB) must be a multiple of 2 MB.")
            if inst.cls.name == "Msvm_ProcessorSettingData" and running and "VirtualQuantity" in values:
                error = (32775, "The operation cannot be performed while the virtual machine is in its current state.")
        if error:
            return self._job("Modifying resource settings", 42, error=error)
        for inst, values in changes:
            for key, value in values.items():
                if key != "InstanceID" and inst.cls.canonical(key):
                    inst.set(key, value)
            if inst.cls.name == "Msvm_MemorySettingData" and "VirtualQuantity" in values:
                inst.set("Reservation", values["VirtualQuantity"])
        return self._job("Modifying resource settings", 42, affected=[(i, 0) for i, _ in changes],
                         ResultingResourceSettings=[i for i, _ in changes])

    def Msvm_VirtualSystemManagementService_RemoveResourceSettings(self, svc, params):
        targets = [self.store.resolve(r) for r in params.get("ResourceSettings", [])]
        if not targets or any(t is None for t in targets):
            return Result(hv.INVALID_PARAMETER)
        for target in targets:
            self._remove_tree(target)
        return self._job("Removing resources", 43)

    def _remove_tree(self, inst):
        path_ref = inst.ref()
        for objs in list(self.store.objects.values()):
            for child in list(objs):
                parent = child.get("Parent") if child.cls.canonical("Parent") else None
                if parent and child.meta.get("vssd") and cim.parse_path(parent) and cim.parse_path(parent).matches(path_ref):
                    self._remove_tree(child)
        self.hv.drop_boot_sources(inst)
        self.store.remove(inst)

    def Msvm_VirtualSystemManagementService_GetVirtualSystemThumbnailImage(self, svc, params):
        """ImageData: base64 of RGB565 little-endian pixels, a fixed pattern (red
        rises with x, green with y, blue along the diagonal) so clients can check
        every pixel."""
        vssd = self.store.resolve(params["TargetSystem"]) if params.get("TargetSystem") else None
        width, height = params.get("WidthPixels", 0), params.get("HeightPixels", 0)
        if vssd is None or not (0 < width <= 4096 and 0 < height <= 4096):
            return Result(hv.INVALID_PARAMETER)
        pixels = bytearray()
        for y in range(height):
            for x in range(width):
                pixels += thumbnail_pixel(x, y).to_bytes(2, "little")
        return Result(hv.OK, ImageData=base64.b64encode(bytes(pixels)).decode())

    def Msvm_VirtualSystemManagementService_GetSummaryInformation(self, svc, params):
        refs = params.get("SettingData")
        if refs:
            vssds = [self.store.resolve(r) for r in refs]
            if any(v is None for v in vssds):
                return Result(hv.INVALID_PARAMETER)
        else:
            vssds = [self.hv.vssd_of(cs.get("Name")) for cs in self.store.all_of("Msvm_ComputerSystem")
                     if self.hv.is_vm(cs)]
        codes = params.get("RequestedInformation") or [0, 1, 100]
        self.hv.refresh()
        out = []
        for vssd in vssds:
            full = self.summary(vssd)
            chosen = {SUMMARY_CODES[c] for c in codes if c in SUMMARY_CODES}
            out.append(Instance("Msvm_SummaryInformation",
                                {k: v for k, v in full.values.items() if k in chosen or k == "InstanceID"}))
        return Result(hv.OK, SummaryInformation=out)

    def summary(self, vssd):
        vm = vssd.get("VirtualSystemIdentifier")
        cs = self.hv.vm_cs(vm)
        settings = self.hv.settings_of(self.hv.vssd_of(vm))
        mem = next((s for s in settings if s.cls.name == "Msvm_MemorySettingData"), None)
        cpu = next((s for s in settings if s.cls.name == "Msvm_ProcessorSettingData"), None)
        running = cs.get("ProcessID") is not None
        switches = []
        for epasd in (s for s in settings if s.cls.name == "Msvm_EthernetPortAllocationSettingData"):
            ref = cim.parse_path((epasd.get("HostResource") or [""])[0] or "")
            sw = self.store.resolve(ref) if ref else None
            if sw is not None:
                switches.append(sw.get("ElementName"))
        return Instance("Msvm_SummaryInformation", {
            "InstanceID": f"Microsoft:{vm}", "Name": vm, "ElementName": cs.get("ElementName"),
            "CreationTime": vssd.get("CreationTime"), "Notes": "\n".join(vssd.get("Notes") or []),
            "NumberOfProcessors": cpu.get("VirtualQuantity") if cpu else 1, "EnabledState": cs.get("EnabledState"),
            "HealthState": 5, "OperationalStatus": [2], "StatusDescriptions": ["Operating normally"],
            "UpTime": cs.get("OnTimeInMilliseconds") or 0, "MemoryUsage": mem.get("VirtualQuantity") if running and mem else 0,
            "MemoryAvailable": 0, "AvailableMemoryBuffer": 0, "ProcessorLoad": 0 if running else None,
            "ProcessorLoadHistory": [0] * 5 if running else [], "HeartBeat": 2 if running else None,
            "VirtualSwitchNames": switches, "Version": vssd.get("Version"), "Shielded": 0,
            "VirtualSystemSubType": vssd.get("VirtualSystemSubType"), "HostComputerSystemName": self.hv.host_name,
            "EnhancedSessionModeState": cs.get("EnhancedSessionModeState"), "ReplicationMode": 0,
            "ReplicationState": 0, "ReplicationHealth": 0, "ApplicationHealth": None,
            "IntegrationServicesVersionState": 1 if running else None, "MemorySpansPhysicalNumaNodes": False,
            "SwapFilesInUse": 0,
            "Snapshots": [], "AsynchronousTasks": [], "GuestOperatingSystem": None})

    def summaries(self):
        return [self.summary(self.hv.vssd_of(cs.get("Name"))) for cs in self.store.all_of("Msvm_ComputerSystem")
                if self.hv.is_vm(cs)]

    # ---------------------------------------------------------------- devices
    def Msvm_ShutdownComponent_InitiateShutdown(self, comp, params):
        cs = self.hv.vm_cs(comp.get("SystemName"))
        extra = self.hv.vm_extra.get(comp.get("SystemName"), {})
        if cs is None or self.hv.base_state(cs) != hv.RUNNING or not extra.get("guest_shutdown", True):
            return Result(hv.INVALID_STATE)
        cs.set("RequestedState", 4)
        self.hv._set_state(cs, hv.SHUTTING_DOWN)

        def apply():
            cs.set("RequestedState", 5)
            self.hv._set_state(cs, hv.OFF)
        return self._job("Initiating guest shutdown", 4, apply, affected=[(cs, 0)])

    def _keyboard(self, kb, record):
        cs = self.hv.vm_cs(kb.get("SystemName"))
        if cs is None or self.hv.base_state(cs) != hv.RUNNING:
            return Result(hv.INVALID_STATE)
        self.hv.vm_extra[cs.get("Name")]["keys"].append(record)
        return Result(hv.OK)

    def Msvm_Keyboard_TypeKey(self, kb, params):
        return self._keyboard(kb, ["type", params.get("keyCode")])

    def Msvm_Keyboard_PressKey(self, kb, params):
        return self._keyboard(kb, ["press", params.get("keyCode")])

    def Msvm_Keyboard_ReleaseKey(self, kb, params):
        return self._keyboard(kb, ["release", params.get("keyCode")])

    def Msvm_Keyboard_TypeText(self, kb, params):
        return self._keyboard(kb, ["text", params.get("asciiText")])

    def Msvm_Keyboard_TypeCtrlAltDel(self, kb, params):
        return self._keyboard(kb, ["ctrl-alt-del", None])

    # ---------------------------------------------------------------- snapshots
    def Msvm_VirtualSystemSnapshotService_CreateSnapshot(self, svc, params):
        cs = self._vm_of_ref(params.get("AffectedSystem"))
        if cs is None:
            return Result(hv.INVALID_PARAMETER)
        vm = cs.get("Name")
        vssd = self.hv.vssd_of(vm)
        snap_id = hv.guid()
        snap = self.store.add(Instance("Msvm_VirtualSystemSettingData", dict(
            vssd.values, InstanceID=f"Microsoft:{snap_id}", VirtualSystemType=hv.SNAPSHOT,
            ElementName=f"{cs.get('ElementName')} - ({time.strftime('%m/%d/%Y - %H:%M:%S')})",
            CreationTime=cim.now_iso(), Parent=vssd.get("Parent"), ConfigurationID=snap_id), vm=vm))
        for s in self.hv.settings_of(vssd):
            if s.cls.name in ("Msvm_MemorySettingData", "Msvm_ProcessorSettingData"):
                clone = Instance(s.cls.name, dict(s.values, InstanceID=s.get("InstanceID").replace(vm, snap_id, 1)),
                                 vm=vm, vssd=snap.get("InstanceID"))
                self.store.add(clone)
                self.store.link("Msvm_VirtualSystemSettingDataComponent", {"GroupComponent": snap, "PartComponent": clone})
        self.store.link("Msvm_SnapshotOfVirtualSystem", {"Antecedent": cs, "Dependent": snap})
        vssd.set("Parent", self.hv.path_of(snap))
        return self._job("Creating snapshot", 70, affected=[(cs, 0), (snap, 5)])

    def Msvm_VirtualSystemSnapshotService_ApplySnapshot(self, svc, params):
        snap = self.store.resolve(params["Snapshot"]) if params.get("Snapshot") else None
        if snap is None or snap.get("VirtualSystemType") != hv.SNAPSHOT:
            return Result(hv.INVALID_PARAMETER)
        vm = snap.get("VirtualSystemIdentifier")
        cs = self.hv.vm_cs(vm)
        if self.hv.base_state(cs) not in (hv.OFF, hv.SAVED):
            return Result(hv.INVALID_STATE)
        current = {s.cls.name: s for s in self.hv.settings_of(self.hv.vssd_of(vm))}
        for s in self.hv.settings_of(snap):
            if s.cls.name in current:
                for key in ("VirtualQuantity", "Limit", "Reservation"):
                    current[s.cls.name].set(key, s.get(key))
        self.hv.vssd_of(vm).set("Parent", self.hv.path_of(snap))
        return self._job("Applying snapshot", 71, affected=[(cs, 0)])

    def Msvm_VirtualSystemSnapshotService_DestroySnapshot(self, svc, params):
        snap = self.store.resolve(params["AffectedSnapshot"]) if params.get("AffectedSnapshot") else None
        if snap is None or snap.get("VirtualSystemType") != hv.SNAPSHOT:
            return Result(hv.INVALID_PARAMETER)
        for s in self.hv.settings_of(snap):
            self.store.remove(s)
        self.store.remove(snap)
        return self._job("Deleting snapshot", 72)
