//! What a hypervisor driver offers: one method per libvirt operation. A driver
//! overrides what it supports; every other method answers VIR_ERR_NO_SUPPORT, as
//! libvirt does for a driver that lacks the call. Drivers check their own flags and
//! return errors; they never touch the thread's last error.

use crate::core::{Error, Result};
use std::ffi::{CStr, CString};

/// Who a domain is, as a driver reports it when a handle is made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DomainId {
    pub name: String,
    pub uuid: [u8; 16],
    /// -1 while the domain is not running.
    pub id: i32,
    /// The name NUL-terminated: virDomainGetName lends it out for the handle's life.
    c_name: CString,
}

impl DomainId {
    pub fn new(name: &str, uuid: [u8; 16], id: i32) -> DomainId {
        // A name with a NUL cannot come from C or XML; lend such a one as "".
        DomainId { name: name.to_owned(), uuid, id, c_name: CString::new(name).unwrap_or_default() }
    }

    pub fn c_name(&self) -> &CStr {
        &self.c_name
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DomainInfo {
    pub state: u8,
    pub max_mem_kib: u64,
    pub memory_kib: u64,
    pub nr_virt_cpu: u16,
    pub cpu_time_ns: u64,
}

/// One interface virDomainInterfaceAddresses reports: name, MAC, addresses as
/// (VIR_IP_ADDR_TYPE_*, address, prefix).
pub type GuestInterface = (String, Option<String>, Vec<(i32, String, u32)>);

/// One record of virConnectGetAllDomainStats: the domain and its typed parameters.
pub type DomainStats = (DomainId, Vec<(String, crate::core::typed_params::Value)>);

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NodeInfo {
    pub model: String,
    pub memory_kib: u64,
    pub cpus: u32,
    pub mhz: u32,
    pub nodes: u32,
    pub sockets: u32,
    pub cores: u32,
    pub threads: u32,
}

/// virDomainBlockStats' counters (-1: unknown).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BlockStats {
    pub rd_req: i64,
    pub rd_bytes: i64,
    pub wr_req: i64,
    pub wr_bytes: i64,
    pub errs: i64,
}

/// virDomainInterfaceStats' counters (-1: unknown).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InterfaceStats {
    pub rx_bytes: i64,
    pub rx_packets: i64,
    pub rx_errs: i64,
    pub rx_drop: i64,
    pub tx_bytes: i64,
    pub tx_packets: i64,
    pub tx_errs: i64,
    pub tx_drop: i64,
}

fn unsupported<T>(function: &str) -> Result<T> {
    Err(Error::no_support(function))
}

pub trait Driver: Send + Sync {
    /// virConnectGetType: "TEST", "Hyper-V", ...
    fn name(&self) -> &'static str;

    /// Called once, when the last reference to the connection goes.
    fn close(&self) {}

    fn version(&self) -> Result<u64> {
        unsupported("virConnectGetVersion")
    }
    fn hostname(&self) -> Result<String> {
        unsupported("virConnectGetHostname")
    }
    fn capabilities(&self) -> Result<String> {
        unsupported("virConnectGetCapabilities")
    }
    fn node_info(&self) -> Result<NodeInfo> {
        unsupported("virNodeGetInfo")
    }
    fn domain_lookup_by_id(&self, _id: i32) -> Result<DomainId> {
        unsupported("virDomainLookupByID")
    }
    fn domain_lookup_by_name(&self, _name: &str) -> Result<DomainId> {
        unsupported("virDomainLookupByName")
    }
    fn domain_lookup_by_uuid(&self, _uuid: &[u8; 16]) -> Result<DomainId> {
        unsupported("virDomainLookupByUUID")
    }
    fn domain_info(&self, _dom: &DomainId) -> Result<DomainInfo> {
        unsupported("virDomainGetInfo")
    }

