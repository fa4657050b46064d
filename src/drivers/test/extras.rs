//! The rest of the test driver's domain calls: save and restore (to libvirt's
//! test save format), managed save, core dumps, memory and vCPU settings, and
//! the made-up figures libvirt's test driver reports (control info, memory
//! statistics, block info, disk errors, hostname, scheduler).

use super::state::{Device, DomainObj, State};
use crate::abi::domain::*;
use crate::abi::virterror::*;
use crate::core::events::Event;
use crate::core::typed_params::Value;
use crate::core::{Error, Result};
use crate::driver::DomainId;
use std::io::{Read, Write};

/// What a test driver save image or core dump starts with.
const MAGIC: &[u8; 15] = b"TestGuestMagic\0";
/// The longest domain XML a save image may hold, as libvirt's test driver reads it.
const MAX_SAVED_XML: usize = 8192;

pub const SAVE_FLAGS: u32 = 0;
pub const MANAGED_SAVE_FLAGS: u32 =
    (VIR_DOMAIN_SAVE_BYPASS_CACHE | VIR_DOMAIN_SAVE_RUNNING | VIR_DOMAIN_SAVE_PAUSED) as u32;
pub const CORE_DUMP_FLAGS: u32 = VIR_DUMP_CRASH as u32;
const AFFECT: u32 = (VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG) as u32;
pub const SET_MEMORY_FLAGS: u32 = AFFECT | VIR_DOMAIN_MEM_MAXIMUM as u32;
pub const VCPUS_FLAGS: u32 = AFFECT | VIR_DOMAIN_VCPU_MAXIMUM as u32;

fn not_running() -> Error {
    Error::operation_invalid(VIR_FROM_DOMAIN, "domain is not running")
}

fn system(path_error: &std::io::Error, detail: String) -> Error {
    Error::system(VIR_FROM_TEST, path_error.raw_os_error().unwrap_or(0), detail)
}

/// libvirt refuses a replacement XML for a save image here.
pub fn no_xml_change(dxml: Option<&str>) -> Result<()> {
    match dxml {
        Some(_) => Err(Error::with_detail(VIR_ERR_ARGUMENT_UNSUPPORTED, VIR_FROM_TEST, "xml modification unsupported")),
        None => Ok(()),
    }
}

/// The header and XML of a save image.
fn save_image(xml: &str) -> Vec<u8> {
    let mut image = MAGIC.to_vec();
    image.extend_from_slice(&(xml.len() as u32).to_le_bytes());
    image.extend_from_slice(xml.as_bytes());
    image
}

/// A new file readable by its owner only, as libvirt creates save images.
fn create_private(path: &str) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(path)
}

/// The domain XML a save image at `path` holds.
pub fn read_save_image(path: &str) -> Result<String> {
    let mut file = std::fs::File::open(path).map_err(|e| system(&e, format!("cannot read domain image '{path}'")))?;
    let mut read_exact = |buf: &mut [u8], what: &str| -> Result<()> {
        let mut got = 0;
        while got < buf.len() {
            match file.read(&mut buf[got..]) {
                Ok(0) => return Err(Error::system(VIR_FROM_TEST, 0, format!("incomplete {what} in '{path}'"))),
                Ok(n) => got += n,
                Err(e) => return Err(system(&e, format!("incomplete {what} in '{path}'"))),
            }
        }
        Ok(())
    };
    let mut header = [0u8; 15];
    read_exact(&mut header, "save header")?;
    if &header != MAGIC {
        return Err(Error::internal(VIR_FROM_TEST, "mismatched header magic"));
    }
    let mut len = [0u8; 4];
    read_exact(&mut len, "save header")?;
    let len = i32::from_le_bytes(len);
    if len < 1 || len as usize > MAX_SAVED_XML {
        return Err(Error::internal(VIR_FROM_TEST, "length of metadata out of range"));
    }
    let mut xml = vec![0u8; len as usize];
    read_exact(&mut xml, "metadata")?;
    Ok(String::from_utf8_lossy(&xml).into_owned())
}

