//! libvirt's in-memory test hypervisor. All connections to test:///default in a
//! process share one host, which starts afresh once the last of them is gone; each
//! connection to a custom file (test:///PATH) has a host of its own.

mod capabilities;
mod default;
mod extras;
mod file;
mod lifecycle;
mod node;
pub mod state;
mod storage;
mod storage_xml;
// --- network ---
mod network;
mod network_update;
mod network_xml;
mod xml;
// --- interface/nodedev/secret/nwfilter ---
mod interface;
mod interface_xml;
mod nodedev;
mod nodedev_xml;

use crate::abi::domain::*;
use crate::abi::virterror::*;
use crate::core::{Error, Result};
use crate::core::events::{Event, EventState, Family};
use crate::driver::{check_flags, BlockStats, DomainId, DomainInfo, Driver, InterfaceStats, NodeInfo};
use crate::driver::{PoolId, PoolInfo, VolId, VolInfo};
// --- network ---
use crate::driver::NetworkId;
use crate::driver::{InterfaceId, NodeDeviceId};
use once_cell::sync::Lazy;
use parking_lot::Mutex;
use state::State;
use std::sync::{Arc, Weak};

pub struct TestDriver {
    state: Arc<Mutex<State>>,
    /// The host's event state (also in `state`, here to reach it without the lock).
    events: Arc<EventState>,
}

// --- streams ---
/// The test driver's screenshot: a file of libvirt's data directory.
const SCREENSHOT: &str = "/usr/share/libvirt/test-screenshot.png";
// --- streams ---

impl TestDriver {
    fn new(state: Arc<Mutex<State>>) -> TestDriver {
        let events = state.lock().events.clone();
        TestDriver { state, events }
    }
}

/// The shared default host while any connection holds it.
static DEFAULT: Lazy<Mutex<Weak<Mutex<State>>>> = Lazy::new(|| Mutex::new(Weak::new()));

pub fn open_default() -> Result<Box<dyn Driver>> {
    Ok(Box::new(TestDriver::new(shared(&DEFAULT, default::state))))
}

/// The host in `slot` if a connection still holds it, else a fresh one from `fresh`.
fn shared(slot: &Mutex<Weak<Mutex<State>>>, fresh: impl FnOnce() -> State) -> Arc<Mutex<State>> {
    let mut slot = slot.lock();
    slot.upgrade().unwrap_or_else(|| {
        let state = Arc::new(Mutex::new(fresh()));
        *slot = Arc::downgrade(&state);
        state
    })
}

/// A host described by the file at `path` (test:///PATH).
pub fn open_file(path: &str) -> Result<Box<dyn Driver>> {
    let state = file::load(path)?;
    Ok(Box::new(TestDriver::new(Arc::new(Mutex::new(state)))))
}

/// The flags virDomainGetXMLDesc accepts here (libvirt's VIR_DOMAIN_XML_COMMON_FLAGS).
const XML_COMMON_FLAGS: u32 = (VIR_DOMAIN_XML_SECURE | VIR_DOMAIN_XML_INACTIVE | VIR_DOMAIN_XML_MIGRATABLE) as u32;

impl TestDriver {
    /// Runs `f` on the domain a handle names.
    fn with_domain<T>(&self, dom: &DomainId, f: impl FnOnce(&state::DomainObj) -> T) -> Result<T> {
        let state = self.state.lock();
        state.of_handle(dom).map(f)
    }

    /// Runs a transition on the host, then queues the events it raised (outside
    /// the host's lock: queueing may call the application's event loop).
    fn transition<T>(&self, f: impl FnOnce(&mut State) -> Result<(T, Vec<Event>)>) -> Result<T> {
        let (value, events) = f(&mut self.state.lock())?;
        self.events.queue(events);
        Ok(value)
    }

    /// The running domain a statistics call names, or libvirt's error.
    fn running<T>(&self, dom: &DomainId, f: impl FnOnce(&state::DomainObj) -> Result<T>) -> Result<T> {
        let state = self.state.lock();
        let obj = state.of_handle(dom)?;
        if !obj.is_active() {
            return Err(Error::operation_invalid(VIR_FROM_DOMAIN, "domain is not running"));
        }
        f(obj)
    }
}

/// The flags of each transition (libvirt's test driver accepts these only).
const CREATE_XML_FLAGS: u32 = VIR_DOMAIN_START_VALIDATE as u32;
const DEFINE_FLAGS: u32 = VIR_DOMAIN_DEFINE_VALIDATE as u32;
const UNDEFINE_FLAGS: u32 = (VIR_DOMAIN_UNDEFINE_MANAGED_SAVE | VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA) as u32;
const DESTROY_FLAGS: u32 = VIR_DOMAIN_DESTROY_GRACEFUL as u32;
const REBOOT_FLAGS: u32 = (VIR_DOMAIN_REBOOT_ACPI_POWER_BTN
    | VIR_DOMAIN_REBOOT_GUEST_AGENT
    | VIR_DOMAIN_REBOOT_INITCTL
    | VIR_DOMAIN_REBOOT_SIGNAL
    | VIR_DOMAIN_REBOOT_PARAVIRT) as u32;

