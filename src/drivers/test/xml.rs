//! A domain's XML in the test driver: libvirt's generic domain model
//! (crate::xml::domain) with the test driver's own choices — guests default to
//! i686, and each interface without a target gets "testnetN" — and the summary
//! of the definition the driver works with.

use super::state::{Device, DomainDef, DomainObj, PciAddress};
use crate::abi::domain::VIR_DOMAIN_XML_INACTIVE;
use crate::abi::virterror::*;
use crate::core::{Error, Result};
use crate::uuid::{format_uuid, parse_uuid};
use crate::xml::domain::{self as model, schema, Defaults};
use crate::xml::tree::Element;
// The storage XML (storage_xml.rs) shares these.
pub(super) use crate::xml::domain::random_uuid;
pub(super) use crate::xml::tree::escape;
use roxmltree::Node;

/// The architecture of the test driver's one guest capability.
const DEFAULTS: Defaults = Defaults { arch: "i686" };

pub fn xml_error(detail: impl AsRef<str>) -> Error {
    Error::with_detail(VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN, detail)
}

/// The definition in `text`, as virDomainDefineXML(Flags) and virDomainCreateXML
/// read it; `validate` checks it against libvirt's schema first.
pub fn parse_domain_xml(text: &str, validate: bool) -> Result<DomainDef> {
    summarize(model::parse(text, validate, &DEFAULTS)?)
}

/// A `<domain>` element's definition (custom host files embed them).
pub fn parse_definition(dom: Node) -> Result<DomainDef> {
    summarize(model::parse_node(dom, false, &DEFAULTS)?)
}

fn summarize(mut xml: Element) -> Result<DomainDef> {
    name_interfaces(&mut xml);
    let text = |name: &str| xml.child_text(name).unwrap_or("").to_owned();
    let number = |name: &str| text(name).parse::<u64>().unwrap_or(0);
    let os_type = xml.child("os").and_then(|os| os.child("type"));
    let devices = xml.child("devices").map(|d| d.children.iter().filter_map(device).collect()).unwrap_or_default();
    Ok(DomainDef {
        virt_type: xml.attr("type").unwrap_or("").to_owned(),
        name: text("name"),
        uuid: parse_uuid(&text("uuid")).unwrap_or_default(),
        memory_kib: number("memory"),
        current_memory_kib: number("currentMemory"),
        vcpus: number("vcpu") as u16,
        os_type: os_type.and_then(|t| t.text.clone()).unwrap_or_default(),
        arch: os_type.and_then(|t| t.attr("arch")).unwrap_or("").to_owned(),
        devices,
        xml,
    })
}

/// The test driver names each interface without a target "testnetN", counting
/// the ones it names.
fn name_interfaces(xml: &mut Element) {
    let Some(devices) = xml.child_mut("devices") else { return };
    let spec = schema::device_spec("interface").expect("a device");
    let mut n = 0;
    for nic in devices.children.iter_mut().filter(|d| d.name == "interface") {
        if nic.child("target").and_then(|t| t.attr("dev")).is_none() {
            nic.children.retain(|c| c.name != "target");
            model::insert_in_order(nic, spec, Element::new("target").with_attr("dev", format!("testnet{n}")));
            n += 1;
        }
    }
}

/// The parts of a device the driver's statistics calls look at.
fn device(dev: &Element) -> Option<Device> {
    let attr = |name: &str, attr: &str| dev.child(name).and_then(|n| n.attr(attr)).unwrap_or("").to_owned();
    let address = dev.child("address").and_then(pci_address);
    match dev.name.as_str() {
        "disk" => Some(Device::Disk { file: attr("source", "file"), target: attr("target", "dev"), bus: attr("target", "bus"), address }),
        "interface" => Some(Device::Interface {
            mac: attr("mac", "address"),
            network: attr("source", "network"),
            ifname: attr("target", "dev"),
            address,
        }),
        "memballoon" => Some(Device::Memballoon { model: dev.attr("model").unwrap_or("").to_owned(), address }),
        _ => None,
    }
}

fn pci_address(el: &Element) -> Option<PciAddress> {
    if el.attr("type") != Some("pci") {
        return None;
    }
    let number = |name: &str| u16::from_str_radix(el.attr(name)?.trim_start_matches("0x"), 16).ok();
    Some(PciAddress {
        domain: number("domain")?,
        bus: number("bus")? as u8,
        slot: number("slot")? as u8,
        function: number("function")? as u8,
    })
}

/// virDomainGetXMLDesc: the live definition (with the id) unless `flags` asks
/// for the persistent one (VIR_DOMAIN_XML_INACTIVE).
pub fn format_domain(dom: &DomainObj, flags: u32) -> String {
    let inactive = flags & VIR_DOMAIN_XML_INACTIVE as u32 != 0;
    let def = match &dom.new_def {
        Some(persistent) if inactive => persistent,
        _ => &dom.def,
    };
    let id = (dom.is_active() && !inactive).then_some(dom.id);
    model::format(&current_xml(def), id, flags)
}

/// The definition's XML with the values the driver may have changed since.
fn current_xml(def: &DomainDef) -> Element {
    let mut xml = def.xml.clone();
    let mut set = |name: &str, value: String| {
        if let Some(el) = xml.child_mut(name) {
            el.text = Some(value);
        }
    };
    set("name", def.name.clone());
    set("uuid", format_uuid(&def.uuid));
    set("memory", def.memory_kib.to_string());
    set("currentMemory", def.current_memory_kib.to_string());
    set("vcpu", def.vcpus.to_string());
    xml
}
