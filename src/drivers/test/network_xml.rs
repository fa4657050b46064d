//! Network XML as libvirt 9.0 reads and writes it (virNetworkDefParse/Format):
//! the parts libvirt interprets are checked and normalized with its errors; the
//! parts it keeps as given (bandwidth, vlan, routes, portgroups, metadata, ...)
//! are kept as elements and written back in libvirt's element order.

use crate::abi::virterror::*;
use crate::core::{Error, Result};
use crate::uuid::{format_uuid, parse_uuid};
use crate::xml::tree::Element;
use roxmltree::Node;
use std::net::IpAddr;

/// Forward modes, in libvirt's VIR_NETWORK_FORWARD_* order ("none" is never written).
const MODES: &[&str] = &["none", "nat", "route", "open", "bridge", "private", "vepa", "passthrough", "hostdev"];
const NAT: usize = 1;
const BRIDGE: usize = 4;
const HOSTDEV: usize = 8;

/// The top-level elements libvirt's schema allows.
const KNOWN: &[&str] = &[
    "name", "uuid", "title", "description", "metadata", "forward", "bridge", "mtu", "mac", "domain", "dns",
    "virtualport", "vlan", "bandwidth", "port", "ip", "route", "portgroup",
];

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ip {
    pub family: Option<String>,
    pub address: IpAddr,
    pub netmask: Option<String>,
    pub prefix: Option<u32>,
    pub local_ptr: Option<String>,
    pub tftp: Option<Element>,
    /// `<dhcp>`'s ranges, hosts and bootp, in libvirt's order.
    pub ranges: Vec<Element>,
    pub hosts: Vec<Element>,
    pub bootp: Option<Element>,
    pub has_dhcp: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NetDef {
    pub name: String,
    pub uuid: [u8; 16],
    pub ipv6: Option<String>,
    pub trust_guest_rx_filters: Option<String>,
    pub metadata: Option<Element>,
    /// The forward mode (index into MODES) and what `<forward>` says besides.
    pub mode: usize,
    pub managed: bool,
    pub nat: Option<Element>,
    pub pfs: Vec<Element>,
    /// `<interface>` or `<address>` elements, as given.
    pub forward_ifs: Vec<Element>,
    pub bridge: Option<String>,
    pub zone: Option<String>,
    pub stp: bool,
    pub delay: u64,
    pub mac_table_manager: Option<String>,
    pub mtu: Option<u32>,
    pub mac: Option<String>,
    pub domain: Option<Element>,
    pub dns: Option<Element>,
    pub virtualport: Option<Element>,
    pub vlan: Option<Element>,
    pub bandwidth: Option<Element>,
    pub port: Option<Element>,
    pub ips: Vec<Ip>,
    pub routes: Vec<Element>,
    pub portgroups: Vec<Element>,
}

fn xml_error(detail: impl AsRef<str>) -> Error {
    Error::with_detail(VIR_ERR_XML_ERROR, VIR_FROM_NETWORK, detail)
}

fn unsupported(detail: impl AsRef<str>) -> Error {
    Error::with_detail(VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_NETWORK, detail)
}

/// virNetworkDefineXML's and virNetworkCreateXML's reading of `text`;
/// `validate` checks the elements against libvirt's schema first.
pub fn parse(text: &str, validate: bool) -> Result<NetDef> {
    let doc = super::storage_xml::parse_document(text, "(network_definition)", "network")
        .map_err(|e| Error { domain: if e.domain == VIR_FROM_STORAGE { VIR_FROM_NETWORK } else { e.domain }, ..e })?;
    let root = doc.root_element();
    if validate {
        if let Some(extra) = root.children().filter(|n| n.is_element()).find(|n| !KNOWN.contains(&n.tag_name().name())) {
            let detail = format!(
                "Unable to validate doc against /usr/share/libvirt/schemas/network.rng\nElement network has extra content: {}\n",
                extra.tag_name().name()
            );
            return Err(Error::with_detail(VIR_ERR_XML_INVALID_SCHEMA, VIR_FROM_XML, detail));
        }
    }
    parse_node(root)
}

fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|n| n.is_element() && n.tag_name().name() == name)
}

fn children<'a, 'i: 'a>(node: Node<'a, 'i>, name: &'a str) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
    node.children().filter(move |n| n.is_element() && n.tag_name().name() == name)
}

fn text(node: Option<Node>) -> Option<String> {
    let t: String = node?.descendants().filter(|n| n.is_text()).filter_map(|n| n.text()).collect();
    Some(t).filter(|t| !t.is_empty())
}

fn element(node: Node) -> Element {
    Element::from_node(node, false)
}

