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

    // --- hyperv additions ---
    fn domain_create(&self, _dom: &DomainId, _flags: u32) -> Result<()> {
        unsupported("virDomainCreateWithFlags")
    }
    fn domain_destroy(&self, _dom: &DomainId, _flags: u32) -> Result<()> {
        unsupported("virDomainDestroyFlags")
    }
    fn domain_define_xml(&self, _xml: &str, _flags: u32) -> Result<DomainId> {
        unsupported("virDomainDefineXMLFlags")
    }
    fn domain_undefine(&self, _dom: &DomainId, _flags: u32) -> Result<()> {
        unsupported("virDomainUndefineFlags")
    }
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
