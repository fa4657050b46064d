//! libvirt's domain XML: read as libvirt's parser reads it (its errors, in its
//! order), completed by its generic post-parse defaults, and written back as its
//! formatter writes it. Drivers supply their own defaults (`Defaults`).
//!
//! The definition is kept as a canonical element tree: what libvirt would keep of
//! the input, in libvirt's order, with defaults filled in (schema.rs says which
//! elements and attributes; devices.rs does the device rules).

mod devices;
mod parse_error;
pub mod schema;

use crate::abi::virterror::*;
use crate::core::{Error, Result};
use crate::uuid::{format_uuid, parse_uuid};
use crate::xml::tree::{escape, Element};
use std::fmt::Write;
use roxmltree::Node;
use schema::Spec;

pub use devices::random_mac;

/// What a driver decides for definitions that leave it open.
pub struct Defaults {
    /// The guest architecture when `<os><type>` names none.
    pub arch: &'static str,
}

/// virDomainGetXMLDesc flags the formatter honours.
pub const XML_SECURE: u32 = 1;
pub const XML_MIGRATABLE: u32 = 8;

const SCHEMA_FILE: &str = "/usr/share/libvirt/schemas/domain.rng";

/// A domain definition read from `text`; `validate` is VIR_DOMAIN_DEFINE_VALIDATE.
pub fn parse(text: &str, validate: bool, defaults: &Defaults) -> Result<Element> {
    let doc = roxmltree::Document::parse(text).map_err(|e| parse_error::libxml2(text, &e))?;
    let root = doc.root_element();
    if root.tag_name().name() != "domain" {
        let detail = format!("expecting root element of 'domain', not '{}'", root.tag_name().name());
        return Err(Error::with_detail(VIR_ERR_XML_ERROR, VIR_FROM_XML, detail));
    }
    parse_node(root, validate, defaults)
}

/// A `<domain>` element's definition (a custom test host embeds them).
pub fn parse_node(node: Node, validate: bool, defaults: &Defaults) -> Result<Element> {
    let raw = Element::from_node(node, false);
    if validate {
        if let Some(detail) = schema_violation(&raw) {
            let detail = format!("Unable to validate doc against {SCHEMA_FILE}\n{detail}");
            return Err(Error::with_detail(VIR_ERR_XML_INVALID_SCHEMA, VIR_FROM_XML, detail));
        }
    }
    let mut def = schema::DOMAIN.canonical(&raw);
    complete(&mut def, &raw, defaults)?;
    if let Some(metadata) = node.children().find(|n| n.has_tag_name("metadata")) {
        let slot = def.child_mut("metadata").expect("kept by the spec");
        // Only namespaced elements survive, each with its namespace declared.
        slot.children = metadata
            .children()
            .filter(|n| n.is_element() && n.tag_name().namespace().is_some())
            .map(|n| Element::from_node(n, true))
            .collect();
    }
    Ok(def)
}

fn xml_error(detail: impl AsRef<str>) -> Error {
    Error::with_detail(VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN, detail)
}

fn unsupported(detail: impl AsRef<str>) -> Error {
    Error::with_detail(VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_DOMAIN, detail)
}

const VIRT_TYPES: &[&str] = &[
    "none", "qemu", "kqemu", "kvm", "xen", "lxc", "uml", "openvz", "test", "vmware", "hyperv", "vbox", "phyp",
    "parallels", "bhyve", "vz", "ch",
];
const OS_TYPES: &[&str] = &["hvm", "xen", "linux", "exe", "uml", "xenpvh"];
const ARCHES: &[&str] = &[
    "alpha", "armv6l", "armv7l", "armv7b", "aarch64", "cris", "i686", "ia64", "lm32", "loongarch64", "m68k",
    "microblaze", "microblazeel", "mips", "mipsel", "mips64", "mips64el", "openrisc", "parisc", "parisc64", "ppc",
    "ppcle", "ppc64", "ppc64le", "ppcemb", "riscv32", "riscv64", "s390", "s390x", "sh4", "sh4eb", "sparc", "sparc64",
    "unicore32", "x86_64", "xtensa", "xtensaeb",
];
const POWEROFF_ACTIONS: &[&str] = &["destroy", "restart", "preserve", "rename-restart"];
const CRASH_ACTIONS: &[&str] =
    &["destroy", "restart", "preserve", "rename-restart", "coredump-destroy", "coredump-restart"];
