//! The networks of a test host, with the transitions, errors and events of
//! libvirt 9.0's test driver. As there, a running network keeps its definition
//! when redefined (the new one is never shown), and destroying one does not
//! check that it runs.

use super::network_xml::{self as xml, NetDef};
use crate::abi::network::*;
use crate::abi::virterror::*;
use crate::core::events::Event;
use crate::core::{Error, Result};
use crate::driver::{check_flags, NetworkId};
use crate::uuid::format_uuid;

/// Every VIR_CONNECT_LIST_NETWORKS_* flag.
const LIST_FILTERS_ALL: u32 = 0x3f;

#[derive(Debug, Default)]
pub struct Networks {
    list: Vec<NetworkObj>,
}

#[derive(Debug)]
struct NetworkObj {
    def: NetDef,
    active: bool,
    persistent: bool,
    autostart: bool,
}

impl NetworkObj {
    fn identity(&self) -> NetworkId {
        NetworkId::new(&self.def.name, self.def.uuid)
    }

    fn event(&self, event: i32) -> Event {
        Event::network(self.identity(), event, 0)
    }

    fn matches(&self, flags: u32) -> bool {
        let group = |pairs: &[(i32, bool)]| {
            let asked = pairs.iter().any(|&(flag, _)| flags & flag as u32 != 0);
            !asked || pairs.iter().any(|&(flag, holds)| holds && flags & flag as u32 != 0)
        };
        group(&[(VIR_CONNECT_LIST_NETWORKS_ACTIVE, self.active), (VIR_CONNECT_LIST_NETWORKS_INACTIVE, !self.active)])
            && group(&[
                (VIR_CONNECT_LIST_NETWORKS_PERSISTENT, self.persistent),
                (VIR_CONNECT_LIST_NETWORKS_TRANSIENT, !self.persistent),
            ])
            && group(&[
                (VIR_CONNECT_LIST_NETWORKS_AUTOSTART, self.autostart),
                (VIR_CONNECT_LIST_NETWORKS_NO_AUTOSTART, !self.autostart),
            ])
    }
}

fn no_network(what: &str, value: &str) -> Error {
    Error::with_detail(VIR_ERR_NO_NETWORK, VIR_FROM_TEST, format!("no network with matching {what} '{value}'"))
}

fn failed(detail: String) -> Error {
    Error::with_detail(VIR_ERR_OPERATION_FAILED, VIR_FROM_NETWORK, detail)
}

type Events<T> = Result<(T, Vec<Event>)>;

impl Networks {
    fn by_name(&self, name: &str) -> Result<&NetworkObj> {
        self.list.iter().find(|n| n.def.name == name).ok_or_else(|| no_network("name", name))
    }

    fn by_name_mut(&mut self, name: &str) -> Result<&mut NetworkObj> {
        self.list.iter_mut().find(|n| n.def.name == name).ok_or_else(|| no_network("name", name))
    }

    fn by_uuid(&self, uuid: &[u8; 16]) -> Result<&NetworkObj> {
        self.list.iter().find(|n| &n.def.uuid == uuid).ok_or_else(|| no_network("uuid", &format_uuid(uuid)))
    }

    /// libvirt's virNetworkObjAssignDef: a new network, or a new definition of
    /// the one with this name and UUID. `live` installs it as the running one
    /// (refused when that one runs already).
    fn assign(&mut self, def: NetDef, live: bool) -> Result<&mut NetworkObj> {
        if let Some(i) = self.list.iter().position(|n| n.def.uuid == def.uuid) {
            let obj = &mut self.list[i];
            if obj.def.name != def.name {
                let (name, uuid) = (&obj.def.name, format_uuid(&obj.def.uuid));
                return Err(failed(format!("network '{name}' is already defined with uuid {uuid}")));
            }
            if live && obj.active {
                let detail = format!("network is already active as '{}'", obj.def.name);
                return Err(Error::with_detail(VIR_ERR_OPERATION_INVALID, VIR_FROM_NETWORK, detail));
            }
            if !obj.active {
                obj.def = def;
            }
            return Ok(obj);
        }
        if let Some(obj) = self.list.iter().find(|n| n.def.name == def.name) {
            let (name, uuid) = (&def.name, format_uuid(&obj.def.uuid));
            return Err(failed(format!("network '{name}' already exists with uuid {uuid}")));
        }
        self.list.push(NetworkObj { def, active: false, persistent: false, autostart: false });
        Ok(self.list.last_mut().expect("just pushed"))
    }

    /// A network of a host description: running and persistent.
    pub fn add_loaded(&mut self, def: NetDef) -> Result<()> {
        let obj = self.assign(def, false)?;
        obj.persistent = true;
        obj.active = true;
        Ok(())
    }

