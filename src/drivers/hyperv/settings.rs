//! A VM's settings: memory, processors and the system settings (autostart), read
//! with property lists (one VM, or every VM in one request) and changed with
//! Msvm_VirtualSystemManagementService.

use std::collections::HashMap;
use std::time::Duration;

use super::vm::{guid_of_instance_id, Vm};
use super::wsman::classes::{self, wql_quote, VIRTUALIZATION_V2};
use super::wsman::{CimType, Client, EmbeddedInstance, Instance, Params};
use crate::abi::virterror::*;
use crate::core::{Error, Result};

/// How long a settings or state change may take before we stop waiting for it.
pub const JOB_TIMEOUT: Duration = Duration::from_secs(300);

const REALIZED: &str = "Microsoft:Hyper-V:System:Realized";
const SNAPSHOT: &str = "Microsoft:Hyper-V:Snapshot:Realized";
/// AutomaticStartupAction values.
const AUTOSTART_ALWAYS: u16 = 4;
const AUTOSTART_NOTHING: u16 = 2;

/// Msvm_MemorySettingData, in MiB.
#[derive(Clone, Debug, Default)]
pub struct Memory {
    pub instance_id: String,
    pub quantity_mib: u64,
    pub limit_mib: u64,
}

/// Msvm_ProcessorSettingData.
#[derive(Clone, Debug, Default)]
pub struct Processor {
    pub instance_id: String,
    pub count: u64,
    pub limit: u64,
    pub reservation: u64,
    pub weight: u32,
}

/// The VM's own instance of a setting class (snapshots' carry the snapshot's GUID).
fn query_setting(client: &Client, class: &str, properties: &str, vm: &Vm) -> Result<Instance> {
    let pattern = wql_quote(&format!("Microsoft:{}\\%", vm.guid));
    let query = format!("SELECT InstanceID, {properties} FROM {class} WHERE InstanceID LIKE {pattern}");
    for instance in client.enumerate_wql(VIRTUALIZATION_V2, &query)? {
        let id: String = instance.require("InstanceID")?;
        if guid_of_instance_id(&id).is_some_and(|g| g.eq_ignore_ascii_case(&vm.guid)) {
            return Ok(instance);
        }
    }
    Err(missing(class, vm))
}

/// A VM's settings are missing when the VM is.
fn missing(what: &str, vm: &Vm) -> Error {
    Error::with_detail(
        VIR_ERR_NO_DOMAIN,
        VIR_FROM_HYPERV,
        format!("No domain with UUID {} ({what} not found)", vm.guid.to_lowercase()),
    )
}

impl Memory {
    fn from_instance(i: &Instance) -> Result<Memory> {
        Ok(Memory {
            instance_id: i.require("InstanceID")?,
            quantity_mib: i.require("VirtualQuantity")?,
            limit_mib: i.require("Limit")?,
        })
    }

    pub fn of(client: &Client, vm: &Vm) -> Result<Memory> {
        Memory::from_instance(&query_setting(client, "Msvm_MemorySettingData", "VirtualQuantity, Limit", vm)?)
    }
}

impl Processor {
    fn from_instance(i: &Instance) -> Result<Processor> {
        Ok(Processor {
            instance_id: i.require("InstanceID")?,
            count: i.require("VirtualQuantity")?,
            limit: i.get("Limit")?.unwrap_or(0),
            reservation: i.get("Reservation")?.unwrap_or(0),
            weight: i.get("Weight")?.unwrap_or(0),
        })
    }

    pub fn of(client: &Client, vm: &Vm) -> Result<Processor> {
        let properties = "VirtualQuantity, Limit, Reservation, Weight";
        Processor::from_instance(&query_setting(client, "Msvm_ProcessorSettingData", properties, vm)?)
    }
}

/// KiB as Hyper-V takes memory: whole MiB, rounded up to an even number (as libvirt).
pub fn kib_to_even_mib(kib: u64) -> u64 {
    let mib = kib.div_ceil(1024);
    mib + mib % 2
}

fn management_service() -> (String, [(&'static str, &'static str); 1]) {
    (
        classes::resource_uri(VIRTUALIZATION_V2, "Msvm_VirtualSystemManagementService"),
        [("CreationClassName", "Msvm_VirtualSystemManagementService")],
    )
}

