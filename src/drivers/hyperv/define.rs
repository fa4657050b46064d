//! Defining, undefining and changing the devices of VMs: virDomainDefineXML(Flags),
//! virDomainUndefine(Flags), virDomainAttachDevice(Flags), virDomainDetachDevice(Flags).
//!
//! A definition is checked before anything is created (the XML, the name and UUID
//! against existing VMs, every switch named), then made in a fixed number of
//! method calls whatever the number of devices: DefineSystem; one
//! ModifyResourceSettings (memory, processors, COM ports); then one
//! AddResourceSettings per layer of parents: controllers and network ports, then
//! drives and switch connections, then images. If any of them fails the VM is
//! destroyed again and the first error is reported.

use std::time::Duration;

use super::wsman::classes::{resource_uri, wql_quote, VIRTUALIZATION_V2};
use super::wsman::{CimType, Client, EmbeddedInstance, Epr, Instance, Params};
use super::xml::parse::{parse_device, parse_domain, require_source, unsupported, Device};
use super::xml::read::{self, object_path, path_key, Settings, GEN1_SUBTYPE, GEN2_SUBTYPE};
use super::xml::{mac_to_hyperv, BootDev, Bus, Disk, DiskDevice, DiskSource, DomainDef, Generation, Interface, Serial};
use crate::abi::domain::*;
use crate::abi::virterror::*;
use crate::core::{Error, Result};
use crate::driver::{check_flags, DomainId};
use crate::uuid::{format_uuid, parse_uuid};

/// How long one configuration job may take (libvirt's bound too).
pub const JOB_TIMEOUT: Duration = Duration::from_secs(300);

const VSMS: &str = "Msvm_VirtualSystemManagementService";
const VSMS_SELECTORS: &[(&str, &str)] = &[("CreationClassName", VSMS)];

const SCSI_CONTROLLER: &str = "Microsoft:Hyper-V:Synthetic SCSI Controller";
const DISK_DRIVE: &str = "Microsoft:Hyper-V:Synthetic Disk Drive";
const DVD_DRIVE: &str = "Microsoft:Hyper-V:Synthetic DVD Drive";
const VHD: &str = "Microsoft:Hyper-V:Virtual Hard Disk";
const ISO: &str = "Microsoft:Hyper-V:Virtual CD/DVD Disk";
const VFD: &str = "Microsoft:Hyper-V:Virtual Floppy Disk";
const NIC_PORT: &str = "Microsoft:Hyper-V:Synthetic Ethernet Port";
const SWITCH_CONNECTION: &str = "Microsoft:Hyper-V:Ethernet Connection";

/// Calls a Msvm_VirtualSystemManagementService method and waits for its job.
pub fn vsms(client: &Client, method: &str, params: &Params) -> Result<Instance> {
    client.invoke_and_wait(&resource_uri(VIRTUALIZATION_V2, VSMS), VSMS_SELECTORS, method, params, JOB_TIMEOUT)
}

/// A reference to a VM by its GUID.
pub fn vm_epr(vm_guid: &str) -> Epr {
    Epr::new(
        resource_uri(VIRTUALIZATION_V2, "Msvm_ComputerSystem"),
        vec![("CreationClassName".into(), "Msvm_ComputerSystem".into()), ("Name".into(), vm_guid.into())],
    )
}

/// A reference to a settings object (VSSD, RASD, ...) by class and InstanceID.
pub fn setting_epr(class: &str, instance_id: &str) -> Epr {
    Epr::new(resource_uri(VIRTUALIZATION_V2, class), vec![("InstanceID".into(), instance_id.into())])
}

/// The WMI object path embedded properties (Parent, HostResource) take:
/// `\\HOST\root\virtualization\v2:Class.Key="value",...`.
fn wmi_path(host: &str, epr: &Epr) -> String {
    let class = epr.resource_uri.rsplit('/').next().unwrap_or_default();
    let keys: Vec<String> = epr
        .selectors
        .iter()
        .map(|(k, v)| format!("{k}=\"{}\"", v.replace('\\', "\\\\").replace('"', "\\\"")))
        .collect();
    format!(r"\\{host}\root\virtualization\v2:{class}.{}", keys.join(","))
}

