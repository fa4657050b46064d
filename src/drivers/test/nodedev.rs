//! The node devices of a test host, with libvirt's test-driver behaviour: new
//! devices are NPIV vHBAs made as copies of "scsi_host11" named "scsi_host12".
//! libvirt lists them from a hash table in no particular order; ours come in
//! definition order.

use super::nodedev_xml::{self as xml, DeviceDef, Purpose, CAP_TYPES};
use crate::abi::nodedev::*;
use crate::abi::virterror::*;
use crate::core::events::Event;
use crate::core::{Error, Result};
use crate::driver::{check_flags, NodeDeviceId};

#[derive(Debug, Default)]
pub struct NodeDevices {
    list: Vec<DeviceDef>,
}

/// Every VIR_CONNECT_LIST_NODE_DEVICES_CAP_* bit (the capability types).
const CAP_FILTERS: u32 = (1 << CAP_TYPES.len()) - 1;

fn no_device(name: &str) -> Error {
    Error::with_detail(VIR_ERR_NO_NODE_DEVICE, VIR_FROM_TEST, format!("no node device with matching name '{name}'"))
}

fn identity(def: &DeviceDef) -> NodeDeviceId {
    NodeDeviceId::new(&def.name, def.parent.as_deref())
}

impl NodeDevices {
    fn by_name(&self, name: &str) -> Result<&DeviceDef> {
        self.list.iter().find(|d| d.name == name).ok_or_else(|| no_device(name))
    }

    /// libvirt's virNodeDeviceObjListAssignDef: replaces a device of the same name.
    pub fn assign(&mut self, def: DeviceDef) {
        match self.list.iter_mut().find(|d| d.name == def.name) {
            Some(slot) => *slot = def,
            None => self.list.push(def),
        }
    }

    /// The devices with capability `cap` (any device without), libvirt's
    /// virNodeDeviceObjListGetNames order.
    fn with_cap<'a>(&'a self, cap: Option<&'a str>) -> impl Iterator<Item = &'a DeviceDef> + 'a {
        let index = cap.map(|c| CAP_TYPES.iter().position(|t| *t == c));
        self.list.iter().filter(move |d| match index {
            None => true,
            Some(None) => false,
            Some(Some(i)) => d.has_cap(i),
        })
    }

    pub fn count(&self, cap: Option<&str>, flags: u32) -> Result<usize> {
        check_flags(VIR_FROM_TEST, "testNodeNumOfDevices", flags, 0)?;
        Ok(self.with_cap(cap).count())
    }

    pub fn names(&self, cap: Option<&str>, max: usize, flags: u32) -> Result<Vec<String>> {
        check_flags(VIR_FROM_TEST, "testNodeListDevices", flags, 0)?;
        Ok(self.with_cap(cap).take(max).map(|d| d.name.clone()).collect())
    }

    pub fn list_all(&self, flags: u32) -> Result<(Vec<NodeDeviceId>, usize)> {
        check_flags(VIR_FROM_TEST, "testConnectListAllNodeDevices", flags, CAP_FILTERS)?;
        let wanted = |d: &&DeviceDef| flags == 0 || (0..CAP_TYPES.len()).any(|i| flags & (1 << i) != 0 && d.has_cap(i));
        let found = self.list.iter().filter(wanted).map(identity).collect();
        Ok((found, self.list.len()))
    }

    pub fn lookup_by_name(&self, name: &str) -> Result<NodeDeviceId> {
        self.by_name(name).map(identity)
    }

    pub fn xml_desc(&self, dev: &NodeDeviceId, flags: u32) -> Result<String> {
        check_flags(VIR_FROM_TEST, "testNodeDeviceGetXMLDesc", flags, 0)?;
        Ok(xml::format(self.by_name(&dev.name)?))
    }

    pub fn parent(&self, dev: &NodeDeviceId) -> Result<String> {
        self.by_name(&dev.name)?.parent.clone().ok_or_else(|| Error::internal(VIR_FROM_TEST, "no parent for this device"))
    }

    pub fn caps(&self, dev: &NodeDeviceId) -> Result<Vec<String>> {
        Ok(self.by_name(&dev.name)?.caps.iter().map(|c| c.type_name().to_owned()).collect())
    }

    /// The host a new vHBA goes on, checked as libvirt's
    /// virNodeDeviceObjListGetParentHost does (its number is not needed here).
    fn check_parent(&self, def: &DeviceDef) -> Result<()> {
        let vport_capable = |d: &&DeviceDef| d.has_cap(10);
        let found = if let Some(parent) = &def.parent {
            let found = self.list.iter().find(|d| &d.name == parent);
            if let Some(dev) = found {
                if !vport_capable(&dev) {
                    let detail = format!("Parent device {parent} is not capable of vport operations");
                    return Err(Error::internal(VIR_FROM_NODEDEV, detail));
                }
            }
            found
        } else if let (Some(wwnn), Some(wwpn)) = (&def.parent_wwnn, &def.parent_wwpn) {
            self.list.iter().filter(vport_capable).find(|d| {
                matches!(d.scsi_host(), Some(h) if matches!(&h.fc, Some((n, p, _)) if n.eq_ignore_ascii_case(wwnn) && p.eq_ignore_ascii_case(wwpn)))
            })
        } else if let Some(fabric) = &def.parent_fabric_wwn {
            self.list.iter().filter(vport_capable).find(|d| {
                matches!(d.scsi_host(), Some(h) if matches!(&h.fc, Some((_, _, Some(f))) if f.eq_ignore_ascii_case(fabric)))
            })
        } else {
            let any = self.list.iter().find(vport_capable);
            return any.map(drop).ok_or_else(|| Error::internal(VIR_FROM_NODEDEV, "Could not find any vport capable device"));
        };
        found.map(drop).ok_or_else(|| {
            Error::internal(VIR_FROM_NODEDEV, format!("Could not find parent device for '{}'", def.name))
        })
    }

    /// virNodeDeviceCreateXML: a vHBA, "scsi_host12" with the new WWNs; the
    /// handle records the parent the XML named.
    pub fn create_xml(&mut self, text: &str, flags: u32) -> Result<(NodeDeviceId, Vec<Event>)> {
        check_flags(VIR_FROM_TEST, "testNodeDeviceCreateXML", flags, 0)?;
        let def = xml::parse(text, "(node_device_definition)", Purpose::Create)?;
        let (wwnn, wwpn) = def.wwns()?;
        self.check_parent(&def)?;
        // libvirt's mock fails without a word when its model device is gone.
        let mut made = self.by_name("scsi_host11").map_err(|_| Error::unknown())?.clone();
        made.name = "scsi_host12".into();
        if let Some(host) = made.scsi_host_mut() {
            match &mut host.fc {
                Some(fc) => (fc.0, fc.1) = (wwnn, wwpn),
                None => {
                    host.host += 1;
                    host.unique_id += 1;
                }
            }
        }
        self.assign(made);
        let event = Event::node_device_lifecycle("scsi_host12", VIR_NODE_DEVICE_EVENT_CREATED, 0);
        Ok((NodeDeviceId::new("scsi_host12", def.parent.as_deref()), vec![event]))
    }

    /// virNodeDeviceDestroy. As in libvirt's test driver, a device that is no
    /// vHBA, or whose parent is gone, stays, and the call reports the error but
    /// succeeds: the error comes back as Ok(Some).
    pub fn destroy(&mut self, dev: &NodeDeviceId) -> Result<(Option<Error>, Vec<Event>)> {
        let def = self.by_name(&dev.name)?;
        if let Err(e) = def.wwns() {
            return Ok((Some(e), Vec::new()));
        }
        let parent = def.parent.clone().unwrap_or_default();
        if self.by_name(&parent).is_err() {
            let detail = format!("cannot find parent '{parent}' definition");
            return Ok((Some(Error::internal(VIR_FROM_TEST, detail)), Vec::new()));
        }
        self.list.retain(|d| d.name != dev.name);
        Ok((None, vec![Event::node_device_lifecycle(&dev.name, VIR_NODE_DEVICE_EVENT_DELETED, 0)]))
    }
}