impl State {
    /// The running domain a handle names, by index.
    fn running_index(&self, dom: &DomainId) -> Result<usize> {
        let at = self.index_of(dom)?;
        if !self.domains[at].is_active() {
            return Err(not_running());
        }
        Ok(at)
    }

    /// virDomainSave: writes the live XML to `path` and stops the domain.
    pub fn save(&mut self, dom: &DomainId, path: &str) -> Result<((), Vec<Event>)> {
        let at = self.running_index(dom)?;
        let xml = super::xml::format_domain(&self.domains[at], VIR_DOMAIN_XML_SECURE as u32);
        let failed = |e: std::io::Error, what: &str| system(&e, format!("saving domain '{}' to '{path}': {what}", dom.name));
        let mut file = create_private(path).map_err(|e| failed(e, "open failed"))?;
        file.write_all(&save_image(&xml)).map_err(|e| failed(e, "write failed"))?;
        Ok(((), self.stopped(at, VIR_DOMAIN_SHUTOFF_SAVED, VIR_DOMAIN_EVENT_STOPPED_SAVED)))
    }

    /// virDomainRestore: runs the saved definition, as virDomainCreateXML would,
    /// but as restored.
    pub fn restore(&mut self, def: super::state::DomainDef) -> Result<((), Vec<Event>)> {
        let (identity, _) = self.create_xml(def)?;
        let at = self.index_of(&identity)?;
        self.domains[at].reason = VIR_DOMAIN_RUNNING_RESTORED;
        Ok(((), vec![Event::lifecycle(identity, VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_RESTORED)]))
    }

    /// virDomainManagedSave: stops a running persistent domain, keeping its
    /// image in memory (libvirt's test driver writes no file).
    pub fn managed_save(&mut self, dom: &DomainId) -> Result<((), Vec<Event>)> {
        let at = self.running_index(dom)?;
        if !self.domains[at].persistent {
            return Err(Error::operation_invalid(VIR_FROM_TEST, "cannot do managed save for transient domain"));
        }
        self.domains[at].has_managed_save = true;
        Ok(((), self.stopped(at, VIR_DOMAIN_SHUTOFF_SAVED, VIR_DOMAIN_EVENT_STOPPED_SAVED)))
    }

    pub fn managed_save_remove(&mut self, dom: &DomainId) -> Result<()> {
        let at = self.index_of(dom)?;
        self.domains[at].has_managed_save = false;
        Ok(())
    }

    /// virDomainCoreDump: the file gets the magic only; VIR_DUMP_CRASH stops the domain.
    pub fn core_dump(&mut self, dom: &DomainId, path: &str, format: u32, crash: bool) -> Result<((), Vec<Event>)> {
        let at = self.running_index(dom)?;
        if format != VIR_DOMAIN_CORE_DUMP_FORMAT_RAW as u32 {
            return Err(Error::with_detail(
                VIR_ERR_OPERATION_UNSUPPORTED,
                VIR_FROM_TEST,
                "kdump-compressed format is not supported here",
            ));
        }
        let failed = |e: std::io::Error, what: &str| system(&e, format!("domain '{}' coredump: failed to {what} {path}", dom.name));
        let mut file = create_private(path).map_err(|e| failed(e, "open"))?;
        file.write_all(MAGIC).map_err(|e| failed(e, "write"))?;
        if !crash {
            return Ok(((), Vec::new()));
        }
        Ok(((), self.stopped(at, VIR_DOMAIN_SHUTOFF_CRASHED, VIR_DOMAIN_EVENT_STOPPED_CRASHED)))
    }

