//! libvirt.h's structs with their exact C layout and its opaque handle types.
//!
//! Each struct is declared under its C tag (`_virNodeInfo`) with libvirt's typedef
//! names as aliases, so the generated header reads `struct _virNodeInfo {…};
//! typedef struct _virNodeInfo virNodeInfo;` as libvirt's does and programs that
//! forward-declare `struct _virConnect` still compile. Handles are structs without
//! `repr(C)`, which cbindgen declares as incomplete types.
#![allow(non_camel_case_types, non_snake_case)]

use super::common::VIR_TYPED_PARAM_FIELD_LENGTH;
use super::host::{
    VIR_NODE_CPU_STATS_FIELD_LENGTH, VIR_NODE_MEMORY_STATS_FIELD_LENGTH, VIR_SECURITY_DOI_BUFLEN,
    VIR_SECURITY_LABEL_BUFLEN, VIR_SECURITY_MODEL_BUFLEN,
};
use std::os::raw::{c_char, c_int, c_longlong, c_uchar, c_uint, c_ulong, c_ulonglong, c_ushort};

pub use super::callbacks::*;
pub use super::virterror_types::*;

/// An opaque libvirt object; C only ever holds pointers to it.
pub struct _virConnect {
    _private: [u8; 0],
}
pub type virConnect = _virConnect;
pub type virConnectPtr = *mut virConnect;

/// An opaque libvirt object; C only ever holds pointers to it.
pub struct _virDomain {
    _private: [u8; 0],
}
pub type virDomain = _virDomain;
pub type virDomainPtr = *mut virDomain;

/// An opaque libvirt object; C only ever holds pointers to it.
pub struct _virNetwork {
    _private: [u8; 0],
}
pub type virNetwork = _virNetwork;
pub type virNetworkPtr = *mut virNetwork;

/// An opaque libvirt object; C only ever holds pointers to it.
pub struct _virNetworkPort {
    _private: [u8; 0],
}
pub type virNetworkPort = _virNetworkPort;
pub type virNetworkPortPtr = *mut virNetworkPort;

/// An opaque libvirt object; C only ever holds pointers to it.
pub struct _virInterface {
    _private: [u8; 0],
}
pub type virInterface = _virInterface;
pub type virInterfacePtr = *mut virInterface;

/// An opaque libvirt object; C only ever holds pointers to it.
pub struct _virStoragePool {
    _private: [u8; 0],
}
pub type virStoragePool = _virStoragePool;
pub type virStoragePoolPtr = *mut virStoragePool;

/// An opaque libvirt object; C only ever holds pointers to it.
pub struct _virStorageVol {
    _private: [u8; 0],
}
pub type virStorageVol = _virStorageVol;
pub type virStorageVolPtr = *mut virStorageVol;

/// An opaque libvirt object; C only ever holds pointers to it.
pub struct _virNodeDevice {
    _private: [u8; 0],
}
pub type virNodeDevice = _virNodeDevice;
pub type virNodeDevicePtr = *mut virNodeDevice;

/// An opaque libvirt object; C only ever holds pointers to it.
pub struct _virSecret {
    _private: [u8; 0],
}
pub type virSecret = _virSecret;
pub type virSecretPtr = *mut virSecret;

/// An opaque libvirt object; C only ever holds pointers to it.
pub struct _virNWFilter {
    _private: [u8; 0],
}
pub type virNWFilter = _virNWFilter;
pub type virNWFilterPtr = *mut virNWFilter;

/// An opaque libvirt object; C only ever holds pointers to it.
pub struct _virNWFilterBinding {
    _private: [u8; 0],
}
pub type virNWFilterBinding = _virNWFilterBinding;
pub type virNWFilterBindingPtr = *mut virNWFilterBinding;

/// An opaque libvirt object; C only ever holds pointers to it.
pub struct _virStream {
    _private: [u8; 0],
}
pub type virStream = _virStream;
pub type virStreamPtr = *mut virStream;

/// An opaque libvirt object; C only ever holds pointers to it.
pub struct _virDomainSnapshot {
    _private: [u8; 0],
}
pub type virDomainSnapshot = _virDomainSnapshot;
pub type virDomainSnapshotPtr = *mut virDomainSnapshot;

/// An opaque libvirt object; C only ever holds pointers to it.
pub struct _virDomainCheckpoint {
    _private: [u8; 0],
}
pub type virDomainCheckpoint = _virDomainCheckpoint;
pub type virDomainCheckpointPtr = *mut virDomainCheckpoint;

