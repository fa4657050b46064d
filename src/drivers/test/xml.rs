//! A domain's XML as libvirt's formatter lays out the parts the test driver models.

use super::state::{Device, DomainObj, PciAddress};
use crate::uuid::format_uuid;
use std::fmt::Write;

/// `inactive`: the definition only (VIR_DOMAIN_XML_INACTIVE), without the live id.
pub fn format_domain(dom: &DomainObj, inactive: bool) -> String {
    let def = &dom.def;
    let mut x = String::from("<domain type='test'");
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
