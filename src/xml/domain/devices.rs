//! The `<devices>` of a definition: each kind in libvirt's order, and the rules
//! libvirt's post-parse applies (disk buses and drive addresses, the controllers
//! they imply, generated MACs, serial/console pairing, graphics listens, video
//! defaults).

use super::schema::{self, Spec};
use super::{random_bytes, xml_error};
use crate::abi::virterror::*;
use crate::core::{Error, Result};
use crate::xml::tree::Element;

const DISK_BUSES: &[&str] = &["ide", "fdc", "scsi", "virtio", "xen", "usb", "uml", "sata", "sd"];

/// The completed devices of a definition whose guest architecture is `arch`.
pub fn complete(raw: Option<&Element>, arch: &str) -> Result<Vec<Element>> {
    let mut kinds: Vec<Vec<Element>> = vec![Vec::new(); schema::DEVICES.len()];
    let mut disks = Vec::new();
    let kind = |name: &str| schema::DEVICES.iter().position(|s| s.name == name);
    for dev in raw.map(|d| d.children.as_slice()).unwrap_or_default() {
        let Some(k) = kind(&dev.name) else { continue };
        let mut el = schema::DEVICES[k].canonical(dev);
        normalize_addresses(&mut el);
        match dev.name.as_str() {
            "disk" => {
                // Disks are placed by the bus as written, before defaults apply.
                let written_bus = dev.child("target").and_then(|t| t.attr("bus")).map(str::to_owned);
                complete_disk(&mut el)?;
                insert_disk(&mut disks, el, written_bus);
            }
            "controller" => {
                if el.attr("index").is_none() {
                    el.attrs.insert(1.min(el.attrs.len()), ("index".into(), "0".into()));
                }
                insert_controller(&mut kinds[k], el);
            }
            "interface" => {
                complete_interface(&mut el)?;
                kinds[k].push(el);
            }
            "input" => {
                if el.attr("bus").is_none() {
                    let bus = match el.attr("type") {
                        Some("tablet") => "usb",
                        _ if arch == "i686" || arch == "x86_64" => "ps2",
                        _ => "usb",
                    };
                    el.attrs.insert(1.min(el.attrs.len()), ("bus".into(), bus.into()));
                }
                kinds[k].push(el);
            }
            "graphics" => {
                complete_graphics(&mut el);
                kinds[k].push(el);
            }
            "sound" => {
                if !matches!(el.attr("model"), Some("ich6" | "ich7" | "ich9")) {
                    el.children.retain(|c| c.name != "codec");
                }
                kinds[k].push(el);
            }
            _ => kinds[k].push(el),
        }
    }
    let [serial, parallel, console, channel, video, graphics, controller] =
        ["serial", "parallel", "console", "channel", "video", "graphics", "controller"].map(|n| kind(n).expect("known"));
    number_ports(&mut kinds[serial]);
    number_ports(&mut kinds[parallel]);
    pair_console(&mut kinds, serial, console);
    if kinds[video].is_empty() && !kinds[graphics].is_empty() {
        kinds[video].push(Element::new("video"));
    }
    complete_videos(&mut kinds[video]);
    let disks: Vec<Element> = disks.into_iter().map(|(disk, _)| disk).collect();
    let virtio_serial = kinds[channel].iter().chain(&kinds[console]).any(|c| {
        c.child("target").and_then(|t| t.attr("type")) == Some("virtio")
    });
    add_implicit_controllers(&mut kinds[controller], &disks, virtio_serial);
    kinds[kind("disk").expect("known")] = disks;
    Ok(kinds.into_iter().flatten().collect())
}

/// Whether a device passes the schema's value checks the model knows.
pub fn schema_valid(dev: &Element) -> bool {
    match dev.name.as_str() {
        "disk" => dev
            .child("target")
            .is_some_and(|t| t.attr("dev").is_some() && t.attr("bus").map_or(true, |b| DISK_BUSES.contains(&b))),
        "interface" => dev.child("mac").and_then(|m| m.attr("address")).map_or(true, |m| parse_mac(m).is_some()),
        _ => true,
    }
}

