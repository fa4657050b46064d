//! libvirt-nwfilter.h: network filters and their bindings.

use super::guard::{guard, show_ptr, Call};
use crate::abi::types::*;
use crate::abi::virterror::*;
use crate::core::connect::{NWFilter, NWFilterBinding};
use crate::core::Result;
use std::os::raw::c_int;

#[track_caller]
fn entry<T: super::guard::Failure>(
    name: &'static str,
    args: impl FnOnce() -> String,
    body: impl FnOnce(&mut Call) -> Result<T>,
) -> T {
    guard(VIR_FROM_NWFILTER, name, args, body)
}

#[no_mangle]
pub unsafe extern "C" fn virNWFilterRef(nwfilter: virNWFilterPtr) -> c_int {
    entry("virNWFilterRef", || format!("nwfilter={}", show_ptr(nwfilter)), |call| call.add_ref::<NWFilter, _>(nwfilter))
}

#[no_mangle]
pub unsafe extern "C" fn virNWFilterFree(nwfilter: virNWFilterPtr) -> c_int {
    entry("virNWFilterFree", || format!("nwfilter={}", show_ptr(nwfilter)), |call| call.free::<NWFilter, _>(nwfilter))
}

#[no_mangle]
pub unsafe extern "C" fn virNWFilterBindingRef(binding: virNWFilterBindingPtr) -> c_int {
    entry("virNWFilterBindingRef", || format!("binding={}", show_ptr(binding)), |call| call.add_ref::<NWFilterBinding, _>(binding))
}

#[no_mangle]
pub unsafe extern "C" fn virNWFilterBindingFree(binding: virNWFilterBindingPtr) -> c_int {
    entry("virNWFilterBindingFree", || format!("binding={}", show_ptr(binding)), |call| call.free::<NWFilterBinding, _>(binding))
}
