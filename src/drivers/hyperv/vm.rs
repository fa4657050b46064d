//! Virtual machines as Msvm_ComputerSystem instances: one WQL query with a property
//! list answers for every VM, one Get (keys built from the UUID) for one VM.

use super::state;
use super::wsman::classes::{self, wql_quote};
use super::wsman::{Client, Instance};
use crate::abi::virterror::*;
use crate::core::{Error, Result};
use crate::driver::DomainId;
use crate::uuid::{format_uuid, parse_uuid};

const CS: &str = "Msvm_ComputerSystem";
/// What a VM's identity and state need; libvirt asks for all ~50 properties.
const PROPERTIES: &str = "Name, ElementName, EnabledState, ProcessID";

/// A VM as one Msvm_ComputerSystem instance showed it.
#[derive(Clone, Debug)]
pub struct Vm {
    /// The Name GUID, as the host writes it (the domain UUID).
    pub guid: String,
    pub uuid: [u8; 16],
    pub name: String,
    pub state: u16,
    pub pid: Option<u32>,
}

impl Vm {
    fn from_instance(instance: &Instance) -> Result<Vm> {
        let guid: String = instance.require("Name")?;
        let uuid = parse_uuid(&guid).ok_or_else(|| {
            Error::internal(VIR_FROM_HYPERV, format!("Could not parse UUID from string '{guid}'"))
        })?;
        Ok(Vm {
            uuid,
            name: instance.require("ElementName")?,
            state: instance.get("EnabledState")?.unwrap_or(state::UNKNOWN),
            pid: instance.get("ProcessID")?,
            guid,
        })
    }

    pub fn is_active(&self) -> bool {
        state::is_active(self.state)
    }

    /// libvirt's domain id: the worker's ProcessID while active, else -1.
    pub fn id(&self) -> i32 {
        match (self.is_active(), self.pid) {
            (true, Some(pid)) => i32::try_from(pid).unwrap_or(-1),
            _ => -1,
        }
    }

    pub fn domain_id(&self) -> DomainId {
        DomainId::new(&self.name, self.uuid, self.id())
    }

    /// The selectors of this VM's Msvm_ComputerSystem.
    pub fn selectors(&self) -> [(&str, &str); 2] {
        [("CreationClassName", CS), ("Name", &self.guid)]
    }
}

pub fn resource_uri() -> String {
    classes::resource_uri(classes::VIRTUALIZATION_V2, CS)
}

/// The VMs (not the host) matching `condition`, in one request.
pub fn list(client: &Client, condition: Option<&str>) -> Result<Vec<Vm>> {
    let mut query = format!("SELECT {PROPERTIES} FROM {CS} WHERE Name != __SERVER");
    if let Some(condition) = condition {
        query = format!("{query} AND {condition}");
    }
    client
        .enumerate_wql(classes::VIRTUALIZATION_V2, &query)?
        .iter()
        .map(Vm::from_instance)
        .collect()
}

/// The VM with this UUID, by a Get on its keys (one request).
pub fn get(client: &Client, uuid: &[u8; 16]) -> Result<Vm> {
    let guid = format_uuid(uuid).to_uppercase();
    let found = client.get_opt(&resource_uri(), &[("CreationClassName", CS), ("Name", &guid)])?;
    match found {
        Some(instance) => Vm::from_instance(&instance),
        None => Err(Error::with_detail(
            VIR_ERR_NO_DOMAIN,
            VIR_FROM_HYPERV,
            format!("No domain with UUID {}", format_uuid(uuid)),
        )),
    }
}

pub fn by_name(client: &Client, name: &str) -> Result<Vm> {
    let mut found = list(client, Some(&format!("ElementName = {}", wql_quote(name))))?;
    match found.len() {
        0 => Err(Error::with_detail(VIR_ERR_NO_DOMAIN, VIR_FROM_HYPERV, format!("No domain with name {name}"))),
        1 => Ok(found.remove(0)),
        _ => Err(Error::with_detail(
            VIR_ERR_MULTIPLE_DOMAINS,
            VIR_FROM_HYPERV,
            format!("Name '{name}' is used by {} domains, repeat the request using a UUID", found.len()),
        )),
    }
}

pub fn by_id(client: &Client, id: i32) -> Result<Vm> {
    let found = list(client, Some(&format!("ProcessID = {id}")))?;
    found
        .into_iter()
        .find(Vm::is_active)
        .ok_or_else(|| Error::with_detail(VIR_ERR_NO_DOMAIN, VIR_FROM_HYPERV, format!("No domain with ID {id}")))
}

/// The GUID part of a setting's InstanceID ("Microsoft:<GUID>\..."), upper-cased.
pub fn guid_of_instance_id(instance_id: &str) -> Option<String> {
    let rest = instance_id.strip_prefix("Microsoft:")?;
    let guid = rest.split('\\').next()?;
    parse_uuid(guid).map(|_| guid.to_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn setting_ids_name_their_vm() {
        assert_eq!(
            guid_of_instance_id("Microsoft:5e1f9a8c-3f1b-4c2f-9a77-0a1b2c3d4e5f\\4764334d-e001-4176-82ee-5594ec9b530e"),
            Some("5E1F9A8C-3F1B-4C2F-9A77-0A1B2C3D4E5F".to_owned())
        );
        assert_eq!(guid_of_instance_id("Microsoft:Definition\\x\\Maximum"), None);
        assert_eq!(guid_of_instance_id("Other:5e1f9a8c-3f1b-4c2f-9a77-0a1b2c3d4e5f"), None);
    }
}
