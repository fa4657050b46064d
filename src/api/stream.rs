//! libvirt-stream.h: streams.

use super::guard::{guard, show_ptr, Call};
use crate::abi::types::*;
use crate::abi::virterror::*;
use crate::core::connect::{Stream};
use crate::core::Result;
use std::os::raw::c_int;

#[track_caller]
fn entry<T: super::guard::Failure>(
    name: &'static str,
    args: impl FnOnce() -> String,
    body: impl FnOnce(&mut Call) -> Result<T>,
) -> T {
    guard(VIR_FROM_STREAMS, name, args, body)
}

#[no_mangle]
pub unsafe extern "C" fn virStreamRef(stream: virStreamPtr) -> c_int {
    entry("virStreamRef", || format!("stream={}", show_ptr(stream)), |call| call.add_ref::<Stream, _>(stream))
}

#[no_mangle]
pub unsafe extern "C" fn virStreamFree(stream: virStreamPtr) -> c_int {
    entry("virStreamFree", || format!("stream={}", show_ptr(stream)), |call| call.free::<Stream, _>(stream))
}