    /// virConnectGetMaxVcpus; `kind` is the optional hypervisor type argument.
    fn max_vcpus(&self, _kind: Option<&str>) -> Result<i32> {
        unsupported("virConnectGetMaxVcpus")
    }
    fn is_alive(&self) -> Result<bool> {
        unsupported("virConnectIsAlive")
    }
    fn is_secure(&self) -> Result<bool> {
        unsupported("virConnectIsSecure")
    }
    fn is_encrypted(&self) -> Result<bool> {
        unsupported("virConnectIsEncrypted")
    }
    fn num_of_domains(&self) -> Result<usize> {
        unsupported("virConnectNumOfDomains")
    }
    /// The ids of at most `max` running domains.
    fn list_domains(&self, _max: usize) -> Result<Vec<i32>> {
        unsupported("virConnectListDomains")
    }
    fn num_of_defined_domains(&self) -> Result<usize> {
        unsupported("virConnectNumOfDefinedDomains")
    }
    /// The names of at most `max` inactive domains.
    fn list_defined_domains(&self, _max: usize) -> Result<Vec<String>> {
        unsupported("virConnectListDefinedDomains")
    }
    /// The domains matching the VIR_CONNECT_LIST_DOMAINS_* filter `flags`.
    fn list_all_domains(&self, _flags: u32) -> Result<Vec<DomainId>> {
        unsupported("virConnectListAllDomains")
    }
    /// virDomainGetState: (state, reason).
    fn domain_state(&self, _dom: &DomainId, _flags: u32) -> Result<(i32, i32)> {
        unsupported("virDomainGetState")
    }
    fn domain_os_type(&self, _dom: &DomainId) -> Result<String> {
        unsupported("virDomainGetOSType")
    }
    fn domain_max_memory(&self, _dom: &DomainId) -> Result<u64> {
        unsupported("virDomainGetMaxMemory")
    }
    fn domain_max_vcpus(&self, _dom: &DomainId) -> Result<i32> {
        unsupported("virDomainGetMaxVcpus")
    }
    fn domain_is_active(&self, _dom: &DomainId) -> Result<bool> {
        unsupported("virDomainIsActive")
    }
    fn domain_is_persistent(&self, _dom: &DomainId) -> Result<bool> {
        unsupported("virDomainIsPersistent")
    }
    fn domain_is_updated(&self, _dom: &DomainId) -> Result<bool> {
        unsupported("virDomainIsUpdated")
    }
    fn domain_xml_desc(&self, _dom: &DomainId, _flags: u32) -> Result<String> {
        unsupported("virDomainGetXMLDesc")
    }

    /// Where the callbacks of one family of events are registered; None when
    /// the driver has no events of that family.
    fn event_state(&self, _family: crate::core::events::Family) -> Option<std::sync::Arc<crate::core::events::EventState>> {
        None
    }
    fn domain_define_xml(&self, _xml: &str, _flags: u32) -> Result<DomainId> {
        unsupported("virDomainDefineXMLFlags")
    }
    fn domain_create_xml(&self, _xml: &str, _flags: u32) -> Result<DomainId> {
        unsupported("virDomainCreateXML")
    }
    /// virDomainCreateWithFlags; returns the domain's new id.
    fn domain_create(&self, _dom: &DomainId, _flags: u32) -> Result<i32> {
        unsupported("virDomainCreateWithFlags")
    }
    fn domain_undefine(&self, _dom: &DomainId, _flags: u32) -> Result<()> {
        unsupported("virDomainUndefineFlags")
    }
    // --- hyperv additions ---
    fn node_free_memory(&self) -> Result<u64> {
        unsupported("virNodeGetFreeMemory")
    }
    fn domain_destroy(&self, _dom: &DomainId, _flags: u32) -> Result<()> {
        unsupported("virDomainDestroyFlags")
    }
    fn domain_shutdown(&self, _dom: &DomainId, _flags: u32) -> Result<()> {
        unsupported("virDomainShutdownFlags")
    }
    fn domain_reboot(&self, _dom: &DomainId, _flags: u32) -> Result<()> {
        unsupported("virDomainReboot")
    }
    fn domain_reset(&self, _dom: &DomainId, _flags: u32) -> Result<()> {
        unsupported("virDomainReset")
    }
    fn domain_suspend(&self, _dom: &DomainId) -> Result<()> {
        unsupported("virDomainSuspend")
    }
    fn domain_resume(&self, _dom: &DomainId) -> Result<()> {
        unsupported("virDomainResume")
    }
    fn domain_managed_save(&self, _dom: &DomainId, _flags: u32) -> Result<()> {
        unsupported("virDomainManagedSave")
    }
    fn domain_has_managed_save_image(&self, _dom: &DomainId, _flags: u32) -> Result<bool> {
        unsupported("virDomainHasManagedSaveImage")
    }
    fn domain_managed_save_remove(&self, _dom: &DomainId, _flags: u32) -> Result<()> {
        unsupported("virDomainManagedSaveRemove")
    }
    fn domain_get_autostart(&self, _dom: &DomainId) -> Result<bool> {
        unsupported("virDomainGetAutostart")
    }
    fn domain_set_autostart(&self, _dom: &DomainId, _autostart: bool) -> Result<()> {
        unsupported("virDomainSetAutostart")
    }
    /// `path`: a disk's target name or source path.
    fn domain_block_stats(&self, _dom: &DomainId, _path: &str) -> Result<BlockStats> {
        unsupported("virDomainBlockStats")
    }
    /// `device`: an interface's target name or MAC address.
    fn domain_interface_stats(&self, _dom: &DomainId, _device: &str) -> Result<InterfaceStats> {
        unsupported("virDomainInterfaceStats")
    }

