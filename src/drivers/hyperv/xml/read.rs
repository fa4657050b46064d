//! A VM's (or a snapshot's) domain definition from its WMI settings, in two
//! requests: a Get of the settings object (its key is `Microsoft:<VM GUID>`) and
//! one ASSOCIATORS OF it, which returns every resource setting (memory, processor,
//! controllers, drives, images, NICs and their switch connections, COM ports,
//! security) and the VM itself. libvirt asks about 16 + 2 per device.

use super::{
    mac_from_hyperv, BootDev, Bus, Disk, DiskDevice, DiskSource, DomainDef, DriveAddress, Generation, Interface,
    Serial,
};
use crate::abi::domain::{VIR_DOMAIN_XML_INACTIVE, VIR_DOMAIN_XML_MIGRATABLE, VIR_DOMAIN_XML_SECURE};
use crate::abi::virterror::*;
use crate::core::{Error, Result};
use crate::driver::check_flags;
use crate::drivers::hyperv::wsman::classes::{resource_uri, VIRTUALIZATION_V2};
use crate::drivers::hyperv::wsman::{Client, Instance};
use crate::uuid::parse_uuid;

pub const GEN2_SUBTYPE: &str = "Microsoft:Hyper-V:SubType:2";
pub const GEN1_SUBTYPE: &str = "Microsoft:Hyper-V:SubType:1";
const DVD_IMAGE: &str = "Microsoft:Hyper-V:Virtual CD/DVD Disk";
const PHYSICAL_DISK: &str = "Microsoft:Hyper-V:Physical Disk Drive";

/// A settings object (a VM's or a snapshot's) and everything associated with it.
pub struct Settings {
    pub vssd: Instance,
    pub components: Vec<Instance>,
}

impl Settings {
    pub fn of_class<'a>(&'a self, class: &'a str) -> impl Iterator<Item = &'a Instance> + 'a {
        self.components.iter().filter(move |i| i.class.eq_ignore_ascii_case(class))
    }

    fn of_type(&self, resource_type: u16) -> impl Iterator<Item = &Instance> + '_ {
        self.components
            .iter()
            .filter(move |i| i.get::<u16>("ResourceType").ok().flatten() == Some(resource_type))
    }

    /// The VM these settings belong to (absent for snapshots).
    pub fn computer_system(&self) -> Option<&Instance> {
        self.of_class("Msvm_ComputerSystem").next()
    }
}

/// `{Class.Key='value'}` for ASSOCIATORS OF: WQL string escaping inside the path.
pub fn object_path(class: &str, key: &str, value: &str) -> String {
    let escaped = value.replace('\\', "\\\\").replace('\'', "\\'");
    format!("{{{class}.{key}='{escaped}'}}")
}

pub fn no_domain(vm_guid: &str) -> Error {
    Error::with_detail(VIR_ERR_NO_DOMAIN, VIR_FROM_HYPERV, format!("No domain with UUID {}", vm_guid.to_ascii_lowercase()))
}

/// The realized settings of VM `vm_guid` (Msvm_ComputerSystem.Name); NO_DOMAIN if none.
pub fn vm_settings(client: &Client, vm_guid: &str) -> Result<Settings> {
    let id = format!("Microsoft:{}", vm_guid.to_ascii_uppercase());
    let settings = settings_by_id(client, &id)?.ok_or_else(|| no_domain(vm_guid))?;
    if settings.computer_system().is_none() {
        return Err(no_domain(vm_guid));
    }
    Ok(settings)
}

/// The settings object with this InstanceID and its associated objects; None if none.
pub fn settings_by_id(client: &Client, instance_id: &str) -> Result<Option<Settings>> {
    let uri = resource_uri(VIRTUALIZATION_V2, "Msvm_VirtualSystemSettingData");
    let Some(vssd) = client.get_opt(&uri, &[("InstanceID", instance_id)])? else {
        return Ok(None);
    };
    let query = format!(
        "ASSOCIATORS OF {}",
        object_path("Msvm_VirtualSystemSettingData", "InstanceID", instance_id)
    );
    let components = client.enumerate_wql(VIRTUALIZATION_V2, &query)?;
    Ok(Some(Settings { vssd, components }))
}

/// virDomainGetXMLDesc.
pub fn domain_xml(client: &Client, vm_guid: &str, flags: u32) -> Result<String> {
    let allowed = (VIR_DOMAIN_XML_SECURE | VIR_DOMAIN_XML_INACTIVE | VIR_DOMAIN_XML_MIGRATABLE) as u32;
    check_flags(VIR_FROM_HYPERV, "hypervDomainGetXMLDesc", flags, allowed)?;
    let settings = vm_settings(client, vm_guid)?;
    let def = domain_def(client, &settings, true)?;
    Ok(super::format::format_domain(&def, flags & VIR_DOMAIN_XML_INACTIVE as u32 != 0))
}

