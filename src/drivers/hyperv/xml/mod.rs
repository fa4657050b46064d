//! The domain XML of a Hyper-V VM: what a VM's WMI settings can say and what
//! DefineXML can ask for, as one model. `parse` reads libvirt XML into it,
//! `format` writes it as libvirt's Hyper-V driver does (driver.md §5.1), and
//! `read` builds it from the WMI settings of a VM or a snapshot.

pub mod format;
pub mod parse;
pub mod read;

/// A VM as the domain XML describes it. Memory sizes are in KiB.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DomainDef {
    pub name: String,
    pub uuid: Option<[u8; 16]>,
    /// The worker process id while the VM runs (`<domain id=...>`).
    pub id: Option<i32>,
    pub title: Option<String>,
    pub description: Option<String>,
    /// `<maxMemory>`: Msvm_MemorySettingData.Limit.
    pub max_memory_kib: Option<u64>,
    /// `<memory>`.
    pub memory_kib: u64,
    /// `<currentMemory>`: Msvm_MemorySettingData.VirtualQuantity.
    pub current_memory_kib: u64,
    pub vcpus: u32,
    pub generation: Generation,
    /// Generation 2 only; None: Hyper-V's default (on).
    pub secure_boot: Option<bool>,
    pub tpm: bool,
    /// `<os><boot dev=...>` in order (Generation 1's BIOS boot order).
    pub boot: Vec<BootDev>,
    /// Whether the VM has its (two-channel) IDE controller: Generation 1 always does.
    pub ide_controller: bool,
    /// How many SCSI controllers the VM has (at least one per controller a disk names).
    pub scsi_controllers: u32,
    pub disks: Vec<Disk>,
    pub interfaces: Vec<Interface>,
    pub serials: Vec<Serial>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Generation {
    /// BIOS, IDE.
    #[default]
    One,
    /// UEFI, SCSI only.
    Two,
}

/// Generation 1's BIOS boot devices; the values are VSSD.BootOrder's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BootDev {
    Floppy = 0,
    Cdrom = 1,
    Hd = 2,
    Network = 3,
}

impl BootDev {
    pub const ALL: [BootDev; 4] = [BootDev::Floppy, BootDev::Cdrom, BootDev::Hd, BootDev::Network];

    pub fn name(self) -> &'static str {
        match self {
            BootDev::Floppy => "fd",
            BootDev::Cdrom => "cdrom",
            BootDev::Hd => "hd",
            BootDev::Network => "network",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiskDevice {
    Disk,
    Cdrom,
    Floppy,
}

impl DiskDevice {
    pub fn name(self) -> &'static str {
        match self {
            DiskDevice::Disk => "disk",
            DiskDevice::Cdrom => "cdrom",
            DiskDevice::Floppy => "floppy",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bus {
    Ide,
    Scsi,
    Fdc,
}

impl Bus {
    pub fn name(self) -> &'static str {
        match self {
            Bus::Ide => "ide",
            Bus::Scsi => "scsi",
            Bus::Fdc => "fdc",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DiskSource {
    /// A VHD(X), ISO or VFD path on the host.
    File(String),
    /// A physical disk passed through, by its host drive number.
    Block(u32),
}

/// Where a drive sits. IDE: `controller` is always 0 and `bus` the channel (0, 1);
/// SCSI: `controller` is the n-th SCSI controller and `bus` 0. `unit` is the
/// location on the channel or controller (AddressOnParent).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DriveAddress {
    pub controller: u32,
    pub bus: u32,
    pub unit: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Disk {
    pub device: DiskDevice,
    /// None: an empty DVD drive.
    pub source: Option<DiskSource>,
    pub bus: Bus,
    pub address: DriveAddress,
    pub boot_order: Option<u32>,
}

impl Disk {
    /// The target name the address implies, as libvirt names drives: IDE
    /// `hd` + (channel × 2 + unit), SCSI `sd` + (controller × 64 + unit), `fda`.
    pub fn target(&self) -> String {
        match self.bus {
            Bus::Ide => format!("hd{}", drive_letters(self.address.bus * 2 + self.address.unit)),
            Bus::Scsi => format!("sd{}", drive_letters(self.address.controller * 64 + self.address.unit)),
            Bus::Fdc => format!("fd{}", drive_letters(self.address.unit)),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Interface {
    /// `aa:bb:cc:dd:ee:ff`; None: Hyper-V assigns one.
    pub mac: Option<String>,
    /// The switch: its Name (GUID) when read; its Name or friendly name when defined.
    pub switch: String,
    pub boot_order: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Serial {
    /// The COM port number (1 or 2), as libvirt's Hyper-V driver numbers them.
    pub port: u32,
    /// The named pipe (`\\.\pipe\NAME`); None: not connected.
    pub pipe: Option<String>,
}

/// Drive letters as libvirt counts them: a..z, aa..zz, ...
pub fn drive_letters(index: u32) -> String {
    let mut n = index as u64 + 1;
    let mut out = Vec::new();
    while n > 0 {
        n -= 1;
        out.push(b'a' + (n % 26) as u8);
        n /= 26;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII letters")
}

/// The index `drive_letters` was made from ("sdb" minus the prefix: "b" -> 1).
pub fn drive_index(letters: &str) -> Option<u32> {
    if letters.is_empty() || !letters.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    let mut n: u64 = 0;
    for b in letters.bytes() {
        n = n.checked_mul(26)?.checked_add((b - b'a') as u64 + 1)?;
    }
    u32::try_from(n - 1).ok()
}

/// The MAC in libvirt's form from Hyper-V's 12 hex digits ("00155D010203").
pub fn mac_from_hyperv(address: &str) -> Option<String> {
    if address.len() != 12 || !address.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let lower = address.to_ascii_lowercase();
    let pairs: Vec<&str> = (0..6).map(|i| &lower[i * 2..i * 2 + 2]).collect();
    Some(pairs.join(":"))
}

/// Hyper-V's form of a MAC: 12 upper-case hex digits.
pub fn mac_to_hyperv(mac: &str) -> String {
    mac.replace([':', '-'], "").to_ascii_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drive_names_and_macs() {
        for (i, s) in [(0, "a"), (1, "b"), (25, "z"), (26, "aa"), (64, "bm"), (701, "zz"), (702, "aaa")] {
            assert_eq!(drive_letters(i), s);
            assert_eq!(drive_index(s), Some(i));
        }
        assert_eq!(drive_index(""), None);
        assert_eq!(drive_index("A"), None);
        assert_eq!(mac_from_hyperv("00155D0102AB").as_deref(), Some("00:15:5d:01:02:ab"));
        assert_eq!(mac_from_hyperv("00155D"), None);
        assert_eq!(mac_to_hyperv("00:15:5d:01:02:ab"), "00155D0102AB");
        let disk = Disk {
            device: DiskDevice::Disk,
            source: None,
            bus: Bus::Ide,
            address: DriveAddress { controller: 0, bus: 1, unit: 1 },
            boot_order: None,
        };
        assert_eq!(disk.target(), "hdd");
        let scsi = Disk { bus: Bus::Scsi, address: DriveAddress { controller: 1, bus: 0, unit: 2 }, ..disk };
        assert_eq!(scsi.target(), "sdbo");
    }
}
