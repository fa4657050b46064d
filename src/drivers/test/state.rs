//! The state of one test host: its node, NUMA cells and domains. The default host
//! (default.rs) and custom files (file.rs) build one; the driver (mod.rs) answers
//! every call from it under a lock.

use crate::abi::domain::*;
use crate::abi::virterror::*;
use crate::core::events::EventState;
use crate::core::{Error, Result};
use crate::driver::{DomainId, NodeInfo};
use crate::uuid::format_uuid;
use std::sync::Arc;

#[derive(Debug)]
pub struct State {
    pub node: NodeInfo,
    pub cells: Vec<Cell>,
    /// Whether the real host has IOMMU groups: libvirt's test capabilities report it.
    pub iommu: bool,
    /// In definition order, which is the order lists report.
    pub domains: Vec<DomainObj>,
    /// The id the next domain that starts gets.
    pub next_id: i32,
    /// The callbacks registered on the host's connections, and their queue.
    pub events: Arc<EventState>,
    pub pools: super::storage::Pools,
    // --- network ---
    pub networks: super::network::Networks,
    // --- interface/nodedev/secret/nwfilter ---
    pub ifaces: super::interface::Interfaces,
    pub devices: super::nodedev::NodeDevices,
}

#[derive(Debug)]
pub struct Cell {
    pub mem_kib: u64,
    pub free_mem_kib: u64,
    pub cpus: Vec<CellCpu>,
}

#[derive(Debug)]
pub struct CellCpu {
    pub id: u32,
    pub socket_id: u32,
    pub core_id: u32,
    pub siblings: Vec<u32>,
}

/// A domain's definition: what its XML says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DomainDef {
    /// The `type` attribute of `<domain>`: "test", or any hypervisor name libvirt knows.
    pub virt_type: String,
    pub name: String,
    pub uuid: [u8; 16],
    pub memory_kib: u64,
    pub current_memory_kib: u64,
    pub vcpus: u16,
    pub os_type: String,
    pub arch: String,
    pub devices: Vec<Device>,
    /// The whole definition as libvirt keeps it (xml::domain's canonical tree);
    /// the fields above are its summary, and override it when formatted.
    pub xml: crate::xml::tree::Element,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Device {
    Disk { file: String, target: String, bus: String, address: Option<PciAddress> },
    Interface { mac: String, network: String, ifname: String, address: Option<PciAddress> },
    Memballoon { model: String, address: Option<PciAddress> },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PciAddress {
    pub domain: u16,
    pub bus: u8,
    pub slot: u8,
    pub function: u8,
}

/// A domain as the host knows it: its definition and what is happening to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DomainObj {
    /// The definition in force: the live one while running.
    pub def: DomainDef,
    /// While a persistent domain runs, its persistent definition (libvirt's newDef),
    /// which becomes `def` again when it stops.
    pub new_def: Option<DomainDef>,
    pub state: i32,
    pub reason: i32,
    /// -1 while inactive.
    pub id: i32,
    pub persistent: bool,
    pub autostart: bool,
    pub has_managed_save: bool,
}

impl DomainObj {
    pub fn is_active(&self) -> bool {
        self.id != -1
    }

    /// Who this domain is, as a new handle records it.
    pub fn identity(&self) -> DomainId {
        DomainId::new(&self.def.name, self.def.uuid, self.id)
    }

