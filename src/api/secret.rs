//! libvirt-secret.h: secrets.

use super::guard::{guard, show_ptr, Call};
use crate::abi::types::*;
use crate::abi::virterror::*;
use crate::core::connect::{Secret};
use crate::core::Result;
use std::os::raw::c_int;

#[track_caller]
fn entry<T: super::guard::Failure>(
    name: &'static str,
    args: impl FnOnce() -> String,
    body: impl FnOnce(&mut Call) -> Result<T>,
) -> T {
    guard(VIR_FROM_SECRET, name, args, body)
}

#[no_mangle]
pub unsafe extern "C" fn virSecretRef(secret: virSecretPtr) -> c_int {
    entry("virSecretRef", || format!("secret={}", show_ptr(secret)), |call| call.add_ref::<Secret, _>(secret))
}

#[no_mangle]
pub unsafe extern "C" fn virSecretFree(secret: virSecretPtr) -> c_int {
    entry("virSecretFree", || format!("secret={}", show_ptr(secret)), |call| call.free::<Secret, _>(secret))
}

#[no_mangle]
pub unsafe extern "C" fn virConnectSecretEventRegisterAny(
    conn: virConnectPtr,
    secret: virSecretPtr,
    eventID: c_int,
    cb: crate::abi::callbacks::virConnectSecretEventGenericCallback,
    opaque: *mut std::os::raw::c_void,
    freecb: crate::abi::callbacks::virFreeCallback,
) -> c_int {
    entry(
        "virConnectSecretEventRegisterAny",
        || format!("conn={}, secret={}, eventID={}, cb={:?}, opaque={}, freecb={:?}", show_ptr(conn), show_ptr(secret), eventID, cb, show_ptr(opaque), freecb),
        |call| {
            let family = crate::core::events::Family::Secret;
            let last = crate::abi::secret::VIR_SECRET_EVENT_ID_LAST;
            let cb = cb.map(|f| f as usize);
            super::event::register_any::<crate::core::connect::Secret>(call, conn, secret, family, eventID, last, cb, opaque, freecb)
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virConnectSecretEventDeregisterAny(conn: virConnectPtr, callbackID: c_int) -> c_int {
    entry(
        "virConnectSecretEventDeregisterAny",
        || format!("conn={}, callbackID={}", show_ptr(conn), callbackID),
        |call| super::event::deregister_any(call, conn, crate::core::events::Family::Secret, callbackID),
    )
}
