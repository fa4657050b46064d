//! What the guest's integration services report: the addresses of its network
//! adapters (virDomainInterfaceAddresses, source AGENT as libvirt's driver has it).

use super::wsman::classes::{wql_quote, VIRTUALIZATION_V2};
use super::wsman::{Client, Instance};
use super::xml::mac_from_hyperv;
use super::xml::read::{path_key, vm_settings};
use crate::abi::network::{VIR_IP_ADDR_TYPE_IPV4, VIR_IP_ADDR_TYPE_IPV6};
use crate::abi::virterror::*;
use crate::core::{Error, Result};
use crate::driver::GuestInterface;

/// Each connected adapter (named, as libvirt names it, by its switch connection's
/// InstanceID) with its MAC and the addresses the guest reports: the VM's settings
/// (two requests) and every adapter's guest configuration in one query (libvirt: 2
/// per adapter). An adapter whose guest reports nothing has no addresses.
pub fn interface_addresses(client: &Client, vm_guid: &str) -> Result<Vec<GuestInterface>> {
    let settings = vm_settings(client, vm_guid)?;
    let query = format!(
        "SELECT InstanceID, IPAddresses, Subnets FROM Msvm_GuestNetworkAdapterConfiguration WHERE InstanceID LIKE {}",
        wql_quote(&format!("Microsoft:GuestNetwork\\{}\\%", vm_guid.to_ascii_uppercase()))
    );
    let configs = client.enumerate_wql(VIRTUALIZATION_V2, &query)?;
    let mut out = Vec::new();
    for connection in settings.of_class("Msvm_EthernetPortAllocationSettingData") {
        let name: String = connection.require("InstanceID")?;
        let port_id = connection.get::<String>("Parent")?.and_then(|p| path_key(&p, "InstanceID"));
        let port = settings
            .of_class("Msvm_SyntheticEthernetPortSettingData")
            .find(|p| p.get::<String>("InstanceID").ok().flatten() == port_id);
        let mac = port.and_then(|p| p.get::<String>("Address").ok().flatten()).and_then(|a| mac_from_hyperv(&a));
        // The configuration's InstanceID ends with the adapter's own GUID, as the port's does.
        let adapter = port_id.as_deref().and_then(|id| id.rsplit('\\').next()).map(str::to_ascii_uppercase);
        let config = configs.iter().find(|c| {
            let id = c.get::<String>("InstanceID").ok().flatten().unwrap_or_default();
            adapter.as_deref().is_some_and(|a| id.to_ascii_uppercase().ends_with(&format!("\\{a}")))
        });
        let addresses = match config {
            Some(config) => addresses(config)?,
            None => Vec::new(),
        };
        out.push((name, mac, addresses));
    }
    Ok(out)
}

fn addresses(config: &Instance) -> Result<Vec<(i32, String, u32)>> {
    let ips: Vec<String> = config.array("IPAddresses")?;
    let subnets: Vec<String> = config.array("Subnets")?;
    if ips.len() != subnets.len() {
        return Err(Error::internal(
            VIR_FROM_HYPERV,
            format!("the guest reports {} addresses but {} subnets", ips.len(), subnets.len()),
        ));
    }
    ips.into_iter()
        .zip(subnets)
        .map(|(ip, subnet)| {
            let kind = if ip.contains(':') { VIR_IP_ADDR_TYPE_IPV6 } else { VIR_IP_ADDR_TYPE_IPV4 };
            let prefix = prefix(&subnet).ok_or_else(|| {
                Error::internal(VIR_FROM_HYPERV, format!("cannot parse the subnet '{subnet}' of address {ip}"))
            })?;
            Ok((kind, ip, prefix))
        })
        .collect()
}

/// A prefix length from an IPv4 netmask ("255.255.255.0") or a length ("64", "/64").
fn prefix(subnet: &str) -> Option<u32> {
    if let Ok(mask) = subnet.parse::<std::net::Ipv4Addr>() {
        let bits = u32::from(mask);
        return (bits.leading_ones() + bits.trailing_zeros() == 32).then(|| bits.leading_ones());
    }
    subnet.trim_start_matches('/').parse::<u32>().ok().filter(|&p| p <= 128)
}

#[cfg(test)]
mod tests {
    use super::prefix;

    #[test]
    fn subnets_as_prefixes() {
        assert_eq!(prefix("255.255.255.0"), Some(24));
        assert_eq!(prefix("0.0.0.0"), Some(0));
        assert_eq!(prefix("255.0.255.0"), None);
        assert_eq!(prefix("/64"), Some(64));
        assert_eq!(prefix("64"), Some(64));
        assert_eq!(prefix("x"), None);
    }
}
