//! libvirt-nodedev.h: host devices.

use super::guard::{guard, show_ptr, Call};
use crate::abi::types::*;
use crate::abi::virterror::*;
use crate::core::connect::{NodeDevice};
use crate::core::Result;
use std::os::raw::c_int;

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