/// The devices of test:///default.
pub fn default_devices() -> Vec<DeviceDef> {
    let fc_host = |name: &str, parent: &str, host: u32, unique: u32, wwn: &str, fabric: &str, vports: bool| {
        format!(
            "<device><name>{name}</name><parent>{parent}</parent><capability type='scsi_host'><host>{host}</host>\
             <unique_id>{unique}</unique_id><capability type='fc_host'><wwnn>20000000{wwn}</wwnn>\
             <wwpn>10000000{wwn}</wwpn><fabric_wwn>{fabric}</fabric_wwn></capability>{}</capability></device>",
            if vports { "<capability type='vport_ops'/>" } else { "" }
        )
    };
    let texts = [
        "<device><name>computer</name><capability type='system'><hardware><vendor>Libvirt</vendor>\
         <version>Test driver</version><serial>123456</serial><uuid>11111111-2222-3333-4444-555555555555</uuid>\
         </hardware><firmware><vendor>Libvirt</vendor><version>Test Driver</version>\
         <release_date>01/22/2007</release_date></firmware></capability></device>"
            .to_owned(),
        fc_host("scsi_host1", "computer", 1, 0, "12341234", "2000000043214321", true),
        fc_host("scsi_host2", "computer", 2, 1, "56785678", "2000000087658765", true),
        fc_host("scsi_host11", "scsi_host1", 11, 10, "34563456", "2000000043214321", false),
    ];
    texts.iter().map(|t| xml::parse(t, "(test driver)", Purpose::Existing).expect("the default devices parse")).collect()
}