const LIFECYCLE: [(&str, &[&str], &str); 3] = [
    ("on_poweroff", POWEROFF_ACTIONS, "destroy"),
    ("on_reboot", POWEROFF_ACTIONS, "restart"),
    ("on_crash", CRASH_ACTIONS, "destroy"),
];

/// Fills in what libvirt's parser and post-parse add, failing as they fail.
fn complete(def: &mut Element, raw: &Element, defaults: &Defaults) -> Result<()> {
    let virt_type = raw.attr("type").ok_or_else(|| Error::internal(VIR_FROM_DOMAIN, "missing domain type attribute"))?;
    if !VIRT_TYPES.contains(&virt_type) {
        return Err(unsupported(format!("invalid domain type {virt_type}")));
    }
    let name = raw.child_text("name").unwrap_or("");
    if name.is_empty() {
        return Err(Error::new(VIR_ERR_NO_NAME, VIR_FROM_DOMAIN, None));
    }
    let uuid = match raw.child_text("uuid") {
        Some(text) => parse_uuid(text).ok_or_else(|| Error::internal(VIR_FROM_DOMAIN, "malformed uuid element"))?,
        None => random_uuid(),
    };
    set_text(def, "uuid", format_uuid(&uuid));

    for name in ["maxMemory", "memory", "currentMemory"] {
        if let Some(el) = def.child_mut(name) {
            to_kib(el, name)?;
        }
    }
    if let Some(memtune) = def.child_mut("memtune") {
        for el in &mut memtune.children {
            let name = format!("memtune/{}", el.name);
            to_kib(el, &name)?;
        }
    }
    let memory = def.child("memory").and_then(|m| m.text.as_deref()).map(|t| t.parse::<u64>().unwrap_or(0));
    let memory = match memory {
        Some(m) if m > 0 => m,
        _ => return Err(xml_error("Memory size must be specified via <memory> or in the <numa> configuration")),
    };
    let current = def.child_text("currentMemory").and_then(|t| t.parse::<u64>().ok()).filter(|&c| c > 0 && c <= memory);
    set_text(def, "currentMemory", current.unwrap_or(memory).to_string());
    slot(def, "currentMemory").set("unit", "KiB");

    let vcpus = match def.child("vcpu") {
        Some(v) => parse_number(v.text.as_deref().unwrap_or(""))
            .ok_or_else(|| xml_error("maximum vcpus count must be an integer"))?,
        None => 1,
    };
    if vcpus == 0 {
        return Err(Error::internal(VIR_FROM_DOMAIN, "CPU IDs in <numa> exceed the <vcpu> count"));
    }
    let vcpu = slot(def, "vcpu");
    vcpu.text = Some(vcpus.to_string());
    if vcpu.attr("placement").is_none() {
        vcpu.attrs.insert(0, ("placement".into(), "static".into()));
    }
    if let Some(current) = vcpu.attr("current") {
        let current = parse_number(current).ok_or_else(|| xml_error("current vcpus count must be an integer"))?;
        if current == vcpus {
            vcpu.remove_attr("current");
        }
    }

    complete_os(def, raw, defaults)?;
    if def.child("clock").is_none() {
        slot(def, "clock").set("offset", "utc");
    }
    for (name, allowed, default) in LIFECYCLE {
        let action = def.child_text(name).unwrap_or(default).to_owned();
        if !allowed.contains(&action.as_str()) {
            return Err(unsupported(format!("unknown {name} action: {action}")));
        }
        set_text(def, name, action);
    }
    let arch = def.child("os").and_then(|os| os.child("type")).and_then(|t| t.attr("arch")).unwrap_or("").to_owned();
    let devices = devices::complete(raw.child("devices"), &arch)?;
    slot(def, "devices").children = devices;
    if name.contains('/') {
        return Err(xml_error(format!("name {name} cannot contain '/'")));
    }
    Ok(())
}

