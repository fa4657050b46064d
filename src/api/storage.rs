//! libvirt-storage.h: storage pools and volumes.

use super::guard::{guard, show_ptr, Call};
use crate::abi::types::*;
use crate::abi::virterror::*;
use crate::core::connect::{StoragePool, StorageVol};
use crate::core::Result;
use std::os::raw::c_int;

#[track_caller]
fn entry<T: super::guard::Failure>(
    name: &'static str,
    args: impl FnOnce() -> String,
    body: impl FnOnce(&mut Call) -> Result<T>,
) -> T {
    guard(VIR_FROM_STORAGE, name, args, body)
}

#[no_mangle]
pub unsafe extern "C" fn virStoragePoolRef(pool: virStoragePoolPtr) -> c_int {
    entry("virStoragePoolRef", || format!("pool={}", show_ptr(pool)), |call| call.add_ref::<StoragePool, _>(pool))
}

#[no_mangle]
pub unsafe extern "C" fn virStoragePoolFree(pool: virStoragePoolPtr) -> c_int {
    entry("virStoragePoolFree", || format!("pool={}", show_ptr(pool)), |call| call.free::<StoragePool, _>(pool))
}

#[no_mangle]
pub unsafe extern "C" fn virStorageVolRef(vol: virStorageVolPtr) -> c_int {
    entry("virStorageVolRef", || format!("vol={}", show_ptr(vol)), |call| call.add_ref::<StorageVol, _>(vol))
}

#[no_mangle]
pub unsafe extern "C" fn virStorageVolFree(vol: virStorageVolPtr) -> c_int {
    entry("virStorageVolFree", || format!("vol={}", show_ptr(vol)), |call| call.free::<StorageVol, _>(vol))
}

#[no_mangle]
pub unsafe extern "C" fn virConnectStoragePoolEventRegisterAny(
    conn: virConnectPtr,
    pool: virStoragePoolPtr,
    eventID: c_int,
    cb: crate::abi::callbacks::virConnectStoragePoolEventGenericCallback,
    opaque: *mut std::os::raw::c_void,
    freecb: crate::abi::callbacks::virFreeCallback,
) -> c_int {
    entry(
        "virConnectStoragePoolEventRegisterAny",
        || format!("conn={}, pool={}, eventID={}, cb={:?}, opaque={}, freecb={:?}", show_ptr(conn), show_ptr(pool), eventID, cb, show_ptr(opaque), freecb),
        |call| {
            let family = crate::core::events::Family::StoragePool;
            let last = crate::abi::storage::VIR_STORAGE_POOL_EVENT_ID_LAST;
            let cb = cb.map(|f| f as usize);
            super::event::register_any::<crate::core::connect::StoragePool>(call, conn, pool, family, eventID, last, cb, opaque, freecb)
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virConnectStoragePoolEventDeregisterAny(conn: virConnectPtr, callbackID: c_int) -> c_int {
    entry(
        "virConnectStoragePoolEventDeregisterAny",
        || format!("conn={}, callbackID={}", show_ptr(conn), callbackID),
        |call| super::event::deregister_any(call, conn, crate::core::events::Family::StoragePool, callbackID),
    )
}