/// ModifyResourceSettings with one embedded setting.
fn modify_resource(client: &Client, setting: EmbeddedInstance) -> Result<()> {
    let (uri, selectors) = management_service();
    let params = Params::new().instance("ResourceSettings", setting);
    client.invoke_and_wait(&uri, &selectors, "ModifyResourceSettings", &params, JOB_TIMEOUT)?;
    Ok(())
}

/// Sets Memory.VirtualQuantity (`limit` false) or Memory.Limit, from KiB.
pub fn set_memory(client: &Client, vm: &Vm, kib: u64, limit: bool) -> Result<()> {
    let memory = Memory::of(client, vm)?;
    let property = if limit { "Limit" } else { "VirtualQuantity" };
    let setting = EmbeddedInstance::new("Msvm_MemorySettingData")
        .set("InstanceID", CimType::String, memory.instance_id)
        .set(property, CimType::Uint64, kib_to_even_mib(kib).to_string());
    modify_resource(client, setting)
}

pub fn set_vcpus(client: &Client, vm: &Vm, count: u32) -> Result<()> {
    let processor = Processor::of(client, vm)?;
    let setting = EmbeddedInstance::new("Msvm_ProcessorSettingData")
        .set("InstanceID", CimType::String, processor.instance_id)
        .set("VirtualQuantity", CimType::Uint64, count.to_string());
    modify_resource(client, setting)
}

/// What the system settings of every VM say about autostart and snapshots.
#[derive(Clone, Debug, Default)]
pub struct SystemFacts {
    pub autostart: bool,
    pub snapshots: usize,
}

/// For every VM, by upper-case GUID, in one request.
pub fn system_facts(client: &Client) -> Result<HashMap<String, SystemFacts>> {
    let query = "SELECT InstanceID, VirtualSystemIdentifier, VirtualSystemType, AutomaticStartupAction \
                 FROM Msvm_VirtualSystemSettingData";
    let mut facts: HashMap<String, SystemFacts> = HashMap::new();
    for instance in client.enumerate_wql(VIRTUALIZATION_V2, query)? {
        let Some(guid) = instance.get::<String>("VirtualSystemIdentifier")? else { continue };
        let entry = facts.entry(guid.to_uppercase()).or_default();
        match instance.get::<String>("VirtualSystemType")?.as_deref() {
            Some(REALIZED) => entry.autostart = instance.get("AutomaticStartupAction")? == Some(AUTOSTART_ALWAYS),
            Some(SNAPSHOT) => entry.snapshots += 1,
            _ => {}
        }
    }
    Ok(facts)
}

/// The VM's own Msvm_VirtualSystemSettingData: (InstanceID, autostart).
fn system_settings(client: &Client, vm: &Vm) -> Result<(String, bool)> {
    let query = format!(
        "SELECT InstanceID, AutomaticStartupAction FROM Msvm_VirtualSystemSettingData \
         WHERE VirtualSystemIdentifier = {} AND VirtualSystemType = {}",
        wql_quote(&vm.guid),
        wql_quote(REALIZED)
    );
    let found = client.enumerate_wql(VIRTUALIZATION_V2, &query)?;
    let vssd = found.first().ok_or_else(|| missing("system settings", vm))?;
    Ok((vssd.require("InstanceID")?, vssd.get("AutomaticStartupAction")? == Some(AUTOSTART_ALWAYS)))
}

pub fn autostart(client: &Client, vm: &Vm) -> Result<bool> {
    Ok(system_settings(client, vm)?.1)
}

pub fn set_autostart(client: &Client, vm: &Vm, on: bool) -> Result<()> {
    let (instance_id, _) = system_settings(client, vm)?;
    let action = if on { AUTOSTART_ALWAYS } else { AUTOSTART_NOTHING };
    let settings = EmbeddedInstance::new("Msvm_VirtualSystemSettingData")
        .set("InstanceID", CimType::String, instance_id)
        .set("AutomaticStartupAction", CimType::Uint16, action.to_string());
    let (uri, selectors) = management_service();
    let params = Params::new().instance("SystemSettings", settings);
    client.invoke_and_wait(&uri, &selectors, "ModifySystemSettings", &params, JOB_TIMEOUT)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_rounds_up_to_even_mib() {
        assert_eq!(kib_to_even_mib(1024 * 1024), 1024);
        assert_eq!(kib_to_even_mib(1024 * 1024 + 1), 1026);
        assert_eq!(kib_to_even_mib(3 * 1024), 4);
        assert_eq!(kib_to_even_mib(1), 2);
    }
}