fn switch_epr(name_guid: &str) -> Epr {
    Epr::new(
        resource_uri(VIRTUALIZATION_V2, "Msvm_VirtualEthernetSwitch"),
        vec![
            ("CreationClassName".into(), "Msvm_VirtualEthernetSwitch".into()),
            ("Name".into(), name_guid.into()),
        ],
    )
}

fn random_guid() -> String {
    let mut bytes = [0u8; 16];
    let _ = getrandom::getrandom(&mut bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    format_uuid(&bytes).to_ascii_uppercase()
}

/// KiB to the MiB Hyper-V takes: rounded up, then up to an even number (as libvirt).
fn mib(kib: u64) -> u64 {
    let m = kib.div_ceil(1024);
    m + m % 2
}

/// virDomainDefineXML(Flags): a new VM as the XML describes it. `host` is the
/// host's name as WMI object paths carry it (Win32_ComputerSystem.Name).
pub fn define(client: &Client, host: &str, xml: &str, flags: u32) -> Result<DomainId> {
    check_flags(VIR_FROM_HYPERV, "hypervDomainDefineXMLFlags", flags, VIR_DOMAIN_DEFINE_VALIDATE as u32)?;
    let def = parse_domain(xml)?;
    if def.tpm {
        return Err(unsupported("a virtual TPM needs a key protector, which the Hyper-V driver cannot set up"));
    }
    if def.disks.iter().any(|d| matches!(d.source, Some(DiskSource::Block(_)))) {
        return Err(unsupported("physical (passthrough) disks cannot be defined by the Hyper-V driver"));
    }
    check_new(client, &def)?;
    let switches = resolve_switches(client, &def.interfaces)?;

    let mut system = EmbeddedInstance::new("Msvm_VirtualSystemSettingData")
        .set("ElementName", CimType::String, &def.name)
        .set(
            "VirtualSystemSubType",
            CimType::String,
            if def.generation == Generation::Two { GEN2_SUBTYPE } else { GEN1_SUBTYPE },
        );
    if let Some(uuid) = def.uuid {
        // Hyper-V keeps the identifier it is given (else it picks one).
        system = system.set("VirtualSystemIdentifier", CimType::String, format_uuid(&uuid).to_ascii_uppercase());
    }
    if let Some(secure) = def.secure_boot {
        system = system.set("SecureBootEnabled", CimType::Boolean, secure.to_string());
    }
    if let Some(description) = &def.description {
        system = system.set_array("Notes", CimType::String, [description.as_str()]);
    }
    if def.generation == Generation::One {
        if let Some(order) = bios_boot_order(&def) {
            system = system.set_array("BootOrder", CimType::Uint16, order.iter().map(|d| (*d as u16).to_string()));
        }
    }
    let output = vsms(client, "DefineSystem", &Params::new().instance("SystemSettings", system))?;
    let vm_guid = match output.get::<Epr>("ResultingSystem")?.and_then(|e| e.selector("Name").map(str::to_owned)) {
        Some(guid) => guid,
        None => created_vm(client, &output)?,
    };
    let configure = || -> Result<()> {
        let settings = components(client, &vm_guid)?;
        modify_basics(client, &def, &settings)?;
        let made =
            add_devices(client, host, &vm_guid, &settings, def.scsi_controllers, &def.disks, &def.interfaces, &switches)?;
        if def.generation == Generation::Two {
            set_boot_order(client, &vm_guid, &uefi_boot_order(&def, &made))?;
        }
        Ok(())
    };
    if let Err(error) = configure() {
        // Leave no half-made VM behind; the images stay, as they were given.
        let _ = vsms(client, "DestroySystem", &Params::new().reference("AffectedSystem", vm_epr(&vm_guid)));
        return Err(error);
    }
    let uuid = parse_uuid(&vm_guid)
        .ok_or_else(|| Error::internal(VIR_FROM_HYPERV, format!("Hyper-V named the new VM '{vm_guid}', not a GUID")))?;
    Ok(DomainId::new(&def.name, uuid, -1))
}

/// The VM a DefineSystem job made, when the output does not name it: Windows fills
/// such output references only when the method finishes without a job.
fn created_vm(client: &Client, output: &Instance) -> Result<String> {
    let job = output.require::<Epr>("Job")?;
    let id = job.selector("InstanceID").unwrap_or_default();
    let query = format!(
        "ASSOCIATORS OF {} WHERE AssocClass = Msvm_AffectedJobElement ResultClass = Msvm_ComputerSystem",
        object_path("Msvm_ConcreteJob", "InstanceID", id)
    );
    let found = client.enumerate_wql(VIRTUALIZATION_V2, &query)?;
    match found.first() {
        Some(cs) => cs.require("Name"),
        None => Err(Error::internal(VIR_FROM_HYPERV, "DefineSystem did not say which VM it created")),
    }
}

/// Refuses a name or UUID already in use, in one query.
fn check_new(client: &Client, def: &DomainDef) -> Result<()> {
    let mut condition = format!("ElementName = {}", wql_quote(&def.name));
    let guid = def.uuid.map(|u| format_uuid(&u).to_ascii_uppercase());
    if let Some(guid) = &guid {
        condition = format!("{condition} OR Name = {}", wql_quote(guid));
    }
    let query = format!("SELECT Name, ElementName FROM Msvm_ComputerSystem WHERE Name != __SERVER AND ({condition})");
    for vm in client.enumerate_wql(VIRTUALIZATION_V2, &query)? {
        let name: String = vm.require("Name")?;
        if guid.as_deref().is_some_and(|g| g.eq_ignore_ascii_case(&name)) {
            return Err(Error::with_detail(
                VIR_ERR_OPERATION_UNSUPPORTED,
                VIR_FROM_HYPERV,
                format!(
                    "Domain '{}' already exists, editing existing domains is not supported yet",
                    name.to_ascii_lowercase()
                ),
            ));
        }
        return Err(Error::new(VIR_ERR_DOM_EXIST, VIR_FROM_HYPERV, Some(&def.name)));
    }
    Ok(())
}

/// Each interface's switch GUID (Msvm_VirtualEthernetSwitch.Name), found by GUID or
/// friendly name, all in one query.
fn resolve_switches(client: &Client, nics: &[Interface]) -> Result<Vec<String>> {
    if nics.is_empty() {
        return Ok(Vec::new());
    }
    let condition: Vec<String> = nics
        .iter()
        .map(|n| format!("Name = {q} OR ElementName = {q}", q = wql_quote(&n.switch)))
        .collect();
    let query = format!("SELECT Name, ElementName FROM Msvm_VirtualEthernetSwitch WHERE {}", condition.join(" OR "));
    let switches = client.enumerate_wql(VIRTUALIZATION_V2, &query)?;
    let mut names = Vec::new();
    for (n, field) in switches.iter().map(|s| (s, "Name")).chain(switches.iter().map(|s| (s, "ElementName"))) {
        names.push((n.require::<String>("Name")?, n.require::<String>(field)?, field));
    }
    nics.iter()
        .map(|nic| {
            let by_guid = names.iter().find(|(_, v, f)| *f == "Name" && v.eq_ignore_ascii_case(&nic.switch));
            if let Some((guid, _, _)) = by_guid {
                return Ok(guid.clone());
            }
            let by_name: Vec<&String> =
                names.iter().filter(|(_, v, f)| *f == "ElementName" && *v == nic.switch).map(|(g, _, _)| g).collect();
            match by_name.as_slice() {
                [guid] => Ok((*guid).clone()),
                [] => Err(Error::with_detail(
                    VIR_ERR_NO_NETWORK,
                    VIR_FROM_HYPERV,
                    format!("no virtual switch with name or GUID '{}'", nic.switch),
                )),
                _ => Err(Error::with_detail(
                    VIR_ERR_CONFIG_UNSUPPORTED,
                    VIR_FROM_HYPERV,
                    format!("several virtual switches are named '{}': give the GUID", nic.switch),
                )),
            }
        })
        .collect()
}

/// Generation 1's BIOS boot order from `<os><boot>` or the devices' `<boot order>`,
/// every device kind listed once (Hyper-V wants all four).
fn bios_boot_order(def: &DomainDef) -> Option<Vec<BootDev>> {
    let mut order = def.boot.clone();
    if order.is_empty() {
        let mut devices: Vec<(u32, BootDev)> = def
            .disks
            .iter()
            .filter_map(|d| {
                let dev = match d.device {
                    DiskDevice::Disk => BootDev::Hd,
                    DiskDevice::Cdrom => BootDev::Cdrom,
                    DiskDevice::Floppy => BootDev::Floppy,
                };
                d.boot_order.map(|o| (o, dev))
            })
            .chain(def.interfaces.iter().filter_map(|n| n.boot_order.map(|o| (o, BootDev::Network))))
            .collect();
        devices.sort_by_key(|(o, _)| *o);
        for (_, dev) in devices {
            if !order.contains(&dev) {
                order.push(dev);
            }
        }
    }
    if order.is_empty() {
        return None;
    }
    for dev in [BootDev::Cdrom, BootDev::Hd, BootDev::Network, BootDev::Floppy] {
        if !order.contains(&dev) {
            order.push(dev);
        }
    }
    Some(order)
}

/// Generation 2's wanted boot order: the devices' `<boot order>`, or `<os><boot dev>`
/// by kind (each kind's devices in XML order); references to the devices' settings.
fn uefi_boot_order(def: &DomainDef, made: &Made) -> Vec<Epr> {
    let disks = def.disks.iter().zip(&made.drives).filter_map(|(d, e)| Some((d, e.clone()?)));
    let nics = def.interfaces.iter().zip(&made.ports);
    if def.boot.is_empty() {
        let mut ordered: Vec<(u32, Epr)> = disks
            .filter_map(|(d, e)| Some((d.boot_order?, e)))
            .chain(nics.filter_map(|(n, e)| Some((n.boot_order?, e.clone()))))
            .collect();
        ordered.sort_by_key(|(o, _)| *o);
        return ordered.into_iter().map(|(_, e)| e).collect();
    }
    let kind_of = |d: &Disk| if d.device == DiskDevice::Cdrom { BootDev::Cdrom } else { BootDev::Hd };
    let mut ordered = Vec::new();
    for dev in &def.boot {
        ordered.extend(disks.clone().filter(|(d, _)| kind_of(d) == *dev).map(|(_, e)| e));
        if *dev == BootDev::Network {
            ordered.extend(nics.clone().map(|(_, e)| e.clone()));
        }
    }
    ordered
}

/// Puts the boot entries of `first` (device settings) at the head of the VM's
/// BootSourceOrder, the others after them as they were: a Get of the settings, one
/// query per device named (Windows links a boot entry to its device only through
/// Msvm_LogicalIdentity), one ModifySystemSettings.
fn set_boot_order(client: &Client, vm_guid: &str, first: &[Epr]) -> Result<()> {
    if first.is_empty() {
        return Ok(());
    }
    let id = format!("Microsoft:{}", vm_guid.to_ascii_uppercase());
    let vssd = client.get(&resource_uri(VIRTUALIZATION_V2, "Msvm_VirtualSystemSettingData"), &[("InstanceID", &id)])?;
    let mut rest: Vec<String> = vssd.array("BootSourceOrder")?;
    let mut order = Vec::new();
    for device in first {
        let class = device.resource_uri.rsplit('/').next().unwrap_or_default();
        let query = format!(
            "ASSOCIATORS OF {} WHERE AssocClass = Msvm_LogicalIdentity ResultClass = Msvm_BootSourceSettingData",
            object_path(class, "InstanceID", device.selector("InstanceID").unwrap_or_default())
        );
        let sources = client.enumerate_wql(VIRTUALIZATION_V2, &query)?;
        let Some(source) = sources.first() else {
            return Err(Error::internal(VIR_FROM_HYPERV, format!("Hyper-V made no boot entry for {}", device.selector("InstanceID").unwrap_or_default())));
        };
        let source_id = instance_id(source)?;
        if let Some(at) = rest.iter().position(|p| path_key(p, "InstanceID").is_some_and(|i| i.eq_ignore_ascii_case(&source_id))) {
            order.push(rest.remove(at));
        }
    }
    order.extend(rest);
    let settings = EmbeddedInstance::new("Msvm_VirtualSystemSettingData")
        .set("InstanceID", CimType::String, id)
        .set_array("BootSourceOrder", CimType::String, order);
    vsms(client, "ModifySystemSettings", &Params::new().instance("SystemSettings", settings)).map(drop)
}

/// The settings objects of a VM, without the VM's own (one request).
fn components(client: &Client, vm_guid: &str) -> Result<Settings> {
    let id = format!("Microsoft:{}", vm_guid.to_ascii_uppercase());
    let query = format!("ASSOCIATORS OF {}", object_path("Msvm_VirtualSystemSettingData", "InstanceID", &id));
    let components = client.enumerate_wql(VIRTUALIZATION_V2, &query)?;
    let vssd = Instance { class: "Msvm_VirtualSystemSettingData".into(), namespace: String::new(), properties: vec![] };
    Ok(Settings { vssd, components })
}

fn instance_id(instance: &Instance) -> Result<String> {
    instance.require("InstanceID")
}

/// Memory, processors and COM ports, in one ModifyResourceSettings.
fn modify_basics(client: &Client, def: &DomainDef, settings: &Settings) -> Result<()> {
    let missing = |what: &str| Error::internal(VIR_FROM_HYPERV, format!("the new VM has no {what} settings"));
    let memory = settings.of_class("Msvm_MemorySettingData").next().ok_or_else(|| missing("memory"))?;
    let cpu = settings.of_class("Msvm_ProcessorSettingData").next().ok_or_else(|| missing("processor"))?;
    let mut memory_settings = EmbeddedInstance::new("Msvm_MemorySettingData")
        .set("InstanceID", CimType::String, instance_id(memory)?)
        .set("VirtualQuantity", CimType::Uint64, mib(def.current_memory_kib).to_string());
    if let Some(max) = def.max_memory_kib {
        memory_settings = memory_settings.set("Limit", CimType::Uint64, mib(max).to_string());
    }
    let mut params = Params::new().instance("ResourceSettings", memory_settings).instance(
        "ResourceSettings",
        EmbeddedInstance::new("Msvm_ProcessorSettingData")
            .set("InstanceID", CimType::String, instance_id(cpu)?)
            .set("VirtualQuantity", CimType::Uint64, def.vcpus.to_string()),
    );
    for serial in &def.serials {
        params = params.instance("ResourceSettings", serial_settings(settings, serial)?);
    }
    vsms(client, "ModifyResourceSettings", &params).map(drop)
}

/// The COM port's settings with its new connection.
fn serial_settings(settings: &Settings, serial: &Serial) -> Result<EmbeddedInstance> {
    let name = format!("COM {}", serial.port);
    let port = settings
        .components
        .iter()
        .find(|c| {
            c.get::<u16>("ResourceType").ok().flatten() == Some(21)
                && c.get::<String>("ElementName").ok().flatten().as_deref() == Some(name.as_str())
        })
        .ok_or_else(|| Error::internal(VIR_FROM_HYPERV, format!("Could not attach serial port {}", serial.port)))?;
    Ok(EmbeddedInstance::new(&port.class)
        .set("InstanceID", CimType::String, instance_id(port)?)
        .set_array("Connection", CimType::String, [serial.pipe.as_deref().unwrap_or("")]))
}

/// One AddResourceSettings call; the references to what it made, in order.
fn add(client: &Client, vm_guid: &str, items: Vec<EmbeddedInstance>) -> Result<Vec<Epr>> {
    if items.is_empty() {
        return Ok(Vec::new());
    }
    let count = items.len();
    let target = setting_epr("Msvm_VirtualSystemSettingData", &format!("Microsoft:{}", vm_guid.to_ascii_uppercase()));
    let mut params = Params::new().reference("AffectedConfiguration", target);
    for item in items {
        params = params.instance("ResourceSettings", item);
    }
    let output = vsms(client, "AddResourceSettings", &params)?;
    let made: Vec<Epr> = output.array("ResultingResourceSettings")?;
    if made.len() != count {
        return Err(Error::internal(
            VIR_FROM_HYPERV,
            format!("AddResourceSettings made {} of {count} resources", made.len()),
        ));
    }
    Ok(made)
}

fn rasd(class: &str, resource_type: u16, subtype: &str) -> EmbeddedInstance {
    EmbeddedInstance::new(class)
        .set("ResourceType", CimType::Uint16, resource_type.to_string())
        .set("ResourceSubType", CimType::String, subtype)
}

/// What add_devices made: each disk's drive (None for a floppy image) and each
/// interface's port, in the order given.
struct Made {
    drives: Vec<Option<Epr>>,
    ports: Vec<Epr>,
}

/// Adds disks (with the SCSI controllers they need) and interfaces (connected to
/// `switches`, their GUIDs) in three AddResourceSettings calls at most.
#[allow(clippy::too_many_arguments)]
fn add_devices(
    client: &Client,
    host: &str,
    vm_guid: &str,
    settings: &Settings,
    scsi_wanted: u32,
    disks: &[Disk],
    nics: &[Interface],
    switches: &[String],
) -> Result<Made> {
    const RASD: &str = "Msvm_ResourceAllocationSettingData";
    let mut scsi: Vec<Epr> = settings
        .components
        .iter()
        .filter(|c| c.get::<u16>("ResourceType").ok().flatten() == Some(6))
        .map(|c| Ok(setting_epr(&c.class, &instance_id(c)?)))
        .collect::<Result<_>>()?;
    let needed = disks
        .iter()
        .filter(|d| d.bus == Bus::Scsi)
        .map(|d| d.address.controller + 1)
        .chain([scsi_wanted])
        .max()
        .unwrap_or(0) as usize;
    let new_controllers = needed.saturating_sub(scsi.len());

    // Layer 1: SCSI controllers and network ports.
    let mut layer: Vec<EmbeddedInstance> = (0..new_controllers).map(|_| rasd(RASD, 6, SCSI_CONTROLLER)).collect();
    for nic in nics {
        let mut port = rasd("Msvm_SyntheticEthernetPortSettingData", 10, NIC_PORT)
            .set("ElementName", CimType::String, "Network Adapter")
            .set_array("VirtualSystemIdentifiers", CimType::String, [format!("{{{}}}", random_guid())]);
        if let Some(mac) = &nic.mac {
            port = port
                .set("Address", CimType::String, mac_to_hyperv(mac))
                .set("StaticMacAddress", CimType::Boolean, "true");
        }
        layer.push(port);
    }
    let made = add(client, vm_guid, layer)?;
    scsi.extend(made[..new_controllers].iter().cloned());
    let ports = &made[new_controllers..];

    // Layer 2: drives on their controllers, ports on their switches.
    let mut layer = Vec::new();
    let mut parents = Vec::new(); // for each drive made: the disk it holds
    for disk in disks {
        let drive = match (disk.bus, disk.device) {
            (Bus::Fdc, _) => {
                let floppy = settings
                    .components
                    .iter()
                    .find(|c| c.get::<u16>("ResourceType").ok().flatten() == Some(14))
                    .ok_or_else(|| unsupported("this VM has no floppy drive (Generation 1 VMs have one)"))?;
                parents.push((disk, Some(setting_epr(&floppy.class, &instance_id(floppy)?))));
                continue;
            }
            (_, DiskDevice::Cdrom) => rasd(RASD, 16, DVD_DRIVE),
            _ => rasd(RASD, 17, DISK_DRIVE),
        };
        let controller = match disk.bus {
            Bus::Scsi => scsi[disk.address.controller as usize].clone(),
            _ => ide_channel(settings, disk.address.bus)?,
        };
        layer.push(
            drive
                .set("Parent", CimType::String, wmi_path(host, &controller))
                .set("AddressOnParent", CimType::String, disk.address.unit.to_string()),
        );
        parents.push((disk, None));
    }
    for (port, switch) in ports.iter().zip(switches) {
        layer.push(
            rasd("Msvm_EthernetPortAllocationSettingData", 33, SWITCH_CONNECTION)
                .set("Parent", CimType::String, wmi_path(host, port))
                .set_array("HostResource", CimType::String, [wmi_path(host, &switch_epr(switch))])
                .set("EnabledState", CimType::Uint16, "2"),
        );
    }
    let mut drives = add(client, vm_guid, layer)?.into_iter();

    // Layer 3: the images in their drives.
    let mut layer = Vec::new();
    let mut made = Made { drives: Vec::new(), ports: ports.to_vec() };
    for (disk, floppy) in parents {
        let drive = match floppy {
            Some(floppy) => {
                made.drives.push(None);
                floppy
            }
            None => {
                let drive = drives.next().expect("one drive made per disk");
                made.drives.push(Some(drive.clone()));
                drive
            }
        };
        let Some(DiskSource::File(path)) = &disk.source else {
            continue;
        };
        let subtype = match disk.device {
            DiskDevice::Disk => VHD,
            DiskDevice::Cdrom => ISO,
            DiskDevice::Floppy => VFD,
        };
        layer.push(
            rasd("Msvm_StorageAllocationSettingData", 31, subtype)
                .set("Parent", CimType::String, wmi_path(host, &drive))
                .set_array("HostResource", CimType::String, [path.as_str()]),
        );
    }
    add(client, vm_guid, layer)?;
    Ok(made)
}

/// The IDE controller RASD of `channel` (Address "0" or "1").
fn ide_channel(settings: &Settings, channel: u32) -> Result<Epr> {
    let found = settings.components.iter().find(|c| {
        c.get::<u16>("ResourceType").ok().flatten() == Some(5)
            && c.get::<String>("Address").ok().flatten().and_then(|a| a.trim().parse::<u32>().ok()) == Some(channel)
    });
    match found {
        Some(c) => Ok(setting_epr(&c.class, &instance_id(c)?)),
        None => Err(unsupported(format!("this VM has no IDE channel {channel}"))),
    }
}

/// virDomainUndefine(Flags): Hyper-V deletes the VM with its saved state, snapshots
/// and firmware variables (never its disk images).
pub fn undefine(client: &Client, vm_guid: &str, flags: u32) -> Result<()> {
    let allowed = VIR_DOMAIN_UNDEFINE_MANAGED_SAVE
        | VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA
        | VIR_DOMAIN_UNDEFINE_NVRAM
        | VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA;
    check_flags(VIR_FROM_HYPERV, "hypervDomainUndefineFlags", flags, allowed as u32)?;
    vsms(client, "DestroySystem", &Params::new().reference("AffectedSystem", vm_epr(vm_guid))).map(drop)
}

fn check_device_flags(function: &str, flags: u32) -> Result<()> {
    // Hyper-V changes the configuration, and the running VM with it where it can.
    let allowed = VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG;
    check_flags(VIR_FROM_HYPERV, function, flags, allowed as u32)
}

/// virDomainAttachDevice(Flags): a disk, DVD, floppy image, NIC or COM port connection.
pub fn attach_device(client: &Client, host: &str, vm_guid: &str, xml: &str, flags: u32) -> Result<()> {
    check_device_flags("hypervDomainAttachDeviceFlags", flags)?;
    let settings = read::vm_settings(client, vm_guid)?;
    let current = read::domain_def(client, &settings, false)?;
    match parse_device(xml, current.generation)? {
        Device::Disk(disk) => {
            require_source(&disk)?;
            if matches!(disk.source, Some(DiskSource::Block(_))) {
                return Err(unsupported("physical (passthrough) disks cannot be attached by the Hyper-V driver"));
            }
            if current.disks.iter().any(|d| d.bus == disk.bus && d.address == disk.address) {
                return Err(unsupported(format!("target {} is already in use", disk.target())));
            }
            add_devices(client, host, vm_guid, &settings, 0, &[disk], &[], &[]).map(drop)
        }
        Device::Interface(nic) => {
            let switches = resolve_switches(client, std::slice::from_ref(&nic))?;
            add_devices(client, host, vm_guid, &settings, 0, &[], &[nic], &switches).map(drop)
        }
        Device::Serial(serial) => {
            let params = Params::new().instance("ResourceSettings", serial_settings(&settings, &serial)?);
            vsms(client, "ModifyResourceSettings", &params).map(drop)
        }
    }
}

/// virDomainDetachDevice(Flags): a disk or DVD drive by its target, a NIC by its MAC
/// (or its switch when it is the only one there), a COM port's connection.
pub fn detach_device(client: &Client, vm_guid: &str, xml: &str, flags: u32) -> Result<()> {
    check_device_flags("hypervDomainDetachDeviceFlags", flags)?;
    let settings = read::vm_settings(client, vm_guid)?;
    let current = read::domain_def(client, &settings, false)?;
    let doomed: Vec<Epr> = match parse_device(xml, current.generation)? {
        Device::Disk(disk) => disk_resources(&settings, &disk)?,
        Device::Interface(nic) => nic_resources(&settings, &nic)?,
        Device::Serial(serial) => {
            let detached = Serial { port: serial.port, pipe: None };
            let params = Params::new().instance("ResourceSettings", serial_settings(&settings, &detached)?);
            return vsms(client, "ModifyResourceSettings", &params).map(drop);
        }
    };
    let mut params = Params::new();
    for epr in doomed {
        params = params.reference("ResourceSettings", epr);
    }
    vsms(client, "RemoveResourceSettings", &params).map(drop)
}

fn device_not_found(what: String) -> Error {
    Error::with_detail(VIR_ERR_DEVICE_MISSING, VIR_FROM_HYPERV, what)
}

fn parent_id(instance: &Instance) -> Option<String> {
    path_key(&instance.get::<String>("Parent").ok().flatten()?, "InstanceID")
}

/// The image and drive settings of the disk at the XML's location, image first.
fn disk_resources(settings: &Settings, disk: &Disk) -> Result<Vec<Epr>> {
    let of_type = |t: u16| settings.components.iter().filter(move |c| c.get::<u16>("ResourceType").ok().flatten() == Some(t));
    let controller_id = match disk.bus {
        Bus::Ide => ide_channel(settings, disk.address.bus)?.selector("InstanceID").map(str::to_owned),
        Bus::Scsi => of_type(6).nth(disk.address.controller as usize).and_then(|c| c.get::<String>("InstanceID").ok().flatten()),
        Bus::Fdc => of_type(14).next().and_then(|c| c.get::<String>("InstanceID").ok().flatten()),
    };
    let drive = match disk.bus {
        Bus::Fdc => of_type(14).next(),
        _ => of_type(16).chain(of_type(17)).find(|d| {
            parent_id(d) == controller_id
                && d.get::<String>("AddressOnParent").ok().flatten().and_then(|a| a.trim().parse::<u32>().ok())
                    == Some(disk.address.unit)
        }),
    }
    .ok_or_else(|| device_not_found(format!("no disk at target {}", disk.target())))?;
    let drive_id = instance_id(drive)?;
    let mut doomed: Vec<Epr> = of_type(31)
        .filter(|e| parent_id(e).as_deref() == Some(drive_id.as_str()))
        .map(|e| Ok(setting_epr(&e.class, &instance_id(e)?)))
        .collect::<Result<_>>()?;
    if disk.bus == Bus::Fdc {
        // The diskette drive itself is part of every Generation 1 VM.
        if doomed.is_empty() {
            return Err(device_not_found("no floppy image inserted".into()));
        }
    } else {
        doomed.push(setting_epr(&drive.class, &drive_id));
    }
    Ok(doomed)
}

/// The switch connection and port settings of the NIC the XML names.
fn nic_resources(settings: &Settings, nic: &Interface) -> Result<Vec<Epr>> {
    let connections: Vec<&Instance> = settings.of_class("Msvm_EthernetPortAllocationSettingData").collect();
    let mut found = Vec::new();
    for port in settings.of_class("Msvm_SyntheticEthernetPortSettingData") {
        let id = instance_id(port)?;
        let connection = connections.iter().find(|c| parent_id(c).as_deref() == Some(id.as_str()));
        let switch = connection
            .and_then(|c| c.array::<String>("HostResource").ok()?.first().and_then(|p| path_key(p, "Name")));
        let mac = port.get::<String>("Address")?.unwrap_or_default();
        let matches = match &nic.mac {
            Some(m) => mac_to_hyperv(m) == mac.to_ascii_uppercase(),
            None => switch.as_deref().is_some_and(|s| s.eq_ignore_ascii_case(&nic.switch)),
        };
        if matches {
            let mut eprs = Vec::new();
            if let Some(c) = connection {
                eprs.push(setting_epr(&c.class, &instance_id(c)?));
            }
            eprs.push(setting_epr(&port.class, &id));
            found.push(eprs);
        }
    }
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => Err(device_not_found(match &nic.mac {
            Some(mac) => format!("no interface with MAC {mac}"),
            None => format!("no interface on switch '{}'", nic.switch),
        })),
        _ => Err(unsupported("several interfaces match: give the MAC address")),
    }
}
