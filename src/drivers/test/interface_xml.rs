//! Host interface XML as libvirt 9.0 reads and writes it (interface_conf.c's
//! model): ethernet, bridge, bond and vlan interfaces, their start mode, MTU,
//! addressing and link. Errors carry libvirt's codes and wording.

use super::storage_xml::parse_document;
use crate::abi::virterror::*;
use crate::core::{Error, Result};
use crate::xml::tree::escape;
use roxmltree::Node;
use std::fmt::Write;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IfaceDef {
    pub name: String,
    /// The `<start mode>`, "onboot", "hotplug" or "none" (top level only).
    pub start_mode: Option<&'static str>,
    pub mtu: Option<u32>,
    pub protocols: Vec<Protocol>,
    pub link: Link,
    pub kind: Kind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    Ethernet { mac: Option<String> },
    Bridge { stp: Option<bool>, delay: Option<String>, members: Vec<IfaceDef> },
    Bond(Bond),
    Vlan { tag: String, device: String },
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Bond {
    pub mode: Option<&'static str>,
    pub monitor: Option<Monitor>,
    pub members: Vec<IfaceDef>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Monitor {
    Mii { freq: i32, downdelay: i32, updelay: i32, carrier: Option<&'static str> },
    Arp { interval: i32, target: String, validate: Option<&'static str> },
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Protocol {
    pub family: String,
    pub autoconf: bool,
    /// Some(peerdns) with `<dhcp>`: None, or whether peerdns is "yes".
    pub dhcp: Option<Option<bool>>,
    /// (address, prefix); 0 is no prefix.
    pub ips: Vec<(Option<String>, i32)>,
    pub gateway: Option<String>,
}

/// A `<link>` (libvirt's virNetDevIfLink): speed 0 and state 0 say nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Link {
    pub speed: u32,
    pub state: usize,
}

/// libvirt's virNetDevIfState names; 0 is "not given".
const LINK_STATES: &[&str] = &["", "unknown", "notpresent", "down", "lowerlayerdown", "testing", "dormant", "up"];
const BOND_MODES: &[&str] =
    &["balance-rr", "active-backup", "balance-xor", "broadcast", "802.3ad", "balance-tlb", "balance-alb"];

impl IfaceDef {
    /// The MAC address a handle on this interface records.
    pub fn mac(&self) -> Option<&str> {
        match &self.kind {
            Kind::Ethernet { mac } => mac.as_deref(),
            _ => None,
        }
    }
}

fn xml_error(detail: impl AsRef<str>) -> Error {
    Error::with_detail(VIR_ERR_XML_ERROR, VIR_FROM_INTERFACE, detail)
}

/// An attribute libvirt's virXMLProp* helpers check: errors in VIR_FROM_XML.
fn bad_attribute(node: Node, attr: &str, value: &str, expected: &str) -> Error {
    let element = node.tag_name().name();
    let detail = format!("Invalid value for attribute '{attr}' in element '{element}': '{value}'.{expected}");
    Error::with_detail(VIR_ERR_XML_ERROR, VIR_FROM_XML, detail)
}

fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|n| n.is_element() && n.tag_name().name() == name)
}

fn children<'a, 'i: 'a>(node: Node<'a, 'i>, name: &'a str) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
    node.children().filter(move |n| n.is_element() && n.tag_name().name() == name)
}

/// XPath's string(./a/@b) as libvirt's virXPathString reads it: None when empty.
fn attr_of(node: Node, element: &str, attr: &str) -> Option<String> {
    child(node, element)?.attribute(attr).filter(|v| !v.is_empty()).map(str::to_owned)
}

/// libvirt's virXPathInt on an attribute: None when absent or empty, Err(()) when
/// not a whole number.
fn int_attr(node: Node, element: &str, attr: &str) -> std::result::Result<Option<i32>, ()> {
    match attr_of(node, element, attr) {
        None => Ok(None),
        Some(v) => v.parse().map(Some).map_err(|_| ()),
    }
}

/// strtol with base 0, as libvirt's virXMLPropInt reads numbers.
fn parse_c_int(text: &str) -> Option<i32> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let value = if let Some(hex) = digits.strip_prefix("0x").or_else(|| digits.strip_prefix("0X")) {
        i64::from_str_radix(hex, 16).ok()?
    } else if digits.len() > 1 && digits.starts_with('0') {
        i64::from_str_radix(&digits[1..], 8).ok()?
    } else {
        digits.parse::<i64>().ok()?
    };
    i32::try_from(if negative { -value } else { value }).ok()
}