    /// virDomainSetMemoryFlags: the current (or, with VIR_DOMAIN_MEM_MAXIMUM, the
    /// maximum) memory of the live and/or persistent definition.
    pub fn set_memory(&mut self, dom: &DomainId, kib: u64, flags: u32) -> Result<()> {
        let at = self.index_of(dom)?;
        let obj = &mut self.domains[at];
        let (live, config) = affected(obj, flags)?;
        if flags & VIR_DOMAIN_MEM_MAXIMUM as u32 != 0 {
            if live {
                return Err(Error::operation_invalid(VIR_FROM_TEST, "cannot resize the maximum memory on an active domain"));
            }
            let def = obj.new_def.as_mut().unwrap_or(&mut obj.def);
            def.memory_kib = kib;
            def.current_memory_kib = def.current_memory_kib.min(kib);
            return Ok(());
        }
        let too_big = |max: u64| {
            (kib > max).then(|| Error::invalid_arg(VIR_FROM_TEST, "cannot set memory higher than max memory"))
        };
        if live {
            if let Some(e) = too_big(obj.def.memory_kib) {
                return Err(e);
            }
        }
        if config {
            let def = obj.new_def.as_ref().unwrap_or(&obj.def);
            if let Some(e) = too_big(def.memory_kib) {
                return Err(e);
            }
        }
        if live {
            obj.def.current_memory_kib = kib;
        }
        if config {
            obj.new_def.as_mut().unwrap_or(&mut obj.def).current_memory_kib = kib;
        }
        Ok(())
    }
}

/// Which definitions an AFFECT_* `flags` names: (live, config); CURRENT means
/// the live one of a running domain, else the persistent one.
fn affected(obj: &DomainObj, flags: u32) -> Result<(bool, bool)> {
    let mut live = flags & VIR_DOMAIN_AFFECT_LIVE as u32 != 0;
    let mut config = flags & VIR_DOMAIN_AFFECT_CONFIG as u32 != 0;
    if !live && !config {
        live = obj.is_active();
        config = !live;
    }
    if live && !obj.is_active() {
        return Err(not_running());
    }
    if config && !obj.persistent {
        return Err(Error::operation_invalid(VIR_FROM_DOMAIN, "transient domains do not have any persistent config"));
    }
    // A running persistent domain's config is its new_def; an inactive one's is def.
    Ok((live, config && (obj.new_def.is_some() || !obj.is_active())))
}

/// virDomainGetVcpusFlags: the vCPU count of the definition `flags` names.
pub fn vcpus(obj: &DomainObj, flags: u32) -> Result<i32> {
    let (live, _) = affected(obj, flags & AFFECT)?;
    let def = match &obj.new_def {
        Some(persistent) if !live => persistent,
        _ => &obj.def,
    };
    Ok(i32::from(def.vcpus))
}

/// virDomainMemoryStats: figures derived from the current memory, in
/// libvirt's order.
pub fn memory_stats(obj: &DomainObj, max: usize) -> Result<Vec<(i32, u64)>> {
    if !obj.is_active() {
        return Err(not_running());
    }
    let cur = obj.def.current_memory_kib;
    let stats = [
        (VIR_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON, cur),
        (VIR_DOMAIN_MEMORY_STAT_SWAP_IN, 0),
        (VIR_DOMAIN_MEMORY_STAT_SWAP_OUT, 0),
        (VIR_DOMAIN_MEMORY_STAT_MAJOR_FAULT, 0),
        (VIR_DOMAIN_MEMORY_STAT_MINOR_FAULT, 0),
        (VIR_DOMAIN_MEMORY_STAT_UNUSED, cur / 2),
        (VIR_DOMAIN_MEMORY_STAT_AVAILABLE, cur),
        (VIR_DOMAIN_MEMORY_STAT_USABLE, cur / 2),
        (VIR_DOMAIN_MEMORY_STAT_LAST_UPDATE, 627319920),
        (VIR_DOMAIN_MEMORY_STAT_DISK_CACHES, cur / 8),
        (VIR_DOMAIN_MEMORY_STAT_HUGETLB_PGALLOC, 0),
        (VIR_DOMAIN_MEMORY_STAT_HUGETLB_PGFAIL, 0),
        (VIR_DOMAIN_MEMORY_STAT_RSS, cur / 2),
    ];
    Ok(stats.into_iter().take(max).collect())
}

