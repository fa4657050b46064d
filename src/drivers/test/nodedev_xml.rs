//! Node device XML as libvirt 9.0 reads and writes it (node_device_conf.c's
//! model), for the capabilities a test host can hold without sysfs: system,
//! usb_device, usb, net, scsi_host (with fc_host and vport_ops), scsi_target,
//! scsi, storage and drm. Errors carry libvirt's codes and wording.

use super::storage_xml::parse_document;
use crate::abi::virterror::*;
use crate::core::{Error, Result};
use crate::uuid::{format_uuid, parse_uuid};
use crate::xml::tree::escape;
use roxmltree::Node;
use std::fmt::Write;

/// libvirt's virNodeDevCapType names, in its order (the enum values and the
/// VIR_CONNECT_LIST_NODE_DEVICES_CAP_* bits).
pub const CAP_TYPES: &[&str] = &[
    "system", "pci", "usb_device", "usb", "net", "scsi_host", "scsi_target", "scsi", "storage", "fc_host", "vports",
    "scsi_generic", "drm", "mdev_types", "mdev", "ccw", "css", "vdpa", "ap_card", "ap_queue", "ap_matrix", "vpd",
];

const NET_FEATURES: &[&str] =
    &["rx", "tx", "sg", "tso", "gso", "gro", "lro", "rxvlan", "txvlan", "ntuple", "rxhash", "rdma", "txudptnl", "switchdev"];
const DRM_TYPES: &[&str] = &["primary", "control", "render"];
const LINK_STATES: &[&str] = &["", "unknown", "notpresent", "down", "lowerlayerdown", "testing", "dormant", "up"];

