//! The host interfaces of a test host, with the transactions and errors of
//! libvirt's test driver. libvirt lists them from a hash table in no particular
//! order; ours come in definition order.

use super::interface_xml::{self as xml, IfaceDef};
use crate::abi::interface::*;
use crate::abi::virterror::*;
use crate::core::{Error, Result};
use crate::driver::{check_flags, InterfaceId};

#[derive(Clone, Debug, Default)]
pub struct Interfaces {
    list: Vec<IfaceObj>,
    /// The list as virInterfaceChangeBegin found it, while a transaction runs.
    backup: Option<Vec<IfaceObj>>,
}

#[derive(Clone, Debug)]
struct IfaceObj {
    def: IfaceDef,
    active: bool,
}

impl IfaceObj {
    fn identity(&self) -> InterfaceId {
        InterfaceId::new(&self.def.name, self.def.mac())
    }
}

fn test_error(code: i32, detail: Option<&str>) -> Error {
    Error::new(code, VIR_FROM_TEST, detail)
}

fn no_interface(what: &str, value: &str) -> Error {
    test_error(VIR_ERR_NO_INTERFACE, Some(&format!("no interface with matching {what} '{value}'")))
}

fn no_transaction(detail: &str) -> Error {
    test_error(VIR_ERR_OPERATION_INVALID, Some(detail))
}

impl Interfaces {
    fn by_name(&self, name: &str) -> Result<&IfaceObj> {
        self.list.iter().find(|i| i.def.name == name).ok_or_else(|| no_interface("name", name))
    }

    fn by_name_mut(&mut self, name: &str) -> Result<&mut IfaceObj> {
        self.list.iter_mut().find(|i| i.def.name == name).ok_or_else(|| no_interface("name", name))
    }

    /// libvirt's virInterfaceObjListAssignDef: a new, inactive interface, or a new
    /// definition for the one of that name.
    fn assign(&mut self, def: IfaceDef) -> &mut IfaceObj {
        match self.list.iter().position(|i| i.def.name == def.name) {
            Some(at) => {
                self.list[at].def = def;
                &mut self.list[at]
            }
            None => {
                self.list.push(IfaceObj { def, active: false });
                self.list.last_mut().expect("just pushed")
            }
        }
    }

    /// An interface of a host description (default host, custom file): active.
    pub fn add_loaded(&mut self, def: IfaceDef) {
        self.assign(def).active = true;
    }

    pub fn count(&self, active: bool) -> usize {
        self.list.iter().filter(|i| i.active == active).count()
    }

    pub fn names(&self, active: bool, max: usize) -> Vec<String> {
        self.list.iter().filter(|i| i.active == active).take(max).map(|i| i.def.name.clone()).collect()
    }

    pub fn list_all(&self, flags: u32) -> Result<(Vec<InterfaceId>, usize)> {
        let filters = (VIR_CONNECT_LIST_INTERFACES_ACTIVE | VIR_CONNECT_LIST_INTERFACES_INACTIVE) as u32;
        check_flags(VIR_FROM_TEST, "testConnectListAllInterfaces", flags, filters)?;
        let wanted = |active: bool| {
            flags & filters == 0
                || (active && flags & VIR_CONNECT_LIST_INTERFACES_ACTIVE as u32 != 0)
                || (!active && flags & VIR_CONNECT_LIST_INTERFACES_INACTIVE as u32 != 0)
        };
        let found = self.list.iter().filter(|i| wanted(i.active)).map(IfaceObj::identity).collect();
        Ok((found, self.list.len()))
    }

    pub fn lookup_by_name(&self, name: &str) -> Result<InterfaceId> {
        self.by_name(name).map(IfaceObj::identity)
    }

    /// The one interface with this MAC address (compared without case); the
    /// handle records the address as asked.
    pub fn lookup_by_mac(&self, mac: &str) -> Result<InterfaceId> {
        let mut found = self.list.iter().filter(|i| i.def.mac().is_some_and(|m| m.eq_ignore_ascii_case(mac)));
        match (found.next(), found.next()) {
            (None, _) => Err(no_interface("mac", mac)),
            (Some(_), Some(_)) => Err(test_error(VIR_ERR_MULTIPLE_INTERFACES, None)),
            (Some(one), None) => Ok(InterfaceId::new(&one.def.name, Some(mac))),
        }
    }