    pub fn list_all(&self, flags: u32) -> Result<Vec<NetworkId>> {
        check_flags(VIR_FROM_TEST, "testConnectListAllNetworks", flags, LIST_FILTERS_ALL)?;
        Ok(self.list.iter().filter(|n| n.matches(flags)).map(NetworkObj::identity).collect())
    }

    pub fn lookup_by_name(&self, name: &str) -> Result<NetworkId> {
        self.by_name(name).map(NetworkObj::identity)
    }

    pub fn lookup_by_uuid(&self, uuid: &[u8; 16]) -> Result<NetworkId> {
        self.by_uuid(uuid).map(NetworkObj::identity)
    }

    pub fn create_xml(&mut self, text: &str, flags: u32) -> Events<NetworkId> {
        check_flags(VIR_FROM_TEST, "testNetworkCreateXMLFlags", flags, VIR_NETWORK_CREATE_VALIDATE as u32)?;
        let def = xml::parse(text, flags != 0)?;
        let obj = self.assign(def, true)?;
        obj.active = true;
        Ok((obj.identity(), vec![obj.event(VIR_NETWORK_EVENT_STARTED)]))
    }

    pub fn define_xml(&mut self, text: &str, flags: u32) -> Events<NetworkId> {
        check_flags(VIR_FROM_TEST, "testNetworkDefineXMLFlags", flags, VIR_NETWORK_DEFINE_VALIDATE as u32)?;
        let def = xml::parse(text, flags != 0)?;
        let obj = self.assign(def, false)?;
        obj.persistent = true;
        Ok((obj.identity(), vec![obj.event(VIR_NETWORK_EVENT_DEFINED)]))
    }

    pub fn undefine(&mut self, net: &NetworkId) -> Events<()> {
        let obj = self.by_name(&net.name)?;
        if obj.active {
            return Err(Error::operation_invalid(VIR_FROM_TEST, format!("Network '{}' is still running", net.name)));
        }
        let event = obj.event(VIR_NETWORK_EVENT_UNDEFINED);
        self.list.retain(|n| n.def.name != net.name);
        Ok(((), vec![event]))
    }

    pub fn create(&mut self, net: &NetworkId) -> Events<()> {
        let obj = self.by_name_mut(&net.name)?;
        if obj.active {
            return Err(Error::operation_invalid(VIR_FROM_TEST, format!("Network '{}' is already running", net.name)));
        }
        obj.active = true;
        Ok(((), vec![obj.event(VIR_NETWORK_EVENT_STARTED)]))
    }

    /// Stops the network (running or not, as libvirt's test driver does); a
    /// transient one goes.
    pub fn destroy(&mut self, net: &NetworkId) -> Events<()> {
        let obj = self.by_name_mut(&net.name)?;
        obj.active = false;
        let event = obj.event(VIR_NETWORK_EVENT_STOPPED);
        if !obj.persistent {
            self.list.retain(|n| n.def.name != net.name);
        }
        Ok(((), vec![event]))
    }

    pub fn xml_desc(&self, net: &NetworkId, flags: u32) -> Result<String> {
        check_flags(VIR_FROM_TEST, "testNetworkGetXMLDesc", flags, 0)?;
        Ok(self.by_name(&net.name)?.def.format())
    }

    pub fn bridge_name(&self, net: &NetworkId) -> Result<String> {
        let obj = self.by_name(&net.name)?;
        obj.def.bridge.clone().ok_or_else(|| {
            Error::internal(VIR_FROM_TEST, format!("network '{}' does not have a bridge name.", net.name))
        })
    }

    pub fn autostart(&self, net: &NetworkId) -> Result<bool> {
        Ok(self.by_name(&net.name)?.autostart)
    }

    pub fn set_autostart(&mut self, net: &NetworkId, autostart: bool) -> Result<()> {
        self.by_name_mut(&net.name)?.autostart = autostart;
        Ok(())
    }

    pub fn is_active(&self, net: &NetworkId) -> Result<bool> {
        Ok(self.by_uuid(&net.uuid)?.active)
    }

    pub fn is_persistent(&self, net: &NetworkId) -> Result<bool> {
        Ok(self.by_uuid(&net.uuid)?.persistent)
    }