/// Whether a definition names an existing device (a host file) or asks for a new
/// one (virNodeDeviceCreateXML), which has no name, host number or unique id.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Existing,
    Create,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceDef {
    pub name: String,
    pub path: Option<String>,
    pub devnode: Option<String>,
    pub devlinks: Vec<String>,
    pub parent: Option<String>,
    pub parent_wwnn: Option<String>,
    pub parent_wwpn: Option<String>,
    pub parent_fabric_wwn: Option<String>,
    pub caps: Vec<Cap>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cap {
    System(System),
    UsbDevice { bus: u64, device: u64, product: (u64, Option<String>), vendor: (u64, Option<String>) },
    Usb { number: u64, class: u64, subclass: u64, protocol: u64, description: Option<String> },
    Net(Net),
    ScsiHost(ScsiHost),
    ScsiTarget { target: String, rport: Option<(String, String)> },
    Scsi { host: u64, bus: u64, target: u64, lun: u64, kind: Option<String> },
    Storage(Storage),
    Drm(usize),
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct System {
    pub product: Option<String>,
    pub hw_vendor: Option<String>,
    pub hw_version: Option<String>,
    pub hw_serial: Option<String>,
    pub uuid: [u8; 16],
    pub fw_vendor: Option<String>,
    pub fw_version: Option<String>,
    pub fw_release_date: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Net {
    pub interface: String,
    pub address: Option<String>,
    pub link_speed: u32,
    pub link_state: usize,
    pub features: Vec<usize>,
    /// 80203 or 80211.
    pub subtype: Option<&'static str>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ScsiHost {
    pub host: u64,
    /// -1: none.
    pub unique_id: i64,
    /// (wwnn, wwpn, fabric_wwn) of an fc_host.
    pub fc: Option<(String, String, Option<String>)>,
    pub vport_ops: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Storage {
    pub block: String,
    pub bus: Option<String>,
    pub drive_type: Option<String>,
    pub model: Option<String>,
    pub vendor: Option<String>,
    pub serial: Option<String>,
    pub hotpluggable: bool,
    /// (media available, media size, media label) of removable storage.
    pub removable: Option<(bool, u64, Option<String>)>,
    pub size: u64,
}

impl Cap {
    pub fn type_index(&self) -> usize {
        match self {
            Cap::System(_) => 0,
            Cap::UsbDevice { .. } => 2,
            Cap::Usb { .. } => 3,
            Cap::Net(_) => 4,
            Cap::ScsiHost(_) => 5,
            Cap::ScsiTarget { .. } => 6,
            Cap::Scsi { .. } => 7,
            Cap::Storage(_) => 8,
            Cap::Drm(_) => 12,
        }
    }

    pub fn type_name(&self) -> &'static str {
        CAP_TYPES[self.type_index()]
    }
}

impl DeviceDef {
    /// Whether the device has the capability `index`, nested fc_host and vports included.
    pub fn has_cap(&self, index: usize) -> bool {
        self.caps.iter().any(|cap| {
            cap.type_index() == index
                || matches!(cap, Cap::ScsiHost(h) if (index == 9 && h.fc.is_some()) || (index == 10 && h.vport_ops))
        })
    }

    pub fn scsi_host(&self) -> Option<&ScsiHost> {
        self.caps.iter().find_map(|cap| match cap {
            Cap::ScsiHost(h) => Some(h),
            _ => None,
        })
    }

    pub fn scsi_host_mut(&mut self) -> Option<&mut ScsiHost> {
        self.caps.iter_mut().find_map(|cap| match cap {
            Cap::ScsiHost(h) => Some(h),
            _ => None,
        })
    }

    /// libvirt's virNodeDeviceGetWWNs: the (wwnn, wwpn) of an fc_host.
    pub fn wwns(&self) -> Result<(String, String)> {
        let fc = self.caps.iter().find_map(|cap| match cap {
            Cap::ScsiHost(ScsiHost { fc: Some((wwnn, wwpn, _)), .. }) => Some((wwnn.clone(), wwpn.clone())),
            _ => None,
        });
        fc.ok_or_else(|| Error::internal(VIR_FROM_NODEDEV, "Device is not a fibre channel HBA"))
    }
}

fn internal(detail: impl AsRef<str>) -> Error {
    Error::internal(VIR_FROM_NODEDEV, detail)
}

fn xml_attr_error(detail: String) -> Error {
    Error::with_detail(VIR_ERR_XML_ERROR, VIR_FROM_XML, detail)
}

fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|n| n.is_element() && n.tag_name().name() == name)
}

fn children<'a, 'i: 'a>(node: Node<'a, 'i>, name: &'a str) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
    node.children().filter(move |n| n.is_element() && n.tag_name().name() == name)
}

/// XPath's string() of an element: its text, None when empty (virXPathString).
fn text(node: Option<Node>) -> Option<String> {
    let node = node?;
    let text: String = node.descendants().filter(|n| n.is_text()).filter_map(|n| n.text()).collect();
    Some(text).filter(|t| !t.is_empty())
}

fn text_at(node: Node, path: &[&str]) -> Option<String> {
    let mut at = node;
    for step in path {
        at = child(at, step)?;
    }
    text(Some(at))
}

/// virXPathULong on number(./NAME[1]): Ok(None) when missing or not a number,
/// Err(()) when a number but not a whole non-negative one.
fn number(node: Node, name: &str) -> std::result::Result<Option<u64>, ()> {
    let Some(value) = text(child(node, name)).and_then(|t| t.trim().parse::<f64>().ok()) else { return Ok(None) };
    if value.is_nan() {
        return Ok(None);
    }
    if value < 0.0 || value.fract() != 0.0 {
        return Err(());
    }
    Ok(Some(value as u64))
}

/// A required number with libvirt's "no X supplied" / "invalid X supplied" errors.
fn required(node: Node, name: &str, what: &str, dev: &str) -> Result<u64> {
    match number(node, name) {
        Ok(Some(v)) => Ok(v),
        Ok(None) => Err(internal(format!("no {what} supplied for '{dev}'"))),
        Err(()) => Err(internal(format!("invalid {what} supplied for '{dev}'"))),
    }
}

