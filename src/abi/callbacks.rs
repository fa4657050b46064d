//! libvirt.h's function pointer types: the callbacks programs hand to libvirt
//! (events, streams, the event loop, credentials) with libvirt's exact signatures.
#![allow(non_camel_case_types, non_snake_case)]

use super::types::*;
use std::os::raw::{c_char, c_int, c_longlong, c_uint, c_ulonglong, c_void};

// ---- common and host ----

pub type virFreeCallback = Option<unsafe extern "C" fn(opaque: *mut c_void)>;
pub type virConnectAuthCallbackPtr =
    Option<unsafe extern "C" fn(cred: virConnectCredentialPtr, ncred: c_uint, cbdata: *mut c_void) -> c_int>;
pub type virConnectCloseFunc = Option<unsafe extern "C" fn(conn: virConnectPtr, reason: c_int, opaque: *mut c_void)>;

// ---- domain events ----

pub type virConnectDomainEventCallback = Option<
    unsafe extern "C" fn(conn: virConnectPtr, dom: virDomainPtr, event: c_int, detail: c_int, opaque: *mut c_void) -> c_int,
>;
/// What virConnectDomainEventRegisterAny takes; each event ID has its own real type.
pub type virConnectDomainEventGenericCallback =
    Option<unsafe extern "C" fn(conn: virConnectPtr, dom: virDomainPtr, opaque: *mut c_void)>;
pub type virConnectDomainEventRTCChangeCallback =
    Option<unsafe extern "C" fn(conn: virConnectPtr, dom: virDomainPtr, utcoffset: c_longlong, opaque: *mut c_void)>;
pub type virConnectDomainEventWatchdogCallback =
    Option<unsafe extern "C" fn(conn: virConnectPtr, dom: virDomainPtr, action: c_int, opaque: *mut c_void)>;
pub type virConnectDomainEventIOErrorCallback = Option<
    unsafe extern "C" fn(
        conn: virConnectPtr,
        dom: virDomainPtr,
        srcPath: *const c_char,
        devAlias: *const c_char,
        action: c_int,
        opaque: *mut c_void,
    ),
>;
pub type virConnectDomainEventIOErrorReasonCallback = Option<
    unsafe extern "C" fn(
        conn: virConnectPtr,
        dom: virDomainPtr,
        srcPath: *const c_char,
        devAlias: *const c_char,
        action: c_int,
        reason: *const c_char,
        opaque: *mut c_void,
    ),
>;
pub type virConnectDomainEventGraphicsCallback = Option<
    unsafe extern "C" fn(
        conn: virConnectPtr,
        dom: virDomainPtr,
        phase: c_int,
        local: *const virDomainEventGraphicsAddress,
        remote: *const virDomainEventGraphicsAddress,
        authScheme: *const c_char,
        subject: *const virDomainEventGraphicsSubject,
        opaque: *mut c_void,
    ),
>;
pub type virConnectDomainEventBlockJobCallback = Option<
    unsafe extern "C" fn(
        conn: virConnectPtr,
        dom: virDomainPtr,
        disk: *const c_char,
        r#type: c_int,
        status: c_int,
        opaque: *mut c_void,
    ),
>;
pub type virConnectDomainEventDiskChangeCallback = Option<
    unsafe extern "C" fn(
        conn: virConnectPtr,
        dom: virDomainPtr,
        oldSrcPath: *const c_char,
        newSrcPath: *const c_char,
        devAlias: *const c_char,
        reason: c_int,
        opaque: *mut c_void,
    ),
>;
pub type virConnectDomainEventTrayChangeCallback = Option<
    unsafe extern "C" fn(conn: virConnectPtr, dom: virDomainPtr, devAlias: *const c_char, reason: c_int, opaque: *mut c_void),
>;
pub type virConnectDomainEventPMWakeupCallback =
    Option<unsafe extern "C" fn(conn: virConnectPtr, dom: virDomainPtr, reason: c_int, opaque: *mut c_void)>;
