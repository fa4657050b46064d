"""The WMI classes the simulator serves: namespace, parent, keys and typed properties (from the MOF).

Property types: string, boolean, uint8/16/32/64, sint8/16/32/64, datetime, interval, ref:<Class>;
a trailing [] marks an array."""

V2 = "root/virtualization/v2"
CIMV2 = "root/cimv2"


class ClassDef:
    def __init__(self, name, namespace, parent, keys, spec, association=False):
        self.name = name
        self.namespace = namespace
        self.parent = parent
        self.keys = keys
        self.association = association
        self.props = {}
        for decl in spec.replace("\n", ";").split(";"):
            decl = decl.strip()
            if decl:
                ptype, pname = decl.split()
                if pname.endswith("[]"):
                    ptype, pname = ptype + "[]", pname[:-2]
                self.props[pname] = ptype
        self._by_lower = {p.lower(): p for p in self.props}

    @property
    def resource_uri(self):
        return f"http://schemas.microsoft.com/wbem/wsman/1/wmi/{self.namespace}/{self.name}"

    def canonical(self, prop):
        return self._by_lower.get(prop.lower())

    def is_a(self, other_name):
        cls = self
        while cls is not None:
            if cls.name.lower() == other_name.lower():
                return True
            cls = CLASSES.get(cls.parent) if cls.parent else None
        return other_name.lower() in (ABSTRACT_ANCESTORS.get(self.name.lower(), ()))


_MANAGED = "string Caption; string Description; string ElementName; string InstanceID"
_STATUS = ("uint16 CommunicationStatus; uint16 DetailedStatus; uint16 HealthState; datetime InstallDate; "
           "uint16 OperatingStatus; uint16 OperationalStatus[]; uint16 PrimaryStatus; string Status; "
           "string StatusDescriptions[]")
_ENABLED = ("uint16 AvailableRequestedStates[]; uint16 EnabledDefault; uint16 EnabledState; string OtherEnabledState; "
            "uint16 RequestedState; datetime TimeOfLastStateChange; uint16 TransitioningToState")
_DEVICE = (f"{_MANAGED}; {_STATUS}; {_ENABLED}; uint16 Availability; string CreationClassName; string DeviceID; "
           "boolean ErrorCleared; string ErrorDescription; string IdentifyingDescriptions[]; uint32 LastErrorCode; "
           "uint64 MaxQuiesceTime; string Name; string OtherIdentifyingInfo[]; uint16 PowerManagementCapabilities[]; "
           "boolean PowerManagementSupported; uint64 PowerOnHours; uint16 StatusInfo; string SystemCreationClassName; "
           "string SystemName; uint64 TotalPowerOnHours; uint16 AdditionalAvailability[]")
_DEVICE_KEYS = ["CreationClassName", "DeviceID", "SystemCreationClassName", "SystemName"]
_SERVICE = (f"{_MANAGED}; {_STATUS}; {_ENABLED}; string CreationClassName; string Name; string PrimaryOwnerContact; "
            "string PrimaryOwnerName; boolean Started; string StartMode; string SystemCreationClassName; string SystemName")
_SERVICE_KEYS = ["CreationClassName", "Name", "SystemCreationClassName", "SystemName"]
_RASD = (f"{_MANAGED}; string Address; string AddressOnParent; string AllocationUnits; boolean AutomaticAllocation; "
         "boolean AutomaticDeallocation; string Connection[]; uint16 ConsumerVisibility; string HostResource[]; "
         "uint64 Limit; uint16 MappingBehavior; string OtherResourceType; string Parent; string PoolID; "
         "uint64 Reservation; string ResourceSubType; uint16 ResourceType; uint64 VirtualQuantity; "
         "string VirtualQuantityUnits; uint32 Weight")