    // --- storage ---
    fn num_of_storage_pools(&self) -> Result<usize> {
        unsupported("virConnectNumOfStoragePools")
    }
    /// The names of at most `max` active pools.
    fn list_storage_pools(&self, _max: usize) -> Result<Vec<String>> {
        unsupported("virConnectListStoragePools")
    }
    fn num_of_defined_storage_pools(&self) -> Result<usize> {
        unsupported("virConnectNumOfDefinedStoragePools")
    }
    fn list_defined_storage_pools(&self, _max: usize) -> Result<Vec<String>> {
        unsupported("virConnectListDefinedStoragePools")
    }
    /// The pools matching the VIR_CONNECT_LIST_STORAGE_POOLS_* `flags`, and the
    /// number libvirt answers when the caller asks for no handles: all pools.
    fn list_all_storage_pools(&self, _flags: u32) -> Result<(Vec<PoolId>, usize)> {
        unsupported("virConnectListAllStoragePools")
    }
    fn find_storage_pool_sources(&self, _kind: &str, _spec: Option<&str>, _flags: u32) -> Result<String> {
        unsupported("virConnectFindStoragePoolSources")
    }
    fn storage_pool_lookup_by_name(&self, _name: &str) -> Result<PoolId> {
        unsupported("virStoragePoolLookupByName")
    }
    fn storage_pool_lookup_by_uuid(&self, _uuid: &[u8; 16]) -> Result<PoolId> {
        unsupported("virStoragePoolLookupByUUID")
    }
    fn storage_pool_lookup_by_volume(&self, _vol: &VolId) -> Result<PoolId> {
        unsupported("virStoragePoolLookupByVolume")
    }
    fn storage_pool_create_xml(&self, _xml: &str, _flags: u32) -> Result<PoolId> {
        unsupported("virStoragePoolCreateXML")
    }
    fn storage_pool_define_xml(&self, _xml: &str, _flags: u32) -> Result<PoolId> {
        unsupported("virStoragePoolDefineXML")
    }
    fn storage_pool_build(&self, _pool: &PoolId, _flags: u32) -> Result<()> {
        unsupported("virStoragePoolBuild")
    }
    fn storage_pool_undefine(&self, _pool: &PoolId) -> Result<()> {
        unsupported("virStoragePoolUndefine")
    }
    fn storage_pool_create(&self, _pool: &PoolId, _flags: u32) -> Result<()> {
        unsupported("virStoragePoolCreate")
    }
    fn storage_pool_destroy(&self, _pool: &PoolId) -> Result<()> {
        unsupported("virStoragePoolDestroy")
    }
    fn storage_pool_delete(&self, _pool: &PoolId, _flags: u32) -> Result<()> {
        unsupported("virStoragePoolDelete")
    }
    fn storage_pool_refresh(&self, _pool: &PoolId, _flags: u32) -> Result<()> {
        unsupported("virStoragePoolRefresh")
    }
    fn storage_pool_info(&self, _pool: &PoolId) -> Result<PoolInfo> {
        unsupported("virStoragePoolGetInfo")
    }
    fn storage_pool_xml_desc(&self, _pool: &PoolId, _flags: u32) -> Result<String> {
        unsupported("virStoragePoolGetXMLDesc")
    }
    fn storage_pool_autostart(&self, _pool: &PoolId) -> Result<bool> {
        unsupported("virStoragePoolGetAutostart")
    }
    fn storage_pool_set_autostart(&self, _pool: &PoolId, _autostart: bool) -> Result<()> {
        unsupported("virStoragePoolSetAutostart")
    }
    fn storage_pool_is_active(&self, _pool: &PoolId) -> Result<bool> {
        unsupported("virStoragePoolIsActive")
    }
    fn storage_pool_is_persistent(&self, _pool: &PoolId) -> Result<bool> {
        unsupported("virStoragePoolIsPersistent")
    }
    fn storage_pool_num_of_volumes(&self, _pool: &PoolId) -> Result<usize> {
        unsupported("virStoragePoolNumOfVolumes")
    }
    fn storage_pool_list_volumes(&self, _pool: &PoolId, _max: usize) -> Result<Vec<String>> {
        unsupported("virStoragePoolListVolumes")
    }
    /// The pool's volumes, and the number libvirt answers when asked for no handles.
    fn storage_pool_list_all_volumes(&self, _pool: &PoolId, _flags: u32) -> Result<(Vec<VolId>, usize)> {
        unsupported("virStoragePoolListAllVolumes")
    }
    fn storage_vol_lookup_by_name(&self, _pool: &PoolId, _name: &str) -> Result<VolId> {
        unsupported("virStorageVolLookupByName")
    }
    fn storage_vol_lookup_by_key(&self, _key: &str) -> Result<VolId> {
        unsupported("virStorageVolLookupByKey")
    }
    fn storage_vol_lookup_by_path(&self, _path: &str) -> Result<VolId> {
        unsupported("virStorageVolLookupByPath")
    }
    fn storage_vol_create_xml(&self, _pool: &PoolId, _xml: &str, _flags: u32) -> Result<VolId> {
        unsupported("virStorageVolCreateXML")
    }
    fn storage_vol_create_xml_from(&self, _pool: &PoolId, _xml: &str, _clone: &VolId, _flags: u32) -> Result<VolId> {
        unsupported("virStorageVolCreateXMLFrom")
    }
    fn storage_vol_delete(&self, _vol: &VolId, _flags: u32) -> Result<()> {
        unsupported("virStorageVolDelete")
    }
    fn storage_vol_info(&self, _vol: &VolId) -> Result<VolInfo> {
        unsupported("virStorageVolGetInfo")
    }
    fn storage_vol_xml_desc(&self, _vol: &VolId, _flags: u32) -> Result<String> {
        unsupported("virStorageVolGetXMLDesc")
    }
    fn storage_vol_path(&self, _vol: &VolId) -> Result<String> {
        unsupported("virStorageVolGetPath")
    }