/// A hexadecimal id attribute (virXPathULongHex on string(./NAME[1]/@id)).
fn hex_id(node: Node, name: &str, what: &str, dev: &str) -> Result<u64> {
    let Some(id) = child(node, name).and_then(|n| n.attribute("id")).filter(|v| !v.is_empty()) else {
        return Err(internal(format!("no {what} supplied for '{dev}'")));
    };
    let digits = id.strip_prefix("0x").or_else(|| id.strip_prefix("0X")).unwrap_or(id);
    u64::from_str_radix(digits, 16).map_err(|_| internal(format!("invalid {what} supplied for '{dev}'")))
}

/// Parses a document that must be one `<device>`.
pub fn parse(text: &str, url: &str, purpose: Purpose) -> Result<DeviceDef> {
    let doc = parse_document(text, url, "device").map_err(|mut e| {
        // The shared parser reports syntax errors in the storage domain.
        if e.code == VIR_ERR_XML_DETAIL {
            e.domain = VIR_FROM_NODEDEV;
        }
        e
    })?;
    parse_node(doc.root_element(), purpose)
}

/// A `<device>` element, as virNodeDeviceDefParseXML reads it.
pub fn parse_node(node: Node, purpose: Purpose) -> Result<DeviceDef> {
    let name = match purpose {
        Purpose::Existing => text(child(node, "name")).ok_or_else(|| Error::new(VIR_ERR_NO_NAME, VIR_FROM_NODEDEV, None))?,
        Purpose::Create => "new device".to_owned(),
    };
    let mut def = DeviceDef {
        name,
        path: text(child(node, "path")),
        devnode: None,
        devlinks: Vec::new(),
        parent: text(child(node, "parent")),
        parent_wwnn: None,
        parent_wwpn: None,
        parent_fabric_wwn: None,
        caps: Vec::new(),
    };
    for devnode in children(node, "devnode") {
        let content = text(Some(devnode)).unwrap_or_default();
        match devnode.attribute("type") {
            None => return Err(xml_attr_error("Missing required attribute 'type' in element 'devnode'".into())),
            Some("dev") => def.devnode = Some(content),
            Some("link") => def.devlinks.push(content),
            Some(other) => {
                return Err(xml_attr_error(format!("Invalid value for attribute 'type' in element 'devnode': '{other}'.")))
            }
        }
    }
    let parent_attr = |attr: &str| child(node, "parent").and_then(|p| p.attribute(attr)).filter(|v| !v.is_empty()).map(str::to_owned);
    def.parent_wwnn = parent_attr("wwnn");
    def.parent_wwpn = parent_attr("wwpn");
    match (&def.parent_wwnn, &def.parent_wwpn) {
        (Some(wwnn), None) => {
            let detail = format!("when providing parent wwnn='{wwnn}', the wwpn must also be provided");
            return Err(Error::with_detail(VIR_ERR_XML_ERROR, VIR_FROM_NODEDEV, detail));
        }
        (None, Some(wwpn)) => {
            let detail = format!("when providing parent wwpn='{wwpn}', the wwnn must also be provided");
            return Err(Error::with_detail(VIR_ERR_XML_ERROR, VIR_FROM_NODEDEV, detail));
        }
        _ => {}
    }
    def.parent_fabric_wwn = parent_attr("fabric_wwn");
    let caps: Vec<Node> = children(node, "capability").collect();
    if caps.is_empty() {
        return Err(internal(format!("no device capabilities for '{}'", def.name)));
    }
    for cap in caps {
        let parsed = parse_cap(cap, &def.name, purpose)?;
        def.caps.push(parsed);
    }
    Ok(def)
}

