//! A domain's XML: the parts the test driver models, read as libvirt's parser
//! reads them and laid out as libvirt's formatter writes them.
//!
//! Modelled: type, name, uuid (generated when absent), memory and currentMemory
//! with units, vcpu, os type and arch, and the devices `<disk type='file'>` and
//! `<interface type='network'>`; other elements are not kept.

use super::file::child;
use super::state::{Device, DomainDef, DomainObj, PciAddress};
use crate::abi::virterror::*;
use crate::core::{Error, Result};
use crate::uuid::{format_uuid, parse_uuid};
use roxmltree::{Document, Node};
use std::fmt::Write;

pub fn xml_error(detail: impl AsRef<str>) -> Error {
    Error::with_detail(VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN, detail)
}

/// The definition in `text`, as virDomainDefineXML and virDomainCreateXML read it.
pub fn parse_domain_xml(text: &str) -> Result<DomainDef> {
    let doc = Document::parse(text).map_err(|e| {
        // libvirt shows libxml2's message; ours has the same shape and position.
        Error::with_detail(VIR_ERR_XML_DETAIL, VIR_FROM_DOMAIN, format!("(domain_definition):{}: {e}", e.pos().row))
    })?;
    let root = doc.root_element();
    if root.tag_name().name() != "domain" {
        let detail = format!("expecting root element of 'domain', not '{}'", root.tag_name().name());
        return Err(Error::with_detail(VIR_ERR_XML_ERROR, VIR_FROM_XML, detail));
    }
    parse_definition(root)
}

/// A `<domain>` element's definition, checked in libvirt's order.
pub fn parse_definition(dom: Node) -> Result<DomainDef> {
    let virt_type = dom
        .attribute("type")
        .ok_or_else(|| Error::internal(VIR_FROM_DOMAIN, "missing domain type attribute"))?
        .to_owned();
    let name = child(dom, "name").and_then(|n| n.text()).map(str::trim).unwrap_or("");
    if name.is_empty() {
        return Err(Error::new(VIR_ERR_NO_NAME, VIR_FROM_DOMAIN, None));
    }
    let uuid = match child(dom, "uuid").and_then(|n| n.text()) {
        Some(text) => parse_uuid(text.trim()).ok_or_else(|| xml_error("malformed uuid element"))?,
        None => random_uuid(),
    };
    let memory_kib = memory(dom, "memory")?
        .ok_or_else(|| xml_error("Memory size must be specified via <memory> or in the <numa> configuration"))?;
    let current_memory_kib = memory(dom, "currentMemory")?.map_or(memory_kib, |m| m.min(memory_kib));
    let vcpus = match child(dom, "vcpu").and_then(|n| n.text()) {
        Some(text) => text.trim().parse().map_err(|_| xml_error("maximum vcpus count must be an integer"))?,
        None => 1,
    };
    let os_type_node = child(dom, "os").and_then(|os| child(os, "type"));
    let os_type = os_type_node
        .and_then(|t| t.text())
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| xml_error("an os <type> must be specified"))?
        .to_owned();
    let arch = os_type_node.and_then(|t| t.attribute("arch")).unwrap_or("i686").to_owned();
    let devices = child(dom, "devices").map(parse_devices).unwrap_or_default();
    Ok(DomainDef { virt_type, name: name.to_owned(), uuid, memory_kib, current_memory_kib, vcpus, os_type, arch, devices })
}

fn parse_devices(devices: Node) -> Vec<Device> {
    let mut out = Vec::new();
    let mut nics = 0;
    for node in devices.children().filter(Node::is_element) {
        let attr = |name: &str, attr: &str| child(node, name).and_then(|n| n.attribute(attr)).map(str::to_owned);
        let address = child(node, "address").and_then(parse_pci_address);
        match node.tag_name().name() {
            "disk" if node.attribute("type") == Some("file") => {
                let target = attr("target", "dev").unwrap_or_default();
                let bus = attr("target", "bus").unwrap_or_else(|| default_bus(&target).to_owned());
                out.push(Device::Disk { file: attr("source", "file").unwrap_or_default(), target, bus, address });
            }
            "interface" if node.attribute("type") == Some("network") => {
                // The test driver names each interface after its position.
                let ifname = attr("target", "dev").unwrap_or_else(|| format!("testnet{nics}"));
                nics += 1;
                let mac = attr("mac", "address").unwrap_or_else(random_mac);
                out.push(Device::Interface { mac, network: attr("source", "network").unwrap_or_default(), ifname, address });
            }
            "memballoon" => {
                out.push(Device::Memballoon { model: node.attribute("model").unwrap_or("none").to_owned(), address })
            }
            _ => {}
        }
    }
    out
}

/// The bus libvirt infers from a disk's target name.
fn default_bus(target: &str) -> &'static str {
    match &target[..target.len().min(2)] {
        "vd" => "virtio",
        "sd" => "scsi",
        "xv" => "xen",
        "ub" => "usb",
        _ => "ide",
    }
}

fn parse_pci_address(node: Node) -> Option<PciAddress> {
    if node.attribute("type") != Some("pci") {
        return None;
    }
    let number = |name: &str| {
        let text = node.attribute(name).unwrap_or("0");
        let (digits, radix) = text.strip_prefix("0x").map_or((text, 10), |hex| (hex, 16));
        u16::from_str_radix(digits, radix).ok()
    };
    Some(PciAddress {
        domain: number("domain")?,
        bus: number("bus")? as u8,
        slot: number("slot")? as u8,
        function: number("function")? as u8,
    })
}

