//! Filters of virConnectListAllDomains and the records of virConnectGetAllDomainStats:
//! a constant number of requests whatever the number of VMs (the list, and one
//! GetSummaryInformation for all of them).

use std::collections::HashMap;

use super::settings::{self, SystemFacts};
use super::state;
use super::vm::{self, Vm};
use super::wsman::classes::{self, VIRTUALIZATION_V2};
use super::wsman::{Client, Instance, Params};
use crate::abi::domain::*;
use crate::abi::virterror::*;
use crate::core::typed_params::Value;
use crate::core::{Error, Result};
use crate::driver::{check_flags, DomainId};

fn has(flags: u32, bit: i32) -> bool {
    flags & bit as u32 != 0
}

/// A yes/no filter pair: neither bit (or both) lets everything through.
fn pair(flags: u32, yes: i32, no: i32, value: bool) -> bool {
    let (y, n) = (has(flags, yes), has(flags, no));
    y == n || (y && value) || (n && !value)
}

/// Whether the filter needs each VM's system settings (autostart, snapshots).
pub fn needs_facts(flags: u32) -> bool {
    has(flags, VIR_CONNECT_LIST_DOMAINS_AUTOSTART) != has(flags, VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART)
        || has(flags, VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT) != has(flags, VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT)
}

/// The VIR_CONNECT_LIST_DOMAINS_* filter (also the stats calls' filter bits).
pub fn matches(vm: &Vm, facts: Option<&SystemFacts>, flags: u32) -> bool {
    let state = state::domain_state(vm.state);
    let states = [
        (VIR_CONNECT_LIST_DOMAINS_RUNNING, state == VIR_DOMAIN_RUNNING),
        (VIR_CONNECT_LIST_DOMAINS_PAUSED, state == VIR_DOMAIN_PAUSED),
        (VIR_CONNECT_LIST_DOMAINS_SHUTOFF, state == VIR_DOMAIN_SHUTOFF),
        (VIR_CONNECT_LIST_DOMAINS_OTHER, !matches!(state, VIR_DOMAIN_RUNNING | VIR_DOMAIN_PAUSED | VIR_DOMAIN_SHUTOFF)),
    ];
    let state_ok = !states.iter().any(|(bit, _)| has(flags, *bit)) || states.iter().any(|(bit, v)| has(flags, *bit) && *v);
    let facts = facts.cloned().unwrap_or_default();
    use crate::abi::domain::{
        VIR_CONNECT_LIST_DOMAINS_ACTIVE as ACTIVE, VIR_CONNECT_LIST_DOMAINS_AUTOSTART as AUTOSTART,
        VIR_CONNECT_LIST_DOMAINS_HAS_CHECKPOINT as HAS_CHECKPOINT, VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT as HAS_SNAPSHOT,
        VIR_CONNECT_LIST_DOMAINS_INACTIVE as INACTIVE, VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE as MANAGEDSAVE,
        VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART as NO_AUTOSTART, VIR_CONNECT_LIST_DOMAINS_NO_CHECKPOINT as NO_CHECKPOINT,
        VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE as NO_MANAGEDSAVE, VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT as NO_SNAPSHOT,
        VIR_CONNECT_LIST_DOMAINS_PERSISTENT as PERSISTENT, VIR_CONNECT_LIST_DOMAINS_TRANSIENT as TRANSIENT,
    };
    state_ok
        && pair(flags, ACTIVE, INACTIVE, vm.is_active())
        // Hyper-V VMs are all persistent.
        && pair(flags, PERSISTENT, TRANSIENT, true)
        && pair(flags, MANAGEDSAVE, NO_MANAGEDSAVE, state::is_saved(vm.state))
        && pair(flags, AUTOSTART, NO_AUTOSTART, facts.autostart)
        && pair(flags, HAS_SNAPSHOT, NO_SNAPSHOT, facts.snapshots > 0)
        && pair(flags, HAS_CHECKPOINT, NO_CHECKPOINT, false)
}