/// The `<device>` elements of a custom host file, inline or by `file=`.
pub fn load(devices: &mut NodeDevices, root: roxmltree::Node, path: &str) -> Result<()> {
    for node in root.children().filter(|n| n.has_tag_name("device")) {
        let def = super::storage::with_referenced(node, path, "device", |n| xml::parse_node(n, Purpose::Existing))?;
        devices.assign(def);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host() -> NodeDevices {
        let mut devices = NodeDevices::default();
        default_devices().into_iter().for_each(|d| devices.assign(d));
        devices
    }

    const VHBA: &str = "<device><parent>scsi_host1</parent><capability type='scsi_host'><capability type='fc_host'>\
                        <wwnn>2001001b32a9da4e</wwnn><wwpn>2101001b32a9da4e</wwpn></capability></capability></device>";

    #[test]
    fn the_default_devices_are_libvirts() {
        let devices = host();
        assert_eq!(devices.names(Some("vports"), 9, 0).unwrap(), ["scsi_host1", "scsi_host2"]);
        assert_eq!(devices.count(Some("fc_host"), 0).unwrap(), 3);
        assert_eq!(devices.count(Some("bogus"), 0).unwrap(), 0);
        let computer = devices.lookup_by_name("computer").unwrap();
        assert_eq!(devices.parent(&computer).unwrap_err().message, "internal error: no parent for this device");
        assert_eq!(
            devices.xml_desc(&devices.lookup_by_name("scsi_host2").unwrap(), 0).unwrap(),
            "<device>\n  <name>scsi_host2</name>\n  <parent>computer</parent>\n  <capability type='scsi_host'>\n    \
             <host>2</host>\n    <unique_id>1</unique_id>\n    <capability type='fc_host'>\n      <wwnn>2000000056785678</wwnn>\n      \
             <wwpn>1000000056785678</wwpn>\n      <fabric_wwn>2000000087658765</fabric_wwn>\n    </capability>\n    \
             <capability type='vport_ops'>\n      <max_vports>0</max_vports>\n      <vports>0</vports>\n    </capability>\n  \
             </capability>\n</device>\n"
        );
        let names = |flags: u32| devices.list_all(flags).unwrap().0.into_iter().map(|d| d.name).collect::<Vec<_>>();
        assert_eq!(names(1), ["computer"]);
        assert_eq!(names(1 << 10), ["scsi_host1", "scsi_host2"]);
        assert_eq!(devices.list_all(1 << 29).unwrap_err().message, "unsupported flags (0x20000000) in function testConnectListAllNodeDevices");
    }

    #[test]
    fn vhbas_are_copies_of_scsi_host11() {
        let mut devices = host();
        let (made, events) = devices.create_xml(VHBA, 0).unwrap();
        assert_eq!((made.name.as_str(), made.parent.as_deref()), ("scsi_host12", Some("scsi_host1")));
        assert_eq!(events, [Event::node_device_lifecycle("scsi_host12", VIR_NODE_DEVICE_EVENT_CREATED, 0)]);
        let text = devices.xml_desc(&made, 0).unwrap();
        assert!(text.contains("<host>11</host>\n    <unique_id>10</unique_id>") && text.contains("<wwnn>2001001b32a9da4e</wwnn>"), "{text}");
        let err = devices.create_xml(&VHBA.replace("scsi_host1<", "computer<"), 0).unwrap_err();
        assert_eq!(err.message, "internal error: Parent device computer is not capable of vport operations");
        let err = devices.create_xml(&VHBA.replace("scsi_host1<", "nope<"), 0).unwrap_err();
        assert_eq!(err.message, "internal error: Could not find parent device for 'new device'");
        let (warning, events) = devices.destroy(&made).unwrap();
        assert_eq!((warning, events.len()), (None, 1));
        assert_eq!(devices.destroy(&made).unwrap_err().code, VIR_ERR_NO_NODE_DEVICE);
        let computer = devices.lookup_by_name("computer").unwrap();
        let (warning, _) = devices.destroy(&computer).unwrap();
        assert_eq!(warning.unwrap().message, "internal error: Device is not a fibre channel HBA");
        assert!(devices.lookup_by_name("computer").is_ok());
    }

    #[test]
    fn device_xml_is_parsed_as_libvirt_does() {
        let text = "<device><name>net_eth0</name><path>/sys/x</path><parent>computer</parent>\
            <capability type='net'><interface>eth0</interface><address>00:11:22:33:44:55</address>\
            <feature name='tx'/><feature name='rx'/><link state='up' speed='1000'/><capability type='80203'/></capability></device>";
        assert_eq!(
            xml::format(&xml::parse(text, "x", Purpose::Existing).unwrap()),
            "<device>\n  <name>net_eth0</name>\n  <path>/sys/x</path>\n  <parent>computer</parent>\n  <capability type='net'>\n    \
             <interface>eth0</interface>\n    <address>00:11:22:33:44:55</address>\n    <link speed='1000' state='up'/>\n    \
             <feature name='rx'/>\n    <feature name='tx'/>\n    <capability type='80203'/>\n  </capability>\n</device>\n"
        );
        let err = xml::parse("<device><capability type='fc_host'/></device>", "x", Purpose::Create).unwrap_err();
        assert_eq!(err.message, "internal error: unknown capability type '9' for 'new device'");
        let err = xml::parse("<device><capability type='system'/></device>", "x", Purpose::Existing).unwrap_err();
        assert_eq!((err.code, err.message.as_str()), (VIR_ERR_NO_NAME, "missing name information"));
    }
}