/// Formats every PCI address (in a device or a host device's source) as libvirt does.
fn normalize_addresses(el: &mut Element) {
    for child in &mut el.children {
        if child.name == "address" && matches!(child.attr("type"), Some("pci") | None) && child.attr("slot").is_some() {
            for (name, width) in [("domain", 4), ("bus", 2), ("slot", 2), ("function", 1)] {
                let value = child.attr(name).and_then(parse_int).unwrap_or(0);
                child.set(name, format!("0x{value:0width$x}"));
            }
        } else {
            normalize_addresses(child);
        }
    }
}

fn parse_int(text: &str) -> Option<u64> {
    match text.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => text.parse().ok(),
    }
}

/// The index libvirt gives a disk name ("hda" 0, "sdb" 1, "vdaa" 26), if it has one.
pub fn disk_index(name: &str) -> Option<u64> {
    let letters = ["fd", "hd", "vd", "sd", "xvd", "ubd"].iter().find_map(|p| name.strip_prefix(p))?;
    if letters.is_empty() {
        return None;
    }
    let mut index: u64 = 0;
    for (i, c) in letters.chars().enumerate() {
        if !c.is_ascii_lowercase() {
            return None;
        }
        index = (index + u64::from(i > 0)) * 26 + u64::from(c as u8 - b'a');
    }
    Some(index)
}

fn complete_disk(disk: &mut Element) -> Result<()> {
    if disk.attr("type").is_none() {
        disk.attrs.insert(0, ("type".into(), "file".into()));
    }
    if disk.attr("device").is_none() {
        disk.attrs.insert(1, ("device".into(), "disk".into()));
    }
    let source = disk.child("source").and_then(|s| s.attr("file").or(s.attr("dev")).or(s.attr("dir")).or(s.attr("name")));
    let Some(dev) = disk.child("target").and_then(|t| t.attr("dev")).map(str::to_owned) else {
        return Err(Error::new(VIR_ERR_NO_TARGET, VIR_FROM_DOMAIN, Some(source.unwrap_or("<null>"))));
    };
    let floppy = disk.attr("device") == Some("floppy");
    let target = disk.child_mut("target").expect("checked");
    let bus = match target.attr("bus") {
        Some(bus) if DISK_BUSES.contains(&bus) => bus.to_owned(),
        Some(bus) => {
            let detail = format!("Invalid value for attribute 'bus' in element 'target': '{bus}'.");
            return Err(Error::with_detail(VIR_ERR_XML_ERROR, VIR_FROM_XML, detail));
        }
        None => {
            let bus = match () {
                _ if floppy => "fdc",
                _ if dev.starts_with("hd") => "ide",
                _ if dev.starts_with("sd") => "scsi",
                _ if dev.starts_with("vd") => "virtio",
                _ if dev.starts_with("xvd") => "xen",
                _ if dev.starts_with("ubd") => "uml",
                _ => "ide",
            };
            target.attrs.insert(1, ("bus".into(), bus.into()));
            bus.to_owned()
        }
    };
    if disk.child("address").is_none() {
        if let Some(address) = drive_address(&bus, disk_index(&dev).unwrap_or(0)) {
            disk.children.push(address);
        }
    }
    Ok(())
}

/// The drive address libvirt assigns the disk at `index` of a controller bus.
fn drive_address(bus: &str, index: u64) -> Option<Element> {
    let (per_controller, per_bus) = match bus {
        "ide" => (4, 2),
        "fdc" => (2, 2),
        "scsi" => (7, 7),
        "sata" => (6, 6),
        _ => return None,
    };
    let address = Element::new("address")
        .with_attr("type", "drive")
        .with_attr("controller", (index / per_controller).to_string())
        .with_attr("bus", (index % per_controller / per_bus).to_string())
        .with_attr("target", "0")
        .with_attr("unit", (index % per_bus).to_string());
    Some(address)
}

/// libvirt's placement of a parsed disk: before the disks on the same bus (as
/// written) with higher indexes, else after the last one on that bus, else last.
fn insert_disk(disks: &mut Vec<(Element, Option<String>)>, disk: Element, bus: Option<String>) {
    let index = |d: &Element| d.child("target").and_then(|t| t.attr("dev")).and_then(disk_index);
    let mine = index(&disk);
    let mut at = None;
    for (i, (other, other_bus)) in disks.iter().enumerate().rev() {
        if *other_bus == bus {
            if index(other) > mine {
                at = Some(i);
            } else if at.is_none() {
                at = Some(i + 1);
            }
        }
    }
    disks.insert(at.unwrap_or(disks.len()), (disk, bus));
}