/// virConnectListAllDomains: one request, two when autostart or snapshots matter.
pub fn list_all(client: &Client, flags: u32) -> Result<Vec<Vm>> {
    let vms = vm::list(client, None)?;
    let facts = if needs_facts(flags) { Some(settings::system_facts(client)?) } else { None };
    Ok(vms
        .into_iter()
        .filter(|vm| matches(vm, facts.as_ref().and_then(|f| f.get(&vm.guid.to_uppercase())), flags))
        .collect())
}

const SUPPORTED: u32 = (VIR_DOMAIN_STATS_STATE | VIR_DOMAIN_STATS_VCPU | VIR_DOMAIN_STATS_BALLOON) as u32;
const FILTERS: u32 = 0xff;
const MODIFIERS: u32 = (VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT | VIR_CONNECT_GET_ALL_DOMAINS_STATS_BACKING) as u32
    | VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS;
/// GetSummaryInformation's RequestedInformation codes: Name, NumberOfProcessors, MemoryUsage.
const SUMMARY_CODES: [u32; 3] = [0, 4, 103];

pub type Record = (DomainId, Vec<(String, Value)>);

/// virConnectGetAllDomainStats (`domains` None) and virDomainListGetStats.
pub fn get(client: &Client, domains: Option<&[DomainId]>, stats: u32, flags: u32) -> Result<Vec<Record>> {
    let function = if domains.is_some() { "hypervDomainListGetStats" } else { "hypervConnectGetAllDomainStats" };
    let allowed = if domains.is_some() { MODIFIERS } else { MODIFIERS | FILTERS };
    check_flags(VIR_FROM_HYPERV, function, flags, allowed)?;
    let stats = if stats == 0 { SUPPORTED } else { stats };
    if has(flags, VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS as i32) && stats & !SUPPORTED != 0 {
        return Err(Error::with_detail(
            VIR_ERR_ARGUMENT_UNSUPPORTED,
            VIR_FROM_HYPERV,
            format!("Stats types bits 0x{:x} are not supported by this daemon", stats & !SUPPORTED),
        ));
    }
    let all = vm::list(client, None)?;
    let vms: Vec<Vm> = match domains {
        // Domains that have gone are skipped, as libvirt skips them.
        Some(domains) => domains.iter().filter_map(|d| all.iter().find(|vm| vm.uuid == d.uuid).cloned()).collect(),
        None => all.into_iter().filter(|vm| matches(vm, None, flags & FILTERS)).collect(),
    };
    let wants = |bit: i32| stats & bit as u32 != 0;
    let summaries = if vms.is_empty() || !(wants(VIR_DOMAIN_STATS_VCPU) || wants(VIR_DOMAIN_STATS_BALLOON)) {
        HashMap::new()
    } else {
        summaries(client)?
    };
    let mut records = Vec::with_capacity(vms.len());
    for vm in vms {
        let summary = summaries.get(&vm.guid.to_uppercase());
        let number = |name: &str| summary.map(|s| s.get::<u64>(name)).transpose().map(Option::flatten);
        let mut params: Vec<(String, Value)> = Vec::new();
        if wants(VIR_DOMAIN_STATS_STATE) {
            params.push(("state.state".into(), Value::Int(state::domain_state(vm.state))));
            params.push(("state.reason".into(), Value::Int(0)));
        }
        if wants(VIR_DOMAIN_STATS_VCPU) {
            if let Some(count) = number("NumberOfProcessors")? {
                let count = u32::try_from(count).unwrap_or(u32::MAX);
                params.push(("vcpu.current".into(), Value::UInt(count)));
                params.push(("vcpu.maximum".into(), Value::UInt(count)));
            }
        }
        // The memory the running VM holds now, which dynamic memory moves as a
        // balloon would; a VM that is off holds none and reports none.
        if wants(VIR_DOMAIN_STATS_BALLOON) && vm.is_active() {
            if let Some(usage) = number("MemoryUsage")? {
                params.push(("balloon.current".into(), Value::ULLong(usage * 1024)));
            }
        }
        records.push((vm.domain_id(), params));
    }
    Ok(records)
}

