//! libvirt-nodedev.h: host devices.

use super::guard::{guard, show_ptr, Call};
use crate::abi::types::*;
use crate::abi::virterror::*;
use crate::core::connect::{NodeDevice};
use crate::core::Result;
use std::os::raw::c_int;

#[track_caller]
fn entry<T: super::guard::Failure>(
    name: &'static str,
    args: impl FnOnce() -> String,
    body: impl FnOnce(&mut Call) -> Result<T>,
) -> T {
    guard(VIR_FROM_NODEDEV, name, args, body)
}

#[no_mangle]
pub unsafe extern "C" fn virNodeDeviceRef(dev: virNodeDevicePtr) -> c_int {
    entry("virNodeDeviceRef", || format!("dev={}", show_ptr(dev)), |call| call.add_ref::<NodeDevice, _>(dev))
}

#[no_mangle]
pub unsafe extern "C" fn virNodeDeviceFree(dev: virNodeDevicePtr) -> c_int {
    entry("virNodeDeviceFree", || format!("dev={}", show_ptr(dev)), |call| call.free::<NodeDevice, _>(dev))
}

#[no_mangle]
pub unsafe extern "C" fn virConnectNodeDeviceEventRegisterAny(
    conn: virConnectPtr,
    dev: virNodeDevicePtr,
    eventID: c_int,
    cb: crate::abi::callbacks::virConnectNodeDeviceEventGenericCallback,
    opaque: *mut std::os::raw::c_void,
    freecb: crate::abi::callbacks::virFreeCallback,
) -> c_int {
    entry(
        "virConnectNodeDeviceEventRegisterAny",
        || format!("conn={}, dev={}, eventID={}, cb={:?}, opaque={}, freecb={:?}", show_ptr(conn), show_ptr(dev), eventID, cb, show_ptr(opaque), freecb),
        |call| {
            let family = crate::core::events::Family::NodeDevice;
            let last = crate::abi::nodedev::VIR_NODE_DEVICE_EVENT_ID_LAST;
            let cb = cb.map(|f| f as usize);
            super::event::register_any::<crate::core::connect::NodeDevice>(call, conn, dev, family, eventID, last, cb, opaque, freecb)
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virConnectNodeDeviceEventDeregisterAny(conn: virConnectPtr, callbackID: c_int) -> c_int {
    entry(
        "virConnectNodeDeviceEventDeregisterAny",
        || format!("conn={}, callbackID={}", show_ptr(conn), callbackID),
        |call| super::event::deregister_any(call, conn, crate::core::events::Family::NodeDevice, callbackID),
    )
}
