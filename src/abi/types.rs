//! libvirt's public structs with their exact C layout, the opaque handle types,
//! and the callback types.
#![allow(non_camel_case_types, non_snake_case)]

use std::os::raw::{c_char, c_int, c_uchar, c_uint, c_ulong, c_ulonglong, c_ushort, c_void};

macro_rules! opaque_handles {
    ($($name:ident, $ptr:ident;)*) => {$(
        /// An opaque libvirt object; C only ever holds pointers to it.
        #[repr(C)]
        pub struct $name {
            _private: [u8; 0],
        }
        pub type $ptr = *mut $name;
    )*};
}

opaque_handles! {
    virConnect, virConnectPtr;
    virDomain, virDomainPtr;
    virNetwork, virNetworkPtr;
    virNetworkPort, virNetworkPortPtr;
    virInterface, virInterfacePtr;
    virStoragePool, virStoragePoolPtr;
    virStorageVol, virStorageVolPtr;
    virNodeDevice, virNodeDevicePtr;
    virSecret, virSecretPtr;
    virNWFilter, virNWFilterPtr;
    virNWFilterBinding, virNWFilterBindingPtr;
    virStream, virStreamPtr;
    virDomainSnapshot, virDomainSnapshotPtr;
    virDomainCheckpoint, virDomainCheckpointPtr;
}

#[repr(C)]
pub struct virError {
    pub code: c_int,
    pub domain: c_int,
    pub message: *mut c_char,
    pub level: c_int,
    pub conn: virConnectPtr,
    pub dom: virDomainPtr,
    pub str1: *mut c_char,
    pub str2: *mut c_char,
    pub str3: *mut c_char,
    pub int1: c_int,
    pub int2: c_int,
    pub net: virNetworkPtr,
}
pub type virErrorPtr = *mut virError;
pub type virErrorFunc = Option<unsafe extern "C" fn(userData: *mut c_void, error: virErrorPtr)>;

#[repr(C)]
pub struct virDomainInfo {
    pub state: c_uchar,
    pub maxMem: c_ulong,
    pub memory: c_ulong,
    pub nrVirtCpu: c_ushort,
    pub cpuTime: c_ulonglong,
}
pub type virDomainInfoPtr = *mut virDomainInfo;

#[repr(C)]
pub struct virNodeInfo {
    pub model: [c_char; 32],
    pub memory: c_ulong,
    pub cpus: c_uint,
    pub mhz: c_uint,
    pub nodes: c_uint,
    pub sockets: c_uint,
    pub cores: c_uint,
    pub threads: c_uint,
}
pub type virNodeInfoPtr = *mut virNodeInfo;

#[repr(C)]
pub struct virConnectCredential {
    pub r#type: c_int,
    pub prompt: *const c_char,
    pub challenge: *const c_char,
    pub defresult: *const c_char,
    pub result: *mut c_char,
    pub resultlen: c_uint,
}
pub type virConnectCredentialPtr = *mut virConnectCredential;
pub type virConnectAuthCallbackPtr =
    Option<unsafe extern "C" fn(cred: virConnectCredentialPtr, ncred: c_uint, cbdata: *mut c_void) -> c_int>;

#[repr(C)]
pub struct virConnectAuth {
    pub credtype: *mut c_int,
    pub ncredtype: c_uint,
    pub cb: virConnectAuthCallbackPtr,
    pub cbdata: *mut c_void,
}
pub type virConnectAuthPtr = *mut virConnectAuth;