fn parse_cap(node: Node, dev: &str, purpose: Purpose) -> Result<Cap> {
    let kind = match node.attribute("type") {
        None => return Err(xml_attr_error("Missing required attribute 'type' in element 'capability'".into())),
        Some(t) => CAP_TYPES
            .iter()
            .position(|c| *c == t)
            .ok_or_else(|| xml_attr_error(format!("Invalid value for attribute 'type' in element 'capability': '{t}'.")))?,
    };
    Ok(match CAP_TYPES[kind] {
        "system" => Cap::System(parse_system(node, dev)?),
        "usb_device" => Cap::UsbDevice {
            bus: required(node, "bus", "USB bus number", dev)?,
            device: required(node, "device", "USB device number", dev)?,
            vendor: (hex_id(node, "vendor", "USB vendor ID", dev)?, text(child(node, "vendor"))),
            product: (hex_id(node, "product", "USB product ID", dev)?, text(child(node, "product"))),
        },
        "usb" => Cap::Usb {
            number: required(node, "number", "USB interface number", dev)?,
            class: required(node, "class", "USB interface class", dev)?,
            subclass: required(node, "subclass", "USB interface subclass", dev)?,
            protocol: required(node, "protocol", "USB interface protocol", dev)?,
            description: text(child(node, "description")),
        },
        "net" => Cap::Net(parse_net(node, dev)?),
        "scsi_host" => Cap::ScsiHost(parse_scsi_host(node, dev, purpose)?),
        "scsi_target" => {
            let target = text(child(node, "target")).ok_or_else(|| internal(format!("no target name supplied for '{dev}'")))?;
            let mut rport = None;
            for cap in children(node, "capability") {
                match cap.attribute("type") {
                    None => return Err(internal(format!("missing type for SCSI target capability for '{dev}'"))),
                    Some("fc_remote_port") => {
                        let port = text(child(cap, "rport")).ok_or_else(|| internal(format!("missing rport name for '{dev}'")))?;
                        let wwpn = text(child(cap, "wwpn")).ok_or_else(|| internal(format!("missing wwpn identifier for '{dev}'")))?;
                        rport = Some((port, wwpn));
                    }
                    Some(other) => {
                        return Err(internal(format!("unknown SCSI target capability type '{other}' for '{dev}'")))
                    }
                }
            }
            Cap::ScsiTarget { target, rport }
        }
        "scsi" => Cap::Scsi {
            host: required(node, "host", "SCSI host ID", dev)?,
            bus: required(node, "bus", "SCSI bus ID", dev)?,
            target: required(node, "target", "SCSI target ID", dev)?,
            lun: required(node, "lun", "SCSI LUN ID", dev)?,
            kind: text(child(node, "type")),
        },
        "storage" => Cap::Storage(parse_storage(node, dev)?),
        "drm" => {
            let kind = text(child(node, "type"));
            let index = kind.as_deref().and_then(|k| DRM_TYPES.iter().position(|t| *t == k));
            Cap::Drm(index.ok_or_else(|| {
                let shown = kind.as_deref().unwrap_or("(null)");
                Error::with_detail(VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_NODEDEV, format!("unknown drm type '{shown}' for '{dev}'"))
            })?)
        }
        "fc_host" | "vports" | "scsi_generic" | "mdev_types" | "vdpa" | "vpd" => {
            return Err(internal(format!("unknown capability type '{kind}' for '{dev}'")))
        }
        other => {
            // pci, mdev, ccw, css and the ap devices describe real hardware
            // that a test host does not model.
            let detail = format!("node device capability '{other}' is not supported by ferrovirt's test driver");
            return Err(Error::with_detail(VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_NODEDEV, detail));
        }
    })
}

fn parse_system(node: Node, dev: &str) -> Result<System> {
    let uuid = text_at(node, &["hardware", "uuid"]).ok_or_else(|| internal(format!("no system UUID supplied for '{dev}'")))?;
    Ok(System {
        product: text(child(node, "product")),
        hw_vendor: text_at(node, &["hardware", "vendor"]),
        hw_version: text_at(node, &["hardware", "version"]),
        hw_serial: text_at(node, &["hardware", "serial"]),
        uuid: parse_uuid(&uuid).ok_or_else(|| internal(format!("malformed uuid element for '{dev}'")))?,
        fw_vendor: text_at(node, &["firmware", "vendor"]),
        fw_version: text_at(node, &["firmware", "version"]),
        fw_release_date: text_at(node, &["firmware", "release_date"]),
    })
}