/// GetSummaryInformation for every VM (no SettingData: all of them), by
/// upper-case GUID: one request.
fn summaries(client: &Client) -> Result<HashMap<String, Instance>> {
    let mut params = Params::new();
    for code in SUMMARY_CODES {
        params = params.text("RequestedInformation", code.to_string());
    }
    let uri = classes::resource_uri(VIRTUALIZATION_V2, "Msvm_VirtualSystemManagementService");
    let selectors = [("CreationClassName", "Msvm_VirtualSystemManagementService")];
    let output =
        client.invoke_and_wait(&uri, &selectors, "GetSummaryInformation", &params, settings::JOB_TIMEOUT)?;
    let mut found = HashMap::new();
    for summary in output.array::<Instance>("SummaryInformation")? {
        if let Some(name) = summary.get::<String>("Name")? {
            found.insert(name.to_uppercase(), summary);
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vm(state: u16) -> Vm {
        Vm { guid: "G".into(), uuid: [0; 16], name: "n".into(), state, pid: Some(7) }
    }

    #[test]
    fn filters_as_documented() {
        let f = |bits: i32| bits as u32;
        let running = vm(state::RUNNING);
        let saved = vm(state::LEGACY_SAVED);
        assert!(matches(&running, None, 0));
        assert!(matches(&running, None, f(VIR_CONNECT_LIST_DOMAINS_ACTIVE)));
        assert!(!matches(&saved, None, f(VIR_CONNECT_LIST_DOMAINS_ACTIVE)));
        assert!(matches(&saved, None, f(VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE | VIR_CONNECT_LIST_DOMAINS_SHUTOFF)));
        assert!(!matches(&running, None, f(VIR_CONNECT_LIST_DOMAINS_TRANSIENT)));
        assert!(matches(&vm(state::PAUSED), None, f(VIR_CONNECT_LIST_DOMAINS_PAUSED | VIR_CONNECT_LIST_DOMAINS_RUNNING)));
        assert!(matches(&vm(state::SHUTTING_DOWN), None, f(VIR_CONNECT_LIST_DOMAINS_OTHER)));
        let auto = SystemFacts { autostart: true, snapshots: 0 };
        assert!(matches(&running, Some(&auto), f(VIR_CONNECT_LIST_DOMAINS_AUTOSTART)));
        assert!(!matches(&running, None, f(VIR_CONNECT_LIST_DOMAINS_AUTOSTART)));
        assert!(matches(&running, None, f(VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT)));
        assert!(needs_facts(f(VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT)));
        assert!(!needs_facts(f(VIR_CONNECT_LIST_DOMAINS_AUTOSTART | VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART)));
    }
}

/// virDomainGetVcpus as libvirt's driver answers it, from the hypervisor's counters
/// for the VM's virtual processors ("<name>:Hv VP <n>"): a vCPU with a counter runs
/// (its total run time, in 100 ns ticks, as CPU time; no host CPU to name), one
/// without is offline. libvirt asks once per vCPU; one LIKE query answers for all.
pub fn vcpus(client: &Client, name: &str, max: usize) -> Result<Vec<(i32, u64, i32)>> {
    let prefix = format!("{name}:Hv VP ");
    let pattern = prefix.replace('[', "[[]").replace('%', "[%]").replace('_', "[_]");
    let query = format!(
        "SELECT Name, PercentTotalRunTime FROM Win32_PerfRawData_HvStats_HyperVHypervisorVirtualProcessor WHERE Name LIKE {}",
        classes::wql_quote(&format!("{pattern}%"))
    );
    let counters = client.enumerate_wql(classes::CIMV2, &query)?;
    let mut found = vec![None; max];
    for counter in &counters {
        let Some(n) = counter.get::<String>("Name")?.and_then(|c| c.strip_prefix(&prefix)?.parse::<usize>().ok()) else {
            continue;
        };
        if n < max {
            found[n] = Some(counter.get::<u64>("PercentTotalRunTime")?.unwrap_or(0));
        }
    }
    Ok(found
        .into_iter()
        .map(|ticks| match ticks {
            Some(t) => (VIR_VCPU_RUNNING as i32, t.saturating_mul(100), VIR_VCPU_INFO_CPU_UNAVAILABLE as i32),
            None => (VIR_VCPU_OFFLINE as i32, 0, VIR_VCPU_INFO_CPU_OFFLINE as i32),
        })
        .collect())
}