/// virDomainGetBlockInfo: every disk, found by target or source, is 1 TiB.
pub fn block_info(obj: &DomainObj, disk: &str) -> Result<(u64, u64, u64)> {
    let known = obj
        .def
        .devices
        .iter()
        .any(|d| matches!(d, Device::Disk { file, target, .. } if target == disk || file == disk));
    if !known {
        return Err(Error::invalid_arg(VIR_FROM_TEST, format!("invalid path {disk} not assigned to domain")));
    }
    // libvirt's fixed figures: capacity, allocation, physical.
    Ok((1_099_506_450_432, 1 << 40, 1 << 40))
}

/// virDomainGetDiskErrors: libvirt's test driver reports each disk in error,
/// cycling through the error kinds.
pub fn disk_errors(obj: &DomainObj) -> Result<Vec<(String, i32)>> {
    if !obj.is_active() {
        return Err(not_running());
    }
    let kinds = VIR_DOMAIN_DISK_ERROR_NO_SPACE; // the last kind
    let disks = obj.def.devices.iter().filter_map(|d| match d {
        Device::Disk { target, .. } => Some(target.clone()),
        _ => None,
    });
    Ok(disks.enumerate().map(|(i, target)| (target, (i as i32 % kinds) + 1)).collect())
}

pub fn hostname(obj: &DomainObj) -> Result<String> {
    if !obj.is_active() {
        return Err(not_running());
    }
    Ok("testhost".into())
}

pub fn control_info(obj: &DomainObj) -> Result<(u32, u32, u64)> {
    if !obj.is_active() {
        return Err(not_running());
    }
    Ok((VIR_DOMAIN_CONTROL_OK as u32, 0, 0))
}

/// The test driver's one scheduler parameter.
pub fn scheduler_params() -> Vec<(String, Value)> {
    vec![(VIR_DOMAIN_SCHEDULER_WEIGHT.to_owned(), Value::UInt(50))]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn test_domain(state: &State) -> DomainId {
        state.by_name("test").unwrap().identity()
    }

    #[test]
    fn a_saved_domain_restores_as_restored_under_a_new_id() {
        let mut state = super::super::default::state();
        let test = test_domain(&state);
        let path = std::env::temp_dir().join(format!("ferrovirt-extras-{}", std::process::id()));
        let path = path.to_str().unwrap();
        state.save(&test, path).unwrap();
        assert_eq!(state.by_name("test").unwrap().reason, VIR_DOMAIN_SHUTOFF_SAVED);
        assert_eq!(state.save(&test, path).unwrap_err().code, VIR_ERR_OPERATION_INVALID);
        let xml = read_save_image(path).unwrap();
        assert!(xml.starts_with("<domain type='test' id='1'>"), "{xml}");
        state.restore(super::super::xml::parse_domain_xml(&xml, false).unwrap()).unwrap();
        let obj = state.by_name("test").unwrap();
        assert_eq!((obj.state, obj.reason, obj.id), (VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_RESTORED, 2));
        std::fs::write(path, b"TestGuestMagic\0\x05\0\0\0<do").unwrap();
        let err = read_save_image(path).unwrap_err();
        assert_eq!(err.message, format!("incomplete metadata in '{path}': Success"));
        std::fs::remove_file(path).unwrap();
    }

    #[test]
    fn memory_settings_follow_the_definitions_in_force() {
        let mut state = super::super::default::state();
        let test = test_domain(&state);
        let err = state.set_memory(&test, 1, VIR_DOMAIN_MEM_MAXIMUM as u32).unwrap_err();
        assert_eq!(err.message, "Requested operation is not valid: cannot resize the maximum memory on an active domain");
        state.set_memory(&test, 1000, VIR_DOMAIN_AFFECT_CONFIG as u32).unwrap();
        state.set_memory(&test, 2000, 0).unwrap();
        let obj = state.by_name("test").unwrap();
        assert_eq!((obj.def.current_memory_kib, obj.new_def.as_ref().unwrap().current_memory_kib), (2000, 1000));
        let stats = memory_stats(obj, 2).unwrap();
        assert_eq!(stats, vec![(VIR_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON, 2000), (VIR_DOMAIN_MEMORY_STAT_SWAP_IN, 0)]);
        assert_eq!(state.set_memory(&test, 1 << 40, 0).unwrap_err().code, VIR_ERR_INVALID_ARG);
    }
}
