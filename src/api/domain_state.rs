//! libvirt-domain.h: saving and restoring domains, core dumps, and the state
//! queries (control info, memory statistics, block info, disk errors, hostname).

use super::domain::{domain, entry, set_handle_id};
use super::guard::{show_ptr, show_str, Call};
use super::strings::malloc;
use crate::abi::domain::*;
use crate::abi::types::*;
use crate::core::Result;
use std::os::raw::{c_char, c_int, c_uint};

/// libvirt hands drivers absolute paths: a relative one is taken from the
/// current directory.
fn absolute(path: &str) -> String {
    if path.starts_with('/') {
        return path.to_owned();
    }
    let cwd = std::env::current_dir().unwrap_or_default();
    format!("{}/{}", cwd.display(), path)
}

/// libvirt's check of two flags that cannot go together.
fn exclusive(call: &Call, flags: c_uint, pairs: &[(c_int, &str, c_int, &str)]) -> Result<()> {
    for &(a, a_name, b, b_name) in pairs {
        if flags & a as c_uint != 0 && flags & b as c_uint != 0 {
            return Err(call.bad_arg("flags", format!("Flags '{a_name}' and '{b_name}' are mutually exclusive")));
        }
    }
    Ok(())
}

const SAVE_EXCLUSIVE: &[(c_int, &str, c_int, &str)] =
    &[(VIR_DOMAIN_SAVE_RUNNING, "VIR_DOMAIN_SAVE_RUNNING", VIR_DOMAIN_SAVE_PAUSED, "VIR_DOMAIN_SAVE_PAUSED")];

