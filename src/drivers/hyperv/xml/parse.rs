//! Reading libvirt domain XML (or one device of it) into the Hyper-V model.
//! Everything Hyper-V can carry out is taken; what it cannot is refused with
//! libvirt's configuration errors, never silently dropped, except the elements
//! libvirt's own Hyper-V driver ignores too (clock, features, on_*, video, ...).

use roxmltree::{Document, Node};

use super::{
    drive_index, BootDev, Bus, Disk, DiskDevice, DiskSource, DomainDef, DriveAddress, Generation, Interface, Serial,
};
use crate::abi::virterror::*;
use crate::core::{Error, Result};
use crate::uuid::parse_uuid;

/// A device of virDomainAttachDevice / DetachDevice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Device {
    Disk(Disk),
    Interface(Interface),
    Serial(Serial),
}

pub fn xml_error(detail: impl AsRef<str>) -> Error {
    Error::with_detail(VIR_ERR_XML_ERROR, VIR_FROM_DOMAIN, detail)
}

pub fn unsupported(detail: impl AsRef<str>) -> Error {
    Error::with_detail(VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_DOMAIN, detail)
}

fn document<'a>(xml: &'a str, what: &str) -> Result<Document<'a>> {
    Document::parse(xml).map_err(|e| {
        let row = e.pos().row;
        let mut error = Error::with_detail(VIR_ERR_XML_DETAIL, VIR_FROM_XML, format!("({what}):{row}: {e}"));
        // libvirt's parse errors carry the line.
        error.int1 = row as i32;
        error
    })
}

fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|c| c.has_tag_name(name))
}

fn children<'a, 'i: 'a>(node: Node<'a, 'i>, name: &'a str) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
    node.children().filter(move |c| c.has_tag_name(name))
}

fn text<'a>(node: Node<'a, '_>) -> &'a str {
    node.text().unwrap_or("").trim()
}

fn yes_no(value: &str, what: &str) -> Result<bool> {
    match value {
        "yes" | "on" => Ok(true),
        "no" | "off" => Ok(false),
        other => Err(xml_error(format!("invalid value '{other}' of {what}"))),
    }
}

fn number<T: std::str::FromStr>(value: &str, what: &str) -> Result<T> {
    value
        .trim()
        .parse()
        .map_err(|_| xml_error(format!("invalid {what} '{value}'")))
}

/// A `<memory unit='...'>` style size in KiB.
fn scaled_kib(node: Node, what: &str) -> Result<u64> {
    let value: u64 = number(text(node), what)?;
    let bytes: u64 = match node.attribute("unit").unwrap_or("KiB") {
        "b" | "bytes" => 1,
        "KB" => 1000,
        "k" | "K" | "KiB" => 1 << 10,
        "MB" => 1000 * 1000,
        "M" | "MiB" => 1 << 20,
        "GB" => 1000 * 1000 * 1000,
        "G" | "GiB" => 1 << 30,
        "TB" => 1000u64.pow(4),
        "T" | "TiB" => 1 << 40,
        unit => return Err(xml_error(format!("unknown unit '{unit}' of {what}"))),
    };
    value
        .checked_mul(bytes)
        .map(|b| b.div_ceil(1024))
        .ok_or_else(|| xml_error(format!("{what} is too large")))
}

