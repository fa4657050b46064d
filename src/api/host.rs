//! libvirt-host.h: connections, versions, the node.

use super::guard::{guard, Call};
use crate::abi::host::VIR_NODE_CPU_STATS_ALL_CPUS;
use crate::abi::types::*;
use crate::abi::virterror::*;
use crate::core::object;
use crate::core::{Connect, Result};
use super::guard::{show_ptr, show_str};
use std::os::raw::{c_char, c_int, c_uchar, c_uint, c_ulong, c_ulonglong};
use std::sync::Arc;

#[track_caller]
fn entry<T: super::guard::Failure>(
    name: &'static str,
    args: impl FnOnce() -> String,
    body: impl FnOnce(&mut Call) -> Result<T>,
) -> T {
    guard(VIR_FROM_DOMAIN, name, args, body)
}

/// The calls that live in libvirt.c report their errors in VIR_FROM_NONE.
#[track_caller]
fn libvirt_entry<T: super::guard::Failure>(
    name: &'static str,
    args: impl FnOnce() -> String,
    body: impl FnOnce(&mut Call) -> Result<T>,
) -> T {
    guard(VIR_FROM_NONE, name, args, body)
}

/// libvirt's API level, which clients compare against LIBVIR_CHECK_VERSION.
pub const LIBVIRT_VERSION: c_ulong = 9_000_000;

unsafe fn open(call: &mut Call, name: *const c_char, auth: virConnectAuthPtr, flags: c_uint) -> Result<virConnectPtr> {
    call.initialize()?;
    let name = call.optional_string(name)?;
    let callback = super::auth::CCallback::from_ptr(auth);
    let request = crate::uri::Request {
        name,
        flags,
        auth: callback.as_ref().map(|c| c as &dyn crate::auth::Callback),
        is_root: libc::geteuid() == 0,
    };
    let conn: Connect = crate::uri::open(request)?;
    Ok(object::publish(Arc::new(conn)) as virConnectPtr)
}

#[no_mangle]
pub unsafe extern "C" fn virConnectOpen(name: *const c_char) -> virConnectPtr {
    libvirt_entry("virConnectOpen", || format!("name={}", super::guard::show_str(name)), |call| {
        open(call, name, std::ptr::null_mut(), 0)
    })
}

#[no_mangle]
pub unsafe extern "C" fn virConnectOpenReadOnly(name: *const c_char) -> virConnectPtr {
    libvirt_entry("virConnectOpenReadOnly", || format!("name={}", super::guard::show_str(name)), |call| {
        open(call, name, std::ptr::null_mut(), crate::abi::host::VIR_CONNECT_RO as c_uint)
    })
}

#[no_mangle]
pub unsafe extern "C" fn virConnectOpenAuth(name: *const c_char, auth: virConnectAuthPtr, flags: c_uint) -> virConnectPtr {
    libvirt_entry(
        "virConnectOpenAuth",
        || format!("name={}, auth={}, flags=0x{:x}", super::guard::show_str(name), super::guard::show_ptr(auth), flags),
        |call| open(call, name, auth, flags),
    )
}

/// Returns 1 while references remain and 0 once the connection is gone, as
/// libvirt 9.0 does (not the count).
#[no_mangle]
pub unsafe extern "C" fn virConnectClose(conn: virConnectPtr) -> c_int {
    libvirt_entry("virConnectClose", || format!("conn={}", super::guard::show_ptr(conn)), |call| call.close(conn))
}

#[no_mangle]
pub unsafe extern "C" fn virConnectRef(conn: virConnectPtr) -> c_int {
    entry("virConnectRef", || format!("conn={}", super::guard::show_ptr(conn)), |call| call.add_ref::<Connect, _>(conn))
}

#[no_mangle]
pub unsafe extern "C" fn virConnectGetURI(conn: virConnectPtr) -> *mut c_char {
    entry("virConnectGetURI", || format!("conn={}", super::guard::show_ptr(conn)), |call| {
        let conn = call.connect(conn)?;
        Ok(super::strings::malloc(&conn.uri))
    })
}

#[no_mangle]
pub unsafe extern "C" fn virConnectGetType(conn: virConnectPtr) -> *const c_char {
    entry("virConnectGetType", || format!("conn={}", super::guard::show_ptr(conn)), |call| {
        let conn = call.connect(conn)?;
        Ok(super::strings::static_c_str(conn.driver.name()))
    })
}

/// Sets the library up; every other entry point does so by itself, so this only
/// reports whether the set-up (the logging configuration) is valid.
#[no_mangle]
pub unsafe extern "C" fn virInitialize() -> c_int {
    libvirt_entry("virInitialize", String::new, |call| {
        call.initialize()?;
        Ok(0)
    })
}