/// The value of `key` in a WMI object path (`\\HOST\ns:Class.Key="v",...`), unescaped.
pub fn path_key(path: &str, key: &str) -> Option<String> {
    let keys = &path[path.find('.')? + 1..];
    let mut rest = keys;
    loop {
        let (name, after) = rest.split_once('=')?;
        let mut chars = after.char_indices();
        let (value, next) = match chars.next()? {
            (_, quote @ ('"' | '\'')) => {
                let mut value = String::new();
                let mut end = None;
                while let Some((i, c)) = chars.next() {
                    match c {
                        '\\' => value.extend(chars.next().map(|(_, c)| c)),
                        c if c == quote => {
                            end = Some(i + 1);
                            break;
                        }
                        c => value.push(c),
                    }
                }
                (value, &after[end?..])
            }
            _ => {
                let end = after.find(',').unwrap_or(after.len());
                (after[..end].to_owned(), &after[end..])
            }
        };
        if name.trim().eq_ignore_ascii_case(key) {
            return Some(value);
        }
        rest = next.strip_prefix(',')?;
    }
}

/// The InstanceID a RASD's Parent path points to.
fn parent_id(instance: &Instance) -> Option<String> {
    let parent = instance.get::<String>("Parent").ok().flatten()?;
    path_key(&parent, "InstanceID")
}

fn id_of(instance: &Instance) -> String {
    instance.get::<String>("InstanceID").ok().flatten().unwrap_or_default()
}

/// The definition the settings describe. Passthrough disks cost one query each;
/// `boot` reads a Generation 2 VM's boot order too (one query per boot entry).
pub fn domain_def(client: &Client, settings: &Settings, boot: bool) -> Result<DomainDef> {
    let vssd = &settings.vssd;
    let mut def = DomainDef::default();
    if let Some(cs) = settings.computer_system() {
        def.name = cs.require::<String>("ElementName")?;
        let guid = cs.require::<String>("Name")?;
        def.uuid = parse_uuid(&guid);
        def.id = cs.get::<u32>("ProcessID")?.filter(|&p| p != 0).map(|p| p as i32);
    } else {
        def.name = vssd.get::<String>("ElementName")?.unwrap_or_default();
        def.uuid = vssd.get::<String>("VirtualSystemIdentifier")?.and_then(|g| parse_uuid(&g));
    }
    let notes: Vec<String> = vssd.array("Notes")?;
    if notes.iter().any(|n| !n.is_empty()) {
        def.description = Some(notes.join("\n\n"));
    }
    if vssd.get::<String>("VirtualSystemSubType")?.as_deref() == Some(GEN2_SUBTYPE) {
        def.generation = Generation::Two;
        def.secure_boot = Some(vssd.get::<bool>("SecureBootEnabled")?.unwrap_or(false));
    } else {
        let order: Vec<u16> = vssd.array("BootOrder")?;
        def.boot = order
            .iter()
            .filter_map(|&v| BootDev::ALL.into_iter().find(|d| *d as u16 == v))
            .collect();
    }
    if let Some(memory) = settings.of_class("Msvm_MemorySettingData").next() {
        let mib = memory.get::<u64>("VirtualQuantity")?.unwrap_or(0);
        def.memory_kib = mib * 1024;
        def.current_memory_kib = mib * 1024;
        def.max_memory_kib = memory.get::<u64>("Limit")?.map(|l| l * 1024);
    }
    if let Some(cpu) = settings.of_class("Msvm_ProcessorSettingData").next() {
        def.vcpus = cpu.get::<u32>("VirtualQuantity")?.unwrap_or(1);
    }
    def.tpm = settings
        .of_class("Msvm_SecuritySettingData")
        .any(|s| s.get::<bool>("TpmEnabled").ok().flatten() == Some(true));
    // A snapshot's boot entries name the VM's devices, not the snapshot's.
    let boot = match (def.generation, settings.computer_system()) {
        (Generation::Two, Some(_)) if boot => boot_devices(client, settings)?,
        _ => Vec::new(),
    };
    let order_of = |id: &str| boot.iter().position(|b| b.eq_ignore_ascii_case(id)).map(|p| p as u32 + 1);
    read_disks(client, settings, &order_of, &mut def)?;
    read_interfaces(settings, &order_of, &mut def)?;
    renumber_boot_orders(&mut def);
    let mut serials = Vec::new();
    for port in settings.of_type(21) {
        let name = port.get::<String>("ElementName")?.unwrap_or_default();
        let Some(number) = name.strip_prefix("COM ").and_then(|n| n.trim().parse().ok()) else {
            continue;
        };
        let connection: Vec<String> = port.array("Connection")?;
        let pipe = connection.into_iter().next().filter(|c| !c.is_empty());
        serials.push(Serial { port: number, pipe });
    }
    serials.sort_by_key(|s| s.port);
    def.serials = serials;
    Ok(def)
}