    pub fn xml_desc(&self, iface: &InterfaceId, flags: u32) -> Result<String> {
        check_flags(VIR_FROM_TEST, "testInterfaceGetXMLDesc", flags, 0)?;
        Ok(xml::format(&self.by_name(&iface.name)?.def))
    }

    pub fn define_xml(&mut self, text: &str, flags: u32) -> Result<InterfaceId> {
        check_flags(VIR_FROM_TEST, "testInterfaceDefineXML", flags, VIR_INTERFACE_DEFINE_VALIDATE as u32)?;
        let def = xml::parse(text, "(interface_definition)")?;
        Ok(self.assign(def).identity())
    }

    /// As in libvirt, an active interface may go too.
    pub fn undefine(&mut self, iface: &InterfaceId) -> Result<()> {
        self.by_name(&iface.name)?;
        self.list.retain(|i| i.def.name != iface.name);
        Ok(())
    }

    pub fn create(&mut self, iface: &InterfaceId, flags: u32) -> Result<()> {
        check_flags(VIR_FROM_TEST, "testInterfaceCreate", flags, 0)?;
        self.set_active(iface, true)
    }

    pub fn destroy(&mut self, iface: &InterfaceId, flags: u32) -> Result<()> {
        check_flags(VIR_FROM_TEST, "testInterfaceDestroy", flags, 0)?;
        self.set_active(iface, false)
    }

    fn set_active(&mut self, iface: &InterfaceId, active: bool) -> Result<()> {
        let obj = self.by_name_mut(&iface.name)?;
        if obj.active == active {
            return Err(test_error(VIR_ERR_OPERATION_INVALID, None));
        }
        obj.active = active;
        Ok(())
    }

    pub fn is_active(&self, iface: &InterfaceId) -> Result<bool> {
        self.by_name(&iface.name).map(|i| i.active)
    }

    pub fn change_begin(&mut self, flags: u32) -> Result<()> {
        check_flags(VIR_FROM_TEST, "testInterfaceChangeBegin", flags, 0)?;
        if self.backup.is_some() {
            return Err(no_transaction("there is another transaction running."));
        }
        // libvirt copies the definitions only: the copies are inactive.
        let copy = self.list.iter().map(|i| IfaceObj { def: i.def.clone(), active: false }).collect();
        self.backup = Some(copy);
        Ok(())
    }

    pub fn change_commit(&mut self, flags: u32) -> Result<()> {
        check_flags(VIR_FROM_TEST, "testInterfaceChangeCommit", flags, 0)?;
        self.backup.take().map(drop).ok_or_else(|| no_transaction("no transaction running, nothing to be committed."))
    }

    pub fn change_rollback(&mut self, flags: u32) -> Result<()> {
        check_flags(VIR_FROM_TEST, "testInterfaceChangeRollback", flags, 0)?;
        self.list = self.backup.take().ok_or_else(|| no_transaction("no transaction running, nothing to rollback."))?;
        Ok(())
    }
}

/// The interface "eth1" of test:///default.
pub fn default_interface() -> IfaceDef {
    let text = "<interface type='ethernet' name='eth1'><start mode='onboot'/><mac address='aa:bb:cc:dd:ee:ff'/>\
                <mtu size='1492'/><protocol family='ipv4'><ip address='192.168.0.5' prefix='24'/>\
                <route gateway='192.168.0.1'/></protocol></interface>";
    xml::parse(text, "(test driver)").expect("the default interface parses")
}