/// A whole domain, as virDomainDefineXML gets it.
pub fn parse_domain(xml: &str) -> Result<DomainDef> {
    let doc = document(xml, "domain_definition")?;
    let root = doc.root_element();
    if !root.has_tag_name("domain") {
        return Err(xml_error(format!(
            "unexpected root element <{}>, expecting <domain>",
            root.tag_name().name()
        )));
    }
    match root.attribute("type") {
        Some("hyperv") => {}
        Some(other) => {
            return Err(unsupported(format!("domain type '{other}' is not supported by the Hyper-V driver")))
        }
        None => return Err(xml_error("missing domain type attribute")),
    }
    let name = child(root, "name").map(text).unwrap_or("");
    if name.is_empty() {
        return Err(Error::new(VIR_ERR_NO_NAME, VIR_FROM_DOMAIN, Some("domain_definition")));
    }
    let uuid = match child(root, "uuid") {
        Some(node) => Some(parse_uuid(text(node)).ok_or_else(|| xml_error("malformed uuid element"))?),
        None => None,
    };
    let memory = child(root, "memory")
        .map(|n| scaled_kib(n, "memory size"))
        .transpose()?
        .ok_or_else(|| xml_error("Memory size must be specified via <memory> or in the <numa> configuration"))?;
    let current = child(root, "currentMemory")
        .map(|n| scaled_kib(n, "current memory size"))
        .transpose()?
        .unwrap_or(memory);
    if current > memory {
        return Err(xml_error("currentMemory must not be larger than memory"));
    }
    let max_memory = child(root, "maxMemory").map(|n| scaled_kib(n, "maximum memory size")).transpose()?;
    let vcpus = match child(root, "vcpu") {
        Some(node) => number::<u32>(text(node), "maximum vcpus count")?,
        None => 1,
    };
    if vcpus == 0 {
        return Err(xml_error("Invalid number of vCPUs '0'"));
    }
    let mut def = DomainDef {
        name: name.to_owned(),
        uuid,
        title: child(root, "title").map(|n| text(n).to_owned()),
        description: child(root, "description").map(|n| n.text().unwrap_or("").to_owned()),
        max_memory_kib: max_memory,
        memory_kib: memory,
        current_memory_kib: current,
        vcpus,
        ..DomainDef::default()
    };
    if let Some(os) = child(root, "os") {
        parse_os(os, &mut def)?;
    }
    def.ide_controller = def.generation == Generation::One;
    if let Some(devices) = child(root, "devices") {
        for node in devices.children().filter(Node::is_element) {
            match node.tag_name().name() {
                "controller" => parse_controller(node, &mut def)?,
                "tpm" => def.tpm = true,
                "disk" | "interface" | "serial" => match parse_device_node(node, def.generation)? {
                    Device::Disk(disk) => def.disks.push(disk),
                    Device::Interface(nic) => def.interfaces.push(nic),
                    Device::Serial(serial) => def.serials.push(serial),
                },
                // What libvirt's Hyper-V driver also ignores at define.
                _ => {}
            }
        }
    }
    check_domain(&mut def)?;
    Ok(def)
}

/// One device, as virDomainAttachDevice gets it; `generation` is the VM's.
pub fn parse_device(xml: &str, generation: Generation) -> Result<Device> {
    let doc = document(xml, "device_definition")?;
    parse_device_node(doc.root_element(), generation)
}

fn parse_os(os: Node, def: &mut DomainDef) -> Result<()> {
    if let Some(t) = child(os, "type") {
        if text(t) != "hvm" {
            return Err(unsupported(format!("OS type '{}' is not supported by Hyper-V", text(t))));
        }
    }
    let mut secure: Option<bool> = None;
    let mut agree = |value: bool, what: &str| -> Result<()> {
        match secure {
            Some(previous) if previous != value => Err(unsupported(format!(
                "{what} contradicts the other secure boot settings: Hyper-V has one switch for secure boot \
                 and enrolled keys"
            ))),
            _ => {
                secure = Some(value);
                Ok(())
            }
        }
    };
    let efi = match os.attribute("firmware") {
        None => child(os, "loader").is_some_and(|l| l.attribute("type") == Some("pflash")),
        Some("efi") => true,
        Some("bios") => false,
        Some(other) => return Err(xml_error(format!("unknown firmware value {other}"))),
    };
    if let Some(firmware) = child(os, "firmware") {
        for feature in children(firmware, "feature") {
            let enabled = yes_no(feature.attribute("enabled").unwrap_or(""), "firmware feature 'enabled'")?;
            match feature.attribute("name") {
                Some(name @ ("secure-boot" | "enrolled-keys")) => agree(enabled, &format!("feature '{name}'"))?,
                Some(other) => return Err(unsupported(format!("firmware feature '{other}' is not supported by Hyper-V"))),
                None => return Err(xml_error("missing firmware feature name")),
            }
        }
    }
    if let Some(secure_attr) = child(os, "loader").and_then(|l| l.attribute("secure")) {
        agree(yes_no(secure_attr, "loader 'secure'")?, "<loader secure>")?;
    }
    def.generation = if efi { Generation::Two } else { Generation::One };
    if !efi && secure == Some(true) {
        return Err(unsupported("secure boot needs UEFI firmware (Generation 2): add firmware='efi' to <os>"));
    }
    def.secure_boot = if efi { secure } else { None };
    for boot in children(os, "boot") {
        let dev = match boot.attribute("dev") {
            Some("fd") => BootDev::Floppy,
            Some("cdrom") => BootDev::Cdrom,
            Some("hd") => BootDev::Hd,
            Some("network") => BootDev::Network,
            other => return Err(xml_error(format!("unknown boot device '{}'", other.unwrap_or("")))),
        };
        if !def.boot.contains(&dev) {
            def.boot.push(dev);
        }
    }
    Ok(())
}

