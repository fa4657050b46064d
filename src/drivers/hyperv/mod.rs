//! The Hyper-V driver: Windows Hyper-V over WS-Management (WinRM), with libvirt's
//! observable mappings (UUID = VM Name GUID, id = ProcessID, name = ElementName,
//! driver.md) and few round trips: no cache, so every answer is as fresh as the
//! call, but property lists, keys built directly and bulk queries.

mod connect;
pub mod guest;
pub mod define;
mod host;
mod keys;
mod lifecycle;
pub mod network;
mod screenshot;
mod settings;
pub mod snapshot;
mod state;
mod stats;
mod vm;
pub mod wsman;
pub mod xml;

use crate::abi::domain::*;
use crate::abi::virterror::*;
use crate::auth::Callback;
use crate::core::typed_params::Value;
use crate::core::{Error, Result};
use crate::driver::{
    check_flags, DomainId, DomainInfo, DomainStats, Driver, GuestInterface, NetworkId, NodeInfo, SnapshotId,
};
use crate::uri::Uri;
use lifecycle::Needs;
use state::request;
use vm::Vm;

pub struct HypervDriver {
    client: wsman::Client,
    https: bool,
    /// Win32_OperatingSystem.Version, read at open.
    os_version: String,
    /// Win32_ComputerSystem.Name, which WMI object paths carry: asked for on
    /// the first define or attach (it never changes), not at open.
    host_name: once_cell::sync::OnceCell<String>,
}

/// Opens `uri` (scheme hyperv); the default port is written back into it.
pub fn open(uri: &mut Uri, flags: u32, auth: Option<&dyn Callback>) -> Result<Box<dyn Driver>> {
    let target = connect::target(uri, flags, auth.is_some_and(|a| a.has_callback()))?;
    uri.port = target.port;
    let (client, os_version) = connect::open(uri, &target, auth)?;
    Ok(Box::new(HypervDriver { client, https: target.https, os_version, host_name: Default::default() }))
}

impl HypervDriver {
    /// The client, for the parts of the driver that take one (XML, define, snapshots).
    pub fn client(&self) -> &wsman::Client {
        &self.client
    }

    fn host_name(&self) -> Result<&str> {
        self.host_name.get_or_try_init(|| host::name(&self.client)).map(String::as_str)
    }

    fn vm(&self, dom: &DomainId) -> Result<Vm> {
        vm::get(&self.client, &dom.uuid)
    }

    /// The VM of a handle without a request, for calls whose queries find it by GUID.
    fn handle(dom: &DomainId) -> Vm {
        let guid = crate::uuid::format_uuid(&dom.uuid).to_uppercase();
        Vm { guid, uuid: dom.uuid, name: dom.name.clone(), state: state::UNKNOWN, pid: None }
    }

    fn change(&self, dom: &DomainId, function: &str, flags: u32, needs: Needs, requested: u16) -> Result<()> {
        check_flags(VIR_FROM_HYPERV, function, flags, 0)?;
        lifecycle::change(&self.client, &dom.uuid, needs, requested)
    }
}

const NOT_STEADY: &str = "Domain is not active or is in state transition";