#[no_mangle]
pub unsafe extern "C" fn virGetVersion(libVer: *mut c_ulong, r#type: *const c_char, typeVer: *mut c_ulong) -> c_int {
    libvirt_entry("virGetVersion", || format!("libVer={}, type={}, typeVer={}", super::guard::show_ptr(libVer), super::guard::show_str(r#type), super::guard::show_ptr(typeVer)), |call| {
        call.initialize()?;
        let lib_ver = call.out(libVer, "libVer")?;
        *lib_ver = LIBVIRT_VERSION;
        if let Some(type_ver) = typeVer.as_mut() {
            *type_ver = LIBVIRT_VERSION;
        }
        Ok(0)
    })
}

#[no_mangle]
pub unsafe extern "C" fn virConnectGetLibVersion(conn: virConnectPtr, libVer: *mut c_ulong) -> c_int {
    entry("virConnectGetLibVersion", || format!("conn={}, libVer={}", super::guard::show_ptr(conn), super::guard::show_ptr(libVer)), |call| {
        call.connect(conn)?;
        *call.out(libVer, "libVer")? = LIBVIRT_VERSION;
        Ok(0)
    })
}

#[no_mangle]
pub unsafe extern "C" fn virConnectGetVersion(conn: virConnectPtr, hvVer: *mut c_ulong) -> c_int {
    entry("virConnectGetVersion", || format!("conn={}, hvVer={}", super::guard::show_ptr(conn), super::guard::show_ptr(hvVer)), |call| {
        let conn = call.connect(conn)?;
        let out = call.out(hvVer, "hvVer")?;
        *out = conn.driver.version()? as c_ulong;
        Ok(0)
    })
}

// The host and node getters.

#[no_mangle]
pub unsafe extern "C" fn virConnectGetHostname(conn: virConnectPtr) -> *mut c_char {
    entry("virConnectGetHostname", || format!("conn={}", super::guard::show_ptr(conn)), |call| {
        let conn = call.connect(conn)?;
        Ok(super::strings::malloc(&conn.driver.hostname()?))
    })
}

#[no_mangle]
pub unsafe extern "C" fn virConnectGetCapabilities(conn: virConnectPtr) -> *mut c_char {
    entry("virConnectGetCapabilities", || format!("conn={}", super::guard::show_ptr(conn)), |call| {
        let conn = call.connect(conn)?;
        Ok(super::strings::malloc(&conn.driver.capabilities()?))
    })
}

#[no_mangle]
pub unsafe extern "C" fn virNodeGetInfo(conn: virConnectPtr, info: virNodeInfoPtr) -> c_int {
    entry("virNodeGetInfo", || format!("conn={}, info={}", super::guard::show_ptr(conn), super::guard::show_ptr(info)), |call| {
        let conn = call.connect(conn)?;
        let out = call.out(info, "info")?;
        let got = conn.driver.node_info()?;
        let mut model = [0 as c_char; 32];
        fill_field(&mut model, &got.model);
        *out = virNodeInfo {
            model,
            memory: got.memory_kib as c_ulong,
            cpus: got.cpus,
            mhz: got.mhz,
            nodes: got.nodes,
            sockets: got.sockets,
            cores: got.cores,
            threads: got.threads,
        };
        Ok(0)
    })
}

#[no_mangle]
pub unsafe extern "C" fn virConnectGetMaxVcpus(conn: virConnectPtr, r#type: *const c_char) -> c_int {
    entry(
        "virConnectGetMaxVcpus",
        || format!("conn={}, type={}", super::guard::show_ptr(conn), super::guard::show_str(r#type)),
        |call| {
            let conn = call.connect(conn)?;
            let kind = call.optional_string(r#type)?;
            conn.driver.max_vcpus(kind)
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virConnectIsAlive(conn: virConnectPtr) -> c_int {
    entry("virConnectIsAlive", || format!("conn={}", super::guard::show_ptr(conn)), |call| {
        Ok(call.connect(conn)?.driver.is_alive()? as c_int)
    })
}

#[no_mangle]
pub unsafe extern "C" fn virConnectIsSecure(conn: virConnectPtr) -> c_int {
    entry("virConnectIsSecure", || format!("conn={}", super::guard::show_ptr(conn)), |call| {
        Ok(call.connect(conn)?.driver.is_secure()? as c_int)
    })
}

#[no_mangle]
pub unsafe extern "C" fn virConnectIsEncrypted(conn: virConnectPtr) -> c_int {
    entry("virConnectIsEncrypted", || format!("conn={}", super::guard::show_ptr(conn)), |call| {
        Ok(call.connect(conn)?.driver.is_encrypted()? as c_int)
    })
}

// --- node ---

/// Copies `s` into a fixed C char field, truncated and always NUL-terminated
/// (the rest zeroed, as libvirt clears these structs first).
fn fill_field(field: &mut [c_char], s: &str) {
    field.fill(0);
    let room = field.len().saturating_sub(1);
    for (slot, byte) in field.iter_mut().zip(s.bytes().take(room)) {
        *slot = byte as c_char;
    }
}

#[no_mangle]
pub unsafe extern "C" fn virNodeGetCellsFreeMemory(
    conn: virConnectPtr,
    freeMems: *mut c_ulonglong,
    startCell: c_int,
    maxCells: c_int,
) -> c_int {
    entry(
        "virNodeGetCellsFreeMemory",
        || format!("conn={}, freeMems={}, startCell={startCell}, maxCells={maxCells}", show_ptr(conn), show_ptr(freeMems)),
        |call| {
            let conn = call.connect(conn)?;
            if freeMems.is_null() {
                return Err(call.null_arg("freeMems"));
            }
            call.positive("maxCells", maxCells.into())?;
            call.non_negative("startCell", startCell.into())?;
            let cells = conn.driver.node_cells_free_memory(startCell, maxCells as usize)?;
            let out = std::slice::from_raw_parts_mut(freeMems, cells.len());
            out.copy_from_slice(&cells);
            Ok(cells.len() as c_int)
        },
    )
}

/// The argument checks of the node statistics calls: the count, then the CPU or
/// cell number, of which only -1 ("all") may be negative.
unsafe fn stats_args<'a>(call: &Call, nparams: *mut c_int, which: &str, number: c_int) -> Result<&'a mut c_int> {
    let nparams = call.out(nparams, "nparams")?;
    call.non_negative("*nparams", (*nparams).into())?;
    if number < VIR_NODE_CPU_STATS_ALL_CPUS {
        // libvirt names the argument "cpuNum" in both calls (str2), whatever the message says.
        return Err(call.bad_arg("cpuNum", format!("{which} in {} only accepts -1 as a negative value", call.name)));
    }
    Ok(nparams)
}

/// No driver has memory statistics yet; the argument checks are libvirt's.
#[no_mangle]
pub unsafe extern "C" fn virNodeGetMemoryStats(
    conn: virConnectPtr,
    cellNum: c_int,
    params: virNodeMemoryStatsPtr,
    nparams: *mut c_int,
    flags: c_uint,
) -> c_int {
    entry(
        "virNodeGetMemoryStats",
        || format!("conn={}, cellNum={cellNum}, params={}, nparams={}, flags=0x{flags:x}", show_ptr(conn), show_ptr(params), show_ptr(nparams)),
        |call| {
            call.connect(conn)?;
            stats_args(call, nparams, "cellNum", cellNum)?;
            Err(crate::core::Error::no_support("virNodeGetMemoryStats"))
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virNodeGetCPUStats(
    conn: virConnectPtr,
    cpuNum: c_int,
    params: virNodeCPUStatsPtr,
    nparams: *mut c_int,
    flags: c_uint,
) -> c_int {
    entry(
        "virNodeGetCPUStats",
        || format!("conn={}, cpuNum={cpuNum}, params={}, nparams={}, flags=0x{flags:x}", show_ptr(conn), show_ptr(params), show_ptr(nparams)),
        |call| {
            let conn = call.connect(conn)?;
            let nparams = stats_args(call, nparams, "cpuNum", cpuNum)?;
            let stats = conn.driver.node_cpu_stats(cpuNum, flags)?;
            // Without an array, the caller asks how many fields there are.
            if params.is_null() {
                *nparams = stats.len() as c_int;
                return Ok(0);
            }
            let n = stats.len().min(*nparams as usize);
            let out = std::slice::from_raw_parts_mut(params, n);
            for (slot, (field, value)) in out.iter_mut().zip(stats) {
                fill_field(&mut slot.field, field);
                slot.value = value;
            }
            *nparams = n as c_int;
            Ok(0)
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virNodeGetSecurityModel(conn: virConnectPtr, secmodel: virSecurityModelPtr) -> c_int {
    entry("virNodeGetSecurityModel", || format!("conn={}, secmodel={}", show_ptr(conn), show_ptr(secmodel)), |call| {
        let conn = call.connect(conn)?;
        let out = call.out(secmodel, "secmodel")?;
        let (model, doi) = conn.driver.node_security_model()?;
        fill_field(&mut out.model, &model);
        fill_field(&mut out.doi, &doi);
        Ok(0)
    })
}

#[no_mangle]
pub unsafe extern "C" fn virDomainGetSecurityLabel(domain: virDomainPtr, seclabel: virSecurityLabelPtr) -> c_int {
    entry("virDomainGetSecurityLabel", || format!("dom={}, seclabel={}", show_ptr(domain), show_ptr(seclabel)), |call| {
        let dom = call.child::<crate::core::Domain>(domain, VIR_ERR_INVALID_DOMAIN)?;
        let out = call.out(seclabel, "seclabel")?;
        let (label, enforcing) = dom.conn.driver.domain_security_label(&dom.id)?;
        fill_field(&mut out.label, &label);
        out.enforcing = enforcing.into();
        Ok(0)
    })
}

#[no_mangle]
pub unsafe extern "C" fn virNodeGetCPUMap(
    conn: virConnectPtr,
    cpumap: *mut *mut c_uchar,
    online: *mut c_uint,
    flags: c_uint,
) -> c_int {
    entry(
        "virNodeGetCPUMap",
        || format!("conn={}, cpumap={}, online={}, flags=0x{flags:x}", show_ptr(conn), show_ptr(cpumap), show_ptr(online)),
        |call| {
            let conn = call.connect(conn)?;
            let (map, count, cpus) = conn.driver.node_cpu_map(flags)?;
            if let Some(cpumap) = cpumap.as_mut() {
                let bytes = libc::calloc(map.len().max(1), 1) as *mut c_uchar;
                if bytes.is_null() {
                    return Err(crate::core::Error::internal(VIR_FROM_DOMAIN, "out of memory"));
                }
                std::ptr::copy_nonoverlapping(map.as_ptr(), bytes, map.len());
                *cpumap = bytes;
            }
            if let Some(online) = online.as_mut() {
                *online = count;
            }
            Ok(cpus)
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virNodeGetFreePages(
    conn: virConnectPtr,
    npages: c_uint,
    pages: *mut c_uint,
    startCell: c_int,
    cellCount: c_uint,
    counts: *mut c_ulonglong,
    flags: c_uint,
) -> c_int {
    entry(
        "virNodeGetFreePages",
        || {
            format!(
                "conn={}, npages={npages}, pages={}, startCell={startCell}, cellCount={cellCount}, counts={}, flags=0x{flags:x}",
                show_ptr(conn),
                show_ptr(pages),
                show_ptr(counts)
            )
        },
        |call| {
            let conn = call.connect(conn)?;
            call.non_zero("npages", npages.into())?;
            if pages.is_null() {
                return Err(call.null_arg("pages"));
            }
            call.non_zero("cellCount", cellCount.into())?;
            if counts.is_null() {
                return Err(call.null_arg("counts"));
            }
            let sizes = std::slice::from_raw_parts(pages, npages as usize);
            let got = conn.driver.node_free_pages(sizes, startCell, cellCount, flags)?;
            std::slice::from_raw_parts_mut(counts, got.len()).copy_from_slice(&got);
            Ok(0)
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virConnectGetSysinfo(conn: virConnectPtr, flags: c_uint) -> *mut c_char {
    entry("virConnectGetSysinfo", || format!("conn={}, flags=0x{flags:x}", show_ptr(conn)), |call| {
        let conn = call.connect(conn)?;
        Ok(super::strings::malloc(&conn.driver.sysinfo(flags)?))
    })
}

#[no_mangle]
pub unsafe extern "C" fn virConnectGetCPUModelNames(
    conn: virConnectPtr,
    arch: *const c_char,
    models: *mut *mut *mut c_char,
    flags: c_uint,
) -> c_int {
    entry(
        "virConnectGetCPUModelNames",
        || format!("conn={}, arch={}, models={}, flags=0x{flags:x}", show_ptr(conn), show_str(arch), show_ptr(models)),
        |call| {
            let conn = call.connect(conn)?;
            let arch = call.string(arch, "arch")?;
            let names = conn.driver.cpu_model_names(arch, flags)?;
            if let Some(models) = models.as_mut() {
                // A NULL-terminated array of malloc'd strings, as libvirt returns.
                let list = libc::calloc(names.len() + 1, std::mem::size_of::<*mut c_char>()) as *mut *mut c_char;
                if list.is_null() {
                    return Err(crate::core::Error::internal(VIR_FROM_DOMAIN, "out of memory"));
                }
                for (i, name) in names.iter().enumerate() {
                    *list.add(i) = super::strings::malloc(name);
                }
                *models = list;
            }
            Ok(names.len() as c_int)
        },
    )
}