fn complete_os(def: &mut Element, raw: &Element, defaults: &Defaults) -> Result<()> {
    let os_type = raw.child("os").and_then(|os| os.child_text("type")).unwrap_or("");
    if os_type.is_empty() {
        return Err(xml_error("an os <type> must be specified"));
    }
    if !OS_TYPES.contains(&os_type) {
        return Err(unsupported(format!("unknown OS type '{os_type}'")));
    }
    let os = def.child_mut("os").expect("an os type was given");
    if os_type == "exe" && os.child("init").is_none() {
        return Err(xml_error("init binary must be specified"));
    }
    let ty = os.child_mut("type").expect("an os type was given");
    if os_type == "linux" {
        ty.text = Some("xen".into());
    }
    match ty.attr("arch") {
        Some(arch) if !ARCHES.contains(&arch) => return Err(unsupported(format!("Unknown architecture {arch}"))),
        Some(_) => {}
        None => ty.attrs.insert(0, ("arch".into(), defaults.arch.into())),
    }
    let has_boot_order = raw
        .child("devices")
        .is_some_and(|d| d.children.iter().any(|dev| dev.child("boot").is_some_and(|b| b.attr("order").is_some())));
    if os_type == "hvm" && os.child("boot").is_none() && !has_boot_order {
        insert_in_order(os, &schema_of("os"), Element::new("boot").with_attr("dev", "hd"));
    }
    Ok(())
}

/// An integer as libvirt's number parsers take it (surrounding blanks allowed).
fn parse_number(text: &str) -> Option<u64> {
    text.trim().parse().ok()
}

/// Converts a scaled element (`<memory unit='MiB'>`) to KiB, rounding up.
fn to_kib(el: &mut Element, what: &str) -> Result<()> {
    let text = el.text.as_deref().unwrap_or("");
    let value = parse_number(text).ok_or_else(|| {
        Error::with_detail(
            VIR_ERR_XML_ERROR,
            VIR_FROM_XML,
            format!("Invalid value '{text}' for element or attribute './{what}[1]'"),
        )
    })?;
    let scale = scale_of(el.attr("unit").unwrap_or("KiB"))?;
    let kib = (value as u128 * scale as u128).div_ceil(1024);
    el.text = Some(kib.to_string());
    el.set("unit", "KiB");
    Ok(())
}

/// The bytes in one `unit`, by libvirt's suffix rules.
pub fn scale_of(unit: &str) -> Result<u64> {
    let bad = || Error::invalid_arg(VIR_FROM_NONE, format!("unknown suffix '{unit}'"));
    let lower = unit.to_ascii_lowercase();
    if matches!(lower.as_str(), "b" | "byte" | "bytes") {
        return Ok(1);
    }
    let mut chars = lower.chars();
    let power = match chars.next() {
        Some('k') => 1,
        Some('m') => 2,
        Some('g') => 3,
        Some('t') => 4,
        Some('p') => 5,
        Some('e') => 6,
        _ => return Err(bad()),
    };
    let base: u64 = match chars.as_str() {
        "" | "ib" => 1024,
        "b" => 1000,
        _ => return Err(bad()),
    };
    Ok(base.pow(power))
}

fn schema_of(name: &str) -> &'static Spec {
    schema::domain_child(name).expect("a known element")
}

/// The child `name` of the domain, created in its place if missing.
fn slot<'a>(def: &'a mut Element, name: &str) -> &'a mut Element {
    if def.child(name).is_none() {
        insert_in_order(def, &schema::DOMAIN, Element::new(name));
    }
    def.child_mut(name).expect("just made")
}

fn set_text(def: &mut Element, name: &str, text: String) {
    slot(def, name).text = Some(text);
}

/// Inserts `child` where `spec`'s order puts it.
pub fn insert_in_order(parent: &mut Element, spec: &Spec, child: Element) {
    let rank = |name: &str| spec.children.iter().position(|s| s.name == name).unwrap_or(usize::MAX);
    let mine = rank(&child.name);
    let at = parent.children.iter().position(|c| rank(&c.name) > mine).unwrap_or(parent.children.len());
    parent.children.insert(at, child);
}

/// The XML of a definition as virDomainGetXMLDesc gives it: `id` while the
/// domain runs; `flags` as XML_SECURE and XML_MIGRATABLE ask.
pub fn format(def: &Element, id: Option<i32>, flags: u32) -> String {
    let mut out = String::from("<domain");
    for (name, value) in &def.attrs {
        let _ = write!(out, " {name}='{}'", escape(value));
    }
    if let Some(id) = id {
        let _ = write!(out, " id='{id}'");
    }
    out.push_str(">\n");
    for child in &def.children {
        match child.name.as_str() {
            "metadata" => {
                out.push_str("  <metadata>\n");
                for el in &child.children {
                    el.write_dump(&mut out, 2);
                }
                out.push_str("  </metadata>\n");
            }
            "devices" => {
                out.push_str("  <devices>\n");
                for dev in child.children.iter().filter(|d| shown(d, flags)) {
                    let mut dev = dev.clone();
                    if flags & XML_SECURE == 0 && dev.name == "graphics" {
                        dev.remove_attr("passwd");
                    }
                    dev.write(&mut out, 2);
                }
                out.push_str("  </devices>\n");
            }
            _ => child.write(&mut out, 1),
        }
    }
    out.push_str("</domain>\n");
    out
}