impl Driver for TestDriver {
    fn name(&self) -> &'static str {
        "TEST"
    }
    fn version(&self) -> Result<u64> {
        Ok(2)
    }
    fn hostname(&self) -> Result<String> {
        crate::os::hostname().map_err(|e| {
            Error::with_detail(VIR_ERR_SYSTEM_ERROR, VIR_FROM_NONE, format!("failed to determine host name: {e}"))
        })
    }
    fn capabilities(&self) -> Result<String> {
        Ok(capabilities::format(&self.state.lock()))
    }
    fn node_info(&self) -> Result<NodeInfo> {
        Ok(self.state.lock().node.clone())
    }
    fn max_vcpus(&self, _kind: Option<&str>) -> Result<i32> {
        Ok(32)
    }
    fn is_alive(&self) -> Result<bool> {
        Ok(true)
    }
    fn is_secure(&self) -> Result<bool> {
        Ok(true)
    }
    fn is_encrypted(&self) -> Result<bool> {
        Ok(false)
    }

    fn num_of_domains(&self) -> Result<usize> {
        Ok(self.state.lock().active_ids().count())
    }
    fn list_domains(&self, max: usize) -> Result<Vec<i32>> {
        Ok(self.state.lock().active_ids().take(max).collect())
    }
    fn num_of_defined_domains(&self) -> Result<usize> {
        Ok(self.state.lock().inactive_names().count())
    }
    fn list_defined_domains(&self, max: usize) -> Result<Vec<String>> {
        Ok(self.state.lock().inactive_names().take(max).map(str::to_owned).collect())
    }
    fn list_all_domains(&self, flags: u32) -> Result<Vec<DomainId>> {
        check_flags(VIR_FROM_TEST, "testConnectListAllDomains", flags, state::LIST_DOMAINS_FILTERS_ALL)?;
        let state = self.state.lock();
        Ok(state.domains.iter().filter(|d| d.matches(flags)).map(|d| d.identity()).collect())
    }

    fn domain_lookup_by_id(&self, id: i32) -> Result<DomainId> {
        self.state.lock().by_id(id).map(|d| d.identity())
    }
    fn domain_lookup_by_name(&self, name: &str) -> Result<DomainId> {
        self.state.lock().by_name(name).map(|d| d.identity())
    }
    fn domain_lookup_by_uuid(&self, uuid: &[u8; 16]) -> Result<DomainId> {
        self.state.lock().by_uuid(uuid).map(|d| d.identity())
    }

    fn domain_info(&self, dom: &DomainId) -> Result<DomainInfo> {
        self.with_domain(dom, |d| DomainInfo {
            state: d.state as u8,
            max_mem_kib: d.def.memory_kib,
            memory_kib: d.def.current_memory_kib,
            nr_virt_cpu: d.def.vcpus,
            // libvirt's test driver reports the wall clock as CPU time.
            cpu_time_ns: crate::os::real_time_us() * 1000,
        })
    }
    fn domain_state(&self, dom: &DomainId, flags: u32) -> Result<(i32, i32)> {
        check_flags(VIR_FROM_TEST, "testDomainGetState", flags, 0)?;
        self.with_domain(dom, |d| (d.state, d.reason))
    }
    /// libvirt's test driver answers "linux" without looking the domain up.
    fn domain_os_type(&self, _dom: &DomainId) -> Result<String> {
        Ok("linux".into())
    }
    fn domain_max_memory(&self, dom: &DomainId) -> Result<u64> {
        self.with_domain(dom, |d| d.def.memory_kib)
    }
    fn domain_max_vcpus(&self, dom: &DomainId) -> Result<i32> {
        self.with_domain(dom, |d| i32::from(d.def.vcpus))
    }
    fn domain_is_active(&self, dom: &DomainId) -> Result<bool> {
        self.with_domain(dom, |d| d.is_active())
    }
    fn domain_is_persistent(&self, dom: &DomainId) -> Result<bool> {
        self.with_domain(dom, |d| d.persistent)
    }
    /// Never updated, and (as in libvirt) not even looked up.
    fn domain_is_updated(&self, _dom: &DomainId) -> Result<bool> {
        Ok(false)
    }
    fn domain_xml_desc(&self, dom: &DomainId, flags: u32) -> Result<String> {
        check_flags(VIR_FROM_TEST, "testDomainGetXMLDesc", flags, XML_COMMON_FLAGS)?;
        self.with_domain(dom, |d| xml::format_domain(d, flags))
    }

    fn event_state(&self, family: Family) -> Option<Arc<EventState>> {
        // libvirt's test driver has no secret driver, so no secret events.
        (family != Family::Secret).then(|| self.events.clone())
    }

    fn domain_define_xml(&self, xml: &str, flags: u32) -> Result<DomainId> {
        check_flags(VIR_FROM_TEST, "testDomainDefineXMLFlags", flags, DEFINE_FLAGS)?;
        let def = xml::parse_domain_xml(xml, flags & DEFINE_FLAGS != 0)?;
        self.transition(|state| state.define(def))
    }
    fn domain_create_xml(&self, xml: &str, flags: u32) -> Result<DomainId> {
        check_flags(VIR_FROM_TEST, "testDomainCreateXML", flags, CREATE_XML_FLAGS)?;
        let def = xml::parse_domain_xml(xml, flags & CREATE_XML_FLAGS != 0)?;
        self.transition(|state| state.create_xml(def))
    }
    fn domain_create(&self, dom: &DomainId, flags: u32) -> Result<i32> {
        check_flags(VIR_FROM_TEST, "testDomainCreateWithFlags", flags, 0)?;
        self.transition(|state| state.start(dom)).map(|started| started.id)
    }
    fn domain_undefine(&self, dom: &DomainId, flags: u32) -> Result<()> {
        check_flags(VIR_FROM_TEST, "testDomainUndefineFlags", flags, UNDEFINE_FLAGS)?;
        let keep_managed_save = flags & VIR_DOMAIN_UNDEFINE_MANAGED_SAVE as u32 != 0;
        self.transition(|state| Ok(((), state.undefine(dom, keep_managed_save)?)))
    }
    fn domain_destroy(&self, dom: &DomainId, flags: u32) -> Result<()> {
        check_flags(VIR_FROM_TEST, "testDomainDestroyFlags", flags, DESTROY_FLAGS)?;
        self.transition(|state| Ok(((), state.destroy(dom)?)))
    }
    fn domain_shutdown(&self, dom: &DomainId, flags: u32) -> Result<()> {
        check_flags(VIR_FROM_TEST, "testDomainShutdownFlags", flags, 0)?;
        self.transition(|state| Ok(((), state.shutdown(dom)?)))
    }
    fn domain_reboot(&self, dom: &DomainId, flags: u32) -> Result<()> {
        check_flags(VIR_FROM_TEST, "testDomainReboot", flags, REBOOT_FLAGS)?;
        self.state.lock().reboot(dom)
    }
    fn domain_reset(&self, dom: &DomainId, flags: u32) -> Result<()> {
        check_flags(VIR_FROM_TEST, "testDomainReset", flags, 0)?;
        self.state.lock().reset(dom)
    }
    fn domain_suspend(&self, dom: &DomainId) -> Result<()> {
        self.transition(|state| Ok(((), state.suspend(dom)?)))
    }
    fn domain_resume(&self, dom: &DomainId) -> Result<()> {
        self.transition(|state| Ok(((), state.resume(dom)?)))
    }
    fn domain_get_autostart(&self, dom: &DomainId) -> Result<bool> {
        self.with_domain(dom, |d| d.autostart)
    }
    fn domain_set_autostart(&self, dom: &DomainId, autostart: bool) -> Result<()> {
        self.state.lock().set_autostart(dom, autostart)
    }

    /// libvirt's test driver makes the counters up from the wall clock.
    fn domain_block_stats(&self, dom: &DomainId, path: &str) -> Result<BlockStats> {
        if path.is_empty() {
            return Err(Error::with_detail(
                VIR_ERR_OPERATION_UNSUPPORTED,
                VIR_FROM_TEST,
                "summary statistics are not supported yet",
            ));
        }
        self.running(dom, |d| {
            let known = d.def.devices.iter().any(|dev| {
                matches!(dev, state::Device::Disk { file, target, .. } if target == path || file == path)
            });
            if !known {
                return Err(Error::invalid_arg(VIR_FROM_TEST, format!("invalid path: {path}")));
            }
            let (base, secs) = clock();
            Ok(BlockStats { rd_req: base / 10, rd_bytes: base / 20, wr_req: base / 30, wr_bytes: base / 40, errs: secs / 2 })
        })
    }
    fn domain_interface_stats(&self, dom: &DomainId, device: &str) -> Result<InterfaceStats> {
        self.running(dom, |d| {
            let known = d.def.devices.iter().any(|dev| {
                matches!(dev, state::Device::Interface { mac, ifname, .. } if ifname == device || mac.eq_ignore_ascii_case(device))
            });
            if !known {
                return Err(Error::invalid_arg(VIR_FROM_DOMAIN, format!("'{device}' is not a known interface")));
            }
            let (base, secs) = clock();
            Ok(InterfaceStats {
                rx_bytes: base / 10,
                rx_packets: base / 100,
                rx_errs: secs,
                rx_drop: secs / 2,
                tx_bytes: base / 20,
                tx_packets: base / 110,
                tx_errs: secs / 3,
                tx_drop: secs / 4,
            })
        })
    }

    // --- storage ---
    fn num_of_storage_pools(&self) -> Result<usize> {
        Ok(self.state.lock().pools.count(true))
    }
    fn list_storage_pools(&self, max: usize) -> Result<Vec<String>> {
        Ok(self.state.lock().pools.names(true, max))
    }
    fn num_of_defined_storage_pools(&self) -> Result<usize> {
        Ok(self.state.lock().pools.count(false))
    }
    fn list_defined_storage_pools(&self, max: usize) -> Result<Vec<String>> {
        Ok(self.state.lock().pools.names(false, max))
    }
    fn list_all_storage_pools(&self, flags: u32) -> Result<(Vec<PoolId>, usize)> {
        self.state.lock().pools.list_all(flags)
    }
    fn find_storage_pool_sources(&self, kind: &str, spec: Option<&str>, flags: u32) -> Result<String> {
        storage::find_sources(kind, spec, flags)
    }
    fn storage_pool_lookup_by_name(&self, name: &str) -> Result<PoolId> {
        self.state.lock().pools.lookup_by_name(name)
    }
    fn storage_pool_lookup_by_uuid(&self, uuid: &[u8; 16]) -> Result<PoolId> {
        self.state.lock().pools.lookup_by_uuid(uuid)
    }
    fn storage_pool_lookup_by_volume(&self, vol: &VolId) -> Result<PoolId> {
        self.state.lock().pools.lookup_by_name(&vol.pool)
    }
    fn storage_pool_create_xml(&self, xml: &str, flags: u32) -> Result<PoolId> {
        self.state.lock().pools.create_xml(xml, flags)
    }
    fn storage_pool_define_xml(&self, xml: &str, flags: u32) -> Result<PoolId> {
        self.state.lock().pools.define_xml(xml, flags)
    }
    fn storage_pool_build(&self, pool: &PoolId, flags: u32) -> Result<()> {
        self.state.lock().pools.build(pool, flags)
    }
    fn storage_pool_undefine(&self, pool: &PoolId) -> Result<()> {
        self.state.lock().pools.undefine(pool)
    }
    fn storage_pool_create(&self, pool: &PoolId, flags: u32) -> Result<()> {
        self.state.lock().pools.create(pool, flags)
    }
    fn storage_pool_destroy(&self, pool: &PoolId) -> Result<()> {
        self.state.lock().pools.destroy(pool)
    }
    fn storage_pool_delete(&self, pool: &PoolId, flags: u32) -> Result<()> {
        self.state.lock().pools.delete(pool, flags)
    }
    fn storage_pool_refresh(&self, pool: &PoolId, flags: u32) -> Result<()> {
        self.state.lock().pools.refresh(pool, flags)
    }
    fn storage_pool_info(&self, pool: &PoolId) -> Result<PoolInfo> {
        self.state.lock().pools.info(pool)
    }
    fn storage_pool_xml_desc(&self, pool: &PoolId, flags: u32) -> Result<String> {
        self.state.lock().pools.xml_desc(pool, flags)
    }
    fn storage_pool_autostart(&self, pool: &PoolId) -> Result<bool> {
        self.state.lock().pools.autostart(pool)
    }
    fn storage_pool_set_autostart(&self, pool: &PoolId, autostart: bool) -> Result<()> {
        self.state.lock().pools.set_autostart(pool, autostart)
    }
    fn storage_pool_is_active(&self, pool: &PoolId) -> Result<bool> {
        self.state.lock().pools.is_active(pool)
    }
    fn storage_pool_is_persistent(&self, pool: &PoolId) -> Result<bool> {
        self.state.lock().pools.is_persistent(pool)
    }
    fn storage_pool_num_of_volumes(&self, pool: &PoolId) -> Result<usize> {
        self.state.lock().pools.num_of_volumes(pool)
    }
    fn storage_pool_list_volumes(&self, pool: &PoolId, max: usize) -> Result<Vec<String>> {
        self.state.lock().pools.list_volumes(pool, max)
    }
    fn storage_pool_list_all_volumes(&self, pool: &PoolId, flags: u32) -> Result<(Vec<VolId>, usize)> {
        self.state.lock().pools.list_all_volumes(pool, flags)
    }
    fn storage_vol_lookup_by_name(&self, pool: &PoolId, name: &str) -> Result<VolId> {
        self.state.lock().pools.vol_lookup_by_name(pool, name)
    }
    fn storage_vol_lookup_by_key(&self, key: &str) -> Result<VolId> {
        self.state.lock().pools.vol_lookup_by_key(key)
    }
    fn storage_vol_lookup_by_path(&self, path: &str) -> Result<VolId> {
        self.state.lock().pools.vol_lookup_by_path(path)
    }
    fn storage_vol_create_xml(&self, pool: &PoolId, xml: &str, flags: u32) -> Result<VolId> {
        self.state.lock().pools.vol_create_xml(pool, xml, None, flags)
    }
    fn storage_vol_create_xml_from(&self, pool: &PoolId, xml: &str, clone: &VolId, flags: u32) -> Result<VolId> {
        self.state.lock().pools.vol_create_xml(pool, xml, Some(clone), flags)
    }
    fn storage_vol_delete(&self, vol: &VolId, flags: u32) -> Result<()> {
        self.state.lock().pools.vol_delete(vol, flags)
    }
    fn storage_vol_info(&self, vol: &VolId) -> Result<VolInfo> {
        self.state.lock().pools.vol_info(vol)
    }
    fn storage_vol_xml_desc(&self, vol: &VolId, flags: u32) -> Result<String> {
        self.state.lock().pools.vol_xml_desc(vol, flags)
    }
    fn storage_vol_path(&self, vol: &VolId) -> Result<String> {
        self.state.lock().pools.vol_path(vol)
    }

    // --- network ---
    fn list_all_networks(&self, flags: u32) -> Result<Vec<NetworkId>> {
        self.state.lock().networks.list_all(flags)
    }
    fn network_lookup_by_name(&self, name: &str) -> Result<NetworkId> {
        self.state.lock().networks.lookup_by_name(name)
    }
    fn network_lookup_by_uuid(&self, uuid: &[u8; 16]) -> Result<NetworkId> {
        self.state.lock().networks.lookup_by_uuid(uuid)
    }
    fn network_xml_desc(&self, net: &NetworkId, flags: u32) -> Result<String> {
        self.state.lock().networks.xml_desc(net, flags)
    }
    fn network_is_active(&self, net: &NetworkId) -> Result<bool> {
        self.state.lock().networks.is_active(net)
    }
    fn network_is_persistent(&self, net: &NetworkId) -> Result<bool> {
        self.state.lock().networks.is_persistent(net)
    }
    fn network_get_autostart(&self, net: &NetworkId) -> Result<bool> {
        self.state.lock().networks.autostart(net)
    }
    fn network_set_autostart(&self, net: &NetworkId, autostart: bool) -> Result<()> {
        self.state.lock().networks.set_autostart(net, autostart)
    }
    fn network_bridge_name(&self, net: &NetworkId) -> Result<String> {
        self.state.lock().networks.bridge_name(net)
    }
    fn network_create_xml(&self, xml: &str, flags: u32) -> Result<NetworkId> {
        self.transition(|state| state.networks.create_xml(xml, flags))
    }
    fn network_define_xml(&self, xml: &str, flags: u32) -> Result<NetworkId> {
        self.transition(|state| state.networks.define_xml(xml, flags))
    }
    fn network_undefine(&self, net: &NetworkId) -> Result<()> {
        self.transition(|state| state.networks.undefine(net))
    }
    fn network_create(&self, net: &NetworkId) -> Result<()> {
        self.transition(|state| state.networks.create(net))
    }
    fn network_destroy(&self, net: &NetworkId) -> Result<()> {
        self.transition(|state| state.networks.destroy(net))
    }
    fn network_update(&self, net: &NetworkId, command: u32, section: u32, parent: i32, xml: &str, flags: u32) -> Result<()> {
        self.state.lock().networks.update(net, command, section, parent, xml, flags)
    }

    // --- interface/nodedev/secret/nwfilter ---
    fn num_of_interfaces(&self) -> Result<usize> {
        Ok(self.state.lock().ifaces.count(true))
    }
    fn list_interfaces(&self, max: usize) -> Result<Vec<String>> {
        Ok(self.state.lock().ifaces.names(true, max))
    }
    fn num_of_defined_interfaces(&self) -> Result<usize> {
        Ok(self.state.lock().ifaces.count(false))
    }
    fn list_defined_interfaces(&self, max: usize) -> Result<Vec<String>> {
        Ok(self.state.lock().ifaces.names(false, max))
    }
    fn list_all_interfaces(&self, flags: u32) -> Result<(Vec<InterfaceId>, usize)> {
        self.state.lock().ifaces.list_all(flags)
    }
    fn interface_lookup_by_name(&self, name: &str) -> Result<InterfaceId> {
        self.state.lock().ifaces.lookup_by_name(name)
    }
    fn interface_lookup_by_mac(&self, mac: &str) -> Result<InterfaceId> {
        self.state.lock().ifaces.lookup_by_mac(mac)
    }
    fn interface_xml_desc(&self, iface: &InterfaceId, flags: u32) -> Result<String> {
        self.state.lock().ifaces.xml_desc(iface, flags)
    }
    fn interface_define_xml(&self, xml: &str, flags: u32) -> Result<InterfaceId> {
        self.state.lock().ifaces.define_xml(xml, flags)
    }
    fn interface_undefine(&self, iface: &InterfaceId) -> Result<()> {
        self.state.lock().ifaces.undefine(iface)
    }
    fn interface_create(&self, iface: &InterfaceId, flags: u32) -> Result<()> {
        self.state.lock().ifaces.create(iface, flags)
    }
    fn interface_destroy(&self, iface: &InterfaceId, flags: u32) -> Result<()> {
        self.state.lock().ifaces.destroy(iface, flags)
    }
    fn interface_is_active(&self, iface: &InterfaceId) -> Result<bool> {
        self.state.lock().ifaces.is_active(iface)
    }
    fn interface_change_begin(&self, flags: u32) -> Result<()> {
        self.state.lock().ifaces.change_begin(flags)
    }
    fn interface_change_commit(&self, flags: u32) -> Result<()> {
        self.state.lock().ifaces.change_commit(flags)
    }
    fn interface_change_rollback(&self, flags: u32) -> Result<()> {
        self.state.lock().ifaces.change_rollback(flags)
    }
    fn node_num_of_devices(&self, cap: Option<&str>, flags: u32) -> Result<usize> {
        self.state.lock().devices.count(cap, flags)
    }
    fn node_list_devices(&self, cap: Option<&str>, max: usize, flags: u32) -> Result<Vec<String>> {
        self.state.lock().devices.names(cap, max, flags)
    }
    fn list_all_node_devices(&self, flags: u32) -> Result<(Vec<NodeDeviceId>, usize)> {
        self.state.lock().devices.list_all(flags)
    }
    fn node_device_lookup_by_name(&self, name: &str) -> Result<NodeDeviceId> {
        self.state.lock().devices.lookup_by_name(name)
    }
    fn node_device_xml_desc(&self, dev: &NodeDeviceId, flags: u32) -> Result<String> {
        self.state.lock().devices.xml_desc(dev, flags)
    }
    fn node_device_parent(&self, dev: &NodeDeviceId) -> Result<String> {
        self.state.lock().devices.parent(dev)
    }
    fn node_device_caps(&self, dev: &NodeDeviceId) -> Result<Vec<String>> {
        self.state.lock().devices.caps(dev)
    }
    fn node_device_create_xml(&self, xml: &str, flags: u32) -> Result<NodeDeviceId> {
        self.transition(|state| state.devices.create_xml(xml, flags))
    }
    fn node_device_destroy(&self, dev: &NodeDeviceId) -> Result<Option<Error>> {
        self.transition(|state| state.devices.destroy(dev))
    }

    // --- node ---
    /// libvirt's test driver sums the cells' free memory, in KiB.
    fn node_free_memory(&self) -> Result<u64> {
        Ok(self.state.lock().cells.iter().map(|c| c.free_mem_kib).sum())
    }
    /// libvirt's test driver answers each cell's total memory here.
    fn node_cells_free_memory(&self, start: i32, max: usize) -> Result<Vec<u64>> {
        let state = self.state.lock();
        let start = start as usize;
        if start >= state.cells.len() {
            return Err(Error::invalid_arg(VIR_FROM_TEST, "Range exceeds available cells"));
        }
        Ok(state.cells[start..].iter().take(max).map(|c| c.mem_kib).collect())
    }
    fn node_cpu_stats(&self, _cpu: i32, flags: u32) -> Result<Vec<(&'static str, u64)>> {
        check_flags(VIR_FROM_TEST, "testNodeGetCPUStats", flags, 0)?;
        Ok(node::CPU_STATS.to_vec())
    }
    fn node_security_model(&self) -> Result<(String, String)> {
        Ok(("testSecurity".into(), String::new()))
    }
    /// Running domains carry the label "libvirt-test", enforced; others none.
    fn domain_security_label(&self, dom: &DomainId) -> Result<(String, bool)> {
        let active = self.with_domain(dom, |d| d.is_active())?;
        Ok(if active { ("libvirt-test".into(), true) } else { (String::new(), false) })
    }
    fn node_cpu_map(&self, flags: u32) -> Result<(Vec<u8>, u32, i32)> {
        check_flags(VIR_FROM_TEST, "testNodeGetCPUMap", flags, 0)?;
        let (map, online, cpus) = node::CPU_MAP;
        Ok((vec![map], online, cpus))
    }
    fn node_free_pages(&self, pages: &[u32], _start: i32, cells: u32, flags: u32) -> Result<Vec<u64>> {
        check_flags(VIR_FROM_TEST, "testNodeGetFreePages", flags, 0)?;
        Ok(node::free_pages(pages.len(), cells as usize))
    }
    fn sysinfo(&self, flags: u32) -> Result<String> {
        check_flags(VIR_FROM_TEST, "testConnectGetSysinfo", flags, 0)?;
        Ok(node::SYSINFO.into())
    }
    fn cpu_model_names(&self, arch: &str, flags: u32) -> Result<Vec<String>> {
        check_flags(VIR_FROM_TEST, "testConnectGetCPUModelNames", flags, 0)?;
        Ok(node::cpu_models(arch)?.iter().map(|m| m.to_string()).collect())
    }

    // --- domain extras ---
    fn typed_param_strings(&self) -> bool {
        true
    }
    fn domain_save(&self, dom: &DomainId, path: &str, dxml: Option<&str>, flags: u32) -> Result<()> {
        check_flags(VIR_FROM_TEST, "testDomainSaveFlags", flags, extras::SAVE_FLAGS)?;
        extras::no_xml_change(dxml)?;
        self.transition(|state| state.save(dom, path))
    }
    fn domain_restore(&self, path: &str, dxml: Option<&str>, flags: u32) -> Result<()> {
        check_flags(VIR_FROM_TEST, "testDomainRestoreFlags", flags, extras::SAVE_FLAGS)?;
        extras::no_xml_change(dxml)?;
        let def = xml::parse_domain_xml(&extras::read_save_image(path)?, false)?;
        self.transition(|state| state.restore(def))
    }
    fn domain_core_dump(&self, dom: &DomainId, path: &str, format: u32, flags: u32) -> Result<()> {
        check_flags(VIR_FROM_TEST, "testDomainCoreDumpWithFormat", flags, extras::CORE_DUMP_FLAGS)?;
        let crash = flags & VIR_DUMP_CRASH as u32 != 0;
        self.transition(|state| state.core_dump(dom, path, format, crash))
    }
    fn domain_managed_save(&self, dom: &DomainId, flags: u32) -> Result<()> {
        check_flags(VIR_FROM_TEST, "testDomainManagedSave", flags, extras::MANAGED_SAVE_FLAGS)?;
        self.transition(|state| state.managed_save(dom))
    }
    fn domain_has_managed_save_image(&self, dom: &DomainId, flags: u32) -> Result<bool> {
        check_flags(VIR_FROM_TEST, "testDomainHasManagedSaveImage", flags, 0)?;
        self.with_domain(dom, |d| d.has_managed_save)
    }
    fn domain_managed_save_remove(&self, dom: &DomainId, flags: u32) -> Result<()> {
        check_flags(VIR_FROM_TEST, "testDomainManagedSaveRemove", flags, 0)?;
        self.state.lock().managed_save_remove(dom)
    }
    fn domain_control_info(&self, dom: &DomainId, flags: u32) -> Result<(u32, u32, u64)> {
        check_flags(VIR_FROM_TEST, "testDomainGetControlInfo", flags, 0)?;
        self.with_domain(dom, extras::control_info)?
    }
    fn domain_memory_stats(&self, dom: &DomainId, max: usize, flags: u32) -> Result<Vec<(i32, u64)>> {
        check_flags(VIR_FROM_TEST, "testDomainMemoryStats", flags, 0)?;
        self.with_domain(dom, |d| extras::memory_stats(d, max))?
    }
    fn domain_block_info(&self, dom: &DomainId, disk: &str, flags: u32) -> Result<(u64, u64, u64)> {
        check_flags(VIR_FROM_TEST, "testDomainGetBlockInfo", flags, 0)?;
        self.with_domain(dom, |d| extras::block_info(d, disk))?
    }
    fn domain_disk_errors(&self, dom: &DomainId, flags: u32) -> Result<Vec<(String, i32)>> {
        check_flags(VIR_FROM_TEST, "testDomainGetDiskErrors", flags, 0)?;
        self.with_domain(dom, extras::disk_errors)?
    }
    // --- streams ---
    /// libvirt's test driver streams the image libvirt installs for it, whatever
    /// the domain's state, screen or flags.
    fn domain_screenshot(&self, dom: &DomainId, _screen: u32, _flags: u32) -> Result<(String, Vec<u8>)> {
        self.with_domain(dom, |_| ())?;
        let image = std::fs::read(SCREENSHOT).map_err(|e| {
            Error::system(VIR_FROM_STREAMS, e.raw_os_error().unwrap_or(0), format!("Unable to open stream for '{SCREENSHOT}'"))
        })?;
        Ok(("image/png".to_owned(), image))
    }
    // --- streams ---
    fn domain_hostname(&self, dom: &DomainId, flags: u32) -> Result<String> {
        check_flags(VIR_FROM_TEST, "testDomainGetHostname", flags, 0)?;
        self.with_domain(dom, extras::hostname)?
    }
    fn domain_set_memory(&self, dom: &DomainId, kib: u64, flags: u32) -> Result<()> {
        check_flags(VIR_FROM_TEST, "testDomainSetMemoryFlags", flags, extras::SET_MEMORY_FLAGS)?;
        self.state.lock().set_memory(dom, kib, flags)
    }
    fn domain_set_max_memory(&self, dom: &DomainId, kib: u64) -> Result<()> {
        self.state.lock().set_memory(dom, kib, VIR_DOMAIN_MEM_MAXIMUM as u32)
    }
    fn domain_get_vcpus_flags(&self, dom: &DomainId, flags: u32) -> Result<i32> {
        check_flags(VIR_FROM_TEST, "testDomainGetVcpusFlags", flags, extras::VCPUS_FLAGS)?;
        self.with_domain(dom, |d| extras::vcpus(d, flags))?
    }
    fn domain_scheduler_type(&self, dom: &DomainId) -> Result<(String, i32)> {
        self.with_domain(dom, |_| ("fair".to_owned(), 1))
    }
    fn domain_scheduler_params(&self, dom: &DomainId, flags: u32) -> Result<Vec<(String, crate::core::typed_params::Value)>> {
        check_flags(VIR_FROM_TEST, "testDomainGetSchedulerParametersFlags", flags, 0)?;
        self.with_domain(dom, |_| extras::scheduler_params())
    }
}

