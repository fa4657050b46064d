//! libvirt-secret.h: secrets.

use super::guard::{guard, show_ptr, Call};
use crate::abi::types::*;
use crate::abi::virterror::*;
use crate::core::connect::{Secret};
use crate::core::Result;
use std::os::raw::c_int;

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