    // --- hyperv additions ---
    /// virDomainSetMemory(Flags), in KiB.
    fn domain_set_memory(&self, _dom: &DomainId, _kib: u64, _flags: u32) -> Result<()> {
        unsupported("virDomainSetMemoryFlags")
    }
    fn domain_set_max_memory(&self, _dom: &DomainId, _kib: u64) -> Result<()> {
        unsupported("virDomainSetMaxMemory")
    }
    fn domain_get_vcpus_flags(&self, _dom: &DomainId, _flags: u32) -> Result<i32> {
        unsupported("virDomainGetVcpusFlags")
    }
    fn domain_set_vcpus(&self, _dom: &DomainId, _count: u32, _flags: u32) -> Result<()> {
        unsupported("virDomainSetVcpusFlags")
    }
    /// virDomainGetSchedulerType: the name and the number of parameters.
    fn domain_scheduler_type(&self, _dom: &DomainId) -> Result<(String, i32)> {
        unsupported("virDomainGetSchedulerType")
    }
    fn domain_scheduler_params(&self, _dom: &DomainId, _flags: u32) -> Result<Vec<(String, crate::core::typed_params::Value)>> {
        unsupported("virDomainGetSchedulerParametersFlags")
    }
    fn domain_send_key(&self, _dom: &DomainId, _codeset: u32, _holdtime: u32, _keycodes: &[u32], _flags: u32) -> Result<()> {
        unsupported("virDomainSendKey")
    }
    /// virDomainGetVcpus: at most `max` vCPUs as (state, cpu time in ns, host cpu).
    fn domain_get_vcpus(&self, _dom: &DomainId, _max: usize) -> Result<Vec<(i32, u64, i32)>> {
        unsupported("virDomainGetVcpus")
    }
    /// virDomainInterfaceAddresses: (name, MAC, [(VIR_IP_ADDR_TYPE_*, address, prefix)]).
    fn domain_interface_addresses(&self, _dom: &DomainId, _source: u32, _flags: u32) -> Result<Vec<GuestInterface>> {
        unsupported("virDomainInterfaceAddresses")
    }
    /// virConnectGetAllDomainStats (`domains` None) and virDomainListGetStats.
    fn domain_stats(&self, _domains: Option<&[DomainId]>, _stats: u32, _flags: u32) -> Result<Vec<DomainStats>> {
        unsupported("virConnectGetAllDomainStats")
    }

