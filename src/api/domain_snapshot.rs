//! libvirt-domain-snapshot.h: domain snapshots.

use super::guard::{guard, show_ptr, Call};
use crate::abi::types::*;
use crate::abi::virterror::*;
use crate::core::connect::{DomainSnapshot};
use crate::core::Result;
use std::os::raw::c_int;

#[track_caller]
fn entry<T: super::guard::Failure>(
    name: &'static str,
    args: impl FnOnce() -> String,
    body: impl FnOnce(&mut Call) -> Result<T>,
) -> T {
    guard(VIR_FROM_DOMAIN_SNAPSHOT, name, args, body)
}

#[no_mangle]
pub unsafe extern "C" fn virDomainSnapshotRef(snapshot: virDomainSnapshotPtr) -> c_int {
    entry("virDomainSnapshotRef", || format!("snapshot={}", show_ptr(snapshot)), |call| call.add_ref::<DomainSnapshot, _>(snapshot))
}

#[no_mangle]
pub unsafe extern "C" fn virDomainSnapshotFree(snapshot: virDomainSnapshotPtr) -> c_int {
    entry("virDomainSnapshotFree", || format!("snapshot={}", show_ptr(snapshot)), |call| call.free::<DomainSnapshot, _>(snapshot))
}
