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
    fn node_free_memory(&self) -> Result<u64> {
        unsupported("virNodeGetFreeMemory")
    }
    fn domain_create(&self, _dom: &DomainId, _flags: u32) -> Result<()> {
        unsupported("virDomainCreateWithFlags")
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
    /// virConnectGetAllDomainStats (`domains` None) and virDomainListGetStats.
    fn domain_stats(&self, _domains: Option<&[DomainId]>, _stats: u32, _flags: u32) -> Result<Vec<DomainStats>> {
        unsupported("virConnectGetAllDomainStats")
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