fn parse_controller(node: Node, def: &mut DomainDef) -> Result<()> {
    let index: u32 = number(node.attribute("index").unwrap_or("0"), "controller index")?;
    if node.attribute("model").is_some_and(|m| m != "default" && m != "auto") || child(node, "address").is_some() {
        return Err(unsupported("Hyper-V controllers take no model and no address"));
    }
    match node.attribute("type") {
        Some("scsi") => {
            if index >= 4 {
                return Err(unsupported(format!("SCSI controller index {index}: Hyper-V has at most 4")));
            }
            def.scsi_controllers = def.scsi_controllers.max(index + 1);
        }
        Some("ide") if index == 0 && def.generation == Generation::One => {}
        Some("ide") => return Err(unsupported("Hyper-V has one IDE controller (index 0), in Generation 1 VMs only")),
        Some("fdc") if def.generation == Generation::One => {}
        // USB, PCI, virtio-serial, ... are part of every VM or do not exist on Hyper-V.
        _ => {}
    }
    Ok(())
}

fn parse_device_node(node: Node, generation: Generation) -> Result<Device> {
    match node.tag_name().name() {
        "disk" => parse_disk(node, generation).map(Device::Disk),
        "interface" => parse_interface(node).map(Device::Interface),
        "serial" => parse_serial(node).map(Device::Serial),
        other => Err(unsupported(format!("devices of type '{other}' cannot be attached to a Hyper-V VM"))),
    }
}

fn boot_order(node: Node) -> Result<Option<u32>> {
    child(node, "boot")
        .map(|b| number::<u32>(b.attribute("order").unwrap_or(""), "boot order"))
        .transpose()
}

fn parse_disk(node: Node, generation: Generation) -> Result<Disk> {
    let device = match node.attribute("device").unwrap_or("disk") {
        "disk" => DiskDevice::Disk,
        "cdrom" => DiskDevice::Cdrom,
        "floppy" => DiskDevice::Floppy,
        other => return Err(unsupported(format!("disk device '{other}' is not supported by Hyper-V"))),
    };
    let source = child(node, "source");
    let source = match node.attribute("type").unwrap_or("file") {
        "file" => source.and_then(|s| s.attribute("file")).map(|f| DiskSource::File(f.to_owned())),
        "block" => match source.and_then(|s| s.attribute("dev")) {
            Some(dev) => Some(DiskSource::Block(number(dev, "host drive number")?)),
            None => None,
        },
        other => return Err(unsupported(format!("disk type '{other}' is not supported by Hyper-V"))),
    };
    if matches!(source, Some(DiskSource::Block(_))) && device != DiskDevice::Disk {
        return Err(unsupported("only hard disks can be physical disks"));
    }
    let target = child(node, "target").ok_or_else(|| {
        Error::with_detail(VIR_ERR_NO_TARGET, VIR_FROM_DOMAIN, "a disk needs a <target dev=... bus=...>")
    })?;
    let dev = target.attribute("dev").unwrap_or("");
    let default_bus = match (device, generation) {
        (DiskDevice::Floppy, _) => "fdc",
        (_, Generation::Two) => "scsi",
        _ if dev.starts_with("sd") => "scsi",
        _ => "ide",
    };
    let bus = match target.attribute("bus").unwrap_or(default_bus) {
        "ide" => Bus::Ide,
        "scsi" => Bus::Scsi,
        "fdc" => Bus::Fdc,
        other => {
            return Err(unsupported(format!(
                "disk bus '{other}' is not supported by Hyper-V (ide, scsi or fdc)"
            )))
        }
    };
    if (bus == Bus::Fdc) != (device == DiskDevice::Floppy) {
        return Err(unsupported("floppies, and only floppies, sit on the fdc bus"));
    }
    if generation == Generation::Two && bus != Bus::Scsi {
        return Err(unsupported(format!(
            "Generation 2 (UEFI) VMs have no {} bus: put the disk on scsi",
            bus.name()
        )));
    }
    let address = match child(node, "address") {
        Some(a) if a.attribute("type") == Some("drive") => {
            let field = |name: &str| number::<u32>(a.attribute(name).unwrap_or("0"), &format!("drive address {name}"));
            DriveAddress { controller: field("controller")?, bus: field("bus")?, unit: field("unit")? }
        }
        Some(_) => return Err(unsupported("disks on Hyper-V take <address type='drive'>")),
        None => address_from_target(dev, bus)?,
    };
    let limits = match bus {
        Bus::Ide => address.controller == 0 && address.bus < 2 && address.unit < 2,
        Bus::Scsi => address.controller < 4 && address.bus == 0 && address.unit < 64,
        Bus::Fdc => address.unit == 0,
    };
    if !limits {
        return Err(unsupported(format!(
            "no {} location controller={} bus={} unit={} on Hyper-V (IDE: controller 0, bus 0-1, unit 0-1; \
             SCSI: controller 0-3, bus 0, unit 0-63)",
            bus.name(),
            address.controller,
            address.bus,
            address.unit
        )));
    }
    Ok(Disk { device, source, bus, address, boot_order: boot_order(node)? })
}