/// A `<memory>`-style element in KiB, honouring its `unit` attribute.
fn memory(dom: Node, name: &str) -> Result<Option<u64>> {
    let Some(node) = child(dom, name) else { return Ok(None) };
    let value: u64 =
        node.text().unwrap_or("").trim().parse().map_err(|_| xml_error(format!("invalid {name} value")))?;
    let bytes_per_unit: u64 = match node.attribute("unit").unwrap_or("KiB") {
        "b" | "bytes" => 1,
        "KB" => 1000,
        "k" | "KiB" => 1 << 10,
        "MB" => 1_000_000,
        "M" | "MiB" => 1 << 20,
        "GB" => 1_000_000_000,
        "G" | "GiB" => 1 << 30,
        "TB" => 1_000_000_000_000,
        "T" | "TiB" => 1 << 40,
        unit => return Err(xml_error(format!("unknown suffix '{unit}'"))),
    };
    // libvirt rounds up to whole KiB.
    Ok(Some((value * bytes_per_unit).div_ceil(1024)))
}

fn random_bytes<const N: usize>() -> [u8; N] {
    use std::io::Read;
    let mut bytes = [0u8; N];
    if std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut bytes)).is_err() {
        // Fall back on the clock and a counter: unique in this process is enough.
        static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let seed = (crate::os::real_time_us() ^ n.rotate_left(32)).to_le_bytes();
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = seed[i % 8].wrapping_add(i as u8);
        }
    }
    bytes
}

/// A random (version 4) UUID, as libvirt generates for a definition without one.
pub(super) fn random_uuid() -> [u8; 16] {
    let mut uuid = random_bytes::<16>();
    uuid[6] = (uuid[6] & 0x0f) | 0x40;
    uuid[8] = (uuid[8] & 0x3f) | 0x80;
    uuid
}

/// A MAC address in libvirt's default prefix 52:54:00.
fn random_mac() -> String {
    let [a, b, c] = random_bytes::<3>();
    format!("52:54:00:{a:02x}:{b:02x}:{c:02x}")
}

/// `inactive`: the persistent definition (VIR_DOMAIN_XML_INACTIVE), without the live id.
pub fn format_domain(dom: &DomainObj, inactive: bool) -> String {
    let def = match &dom.new_def {
        Some(persistent) if inactive => persistent,
        _ => &dom.def,
    };
    let mut x = format!("<domain type='{}'", escape(&def.virt_type));
    if dom.is_active() && !inactive {
        let _ = write!(x, " id='{}'", dom.id);
    }
    x += ">\n";
    let _ = writeln!(x, "  <name>{}</name>", escape(&def.name));
    let _ = writeln!(x, "  <uuid>{}</uuid>", format_uuid(&def.uuid));
    let _ = writeln!(x, "  <memory unit='KiB'>{}</memory>", def.memory_kib);
    let _ = writeln!(x, "  <currentMemory unit='KiB'>{}</currentMemory>", def.current_memory_kib);
    let _ = writeln!(x, "  <vcpu placement='static'>{}</vcpu>", def.vcpus);
    let _ = writeln!(x, "  <os>\n    <type arch='{}'>{}</type>\n    <boot dev='hd'/>\n  </os>", def.arch, def.os_type);
    x += "  <clock offset='utc'/>\n";
    x += "  <on_poweroff>destroy</on_poweroff>\n  <on_reboot>restart</on_reboot>\n  <on_crash>destroy</on_crash>\n";
    x += "  <devices>\n";
    for device in &def.devices {
        format_device(&mut x, device);
    }
    x += "  </devices>\n</domain>\n";
    x
}

fn format_device(x: &mut String, device: &Device) {
    match device {
        Device::Disk { file, target, bus, address } => {
            x.push_str("    <disk type='file' device='disk'>\n");
            let _ = writeln!(x, "      <source file='{}'/>", escape(file));
            let _ = writeln!(x, "      <target dev='{}' bus='{}'/>", escape(target), escape(bus));
            format_address(x, address);
            x.push_str("    </disk>\n");
        }
        Device::Interface { mac, network, ifname, address } => {
            x.push_str("    <interface type='network'>\n");
            let _ = writeln!(x, "      <mac address='{}'/>", escape(mac));
            let _ = writeln!(x, "      <source network='{}'/>", escape(network));
            let _ = writeln!(x, "      <target dev='{}'/>", escape(ifname));
            format_address(x, address);
            x.push_str("    </interface>\n");
        }
        Device::Memballoon { model, address } => {
            let _ = writeln!(x, "    <memballoon model='{}'>", escape(model));
            format_address(x, address);
            x.push_str("    </memballoon>\n");
        }
    }
}

fn format_address(x: &mut String, address: &Option<PciAddress>) {
    if let Some(a) = address {
        let _ = writeln!(
            x,
            "      <address type='pci' domain='0x{:04x}' bus='0x{:02x}' slot='0x{:02x}' function='0x{:x}'/>",
            a.domain, a.bus, a.slot, a.function
        );
    }
}

/// XML escaping as libvirt's buffer escaping does it for text and attributes.
pub(super) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\'' => out.push_str("&apos;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}