pub type virConnectDomainEventPMSuspendCallback =
    Option<unsafe extern "C" fn(conn: virConnectPtr, dom: virDomainPtr, reason: c_int, opaque: *mut c_void)>;
pub type virConnectDomainEventBalloonChangeCallback =
    Option<unsafe extern "C" fn(conn: virConnectPtr, dom: virDomainPtr, actual: c_ulonglong, opaque: *mut c_void)>;
pub type virConnectDomainEventPMSuspendDiskCallback =
    Option<unsafe extern "C" fn(conn: virConnectPtr, dom: virDomainPtr, reason: c_int, opaque: *mut c_void)>;
pub type virConnectDomainEventDeviceRemovedCallback =
    Option<unsafe extern "C" fn(conn: virConnectPtr, dom: virDomainPtr, devAlias: *const c_char, opaque: *mut c_void)>;
pub type virConnectDomainEventDeviceAddedCallback =
    Option<unsafe extern "C" fn(conn: virConnectPtr, dom: virDomainPtr, devAlias: *const c_char, opaque: *mut c_void)>;
pub type virConnectDomainEventDeviceRemovalFailedCallback =
    Option<unsafe extern "C" fn(conn: virConnectPtr, dom: virDomainPtr, devAlias: *const c_char, opaque: *mut c_void)>;