/// A `<network>` element (custom host files embed them).
pub fn parse_node(root: Node) -> Result<NetDef> {
    let name = text(child(root, "name")).ok_or_else(|| Error::new(VIR_ERR_NO_NAME, VIR_FROM_NETWORK, None))?;
    if name.contains('/') {
        return Err(Error::with_detail(VIR_ERR_XML_DETAIL, VIR_FROM_XML, "invalid char in name: /"));
    }
    let uuid = match text(child(root, "uuid")) {
        None => crate::xml::domain::random_uuid(),
        Some(t) => parse_uuid(t.trim())
            .or_else(|| parse_uuid(&dashed(t.trim())))
            .ok_or_else(|| Error::internal(VIR_FROM_NETWORK, "malformed uuid element"))?,
    };
    let mut def = NetDef {
        name,
        uuid,
        ipv6: root.attribute("ipv6").map(str::to_owned),
        trust_guest_rx_filters: root.attribute("trustGuestRxFilters").map(str::to_owned),
        metadata: child(root, "metadata").map(|m| Element::from_node(m, true)),
        stp: true,
        ..NetDef::default()
    };
    let net = def.name.clone();
    if let Some(b) = child(root, "bridge") {
        def.bridge = b.attribute("name").map(str::to_owned);
        def.zone = b.attribute("zone").map(str::to_owned);
        def.stp = b.attribute("stp") != Some("off");
        if let Some(d) = b.attribute("delay") {
            def.delay = d.parse().map_err(|_| xml_error(format!("Invalid delay value in network '{net}'")))?;
        }
        def.mac_table_manager = b.attribute("macTableManager").map(str::to_owned);
    }
    if let Some(m) = child(root, "mtu") {
        let size = m.attribute("size").unwrap_or("");
        def.mtu = Some(size.parse().map_err(|_| xml_error(format!("Invalid mtu size '{size}' in network '{net}'")))?);
    }
    if let Some(m) = child(root, "mac").and_then(|m| m.attribute("address")) {
        def.mac = Some(parse_mac(m).ok_or_else(|| xml_error(format!("Invalid bridge mac address '{m}' in network '{net}'")))?);
    }
    def.domain = child(root, "domain").map(element);
    if let Some(dns) = child(root, "dns") {
        def.dns = Some(parse_dns(dns, &net)?);
    }
    def.virtualport = child(root, "virtualport").map(element);
    def.vlan = child(root, "vlan").map(element);
    def.bandwidth = child(root, "bandwidth").map(element);
    def.port = child(root, "port").map(element);
    for ip in children(root, "ip") {
        def.ips.push(parse_ip(ip, &net)?);
    }
    def.routes = children(root, "route").map(element).collect();
    def.portgroups = children(root, "portgroup").map(portgroup).collect();
    if let Some(f) = child(root, "forward") {
        parse_forward(&mut def, f)?;
    }
    check_forward(&def, child(root, "bridge").and_then(|b| b.attribute("stp")).is_some())?;
    Ok(def)
}

/// A UUID written without dashes, as libvirt also accepts.
fn dashed(t: &str) -> String {
    if t.len() != 32 {
        return t.to_owned();
    }
    format!("{}-{}-{}-{}-{}", &t[..8], &t[8..12], &t[12..16], &t[16..20], &t[20..])
}

fn parse_mac(text: &str) -> Option<String> {
    let parts: Vec<&str> = text.split(':').collect();
    let ok = parts.len() == 6 && parts.iter().all(|p| (1..=2).contains(&p.len()) && u8::from_str_radix(p, 16).is_ok());
    ok.then(|| parts.iter().map(|p| format!("{:02x}", u8::from_str_radix(p, 16).unwrap_or(0))).collect::<Vec<_>>().join(":"))
}

/// libvirt writes `default='yes'` only, and an empty portgroup with both tags.
fn portgroup(node: Node) -> Element {
    let mut el = element(node);
    if el.attr("default") != Some("yes") {
        el.remove_attr("default");
    }
    el
}

fn parse_dns(node: Node, net: &str) -> Result<Element> {
    let mut dns = Element::new("dns");
    for attr in ["enable", "forwardPlainNames"] {
        if let Some(v) = node.attribute(attr) {
            dns.set(attr, v);
        }
    }
    for kind in ["forwarder", "txt", "srv", "host"] {
        for n in children(node, kind) {
            if kind == "host" && child(n, "hostname").is_none() {
                let detail = format!("Missing hostname in network '{net}' DNS HOST record");
                return Err(Error::with_detail(VIR_ERR_XML_DETAIL, VIR_FROM_NETWORK, detail));
            }
            dns.children.push(element(n));
        }
    }
    Ok(dns)
}