/// Generation 2's boot order (VSSD.BootSourceOrder, object paths of
/// Msvm_BootSourceSettingData): the InstanceID of each entry's device settings (a
/// drive or a network adapter port), firmware file entries left out. Windows links
/// an entry to its device only through Msvm_LogicalIdentity: one query per entry.
pub fn boot_devices(client: &Client, settings: &Settings) -> Result<Vec<String>> {
    let mut devices = Vec::new();
    for path in settings.vssd.array::<String>("BootSourceOrder")? {
        let Some(id) = path_key(&path, "InstanceID") else { continue };
        let known = settings.of_class("Msvm_BootSourceSettingData").find(|b| id_of(b).eq_ignore_ascii_case(&id));
        if known.is_some_and(|b| b.get::<u32>("BootSourceType").ok().flatten() == Some(3)) {
            continue;
        }
        let query = format!(
            "ASSOCIATORS OF {} WHERE AssocClass = Msvm_LogicalIdentity",
            object_path("Msvm_BootSourceSettingData", "InstanceID", &id)
        );
        let found = client.enumerate_wql(VIRTUALIZATION_V2, &query)?;
        if let Some(device) = found.iter().find(|d| !d.class.eq_ignore_ascii_case("Msvm_BootSourceSettingData")) {
            devices.push(id_of(device));
        }
    }
    Ok(devices)
}

/// Boot orders 1, 2, ... in the order Hyper-V boots the devices the XML shows.
fn renumber_boot_orders(def: &mut DomainDef) {
    let mut orders: Vec<u32> = def
        .disks
        .iter()
        .filter_map(|d| d.boot_order)
        .chain(def.interfaces.iter().filter_map(|n| n.boot_order))
        .collect();
    orders.sort_unstable();
    let renumber = |o: &mut Option<u32>| {
        if let Some(v) = o {
            *v = orders.iter().position(|x| x == v).map_or(*v, |p| p as u32 + 1);
        }
    };
    def.disks.iter_mut().for_each(|d| renumber(&mut d.boot_order));
    def.interfaces.iter_mut().for_each(|n| renumber(&mut n.boot_order));
}

type OrderOf<'a> = dyn Fn(&str) -> Option<u32> + 'a;