unsafe fn save(name: &'static str, handle: virDomainPtr, to: *const c_char, dxml: *const c_char, flags: c_uint) -> c_int {
    entry(
        name,
        || format!("dom={}, to={}, dxml={}, flags=0x{:x}", show_ptr(handle), show_str(to), show_str(dxml), flags),
        |call| {
            let dom = domain(call, handle)?;
            call.writable()?;
            let to = call.string(to, "to")?;
            let dxml = call.optional_string(dxml)?;
            exclusive(call, flags, SAVE_EXCLUSIVE)?;
            dom.conn.driver.domain_save(&dom.id, &absolute(to), dxml, flags)?;
            // The saved domain stops, and libvirt clears the id of the handle used.
            set_handle_id(handle, -1);
            Ok(0)
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virDomainSave(domain: virDomainPtr, to: *const c_char) -> c_int {
    save("virDomainSave", domain, to, std::ptr::null(), 0)
}

#[no_mangle]
pub unsafe extern "C" fn virDomainSaveFlags(domain: virDomainPtr, to: *const c_char, dxml: *const c_char, flags: c_uint) -> c_int {
    save("virDomainSaveFlags", domain, to, dxml, flags)
}

unsafe fn restore(name: &'static str, conn: virConnectPtr, from: *const c_char, dxml: *const c_char, flags: c_uint) -> c_int {
    entry(
        name,
        || format!("conn={}, from={}, dxml={}, flags=0x{:x}", show_ptr(conn), show_str(from), show_str(dxml), flags),
        |call| {
            let conn = call.writable_connect(conn)?;
            let from = call.string(from, "from")?;
            let dxml = call.optional_string(dxml)?;
            exclusive(call, flags, SAVE_EXCLUSIVE)?;
            conn.driver.domain_restore(&absolute(from), dxml, flags)?;
            Ok(0)
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virDomainRestore(conn: virConnectPtr, from: *const c_char) -> c_int {
    restore("virDomainRestore", conn, from, std::ptr::null(), 0)
}

#[no_mangle]
pub unsafe extern "C" fn virDomainRestoreFlags(conn: virConnectPtr, from: *const c_char, dxml: *const c_char, flags: c_uint) -> c_int {
    restore("virDomainRestoreFlags", conn, from, dxml, flags)
}

unsafe fn core_dump(name: &'static str, handle: virDomainPtr, to: *const c_char, format: c_uint, flags: c_uint) -> c_int {
    entry(
        name,
        || format!("dom={}, to={}, dumpformat={}, flags=0x{:x}", show_ptr(handle), show_str(to), format, flags),
        |call| {
            let dom = domain(call, handle)?;
            call.writable()?;
            let to = call.string(to, "to")?;
            if format >= VIR_DOMAIN_CORE_DUMP_FORMAT_LAST as c_uint {
                return Err(call.bad_arg("flags", format!("dumpformat '{format}' is not supported")));
            }
            exclusive(
                call,
                flags,
                &[
                    (VIR_DUMP_CRASH, "VIR_DUMP_CRASH", VIR_DUMP_LIVE, "VIR_DUMP_LIVE"),
                    (VIR_DUMP_CRASH, "VIR_DUMP_CRASH", VIR_DUMP_RESET, "VIR_DUMP_RESET"),
                    (VIR_DUMP_LIVE, "VIR_DUMP_LIVE", VIR_DUMP_RESET, "VIR_DUMP_RESET"),
                ],
            )?;
            dom.conn.driver.domain_core_dump(&dom.id, &absolute(to), format, flags)?;
            if flags & VIR_DUMP_CRASH as c_uint != 0 {
                set_handle_id(handle, -1);
            }
            Ok(0)
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virDomainCoreDump(domain: virDomainPtr, to: *const c_char, flags: c_uint) -> c_int {
    core_dump("virDomainCoreDump", domain, to, VIR_DOMAIN_CORE_DUMP_FORMAT_RAW as c_uint, flags)
}

#[no_mangle]
pub unsafe extern "C" fn virDomainCoreDumpWithFormat(
    domain: virDomainPtr,
    to: *const c_char,
    dumpformat: c_uint,
    flags: c_uint,
) -> c_int {
    core_dump("virDomainCoreDumpWithFormat", domain, to, dumpformat, flags)
}

#[no_mangle]
pub unsafe extern "C" fn virDomainGetControlInfo(domain: virDomainPtr, info: virDomainControlInfoPtr, flags: c_uint) -> c_int {
    entry(
        "virDomainGetControlInfo",
        || format!("dom={}, info={}, flags=0x{:x}", show_ptr(domain), show_ptr(info), flags),
        |call| {
            let dom = self::domain(call, domain)?;
            let info = call.out(info, "info")?;
            let (state, details, state_time) = dom.conn.driver.domain_control_info(&dom.id, flags)?;
            *info = virDomainControlInfo { state, details, stateTime: state_time };
            Ok(0)
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virDomainMemoryStats(
    dom: virDomainPtr,
    stats: virDomainMemoryStatPtr,
    nr_stats: c_uint,
    flags: c_uint,
) -> c_int {
    entry(
        "virDomainMemoryStats",
        || format!("dom={}, stats={}, nr_stats={}, flags=0x{:x}", show_ptr(dom), show_ptr(stats), nr_stats, flags),
        |call| {
            let dom = domain(call, dom)?;
            if stats.is_null() || nr_stats == 0 {
                return Ok(0);
            }
            let max = nr_stats.min(VIR_DOMAIN_MEMORY_STAT_NR as c_uint) as usize;
            let got = dom.conn.driver.domain_memory_stats(&dom.id, max, flags)?;
            for (i, &(tag, val)) in got.iter().take(max).enumerate() {
                *stats.add(i) = virDomainMemoryStatStruct { tag, val };
            }
            Ok(got.len().min(max) as c_int)
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virDomainGetBlockInfo(
    domain: virDomainPtr,
    disk: *const c_char,
    info: virDomainBlockInfoPtr,
    flags: c_uint,
) -> c_int {
    entry(
        "virDomainGetBlockInfo",
        || format!("dom={}, disk={}, info={}, flags=0x{:x}", show_ptr(domain), show_str(disk), show_ptr(info), flags),
        |call| {
            let dom = self::domain(call, domain)?;
            let disk = call.non_empty_string(disk, "disk")?;
            let info = call.out(info, "info")?;
            let (capacity, allocation, physical) = dom.conn.driver.domain_block_info(&dom.id, disk, flags)?;
            *info = virDomainBlockInfo { capacity, allocation, physical };
            Ok(0)
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virDomainGetDiskErrors(
    dom: virDomainPtr,
    errors: virDomainDiskErrorPtr,
    maxerrors: c_uint,
    flags: c_uint,
) -> c_int {
    entry(
        "virDomainGetDiskErrors",
        || format!("dom={}, errors={}, maxerrors={}, flags=0x{:x}", show_ptr(dom), show_ptr(errors), maxerrors, flags),
        |call| {
            let dom = domain(call, dom)?;
            if errors.is_null() && maxerrors > 0 {
                return Err(call.null_arg("errors"));
            }
            let found = dom.conn.driver.domain_disk_errors(&dom.id, flags)?;
            if errors.is_null() {
                return Ok(found.len() as c_int);
            }
            let n = found.len().min(maxerrors as usize);
            for (i, (disk, error)) in found.into_iter().take(n).enumerate() {
                *errors.add(i) = virDomainDiskError { disk: malloc(&disk), error };
            }
            Ok(n as c_int)
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virDomainGetHostname(domain: virDomainPtr, flags: c_uint) -> *mut c_char {
    entry(
        "virDomainGetHostname",
        || format!("dom={}, flags=0x{:x}", show_ptr(domain), flags),
        |call| {
            let dom = self::domain(call, domain)?;
            call.writable()?;
            Ok(malloc(&dom.conn.driver.domain_hostname(&dom.id, flags)?))
        },
    )
}