    /// Whether the domain passes the VIR_CONNECT_LIST_DOMAINS_* filter `flags`. Each
    /// group of flags (active, persistent, state, managed save, autostart, snapshot,
    /// checkpoint) filters only when one of its flags is given.
    pub fn matches(&self, flags: u32) -> bool {
        let other = !matches!(self.state, VIR_DOMAIN_RUNNING | VIR_DOMAIN_PAUSED | VIR_DOMAIN_SHUTOFF);
        let groups: [&[(c_flag, bool)]; 7] = [
            &[
                (VIR_CONNECT_LIST_DOMAINS_ACTIVE, self.is_active()),
                (VIR_CONNECT_LIST_DOMAINS_INACTIVE, !self.is_active()),
            ],
            &[
                (VIR_CONNECT_LIST_DOMAINS_PERSISTENT, self.persistent),
                (VIR_CONNECT_LIST_DOMAINS_TRANSIENT, !self.persistent),
            ],
            &[
                (VIR_CONNECT_LIST_DOMAINS_RUNNING, self.state == VIR_DOMAIN_RUNNING),
                (VIR_CONNECT_LIST_DOMAINS_PAUSED, self.state == VIR_DOMAIN_PAUSED),
                (VIR_CONNECT_LIST_DOMAINS_SHUTOFF, self.state == VIR_DOMAIN_SHUTOFF),
                (VIR_CONNECT_LIST_DOMAINS_OTHER, other),
            ],
            &[
                (VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE, self.has_managed_save),
                (VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE, !self.has_managed_save),
            ],
            &[
                (VIR_CONNECT_LIST_DOMAINS_AUTOSTART, self.autostart),
                (VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART, !self.autostart),
            ],
            // Snapshots and checkpoints are not modelled yet: no domain has any.
            &[(VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT, false), (VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT, true)],
            &[(VIR_CONNECT_LIST_DOMAINS_HAS_CHECKPOINT, false), (VIR_CONNECT_LIST_DOMAINS_NO_CHECKPOINT, true)],
        ];
        groups.iter().all(|group| {
            let asked = group.iter().any(|&(flag, _)| flags & flag as u32 != 0);
            !asked || group.iter().any(|&(flag, holds)| holds && flags & flag as u32 != 0)
        })
    }
}

#[allow(non_camel_case_types)]
type c_flag = std::os::raw::c_int;

/// Every VIR_CONNECT_LIST_DOMAINS_* filter flag.
pub const LIST_DOMAINS_FILTERS_ALL: u32 = 0xffff;

fn no_domain() -> Error {
    Error::new(VIR_ERR_NO_DOMAIN, VIR_FROM_TEST, None)
}

impl State {
    pub fn new(node: NodeInfo, cells: Vec<Cell>) -> State {
        State { node, cells, iommu: false, domains: Vec::new(), next_id: 1, events: EventState::new(), pools: Default::default(), ifaces: Default::default(), devices: Default::default(), networks: Default::default() }
    }

    /// Adds a domain from a host description (the default host or a custom file):
    /// running ones get the next id, as libvirt's loader starts them.
    pub fn add_loaded(&mut self, def: DomainDef, state: i32, persistent: bool) {
        let id = if state == VIR_DOMAIN_SHUTOFF { -1 } else { self.take_id() };
        let new_def = (id != -1 && persistent).then(|| def.clone());
        self.domains.push(DomainObj {
            def,
            new_def,
            state,
            reason: 0,
            id,
            persistent,
            autostart: false,
            has_managed_save: false,
        });
    }

    pub fn take_id(&mut self) -> i32 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    pub fn by_id(&self, id: i32) -> Result<&DomainObj> {
        self.domains.iter().find(|d| d.is_active() && d.id == id).ok_or_else(no_domain)
    }

    pub fn by_name(&self, name: &str) -> Result<&DomainObj> {
        self.domains.iter().find(|d| d.def.name == name).ok_or_else(no_domain)
    }

    pub fn by_uuid(&self, uuid: &[u8; 16]) -> Result<&DomainObj> {
        self.domains.iter().find(|d| &d.def.uuid == uuid).ok_or_else(no_domain)
    }

    /// The domain a handle names, found by UUID as libvirt's test driver does; the
    /// error names the handle's UUID and name.
    pub fn of_handle(&self, dom: &DomainId) -> Result<&DomainObj> {
        self.domains.iter().find(|d| d.def.uuid == dom.uuid).ok_or_else(|| {
            let detail = format!("no domain with matching uuid '{}' ({})", format_uuid(&dom.uuid), dom.name);
            Error::with_detail(VIR_ERR_NO_DOMAIN, VIR_FROM_TEST, detail)
        })
    }