/// Parses a document that must be one `<interface>`; `url` names it in syntax errors.
pub fn parse(text: &str, url: &str) -> Result<IfaceDef> {
    let doc = parse_document(text, url, "interface").map_err(|mut e| {
        // The shared parser reports syntax errors in the storage domain.
        if e.code == VIR_ERR_XML_DETAIL {
            e.domain = VIR_FROM_INTERFACE;
        }
        e
    })?;
    parse_node(doc.root_element())
}

/// A top-level `<interface>` element.
pub fn parse_node(node: Node) -> Result<IfaceDef> {
    parse_iface(node, None)
}

/// `parent` is the type of the interface this one is a member of.
fn parse_iface(node: Node, parent: Option<&str>) -> Result<IfaceDef> {
    let kind = match node.attribute("type") {
        None => {
            let detail = format!("Missing required attribute 'type' in element '{}'", node.tag_name().name());
            return Err(Error::with_detail(VIR_ERR_XML_ERROR, VIR_FROM_XML, detail));
        }
        Some(t @ ("ethernet" | "bridge" | "bond" | "vlan")) => t,
        Some(other) => return Err(bad_attribute(node, "type", other, "")),
    };
    let allowed = match parent {
        None => true,
        Some("bond") => kind == "ethernet",
        Some("bridge") => kind != "bridge",
        Some(_) => false,
    };
    if !allowed {
        return Err(xml_error(format!("interface has unsupported type '{kind}'")));
    }
    let name = node.attribute("name").ok_or_else(|| xml_error("interface has no name"))?.to_owned();
    let mut def = IfaceDef {
        name,
        start_mode: None,
        mtu: None,
        protocols: Vec::new(),
        link: Link::default(),
        kind: Kind::Ethernet { mac: None },
    };
    if parent.is_none() {
        def.start_mode = match attr_of(node, "start", "mode").as_deref() {
            None => None,
            Some("onboot") => Some("onboot"),
            Some("hotplug") => Some("hotplug"),
            Some("none") => Some("none"),
            Some(other) => return Err(xml_error(format!("unknown interface startmode {other}"))),
        };
        def.mtu = match attr_of(node, "mtu", "size") {
            None => None,
            // libvirt fails on a malformed size without saying why.
            Some(v) => match v.trim_start().parse::<u32>() {
                Ok(mtu) if mtu <= 100000 => Some(mtu),
                Ok(_) => return Err(xml_error("value of the 'size' attribute of 'mtu' element must be at most 100000")),
                Err(_) => return Err(Error::unknown()),
            },
        };
        for proto in children(node, "protocol") {
            def.protocols.push(parse_protocol(proto)?);
        }
    }
    if kind != "bridge" {
        if let Some(link) = child(node, "link") {
            def.link = parse_link(link)?;
        }
    }
    def.kind = match kind {
        "ethernet" => Kind::Ethernet { mac: attr_of(node, "mac", "address") },
        "bridge" => {
            let bridge = child(node, "bridge").ok_or_else(|| xml_error("bridge interface misses the bridge element"))?;
            let stp = match bridge.attribute("stp") {
                None => None,
                Some("on") => Some(true),
                Some("off") => Some(false),
                Some(other) => return Err(xml_error(format!("bridge interface stp should be on or off got {other}"))),
            };
            let members = children(bridge, "interface").map(|m| parse_iface(m, Some("bridge"))).collect::<Result<_>>()?;
            Kind::Bridge { stp, delay: bridge.attribute("delay").map(str::to_owned), members }
        }
        "bond" => Kind::Bond(parse_bond(child(node, "bond").ok_or_else(|| xml_error("bond interface misses the bond element"))?)?),
        _ => {
            let vlan = child(node, "vlan").ok_or_else(|| xml_error("vlan interface misses the vlan element"))?;
            let tag = vlan.attribute("tag").filter(|t| !t.is_empty());
            let tag = tag.ok_or_else(|| xml_error("vlan interface misses the tag attribute"))?.to_owned();
            let device = attr_of(vlan, "interface", "name").ok_or_else(|| xml_error("vlan interface misses name attribute"))?;
            Kind::Vlan { tag, device }
        }
    };
    Ok(def)
}