/// The address the target name implies (what libvirt's parser assigns when the XML
/// has none), the inverse of `Disk::target`.
fn address_from_target(dev: &str, bus: Bus) -> Result<DriveAddress> {
    let index = ["hd", "sd", "fd", "vd", "xvd"]
        .iter()
        .find_map(|p| dev.strip_prefix(p))
        .and_then(drive_index)
        .ok_or_else(|| xml_error(format!("invalid disk target '{dev}'")))?;
    Ok(match bus {
        Bus::Ide => DriveAddress { controller: 0, bus: index / 2, unit: index % 2 },
        Bus::Scsi => DriveAddress { controller: index / 64, bus: 0, unit: index % 64 },
        Bus::Fdc => DriveAddress { controller: 0, bus: 0, unit: index },
    })
}

fn parse_interface(node: Node) -> Result<Interface> {
    let source = child(node, "source");
    let switch = match node.attribute("type") {
        Some("bridge") => source.and_then(|s| s.attribute("bridge")),
        Some("network") => source.and_then(|s| s.attribute("network")),
        other => {
            return Err(unsupported(format!(
                "interface type '{}' is not supported by Hyper-V: use type='bridge' with the virtual switch's \
                 name or GUID as <source bridge=...>",
                other.unwrap_or("")
            )))
        }
    };
    let switch = switch
        .filter(|s| !s.is_empty())
        .ok_or_else(|| xml_error("an interface needs the virtual switch as <source bridge='NAME-or-GUID'/>"))?;
    let mac = match child(node, "mac").and_then(|m| m.attribute("address")) {
        Some(mac) => {
            let parts: Vec<&str> = mac.split(':').collect();
            let valid = parts.len() == 6 && parts.iter().all(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_hexdigit()));
            if !valid {
                return Err(Error::with_detail(VIR_ERR_INVALID_MAC, VIR_FROM_DOMAIN, format!("unable to parse mac address '{mac}'")));
            }
            Some(mac.to_ascii_lowercase())
        }
        None => None,
    };
    Ok(Interface { mac, switch: switch.to_owned(), boot_order: boot_order(node)? })
}

fn parse_serial(node: Node) -> Result<Serial> {
    let port = match child(node, "target").and_then(|t| t.attribute("port")) {
        Some(port) => number::<u32>(port, "serial port")?,
        None => 1,
    };
    if !(1..=2).contains(&port) {
        return Err(unsupported(format!(
            "serial port {port}: Hyper-V VMs have COM 1 and COM 2 (<target port='1'/> or '2')"
        )));
    }
    let path = child(node, "source").and_then(|s| s.attribute("path")).unwrap_or("");
    let pipe = match node.attribute("type") {
        Some("pipe") if path == "-1" || path.is_empty() => None,
        Some("pipe") => Some(path.to_owned()),
        Some("null") => None,
        other => {
            return Err(unsupported(format!(
                "serial type '{}' is not supported by Hyper-V: use type='pipe' with <source path='\\\\.\\pipe\\NAME'/>",
                other.unwrap_or("")
            )))
        }
    };
    Ok(Serial { port, pipe })
}

/// Disks to create need an image (only a DVD drive may be empty); detaching names
/// a disk by its target alone.
pub fn require_source(disk: &Disk) -> Result<()> {
    if disk.source.is_none() && disk.device != DiskDevice::Cdrom {
        return Err(Error::with_detail(VIR_ERR_NO_SOURCE, VIR_FROM_DOMAIN, format!("disk {}", disk.target())));
    }
    Ok(())
}

