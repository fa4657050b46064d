//! The domain XML libvirt's Hyper-V driver writes, element for element in the order
//! of libvirt's formatter (driver.md §5.1), with the 12.x firmware and TPM parts.

use std::fmt::Write;

use super::{Bus, DiskSource, DomainDef, Generation};
use crate::uuid::format_uuid;

/// `inactive` (VIR_DOMAIN_XML_INACTIVE) leaves out the running VM's id.
pub fn format_domain(def: &DomainDef, inactive: bool) -> String {
    let mut x = String::from("<domain type='hyperv'");
    if let (Some(id), false) = (def.id, inactive) {
        let _ = write!(x, " id='{id}'");
    }
    x += ">\n";
    let _ = writeln!(x, "  <name>{}</name>", escape(&def.name));
    if let Some(uuid) = &def.uuid {
        let _ = writeln!(x, "  <uuid>{}</uuid>", format_uuid(uuid));
    }
    if let Some(title) = &def.title {
        let _ = writeln!(x, "  <title>{}</title>", escape(title));
    }
    if let Some(description) = &def.description {
        let _ = writeln!(x, "  <description>{}</description>", escape(description));
    }
    if let Some(max) = def.max_memory_kib {
        let _ = writeln!(x, "  <maxMemory slots='0' unit='KiB'>{max}</maxMemory>");
    }
    let _ = writeln!(x, "  <memory unit='KiB'>{}</memory>", def.memory_kib);
    let _ = writeln!(x, "  <currentMemory unit='KiB'>{}</currentMemory>", def.current_memory_kib);
    let _ = writeln!(x, "  <vcpu placement='static'>{}</vcpu>", def.vcpus);
    format_os(&mut x, def);
    x += "  <clock offset='utc'/>\n";
    x += "  <on_poweroff>destroy</on_poweroff>\n  <on_reboot>restart</on_reboot>\n  <on_crash>destroy</on_crash>\n";
    x += "  <devices>\n";
    format_disks(&mut x, def);
    if def.ide_controller {
        x += "    <controller type='ide' index='0'/>\n";
    }
    for index in 0..def.scsi_controllers {
        let _ = writeln!(x, "    <controller type='scsi' index='{index}'/>");
    }
    for nic in &def.interfaces {
        x += "    <interface type='bridge'>\n";
        if let Some(mac) = &nic.mac {
            let _ = writeln!(x, "      <mac address='{}'/>", escape(mac));
        }
        let _ = writeln!(x, "      <source bridge='{}'/>", escape(&nic.switch));
        if let Some(order) = nic.boot_order {
            let _ = writeln!(x, "      <boot order='{order}'/>");
        }
        x += "    </interface>\n";
    }
    for serial in &def.serials {
        x += "    <serial type='pipe'>\n";
        // libvirt's Hyper-V driver writes an unconnected port's path as "-1".
        let _ = writeln!(x, "      <source path='{}'/>", escape(serial.pipe.as_deref().unwrap_or("-1")));
        let _ = writeln!(x, "      <target port='{}'/>", serial.port);
        x += "    </serial>\n";
    }
    if def.tpm {
        x += "    <tpm model='tpm-crb'>\n      <backend type='emulator' version='2.0'/>\n    </tpm>\n";
    }
    x += "  </devices>\n</domain>\n";
    x
}

fn format_os(x: &mut String, def: &DomainDef) {
    match def.generation {
        Generation::One => *x += "  <os>\n    <type>hvm</type>\n",
        Generation::Two => {
            *x += "  <os firmware='efi'>\n    <type>hvm</type>\n";
            // Hyper-V has one switch for both features.
            let on = if def.secure_boot.unwrap_or(true) { "yes" } else { "no" };
            let _ = write!(
                x,
                "    <firmware>\n      <feature enabled='{on}' name='enrolled-keys'/>\n      \
                 <feature enabled='{on}' name='secure-boot'/>\n    </firmware>\n    <loader secure='{on}'/>\n"
            );
        }
    }
    for dev in &def.boot {
        let _ = writeln!(x, "    <boot dev='{}'/>", dev.name());
    }
    *x += "  </os>\n";
}

fn format_disks(x: &mut String, def: &DomainDef) {
    for disk in &def.disks {
        let kind = match disk.source {
            Some(DiskSource::Block(_)) => "block",
            _ => "file",
        };
        let _ = writeln!(x, "    <disk type='{kind}' device='{}'>", disk.device.name());
        match &disk.source {
            Some(DiskSource::File(path)) => {
                let _ = writeln!(x, "      <source file='{}'/>", escape(path));
            }
            Some(DiskSource::Block(number)) => {
                let _ = writeln!(x, "      <source dev='{number}'/>");
            }
            None => {}
        }
        let _ = writeln!(x, "      <target dev='{}' bus='{}'/>", disk.target(), disk.bus.name());
        if let Some(order) = disk.boot_order {
            let _ = writeln!(x, "      <boot order='{order}'/>");
        }
        if disk.bus != Bus::Fdc {
            let a = disk.address;
            let _ = writeln!(
                x,
                "      <address type='drive' controller='{}' bus='{}' target='0' unit='{}'/>",
                a.controller, a.bus, a.unit
            );
        }
        x.push_str("    </disk>\n");
    }
}

/// XML escaping as libvirt's formatter does it: markup characters only, so a
/// description keeps its line breaks.
fn escape(s: &str) -> String {
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