/// The `<interface>` elements of a custom host file, inline or by `file=`.
pub fn load(ifaces: &mut Interfaces, root: roxmltree::Node, path: &str) -> Result<()> {
    for node in root.children().filter(|n| n.has_tag_name("interface")) {
        let def = super::storage::with_referenced(node, path, "interface", xml::parse_node)?;
        ifaces.add_loaded(def);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host() -> Interfaces {
        let mut ifaces = Interfaces::default();
        ifaces.add_loaded(default_interface());
        ifaces
    }

    fn eth1() -> InterfaceId {
        InterfaceId::new("eth1", Some("aa:bb:cc:dd:ee:ff"))
    }

    #[test]
    fn the_default_interface_is_libvirts() {
        let ifaces = host();
        assert_eq!(
            ifaces.xml_desc(&eth1(), 0).unwrap(),
            "<interface type='ethernet' name='eth1'>\n  <start mode='onboot'/>\n  <mtu size='1492'/>\n  \
             <protocol family='ipv4'>\n    <ip address='192.168.0.5' prefix='24'/>\n    \
             <route gateway='192.168.0.1'/>\n  </protocol>\n  <mac address='aa:bb:cc:dd:ee:ff'/>\n</interface>\n"
        );
        assert_eq!(ifaces.names(true, 5), ["eth1"]);
        assert_eq!(
            ifaces.xml_desc(&eth1(), 1).unwrap_err().message,
            "unsupported flags (0x1) in function testInterfaceGetXMLDesc"
        );
    }

    #[test]
    fn mac_lookups_ignore_case_and_refuse_duplicates() {
        let mut ifaces = host();
        assert_eq!(ifaces.lookup_by_mac("AA:bb:cc:dd:ee:ff").unwrap().mac, "AA:bb:cc:dd:ee:ff");
        let err = ifaces.lookup_by_mac("00:11:22:33:44:55").unwrap_err();
        assert_eq!(err.message, "Interface not found: no interface with matching mac '00:11:22:33:44:55'");
        ifaces.define_xml("<interface type='ethernet' name='eth3'><mac address='AA:BB:CC:DD:EE:FF'/></interface>", 0).unwrap();
        let err = ifaces.lookup_by_mac("aa:bb:cc:dd:ee:ff").unwrap_err();
        assert_eq!((err.code, err.message.as_str()), (VIR_ERR_MULTIPLE_INTERFACES, "multiple matching interfaces found"));
    }

    #[test]
    fn a_rollback_restores_definitions_but_not_states() {
        let mut ifaces = host();
        assert_eq!(ifaces.change_commit(0).unwrap_err().message, "Requested operation is not valid: no transaction running, nothing to be committed.");
        ifaces.change_begin(0).unwrap();
        assert!(ifaces.change_begin(0).is_err());
        ifaces.undefine(&eth1()).unwrap();
        assert_eq!(ifaces.count(true) + ifaces.count(false), 0);
        ifaces.change_rollback(0).unwrap();
        assert_eq!((ifaces.count(true), ifaces.names(false, 9)), (0, vec!["eth1".to_owned()]));
        assert_eq!(ifaces.destroy(&eth1(), 0).unwrap_err().message, "Requested operation is not valid");
        ifaces.create(&eth1(), 0).unwrap();
        assert!(ifaces.is_active(&eth1()).unwrap());
    }

    #[test]
    fn xml_round_trips_as_in_libvirt() {
        let text = "<interface type='bond' name='bond0'><start mode='none'/><protocol family='ipv6'><dhcp peerdns='no'/>\
            <autoconf/><ip address='::1' prefix='0x40'/></protocol><link state='up' speed='100'/>\
            <bond mode='active-backup'><arpmon interval='100' target='192.168.1.1' validate='all'/>\
            <interface type='ethernet' name='eth0'><mac address='ab:bb:cc:dd:ee:ff'/><link state='down'/></interface></bond></interface>";
        assert_eq!(
            xml::format(&xml::parse(text, "x").unwrap()),
            "<interface type='bond' name='bond0'>\n  <start mode='none'/>\n  <protocol family='ipv6'>\n    <autoconf/>\n    \
             <dhcp peerdns='no'/>\n    <ip address='::1' prefix='64'/>\n  </protocol>\n  <link speed='100' state='up'/>\n  \
             <bond mode='active-backup'>\n    <arpmon interval='100' target='192.168.1.1' validate='all'/>\n    \
             <interface type='ethernet' name='eth0'>\n      <link state='down'/>\n      <mac address='ab:bb:cc:dd:ee:ff'/>\n    \
             </interface>\n  </bond>\n</interface>\n"
        );
        let err = xml::parse("<interface type='ethernet'/>", "x").unwrap_err();
        assert_eq!((err.code, err.domain, err.message.as_str()), (VIR_ERR_XML_ERROR, VIR_FROM_INTERFACE, "XML error: interface has no name"));
        let err = xml::parse("junk", "(interface_definition)").unwrap_err();
        assert_eq!((err.code, err.domain), (VIR_ERR_XML_DETAIL, VIR_FROM_INTERFACE));
    }
}