    // --- hyperv additions (define, devices, snapshots, networks) ---
    fn domain_attach_device(&self, _dom: &DomainId, _xml: &str, _flags: u32) -> Result<()> {
        unsupported("virDomainAttachDeviceFlags")
    }
    fn domain_detach_device(&self, _dom: &DomainId, _xml: &str, _flags: u32) -> Result<()> {
        unsupported("virDomainDetachDeviceFlags")
    }
    fn domain_snapshot_create_xml(&self, _dom: &DomainId, _xml: &str, _flags: u32) -> Result<SnapshotId> {
        unsupported("virDomainSnapshotCreateXML")
    }
    /// virDomainListAllSnapshots (and Num / ListNames) with their LIST flags.
    fn domain_list_snapshots(&self, _dom: &DomainId, _flags: u32) -> Result<Vec<SnapshotId>> {
        unsupported("virDomainListAllSnapshots")
    }
    fn domain_snapshot_lookup_by_name(&self, _dom: &DomainId, _name: &str, _flags: u32) -> Result<SnapshotId> {
        unsupported("virDomainSnapshotLookupByName")
    }
    /// virDomainSnapshotCurrent; None when the domain has no current snapshot.
    fn domain_snapshot_current(&self, _dom: &DomainId, _flags: u32) -> Result<Option<SnapshotId>> {
        unsupported("virDomainSnapshotCurrent")
    }
    fn snapshot_xml_desc(&self, _snap: &SnapshotId, _flags: u32) -> Result<String> {
        unsupported("virDomainSnapshotGetXMLDesc")
    }
    /// None for a root snapshot.
    fn snapshot_parent(&self, _snap: &SnapshotId, _flags: u32) -> Result<Option<SnapshotId>> {
        unsupported("virDomainSnapshotGetParent")
    }
    fn snapshot_revert(&self, _snap: &SnapshotId, _flags: u32) -> Result<()> {
        unsupported("virDomainRevertToSnapshot")
    }
    fn snapshot_delete(&self, _snap: &SnapshotId, _flags: u32) -> Result<()> {
        unsupported("virDomainSnapshotDelete")
    }
    /// virConnectListAllNetworks with its filter flags (NumOf/List* use it too).
    fn list_all_networks(&self, _flags: u32) -> Result<Vec<NetworkId>> {
        unsupported("virConnectListAllNetworks")
    }
    fn network_lookup_by_name(&self, _name: &str) -> Result<NetworkId> {
        unsupported("virNetworkLookupByName")
    }
    fn network_lookup_by_uuid(&self, _uuid: &[u8; 16]) -> Result<NetworkId> {
        unsupported("virNetworkLookupByUUID")
    }
    fn network_xml_desc(&self, _net: &NetworkId, _flags: u32) -> Result<String> {
        unsupported("virNetworkGetXMLDesc")
    }
    fn network_is_active(&self, _net: &NetworkId) -> Result<bool> {
        unsupported("virNetworkIsActive")
    }
    fn network_is_persistent(&self, _net: &NetworkId) -> Result<bool> {
        unsupported("virNetworkIsPersistent")
    }
    fn network_get_autostart(&self, _net: &NetworkId) -> Result<bool> {
        unsupported("virNetworkGetAutostart")
    }

    // --- network ---
    fn network_create_xml(&self, _xml: &str, _flags: u32) -> Result<NetworkId> {
        unsupported("virNetworkCreateXMLFlags")
    }
    fn network_define_xml(&self, _xml: &str, _flags: u32) -> Result<NetworkId> {
        unsupported("virNetworkDefineXMLFlags")
    }
    fn network_undefine(&self, _net: &NetworkId) -> Result<()> {
        unsupported("virNetworkUndefine")
    }
    fn network_create(&self, _net: &NetworkId) -> Result<()> {
        unsupported("virNetworkCreate")
    }
    fn network_destroy(&self, _net: &NetworkId) -> Result<()> {
        unsupported("virNetworkDestroy")
    }
    /// virNetworkUpdate: `command` and `section` are VIR_NETWORK_UPDATE_COMMAND_*
    /// and VIR_NETWORK_SECTION_*; `parent` the index of the `<ip>` (-1: any).
    fn network_update(&self, _net: &NetworkId, _command: u32, _section: u32, _parent: i32, _xml: &str, _flags: u32) -> Result<()> {
        unsupported("virNetworkUpdate")
    }
    fn network_bridge_name(&self, _net: &NetworkId) -> Result<String> {
        unsupported("virNetworkGetBridgeName")
    }
    fn network_set_autostart(&self, _net: &NetworkId, _autostart: bool) -> Result<()> {
        unsupported("virNetworkSetAutostart")
    }