fn controller_key(c: &Element) -> (String, u64) {
    (c.attr("type").unwrap_or("").to_owned(), c.attr("index").and_then(parse_int).unwrap_or(0))
}

/// libvirt's placement of a controller: before the first of its type with a
/// higher index, else after the last of its type, else last.
fn insert_controller(controllers: &mut Vec<Element>, controller: Element) {
    let (ty, index) = controller_key(&controller);
    let same = |c: &&Element| controller_key(c).0 == ty;
    let at = controllers
        .iter()
        .position(|c| same(&c) && controller_key(c).1 > index)
        .or_else(|| controllers.iter().rposition(|c| same(&c)).map(|i| i + 1))
        .unwrap_or(controllers.len());
    controllers.insert(at, controller);
}

/// The controllers libvirt adds for the disks' drive addresses and for virtio
/// serial channels, each type in its order.
fn add_implicit_controllers(controllers: &mut Vec<Element>, disks: &[Element], virtio_serial: bool) {
    for bus in ["scsi", "fdc", "ide", "sata"] {
        let highest = disks
            .iter()
            .filter(|d| d.child("target").and_then(|t| t.attr("bus")) == Some(bus))
            .filter_map(|d| d.child("address").filter(|a| a.attr("type") == Some("drive")))
            .filter_map(|a| a.attr("controller").and_then(parse_int))
            .max();
        for index in 0..highest.map_or(0, |h| h + 1) {
            add_controller(controllers, bus, index);
        }
    }
    if virtio_serial {
        add_controller(controllers, "virtio-serial", 0);
    }
}

fn add_controller(controllers: &mut Vec<Element>, ty: &str, index: u64) {
    if !controllers.iter().any(|c| controller_key(c) == (ty.to_owned(), index)) {
        let controller = Element::new("controller").with_attr("type", ty).with_attr("index", index.to_string());
        insert_controller(controllers, controller);
    }
}

/// A MAC address in libvirt's default prefix 52:54:00.
pub fn random_mac() -> String {
    let [a, b, c] = random_bytes::<3>();
    format!("52:54:00:{a:02x}:{b:02x}:{c:02x}")
}

fn parse_mac(text: &str) -> Option<String> {
    let parts: Vec<&str> = text.split(':').collect();
    if parts.len() != 6 {
        return None;
    }
    let bytes: Option<Vec<u8>> = parts
        .iter()
        .map(|p| if (1..=2).contains(&p.len()) { u8::from_str_radix(p, 16).ok() } else { None })
        .collect();
    Some(bytes?.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(":"))
}

fn complete_interface(nic: &mut Element) -> Result<()> {
    let mac = match nic.child("mac").and_then(|m| m.attr("address")) {
        Some(text) => parse_mac(text).ok_or_else(|| xml_error(format!("unable to parse mac address '{text}'")))?,
        None => random_mac(),
    };
    match nic.child_mut("mac") {
        Some(el) => el.set("address", mac),
        None => nic.children.insert(0, Element::new("mac").with_attr("address", mac)),
    }
    Ok(())
}

fn complete_graphics(graphics: &mut Element) {
    let ty = graphics.attr("type").unwrap_or("").to_owned();
    if ty != "vnc" && ty != "spice" && ty != "rdp" {
        return;
    }
    // A listen attribute and the first <listen> agree; each fills the other.
    let first_address = graphics.child("listen").and_then(|l| l.attr("address")).map(str::to_owned);
    match (graphics.attr("listen").map(str::to_owned), first_address) {
        (Some(listen), None) => {
            if graphics.child("listen").is_none() {
                graphics.children.insert(0, Element::new("listen").with_attr("type", "address"));
            }
            graphics.child_mut("listen").expect("present").set("address", listen);
        }
        (None, Some(address)) => set_in_order(graphics, "listen", address),
        (None, None) if graphics.child("listen").is_none() => {
            graphics.children.insert(0, Element::new("listen").with_attr("type", "address"));
        }
        _ => {}
    }
    let port = graphics.attr("port").and_then(|p| p.parse::<i64>().ok());
    let autoport = match graphics.attr("autoport") {
        Some(a) => a == "yes",
        None => ty == "vnc" && port.map_or(true, |p| p == -1),
    };
    if autoport {
        graphics.remove_attr("port");
        if ty == "vnc" {
            set_in_order(graphics, "port", "-1".into());
        }
    }
    if ty != "spice" || !autoport {
        set_in_order(graphics, "autoport", if autoport { "yes" } else { "no" }.into());
    }
}