fn read_disks(client: &Client, settings: &Settings, order_of: &OrderOf, def: &mut DomainDef) -> Result<()> {
    // Controllers by InstanceID: (bus, controller index, channel).
    let mut controllers: Vec<(String, Bus, u32, u32)> = Vec::new();
    for ide in settings.of_type(5) {
        let channel = ide.get::<String>("Address")?.and_then(|a| a.trim().parse().ok()).unwrap_or(0);
        controllers.push((id_of(ide), Bus::Ide, 0, channel));
        def.ide_controller = true;
    }
    for (index, scsi) in settings.of_type(6).enumerate() {
        controllers.push((id_of(scsi), Bus::Scsi, index as u32, 0));
    }
    def.scsi_controllers = settings.of_type(6).count() as u32;
    let extents: Vec<&Instance> = settings.of_type(31).collect();
    let image_of = |drive: &Instance| -> Result<Option<(String, Option<String>)>> {
        let id = id_of(drive);
        for extent in &extents {
            if parent_id(extent).as_deref() == Some(id.as_str()) {
                let path = extent.array::<String>("HostResource")?.into_iter().next();
                return Ok(path.map(|p| (p, extent.get::<String>("ResourceSubType").ok().flatten())));
            }
        }
        Ok(None)
    };
    for drive in settings.components.iter() {
        let kind = drive.get::<u16>("ResourceType")?;
        if !matches!(kind, Some(14 | 16 | 17)) {
            continue;
        }
        let image = image_of(drive)?;
        if kind == Some(14) {
            if let Some((path, _)) = image {
                def.disks.push(Disk {
                    device: DiskDevice::Floppy,
                    source: Some(DiskSource::File(path)),
                    bus: Bus::Fdc,
                    address: DriveAddress { controller: 0, bus: 0, unit: 0 },
                    boot_order: None,
                });
            }
            continue;
        }
        let parent = parent_id(drive);
        let Some((_, bus, controller, channel)) = controllers.iter().find(|c| Some(&c.0) == parent.as_ref()) else {
            continue;
        };
        let unit = drive.get::<String>("AddressOnParent")?.and_then(|a| a.trim().parse().ok()).unwrap_or(0);
        let address = DriveAddress { controller: *controller, bus: *channel, unit };
        let host_resource: Vec<String> = drive.array("HostResource")?;
        let passthrough = drive.get::<String>("ResourceSubType")?.as_deref() == Some(PHYSICAL_DISK);
        let (device, source) = match (kind, image) {
            (Some(17), None) if passthrough => match host_resource.first().filter(|p| !p.contains("NODRIVE")) {
                Some(path) => (DiskDevice::Disk, Some(DiskSource::Block(drive_number(client, path)?))),
                None => continue,
            },
            (Some(16), image) => (DiskDevice::Cdrom, image.map(|(p, _)| DiskSource::File(p))),
            (_, Some((path, subtype))) => {
                let device = if subtype.as_deref() == Some(DVD_IMAGE) { DiskDevice::Cdrom } else { DiskDevice::Disk };
                (device, Some(DiskSource::File(path)))
            }
            _ => continue,
        };
        def.disks.push(Disk { device, source, bus: *bus, address, boot_order: order_of(&id_of(drive)) });
    }
    def.disks.sort_by_key(|d| (d.bus != Bus::Fdc, d.bus == Bus::Scsi, d.address.controller, d.address.bus, d.address.unit));
    def.disks.sort_by_key(|d| d.bus == Bus::Fdc);
    Ok(())
}

/// The host drive number of a passthrough disk (its HostResource names an Msvm_DiskDrive).
fn drive_number(client: &Client, path: &str) -> Result<u32> {
    let device_id = path_key(path, "DeviceID")
        .ok_or_else(|| Error::internal(VIR_FROM_HYPERV, format!("unexpected disk drive path '{path}'")))?;
    let query = format!(
        "SELECT DriveNumber FROM Msvm_DiskDrive WHERE DeviceID = {}",
        crate::drivers::hyperv::wsman::classes::wql_quote(&device_id)
    );
    let found = client.enumerate_wql(VIRTUALIZATION_V2, &query)?;
    match found.first() {
        Some(drive) => drive.require("DriveNumber"),
        None => Err(Error::internal(VIR_FROM_HYPERV, format!("no disk drive '{device_id}' on the host"))),
    }
}

fn read_interfaces(settings: &Settings, order_of: &OrderOf, def: &mut DomainDef) -> Result<()> {
    let connections: Vec<&Instance> = settings.of_class("Msvm_EthernetPortAllocationSettingData").collect();
    for port in settings.of_class("Msvm_SyntheticEthernetPortSettingData") {
        let id = id_of(port);
        let connection = connections.iter().find(|c| parent_id(c).as_deref() == Some(id.as_str()));
        // Adapters not connected to a switch have no libvirt form (libvirt skips them too).
        let Some(connection) = connection.filter(|c| c.get::<u16>("EnabledState").ok().flatten() != Some(3)) else {
            continue;
        };
        let Some(switch) = connection
            .array::<String>("HostResource")?
            .first()
            .and_then(|p| path_key(p, "Name"))
        else {
            continue;
        };
        let mac = port.get::<String>("Address")?.and_then(|a| mac_from_hyperv(&a));
        def.interfaces.push(Interface { mac, switch: switch.to_ascii_lowercase(), boot_order: order_of(&id) });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_path_keys() {
        let p = r#"\\HV\root\virtualization\v2:Msvm_ResourceAllocationSettingData.InstanceID="Microsoft:A\\B\\0""#;
        assert_eq!(path_key(p, "InstanceID").as_deref(), Some(r"Microsoft:A\B\0"));
        let s = r#"\\HV\root\virtualization\v2:Msvm_VirtualEthernetSwitch.CreationClassName="Msvm_VirtualEthernetSwitch",Name="abc-1""#;
        assert_eq!(path_key(s, "name").as_deref(), Some("abc-1"));
        assert_eq!(path_key(s, "Missing"), None);
        assert_eq!(object_path("C", "K", r"a\b'c"), r"{C.K='a\\b\'c'}");
    }
}
