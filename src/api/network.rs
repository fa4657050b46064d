//! libvirt-network.h: networks and their ports.

use super::guard::{guard, show_ptr, unreported, Call};
use crate::abi::types::*;
use crate::abi::virterror::*;
use crate::core::connect::{Network, NetworkPort};
use crate::core::Result;
use std::os::raw::c_int;

#[track_caller]
fn entry<T: super::guard::Failure>(
    name: &'static str,
    args: impl FnOnce() -> String,
    body: impl FnOnce(&mut Call) -> Result<T>,
) -> T {
    guard(VIR_FROM_NETWORK, name, args, body)
}

#[no_mangle]
pub unsafe extern "C" fn virNetworkRef(network: virNetworkPtr) -> c_int {
    entry("virNetworkRef", || format!("network={}", show_ptr(network)), |call| call.add_ref::<Network, _>(network))
}

#[no_mangle]
pub unsafe extern "C" fn virNetworkFree(network: virNetworkPtr) -> c_int {
    entry("virNetworkFree", || format!("network={}", show_ptr(network)), |call| call.free::<Network, _>(network))
}

#[no_mangle]
pub unsafe extern "C" fn virNetworkPortRef(port: virNetworkPortPtr) -> c_int {
    entry("virNetworkPortRef", || format!("port={}", show_ptr(port)), |call| call.add_ref::<NetworkPort, _>(port))
}

#[no_mangle]
pub unsafe extern "C" fn virNetworkPortFree(port: virNetworkPortPtr) -> c_int {
    entry("virNetworkPortFree", || format!("port={}", show_ptr(port)), |call| call.free::<NetworkPort, _>(port))
}

/// Frees a lease virNetworkGetDHCPLeases returned, and its strings; NULL is fine.
#[no_mangle]
pub unsafe extern "C" fn virNetworkDHCPLeaseFree(lease: virNetworkDHCPLeasePtr) {
    unreported(|| {
        let Some(l) = lease.as_mut() else { return };
        for s in [l.iface, l.mac, l.iaid, l.ipaddr, l.hostname, l.clientid] {
            libc::free(s.cast());
        }
        libc::free(lease.cast());
    })
}

#[no_mangle]
pub unsafe extern "C" fn virConnectNetworkEventRegisterAny(
    conn: virConnectPtr,
    net: virNetworkPtr,
    eventID: c_int,
    cb: crate::abi::callbacks::virConnectNetworkEventGenericCallback,
    opaque: *mut std::os::raw::c_void,
    freecb: crate::abi::callbacks::virFreeCallback,
) -> c_int {
    entry(
        "virConnectNetworkEventRegisterAny",
        || format!("conn={}, net={}, eventID={}, cb={:?}, opaque={}, freecb={:?}", show_ptr(conn), show_ptr(net), eventID, cb, show_ptr(opaque), freecb),
        |call| {
            let family = crate::core::events::Family::Network;
            let last = crate::abi::network::VIR_NETWORK_EVENT_ID_LAST;
            let cb = cb.map(|f| f as usize);
            super::event::register_any::<crate::core::connect::Network>(call, conn, net, family, eventID, last, cb, opaque, freecb)
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virConnectNetworkEventDeregisterAny(conn: virConnectPtr, callbackID: c_int) -> c_int {
    entry(
        "virConnectNetworkEventDeregisterAny",
        || format!("conn={}, callbackID={}", show_ptr(conn), callbackID),
        |call| super::event::deregister_any(call, conn, crate::core::events::Family::Network, callbackID),
    )
}
