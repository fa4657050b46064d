//! The Hyper-V driver: Windows Hyper-V over WS-Management (WinRM).

pub mod define;
pub mod network;
pub mod snapshot;
pub mod wsman;
pub mod xml;

// TEMPORARY (branch h12): a minimal driver so the XML, define, snapshot and
// network code can be tested end to end before H11's driver core lands. The lead
// keeps H11's driver at merge and moves the hyperv-additions methods over.
use crate::abi::virterror::*;
use crate::auth::Credentials;
use crate::core::{Error, Result};
use crate::driver::{Driver, DomainId, NetworkId, SnapshotId};
use crate::uri::Uri;
use crate::uuid::{format_uuid, parse_uuid};
use wsman::classes::{wql_quote, CIMV2, VIRTUALIZATION_V2};
use wsman::{Client, Config};

pub struct TemporaryDriver {
    client: Client,
    host: String,
}

pub fn open(uri: &Uri, credentials: &Credentials) -> Result<Box<dyn Driver>> {
    let host = uri.server.clone().ok_or_else(|| Error::invalid_arg(VIR_FROM_HYPERV, "Server name is required"))?;
    let https = uri.param("transport").is_none_or(|t| t.eq_ignore_ascii_case("https"));
    let port = if uri.port != 0 { uri.port } else if https { 5986 } else { 5985 };
    let user = match &uri.user {
        Some(user) => user.clone(),
        None => credentials.username("hyperv", &host, Some("administrator"))?,
    };
    let password = credentials.password("hyperv", &user, &host)?;
    let mut config = Config::new(&host, port, https, &user, password);
    config.cacert = uri.param("cacert").map(Into::into);
    config.no_verify = uri.param("no_verify").is_some_and(|v| v == "1");
    let client = Client::new(&config)?;
    let found = client.enumerate_wql(CIMV2, "SELECT Name FROM Win32_ComputerSystem")?;
    let host = found
        .first()
        .ok_or_else(|| Error::internal(VIR_FROM_HYPERV, "no Win32_ComputerSystem"))?
        .require("Name")?;
    Ok(Box::new(TemporaryDriver { client, host }))
}

fn guid(dom: &DomainId) -> String {
    format_uuid(&dom.uuid).to_ascii_uppercase()
}

impl TemporaryDriver {
    fn domains(&self, condition: &str) -> Result<Vec<DomainId>> {
        let query = format!(
            "SELECT Name, ElementName, ProcessID FROM Msvm_ComputerSystem WHERE Name != __SERVER AND {condition}"
        );
        self.client
            .enumerate_wql(VIRTUALIZATION_V2, &query)?
            .iter()
            .map(|cs| {
                let name: String = cs.require("ElementName")?;
                let uuid = parse_uuid(&cs.require::<String>("Name")?).unwrap_or_default();
                Ok(DomainId::new(&name, uuid, cs.get::<u32>("ProcessID")?.map_or(-1, |p| p as i32)))
            })
            .collect()
    }

    fn state_change(&self, dom: &DomainId, state: &str) -> Result<()> {
        let epr = define::vm_epr(&guid(dom));
        let selectors: Vec<(&str, &str)> = epr.selectors.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let params = wsman::Params::new().text("RequestedState", state);
        self.client
            .invoke_and_wait(&epr.resource_uri, &selectors, "RequestStateChange", &params, define::JOB_TIMEOUT)
            .map(drop)
    }
}

impl Driver for TemporaryDriver {
    fn name(&self) -> &'static str {
        "Hyper-V"
    }
    fn domain_lookup_by_name(&self, name: &str) -> Result<DomainId> {
        let found = self.domains(&format!("ElementName = {}", wql_quote(name)))?;
        found.into_iter().next().ok_or_else(|| {
            Error::with_detail(VIR_ERR_NO_DOMAIN, VIR_FROM_HYPERV, format!("No domain with name {name}"))
        })
    }
    fn domain_lookup_by_uuid(&self, uuid: &[u8; 16]) -> Result<DomainId> {
        let text = format_uuid(uuid).to_ascii_uppercase();
        let found = self.domains(&format!("Name = {}", wql_quote(&text)))?;
        found.into_iter().next().ok_or_else(|| xml::read::no_domain(&text))
    }
    fn domain_state(&self, dom: &DomainId, _flags: u32) -> Result<(i32, i32)> {
        let found = self.domains(&format!("Name = {} AND EnabledState = 2", wql_quote(&guid(dom))))?;
        // TEMPORARY: running or shut off is all the tests need.
        Ok((if found.is_empty() { 5 } else { 1 }, 0))
    }
    fn domain_xml_desc(&self, dom: &DomainId, flags: u32) -> Result<String> {
        xml::read::domain_xml(&self.client, &guid(dom), flags)
    }
    fn domain_create(&self, dom: &DomainId, _flags: u32) -> Result<()> {
        self.state_change(dom, "2")
    }
    fn domain_destroy(&self, dom: &DomainId, _flags: u32) -> Result<()> {
        self.state_change(dom, "3")
    }

    // --- hyperv additions (H12: keep these in the real driver) ---
    fn domain_define_xml(&self, xml: &str, flags: u32) -> Result<DomainId> {
        define::define(&self.client, &self.host, xml, flags)
    }
    fn domain_undefine(&self, dom: &DomainId, flags: u32) -> Result<()> {
        define::undefine(&self.client, &guid(dom), flags)
    }
    fn domain_attach_device(&self, dom: &DomainId, xml: &str, flags: u32) -> Result<()> {
        define::attach_device(&self.client, &self.host, &guid(dom), xml, flags)
    }
    fn domain_detach_device(&self, dom: &DomainId, xml: &str, flags: u32) -> Result<()> {
        define::detach_device(&self.client, &guid(dom), xml, flags)
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