/// What no single element shows: duplicates and the controllers disks need.
fn check_domain(def: &mut DomainDef) -> Result<()> {
    for (i, disk) in def.disks.iter().enumerate() {
        require_source(disk)?;
        if def.disks[..i].iter().any(|d| d.bus == disk.bus && d.address == disk.address) {
            return Err(unsupported(format!("two disks at the same location: {}", disk.target())));
        }
        if disk.bus == Bus::Scsi {
            def.scsi_controllers = def.scsi_controllers.max(disk.address.controller + 1);
        }
    }
    for (i, serial) in def.serials.iter().enumerate() {
        if def.serials[..i].iter().any(|s| s.port == serial.port) {
            return Err(unsupported(format!("serial port {} given twice", serial.port)));
        }
    }
    let boot_orders = def.disks.iter().filter_map(|d| d.boot_order).chain(def.interfaces.iter().filter_map(|n| n.boot_order));
    if boot_orders.clone().next().is_some() && !def.boot.is_empty() {
        return Err(unsupported("per-device boot elements cannot be used together with os/boot elements"));
    }
    let mut seen: Vec<u32> = boot_orders.collect();
    seen.sort_unstable();
    if seen.windows(2).any(|w| w[0] == w[1]) {
        return Err(unsupported("boot order is used by more than one device"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    pub const GEN2: &str = r#"<domain type='hyperv'>
  <name>linuxkit</name>
  <uuid>6a1d2e3f-4b5c-4d6e-8f70-8192a3b4c5d6</uuid>
  <description>LinuxKit test</description>
  <memory unit='MiB'>2048</memory>
  <vcpu>2</vcpu>
  <os firmware='efi'><type>hvm</type><loader secure='no'/></os>
  <devices>
    <disk type='file' device='disk'><source file='C:\VMs\lk.vhdx'/><target dev='sda' bus='scsi'/><boot order='2'/></disk>
    <disk type='file' device='cdrom'><source file='C:\ISO\lk.iso'/><target dev='sdb' bus='scsi'/><boot order='1'/></disk>
    <interface type='bridge'><mac address='00:15:5D:01:02:03'/><source bridge='Default Switch'/></interface>
    <serial type='pipe'><source path='\\.\pipe\lk-com1'/><target port='1'/></serial>
    <video><model type='vga'/></video>
  </devices>
</domain>"#;

    #[test]
    fn generation_2_the_linuxkit_way() {
        let def = parse_domain(GEN2).unwrap();
        assert_eq!(def.name, "linuxkit");
        assert_eq!(def.generation, Generation::Two);
        assert_eq!(def.secure_boot, Some(false));
        assert_eq!((def.memory_kib, def.current_memory_kib, def.vcpus), (2 << 20, 2 << 20, 2));
        assert_eq!(def.scsi_controllers, 1);
        assert!(!def.ide_controller);
        assert_eq!(def.disks.len(), 2);
        assert_eq!(def.disks[1].device, DiskDevice::Cdrom);
        assert_eq!(def.disks[1].address, DriveAddress { controller: 0, bus: 0, unit: 1 });
        assert_eq!(def.disks[1].boot_order, Some(1));
        assert_eq!(def.interfaces[0].mac.as_deref(), Some("00:15:5d:01:02:03"));
        assert_eq!(def.interfaces[0].switch, "Default Switch");
        assert_eq!(def.serials, [Serial { port: 1, pipe: Some(r"\\.\pipe\lk-com1".into()) }]);
    }

    #[test]
    fn round_trip_through_the_formatter() {
        let mut def = parse_domain(GEN2).unwrap();
        for d in &mut def.disks {
            d.boot_order = None;
        }
        def.interfaces[0].boot_order = None;
        let xml = super::super::format::format_domain(&def, false);
        assert!(xml.contains("<loader secure='no'/>"), "{xml}");
        assert!(xml.contains("<target dev='sdb' bus='scsi'/>\n      <address type='drive' controller='0' bus='0' target='0' unit='1'/>"), "{xml}");
        assert_eq!(parse_domain(&xml).unwrap(), def);
    }

    #[test]
    fn generation_1_and_ide_addresses() {
        let xml = r#"<domain type='hyperv'><name>old</name><memory>1048576</memory>
          <os><type>hvm</type><boot dev='cdrom'/><boot dev='hd'/></os><devices>
          <disk type='file'><source file='C:\a.vhd'/><target dev='hdb'/></disk>
          <disk type='file' device='cdrom'><source file='C:\b.iso'/><target dev='hdc' bus='ide'/></disk>
          <disk type='file' device='floppy'><source file='C:\f.vfd'/><target dev='fda'/></disk>
          </devices></domain>"#;
        let def = parse_domain(xml).unwrap();
        assert_eq!(def.generation, Generation::One);
        assert!(def.ide_controller);
        assert_eq!(def.boot, [BootDev::Cdrom, BootDev::Hd]);
        assert_eq!(def.disks[0].address, DriveAddress { controller: 0, bus: 0, unit: 1 });
        assert_eq!(def.disks[1].address, DriveAddress { controller: 0, bus: 1, unit: 0 });
        assert_eq!(def.disks[2].bus, Bus::Fdc);
        // The address wins over the name, as in libvirt; formatting names it again.
        let xml2 = xml.replace(
            "<target dev='hdb'/>",
            "<target dev='hdb'/><address type='drive' controller='0' bus='1' unit='1'/>",
        );
        assert_eq!(parse_domain(&xml2).unwrap().disks[0].target(), "hdd");
    }

    fn error(xml: &str) -> Error {
        parse_domain(xml).unwrap_err()
    }

    #[test]
    fn refusals() {
        let e = error("<domain type='hyperv'><name>x</name>");
        assert_eq!((e.code, e.domain), (VIR_ERR_XML_DETAIL, VIR_FROM_XML));
        let e = error("<domain type='kvm'><name>x</name><memory>1</memory></domain>");
        assert_eq!(e.code, VIR_ERR_CONFIG_UNSUPPORTED);
        let e = error("<domain type='hyperv'><memory>1</memory></domain>");
        assert_eq!(e.code, VIR_ERR_NO_NAME);
        let e = error("<domain type='hyperv'><name>x</name></domain>");
        assert_eq!(e.code, VIR_ERR_XML_ERROR);
        let bad_uuid = "<domain type='hyperv'><name>x</name><uuid>nope</uuid><memory>1</memory></domain>";
        assert_eq!(error(bad_uuid).message, "XML error: malformed uuid element");
        let ide_on_gen2 = GEN2.replace("dev='sda' bus='scsi'", "dev='hda' bus='ide'");
        let e = error(&ide_on_gen2);
        assert_eq!(e.code, VIR_ERR_CONFIG_UNSUPPORTED);
        assert!(e.message.contains("Generation 2 (UEFI) VMs have no ide bus"), "{}", e.message);
        let virtio = GEN2.replace("bus='scsi'/><boot order='2'/>", "bus='virtio'/>");
        assert!(error(&virtio).message.contains("disk bus 'virtio' is not supported"));
        let contradiction = GEN2.replace(
            "<loader secure='no'/>",
            "<firmware><feature enabled='yes' name='secure-boot'/></firmware><loader secure='no'/>",
        );
        assert_eq!(error(&contradiction).code, VIR_ERR_CONFIG_UNSUPPORTED);
        let user_net = GEN2.replace("type='bridge'", "type='user'");
        assert!(error(&user_net).message.contains("interface type 'user'"));
        let com3 = GEN2.replace("port='1'", "port='3'");
        assert!(error(&com3).message.contains("COM 1 and COM 2"));
        let same = GEN2.replace("dev='sdb'", "dev='sda'");
        assert!(error(&same).message.contains("two disks at the same location"));
        let both = GEN2.replace("<type>hvm</type>", "<type>hvm</type><boot dev='hd'/>");
        assert_eq!(error(&both).code, VIR_ERR_CONFIG_UNSUPPORTED);
        let bad_mac = GEN2.replace("00:15:5D:01:02:03", "00:15:5D:01:02");
        assert_eq!(error(&bad_mac).code, VIR_ERR_INVALID_MAC);
    }

    #[test]
    fn devices_alone() {
        let d = parse_device("<interface type='bridge'><source bridge='sw'/></interface>", Generation::Two).unwrap();
        assert_eq!(d, Device::Interface(Interface { mac: None, switch: "sw".into(), boot_order: None }));
        let e = parse_device("<sound model='ich6'/>", Generation::Two).unwrap_err();
        assert_eq!(e.code, VIR_ERR_CONFIG_UNSUPPORTED);
    }
}