fn parse_net(node: Node, dev: &str) -> Result<Net> {
    let interface = text(child(node, "interface")).ok_or_else(|| internal(format!("no network interface supplied for '{dev}'")))?;
    let mut net = Net { interface, address: text(child(node, "address")), ..Net::default() };
    for feature in children(node, "feature") {
        let xml_error = |detail: String| Error::with_detail(VIR_ERR_XML_ERROR, VIR_FROM_NODEDEV, detail);
        let name = feature.attribute("name").ok_or_else(|| xml_error("missing network device feature name".into()))?;
        let index = NET_FEATURES
            .iter()
            .position(|f| *f == name)
            .ok_or_else(|| xml_error(format!("unknown network device feature '{name}'")))?;
        if !net.features.contains(&index) {
            net.features.push(index);
        }
    }
    net.features.sort_unstable();
    if let Some(kind) = child(node, "capability").and_then(|c| c.attribute("type")).filter(|t| !t.is_empty()) {
        net.subtype = Some(match kind {
            "80203" => "80203",
            "80211" => "80211",
            _ => {
                let detail = format!("invalid network type supplied for '{dev}'");
                return Err(Error::with_detail(VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_NODEDEV, detail));
            }
        });
    }
    if let Some(link) = child(node, "link") {
        let xml_error = |detail: String| Error::with_detail(VIR_ERR_XML_ERROR, VIR_FROM_NODEDEV, detail);
        if let Some(state) = link.attribute("state") {
            net.link_state = LINK_STATES
                .iter()
                .position(|s| *s == state)
                .ok_or_else(|| xml_error(format!("unknown link state: {state}")))?;
        }
        if let Some(speed) = link.attribute("speed") {
            net.link_speed = speed.parse().map_err(|_| xml_error(format!("Unable to parse link speed: {speed}")))?;
        }
    }
    Ok(net)
}

fn parse_scsi_host(node: Node, dev: &str, purpose: Purpose) -> Result<ScsiHost> {
    let mut host = ScsiHost { unique_id: -1, ..ScsiHost::default() };
    if purpose == Purpose::Existing {
        host.host = required(node, "host", "SCSI host ID", dev)?;
        match number(node, "unique_id") {
            Ok(Some(id)) => host.unique_id = id as i64,
            Ok(None) => {}
            Err(()) => return Err(internal(format!("invalid unique_id supplied for '{dev}'"))),
        }
    }
    for cap in children(node, "capability") {
        match cap.attribute("type") {
            None => return Err(internal(format!("missing SCSI host capability type for '{dev}'"))),
            Some("vport_ops") => host.vport_ops = true,
            Some("fc_host") => {
                // libvirt would generate missing names, but not for the test driver.
                let wwnn = text(child(cap, "wwnn"))
                    .ok_or_else(|| internal(format!("no WWNN supplied for '{dev}', and auto-generation failed")))?;
                let wwpn = text(child(cap, "wwpn"))
                    .ok_or_else(|| internal(format!("no WWPN supplied for '{dev}', and auto-generation failed")))?;
                host.fc = Some((wwnn, wwpn, text(child(cap, "fabric_wwn"))));
            }
            Some(other) => return Err(internal(format!("unknown SCSI host capability type '{other}' for '{dev}'"))),
        }
    }
    Ok(host)
}