    // --- interface/nodedev ---
    fn num_of_interfaces(&self) -> Result<usize> {
        unsupported("virConnectNumOfInterfaces")
    }
    fn list_interfaces(&self, _max: usize) -> Result<Vec<String>> {
        unsupported("virConnectListInterfaces")
    }
    fn num_of_defined_interfaces(&self) -> Result<usize> {
        unsupported("virConnectNumOfDefinedInterfaces")
    }
    fn list_defined_interfaces(&self, _max: usize) -> Result<Vec<String>> {
        unsupported("virConnectListDefinedInterfaces")
    }
    /// The interfaces matching VIR_CONNECT_LIST_INTERFACES_* `flags`, and how many there are in all.
    fn list_all_interfaces(&self, _flags: u32) -> Result<(Vec<InterfaceId>, usize)> {
        unsupported("virConnectListAllInterfaces")
    }
    fn interface_lookup_by_name(&self, _name: &str) -> Result<InterfaceId> {
        unsupported("virInterfaceLookupByName")
    }
    fn interface_lookup_by_mac(&self, _mac: &str) -> Result<InterfaceId> {
        unsupported("virInterfaceLookupByMACString")
    }
    fn interface_xml_desc(&self, _iface: &InterfaceId, _flags: u32) -> Result<String> {
        unsupported("virInterfaceGetXMLDesc")
    }
    fn interface_define_xml(&self, _xml: &str, _flags: u32) -> Result<InterfaceId> {
        unsupported("virInterfaceDefineXML")
    }
    fn interface_undefine(&self, _iface: &InterfaceId) -> Result<()> {
        unsupported("virInterfaceUndefine")
    }
    fn interface_create(&self, _iface: &InterfaceId, _flags: u32) -> Result<()> {
        unsupported("virInterfaceCreate")
    }
    fn interface_destroy(&self, _iface: &InterfaceId, _flags: u32) -> Result<()> {
        unsupported("virInterfaceDestroy")
    }
    fn interface_is_active(&self, _iface: &InterfaceId) -> Result<bool> {
        unsupported("virInterfaceIsActive")
    }
    fn interface_change_begin(&self, _flags: u32) -> Result<()> {
        unsupported("virInterfaceChangeBegin")
    }
    fn interface_change_commit(&self, _flags: u32) -> Result<()> {
        unsupported("virInterfaceChangeCommit")
    }
    fn interface_change_rollback(&self, _flags: u32) -> Result<()> {
        unsupported("virInterfaceChangeRollback")
    }
    /// virNodeNumOfDevices: the devices with capability `cap` (all without).
    fn node_num_of_devices(&self, _cap: Option<&str>, _flags: u32) -> Result<usize> {
        unsupported("virNodeNumOfDevices")
    }
    fn node_list_devices(&self, _cap: Option<&str>, _max: usize, _flags: u32) -> Result<Vec<String>> {
        unsupported("virNodeListDevices")
    }
    fn list_all_node_devices(&self, _flags: u32) -> Result<(Vec<NodeDeviceId>, usize)> {
        unsupported("virConnectListAllNodeDevices")
    }
    fn node_device_lookup_by_name(&self, _name: &str) -> Result<NodeDeviceId> {
        unsupported("virNodeDeviceLookupByName")
    }
    fn node_device_xml_desc(&self, _dev: &NodeDeviceId, _flags: u32) -> Result<String> {
        unsupported("virNodeDeviceGetXMLDesc")
    }
    /// The parent's name, asked when the handle does not know it.
    fn node_device_parent(&self, _dev: &NodeDeviceId) -> Result<String> {
        unsupported("virNodeDeviceGetParent")
    }
    /// The names of the device's capabilities (virNodeDeviceListCaps).
    fn node_device_caps(&self, _dev: &NodeDeviceId) -> Result<Vec<String>> {
        unsupported("virNodeDeviceNumOfCaps")
    }
    fn node_device_create_xml(&self, _xml: &str, _flags: u32) -> Result<NodeDeviceId> {
        unsupported("virNodeDeviceCreateXML")
    }
    /// virNodeDeviceDestroy. Ok(Some(error)): libvirt's test driver reported the
    /// error and yet answered success.
    fn node_device_destroy(&self, _dev: &NodeDeviceId) -> Result<Option<Error>> {
        unsupported("virNodeDeviceDestroy")
    }