pub type virConnectDomainEventMetadataChangeCallback = Option<
    unsafe extern "C" fn(conn: virConnectPtr, dom: virDomainPtr, r#type: c_int, nsuri: *const c_char, opaque: *mut c_void),
>;
pub type virConnectDomainEventMigrationIterationCallback =
    Option<unsafe extern "C" fn(conn: virConnectPtr, dom: virDomainPtr, iteration: c_int, opaque: *mut c_void)>;
pub type virConnectDomainEventJobCompletedCallback = Option<
    unsafe extern "C" fn(
        conn: virConnectPtr,
        dom: virDomainPtr,
        params: virTypedParameterPtr,
        nparams: c_int,
        opaque: *mut c_void,
    ),
>;
pub type virConnectDomainEventTunableCallback = Option<
    unsafe extern "C" fn(
        conn: virConnectPtr,
        dom: virDomainPtr,
        params: virTypedParameterPtr,
        nparams: c_int,
        opaque: *mut c_void,
    ),
>;
pub type virConnectDomainEventAgentLifecycleCallback = Option<
    unsafe extern "C" fn(conn: virConnectPtr, dom: virDomainPtr, state: c_int, reason: c_int, opaque: *mut c_void),
>;
pub type virConnectDomainEventBlockThresholdCallback = Option<
    unsafe extern "C" fn(
        conn: virConnectPtr,
        dom: virDomainPtr,
        dev: *const c_char,
        path: *const c_char,
        threshold: c_ulonglong,
        excess: c_ulonglong,
        opaque: *mut c_void,
    ),
>;
pub type virConnectDomainEventMemoryFailureCallback = Option<
    unsafe extern "C" fn(
        conn: virConnectPtr,
        dom: virDomainPtr,
        recipient: c_int,
        action: c_int,
        flags: c_uint,
        opaque: *mut c_void,
    ),
>;
pub type virConnectDomainEventMemoryDeviceSizeChangeCallback = Option<
    unsafe extern "C" fn(
        conn: virConnectPtr,
        dom: virDomainPtr,
        alias: *const c_char,
        size: c_ulonglong,
        opaque: *mut c_void,
    ),
>;

// ---- other objects' events ----

pub type virConnectNetworkEventGenericCallback =
    Option<unsafe extern "C" fn(conn: virConnectPtr, net: virNetworkPtr, opaque: *mut c_void)>;
pub type virConnectNetworkEventLifecycleCallback = Option<
    unsafe extern "C" fn(conn: virConnectPtr, net: virNetworkPtr, event: c_int, detail: c_int, opaque: *mut c_void),
>;
pub type virConnectNodeDeviceEventGenericCallback =
    Option<unsafe extern "C" fn(conn: virConnectPtr, dev: virNodeDevicePtr, opaque: *mut c_void)>;
pub type virConnectNodeDeviceEventLifecycleCallback = Option<
    unsafe extern "C" fn(conn: virConnectPtr, dev: virNodeDevicePtr, event: c_int, detail: c_int, opaque: *mut c_void),
>;
pub type virConnectSecretEventGenericCallback =
    Option<unsafe extern "C" fn(conn: virConnectPtr, secret: virSecretPtr, opaque: *mut c_void)>;
pub type virConnectSecretEventLifecycleCallback = Option<
    unsafe extern "C" fn(conn: virConnectPtr, secret: virSecretPtr, event: c_int, detail: c_int, opaque: *mut c_void),
>;
pub type virConnectStoragePoolEventGenericCallback =
    Option<unsafe extern "C" fn(conn: virConnectPtr, pool: virStoragePoolPtr, opaque: *mut c_void)>;
pub type virConnectStoragePoolEventLifecycleCallback = Option<
    unsafe extern "C" fn(conn: virConnectPtr, pool: virStoragePoolPtr, event: c_int, detail: c_int, opaque: *mut c_void),
>;

// ---- the event loop a program can provide (libvirt-event.h) ----

pub type virEventHandleCallback = Option<unsafe extern "C" fn(watch: c_int, fd: c_int, events: c_int, opaque: *mut c_void)>;
pub type virEventAddHandleFunc = Option<
    unsafe extern "C" fn(
        fd: c_int,
        event: c_int,
        cb: virEventHandleCallback,
        opaque: *mut c_void,
        ff: virFreeCallback,
    ) -> c_int,
>;
pub type virEventUpdateHandleFunc = Option<unsafe extern "C" fn(watch: c_int, event: c_int)>;
pub type virEventRemoveHandleFunc = Option<unsafe extern "C" fn(watch: c_int) -> c_int>;
pub type virEventTimeoutCallback = Option<unsafe extern "C" fn(timer: c_int, opaque: *mut c_void)>;
pub type virEventAddTimeoutFunc = Option<
    unsafe extern "C" fn(timeout: c_int, cb: virEventTimeoutCallback, opaque: *mut c_void, ff: virFreeCallback) -> c_int,
>;
pub type virEventUpdateTimeoutFunc = Option<unsafe extern "C" fn(timer: c_int, timeout: c_int)>;
pub type virEventRemoveTimeoutFunc = Option<unsafe extern "C" fn(timer: c_int) -> c_int>;

// ---- streams (libvirt-stream.h) ----

pub type virStreamSourceFunc =
    Option<unsafe extern "C" fn(st: virStreamPtr, data: *mut c_char, nbytes: usize, opaque: *mut c_void) -> c_int>;
pub type virStreamSourceHoleFunc = Option<
    unsafe extern "C" fn(st: virStreamPtr, inData: *mut c_int, length: *mut c_longlong, opaque: *mut c_void) -> c_int,
>;
pub type virStreamSourceSkipFunc =
    Option<unsafe extern "C" fn(st: virStreamPtr, length: c_longlong, opaque: *mut c_void) -> c_int>;
pub type virStreamSinkFunc =
    Option<unsafe extern "C" fn(st: virStreamPtr, data: *const c_char, nbytes: usize, opaque: *mut c_void) -> c_int>;
pub type virStreamSinkHoleFunc =
    Option<unsafe extern "C" fn(st: virStreamPtr, length: c_longlong, opaque: *mut c_void) -> c_int>;
pub type virStreamEventCallback = Option<unsafe extern "C" fn(stream: virStreamPtr, events: c_int, opaque: *mut c_void)>;