/// The prefix an IPv4 address has without netmask or prefix (its class's).
fn class_prefix(ip: &IpAddr) -> u32 {
    match ip {
        IpAddr::V4(v4) => match v4.octets()[0] {
            0..=127 => 8,
            128..=191 => 16,
            192..=223 => 24,
            _ => 32,
        },
        IpAddr::V6(_) => 64,
    }
}

fn parse_ip(node: Node, net: &str) -> Result<Ip> {
    let address = node
        .attribute("address")
        .ok_or_else(|| xml_error(format!("Missing required address attribute in network '{net}'")))?;
    let addr = parse_addr(address).ok_or_else(|| xml_error(format!("Invalid address '{address}' in network '{net}'")))?;
    let family = node.attribute("family").map(str::to_owned);
    if family.as_deref() == Some("ipv6") && !addr.is_ipv6() {
        return Err(xml_error(format!("Family 'ipv6' specified for non-IPv6 address '{address}' in network '{net}'")));
    }
    if family.is_none() && addr.is_ipv6() {
        return Err(unsupported(format!("no family specified for non-IPv4 address '{address}' in network '{net}'")));
    }
    let netmask = node.attribute("netmask").map(str::to_owned);
    let prefix = match node.attribute("prefix") {
        None => None,
        Some(p) => Some(p.parse::<u32>().map_err(|_| xml_error(format!("Invalid ip prefix '{p}' in network '{net}'")))?),
    };
    if netmask.is_some() && prefix.is_some() {
        return Err(unsupported(format!("Network '{net}' IP address cannot have both a prefix and a netmask")));
    }
    let mut bits = prefix;
    if let Some(mask) = &netmask {
        let m: std::net::Ipv4Addr =
            mask.parse().map_err(|_| xml_error(format!("Invalid netmask '{mask}' in network '{net}'")))?;
        bits = Some(u32::from(m).count_ones());
    }
    match (addr, prefix) {
        (IpAddr::V4(_), Some(p)) if p > 32 => return Err(unsupported(format!("Invalid IPv4 prefix '{p}' in network '{net}'"))),
        (IpAddr::V6(_), Some(p)) if p > 128 => return Err(unsupported(format!("Invalid IPv6 prefix '{p}' in network '{net}'"))),
        _ => {}
    }
    let bits = bits.unwrap_or_else(|| class_prefix(&addr));
    let mut ip = Ip {
        family,
        address: addr,
        netmask,
        prefix,
        local_ptr: node.attribute("localPtr").map(str::to_owned),
        tftp: child(node, "tftp").map(element),
        ranges: Vec::new(),
        hosts: Vec::new(),
        bootp: None,
        has_dhcp: false,
    };
    if let Some(dhcp) = child(node, "dhcp") {
        ip.has_dhcp = true;
        for r in children(dhcp, "range") {
            check_range(&addr, bits, r.attribute("start").unwrap_or(""), r.attribute("end").unwrap_or(""))?;
            ip.ranges.push(element(r));
        }
        ip.hosts = children(dhcp, "host").map(element).collect();
        ip.bootp = child(dhcp, "bootp").map(element);
    }
    Ok(ip)
}

/// An address as getaddrinfo reads it: IPv6, or IPv4 in inet_aton's forms
/// ("10.1" is 10.0.0.1, "010.1" octal), which libvirt then writes dotted.
fn parse_addr(text: &str) -> Option<IpAddr> {
    if text.contains(':') {
        return text.parse().ok();
    }
    let number = |p: &str| -> Option<u64> {
        if let Some(hex) = p.strip_prefix("0x").or_else(|| p.strip_prefix("0X")) {
            u64::from_str_radix(hex, 16).ok()
        } else if p.len() > 1 && p.starts_with('0') {
            u64::from_str_radix(&p[1..], 8).ok()
        } else {
            p.parse().ok()
        }
    };
    let parts = text.split('.').map(number).collect::<Option<Vec<u64>>>()?;
    let (last, head) = parts.split_last()?;
    if head.len() > 3 || head.iter().any(|&b| b > 255) || *last >= 1u64 << (8 * (4 - head.len())) {
        return None;
    }
    let value = head.iter().enumerate().fold(*last, |v, (i, &b)| v | b << (24 - 8 * i));
    Some(IpAddr::V4(std::net::Ipv4Addr::from(value as u32)))
}

fn as_u128(ip: &IpAddr) -> u128 {
    match ip {
        IpAddr::V4(v4) => u32::from(*v4).into(),
        IpAddr::V6(v6) => u128::from(*v6),
    }
}

