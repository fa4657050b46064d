//! virterror.h's struct and callback type (its constants are in `virterror`).
//! A file of its own so that cbindgen puts them in virterror.h, not libvirt.h.
#![allow(non_camel_case_types, non_snake_case)]

use super::types::{virConnectPtr, virDomainPtr, virNetworkPtr};
use super::virterror::virErrorLevel;
use std::os::raw::{c_char, c_int, c_void};

#[repr(C)]
#[derive(Clone, Copy)]
pub struct _virError {
    pub code: c_int,
    pub domain: c_int,
    pub message: *mut c_char,
    pub level: virErrorLevel,
    /// conn, dom and net are deprecated: libvirt leaves them NULL.
    pub conn: virConnectPtr,
    pub dom: virDomainPtr,
    pub str1: *mut c_char,
    pub str2: *mut c_char,
    pub str3: *mut c_char,
    pub int1: c_int,
    pub int2: c_int,
    pub net: virNetworkPtr,
}
pub type virError = _virError;
pub type virErrorPtr = *mut virError;

pub type virErrorFunc = Option<unsafe extern "C" fn(userData: *mut c_void, error: virErrorPtr)>;
