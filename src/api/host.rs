//! libvirt-host.h: connections, versions, the node.

use super::guard::{guard, Call};
use crate::abi::types::*;
use crate::abi::virterror::*;
use crate::core::object::{self, Class};
use crate::core::{Connect, Error, Result};
use std::os::raw::{c_char, c_int, c_uint, c_ulong};
use std::sync::Arc;

/// libvirt-host.c's calls report in the VIR_FROM_DOMAIN domain, as libvirt's do.
fn entry<T: super::guard::Failure>(
    name: &'static str,
    args: impl FnOnce() -> String,
    body: impl FnOnce(&mut Call) -> Result<T>,
) -> T {
    guard(VIR_FROM_DOMAIN, name, args, body)
}

/// The calls libvirt keeps in libvirt.c (opening, closing, virGetVersion) report
/// in VIR_FROM_NONE.
fn entry_none<T: super::guard::Failure>(
    name: &'static str,
    args: impl FnOnce() -> String,
    body: impl FnOnce(&mut Call) -> Result<T>,
) -> T {
    guard(VIR_FROM_NONE, name, args, body)
}

/// libvirt's API level, which clients compare against LIBVIR_CHECK_VERSION.
pub const LIBVIRT_VERSION: c_ulong = 9_000_000;

unsafe fn open(call: &mut Call, name: *const c_char, auth: virConnectAuthPtr, flags: c_uint) -> Result<virConnectPtr> {
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
    entry_none("virConnectOpen", || format!("name={:?}", super::strings::debug_str(name)), |call| {
        open(call, name, std::ptr::null_mut(), 0)
    })
}

#[no_mangle]
pub unsafe extern "C" fn virConnectOpenReadOnly(name: *const c_char) -> virConnectPtr {
    entry_none("virConnectOpenReadOnly", || format!("name={:?}", super::strings::debug_str(name)), |call| {
        open(call, name, std::ptr::null_mut(), crate::abi::host::VIR_CONNECT_RO as c_uint)
    })
}

#[no_mangle]
pub unsafe extern "C" fn virConnectOpenAuth(name: *const c_char, auth: virConnectAuthPtr, flags: c_uint) -> virConnectPtr {
    entry_none(
        "virConnectOpenAuth",
        || format!("name={:?}, auth={:p}, flags=0x{:x}", super::strings::debug_str(name), auth, flags),
        |call| open(call, name, auth, flags),
    )
}

/// Returns 1 while references remain and 0 once the connection is gone, as
/// libvirt 9.0 does (not the count).
#[no_mangle]
pub unsafe extern "C" fn virConnectClose(conn: virConnectPtr) -> c_int {
    entry_none("virConnectClose", || format!("conn={:p}", conn), |call| {
        call.connect(conn)?;
        call.conn = None;
        object::release(conn as usize, Class::Connect)
            .map(|remaining| c_int::from(remaining > 0))
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
pub unsafe extern "C" fn virConnectGetURI(conn: virConnectPtr) -> *mut c_char {
    entry("virConnectGetURI", || format!("conn={:p}", conn), |call| {
        let conn = call.connect(conn)?;
        Ok(super::strings::malloc(&conn.uri))
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
    entry_none("virGetVersion", || format!("libVer={:p}, type={:?}, typeVer={:p}", libVer, super::strings::debug_str(r#type), typeVer), |call| {
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