    /// virNetworkUpdate. A change to the persistent definition of a running
    /// network is kept aside by libvirt and never shown, so it is only checked.
    pub fn update(&mut self, net: &NetworkId, command: u32, section: u32, parent: i32, text: &str, flags: u32) -> Result<()> {
        let (live, config) = (VIR_NETWORK_UPDATE_AFFECT_LIVE as u32, VIR_NETWORK_UPDATE_AFFECT_CONFIG as u32);
        check_flags(VIR_FROM_TEST, "testNetworkUpdate", flags, live | config)?;
        let obj = self.by_name_mut(&net.name)?;
        let mut flags = flags;
        if flags & (live | config) == 0 {
            flags |= if obj.active { live } else { config };
        }
        if flags & live != 0 && !obj.active {
            return Err(Error::operation_invalid(VIR_FROM_NETWORK, "network is not running"));
        }
        if flags & config != 0 && !obj.persistent {
            return Err(Error::operation_invalid(VIR_FROM_NETWORK, "cannot change persistent config of a transient network"));
        }
        let mut def = obj.def.clone();
        super::network_update::apply(&mut def, command, section, parent, text)?;
        // libvirt checks the result as it checks a definition it reads.
        let def = xml::parse(&def.format(), false)?;
        // What the running network (or a stopped one's only definition) shows.
        if flags & live != 0 || !obj.active {
            obj.def = def;
        }
        Ok(())
    }
}

/// The network "default" of test:///default.
pub fn default_network() -> NetDef {
    let text = "<network><name>default</name><uuid>dd8fe884-6c02-601e-7551-cca97df1c5df</uuid>\
                <bridge name='virbr0'/><forward/><ip address='192.168.122.1' netmask='255.255.255.0'>\
                <dhcp><range start='192.168.122.2' end='192.168.122.254'/></dhcp></ip></network>";
    xml::parse(text, false).expect("the default network parses")
}

/// The `<network>` elements of a custom host file, inline or by file= reference.
pub fn load(networks: &mut Networks, root: roxmltree::Node, path: &str) -> Result<()> {
    for node in root.children().filter(|n| n.has_tag_name("network")) {
        let def = super::storage::with_referenced(node, path, "network", xml::parse_node)?;
        networks.add_loaded(def)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host() -> Networks {
        let mut nets = Networks::default();
        nets.add_loaded(default_network()).unwrap();
        nets
    }

    #[test]
    fn the_default_network_is_libvirts() {
        let nets = host();
        let id = nets.lookup_by_name("default").unwrap();
        assert_eq!(
            nets.xml_desc(&id, 0).unwrap(),
            "<network>\n  <name>default</name>\n  <uuid>dd8fe884-6c02-601e-7551-cca97df1c5df</uuid>\n  \
             <forward mode='nat'/>\n  <bridge name='virbr0' stp='on' delay='0'/>\n  \
             <ip address='192.168.122.1' netmask='255.255.255.0'>\n    <dhcp>\n      \
             <range start='192.168.122.2' end='192.168.122.254'/>\n    </dhcp>\n  </ip>\n</network>\n"
        );
        assert_eq!(nets.bridge_name(&id).unwrap(), "virbr0");
        assert_eq!(nets.xml_desc(&id, 1).unwrap_err().message, "unsupported flags (0x1) in function testNetworkGetXMLDesc");
    }

    #[test]
    fn transitions_raise_events_and_transient_networks_go_when_stopped() {
        let mut nets = host();
        let (id, events) = nets.create_xml("<network><name>t</name><bridge name='x'/></network>", 0).unwrap();
        assert_eq!(events, vec![Event::network(id.clone(), VIR_NETWORK_EVENT_STARTED, 0)]);
        let err = nets.undefine(&id).unwrap_err();
        assert_eq!(err.message, "Requested operation is not valid: Network 't' is still running");
        nets.destroy(&id).unwrap();
        assert_eq!(nets.is_active(&id).unwrap_err().code, VIR_ERR_NO_NETWORK);
        let dup = nets.define_xml("<network><name>default</name></network>", 0).unwrap_err();
        assert_eq!(
            dup.message,
            "operation failed: network 'default' already exists with uuid dd8fe884-6c02-601e-7551-cca97df1c5df"
        );
    }

    #[test]
    fn list_filters() {
        let mut nets = host();
        nets.define_xml("<network><name>off</name></network>", 0).unwrap();
        let names = |nets: &Networks, f: i32| -> Vec<String> {
            nets.list_all(f as u32).unwrap().into_iter().map(|n| n.name).collect()
        };
        assert_eq!(names(&nets, VIR_CONNECT_LIST_NETWORKS_INACTIVE), ["off"]);
        assert_eq!(names(&nets, VIR_CONNECT_LIST_NETWORKS_ACTIVE | VIR_CONNECT_LIST_NETWORKS_PERSISTENT), ["default"]);
        assert!(names(&nets, VIR_CONNECT_LIST_NETWORKS_TRANSIENT).is_empty());
        assert!(nets.list_all(0x40).is_err());
    }
}