/// Migratable XML leaves out the PS/2 keyboards every x86 guest has anyway.
fn shown(dev: &Element, flags: u32) -> bool {
    let ps2_keyboard = dev.name == "input" && dev.attr("type") == Some("keyboard") && dev.attr("bus") == Some("ps2");
    !(flags & XML_MIGRATABLE != 0 && ps2_keyboard)
}

/// What the schema rejects in `raw`, as libxml2's validator reports it; None
/// if it is valid as far as the model can tell.
fn schema_violation(raw: &Element) -> Option<String> {
    const END: &str = "Element domain failed to validate content\n";
    if let Some(bad) = raw.children.iter().find(|c| schema::domain_child(&c.name).is_none()) {
        return Some(format!("Element domain has extra content: {}\n", bad.name));
    }
    if raw.child_text("name").map_or(true, str::is_empty) {
        let lines = "Expecting an element name, got nothing\nInvalid sequence in interleave\n";
        return Some(format!("{lines}Invalid sequence in interleave\n{END}"));
    }
    let (element, first) = invalid_element(raw)?;
    if element == "domain" {
        return Some(END.to_owned());
    }
    // The validator names the failing element of the domain's interleave, and
    // for those in its nested group (all but os and devices) the group too.
    let group = if element == "os" || element == "devices" { "" } else { "Invalid sequence in interleave\n" };
    Some(format!("{first}Extra element {element} in interleave\n{group}{END}"))
}

/// The first top-level element the schema rejects, with the validator's first
/// line about it.
fn invalid_element(raw: &Element) -> Option<(String, String)> {
    let bad = |name: &str, line: String| Some((name.to_owned(), line));
    let attrs_known = raw.attrs.iter().all(|(a, _)| a == "type" || a == "id");
    if !attrs_known || raw.attr("type").map_or(true, |t| !VIRT_TYPES.contains(&t)) {
        return bad("domain", String::new());
    }
    if raw.child_text("uuid").is_some_and(|u| parse_uuid(u).is_none()) {
        return bad("uuid", String::new());
    }
    for name in ["maxMemory", "memory", "currentMemory"] {
        let Some(el) = raw.child(name) else { continue };
        let text = el.text.as_deref().unwrap_or("");
        if text.parse::<u64>().is_err() {
            let line = match parse_number(text) {
                Some(_) => "Error validating datatype unsignedLong\n".to_owned(),
                None => format!("Type unsignedLong doesn't allow value '{text}'\n"),
            };
            return bad(name, line);
        }
        if el.attr("unit").is_some_and(|u| scale_of(u).is_err()) {
            return bad(name, format!("Invalid attribute unit for element {name}\n"));
        }
    }
    if raw.child("vcpu").is_some_and(|v| v.text.as_deref().and_then(|t| t.parse::<u64>().ok()).unwrap_or(0) == 0) {
        return bad("vcpu", String::new());
    }
    if let Some(arch) = raw.child("os").and_then(|os| os.child("type")).and_then(|t| t.attr("arch")) {
        if !ARCHES.contains(&arch) {
            return bad("os", "Invalid attribute arch for element type\n".to_owned());
        }
    }
    for (name, allowed, _) in LIFECYCLE {
        if raw.child_text(name).is_some_and(|a| !allowed.contains(&a)) {
            return bad(name, String::new());
        }
    }
    for child in &raw.children {
        let valid = match child.name.as_str() {
            "metadata" => true,
            "devices" => child.children.iter().all(|d| {
                schema::device_spec(&d.name).is_some_and(|s| s.unknown_in(d).is_none()) && devices::schema_valid(d)
            }),
            name => schema_of(name).unknown_in(child).is_none(),
        };
        if !valid {
            return bad(&child.name, String::new());
        }
    }
    None
}

pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    if getrandom::getrandom(&mut bytes).is_err() {
        // Unique in this process is enough: mix the clock with a counter.
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
pub fn random_uuid() -> [u8; 16] {
    let mut uuid = random_bytes::<16>();
    uuid[6] = (uuid[6] & 0x0f) | 0x40;
    uuid[8] = (uuid[8] & 0x3f) | 0x80;
    uuid
}

#[cfg(test)]
mod tests;