/// libvirt's range checks (virSocketAddrGetRange), reported in VIR_FROM_NONE.
fn check_range(net: &IpAddr, prefix: u32, start: &str, end: &str) -> Result<()> {
    let (Some(s), Some(e)) = (parse_addr(start), parse_addr(end)) else {
        return Err(xml_error(format!("Invalid dhcp range '{start}' to '{end}'")));
    };
    let width = if net.is_ipv4() { 32 } else { 128 };
    let mask = if prefix == 0 { 0 } else { u128::MAX << (width - prefix) & (u128::MAX >> (128 - width)) };
    let inside = |a: &IpAddr| a.is_ipv4() == net.is_ipv4() && as_u128(a) & mask == as_u128(net) & mask;
    if !inside(&s) || !inside(&e) {
        let detail = format!("range {start} - {end} is not entirely within network {net}/{prefix}");
        return Err(Error::internal(VIR_FROM_NONE, detail));
    }
    if as_u128(&s) > as_u128(&e) {
        return Err(Error::internal(VIR_FROM_NONE, format!("range {start} - {end} is reversed ")));
    }
    Ok(())
}

fn parse_forward(def: &mut NetDef, node: Node) -> Result<()> {
    let mode = node.attribute("mode").unwrap_or("nat");
    def.mode = MODES
        .iter()
        .position(|m| *m == mode && *m != "none")
        .ok_or_else(|| unsupported(format!("unknown forwarding type '{mode}'")))?;
    def.managed = node.attribute("managed") == Some("yes");
    def.nat = child(node, "nat").map(element);
    def.pfs = children(node, "pf").map(element).collect();
    def.forward_ifs = node
        .children()
        .filter(|n| n.is_element() && matches!(n.tag_name().name(), "interface" | "address"))
        .map(element)
        .collect();
    if let Some(dev) = node.attribute("dev") {
        if !def.forward_ifs.iter().any(|i| i.attr("dev") == Some(dev)) {
            def.forward_ifs.insert(0, Element::new("interface").with_attr("dev", dev));
        }
    }
    Ok(())
}

/// libvirt's per-mode checks of a definition.
fn check_forward(def: &NetDef, stp_given: bool) -> Result<()> {
    let (net, mode) = (&def.name, MODES[def.mode]);
    match def.mode {
        0..=3 => {
            if def.mode != 0 && def.ips.is_empty() {
                return Err(xml_error(format!("{mode} forwarding requested, but no IP address provided for network '{net}'")));
            }
            if def.forward_ifs.len() > 1 {
                return Err(xml_error(format!(
                    "multiple forwarding interfaces specified for network '{net}', only one is supported"
                )));
            }
        }
        _ => {
            if !def.ips.is_empty() {
                return Err(xml_error(format!("Unsupported <ip> element in network {net} with forward mode='{mode}'")));
            }
            if def.dns.as_ref().map_or(false, |d| !d.children.is_empty()) {
                return Err(xml_error(format!("Unsupported <dns> element in network {net} with forward mode='{mode}'")));
            }
            if def.domain.is_some() {
                return Err(xml_error(format!("Unsupported <domain> element in network {net} with forward mode='{mode}'")));
            }
            if def.delay != 0 || stp_given || def.zone.is_some() {
                return Err(xml_error(format!(
                    "bridge delay/stp/zone options only allowed in route, nat, and isolated mode, not in {mode} (network '{net}')"
                )));
            }
            if def.bridge.is_some() && (!def.forward_ifs.is_empty() || !def.pfs.is_empty()) {
                return Err(xml_error(format!(
                    "A network with forward mode='{mode}' can specify a bridge name or a forward dev, but not both (network '{net}')"
                )));
            }
        }
    }
    Ok(())
}

