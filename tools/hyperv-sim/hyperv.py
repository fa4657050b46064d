"""The Hyper-V host: VMs as WMI objects, their state machine, asynchronous jobs, and the WMI methods."""

import random
import time
import uuid

import cim
import faults
from cim import Instance, Ref

SUB_GEN1 = "Microsoft:Hyper-V:SubType:1"
SUB_GEN2 = "Microsoft:Hyper-V:SubType:2"
REALIZED = "Microsoft:Hyper-V:System:Realized"
SNAPSHOT = "Microsoft:Hyper-V:Snapshot:Realized"
NEVER = "1601-01-01T00:00:00Z"

# Return values (Msvm_VirtualSystemManagementService documentation).
OK, JOB_STARTED, FAILED, NOT_SUPPORTED, INVALID_PARAMETER, INVALID_STATE = 0, 4096, 32768, 32770, 32773, 32775

# EnabledState values a v2 host reports (legacy_state_codes switches paused/saved to the V1 values).
RUNNING, OFF, SHUTTING_DOWN, SAVED, PAUSED, STARTING = 2, 3, 4, 6, 9, 10
SAVING, PAUSING, RESUMING = 32773, 32776, 32777

SUBTYPES = {
    "scsi": "Microsoft:Hyper-V:Synthetic SCSI Controller",
    "ide": "Microsoft:Hyper-V:Emulated IDE Controller",
    "disk": "Microsoft:Hyper-V:Synthetic Disk Drive",
    "dvd": "Microsoft:Hyper-V:Synthetic DVD Drive",
    "vhd": "Microsoft:Hyper-V:Virtual Hard Disk",
    "iso": "Microsoft:Hyper-V:Virtual CD/DVD Disk",
    "floppy_drive": "Microsoft:Hyper-V:Synthetic Diskette Drive",
    "vfd": "Microsoft:Hyper-V:Virtual Floppy Disk",
    "nic": "Microsoft:Hyper-V:Synthetic Ethernet Port",
    "connection": "Microsoft:Hyper-V:Ethernet Connection",
    "serial": "Microsoft:Hyper-V:Serial Port",
    "memory": "Microsoft:Hyper-V:Memory",
    "processor": "Microsoft:Hyper-V:Processor",
}


def guid():
    return str(uuid.uuid4()).upper()


class Job:
    def __init__(self, inst, apply, error=None):
        self.inst = inst
        self.apply = apply          # called once when the job completes
        self.error = error          # (code, description) to fail with
        self.started = time.monotonic()
        self.polls = 0
        self.done = False