fn parse_protocol(node: Node) -> Result<Protocol> {
    let family = node.attribute("family").ok_or_else(|| xml_error("protocol misses the family attribute"))?;
    if family != "ipv4" && family != "ipv6" {
        return Err(xml_error(format!("unsupported protocol family '{family}'")));
    }
    let mut proto = Protocol { family: family.to_owned(), ..Protocol::default() };
    proto.gateway = attr_of(node, "route", "gateway");
    proto.autoconf = family == "ipv6" && child(node, "autoconf").is_some();
    if let Some(dhcp) = child(node, "dhcp") {
        proto.dhcp = Some(match dhcp.attribute("peerdns") {
            None => None,
            Some("yes") => Some(true),
            Some("no") => Some(false),
            Some(other) => return Err(bad_attribute(dhcp, "peerdns", other, "")),
        });
    }
    for ip in children(node, "ip") {
        let Some(address) = ip.attribute("address") else {
            proto.ips.push((None, 0));
            continue;
        };
        let prefix = match ip.attribute("prefix") {
            None => 0,
            Some(p) => parse_c_int(p).ok_or_else(|| bad_attribute(ip, "prefix", p, " Expected integer value"))?,
        };
        proto.ips.push((Some(address.to_owned()), prefix));
    }
    Ok(proto)
}

fn parse_link(node: Node) -> Result<Link> {
    let mut link = Link::default();
    if let Some(state) = node.attribute("state") {
        link.state = LINK_STATES
            .iter()
            .position(|s| *s == state)
            .ok_or_else(|| xml_error(format!("unknown link state: {state}")))?;
    }
    if let Some(speed) = node.attribute("speed") {
        link.speed = speed.parse().map_err(|_| xml_error(format!("Unable to parse link speed: {speed}")))?;
    }
    Ok(link)
}

fn parse_bond(node: Node) -> Result<Bond> {
    let mut bond = Bond::default();
    if let Some(mode) = node.attribute("mode").filter(|m| !m.is_empty()) {
        let known = BOND_MODES.iter().find(|m| **m == mode);
        bond.mode = Some(known.ok_or_else(|| xml_error(format!("unknown bonding mode {mode}")))?);
    }
    bond.members = children(node, "interface").map(|m| parse_iface(m, Some("bond"))).collect::<Result<_>>()?;
    if child(node, "miimon").is_some() {
        let freq = int_attr(node, "miimon", "freq").ok().flatten();
        let freq = freq.ok_or_else(|| xml_error("bond interface miimon freq missing or invalid"))?;
        let downdelay = int_attr(node, "miimon", "downdelay").map_err(|_| xml_error("bond interface miimon downdelay invalid"))?;
        let updelay = int_attr(node, "miimon", "updelay").map_err(|_| xml_error("bond interface miimon updelay invalid"))?;
        let carrier = match attr_of(node, "miimon", "carrier").as_deref() {
            None => None,
            Some("ioctl") => Some("ioctl"),
            Some("netif") => Some("netif"),
            Some(other) => return Err(xml_error(format!("unknown mii bonding carrier {other}"))),
        };
        bond.monitor = Some(Monitor::Mii { freq, downdelay: downdelay.unwrap_or(0), updelay: updelay.unwrap_or(0), carrier });
    } else if child(node, "arpmon").is_some() {
        let interval = int_attr(node, "arpmon", "interval").ok().flatten();
        let interval = interval.ok_or_else(|| xml_error("bond interface arpmon interval missing or invalid"))?;
        let target = attr_of(node, "arpmon", "target").ok_or_else(|| xml_error("bond interface arpmon target missing"))?;
        let validate = match attr_of(node, "arpmon", "validate").as_deref() {
            None => None,
            Some("active") => Some("active"),
            Some("backup") => Some("backup"),
            Some("all") => Some("all"),
            Some(other) => return Err(xml_error(format!("unknown arp bonding validate {other}"))),
        };
        bond.monitor = Some(Monitor::Arp { interval, target, validate });
    }
    Ok(bond)
}

/// The interface as virInterfaceGetXMLDesc gives it.
pub fn format(def: &IfaceDef) -> String {
    let mut out = String::new();
    format_iface(&mut out, def, 0, true);
    out
}