impl Driver for HypervDriver {
    fn name(&self) -> &'static str {
        "Hyper-V"
    }
    fn version(&self) -> Result<u64> {
        host::pack_version(&self.os_version)
    }
    fn hostname(&self) -> Result<String> {
        host::hostname(&self.client)
    }
    fn capabilities(&self) -> Result<String> {
        host::capabilities(&self.client)
    }
    fn node_info(&self) -> Result<NodeInfo> {
        host::node_info(&self.client)
    }
    fn max_vcpus(&self, _kind: Option<&str>) -> Result<i32> {
        host::max_vcpus(&self.client)
    }
    /// libvirt does not probe either: a dead host shows at the next call.
    fn is_alive(&self) -> Result<bool> {
        Ok(true)
    }
    fn is_secure(&self) -> Result<bool> {
        Ok(self.https)
    }
    fn is_encrypted(&self) -> Result<bool> {
        Ok(self.https)
    }

    fn num_of_domains(&self) -> Result<usize> {
        Ok(vm::list(&self.client, None)?.iter().filter(|v| v.is_active()).count())
    }
    fn list_domains(&self, max: usize) -> Result<Vec<i32>> {
        if max == 0 {
            return Ok(Vec::new());
        }
        let vms = vm::list(&self.client, None)?;
        Ok(vms.iter().filter(|v| v.is_active()).map(Vm::id).take(max).collect())
    }
    fn num_of_defined_domains(&self) -> Result<usize> {
        Ok(vm::list(&self.client, None)?.iter().filter(|v| !v.is_active()).count())
    }
    fn list_defined_domains(&self, max: usize) -> Result<Vec<String>> {
        if max == 0 {
            return Ok(Vec::new());
        }
        let vms = vm::list(&self.client, None)?;
        Ok(vms.into_iter().filter(|v| !v.is_active()).map(|v| v.name).take(max).collect())
    }
    fn list_all_domains(&self, flags: u32) -> Result<Vec<DomainId>> {
        check_flags(
            VIR_FROM_HYPERV,
            "hypervConnectListAllDomains",
            flags,
            crate::drivers::test::state::LIST_DOMAINS_FILTERS_ALL,
        )?;
        Ok(stats::list_all(&self.client, flags)?.iter().map(Vm::domain_id).collect())
    }

    fn domain_lookup_by_id(&self, id: i32) -> Result<DomainId> {
        Ok(vm::by_id(&self.client, id)?.domain_id())
    }
    fn domain_lookup_by_name(&self, name: &str) -> Result<DomainId> {
        Ok(vm::by_name(&self.client, name)?.domain_id())
    }
    fn domain_lookup_by_uuid(&self, uuid: &[u8; 16]) -> Result<DomainId> {
        Ok(vm::get(&self.client, uuid)?.domain_id())
    }

    /// Three requests: the VM, its memory, its processors.
    fn domain_info(&self, dom: &DomainId) -> Result<DomainInfo> {
        let vm = self.vm(dom)?;
        let memory = settings::Memory::of(&self.client, &vm)?;
        let processor = settings::Processor::of(&self.client, &vm)?;
        Ok(DomainInfo {
            state: state::domain_state(vm.state) as u8,
            max_mem_kib: memory.limit_mib * 1024,
            memory_kib: memory.quantity_mib * 1024,
            nr_virt_cpu: u16::try_from(processor.count).unwrap_or(u16::MAX),
            cpu_time_ns: 0,
        })
    }
    /// libvirt's driver gives no reasons: 0 for every state.
    fn domain_state(&self, dom: &DomainId, flags: u32) -> Result<(i32, i32)> {
        check_flags(VIR_FROM_HYPERV, "hypervDomainGetState", flags, 0)?;
        Ok((state::domain_state(self.vm(dom)?.state), 0))
    }
    fn domain_os_type(&self, _dom: &DomainId) -> Result<String> {
        Ok("hvm".into())
    }
    fn domain_max_memory(&self, dom: &DomainId) -> Result<u64> {
        Ok(settings::Memory::of(&self.client, &Self::handle(dom))?.limit_mib * 1024)
    }
    /// The host's maximum, as libvirt's driver answers (a VM cannot grow past it).
    fn domain_max_vcpus(&self, dom: &DomainId) -> Result<i32> {
        self.vm(dom)?;
        host::max_vcpus(&self.client)
    }
    fn domain_is_active(&self, dom: &DomainId) -> Result<bool> {
        Ok(self.vm(dom)?.is_active())
    }
    fn domain_is_persistent(&self, _dom: &DomainId) -> Result<bool> {
        Ok(true)
    }
    fn domain_is_updated(&self, _dom: &DomainId) -> Result<bool> {
        Ok(false)
    }

    // --- hyperv additions ---
    fn node_free_memory(&self) -> Result<u64> {
        host::free_memory(&self.client)
    }
    /// libvirt's Hyper-V driver leaves the handle's id as it was: so do we.
    fn domain_create(&self, dom: &DomainId, flags: u32) -> Result<i32> {
        self.change(dom, "hypervDomainCreateWithFlags", flags, Needs::Inactive, request::START)?;
        Ok(dom.id)
    }
    fn domain_destroy(&self, dom: &DomainId, flags: u32) -> Result<()> {
        self.change(dom, "hypervDomainDestroyFlags", flags, Needs::Steady(NOT_STEADY), request::POWER_OFF)
    }
    fn domain_shutdown(&self, dom: &DomainId, flags: u32) -> Result<()> {
        check_flags(VIR_FROM_HYPERV, "hypervDomainShutdownFlags", flags, 0)?;
        lifecycle::shutdown(&self.client, &dom.uuid)
    }
    fn domain_reboot(&self, dom: &DomainId, flags: u32) -> Result<()> {
        self.change(dom, "hypervDomainReboot", flags, Needs::Running, request::REBOOT)
    }
    fn domain_reset(&self, dom: &DomainId, flags: u32) -> Result<()> {
        self.change(dom, "hypervDomainReset", flags, Needs::Running, request::RESET)
    }
    fn domain_suspend(&self, dom: &DomainId) -> Result<()> {
        self.change(dom, "hypervDomainSuspend", 0, Needs::Running, request::PAUSE)
    }
    fn domain_resume(&self, dom: &DomainId) -> Result<()> {
        self.change(dom, "hypervDomainResume", 0, Needs::Paused, request::START)
    }
    fn domain_managed_save(&self, dom: &DomainId, flags: u32) -> Result<()> {
        self.change(dom, "hypervDomainManagedSave", flags, Needs::Steady(NOT_STEADY), request::SAVE)
    }
    fn domain_has_managed_save_image(&self, dom: &DomainId, flags: u32) -> Result<bool> {
        check_flags(VIR_FROM_HYPERV, "hypervDomainHasManagedSaveImage", flags, 0)?;
        Ok(state::is_saved(self.vm(dom)?.state))
    }
    fn domain_managed_save_remove(&self, dom: &DomainId, flags: u32) -> Result<()> {
        self.change(dom, "hypervDomainManagedSaveRemove", flags, Needs::Saved, request::POWER_OFF)
    }
    fn domain_get_autostart(&self, dom: &DomainId) -> Result<bool> {
        settings::autostart(&self.client, &Self::handle(dom))
    }
    fn domain_set_autostart(&self, dom: &DomainId, autostart: bool) -> Result<()> {
        settings::set_autostart(&self.client, &Self::handle(dom), autostart)
    }
    fn domain_set_memory(&self, dom: &DomainId, kib: u64, flags: u32) -> Result<()> {
        check_flags(VIR_FROM_HYPERV, "hypervDomainSetMemoryFlags", flags, 0)?;
        settings::set_memory(&self.client, &Self::handle(dom), kib, false)
    }
    fn domain_set_max_memory(&self, dom: &DomainId, kib: u64) -> Result<()> {
        settings::set_memory(&self.client, &Self::handle(dom), kib, true)
    }
    fn domain_get_vcpus_flags(&self, dom: &DomainId, flags: u32) -> Result<i32> {
        let allowed = (VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG | VIR_DOMAIN_VCPU_MAXIMUM) as u32;
        check_flags(VIR_FROM_HYPERV, "hypervDomainGetVcpusFlags", flags, allowed)?;
        let vm = self.vm(dom)?;
        if flags & VIR_DOMAIN_AFFECT_LIVE as u32 != 0 && vm.state != state::RUNNING {
            return Err(Error::operation_invalid(VIR_FROM_HYPERV, "Domain is not active"));
        }
        if flags & VIR_DOMAIN_VCPU_MAXIMUM as u32 != 0 {
            return host::max_vcpus(&self.client);
        }
        let count = settings::Processor::of(&self.client, &vm)?.count;
        Ok(i32::try_from(count).unwrap_or(i32::MAX))
    }
    fn domain_set_vcpus(&self, dom: &DomainId, count: u32, flags: u32) -> Result<()> {
        check_flags(VIR_FROM_HYPERV, "hypervDomainSetVcpusFlags", flags, 0)?;
        settings::set_vcpus(&self.client, &Self::handle(dom), count)
    }
    fn domain_scheduler_type(&self, _dom: &DomainId) -> Result<(String, i32)> {
        Ok(("allocation".into(), 3))
    }
    fn domain_scheduler_params(&self, dom: &DomainId, flags: u32) -> Result<Vec<(String, Value)>> {
        let allowed = (VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG) as u32;
        check_flags(VIR_FROM_HYPERV, "hypervDomainGetSchedulerParametersFlags", flags, allowed)?;
        let processor = settings::Processor::of(&self.client, &Self::handle(dom))?;
        Ok(vec![
            ("limit".into(), Value::LLong(processor.limit as i64)),
            ("reservation".into(), Value::LLong(processor.reservation as i64)),
            ("weight".into(), Value::UInt(processor.weight)),
        ])
    }
    fn domain_screenshot(&self, dom: &DomainId, _screen: u32, flags: u32) -> Result<(String, Vec<u8>)> {
        check_flags(VIR_FROM_HYPERV, "hypervDomainScreenshot", flags, 0)?;
        screenshot::take(self.client(), &self.vm(dom)?.guid)
    }
    fn domain_send_key(&self, dom: &DomainId, codeset: u32, holdtime: u32, keycodes: &[u32], flags: u32) -> Result<()> {
        check_flags(VIR_FROM_HYPERV, "hypervDomainSendKey", flags, 0)?;
        let codes = keys::to_win32(codeset, keycodes)?;
        lifecycle::send_keys(&self.client, &Self::handle(dom), &codes, holdtime)
    }
    fn domain_get_vcpus(&self, dom: &DomainId, max: usize) -> Result<Vec<(i32, u64, i32)>> {
        stats::vcpus(&self.client, &dom.name, max)
    }
    fn domain_interface_addresses(&self, dom: &DomainId, source: u32, flags: u32) -> Result<Vec<GuestInterface>> {
        check_flags(VIR_FROM_HYPERV, "hypervDomainInterfaceAddresses", flags, 0)?;
        if source != VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT as u32 {
            return Err(Error::with_detail(
                VIR_ERR_ARGUMENT_UNSUPPORTED,
                VIR_FROM_HYPERV,
                format!("Unsupported IP address data source {source}"),
            ));
        }
        guest::interface_addresses(&self.client, &Self::handle(dom).guid)
    }
    fn domain_stats(&self, domains: Option<&[DomainId]>, stats: u32, flags: u32) -> Result<Vec<DomainStats>> {
        stats::get(&self.client, domains, stats, flags)
    }

    fn domain_xml_desc(&self, dom: &DomainId, flags: u32) -> Result<String> {
        xml::read::domain_xml(&self.client, &Self::handle(dom).guid, flags)
    }

    // --- define, devices, snapshots, networks (define.rs, snapshot.rs, network.rs) ---
    fn domain_define_xml(&self, xml: &str, flags: u32) -> Result<DomainId> {
        define::define(&self.client, self.host_name()?, xml, flags)
    }
    fn domain_undefine(&self, dom: &DomainId, flags: u32) -> Result<()> {
        define::undefine(&self.client, &Self::handle(dom).guid, flags)
    }
    fn domain_attach_device(&self, dom: &DomainId, xml: &str, flags: u32) -> Result<()> {
        define::attach_device(&self.client, self.host_name()?, &Self::handle(dom).guid, xml, flags)
    }
    fn domain_detach_device(&self, dom: &DomainId, xml: &str, flags: u32) -> Result<()> {
        define::detach_device(&self.client, &Self::handle(dom).guid, xml, flags)
    }
    fn domain_snapshot_create_xml(&self, dom: &DomainId, xml: &str, flags: u32) -> Result<SnapshotId> {
        snapshot::create(&self.client, dom, xml, flags)
    }
    fn domain_list_snapshots(&self, dom: &DomainId, flags: u32) -> Result<Vec<SnapshotId>> {
        snapshot::list(&self.client, dom, flags)
    }
    fn domain_snapshot_lookup_by_name(&self, dom: &DomainId, name: &str, flags: u32) -> Result<SnapshotId> {
        snapshot::lookup_by_name(&self.client, dom, name, flags)
    }
    fn domain_snapshot_current(&self, dom: &DomainId, flags: u32) -> Result<Option<SnapshotId>> {
        snapshot::current(&self.client, dom, flags)
    }
    fn snapshot_xml_desc(&self, snap: &SnapshotId, flags: u32) -> Result<String> {
        snapshot::xml_desc(&self.client, snap, flags)
    }
    fn snapshot_parent(&self, snap: &SnapshotId, flags: u32) -> Result<Option<SnapshotId>> {
        snapshot::parent(&self.client, snap, flags)
    }
    fn snapshot_revert(&self, snap: &SnapshotId, flags: u32) -> Result<()> {
        snapshot::revert(&self.client, snap, flags)
    }
    fn snapshot_delete(&self, snap: &SnapshotId, flags: u32) -> Result<()> {
        snapshot::delete(&self.client, snap, flags)
    }
    fn list_all_networks(&self, flags: u32) -> Result<Vec<NetworkId>> {
        network::list_all(&self.client, flags)
    }
    fn network_lookup_by_name(&self, name: &str) -> Result<NetworkId> {
        network::lookup_by_name(&self.client, name)
    }
    fn network_lookup_by_uuid(&self, uuid: &[u8; 16]) -> Result<NetworkId> {
        network::lookup_by_uuid(&self.client, uuid)
    }
    fn network_xml_desc(&self, net: &NetworkId, flags: u32) -> Result<String> {
        network::xml_desc(&self.client, net, flags)
    }
    fn network_is_active(&self, _net: &NetworkId) -> Result<bool> {
        Ok(true)
    }
    fn network_is_persistent(&self, _net: &NetworkId) -> Result<bool> {
        Ok(true)
    }
    fn network_get_autostart(&self, _net: &NetworkId) -> Result<bool> {
        Ok(true)
    }
}
