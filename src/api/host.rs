//! libvirt-host.h: connections, versions, the node.

use super::guard::{guard, Call};
use crate::abi::types::*;
use crate::abi::virterror::*;
use crate::core::object;
use crate::core::{Connect, Result};
use std::os::raw::{c_char, c_int, c_uint, c_ulong};
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
        // The model is a fixed 32-byte field: truncated, always NUL-terminated.
        for (slot, byte) in model.iter_mut().zip(got.model.bytes().take(31)) {
            *slot = byte as c_char;
        }
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
