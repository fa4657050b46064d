//! libvirt-qemu.h's callback type (its constants are in `qemu`). A file of its own
//! so that cbindgen puts it in libvirt-qemu.h, not libvirt.h.
#![allow(non_camel_case_types, non_snake_case)]

use super::types::{virConnectPtr, virDomainPtr};
use std::os::raw::{c_char, c_longlong, c_uint, c_void};

pub type virConnectDomainQemuMonitorEventCallback = Option<
    unsafe extern "C" fn(
        conn: virConnectPtr,
        dom: virDomainPtr,
        event: *const c_char,
        seconds: c_longlong,
        micros: c_uint,
        details: *const c_char,
        opaque: *mut c_void,
    ),
>;