fn format_iface(x: &mut String, def: &IfaceDef, depth: usize, top: bool) {
    let pad = "  ".repeat(depth);
    let kind = match def.kind {
        Kind::Ethernet { .. } => "ethernet",
        Kind::Bridge { .. } => "bridge",
        Kind::Bond(_) => "bond",
        Kind::Vlan { .. } => "vlan",
    };
    let _ = writeln!(x, "{pad}<interface type='{kind}' name='{}'>", escape(&def.name));
    let inner = format!("{pad}  ");
    if top {
        if let Some(mode) = def.start_mode {
            let _ = writeln!(x, "{inner}<start mode='{mode}'/>");
        }
        if let Some(mtu) = def.mtu.filter(|&m| m != 0) {
            let _ = writeln!(x, "{inner}<mtu size='{mtu}'/>");
        }
        for proto in &def.protocols {
            format_protocol(x, proto, &inner);
        }
    }
    if !matches!(def.kind, Kind::Bridge { .. }) && def.link != Link::default() {
        let _ = write!(x, "{inner}<link");
        if def.link.speed != 0 {
            let _ = write!(x, " speed='{}'", def.link.speed);
        }
        if def.link.state != 0 {
            let _ = write!(x, " state='{}'", LINK_STATES[def.link.state]);
        }
        x.push_str("/>\n");
    }
    match &def.kind {
        Kind::Ethernet { mac } => {
            if let Some(mac) = mac {
                let _ = writeln!(x, "{inner}<mac address='{mac}'/>");
            }
        }
        Kind::Bridge { stp, delay, members } => {
            let _ = write!(x, "{inner}<bridge");
            match stp {
                Some(true) => x.push_str(" stp='on'"),
                Some(false) => x.push_str(" stp='off'"),
                None => {}
            }
            if let Some(delay) = delay {
                let _ = write!(x, " delay='{delay}'");
            }
            x.push_str(">\n");
            for member in members {
                format_iface(x, member, depth + 2, false);
            }
            let _ = writeln!(x, "{inner}</bridge>");
        }
        Kind::Bond(bond) => {
            let _ = write!(x, "{inner}<bond");
            if let Some(mode) = bond.mode {
                let _ = write!(x, " mode='{mode}'");
            }
            x.push_str(">\n");
            match &bond.monitor {
                Some(Monitor::Mii { freq, downdelay, updelay, carrier }) => {
                    let _ = write!(x, "{inner}  <miimon freq='{freq}'");
                    if *downdelay > 0 {
                        let _ = write!(x, " downdelay='{downdelay}'");
                    }
                    if *updelay > 0 {
                        let _ = write!(x, " updelay='{updelay}'");
                    }
                    if let Some(carrier) = carrier {
                        let _ = write!(x, " carrier='{carrier}'");
                    }
                    x.push_str("/>\n");
                }
                Some(Monitor::Arp { interval, target, validate }) => {
                    let _ = write!(x, "{inner}  <arpmon interval='{interval}' target='{target}'");
                    if let Some(validate) = validate {
                        let _ = write!(x, " validate='{validate}'");
                    }
                    x.push_str("/>\n");
                }
                None => {}
            }
            for member in &bond.members {
                format_iface(x, member, depth + 2, false);
            }
            let _ = writeln!(x, "{inner}</bond>");
        }
        Kind::Vlan { tag, device } => {
            let _ = writeln!(x, "{inner}<vlan tag='{tag}'>");
            let _ = writeln!(x, "{inner}  <interface name='{device}'/>");
            let _ = writeln!(x, "{inner}</vlan>");
        }
    }
    let _ = writeln!(x, "{pad}</interface>");
}

fn format_protocol(x: &mut String, proto: &Protocol, pad: &str) {
    let _ = writeln!(x, "{pad}<protocol family='{}'>", proto.family);
    if proto.autoconf {
        let _ = writeln!(x, "{pad}  <autoconf/>");
    }
    match proto.dhcp {
        Some(Some(true)) => {
            let _ = writeln!(x, "{pad}  <dhcp peerdns='yes'/>");
        }
        Some(Some(false)) => {
            let _ = writeln!(x, "{pad}  <dhcp peerdns='no'/>");
        }
        Some(None) => {
            let _ = writeln!(x, "{pad}  <dhcp/>");
        }
        None => {}
    }
    for (address, prefix) in &proto.ips {
        let Some(address) = address else { continue };
        let _ = write!(x, "{pad}  <ip address='{address}'");
        if *prefix != 0 {
            let _ = write!(x, " prefix='{prefix}'");
        }
        x.push_str("/>\n");
    }
    if let Some(gateway) = &proto.gateway {
        let _ = writeln!(x, "{pad}  <route gateway='{gateway}'/>");
    }
    let _ = writeln!(x, "{pad}</protocol>");
}