fn parse_storage(node: Node, dev: &str) -> Result<Storage> {
    let block = text(child(node, "block")).ok_or_else(|| internal(format!("no block device path supplied for '{dev}'")))?;
    let mut storage = Storage {
        block,
        bus: text(child(node, "bus")),
        drive_type: text(child(node, "drive_type")),
        model: text(child(node, "model")),
        vendor: text(child(node, "vendor")),
        serial: text(child(node, "serial")),
        ..Storage::default()
    };
    for cap in children(node, "capability") {
        match cap.attribute("type") {
            None => return Err(internal(format!("missing storage capability type for '{dev}'"))),
            Some("hotpluggable") => storage.hotpluggable = true,
            Some("removable") => {
                let available = children(cap, "media_available").any(|m| text(Some(m)).as_deref() == Some("1"));
                let size = required(cap, "media_size", "removable media size", dev)?;
                storage.removable = Some((available, size, text(child(cap, "media_label"))));
            }
            Some(other) => return Err(internal(format!("unknown storage capability type '{other}' for '{dev}'"))),
        }
    }
    if storage.removable.is_none() {
        storage.size = required(node, "size", "size", dev)?;
    }
    Ok(storage)
}

/// Appends `<tag>text</tag>` at `pad` when there is a text.
fn opt(x: &mut String, pad: &str, tag: &str, value: &Option<String>) {
    if let Some(value) = value {
        let _ = writeln!(x, "{pad}<{tag}>{}</{tag}>", escape(value));
    }
}

/// The device as virNodeDeviceGetXMLDesc gives it.
pub fn format(def: &DeviceDef) -> String {
    let mut x = String::from("<device>\n");
    let _ = writeln!(x, "  <name>{}</name>", escape(&def.name));
    opt(&mut x, "  ", "path", &def.path);
    if let Some(devnode) = &def.devnode {
        let _ = writeln!(x, "  <devnode type='dev'>{}</devnode>", escape(devnode));
    }
    for link in &def.devlinks {
        let _ = writeln!(x, "  <devnode type='link'>{}</devnode>", escape(link));
    }
    opt(&mut x, "  ", "parent", &def.parent);
    for cap in &def.caps {
        let _ = writeln!(x, "  <capability type='{}'>", cap.type_name());
        format_cap(&mut x, cap, "    ");
        x.push_str("  </capability>\n");
    }
    x.push_str("</device>\n");
    x
}

