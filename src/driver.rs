//! What a hypervisor driver offers: one method per libvirt operation. A driver
//! overrides what it supports; every other method answers VIR_ERR_NO_SUPPORT, as
//! libvirt does for a driver that lacks the call. Drivers check their own flags and
//! return errors; they never touch the thread's last error.

use crate::core::{Error, Result};

/// Who a domain is, as a driver reports it when a handle is made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DomainId {
    pub name: String,
    pub uuid: [u8; 16],
    /// -1 while the domain is not running.
    pub id: i32,
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
}