class HyperV:
    def __init__(self, store, host, job_seconds=1.0, job_polls=1):
        self.store = store
        self.host = host
        self.jobs = []
        self.job_seconds = job_seconds
        self.job_polls = job_polls
        self.legacy_states = bool(host.get("legacy_state_codes"))
        self.files = None if host.get("files") is None else {f.lower() for f in host["files"]}
        self.vm_extra = {}   # VM GUID -> {"keys": [...], "started": monotonic, ...}
        store.refresh = self.refresh

    # ---------------------------------------------------------------- helpers
    @property
    def host_name(self):
        return self.store.host_name

    def state_code(self, state):
        if self.legacy_states:
            return {PAUSED: 32768, SAVED: 32769}.get(state, state)
        return state

    def path_of(self, inst):
        return inst.ref().path(self.host_name)

    def vm_cs(self, vm_guid):
        found = self.store.find("Msvm_ComputerSystem", Name=vm_guid)
        return found[0] if found else None

    def vssd_of(self, vm_guid):
        for v in self.store.find("Msvm_VirtualSystemSettingData", VirtualSystemIdentifier=vm_guid):
            if v.get("VirtualSystemType") == REALIZED:
                return v
        return None

    def settings_of(self, vssd):
        iid = vssd.get("InstanceID")
        return [i for objs in self.store.objects.values() for i in objs if i.meta.get("vssd") == iid]

    def add_setting(self, vssd, cls_name, values):
        inst = self.store.add(Instance(cls_name, values, vm=vssd.get("VirtualSystemIdentifier"),
                                       vssd=vssd.get("InstanceID")))
        self.store.link("Msvm_VirtualSystemSettingDataComponent", {"GroupComponent": vssd, "PartComponent": inst})
        return inst

    def is_vm(self, cs):
        return cs.get("Name") != self.host_name

    # ---------------------------------------------------------------- host
    def build_host(self, switches):
        h, name, now = self.host, self.host_name, cim.now_iso()
        host_cs = self.store.add(Instance("Msvm_ComputerSystem", {
            "Caption": "Hosting Computer System", "CreationClassName": "Msvm_ComputerSystem",
            "Description": "Microsoft Hosting Computer System", "ElementName": name, "EnabledDefault": 2,
            "EnabledState": 2, "HealthState": 5, "Name": name, "NumberOfNumaNodes": 1, "OperationalStatus": [2],
            "RequestedState": 12, "ResetCapability": 1, "Status": "OK", "StatusDescriptions": ["OK"]}))
        self.host_cs = host_cs
        for cls, elem in (("Msvm_VirtualSystemManagementService", "vmms"),
                          ("Msvm_VirtualSystemSnapshotService", "vssnapsvc"),
                          ("Msvm_ImageManagementService", "vhdsvc")):
            svc = self.store.add(Instance(cls, {
                "Caption": "Hyper-V Virtual System Management Service" if elem == "vmms" else cls[5:],
                "CreationClassName": cls, "Description": "Service for managing virtual systems",
                "ElementName": elem, "EnabledDefault": 2, "EnabledState": 2, "HealthState": 5, "Name": elem,
                "OperationalStatus": [2], "RequestedState": 12, "Started": True, "StartMode": "Automatic",
                "Status": "OK", "SystemCreationClassName": "Msvm_ComputerSystem", "SystemName": name}))
            self.store.link("Msvm_HostedService", {"Antecedent": host_cs, "Dependent": svc})
        def_id = guid()
        for which, vq in (("Default", 1), ("Minimum", 1), ("Maximum", h.get("max_vcpus", 240)), ("Increment", 1)):
            self.store.add(Instance("Msvm_ProcessorSettingData", {
                "Caption": "Processor", "Description": f"{which} settings for processors",
                "InstanceID": f"Microsoft:Definition\\{def_id}\\{which}", "ResourceType": 3,
                "ResourceSubType": SUBTYPES["processor"], "VirtualQuantity": vq, "Limit": 100000,
                "Reservation": 0, "Weight": 100, "AllocationUnits": "percent / 1000",
                "VirtualQuantityUnits": "count"}))
        disk_def = guid()
        for which in ("Default", "Increment"):
            self.store.add(Instance("Msvm_ResourceAllocationSettingData", {
                "AllocationUnits": "count", "AutomaticAllocation": True, "AutomaticDeallocation": True,
                "Caption": "Physical disk drive", "ConsumerVisibility": 2,
                "Description": f"{which} settings for physical disk drives",
                "InstanceID": f"Microsoft:Definition\\{disk_def}\\{which}", "Limit": 1, "PoolID": "",
                "Reservation": 0, "ResourceSubType": "Microsoft:Hyper-V:Physical Disk Drive", "ResourceType": 17,
                "TargetVtl": 0, "VirtualQuantity": 1, "VirtualQuantityUnits": "count", "Weight": 0}))
        for sw in switches:
            self.store.add(Instance("Msvm_VirtualEthernetSwitch", {
                "Caption": "Virtual Switch", "CreationClassName": "Msvm_VirtualEthernetSwitch",
                "Description": "Microsoft Virtual Switch", "ElementName": sw["name"], "EnabledDefault": 2,
                "EnabledState": 2, "HealthState": 5, "MaxIOVOffloads": 0, "MaxVMQOffloads": 0,
                "Name": sw.get("guid") or guid().lower(), "OperationalStatus": [2], "RequestedState": 12,
                "ResetCapability": 5, "Status": "OK", "StatusDescriptions": ["OK"], "Dedicated": [38],
                "IdentifyingDescriptions": ["Virtual Switch Extension Miniport Adapter ID"],
                "OtherIdentifyingInfo": ["{" + guid() + "}"]}))
        self._build_cimv2(now)

    def _build_cimv2(self, now):
        h, name = self.host, self.host_name
        procs = h.get("processors") or [{}]
        logical = sum(p.get("logical", 8) for p in procs)
        cs = self.store.add(Instance("Win32_ComputerSystem", {
            "AdminPasswordStatus": 3, "AutomaticManagedPagefile": True, "AutomaticResetBootOption": True,
            "AutomaticResetCapability": True, "BootROMSupported": True, "BootupState": "Normal boot",
            "Caption": name, "ChassisBootupState": 3, "CreationClassName": "Win32_ComputerSystem",
            "CurrentTimeZone": 0, "Description": "AT/AT COMPATIBLE", "DNSHostName": h.get("dns_host_name", name),
            "Domain": h.get("domain", "WORKGROUP"), "DomainRole": 2, "EnableDaylightSavingsTime": True,
            "FrontPanelResetStatus": 3, "HypervisorPresent": True, "InfraredSupported": False,
            "KeyboardPasswordStatus": 3, "Manufacturer": h.get("manufacturer", "Dell Inc."),
            "Model": h.get("model", "PowerEdge R640"), "Name": name, "NetworkServerModeEnabled": True,
            "NumberOfLogicalProcessors": logical, "NumberOfProcessors": len(procs), "PartOfDomain": False,
            "PauseAfterReset": -1, "PCSystemType": 4, "PowerOnPasswordStatus": 3, "PowerState": 0,
            "PowerSupplyState": 3, "PrimaryOwnerName": "Windows User", "ResetCapability": 1, "ResetCount": -1,
            "ResetLimit": -1, "Roles": ["LM_Workstation", "LM_Server", "NT", "Server_NT"], "Status": "OK",
            "SystemType": "x64-based PC", "ThermalState": 3,
            "TotalPhysicalMemory": h.get("total_memory_mb", 65536) * 1024 * 1024, "WakeUpType": 6,
            "Workgroup": h.get("domain", "WORKGROUP")}))
        version = h.get("os_version", "10.0.17763")
        caption = h.get("os_caption", "Microsoft Windows Server 2019 Datacenter")
        self.store.add(Instance("Win32_OperatingSystem", {
            "BootDevice": "\\Device\\HarddiskVolume1", "BuildNumber": version.split(".")[-1],
            "BuildType": "Multiprocessor Free", "Caption": caption, "CodeSet": "1252", "CountryCode": "1",
            "CreationClassName": "Win32_OperatingSystem", "CSCreationClassName": "Win32_ComputerSystem",
            "CSName": name, "CurrentTimeZone": 0, "DataExecutionPrevention_32BitApplications": True,
            "DataExecutionPrevention_Available": True, "DataExecutionPrevention_Drivers": True,
            "DataExecutionPrevention_SupportPolicy": 3, "Debug": False, "Description": "", "Distributed": False,
            "EncryptionLevel": 256, "ForegroundApplicationBoost": 2,
            "FreePhysicalMemory": h.get("free_memory_mb", 49152) * 1024, "FreeSpaceInPagingFiles": 8388608,
            "FreeVirtualMemory": h.get("free_memory_mb", 49152) * 1024 + 8388608, "InstallDate": "2023-01-10T09:00:00Z",
            "LastBootUpTime": now, "LocalDateTime": now, "Locale": "0409", "Manufacturer": "Microsoft Corporation",
            "MaxNumberOfProcesses": 4294967295, "MaxProcessMemorySize": 137438953344, "MUILanguages": ["en-US"],
            "Name": f"{caption}|C:\\Windows|\\Device\\Harddisk0\\Partition2", "NumberOfLicensedUsers": 0,
            "NumberOfProcesses": 120, "NumberOfUsers": 1, "OperatingSystemSKU": 8, "Organization": "",
            "OSArchitecture": "64-bit", "OSLanguage": 1033, "OSProductSuite": 400, "OSType": 18,
            "PortableOperatingSystem": False, "Primary": True, "ProductType": 3, "RegisteredUser": "Windows User",
            "SerialNumber": "00430-00000-00000-AA000", "ServicePackMajorVersion": 0, "ServicePackMinorVersion": 0,
            "SizeStoredInPagingFiles": 8388608, "Status": "OK", "SuiteMask": 400,
            "SystemDevice": "\\Device\\HarddiskVolume2", "SystemDirectory": "C:\\Windows\\system32",
            "SystemDrive": "C:", "TotalVirtualMemorySize": h.get("total_memory_mb", 65536) * 1024 + 8388608,
            "TotalVisibleMemorySize": h.get("total_memory_mb", 65536) * 1024, "Version": version,
            "WindowsDirectory": "C:\\Windows"}))
        for n, p in enumerate(procs):
            cpu = self.store.add(Instance("Win32_Processor", {
                "AddressWidth": 64, "Architecture": 9, "Availability": 3,
                "Caption": "Intel64 Family 6 Model 63 Stepping 2", "CpuStatus": 1,
                "CreationClassName": "Win32_Processor", "CurrentClockSpeed": p.get("max_clock_mhz", 2400),
                "DataWidth": 64, "Description": "Intel64 Family 6 Model 63 Stepping 2", "DeviceID": f"CPU{n}",
                "Family": 179, "L2CacheSize": 2048, "L3CacheSize": 20480, "L3CacheSpeed": 0, "Level": 6,
                "LoadPercentage": 3, "Manufacturer": "GenuineIntel", "MaxClockSpeed": p.get("max_clock_mhz", 2400),
                "Name": p.get("name", "Intel(R) Xeon(R) CPU E5-2630 v3 @ 2.40GHz"),
                "NumberOfCores": p.get("cores", 8), "NumberOfEnabledCore": p.get("cores", 8),
                "NumberOfLogicalProcessors": p.get("logical", 16), "PowerManagementSupported": False,
                "ProcessorId": "BFEBFBFF000306F2", "ProcessorType": 3, "Revision": 16130, "Role": "CPU",
                "SecondLevelAddressTranslationExtensions": False, "SocketDesignation": f"CPU{n + 1}",
                "Status": "OK", "StatusInfo": 3, "SystemCreationClassName": "Win32_ComputerSystem",
                "SystemName": name, "ThreadCount": p.get("logical", 16), "UpgradeMethod": 43, "Version": "",
                "VirtualizationFirmwareEnabled": False, "VMMonitorModeExtensions": False}))
            self.store.link("Win32_ComputerSystemProcessor", {"GroupComponent": cs, "PartComponent": cpu})
        self.store.add(Instance("Win32_ComputerSystemProduct", {
            "Caption": "Computer System Product", "Description": "Computer System Product",
            "IdentifyingNumber": h.get("serial", "SIM0001"), "Name": h.get("model", "PowerEdge R640"),
            "UUID": h.get("uuid", "4C4C4544-0042-4810-8057-B4C04F4E3332"), "Vendor": h.get("manufacturer", "Dell Inc."),
            "Version": ""}))

    # ---------------------------------------------------------------- VMs
    def add_vm(self, spec):
        """Create a VM and its settings/devices from an inventory entry; returns its Msvm_ComputerSystem."""
        vm_guid = (spec.get("guid") or guid()).upper()
        gen = int(spec.get("generation", 2))
        name = spec.get("name", "New Virtual Machine")
        now = cim.now_iso()
        cs = self.store.add(Instance("Msvm_ComputerSystem", {
            "Caption": "Virtual Machine", "CreationClassName": "Msvm_ComputerSystem",
            "Description": "Microsoft Virtual Machine", "ElementName": name, "EnabledDefault": 2, "EnabledState": OFF,
            "EnhancedSessionModeState": 3, "FailedOverReplicationType": 0, "HealthState": 5, "InstallDate": now,
            "LastApplicationConsistentReplicationTime": NEVER, "LastReplicationTime": NEVER, "LastReplicationType": 0,
            "Name": vm_guid, "NumberOfNumaNodes": 1, "OnTimeInMilliseconds": 0, "OperationalStatus": [2],
            "ReplicationHealth": 0, "ReplicationMode": 0, "ReplicationState": 0, "RequestedState": 5,
            "ResetCapability": 1, "Status": "OK", "StatusDescriptions": ["Operating normally"],
            "TimeOfLastConfigurationChange": now, "TimeOfLastStateChange": NEVER}, vm=vm_guid))
        self.vm_extra[vm_guid] = {"keys": [], "started": None, "guest_shutdown": spec.get("guest_shutdown", True)}
        vssd = self.store.add(Instance("Msvm_VirtualSystemSettingData", {
            "Caption": "Virtual Machine Settings", "Description": "Active settings for the virtual machine.",
            "ElementName": name, "InstanceID": f"Microsoft:{vm_guid}", "VirtualSystemIdentifier": vm_guid,
            "VirtualSystemType": REALIZED, "VirtualSystemSubType": SUB_GEN2 if gen == 2 else SUB_GEN1,
            "Notes": [spec["notes"]] if spec.get("notes") else [""], "CreationTime": now,
            "ConfigurationID": vm_guid, "ConfigurationDataRoot": "C:\\ProgramData\\Microsoft\\Windows\\Hyper-V",
            "ConfigurationFile": f"C:\\ProgramData\\Microsoft\\Windows\\Hyper-V\\Virtual Machines\\{vm_guid}.vmcx",
            "SnapshotDataRoot": "C:\\ProgramData\\Microsoft\\Windows\\Hyper-V",
            "SuspendDataRoot": "C:\\ProgramData\\Microsoft\\Windows\\Hyper-V",
            "SwapFileDataRoot": "C:\\ProgramData\\Microsoft\\Windows\\Hyper-V",
            "AutomaticStartupAction": 4 if spec.get("autostart") else 2, "AutomaticStartupActionDelay": "P0DT0H0M0S",
            "AutomaticStartupActionSequenceNumber": 0, "AutomaticShutdownAction": 3, "AutomaticRecoveryAction": 3,
            "BIOSGUID": "{" + guid() + "}", "BIOSSerialNumber": "0000-0000-0000-0000-0000-0000-00",
            "BaseBoardSerialNumber": "0000-0000-0000-0000-0000-0000-00", "ChassisAssetTag": "0000-0000-0000-0000-0000-0000-00",
            "ChassisSerialNumber": "0000-0000-0000-0000-0000-0000-00", "BIOSNumLock": False,
            "BootOrder": [1, 2, 3, 0] if gen == 1 else [], "IsSaved": False, "Version": "9.0",
            "AllowFullSCSICommandSet": False, "IncrementalBackupEnabled": False, "VirtualNumaEnabled": True,
            "AllowReducedFcRedundancy": False, "PauseAfterBootFailure": False, "NetworkBootPreferredProtocol": 4096,
            "AutomaticSnapshotsEnabled": False, "IsAutomaticSnapshot": False, "LockOnDisconnect": False,
            "UserSnapshotType": 3, "DebugPortEnabled": 0, "DebugChannelId": 0, "DebugPort": 0,
            "SecureBootEnabled": bool(spec.get("secure_boot", gen == 2)) if gen == 2 else False,
            "SecureBootTemplateId": "1734c6e8-3154-4dda-ba5f-a874cc483422" if gen == 2 else None,
            "LowMmioGapSize": 128, "HighMmioGapSize": 512, "TurnOffOnGuestShutdown": False,
            "EnhancedSessionTransportType": False, "AutomaticCriticalErrorAction": 1,
            "AutomaticCriticalErrorActionTimeout": "P0DT0H30M0S", "Architecture": "x64"}, vm=vm_guid))
        self.store.link("Msvm_SettingsDefineState", {"ManagedElement": cs, "SettingData": vssd})
        self._default_settings(vssd, gen, spec)
        self._devices(cs)
        for disk in spec.get("disks", []):
            self._attach_from_spec(vssd, gen, disk)
        for nic in spec.get("nics", []):
            self._nic_from_spec(vssd, nic)
        for port in spec.get("serial", []):
            for sp in self.store.find("Msvm_SerialPortSettingData", ElementName=f"COM {port['port']}"):
                if sp.meta.get("vssd") == vssd.get("InstanceID"):
                    sp.set("Connection", [port.get("pipe", "")])
        state = spec.get("state", "off")
        if state in ("running", "paused"):
            self._power_on(cs)
            if state == "paused":
                self._set_state(cs, PAUSED)
        elif state == "saved":
            self._set_state(cs, SAVED)
            vssd.set("IsSaved", True)
        return cs

    def _default_settings(self, vssd, gen, spec):
        vm = vssd.get("VirtualSystemIdentifier")
        mem = int(spec.get("memory_mb", 1024))
        self.add_setting(vssd, "Msvm_MemorySettingData", {
            "AllocationUnits": "byte * 2^20", "AutomaticAllocation": True, "AutomaticDeallocation": True,
            "Caption": "Memory", "ConsumerVisibility": 2, "Description": "Microsoft Virtual Machine Memory",
            "DynamicMemoryEnabled": False, "ElementName": "Memory", "InstanceID": f"Microsoft:{vm}\\4764334d-e001-4176-82ee-5594ec9b530e",
            "IsVirtualized": True, "Limit": int(spec.get("max_memory_mb", 1048576)), "MappingBehavior": 0, "PoolID": "",
            "Reservation": mem, "ResourceSubType": SUBTYPES["memory"], "ResourceType": 4, "SwapFilesInUse": False,
            "TargetMemoryBuffer": 20, "VirtualQuantity": mem, "VirtualQuantityUnits": "byte * 2^20", "Weight": 5000,
            "HugePagesEnabled": False, "SgxEnabled": False, "SgxSize": 0, "MaxMemoryBlocksPerNumaNode": 0})
        self.add_setting(vssd, "Msvm_ProcessorSettingData", {
            "AllocationUnits": "percent / 1000", "AutomaticAllocation": True, "AutomaticDeallocation": True,
            "Caption": "Processor", "ConsumerVisibility": 3, "Description": "Settings for Microsoft Virtual Processor.",
            "ElementName": "Processor", "EnableHostResourceProtection": False, "ExposeVirtualizationExtensions": False,
            "HwThreadsPerCore": 0, "InstanceID": f"Microsoft:{vm}\\b637f346-6a0e-4dec-af52-bd70cb80a21d\\0",
            "Limit": 100000, "LimitCPUID": False, "LimitProcessorFeatures": False, "MaxNumaNodesPerSocket": 1,
            "MaxProcessorsPerNumaNode": 32, "PoolID": "", "Reservation": 0, "ResourceSubType": SUBTYPES["processor"],
            "ResourceType": 3, "VirtualQuantity": int(spec.get("vcpus", 1)), "VirtualQuantityUnits": "count",
            "Weight": 100, "EnablePerfmonPmu": False, "EnablePerfmonLbr": False, "EnablePerfmonPebs": False,
            "EnablePerfmonIpt": False})
        if gen == 1:
            ide = "83f8638b-8dca-4152-9eda-2ca8b33039b4"
            for channel in ("0", "1"):
                self.add_setting(vssd, "Msvm_ResourceAllocationSettingData", self._rasd_values(
                    f"Microsoft:{vm}\\{ide}\\{channel}", 5, SUBTYPES["ide"], "IDE Controller " + channel,
                    Address=channel))
            self.add_setting(vssd, "Msvm_ResourceAllocationSettingData", self._rasd_values(
                f"Microsoft:{vm}\\d422512d-2bf2-4752-809d-7b82b5fcb1b4\\0\\0\\D", 14, SUBTYPES["floppy_drive"],
                "Diskette Drive", AddressOnParent="0"))
        serial = "e2ee1e0e-8145-4b95-9e55-4f3bd2d4d9bc"
        for n in (1, 2):
            self.add_setting(vssd, "Msvm_SerialPortSettingData", dict(self._rasd_values(
                f"Microsoft:{vm}\\{serial}\\{n - 1}", 21, SUBTYPES["serial"], f"COM {n}"),
                Connection=[""], DebuggerMode=False))
        self.add_setting(vssd, "Msvm_SecuritySettingData", {
            "Caption": "Security Settings", "ElementName": "Security Settings",
            "InstanceID": f"Microsoft:{vm}\\SecuritySettings", "TpmEnabled": bool(spec.get("tpm", False)),
            "KsdEnabled": False, "ShieldingRequested": False, "EncryptStateAndVmMigrationTraffic": False,
            "DataProtectionRequested": False, "VirtualizationBasedSecurityOptOut": False, "BindToHostTpm": False})

    def _rasd_values(self, instance_id, rtype, subtype, element_name, **extra):
        values = {"AllocationUnits": "count", "AutomaticAllocation": True, "AutomaticDeallocation": True,
                  "Caption": element_name, "ConsumerVisibility": 3, "Description": f"Microsoft {element_name}",
                  "ElementName": element_name, "InstanceID": instance_id, "Limit": 1, "MappingBehavior": 0,
                  "PoolID": "", "Reservation": 1, "ResourceSubType": subtype, "ResourceType": rtype,
                  "VirtualQuantity": 1, "VirtualQuantityUnits": "count", "Weight": 0}
        values.update(extra)
        return values

    def _devices(self, cs):
        vm = cs.get("Name")
        for cls, dev_id, elem in (("Msvm_Keyboard", "Keyboard", "Keyboard"),
                                  ("Msvm_ShutdownComponent", "Microsoft:" + vm + "\\9F8233AC-BE49-4C79-8EE3-E7E1985B2077", "Shutdown"),
                                  ("Msvm_SyntheticDisplayController", "Microsoft:" + vm + "\\Video", "Microsoft Synthetic Display Controller"),
                                  ("Msvm_VideoHead", "Microsoft:" + vm + "\\VideoHead", "Video Head")):
            extra = {"CurrentHorizontalResolution": 1024, "CurrentVerticalResolution": 768,
                     "CurrentBitsPerPixel": 32} if cls == "Msvm_VideoHead" else {}
            dev = self.store.add(Instance(cls, dict({
                "Caption": elem, "CreationClassName": cls, "Description": elem, "DeviceID": dev_id,
                "ElementName": elem, "EnabledDefault": 2, "EnabledState": 3, "HealthState": 5,
                "OperationalStatus": [2], "RequestedState": 12, "SystemCreationClassName": "Msvm_ComputerSystem",
                "SystemName": vm}, **extra), vm=vm))
            self.store.link("Msvm_SystemDevice", {"GroupComponent": cs, "PartComponent": dev})
            if cls == "Msvm_VideoHead":
                display = self.store.find("Msvm_SyntheticDisplayController", SystemName=vm)[0]
                self.store.link("Msvm_VideoHeadOnController", {"Antecedent": display, "Dependent": dev})

    def _attach_from_spec(self, vssd, gen, disk):
        """Inventory disks: {"path", "bus": scsi|ide, "controller", "unit", "type": disk|dvd}."""
        bus = disk.get("bus", "scsi" if gen == 2 else "ide")
        ctrl = self._controller(vssd, bus, int(disk.get("controller", 0)), create=True)
        kind = disk.get("type", "disk")
        drive = self._add_drive(vssd, ctrl, int(disk.get("unit", 0)), kind)
        if disk.get("path"):
            self._add_extent(vssd, drive, disk["path"], "iso" if kind == "dvd" else "vhd")

    def _controller(self, vssd, bus, index, create=False):
        ctrls = [s for s in self.settings_of(vssd) if s.get("ResourceType") == (6 if bus == "scsi" else 5)]
        if bus == "ide":
            return next((c for c in ctrls if c.get("Address") == str(index)), None)
        while create and len(ctrls) <= index:
            ctrls.append(self._add_scsi(vssd))
        return ctrls[index] if index < len(ctrls) else None

    def _add_scsi(self, vssd, values=None):
        vm = vssd.get("VirtualSystemIdentifier")
        n = len([s for s in self.settings_of(vssd) if s.get("ResourceType") == 6])
        base = self._rasd_values(f"Microsoft:{vm}\\{guid()}\\{n}", 6, SUBTYPES["scsi"], "SCSI Controller")
        base.update({k: v for k, v in (values or {}).items() if k not in ("InstanceID",)})
        return self.add_setting(vssd, "Msvm_ResourceAllocationSettingData", base)

    def _add_drive(self, vssd, ctrl, unit, kind, values=None):
        rtype = 16 if kind == "dvd" else 17
        iid = f"{ctrl.get('InstanceID')}\\{unit}\\D"
        base = self._rasd_values(iid, rtype, SUBTYPES["dvd" if kind == "dvd" else "disk"],
                                 "DVD Drive" if kind == "dvd" else "Hard Drive",
                                 Parent=self.path_of(ctrl), AddressOnParent=str(unit))
        base.update({k: v for k, v in (values or {}).items() if k not in ("InstanceID", "Parent")})
        drive = self.add_setting(vssd, "Msvm_ResourceAllocationSettingData", base)
        self._add_boot_source(vssd, drive, "drive", unit)
        return drive

    def _add_boot_source(self, vssd, device, kind, location):
        """Generation 2: a device's boot entry, appended to VSSD.BootSourceOrder as Hyper-V
        does when a drive or network adapter is added (firmware paths as the UEFI shows them)."""
        if vssd.get("VirtualSystemSubType") != SUB_GEN2:
            return None
        vm = vssd.get("VirtualSystemIdentifier")
        vmbus = "\\AcpiEx(VMBus,0,0)\\VenHw(9B17E5A2-0891-42DD-B653-80B5C22809BA," + guid().replace("-", "") + ")"
        network = kind == "network"
        source = self.store.add(Instance("Msvm_BootSourceSettingData", {
            "Caption": "Boot Source", "Description": "Boot source of the virtual machine",
            "ElementName": "EFI Network" if network else "EFI SCSI Device",
            "BootSourceDescription": "EFI Network" if network else "EFI SCSI Device",
            "BootSourceType": 2 if network else 1, "OtherLocation": "",
            "FirmwareDevicePath": vmbus + (f"\\MAC({location})" if network else f"\\Scsi(0,{location})"),
            "InstanceID": f"Microsoft:{vm}\\BootSource\\{guid()}"}, vm=vm, vssd=None, device=device))
        self.store.link("Msvm_BootSourceComponent", {"GroupComponent": vssd, "PartComponent": source})
        self.store.link("Msvm_LogicalIdentity", {"SameElement": source, "SystemElement": device})
        vssd.set("BootSourceOrder", list(vssd.get("BootSourceOrder") or []) + [self.path_of(source)])
        return source

    def drop_boot_sources(self, device):
        """Removing a device removes its boot entry from the order."""
        for source in [b for b in self.store.objects["Msvm_BootSourceSettingData"] if b.meta.get("device") is device]:
            path = self.path_of(source).lower()
            for vssd in self.store.find("Msvm_VirtualSystemSettingData", VirtualSystemIdentifier=source.meta.get("vm")):
                vssd.set("BootSourceOrder", [p for p in vssd.get("BootSourceOrder") or [] if p.lower() != path])
            self.store.remove(source)

    def _add_extent(self, vssd, drive, path, kind, values=None):
        base = self._rasd_values(drive.get("InstanceID")[:-1] + "L", 31, SUBTYPES[kind],
                                 "Hard Disk Image" if kind == "vhd" else "ISO Disk Image",
                                 Parent=self.path_of(drive), HostResource=[path])
        base.update({"HostResourceBlockSize": None, "VirtualResourceBlockSize": None, "CachingMode": 1,
                     "IOPSLimit": 0, "IOPSReservation": 0, "IOPSAllocationUnits": "count", "SnapshotId": 0,
                     "PersistentReservationsSupported": False, "IgnoreFlushes": False, "WriteHardeningMethod": 0,
                     "HostExtentStartingAddress": None})
        base.update({k: v for k, v in (values or {}).items() if k not in ("InstanceID", "Parent", "ResourceType")})
        base["ResourceType"] = 31
        return self.add_setting(vssd, "Msvm_StorageAllocationSettingData", base)

    def _nic_from_spec(self, vssd, nic):
        mac = nic.get("mac") or "00155D" + "".join(random.choice("0123456789ABCDEF") for _ in range(6))
        port = self._add_nic(vssd, {"Address": mac.replace(":", "").upper(), "StaticMacAddress": bool(nic.get("mac"))})
        # What the guest's integration services report: [[address, subnet], ...].
        addresses = nic.get("addresses") or []
        if addresses:
            adapter = port.get("InstanceID").rsplit("\\", 1)[-1]
            for config in self.store.objects["Msvm_GuestNetworkAdapterConfiguration"]:
                if config.get("InstanceID").endswith("\\" + adapter):
                    config.set("IPAddresses", [a for a, _ in addresses])
                    config.set("Subnets", [s for _, s in addresses])
        switch = nic.get("switch")
        if switch:
            sw = [s for s in self.store.all_of("Msvm_VirtualEthernetSwitch")
                  if s.get("Name").lower() == switch.lower() or s.get("ElementName") == switch]
            if sw:
                self._add_connection(vssd, port, self.path_of(sw[0]))

    def _add_nic(self, vssd, values):
        vm = vssd.get("VirtualSystemIdentifier")
        nic_guid = guid()
        base = self._rasd_values(f"Microsoft:{vm}\\{nic_guid}", 10, SUBTYPES["nic"], "Network Adapter")
        base.update({"Address": "00155D" + nic_guid[:6], "StaticMacAddress": False, "DeviceNamingEnabled": False,
                     "VirtualSystemIdentifiers": ["{" + nic_guid + "}"], "ClusterMonitored": True,
                     "AllowPacketDirect": False, "NumaAwarePlacement": False, "InterruptModeration": True,
                     "MediaType": False})
        base.update({k: v for k, v in values.items() if k != "InstanceID"})
        port = self.add_setting(vssd, "Msvm_SyntheticEthernetPortSettingData", base)
        gnac = self.store.add(Instance("Msvm_GuestNetworkAdapterConfiguration", {
            "InstanceID": f"Microsoft:GuestNetwork\\{vm}\\{nic_guid}", "DHCPEnabled": True, "ProtocolIFType": 0},
            vm=vm, vssd=None))
        self.store.link("Msvm_SettingDataComponent", {"GroupComponent": port, "PartComponent": gnac})
        self._add_boot_source(vssd, port, "network", port.get("Address"))
        return port

    def _add_connection(self, vssd, port, switch_path, values=None):
        base = self._rasd_values(port.get("InstanceID") + "\\C", 33, SUBTYPES["connection"], "Ethernet Connection",
                                 Parent=self.path_of(port), HostResource=[switch_path])
        base.update({"EnabledState": 2, "RequiredFeatures": [], "LastKnownSwitchName": ""})
        base.update({k: v for k, v in (values or {}).items() if k not in ("InstanceID", "Parent")})
        return self.add_setting(vssd, "Msvm_EthernetPortAllocationSettingData", base)

    # ---------------------------------------------------------------- state
    def _set_state(self, cs, state):
        cs.set("EnabledState", self.state_code(state))
        cs.set("TimeOfLastStateChange", cim.now_iso())
        extra = self.vm_extra[cs.get("Name")]
        active = state in (RUNNING, PAUSED, STARTING, SHUTTING_DOWN, SAVING, PAUSING, RESUMING)
        if not active:
            cs.set("ProcessID", None)
            extra["started"] = None
            cs.set("OnTimeInMilliseconds", 0)
        cs.set("EnabledDefault", 2 if state == RUNNING else cs.get("EnabledDefault"))
        cs.set("HwThreadsPerCoreRealized", 2 if active else None)
        for dev in (self.store.objects["Msvm_Keyboard"] + self.store.objects["Msvm_ShutdownComponent"]
                    + self.store.objects["Msvm_VideoHead"]):
            if dev.get("SystemName") == cs.get("Name"):
                dev.set("EnabledState", 2 if state == RUNNING else 3)

    def _power_on(self, cs):
        self.vm_extra[cs.get("Name")]["started"] = time.monotonic()
        cs.set("ProcessID", random.randint(1000, 60000))
        self._set_state(cs, RUNNING)
        self.vm_extra[cs.get("Name")]["started"] = time.monotonic()
        self.vssd_of(cs.get("Name")).set("IsSaved", False)

    def base_state(self, cs):
        code = cs.get("EnabledState")
        return {32768: PAUSED, 32769: SAVED}.get(code, code)

    def refresh(self):
        """Live values: uptime of running VMs, and jobs that are due."""
        now = time.monotonic()
        for cs in self.store.objects["Msvm_ComputerSystem"]:
            extra = self.vm_extra.get(cs.get("Name"))
            if extra and extra["started"] is not None:
                cs.set("OnTimeInMilliseconds", int((now - extra["started"]) * 1000) + 1)
        self._vp_counters(now)
        for job in self.jobs:
            if not job.done and (now - job.started >= self.job_seconds or job.polls > self.job_polls):
                self._finish(job)

    def _vp_counters(self, now):
        """The hypervisor's counters for the virtual processors of each running VM
        ("<VM name>:Hv VP <n>"); total run time in 100 ns ticks, a tenth of the uptime."""
        cls = "Win32_PerfRawData_HvStats_HyperVHypervisorVirtualProcessor"
        self.store.objects[cls] = []
        for cs in self.store.objects["Msvm_ComputerSystem"]:
            extra = self.vm_extra.get(cs.get("Name"))
            if not extra or extra["started"] is None:
                continue
            cpu = next((s for s in self.settings_of(self.vssd_of(cs.get("Name")))
                        if s.cls.name == "Msvm_ProcessorSettingData"), None)
            ticks = int((now - extra["started"]) * 1e6)
            for n in range(cpu.get("VirtualQuantity") if cpu else 1):
                self.store.add(Instance(cls, {
                    "Name": f"{cs.get('ElementName')}:Hv VP {n}", "PercentTotalRunTime": ticks + n,
                    "PercentGuestRunTime": ticks, "PercentHypervisorRunTime": n, "Frequency_PerfTime": 10000000,
                    "Frequency_Sys100NS": 10000000, "Timestamp_Sys100NS": int(time.time() * 1e7)}))

    def note_polled(self, instances):
        for job in self.jobs:
            if any(i is job.inst for i in instances):
                job.polls += 1

    def _finish(self, job):
        job.done = True
        inst = job.inst
        error = job.error
        if error is None:
            try:
                error = job.apply() if job.apply else None
            except JobFailure as failure:
                error = (failure.code, failure.description)
        now = cim.now_iso()
        inst.set("TimeOfLastStateChange", now)
        inst.set("ElapsedTime", cim.iso_duration(time.monotonic() - job.started))
        if error:
            inst.set("JobState", 10)
            inst.set("ErrorCode", error[0])
            inst.set("ErrorDescription", error[1])
            inst.set("ErrorSummaryDescription", error[1].split("\n")[0])
            inst.set("JobStatus", "Exception")
            inst.set("OperationalStatus", [6])
            inst.set("StatusDescriptions", ["Error"])
            inst.set("Status", "Error")
        else:
            inst.set("JobState", 7)
            inst.set("PercentComplete", 100)
            inst.set("JobStatus", "Job completed successfully")
            inst.set("ErrorCode", 0)
            inst.set("ErrorDescription", "")

    def new_job(self, caption, job_type, apply=None, error=None, affected=()):
        now = cim.now_iso()
        inst = self.store.add(Instance("Msvm_ConcreteJob", {
            "Caption": caption, "Description": caption, "ElementName": caption, "InstanceID": guid(),
            "Name": caption, "OperationalStatus": [2], "StatusDescriptions": ["Job is running"],
            "Status": "OK", "HealthState": 5, "JobStatus": "Job is running", "TimeSubmitted": now,
            "StartTime": now, "ElapsedTime": "P0DT0H0M0S", "JobRunTimes": 1, "LocalOrUtcTime": 2,
            "Owner": "SIM\\Administrator", "Priority": 0, "PercentComplete": 0, "DeleteOnCompletion": False,
            "ErrorCode": None, "RecoveryAction": 1, "JobState": 4, "TimeOfLastStateChange": now,
            "TimeBeforeRemoval": "P0DT0H5M0S", "Cancellable": True, "JobType": job_type}))
        for element, effect in affected:
            self.store.link("Msvm_AffectedJobElement", {"AffectedElement": element, "AffectingElement": inst},
                            ElementEffects=[effect])
        self.jobs.append(Job(inst, apply, error))
        return inst


class JobFailure(Exception):
    def __init__(self, code, description):
        super().__init__(description)
        self.code = code
        self.description = description