fn format_cap(x: &mut String, cap: &Cap, pad: &str) {
    match cap {
        Cap::System(s) => {
            opt(x, pad, "product", &s.product);
            let _ = writeln!(x, "{pad}<hardware>");
            let inner = format!("{pad}  ");
            opt(x, &inner, "vendor", &s.hw_vendor);
            opt(x, &inner, "version", &s.hw_version);
            opt(x, &inner, "serial", &s.hw_serial);
            let _ = writeln!(x, "{inner}<uuid>{}</uuid>", format_uuid(&s.uuid));
            let _ = writeln!(x, "{pad}</hardware>\n{pad}<firmware>");
            opt(x, &inner, "vendor", &s.fw_vendor);
            opt(x, &inner, "version", &s.fw_version);
            opt(x, &inner, "release_date", &s.fw_release_date);
            let _ = writeln!(x, "{pad}</firmware>");
        }
        Cap::UsbDevice { bus, device, product, vendor } => {
            let _ = writeln!(x, "{pad}<bus>{bus}</bus>\n{pad}<device>{device}</device>");
            for (tag, (id, name)) in [("product", product), ("vendor", vendor)] {
                let _ = write!(x, "{pad}<{tag} id='0x{:04x}'", *id as u32);
                match name {
                    Some(name) => {
                        let _ = writeln!(x, ">{}</{tag}>", escape(name));
                    }
                    None => x.push_str(" />\n"),
                }
            }
        }
        Cap::Usb { number, class, subclass, protocol, description } => {
            let _ = writeln!(x, "{pad}<number>{number}</number>\n{pad}<class>{class}</class>");
            let _ = writeln!(x, "{pad}<subclass>{subclass}</subclass>\n{pad}<protocol>{protocol}</protocol>");
            opt(x, pad, "description", description);
        }
        Cap::Net(net) => {
            let _ = writeln!(x, "{pad}<interface>{}</interface>", escape(&net.interface));
            opt(x, pad, "address", &net.address);
            if net.link_speed != 0 || net.link_state != 0 {
                let _ = write!(x, "{pad}<link");
                if net.link_speed != 0 {
                    let _ = write!(x, " speed='{}'", net.link_speed);
                }
                if net.link_state != 0 {
                    let _ = write!(x, " state='{}'", LINK_STATES[net.link_state]);
                }
                x.push_str("/>\n");
            }
            for &feature in &net.features {
                let _ = writeln!(x, "{pad}<feature name='{}'/>", NET_FEATURES[feature]);
            }
            if let Some(subtype) = net.subtype {
                let _ = writeln!(x, "{pad}<capability type='{subtype}'/>");
            }
        }
        Cap::ScsiHost(host) => {
            let _ = writeln!(x, "{pad}<host>{}</host>", host.host as i32);
            if host.unique_id != -1 {
                let _ = writeln!(x, "{pad}<unique_id>{}</unique_id>", host.unique_id as i32);
            }
            if let Some((wwnn, wwpn, fabric)) = &host.fc {
                let _ = writeln!(x, "{pad}<capability type='fc_host'>");
                let _ = writeln!(x, "{pad}  <wwnn>{}</wwnn>\n{pad}  <wwpn>{}</wwpn>", escape(wwnn), escape(wwpn));
                opt(x, &format!("{pad}  "), "fabric_wwn", fabric);
                let _ = writeln!(x, "{pad}</capability>");
            }
            if host.vport_ops {
                // The counts come from sysfs, which a test host does not have.
                let _ = writeln!(x, "{pad}<capability type='vport_ops'>");
                let _ = writeln!(x, "{pad}  <max_vports>0</max_vports>\n{pad}  <vports>0</vports>");
                let _ = writeln!(x, "{pad}</capability>");
            }
        }
        Cap::ScsiTarget { target, rport } => {
            let _ = writeln!(x, "{pad}<target>{}</target>", escape(target));
            if let Some((port, wwpn)) = rport {
                let _ = writeln!(x, "{pad}<capability type='fc_remote_port'>");
                let _ = writeln!(x, "{pad}  <rport>{port}</rport>\n{pad}  <wwpn>{wwpn}</wwpn>");
                let _ = writeln!(x, "{pad}</capability>");
            }
        }
        Cap::Scsi { host, bus, target, lun, kind } => {
            let _ = writeln!(x, "{pad}<host>{host}</host>\n{pad}<bus>{bus}</bus>");
            let _ = writeln!(x, "{pad}<target>{target}</target>\n{pad}<lun>{lun}</lun>");
            opt(x, pad, "type", kind);
        }
        Cap::Storage(s) => {
            let _ = writeln!(x, "{pad}<block>{}</block>", escape(&s.block));
            opt(x, pad, "bus", &s.bus);
            opt(x, pad, "drive_type", &s.drive_type);
            opt(x, pad, "model", &s.model);
            opt(x, pad, "vendor", &s.vendor);
            opt(x, pad, "serial", &s.serial);
            match &s.removable {
                Some((available, size, label)) => {
                    let _ = writeln!(x, "{pad}<capability type='removable'>");
                    let _ = writeln!(x, "{pad}  <media_available>{}</media_available>", u8::from(*available));
                    let _ = writeln!(x, "{pad}  <media_size>{size}</media_size>");
                    opt(x, &format!("{pad}  "), "media_label", label);
                    let _ = writeln!(x, "{pad}</capability>");
                }
                None => {
                    let _ = writeln!(x, "{pad}<size>{}</size>", s.size);
                }
            }
            if s.hotpluggable {
                let _ = writeln!(x, "{pad}<capability type='hotpluggable'/>");
            }
        }
        Cap::Drm(kind) => {
            let _ = writeln!(x, "{pad}<type>{}</type>", DRM_TYPES[*kind]);
        }
    }
}
