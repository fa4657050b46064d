//! libvirt-domain-checkpoint.h: domain checkpoints.

use super::guard::{guard, show_ptr, Call};
use crate::abi::types::*;
use crate::abi::virterror::*;
use crate::core::connect::{DomainCheckpoint};
use crate::core::Result;
use std::os::raw::c_int;

#[track_caller]
fn entry<T: super::guard::Failure>(
    name: &'static str,
    args: impl FnOnce() -> String,
    body: impl FnOnce(&mut Call) -> Result<T>,
) -> T {
    guard(VIR_FROM_DOMAIN_CHECKPOINT, name, args, body)
}

#[no_mangle]
pub unsafe extern "C" fn virDomainCheckpointRef(checkpoint: virDomainCheckpointPtr) -> c_int {
    entry("virDomainCheckpointRef", || format!("checkpoint={}", show_ptr(checkpoint)), |call| call.add_ref::<DomainCheckpoint, _>(checkpoint))
}

#[no_mangle]
pub unsafe extern "C" fn virDomainCheckpointFree(checkpoint: virDomainCheckpointPtr) -> c_int {
    entry("virDomainCheckpointFree", || format!("checkpoint={}", show_ptr(checkpoint)), |call| call.free::<DomainCheckpoint, _>(checkpoint))
}