_DEFS = [
    # ---- root/virtualization/v2 ----
    ("Msvm_ComputerSystem", V2, "CIM_ComputerSystem", ["CreationClassName", "Name"],
     f"{_MANAGED}; {_STATUS}; {_ENABLED}; string CreationClassName; string Name; string PrimaryOwnerName; "
     "string PrimaryOwnerContact; string Roles[]; string NameFormat; string OtherIdentifyingInfo[]; "
     "string IdentifyingDescriptions[]; uint16 Dedicated[]; string OtherDedicatedDescriptions[]; uint16 ResetCapability; "
     "uint16 PowerManagementCapabilities[]; uint64 OnTimeInMilliseconds; uint32 ProcessID; "
     "datetime TimeOfLastConfigurationChange; uint16 NumberOfNumaNodes; uint16 ReplicationState; uint16 ReplicationHealth; "
     "uint16 ReplicationMode; uint16 FailedOverReplicationType; uint16 LastReplicationType; datetime LastApplicationConsistentReplicationTime; "
     "datetime LastReplicationTime; datetime LastSuccessfulBackupTime; uint16 EnhancedSessionModeState; "
     "uint32 HwThreadsPerCoreRealized; string ManagementVtlImageFileName; string ManagementVtlImageVersion"),
    ("Msvm_VirtualSystemSettingData", V2, "CIM_VirtualSystemSettingData", ["InstanceID"],
     f"{_MANAGED}; string VirtualSystemIdentifier; string VirtualSystemType; string Notes[]; datetime CreationTime; "
     "string ConfigurationID; string ConfigurationDataRoot; string ConfigurationFile; string SnapshotDataRoot; "
     "string SuspendDataRoot; string SwapFileDataRoot; string LogDataRoot; uint16 AutomaticStartupAction; "
     "interval AutomaticStartupActionDelay; uint16 AutomaticStartupActionSequenceNumber; uint16 AutomaticShutdownAction; "
     "uint16 AutomaticRecoveryAction; string RecoveryFile; string BIOSGUID; string BIOSSerialNumber; "
     "string BaseBoardSerialNumber; string ChassisSerialNumber; string Architecture; string ChassisAssetTag; "
     "boolean BIOSNumLock; uint16 BootOrder[]; string Parent; uint16 UserSnapshotType; boolean IsSaved; "
     "string AdditionalRecoveryInformation; boolean AllowFullSCSICommandSet; uint32 DebugChannelId; "
     "uint16 DebugPortEnabled; uint32 DebugPort; string Version; boolean IncrementalBackupEnabled; "
     "boolean VirtualNumaEnabled; boolean AllowReducedFcRedundancy; string VirtualSystemSubType; "
     "string BootSourceOrder[]; boolean PauseAfterBootFailure; uint16 NetworkBootPreferredProtocol; "
     "uint8 GuestControlledCacheTypes; boolean AutomaticSnapshotsEnabled; boolean IsAutomaticSnapshot; "
     "string GuestStateFile; string GuestStateDataRoot; boolean LockOnDisconnect; string ParentPackage; "
     "uint16 AutomaticCriticalErrorAction; interval AutomaticCriticalErrorActionTimeout; "
     "boolean EnhancedSessionTransportType; uint64 LowMmioGapSize; uint64 HighMmioGapSize; "
     "boolean SecureBootEnabled; string SecureBootTemplateId; boolean TurnOffOnGuestShutdown"),
    ("Msvm_MemorySettingData", V2, "CIM_ResourceAllocationSettingData", ["InstanceID"],
     f"{_RASD}; boolean DynamicMemoryEnabled; uint32 TargetMemoryBuffer; boolean IsVirtualized; "
     "boolean SwapFilesInUse; uint64 MaxMemoryBlocksPerNumaNode; boolean SgxEnabled; uint64 SgxSize; "
     "boolean HugePagesEnabled; uint64 MaxMemoryBlocksPerNumaNode"),
    ("Msvm_ProcessorSettingData", V2, "CIM_ResourceAllocationSettingData", ["InstanceID"],
     f"{_RASD}; boolean LimitCPUID; boolean LimitProcessorFeatures; uint64 MaxProcessorsPerNumaNode; "
     "uint64 MaxNumaNodesPerSocket; boolean EnableHostResourceProtection; string CpuGroupId; uint64 HwThreadsPerCore; "
     "boolean EnablePerfmonPmu; boolean EnablePerfmonLbr; boolean EnablePerfmonPebs; boolean EnablePerfmonIpt; "
     "boolean ExposeVirtualizationExtensions"),
    ("Msvm_ResourceAllocationSettingData", V2, "CIM_ResourceAllocationSettingData", ["InstanceID"],
     f"{_RASD}; uint32 TargetVtl"),
    ("Msvm_StorageAllocationSettingData", V2, "CIM_StorageAllocationSettingData", ["InstanceID"],
     f"{_MANAGED}; string Address; string AddressOnParent; string AllocationUnits; boolean AutomaticAllocation; "
     "boolean AutomaticDeallocation; string Connection[]; uint16 ConsumerVisibility; string HostResource[]; "
     "uint64 Limit; uint16 MappingBehavior; string OtherResourceType; string Parent; string PoolID; "
     "uint64 Reservation; string ResourceSubType; uint16 ResourceType; uint64 VirtualQuantity; "
     "string VirtualQuantityUnits; uint32 Weight; uint64 VirtualResourceBlockSize; uint64 HostResourceBlockSize; "
     "uint64 HostExtentStartingAddress; string HostExtentName; uint16 HostExtentNameFormat; "
     "string OtherHostExtentNameFormat; uint16 HostExtentNameNamespace; string OtherHostExtentNameNamespace; "
     "uint64 IOPSLimit; uint64 IOPSReservation; string IOPSAllocationUnits; boolean PersistentReservationsSupported; "
     "uint16 CachingMode; uint16 SnapshotId; boolean IgnoreFlushes; uint16 WriteHardeningMethod"),
    ("Msvm_SyntheticEthernetPortSettingData", V2, "CIM_EthernetPortAllocationSettingData", ["InstanceID"],
     f"{_RASD}; string DesiredVLANEndpointMode; string OtherEndpointMode; string VirtualSystemIdentifiers[]; "
     "boolean DeviceNamingEnabled; boolean StaticMacAddress; boolean ClusterMonitored; boolean AllowPacketDirect; "
     "boolean NumaAwarePlacement; uint16 InterruptModeration; boolean MediaType"),
    ("Msvm_EthernetPortAllocationSettingData", V2, "CIM_EthernetPortAllocationSettingData", ["InstanceID"],
     f"{_RASD}; string DesiredVLANEndpointMode; string OtherEndpointMode; uint16 EnabledState; string RequiredFeatures[]; "
     "string RequiredFeatureHints[]; string TestReplicaPoolID; string TestReplicaSwitchName; "
     "string CompartmentGuid; string LastKnownSwitchName"),
    ("Msvm_SerialPortSettingData", V2, "CIM_ResourceAllocationSettingData", ["InstanceID"],
     f"{_RASD}; boolean DebuggerMode"),
    ("Msvm_SecuritySettingData", V2, "CIM_SettingData", ["InstanceID"],
     f"{_MANAGED}; boolean TpmEnabled; boolean KsdEnabled; boolean ShieldingRequested; boolean EncryptStateAndVmMigrationTraffic; "
     "boolean DataProtectionRequested; boolean VirtualizationBasedSecurityOptOut; boolean BindToHostTpm"),
    # One per bootable device of a Generation 2 VM (drives, network adapters) and per firmware
    # file entry; VSSD.BootSourceOrder lists their object paths.
    ("Msvm_BootSourceSettingData", V2, "CIM_SettingData", ["InstanceID"],
     f"{_MANAGED}; uint32 BootSourceType; string OtherLocation; string FirmwareDevicePath; "
     "string BootSourceDescription; uint8 OptionalData[]"),
    ("Msvm_VirtualEthernetSwitch", V2, "CIM_VirtualEthernetSwitch", ["CreationClassName", "Name"],
     f"{_MANAGED}; {_STATUS}; {_ENABLED}; string CreationClassName; string Name; string PrimaryOwnerName; "
     "string PrimaryOwnerContact; string Roles[]; string NameFormat; string OtherIdentifyingInfo[]; "
     "string IdentifyingDescriptions[]; uint16 Dedicated[]; string OtherDedicatedDescriptions[]; uint16 ResetCapability; "
     "uint16 PowerManagementCapabilities[]; uint32 MaxVMQOffloads; uint32 MaxIOVOffloads"),
    ("Msvm_ConcreteJob", V2, "CIM_ConcreteJob", ["InstanceID"],
     f"{_MANAGED}; {_STATUS}; string Name; string JobStatus; datetime TimeSubmitted; datetime ScheduledStartTime; "
     "datetime StartTime; interval ElapsedTime; uint32 JobRunTimes; uint8 RunMonth; sint8 RunDay; sint8 RunDayOfWeek; "
     "interval RunStartInterval; uint16 LocalOrUtcTime; datetime UntilTime; string Notify; string Owner; "
     "uint32 Priority; uint16 PercentComplete; boolean DeleteOnCompletion; uint16 ErrorCode; string ErrorDescription; "
     "string ErrorSummaryDescription; uint16 RecoveryAction; string OtherRecoveryAction; uint16 JobState; "
     "datetime TimeOfLastStateChange; interval TimeBeforeRemoval; boolean Cancellable; uint16 JobType"),
    ("Msvm_SummaryInformation", V2, "Msvm_SummaryInformationBase", ["InstanceID"],
     "string InstanceID; datetime CreationTime; string ElementName; uint16 EnabledState; string OtherEnabledState; "
     "uint16 HealthState; string Name; string Notes; string Version; uint16 NumberOfProcessors; "
     "uint16 OperationalStatus[]; string StatusDescriptions[]; uint64 UpTime; uint16 EnhancedSessionModeState; "
     "string VirtualSwitchNames[]; string VirtualSystemSubType; string HostComputerSystemName; "
     "uint64 MemoryUsage; uint32 MemoryAvailable; sint32 AvailableMemoryBuffer; uint16 ProcessorLoad; "
     "uint16 ProcessorLoadHistory[]; uint16 HeartBeat; uint16 IntegrationServicesVersionState; "
     "string GuestOperatingSystem; boolean MemorySpansPhysicalNumaNodes; uint16 ReplicationState; "
     "uint16 ReplicationHealth; uint16 ReplicationMode; uint16 ApplicationHealth; uint16 Snapshots[]; "
     "string ThumbnailImage[]; uint16 ThumbnailImageHeight; uint16 ThumbnailImageWidth; "
     "uint16 AsynchronousTasks[]; datetime TestReplicaSystem; uint16 SwapFilesInUse; uint16 Shielded"),
    ("Msvm_VirtualSystemManagementService", V2, "CIM_VirtualSystemManagementService", _SERVICE_KEYS, _SERVICE),
    ("Msvm_VirtualSystemSnapshotService", V2, "CIM_VirtualSystemSnapshotService", _SERVICE_KEYS, _SERVICE),
    ("Msvm_ImageManagementService", V2, "CIM_Service", _SERVICE_KEYS, _SERVICE),
    ("Msvm_ShutdownComponent", V2, "CIM_LogicalDevice", _DEVICE_KEYS, _DEVICE),
    ("Msvm_Keyboard", V2, "CIM_Keyboard", _DEVICE_KEYS,
     f"{_DEVICE}; boolean IsLocked; string Layout; uint16 NumberOfFunctionKeys; uint16 Password; boolean UnicodeSupported"),
    ("Msvm_SyntheticDisplayController", V2, "CIM_DisplayController", _DEVICE_KEYS, _DEVICE),
    ("Msvm_VideoHead", V2, "CIM_LogicalDevice", _DEVICE_KEYS,
     f"{_DEVICE}; uint32 CurrentHorizontalResolution; uint32 CurrentVerticalResolution; uint32 CurrentBitsPerPixel"),
    ("Msvm_DiskDrive", V2, "CIM_DiskDrive", _DEVICE_KEYS, f"{_DEVICE}; uint32 DriveNumber"),
    ("Msvm_GuestNetworkAdapterConfiguration", V2, "CIM_IPConfiguration", ["InstanceID"],
     f"{_MANAGED}; string IPAddresses[]; string Subnets[]; string DefaultGateways[]; string DNSServers[]; "
     "boolean DHCPEnabled; uint16 ProtocolIFType; uint16 IPAddressOrigins[]"),
    # associations
    ("Msvm_SettingsDefineState", V2, None, ["ManagedElement", "SettingData"],
     "ref:Msvm_ComputerSystem ManagedElement; ref:Msvm_VirtualSystemSettingData SettingData", True),
    ("Msvm_VirtualSystemSettingDataComponent", V2, None, ["GroupComponent", "PartComponent"],
     "ref:Msvm_VirtualSystemSettingData GroupComponent; ref:CIM_ManagedElement PartComponent", True),
    ("Msvm_SystemDevice", V2, None, ["GroupComponent", "PartComponent"],
     "ref:Msvm_ComputerSystem GroupComponent; ref:CIM_LogicalDevice PartComponent", True),
    ("Msvm_SnapshotOfVirtualSystem", V2, None, ["Antecedent", "Dependent"],
     "ref:Msvm_ComputerSystem Antecedent; ref:Msvm_VirtualSystemSettingData Dependent", True),
    ("Msvm_AffectedJobElement", V2, None, ["AffectedElement", "AffectingElement"],
     "ref:CIM_ManagedElement AffectedElement; ref:Msvm_ConcreteJob AffectingElement; uint16 ElementEffects[]; "
     "string OtherElementEffectsDescriptions[]", True),
    ("Msvm_SettingDataComponent", V2, None, ["GroupComponent", "PartComponent"],
     "ref:CIM_SettingData GroupComponent; ref:CIM_ManagedElement PartComponent", True),
    ("Msvm_BootSourceComponent", V2, None, ["GroupComponent", "PartComponent"],
     "ref:Msvm_VirtualSystemSettingData GroupComponent; ref:Msvm_BootSourceSettingData PartComponent", True),
    # A boot source and the device settings it boots from.
    ("Msvm_LogicalIdentity", V2, None, ["SameElement", "SystemElement"],
     "ref:CIM_ManagedElement SameElement; ref:CIM_ManagedElement SystemElement", True),
    ("Msvm_VideoHeadOnController", V2, None, ["Antecedent", "Dependent"],
     "ref:CIM_LogicalDevice Antecedent; ref:Msvm_VideoHead Dependent", True),
    ("Msvm_HostedService", V2, None, ["Antecedent", "Dependent"],
     "ref:Msvm_ComputerSystem Antecedent; ref:CIM_Service Dependent", True),
    # ---- root/cimv2 ----
    ("Win32_ComputerSystem", CIMV2, "CIM_UnitaryComputerSystem", ["Name"],
     "uint16 AdminPasswordStatus; boolean AutomaticManagedPagefile; boolean AutomaticResetBootOption; "
     "boolean AutomaticResetCapability; uint16 BootOptionOnLimit; uint16 BootOptionOnWatchDog; boolean BootROMSupported; "
     "string BootupState; string Caption; uint16 ChassisBootupState; string CreationClassName; sint16 CurrentTimeZone; "
     "boolean DaylightInEffect; string Description; string DNSHostName; string Domain; uint16 DomainRole; "
     "boolean EnableDaylightSavingsTime; uint16 FrontPanelResetStatus; boolean HypervisorPresent; "
     "boolean InfraredSupported; datetime InstallDate; uint16 KeyboardPasswordStatus; string LastLoadInfo; "
     "string Manufacturer; string Model; string Name; string NameFormat; boolean NetworkServerModeEnabled; "
     "uint32 NumberOfLogicalProcessors; uint32 NumberOfProcessors; boolean PartOfDomain; sint64 PauseAfterReset; "
     "uint16 PCSystemType; boolean PowerManagementSupported; uint16 PowerOnPasswordStatus; uint16 PowerState; "
     "uint16 PowerSupplyState; string PrimaryOwnerContact; string PrimaryOwnerName; uint16 ResetCapability; "
     "sint16 ResetCount; sint16 ResetLimit; string Roles[]; string Status; uint32 SystemStartupDelay; "
     "uint32 SystemStartupSetting; string SystemType; uint16 ThermalState; uint64 TotalPhysicalMemory; "
     "string UserName; uint16 WakeUpType; string Workgroup"),
    ("Win32_OperatingSystem", CIMV2, "CIM_OperatingSystem", ["Name"],
     "string BootDevice; string BuildNumber; string BuildType; string Caption; string CodeSet; string CountryCode; "
     "string CreationClassName; string CSCreationClassName; string CSDVersion; string CSName; sint16 CurrentTimeZone; "
     "boolean DataExecutionPrevention_32BitApplications; boolean DataExecutionPrevention_Available; "
     "boolean DataExecutionPrevention_Drivers; uint8 DataExecutionPrevention_SupportPolicy; boolean Debug; "
     "string Description; boolean Distributed; uint32 EncryptionLevel; uint8 ForegroundApplicationBoost; "
     "uint64 FreePhysicalMemory; uint64 FreeSpaceInPagingFiles; uint64 FreeVirtualMemory; datetime InstallDate; "
     "uint32 LargeSystemCache; datetime LastBootUpTime; datetime LocalDateTime; string Locale; string Manufacturer; "
     "uint32 MaxNumberOfProcesses; uint64 MaxProcessMemorySize; string MUILanguages[]; string Name; "
     "uint32 NumberOfLicensedUsers; uint32 NumberOfProcesses; uint32 NumberOfUsers; uint32 OperatingSystemSKU; "
     "string Organization; string OSArchitecture; uint32 OSLanguage; uint32 OSProductSuite; uint16 OSType; "
     "string OtherTypeDescription; boolean PAEEnabled; string PlusProductID; string PlusVersionNumber; "
     "boolean PortableOperatingSystem; boolean Primary; uint32 ProductType; string RegisteredUser; "
     "string SerialNumber; uint16 ServicePackMajorVersion; uint16 ServicePackMinorVersion; "
     "uint64 SizeStoredInPagingFiles; string Status; uint32 SuiteMask; string SystemDevice; string SystemDirectory; "
     "string SystemDrive; uint64 TotalSwapSpaceSize; uint64 TotalVirtualMemorySize; uint64 TotalVisibleMemorySize; "
     "string Version; string WindowsDirectory"),
    ("Win32_Processor", CIMV2, "CIM_Processor", ["DeviceID"],
     "uint16 AddressWidth; uint16 Architecture; uint16 Availability; string Caption; uint32 ConfigManagerErrorCode; "
     "boolean ConfigManagerUserConfig; uint16 CpuStatus; string CreationClassName; uint32 CurrentClockSpeed; "
     "uint16 CurrentVoltage; uint16 DataWidth; string Description; string DeviceID; boolean ErrorCleared; "
     "string ErrorDescription; uint32 ExtClock; uint16 Family; datetime InstallDate; uint32 L2CacheSize; "
     "uint32 L2CacheSpeed; uint32 L3CacheSize; uint32 L3CacheSpeed; uint32 LastErrorCode; uint16 Level; "
     "uint16 LoadPercentage; string Manufacturer; uint32 MaxClockSpeed; string Name; uint32 NumberOfCores; "
     "uint32 NumberOfEnabledCore; uint32 NumberOfLogicalProcessors; string OtherFamilyDescription; string PartNumber; "
     "string PNPDeviceID; boolean PowerManagementSupported; string ProcessorId; uint16 ProcessorType; "
     "uint16 Revision; string Role; boolean SecondLevelAddressTranslationExtensions; string SerialNumber; "
     "string SocketDesignation; string Status; uint16 StatusInfo; string Stepping; string SystemCreationClassName; "
     "string SystemName; uint32 ThreadCount; string UniqueId; uint16 UpgradeMethod; string Version; "
     "boolean VirtualizationFirmwareEnabled; boolean VMMonitorModeExtensions; uint32 VoltageCaps"),
    ("Win32_ComputerSystemProduct", CIMV2, "CIM_Product", ["IdentifyingNumber", "Name", "Version"],
     "string Caption; string Description; string IdentifyingNumber; string Name; string SKUNumber; string UUID; "
     "string Vendor; string Version"),
    ("Win32_ComputerSystemProcessor", CIMV2, None, ["GroupComponent", "PartComponent"],
     "ref:Win32_ComputerSystem GroupComponent; ref:Win32_Processor PartComponent", True),
    ("Win32_PerfRawData_HvStats_HyperVHypervisorVirtualProcessor", CIMV2, None, ["Name"],
     "string Caption; string Description; uint64 Frequency_Object; uint64 Frequency_PerfTime; uint64 Frequency_Sys100NS; "
     "string Name; uint64 PercentGuestRunTime; uint64 PercentHypervisorRunTime; uint64 PercentTotalRunTime; "
     "uint64 Timestamp_Object; uint64 Timestamp_PerfTime; uint64 Timestamp_Sys100NS"),
    ("Win32_DiskDrive", CIMV2, "CIM_DiskDrive", ["DeviceID"],
     "string Caption; string DeviceID; uint32 Index; string Model; string Name; uint64 Size; string Status"),
    ("CIM_DataFile", CIMV2, None, ["Name"],
     "string Caption; string CreationClassName; string Drive; string Extension; string FileName; uint64 FileSize; "
     "string FileType; string Name; string Path"),
]

