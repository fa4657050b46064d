//! Every public function that no driver serves yet: the stubs generated from
//! abi/symbols.tsv by build/stubs.rs. Each checks its first handle, makes the other
//! checks libvirt makes before it reaches a driver (read-only connections, NULL
//! arguments, ...), and then fails as libvirt does for a driver that lacks the call. A function written by hand in
//! another file of src/api drops out of the generated set by itself.
#![allow(non_camel_case_types)]

use super::guard::{guard, Call};
use crate::abi::virterror::*;
use crate::core::{Error, Result};
#[allow(unused_imports)]
use std::os::raw::{c_char, c_double, c_int, c_longlong, c_uchar, c_uint, c_ulong, c_ulonglong, c_void};

/// libvirt's "this function is not supported by the connection driver: NAME", in
/// the error domain of the function's header.
fn unsupported<T>(call: &Call) -> Result<T> {
    Err(Error::with_detail(VIR_ERR_NO_SUPPORT, call.from, call.name))
}

include!(concat!(env!("OUT_DIR"), "/unsupported.rs"));