/// The wall clock in microseconds and in seconds, the base of the made-up statistics.
fn clock() -> (i64, i64) {
    let us = crate::os::real_time_us() as i64;
    (us, us / 1_000_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn test_domain() -> DomainId {
        DomainId::new("test", crate::uuid::parse_uuid("6695eb01-f6a4-8304-79aa-97f2502e193f").unwrap(), 1)
    }

    #[test]
    fn default_host_has_libvirts_values() {
        let drv = open_default().unwrap();
        assert_eq!(drv.name(), "TEST");
        assert_eq!(drv.version().unwrap(), 2);
        let node = drv.node_info().unwrap();
        assert_eq!((node.model.as_str(), node.memory_kib, node.cpus, node.mhz), ("i686", 3145728, 16, 1400));
        assert_eq!((node.nodes, node.sockets, node.cores, node.threads), (2, 2, 2, 2));
        assert_eq!(drv.domain_lookup_by_name("test").unwrap(), test_domain());
        assert_eq!(drv.domain_lookup_by_id(1).unwrap(), test_domain());
        let info = drv.domain_info(&test_domain()).unwrap();
        assert_eq!((info.state, info.max_mem_kib, info.memory_kib, info.nr_virt_cpu), (1, 8388608, 2097152, 2));
        assert_eq!(drv.domain_state(&test_domain(), 0).unwrap(), (VIR_DOMAIN_RUNNING, 0));
        assert_eq!(drv.list_domains(10).unwrap(), vec![1]);
        assert_eq!(drv.list_domains(0).unwrap(), Vec::<i32>::new());
        assert_eq!(drv.num_of_defined_domains().unwrap(), 0);
    }

    #[test]
    fn cpu_time_is_the_wall_clock_in_nanoseconds() {
        let drv = open_default().unwrap();
        let before = crate::os::real_time_us() * 1000;
        let cpu = drv.domain_info(&test_domain()).unwrap().cpu_time_ns;
        assert!(cpu >= before && cpu - before < 60_000_000_000, "{before} {cpu}");
        assert_eq!(cpu % 1000, 0);
    }

    #[test]
    fn flags_are_checked_with_the_driver_function_named() {
        let drv = open_default().unwrap();
        let err = drv.domain_state(&test_domain(), 1).unwrap_err();
        assert_eq!((err.code, err.domain), (VIR_ERR_INVALID_ARG, VIR_FROM_TEST));
        assert_eq!(err.message, "unsupported flags (0x1) in function testDomainGetState");
        assert_eq!(err.str1.as_deref(), Some("testDomainGetState"));
        let err = drv.domain_xml_desc(&test_domain(), VIR_DOMAIN_XML_UPDATE_CPU as u32).unwrap_err();
        assert_eq!(err.message, "unsupported flags (0x4) in function testDomainGetXMLDesc");
        let err = drv.list_all_domains(1 << 31).unwrap_err();
        assert_eq!(err.message, "unsupported flags (0x80000000) in function testConnectListAllDomains");
    }

    #[test]
    fn default_domain_xml_is_libvirts() {
        let drv = open_default().unwrap();
        let live = drv.domain_xml_desc(&test_domain(), 0).unwrap();
        assert!(live.starts_with("<domain type='test' id='1'>\n  <name>test</name>\n"));
        assert!(live.contains("      <target dev='testnet0'/>\n"));
        assert!(live.ends_with("    </memballoon>\n  </devices>\n</domain>\n"));
        let inactive = drv.domain_xml_desc(&test_domain(), VIR_DOMAIN_XML_INACTIVE as u32).unwrap();
        assert_eq!(inactive, live.replacen(" id='1'", "", 1));
    }

    #[test]
    fn connections_share_one_host_until_the_last_closes() {
        static SLOT: Lazy<Mutex<Weak<Mutex<State>>>> = Lazy::new(|| Mutex::new(Weak::new()));
        let first = TestDriver::new(shared(&SLOT, default::state));
        let second = TestDriver::new(shared(&SLOT, default::state));
        first.state.lock().node.mhz = 1;
        assert_eq!(second.node_info().unwrap().mhz, 1);
        drop(first);
        assert_eq!(TestDriver::new(shared(&SLOT, default::state)).node_info().unwrap().mhz, 1);
        drop(second);
        let third = TestDriver::new(shared(&SLOT, default::state));
        assert_eq!(third.node_info().unwrap().mhz, 1400);
    }

    #[test]
    fn a_handle_to_a_vanished_domain_fails_except_where_libvirt_does_not_look() {
        let drv = open_default().unwrap();
        let gone = DomainId::new("gone", [1; 16], -1);
        let err = drv.domain_info(&gone).unwrap_err();
        assert_eq!(err.code, VIR_ERR_NO_DOMAIN);
        assert_eq!(
            err.str2.as_deref(),
            Some("no domain with matching uuid '01010101-0101-0101-0101-010101010101' (gone)")
        );
        assert!(drv.domain_is_active(&gone).is_err());
        assert_eq!(drv.domain_os_type(&gone).unwrap(), "linux");
        assert!(!drv.domain_is_updated(&gone).unwrap());
    }
}
