//! libvirt-interface.h: host network interfaces.

use super::guard::{guard, show_ptr, Call};
use crate::abi::types::*;
use crate::abi::virterror::*;
use crate::core::connect::{Interface};
use crate::core::Result;
use std::os::raw::c_int;

#[track_caller]
fn entry<T: super::guard::Failure>(
    name: &'static str,
    args: impl FnOnce() -> String,
    body: impl FnOnce(&mut Call) -> Result<T>,
) -> T {
    guard(VIR_FROM_INTERFACE, name, args, body)
}

#[no_mangle]
pub unsafe extern "C" fn virInterfaceRef(iface: virInterfacePtr) -> c_int {
    entry("virInterfaceRef", || format!("iface={}", show_ptr(iface)), |call| call.add_ref::<Interface, _>(iface))
}

#[no_mangle]
pub unsafe extern "C" fn virInterfaceFree(iface: virInterfacePtr) -> c_int {
    entry("virInterfaceFree", || format!("iface={}", show_ptr(iface)), |call| call.free::<Interface, _>(iface))
}