    pub fn active_ids(&self) -> impl Iterator<Item = i32> + '_ {
        self.domains.iter().filter(|d| d.is_active()).map(|d| d.id)
    }

    pub fn inactive_names(&self) -> impl Iterator<Item = &str> + '_ {
        self.domains.iter().filter(|d| !d.is_active()).map(|d| d.def.name.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn domain(name: &str, uuid_last: u8) -> DomainDef {
        let mut uuid = [0u8; 16];
        uuid[15] = uuid_last;
        DomainDef {
            virt_type: "test".into(),
            name: name.into(),
            uuid,
            memory_kib: 1024,
            current_memory_kib: 1024,
            vcpus: 1,
            os_type: "hvm".into(),
            arch: "i686".into(),
            devices: Vec::new(),
            xml: Default::default(),
        }
    }

    fn host() -> State {
        let mut state = State::new(NodeInfo::default(), Vec::new());
        state.add_loaded(domain("run", 1), VIR_DOMAIN_RUNNING, true);
        state.add_loaded(domain("off", 2), VIR_DOMAIN_SHUTOFF, true);
        state.add_loaded(domain("paused", 3), VIR_DOMAIN_PAUSED, false);
        state
    }

    fn names(state: &State, flags: c_flag) -> Vec<&str> {
        state.domains.iter().filter(|d| d.matches(flags as u32)).map(|d| d.def.name.as_str()).collect()
    }

    #[test]
    fn loaded_domains_get_ids_in_order_and_shutoff_ones_none() {
        let state = host();
        assert_eq!(state.active_ids().collect::<Vec<_>>(), vec![1, 2]);
        assert_eq!(state.inactive_names().collect::<Vec<_>>(), vec!["off"]);
        assert_eq!(state.by_id(2).unwrap().def.name, "paused");
        assert_eq!(state.by_id(-1).unwrap_err().code, VIR_ERR_NO_DOMAIN);
        assert_eq!(state.next_id, 3);
    }

    #[test]
    fn lookups_fail_with_libvirts_bare_no_domain() {
        let state = host();
        let err = state.by_name("nope").unwrap_err();
        assert_eq!(
            (err.code, err.domain, err.message.as_str()),
            (VIR_ERR_NO_DOMAIN, VIR_FROM_TEST, "Domain not found")
        );
        assert_eq!(err.str2, None);
        assert!(state.by_uuid(&[9; 16]).is_err());
        assert_eq!(state.by_uuid(&state.domains[1].def.uuid).unwrap().def.name, "off");
    }

    #[test]
    fn a_stale_handle_names_its_uuid_and_name() {
        let state = host();
        let gone = DomainId::new("gone", [0xab; 16], 7);
        let err = state.of_handle(&gone).unwrap_err();
        assert_eq!(
            err.message,
            "Domain not found: no domain with matching uuid 'abababab-abab-abab-abab-abababababab' (gone)"
        );
    }

    #[test]
    fn list_filters_combine_groups_and_or_within_a_group() {
        let state = host();
        assert_eq!(names(&state, 0), vec!["run", "off", "paused"]);
        assert_eq!(names(&state, VIR_CONNECT_LIST_DOMAINS_ACTIVE), vec!["run", "paused"]);
        assert_eq!(names(&state, VIR_CONNECT_LIST_DOMAINS_INACTIVE), vec!["off"]);
        assert_eq!(
            names(&state, VIR_CONNECT_LIST_DOMAINS_ACTIVE | VIR_CONNECT_LIST_DOMAINS_INACTIVE),
            vec!["run", "off", "paused"]
        );
        assert_eq!(names(&state, VIR_CONNECT_LIST_DOMAINS_TRANSIENT), vec!["paused"]);
        assert_eq!(names(&state, VIR_CONNECT_LIST_DOMAINS_PERSISTENT | VIR_CONNECT_LIST_DOMAINS_RUNNING), vec!["run"]);
        assert_eq!(
            names(&state, VIR_CONNECT_LIST_DOMAINS_PAUSED | VIR_CONNECT_LIST_DOMAINS_SHUTOFF),
            vec!["off", "paused"]
        );
        assert!(names(&state, VIR_CONNECT_LIST_DOMAINS_OTHER).is_empty());
        assert!(names(&state, VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT).is_empty());
        assert_eq!(names(&state, VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART).len(), 3);
        assert!(names(&state, VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE).is_empty());
    }
}
