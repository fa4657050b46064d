//! libvirt-host.h: connections, versions, the node.

use super::guard::{guard, Call};
use crate::abi::types::*;
use crate::abi::virterror::*;
use crate::core::object::{self, Class};
use crate::core::{Connect, Error, Result};
use std::os::raw::{c_char, c_int, c_uint, c_ulong};
use std::sync::Arc;

fn entry<T: super::guard::Failure>(
    name: &'static str,
    args: impl FnOnce() -> String,
    body: impl FnOnce(&mut Call) -> Result<T>,
) -> T {
    guard(VIR_FROM_DOMAIN, name, args, body)
}

/// libvirt's API level, which clients compare against LIBVIR_CHECK_VERSION.
pub const LIBVIRT_VERSION: c_ulong = 9_000_000;

unsafe fn open(call: &mut Call, name: *const c_char, auth: virConnectAuthPtr, flags: c_uint) -> Result<virConnectPtr> {
    let name = call.optional_string(name)?;
    let conn: Connect = crate::uri::open(name, auth as usize, flags)?;
    Ok(object::publish(Arc::new(conn)) as virConnectPtr)
}

#[no_mangle]
pub unsafe extern "C" fn virConnectOpen(name: *const c_char) -> virConnectPtr {
    entry("virConnectOpen", || format!("name={:?}", super::strings::debug_str(name)), |call| {
        open(call, name, std::ptr::null_mut(), 0)
    })
}

#[no_mangle]
pub unsafe extern "C" fn virConnectOpenReadOnly(name: *const c_char) -> virConnectPtr {
    entry("virConnectOpenReadOnly", || format!("name={:?}", super::strings::debug_str(name)), |call| {
        open(call, name, std::ptr::null_mut(), crate::abi::host::VIR_CONNECT_RO as c_uint)
    })
}

#[no_mangle]
pub unsafe extern "C" fn virConnectOpenAuth(name: *const c_char, auth: virConnectAuthPtr, flags: c_uint) -> virConnectPtr {
    entry(
        "virConnectOpenAuth",
        || format!("name={:?}, auth={:p}, flags=0x{:x}", super::strings::debug_str(name), auth, flags),
        |call| open(call, name, auth, flags),
    )
}

#[no_mangle]
pub unsafe extern "C" fn virConnectClose(conn: virConnectPtr) -> c_int {
    entry("virConnectClose", || format!("conn={:p}", conn), |call| {
        call.connect(conn)?;
        call.conn = None;
        object::release(conn as usize, Class::Connect)
            .map(|remaining| remaining as c_int)
            .ok_or_else(|| Error::with_detail(VIR_ERR_INVALID_CONN, VIR_FROM_NONE, "virConnectClose"))
    })
}

#[no_mangle]
pub unsafe extern "C" fn virConnectRef(conn: virConnectPtr) -> c_int {
    entry("virConnectRef", || format!("conn={:p}", conn), |call| {
        call.connect(conn)?;
        object::add_ref(conn as usize, Class::Connect);
        Ok(0)
    })
}

#[no_mangle]
pub unsafe extern "C" fn virConnectGetType(conn: virConnectPtr) -> *const c_char {
    entry("virConnectGetType", || format!("conn={:p}", conn), |call| {
        let conn = call.connect(conn)?;
        Ok(super::strings::static_c_str(conn.driver.name()))
    })
}

#[no_mangle]
pub unsafe extern "C" fn virGetVersion(libVer: *mut c_ulong, r#type: *const c_char, typeVer: *mut c_ulong) -> c_int {
    entry("virGetVersion", || format!("libVer={:p}, type={:?}, typeVer={:p}", libVer, super::strings::debug_str(r#type), typeVer), |call| {
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
    entry("virConnectGetLibVersion", || format!("conn={:p}, libVer={:p}", conn, libVer), |call| {
        call.connect(conn)?;
        *call.out(libVer, "libVer")? = LIBVIRT_VERSION;
        Ok(0)
    })
}

#[no_mangle]
pub unsafe extern "C" fn virConnectGetVersion(conn: virConnectPtr, hvVer: *mut c_ulong) -> c_int {
    entry("virConnectGetVersion", || format!("conn={:p}, hvVer={:p}", conn, hvVer), |call| {
        let conn = call.connect(conn)?;
        let out = call.out(hvVer, "hvVer")?;
        *out = conn.driver.version()? as c_ulong;
        Ok(0)
    })
}

// The host and node getters.

#[no_mangle]
pub unsafe extern "C" fn virConnectGetHostname(conn: virConnectPtr) -> *mut c_char {
    entry("virConnectGetHostname", || format!("conn={:p}", conn), |call| {
        let conn = call.connect(conn)?;
        Ok(super::strings::malloc(&conn.driver.hostname()?))
    })
}

#[no_mangle]
pub unsafe extern "C" fn virConnectGetCapabilities(conn: virConnectPtr) -> *mut c_char {
    entry("virConnectGetCapabilities", || format!("conn={:p}", conn), |call| {
        let conn = call.connect(conn)?;
        Ok(super::strings::malloc(&conn.driver.capabilities()?))
    })
}

#[no_mangle]
pub unsafe extern "C" fn virNodeGetInfo(conn: virConnectPtr, info: virNodeInfoPtr) -> c_int {
    entry("virNodeGetInfo", || format!("conn={:p}, info={:p}", conn, info), |call| {
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
        || format!("conn={:p}, type={:?}", conn, super::strings::debug_str(r#type)),
        |call| {
            let conn = call.connect(conn)?;
            let kind = call.optional_string(r#type)?;
            conn.driver.max_vcpus(kind)
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virConnectIsAlive(conn: virConnectPtr) -> c_int {
    entry("virConnectIsAlive", || format!("conn={:p}", conn), |call| {
        Ok(call.connect(conn)?.driver.is_alive()? as c_int)
    })
}

#[no_mangle]
pub unsafe extern "C" fn virConnectIsSecure(conn: virConnectPtr) -> c_int {
    entry("virConnectIsSecure", || format!("conn={:p}", conn), |call| {
        Ok(call.connect(conn)?.driver.is_secure()? as c_int)
    })
}

#[no_mangle]
pub unsafe extern "C" fn virConnectIsEncrypted(conn: virConnectPtr) -> c_int {
    entry("virConnectIsEncrypted", || format!("conn={:p}", conn), |call| {
        Ok(call.connect(conn)?.driver.is_encrypted()? as c_int)
    })
}