impl NetDef {
    /// virNetworkGetXMLDesc's document.
    pub fn format(&self) -> String {
        let mut root = Element::new("network");
        if let Some(v) = &self.ipv6 {
            root.set("ipv6", v.as_str());
        }
        if let Some(v) = &self.trust_guest_rx_filters {
            root.set("trustGuestRxFilters", v.as_str());
        }
        let mut out = String::new();
        out.push_str(&opening(&root));
        out.push_str(&format!("  <name>{}</name>\n", crate::xml::tree::escape(&self.name)));
        out.push_str(&format!("  <uuid>{}</uuid>\n", format_uuid(&self.uuid)));
        if let Some(m) = &self.metadata {
            let mut meta = Element::new("metadata");
            meta.children = m.children.iter().map(|c| Element { name: c.name.clone(), ..c.clone() }).collect();
            out.push_str("  <metadata>\n");
            for c in &meta.children {
                c.write_dump(&mut out, 2);
            }
            out.push_str("  </metadata>\n");
        }
        let mut body = Vec::new();
        if self.mode != 0 || !self.forward_ifs.is_empty() {
            body.push(self.forward());
        }
        if self.mode < BRIDGE {
            let mut b = Element::new("bridge");
            if let Some(n) = &self.bridge {
                b.set("name", n.as_str());
            }
            if let Some(z) = &self.zone {
                b.set("zone", z.as_str());
            }
            b.set("stp", if self.stp { "on" } else { "off" });
            b.set("delay", self.delay.to_string());
            if let Some(m) = &self.mac_table_manager {
                b.set("macTableManager", m.as_str());
            }
            body.push(b);
        } else if let Some(n) = &self.bridge {
            let mut b = Element::new("bridge").with_attr("name", n.as_str());
            if let Some(m) = &self.mac_table_manager {
                b.set("macTableManager", m.as_str());
            }
            body.push(b);
        }
        if let Some(mtu) = self.mtu {
            body.push(Element::new("mtu").with_attr("size", mtu.to_string()));
        }
        if let Some(mac) = &self.mac {
            body.push(Element::new("mac").with_attr("address", mac.as_str()));
        }
        body.extend(self.domain.iter().cloned());
        // An empty <dns> says nothing, and libvirt leaves it out.
        body.extend(self.dns.iter().filter(|d| !d.attrs.is_empty() || !d.children.is_empty()).cloned());
        body.extend(self.vlan.iter().cloned());
        body.extend(self.bandwidth.iter().cloned());
        body.extend(self.port.iter().cloned());
        for el in &body {
            el.write(&mut out, 1);
        }
        for ip in &self.ips {
            write_ip(ip, &mut out);
        }
        for el in self.routes.iter().chain(self.virtualport.iter()) {
            el.write(&mut out, 1);
        }
        for pg in &self.portgroups {
            write_open(pg, &mut out, 1);
        }
        out.push_str("</network>\n");
        out
    }

    fn forward(&self) -> Element {
        let mut f = Element::new("forward");
        if self.mode != HOSTDEV {
            if let Some(dev) = self.forward_ifs.first().and_then(|i| i.attr("dev")) {
                f.set("dev", dev);
            }
        }
        f.set("mode", MODES[self.mode]);
        if self.mode == HOSTDEV {
            f.set("managed", if self.managed { "yes" } else { "no" });
        }
        if self.mode <= NAT {
            f.children.extend(self.nat.iter().cloned());
        }
        f.children.extend(self.pfs.iter().cloned());
        f.children.extend(self.forward_ifs.iter().cloned());
        f
    }
}

fn opening(root: &Element) -> String {
    let mut s = String::from("<network");
    for (k, v) in &root.attrs {
        s.push_str(&format!(" {k}='{}'", crate::xml::tree::escape(v)));
    }
    s.push_str(">\n");
    s
}

/// libvirt writes `<ip>` and `<portgroup>` open and closed even when empty.
fn write_open(el: &Element, out: &mut String, depth: usize) {
    if !el.children.is_empty() || el.text.is_some() {
        el.write(out, depth);
        return;
    }
    let mut tmp = String::new();
    el.write(&mut tmp, depth);
    let indent = "  ".repeat(depth);
    out.push_str(tmp.trim_end().trim_end_matches("/>"));
    out.push_str(&format!(">\n{indent}</{}>\n", el.name));
}

fn write_ip(ip: &Ip, out: &mut String) {
    let mut el = Element::new("ip");
    if let Some(f) = &ip.family {
        el.set("family", f.as_str());
    }
    el.set("address", ip.address.to_string());
    if let Some(m) = &ip.netmask {
        el.set("netmask", m.as_str());
    }
    if let Some(p) = ip.prefix {
        el.set("prefix", p.to_string());
    }
    if let Some(l) = &ip.local_ptr {
        el.set("localPtr", l.as_str());
    }
    el.children.extend(ip.tftp.iter().cloned());
    if ip.has_dhcp && !(ip.ranges.is_empty() && ip.hosts.is_empty() && ip.bootp.is_none()) {
        let mut dhcp = Element::new("dhcp");
        dhcp.children.extend(ip.ranges.iter().cloned());
        dhcp.children.extend(ip.hosts.iter().cloned());
        dhcp.children.extend(ip.bootp.iter().cloned());
        el.children.push(dhcp);
    }
    write_open(&el, out, 1);
}