/// Sets an attribute of a device at its place in the device's spec.
fn set_in_order(el: &mut Element, name: &str, value: String) {
    let spec: &Spec = schema::device_spec(&el.name).expect("a device");
    el.remove_attr(name);
    let rank = |n: &str| spec.attrs.iter().position(|a| *a == n).unwrap_or(usize::MAX);
    let at = el.attrs.iter().position(|(n, _)| rank(n) > rank(name)).unwrap_or(el.attrs.len());
    el.attrs.insert(at, (name.to_owned(), value));
}

/// Serial and parallel ports without a number get the lowest free one.
fn number_ports(chardevs: &mut [Element]) {
    let mut used: Vec<u64> = chardevs
        .iter()
        .filter_map(|c| c.child("target").and_then(|t| t.attr("port")).and_then(parse_int))
        .collect();
    for dev in chardevs.iter_mut() {
        if dev.child("target").and_then(|t| t.attr("port")).is_some() {
            continue;
        }
        let port = (0..).find(|p| !used.contains(p)).expect("a free port");
        used.push(port);
        target_of(dev).set("port", port.to_string());
    }
}

fn target_of(dev: &mut Element) -> &mut Element {
    if dev.child("target").is_none() {
        let at = dev.children.iter().position(|c| c.name != "source" && c.name != "protocol" && c.name != "log");
        dev.children.insert(at.unwrap_or(dev.children.len()), Element::new("target"));
    }
    dev.child_mut("target").expect("just made")
}

/// The first console of a guest is its first serial port: libvirt adds whichever
/// of the pair is missing, as a copy of the other.
fn pair_console(kinds: &mut [Vec<Element>], serial: usize, console: usize) {
    let first_is_serial = |c: &Element| matches!(c.child("target").and_then(|t| t.attr("type")), None | Some("serial"));
    match (kinds[serial].first().cloned(), kinds[console].first().cloned()) {
        (Some(port), None) => kinds[console].insert(0, console_of(&port)),
        (Some(port), Some(first)) if first_is_serial(&first) => kinds[console][0] = console_of(&port),
        (None, Some(first)) if first_is_serial(&first) => {
            let mut port = first.clone();
            port.name = "serial".into();
            let target = target_of(&mut port);
            target.remove_attr("type");
            target.set("port", "0");
            kinds[serial].push(port);
            kinds[console][0] = console_of(&kinds[serial][0]);
        }
        _ => {}
    }
}

fn console_of(serial: &Element) -> Element {
    let mut console = serial.clone();
    console.name = "console".into();
    console.children.retain(|c| c.name != "address");
    let port = serial.child("target").and_then(|t| t.attr("port")).unwrap_or("0").to_owned();
    let target = target_of(&mut console);
    target.attrs = vec![("type".into(), "serial".into()), ("port".into(), port)];
    console
}

/// libvirt's default video model and memory sizes; the first video is primary.
fn complete_videos(videos: &mut [Element]) {
    for (i, video) in videos.iter_mut().enumerate() {
        if video.child("model").is_none() {
            video.children.push(Element::new("model"));
        }
        let model = video.child_mut("model").expect("present");
        let ty = model.attr("type").unwrap_or("cirrus").to_owned();
        let (ram, vram, vgamem) = match ty.as_str() {
            "qxl" => (Some(65536), Some(65536), Some(16384)),
            "vga" | "cirrus" | "vmvga" | "bochs" => (None, Some(16384), None),
            "xen" => (None, Some(4096), None),
            _ => (None, None, None),
        };
        let mut attrs = vec![("type".to_owned(), ty)];
        let mut keep = |name: &str, default: Option<u64>| {
            if let Some(value) = model.attr(name).map(str::to_owned).or(default.map(|d| d.to_string())) {
                attrs.push((name.to_owned(), value));
            }
        };
        keep("ram", ram);
        keep("vram", vram);
        keep("vram64", None);
        keep("vgamem", vgamem);
        keep("heads", Some(1));
        let primary = model.attr("primary").map(str::to_owned);
        if primary.as_deref() == Some("yes") || (i == 0 && primary.is_none()) {
            attrs.push(("primary".into(), "yes".into()));
        }
        model.attrs = attrs;
    }
}