    // --- node ---
    /// virNodeGetCellsFreeMemory: one value per cell from `start`, at most `max`.
    fn node_cells_free_memory(&self, _start: i32, _max: usize) -> Result<Vec<u64>> {
        unsupported("virNodeGetCellsFreeMemory")
    }
    /// virNodeGetCPUStats: (field, value) pairs, all of them (the caller truncates).
    fn node_cpu_stats(&self, _cpu: i32, _flags: u32) -> Result<Vec<(&'static str, u64)>> {
        unsupported("virNodeGetCPUStats")
    }
    /// virNodeGetSecurityModel: the model and the DOI.
    fn node_security_model(&self) -> Result<(String, String)> {
        unsupported("virNodeGetSecurityModel")
    }
    /// virDomainGetSecurityLabel: the label and whether it is enforced.
    fn domain_security_label(&self, _dom: &DomainId) -> Result<(String, bool)> {
        unsupported("virDomainGetSecurityLabel")
    }
    /// virNodeGetCPUMap: the online bitmap (libvirt's byte layout), how many are
    /// online, and how many CPUs the map covers.
    fn node_cpu_map(&self, _flags: u32) -> Result<(Vec<u8>, u32, i32)> {
        unsupported("virNodeGetCPUMap")
    }
    /// virNodeGetFreePages: `cells * pages.len()` counts, cell-major.
    fn node_free_pages(&self, _pages: &[u32], _start: i32, _cells: u32, _flags: u32) -> Result<Vec<u64>> {
        unsupported("virNodeGetFreePages")
    }
    fn sysinfo(&self, _flags: u32) -> Result<String> {
        unsupported("virConnectGetSysinfo")
    }
    fn cpu_model_names(&self, _arch: &str, _flags: u32) -> Result<Vec<String>> {
        unsupported("virConnectGetCPUModelNames")
    }

    // --- domain extras ---
    /// Whether the driver takes string typed parameters (libvirt's
    /// VIR_DRV_FEATURE_TYPED_PARAM_STRING): some getters then add
    /// VIR_TYPED_PARAM_STRING_OKAY to the caller's flags.
    fn typed_param_strings(&self) -> bool {
        false
    }
    /// virDomainSaveFlags; `dxml` is the optional replacement XML.
    fn domain_save(&self, _dom: &DomainId, _path: &str, _dxml: Option<&str>, _flags: u32) -> Result<()> {
        unsupported("virDomainSaveFlags")
    }
    fn domain_restore(&self, _path: &str, _dxml: Option<&str>, _flags: u32) -> Result<()> {
        unsupported("virDomainRestoreFlags")
    }
    /// virDomainScreenshot: the image's MIME type and bytes (the API layer fills
    /// the caller's stream with them).
    fn domain_screenshot(&self, _dom: &DomainId, _screen: u32, _flags: u32) -> Result<(String, Vec<u8>)> {
        unsupported("virDomainScreenshot")
    }
    fn domain_core_dump(&self, _dom: &DomainId, _path: &str, _format: u32, _flags: u32) -> Result<()> {
        unsupported("virDomainCoreDumpWithFormat")
    }
    /// virDomainGetControlInfo: (state, details, stateTime).
    fn domain_control_info(&self, _dom: &DomainId, _flags: u32) -> Result<(u32, u32, u64)> {
        unsupported("virDomainGetControlInfo")
    }
    /// virDomainMemoryStats: at most `max` (tag, value) pairs.
    fn domain_memory_stats(&self, _dom: &DomainId, _max: usize, _flags: u32) -> Result<Vec<(i32, u64)>> {
        unsupported("virDomainMemoryStats")
    }
    /// virDomainGetBlockInfo: (capacity, allocation, physical).
    fn domain_block_info(&self, _dom: &DomainId, _disk: &str, _flags: u32) -> Result<(u64, u64, u64)> {
        unsupported("virDomainGetBlockInfo")
    }
    /// virDomainGetDiskErrors: (disk target, VIR_DOMAIN_DISK_ERROR_*) of each disk in error.
    fn domain_disk_errors(&self, _dom: &DomainId, _flags: u32) -> Result<Vec<(String, i32)>> {
        unsupported("virDomainGetDiskErrors")
    }
    fn domain_hostname(&self, _dom: &DomainId, _flags: u32) -> Result<String> {
        unsupported("virDomainGetHostname")
    }
}

/// A driver's flag check (libvirt's virCheckFlags): any bit outside `allowed` is an
/// INVALID_ARG error naming the driver function, in the driver's error domain.
pub fn check_flags(from: i32, function: &str, flags: u32, allowed: u32) -> Result<()> {
    let unknown = flags & !allowed;
    if unknown != 0 {
        return Err(Error::unsupported_flags(from, function, unknown));
    }
    Ok(())
}

// --- storage ---