// ---- typed parameters (libvirt-common.h) ----

/// The value of a typed parameter; `type` says which member is set. (An anonymous
/// union in libvirt; the name is ours, the layout and member names are libvirt's.)
#[repr(C)]
#[derive(Clone, Copy)]
pub union _virTypedParameterValue {
    pub i: c_int,
    pub ui: c_uint,
    pub l: c_longlong,
    pub ul: c_ulonglong,
    pub d: f64,
    pub b: c_char,
    pub s: *mut c_char,
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct _virTypedParameter {
    pub field: [c_char; VIR_TYPED_PARAM_FIELD_LENGTH],
    pub r#type: c_int,
    pub value: _virTypedParameterValue,
}
pub type virTypedParameter = _virTypedParameter;
pub type virTypedParameterPtr = *mut virTypedParameter;
// The older names of the same struct.
pub type virSchedParameter = _virTypedParameter;
pub type virSchedParameterPtr = *mut virSchedParameter;
pub type virBlkioParameter = _virTypedParameter;
pub type virBlkioParameterPtr = *mut virBlkioParameter;
pub type virMemoryParameter = _virTypedParameter;
pub type virMemoryParameterPtr = *mut virMemoryParameter;

// ---- host (libvirt-host.h) ----

#[repr(C)]
#[derive(Clone, Copy)]
pub struct _virSecurityLabel {
    pub label: [c_char; VIR_SECURITY_LABEL_BUFLEN],
    pub enforcing: c_int,
}
pub type virSecurityLabel = _virSecurityLabel;
pub type virSecurityLabelPtr = *mut virSecurityLabel;

#[repr(C)]
#[derive(Clone, Copy)]
pub struct _virSecurityModel {
    pub model: [c_char; VIR_SECURITY_MODEL_BUFLEN],
    pub doi: [c_char; VIR_SECURITY_DOI_BUFLEN],
}
pub type virSecurityModel = _virSecurityModel;
pub type virSecurityModelPtr = *mut virSecurityModel;

#[repr(C)]
#[derive(Clone, Copy)]
pub struct _virNodeInfo {
    pub model: [c_char; 32],
    pub memory: c_ulong,
    pub cpus: c_uint,
    pub mhz: c_uint,
    pub nodes: c_uint,
    pub sockets: c_uint,
    pub cores: c_uint,
    pub threads: c_uint,
}
pub type virNodeInfo = _virNodeInfo;
pub type virNodeInfoPtr = *mut virNodeInfo;

#[repr(C)]
#[derive(Clone, Copy)]
pub struct _virNodeCPUStats {
    pub field: [c_char; VIR_NODE_CPU_STATS_FIELD_LENGTH],
    pub value: c_ulonglong,
}
pub type virNodeCPUStats = _virNodeCPUStats;
pub type virNodeCPUStatsPtr = *mut virNodeCPUStats;

#[repr(C)]
#[derive(Clone, Copy)]
pub struct _virNodeMemoryStats {
    pub field: [c_char; VIR_NODE_MEMORY_STATS_FIELD_LENGTH],
    pub value: c_ulonglong,
}
pub type virNodeMemoryStats = _virNodeMemoryStats;
pub type virNodeMemoryStatsPtr = *mut virNodeMemoryStats;

#[repr(C)]
#[derive(Clone, Copy)]
pub struct _virConnectCredential {
    pub r#type: c_int,
    pub prompt: *const c_char,
    pub challenge: *const c_char,
    pub defresult: *const c_char,
    pub result: *mut c_char,
    pub resultlen: c_uint,
}
pub type virConnectCredential = _virConnectCredential;
pub type virConnectCredentialPtr = *mut virConnectCredential;

#[repr(C)]
#[derive(Clone, Copy)]
pub struct _virConnectAuth {
    pub credtype: *mut c_int,
    pub ncredtype: c_uint,
    pub cb: virConnectAuthCallbackPtr,
    pub cbdata: *mut std::os::raw::c_void,
}
pub type virConnectAuth = _virConnectAuth;
pub type virConnectAuthPtr = *mut virConnectAuth;

// ---- domains (libvirt-domain.h) ----

#[repr(C)]
#[derive(Clone, Copy)]
pub struct _virDomainControlInfo {
    pub state: c_uint,
    pub details: c_uint,
    pub stateTime: c_ulonglong,
}
pub type virDomainControlInfo = _virDomainControlInfo;
pub type virDomainControlInfoPtr = *mut virDomainControlInfo;

#[repr(C)]
#[derive(Clone, Copy)]
pub struct _virDomainInfo {
    pub state: c_uchar,
    pub maxMem: c_ulong,
    pub memory: c_ulong,
    pub nrVirtCpu: c_ushort,
    pub cpuTime: c_ulonglong,
}
pub type virDomainInfo = _virDomainInfo;
pub type virDomainInfoPtr = *mut virDomainInfo;

#[repr(C)]
#[derive(Clone, Copy)]
pub struct _virDomainBlockStats {
    pub rd_req: c_longlong,
    pub rd_bytes: c_longlong,
    pub wr_req: c_longlong,
    pub wr_bytes: c_longlong,
    pub errs: c_longlong,
}
pub type virDomainBlockStatsStruct = _virDomainBlockStats;
pub type virDomainBlockStatsPtr = *mut virDomainBlockStatsStruct;

#[repr(C)]
#[derive(Clone, Copy)]
pub struct _virDomainInterfaceStats {
    pub rx_bytes: c_longlong,
    pub rx_packets: c_longlong,
    pub rx_errs: c_longlong,
    pub rx_drop: c_longlong,
    pub tx_bytes: c_longlong,
    pub tx_packets: c_longlong,
    pub tx_errs: c_longlong,
    pub tx_drop: c_longlong,
}
pub type virDomainInterfaceStatsStruct = _virDomainInterfaceStats;
pub type virDomainInterfaceStatsPtr = *mut virDomainInterfaceStatsStruct;

#[repr(C)]
#[derive(Clone, Copy)]
pub struct _virDomainMemoryStat {
    pub tag: c_int,
    pub val: c_ulonglong,
}
pub type virDomainMemoryStatStruct = _virDomainMemoryStat;
pub type virDomainMemoryStatPtr = *mut virDomainMemoryStatStruct;

#[repr(C)]
#[derive(Clone, Copy)]
pub struct _virDomainBlockInfo {
    pub capacity: c_ulonglong,
    pub allocation: c_ulonglong,
    pub physical: c_ulonglong,
}
pub type virDomainBlockInfo = _virDomainBlockInfo;
pub type virDomainBlockInfoPtr = *mut virDomainBlockInfo;

#[repr(C)]
#[derive(Clone, Copy)]
pub struct _virVcpuInfo {
    pub number: c_uint,
    pub state: c_int,
    pub cpuTime: c_ulonglong,
    pub cpu: c_int,
}
pub type virVcpuInfo = _virVcpuInfo;
pub type virVcpuInfoPtr = *mut virVcpuInfo;

#[repr(C)]
#[derive(Clone, Copy)]
pub struct _virDomainIOThreadInfo {
    pub iothread_id: c_uint,
    pub cpumap: *mut c_uchar,
    pub cpumaplen: c_int,
}
pub type virDomainIOThreadInfo = _virDomainIOThreadInfo;
pub type virDomainIOThreadInfoPtr = *mut virDomainIOThreadInfo;

#[repr(C)]
#[derive(Clone, Copy)]
pub struct _virDomainStatsRecord {
    pub dom: virDomainPtr,
    pub params: virTypedParameterPtr,
    pub nparams: c_int,
}
pub type virDomainStatsRecord = _virDomainStatsRecord;
pub type virDomainStatsRecordPtr = *mut virDomainStatsRecord;

pub type virDomainBlockJobCursor = c_ulonglong;

#[repr(C)]
#[derive(Clone, Copy)]
pub struct _virDomainBlockJobInfo {
    pub r#type: c_int,
    pub bandwidth: c_ulong,
    pub cur: virDomainBlockJobCursor,
    pub end: virDomainBlockJobCursor,
}
pub type virDomainBlockJobInfo = _virDomainBlockJobInfo;
pub type virDomainBlockJobInfoPtr = *mut virDomainBlockJobInfo;

#[repr(C)]
#[derive(Clone, Copy)]
pub struct _virDomainDiskError {
    pub disk: *mut c_char,
    pub error: c_int,
}
pub type virDomainDiskError = _virDomainDiskError;
pub type virDomainDiskErrorPtr = *mut virDomainDiskError;

#[repr(C)]
#[derive(Clone, Copy)]
pub struct _virDomainJobInfo {
    pub r#type: c_int,
    pub timeElapsed: c_ulonglong,
    pub timeRemaining: c_ulonglong,
    pub dataTotal: c_ulonglong,
    pub dataProcessed: c_ulonglong,
    pub dataRemaining: c_ulonglong,
    pub memTotal: c_ulonglong,
    pub memProcessed: c_ulonglong,
    pub memRemaining: c_ulonglong,
    pub fileTotal: c_ulonglong,
    pub fileProcessed: c_ulonglong,
    pub fileRemaining: c_ulonglong,
}
pub type virDomainJobInfo = _virDomainJobInfo;
pub type virDomainJobInfoPtr = *mut virDomainJobInfo;

#[repr(C)]
#[derive(Clone, Copy)]
pub struct _virDomainEventGraphicsAddress {
    pub family: c_int,
    pub node: *mut c_char,
    pub service: *mut c_char,
}
pub type virDomainEventGraphicsAddress = _virDomainEventGraphicsAddress;
pub type virDomainEventGraphicsAddressPtr = *mut virDomainEventGraphicsAddress;

#[repr(C)]
#[derive(Clone, Copy)]
pub struct _virDomainEventGraphicsSubjectIdentity {
    pub r#type: *mut c_char,
    pub name: *mut c_char,
}
pub type virDomainEventGraphicsSubjectIdentity = _virDomainEventGraphicsSubjectIdentity;
pub type virDomainEventGraphicsSubjectIdentityPtr = *mut virDomainEventGraphicsSubjectIdentity;

#[repr(C)]
#[derive(Clone, Copy)]
pub struct _virDomainEventGraphicsSubject {
    pub nidentity: c_int,
    pub identities: virDomainEventGraphicsSubjectIdentityPtr,
}
pub type virDomainEventGraphicsSubject = _virDomainEventGraphicsSubject;
pub type virDomainEventGraphicsSubjectPtr = *mut virDomainEventGraphicsSubject;

#[repr(C)]
#[derive(Clone, Copy)]
pub struct _virDomainFSInfo {
    pub mountpoint: *mut c_char,
    pub name: *mut c_char,
    pub fstype: *mut c_char,
    pub ndevAlias: usize,
    pub devAlias: *mut *mut c_char,
}
pub type virDomainFSInfo = _virDomainFSInfo;
pub type virDomainFSInfoPtr = *mut virDomainFSInfo;

#[repr(C)]
#[derive(Clone, Copy)]
pub struct _virDomainInterfaceIPAddress {
    pub r#type: c_int,
    pub addr: *mut c_char,
    pub prefix: c_uint,
}
pub type virDomainIPAddress = _virDomainInterfaceIPAddress;
pub type virDomainIPAddressPtr = *mut virDomainIPAddress;

#[repr(C)]
#[derive(Clone, Copy)]
pub struct _virDomainInterface {
    pub name: *mut c_char,
    pub hwaddr: *mut c_char,
    pub naddrs: c_uint,
    pub addrs: virDomainIPAddressPtr,
}
pub type virDomainInterface = _virDomainInterface;
pub type virDomainInterfacePtr = *mut virDomainInterface;

// ---- networks (libvirt-network.h) ----

#[repr(C)]
#[derive(Clone, Copy)]
pub struct _virNetworkDHCPLease {
    pub iface: *mut c_char,
    pub expirytime: c_longlong,
    pub r#type: c_int,
    pub mac: *mut c_char,
    pub iaid: *mut c_char,
    pub ipaddr: *mut c_char,
    pub prefix: c_uint,
    pub hostname: *mut c_char,
    pub clientid: *mut c_char,
}
pub type virNetworkDHCPLease = _virNetworkDHCPLease;
pub type virNetworkDHCPLeasePtr = *mut virNetworkDHCPLease;

// ---- storage (libvirt-storage.h) ----

#[repr(C)]
#[derive(Clone, Copy)]
pub struct _virStoragePoolInfo {
    pub state: c_int,
    pub capacity: c_ulonglong,
    pub allocation: c_ulonglong,
    pub available: c_ulonglong,
}
pub type virStoragePoolInfo = _virStoragePoolInfo;
pub type virStoragePoolInfoPtr = *mut virStoragePoolInfo;

#[repr(C)]
#[derive(Clone, Copy)]
pub struct _virStorageVolInfo {
    pub r#type: c_int,
    pub capacity: c_ulonglong,
    pub allocation: c_ulonglong,
}
pub type virStorageVolInfo = _virStorageVolInfo;
pub type virStorageVolInfoPtr = *mut virStorageVolInfo;