CLASSES = {}
for _d in _DEFS:
    CLASSES[_d[0]] = ClassDef(*_d)
_BY_LOWER = {k.lower(): v for k, v in CLASSES.items()}

# CIM ancestors that are not served themselves but may be named in ResultClass / FROM.
ABSTRACT_ANCESTORS = {
    "msvm_memorysettingdata": ("cim_resourceallocationsettingdata", "cim_settingdata"),
    "msvm_processorsettingdata": ("cim_resourceallocationsettingdata", "cim_settingdata"),
    "msvm_resourceallocationsettingdata": ("cim_resourceallocationsettingdata", "cim_settingdata"),
    "msvm_storageallocationsettingdata": ("cim_storageallocationsettingdata", "cim_resourceallocationsettingdata", "cim_settingdata"),
    "msvm_syntheticethernetportsettingdata": ("cim_ethernetportallocationsettingdata", "cim_resourceallocationsettingdata", "cim_settingdata"),
    "msvm_ethernetportallocationsettingdata": ("cim_ethernetportallocationsettingdata", "cim_resourceallocationsettingdata", "cim_settingdata"),
    "msvm_serialportsettingdata": ("cim_resourceallocationsettingdata", "cim_settingdata"),
    "msvm_virtualsystemsettingdata": ("cim_virtualsystemsettingdata", "cim_settingdata"),
    "msvm_securitysettingdata": ("cim_settingdata",),
    "msvm_bootsourcesettingdata": ("cim_settingdata",),
    "msvm_computersystem": ("cim_computersystem", "cim_system", "cim_managedelement"),
    "msvm_keyboard": ("cim_keyboard", "cim_logicaldevice"),
    "msvm_shutdowncomponent": ("cim_logicaldevice",),
    "msvm_syntheticdisplaycontroller": ("cim_displaycontroller", "cim_logicaldevice"),
    "msvm_videohead": ("cim_logicaldevice",),
    "msvm_diskdrive": ("cim_diskdrive", "cim_logicaldevice"),
    "msvm_concretejob": ("cim_concretejob", "cim_job"),
}


def lookup(name):
    return _BY_LOWER.get(name.lower())


def classes_in(namespace):
    return [c for c in CLASSES.values() if c.namespace == namespace]
