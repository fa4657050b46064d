//! Hyper-V virtual switches as libvirt networks (libvirt's Hyper-V network driver,
//! driver.md §1.7): name = the switch's friendly name (ElementName), UUID = its
//! Name (a GUID). Switches are always active, persistent and autostarted.

use super::wsman::classes::{wql_quote, VIRTUALIZATION_V2};
use super::wsman::{Client, Instance};
use crate::abi::network::*;
use crate::abi::virterror::*;
use crate::core::{Error, Result};
use crate::driver::{check_flags, NetworkId};
use crate::uuid::{format_uuid, parse_uuid};

fn switches(client: &Client, condition: Option<String>) -> Result<Vec<NetworkId>> {
    let mut query = "SELECT Name, ElementName FROM Msvm_VirtualEthernetSwitch".to_owned();
    if let Some(condition) = condition {
        query = format!("{query} WHERE {condition}");
    }
    client.enumerate_wql(VIRTUALIZATION_V2, &query)?.iter().map(identity).collect()
}

fn identity(switch: &Instance) -> Result<NetworkId> {
    let guid: String = switch.require("Name")?;
    let uuid = parse_uuid(&guid)
        .ok_or_else(|| Error::internal(VIR_FROM_HYPERV, format!("virtual switch Name '{guid}' is not a GUID")))?;
    Ok(NetworkId::new(&switch.require::<String>("ElementName")?, uuid))
}

/// virConnectListAllNetworks: one query; the filters that no switch can match
/// (inactive, transient, not autostarted) answer an empty list without asking.
pub fn list_all(client: &Client, flags: u32) -> Result<Vec<NetworkId>> {
    let allowed = VIR_CONNECT_LIST_NETWORKS_ACTIVE
        | VIR_CONNECT_LIST_NETWORKS_INACTIVE
        | VIR_CONNECT_LIST_NETWORKS_PERSISTENT
        | VIR_CONNECT_LIST_NETWORKS_TRANSIENT
        | VIR_CONNECT_LIST_NETWORKS_AUTOSTART
        | VIR_CONNECT_LIST_NETWORKS_NO_AUTOSTART;
    check_flags(VIR_FROM_NETWORK, "hypervConnectListAllNetworks", flags, allowed as u32)?;
    let only = |set: i32, unset: i32| flags & set as u32 != 0 && flags & unset as u32 == 0;
    if only(VIR_CONNECT_LIST_NETWORKS_INACTIVE, VIR_CONNECT_LIST_NETWORKS_ACTIVE)
        || only(VIR_CONNECT_LIST_NETWORKS_TRANSIENT, VIR_CONNECT_LIST_NETWORKS_PERSISTENT)
        || only(VIR_CONNECT_LIST_NETWORKS_NO_AUTOSTART, VIR_CONNECT_LIST_NETWORKS_AUTOSTART)
    {
        return Ok(Vec::new());
    }
    switches(client, None)
}

fn not_found(property: &str, value: &str) -> Error {
    Error::with_detail(
        VIR_ERR_NO_NETWORK,
        VIR_FROM_HYPERV,
        format!("No network found with property '{property}' = '{value}'"),
    )
}

pub fn lookup_by_name(client: &Client, name: &str) -> Result<NetworkId> {
    let found = switches(client, Some(format!("ElementName = {}", wql_quote(name))))?;
    found.into_iter().next().ok_or_else(|| not_found("ElementName", name))
}

pub fn lookup_by_uuid(client: &Client, uuid: &[u8; 16]) -> Result<NetworkId> {
    let text = format_uuid(uuid);
    let found = switches(client, Some(format!("Name = {}", wql_quote(&text))))?;
    found.into_iter().next().ok_or_else(|| not_found("Name", &text))
}

/// virNetworkGetXMLDesc: name and UUID (a switch has no forward mode libvirt knows).
pub fn xml_desc(client: &Client, net: &NetworkId, flags: u32) -> Result<String> {
    check_flags(VIR_FROM_NETWORK, "hypervNetworkGetXMLDesc", flags, VIR_NETWORK_XML_INACTIVE as u32)?;
    // Looked up again: the switch may be gone or renamed since the handle was made.
    let current = lookup_by_uuid(client, &net.uuid)?;
    let name = current
        .name
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\'', "&apos;")
        .replace('"', "&quot;");
    Ok(format!("<network>\n  <name>{name}</name>\n  <uuid>{}</uuid>\n</network>\n", format_uuid(&current.uuid)))
}