/// Who a storage pool is, as a handle records it (libvirt keeps name and UUID).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PoolId {
    pub name: String,
    pub uuid: [u8; 16],
    /// The name NUL-terminated, lent out by virStoragePoolGetName.
    c_name: CString,
}

impl PoolId {
    pub fn new(name: &str, uuid: [u8; 16]) -> PoolId {
        PoolId { name: name.to_owned(), uuid, c_name: CString::new(name).unwrap_or_default() }
    }

    pub fn c_name(&self) -> &CStr {
        &self.c_name
    }
}

/// Who a storage volume is, as a handle records it: its pool's name, its name and
/// its key (libvirt's virStorageVol holds the same).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VolId {
    pub pool: String,
    pub name: String,
    pub key: String,
    c_name: CString,
    c_key: CString,
}

impl VolId {
    pub fn new(pool: &str, name: &str, key: &str) -> VolId {
        VolId {
            pool: pool.to_owned(),
            name: name.to_owned(),
            key: key.to_owned(),
            c_name: CString::new(name).unwrap_or_default(),
            c_key: CString::new(key).unwrap_or_default(),
        }
    }

    pub fn c_name(&self) -> &CStr {
        &self.c_name
    }

    pub fn c_key(&self) -> &CStr {
        &self.c_key
    }
}

/// virStoragePoolInfo's fields.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PoolInfo {
    pub state: i32,
    pub capacity: u64,
    pub allocation: u64,
    pub available: u64,
}

/// virStorageVolInfo's fields.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VolInfo {
    pub kind: i32,
    pub capacity: u64,
    pub allocation: u64,
}

/// Who a network is (libvirt keeps name and UUID in the handle).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetworkId {
    pub name: String,
    pub uuid: [u8; 16],
    c_name: CString,
}

impl NetworkId {
    pub fn new(name: &str, uuid: [u8; 16]) -> NetworkId {
        NetworkId { name: name.to_owned(), uuid, c_name: CString::new(name).unwrap_or_default() }
    }

    pub fn c_name(&self) -> &CStr {
        &self.c_name
    }
}

/// Who a domain snapshot is: its name and its domain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnapshotId {
    pub domain: DomainId,
    pub name: String,
    c_name: CString,
}

impl SnapshotId {
    pub fn new(domain: DomainId, name: &str) -> SnapshotId {
        SnapshotId { domain, name: name.to_owned(), c_name: CString::new(name).unwrap_or_default() }
    }

    pub fn c_name(&self) -> &CStr {
        &self.c_name
    }
}

// --- interface/nodedev ---

/// Who a host interface is, as a handle records it: its name and the MAC address
/// it was found with ("" when it has none), both lent out for the handle's life.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InterfaceId {
    pub name: String,
    pub mac: String,
    c_name: CString,
    c_mac: CString,
}

impl InterfaceId {
    pub fn new(name: &str, mac: Option<&str>) -> InterfaceId {
        let mac = mac.unwrap_or("");
        InterfaceId {
            name: name.to_owned(),
            mac: mac.to_owned(),
            c_name: CString::new(name).unwrap_or_default(),
            c_mac: CString::new(mac).unwrap_or_default(),
        }
    }

    pub fn c_name(&self) -> &CStr {
        &self.c_name
    }

    pub fn c_mac(&self) -> &CStr {
        &self.c_mac
    }
}

/// Who a node device is, as a handle records it: its name and, when the call that
/// made the handle knew it, its parent's (virNodeDeviceGetParent lends both out).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeDeviceId {
    pub name: String,
    pub parent: Option<String>,
    c_name: CString,
    /// The parent's name NUL-terminated, once known (as libvirt caches it in the handle).
    c_parent: once_cell::sync::OnceCell<CString>,
}

impl NodeDeviceId {
    pub fn new(name: &str, parent: Option<&str>) -> NodeDeviceId {
        NodeDeviceId {
            name: name.to_owned(),
            parent: parent.map(str::to_owned),
            c_name: CString::new(name).unwrap_or_default(),
            c_parent: parent.map_or_else(Default::default, |p| CString::new(p).unwrap_or_default().into()),
        }
    }

    pub fn c_name(&self) -> &CStr {
        &self.c_name
    }

    /// The parent's name, from the handle or else from `fetch`, which runs until it
    /// succeeds once.
    pub fn c_parent(&self, fetch: impl FnOnce() -> Result<String>) -> Result<&CStr> {
        self.c_parent.get_or_try_init(|| Ok(CString::new(fetch()?).unwrap_or_default())).map(CString::as_c_str)
    }
}
