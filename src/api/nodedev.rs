//! libvirt-nodedev.h: host devices.

use super::event::{register_callback, Opaque, Registration};
use super::guard::{guard, show_ptr, show_str, Call};
use super::storage::{export, fill_names, publish, HandleOf};
use super::strings::malloc;
use crate::abi::callbacks::*;
use crate::abi::nodedev::*;
use crate::abi::types::*;
use crate::abi::virterror::*;
use crate::core::connect::NodeDevice;
use crate::core::events::{Detail, Event, Family, Subject};
use crate::core::object::{self, Class};
use crate::core::{Connect, Result};
use crate::driver::NodeDeviceId;
use std::os::raw::{c_char, c_int, c_uint, c_void};
use std::sync::Arc;

#[track_caller]
fn entry<T: super::guard::Failure>(
    name: &'static str,
    args: impl FnOnce() -> String,
    body: impl FnOnce(&mut Call) -> Result<T>,
) -> T {
    guard(VIR_FROM_NODEDEV, name, args, body)
}

impl HandleOf for NodeDeviceId {
    type C = virNodeDevice;
}

fn device(call: &mut Call, ptr: virNodeDevicePtr) -> Result<Arc<NodeDevice>> {
    call.child::<NodeDevice>(ptr, VIR_ERR_INVALID_NODE_DEVICE)
}

#[no_mangle]
pub unsafe extern "C" fn virNodeNumOfDevices(conn: virConnectPtr, cap: *const c_char, flags: c_uint) -> c_int {
    entry(
        "virNodeNumOfDevices",
        || format!("conn={}, cap={}, flags=0x{:x}", show_ptr(conn), show_str(cap), flags),
        |call| {
            let conn = call.connect(conn)?;
            let cap = call.optional_string(cap)?;
            Ok(conn.driver.node_num_of_devices(cap, flags)? as c_int)
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virNodeListDevices(
    conn: virConnectPtr,
    cap: *const c_char,
    names: *mut *mut c_char,
    maxnames: c_int,
    flags: c_uint,
) -> c_int {
    entry(
        "virNodeListDevices",
        || format!("conn={}, cap={}, names={}, maxnames={}, flags=0x{:x}", show_ptr(conn), show_str(cap), show_ptr(names), maxnames, flags),
        |call| {
            let conn = call.connect(conn)?;
            let cap = call.optional_string(cap)?;
            fill_names(call, names, maxnames, |max| conn.driver.node_list_devices(cap, max, flags))
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virConnectListAllNodeDevices(conn: virConnectPtr, devices: *mut *mut virNodeDevicePtr, flags: c_uint) -> c_int {
    entry(
        "virConnectListAllNodeDevices",
        || format!("conn={}, devices={}, flags=0x{:x}", show_ptr(conn), show_ptr(devices), flags),
        |call| {
            if !devices.is_null() {
                *devices = std::ptr::null_mut();
            }
            let conn = call.connect(conn)?;
            let found = conn.driver.list_all_node_devices(flags)?;
            export(&conn, devices, found)
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virNodeDeviceLookupByName(conn: virConnectPtr, name: *const c_char) -> virNodeDevicePtr {
    entry(
        "virNodeDeviceLookupByName",
        || format!("conn={}, name={}", show_ptr(conn), show_str(name)),
        |call| {
            let conn = call.connect(conn)?;
            let name = call.string(name, "name")?;
            let found = conn.driver.node_device_lookup_by_name(name)?;
            Ok(publish(&conn, found))
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virNodeDeviceGetXMLDesc(dev: virNodeDevicePtr, flags: c_uint) -> *mut c_char {
    entry(
        "virNodeDeviceGetXMLDesc",
        || format!("dev={}, flags=0x{:x}", show_ptr(dev), flags),
        |call| {
            let dev = device(call, dev)?;
            Ok(malloc(&dev.conn.driver.node_device_xml_desc(&dev.id, flags)?))
        },
    )
}

/// The name lives as long as the handle, as in libvirt.
#[no_mangle]
pub unsafe extern "C" fn virNodeDeviceGetName(dev: virNodeDevicePtr) -> *const c_char {
    entry("virNodeDeviceGetName", || format!("dev={}", show_ptr(dev)), |call| Ok(device(call, dev)?.id.c_name().as_ptr()))
}

/// The parent the handle knows, else the driver's answer, kept in the handle
/// as libvirt keeps it. libvirt leaves the driver's error as the thread's
/// without dispatching it: NULL, and no handler hears of it.
#[no_mangle]
pub unsafe extern "C" fn virNodeDeviceGetParent(dev: virNodeDevicePtr) -> *const c_char {
    entry(
        "virNodeDeviceGetParent",
        || format!("dev={}", show_ptr(dev)),
        |call| {
            let dev = device(call, dev)?;
            match dev.id.c_parent(|| dev.conn.driver.node_device_parent(&dev.id)) {
                Ok(parent) => Ok(parent.as_ptr()),
                Err(e) => {
                    super::error::record(&e);
                    Ok(std::ptr::null())
                }
            }
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virNodeDeviceNumOfCaps(dev: virNodeDevicePtr) -> c_int {
    entry(
        "virNodeDeviceNumOfCaps",
        || format!("dev={}", show_ptr(dev)),
        |call| {
            let dev = device(call, dev)?;
            Ok(dev.conn.driver.node_device_caps(&dev.id)?.len() as c_int)
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virNodeDeviceListCaps(dev: virNodeDevicePtr, names: *mut *mut c_char, maxnames: c_int) -> c_int {
    entry(
        "virNodeDeviceListCaps",
        || format!("dev={}, names={}, maxnames={}", show_ptr(dev), show_ptr(names), maxnames),
        |call| {
            let dev = device(call, dev)?;
            fill_names(call, names, maxnames, |_| dev.conn.driver.node_device_caps(&dev.id))
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virNodeDeviceCreateXML(conn: virConnectPtr, xmlDesc: *const c_char, flags: c_uint) -> virNodeDevicePtr {
    entry(
        "virNodeDeviceCreateXML",
        || format!("conn={}, xmlDesc={}, flags=0x{:x}", show_ptr(conn), show_str(xmlDesc), flags),
        |call| {
            let conn = call.writable_connect(conn)?;
            let xml = call.string(xmlDesc, "xmlDesc")?;
            let made = conn.driver.node_device_create_xml(xml, flags)?;
            Ok(publish(&conn, made))
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virNodeDeviceDestroy(dev: virNodeDevicePtr) -> c_int {
    entry("virNodeDeviceDestroy", || format!("dev={}", show_ptr(dev)), |call| {
        let dev = device(call, dev)?;
        call.writable()?;
        if let Some(reported) = dev.conn.driver.node_device_destroy(&dev.id)? {
            // libvirt's test driver reports this error and still answers success.
            super::error::record(&reported);
        }
        Ok(0)
    })
}

#[no_mangle]
pub unsafe extern "C" fn virNodeDeviceRef(dev: virNodeDevicePtr) -> c_int {
    entry("virNodeDeviceRef", || format!("dev={}", show_ptr(dev)), |call| call.add_ref::<NodeDevice, _>(dev))
}

#[no_mangle]
pub unsafe extern "C" fn virNodeDeviceFree(dev: virNodeDevicePtr) -> c_int {
    entry("virNodeDeviceFree", || format!("dev={}", show_ptr(dev)), |call| call.free::<NodeDevice, _>(dev))
}

type Generic = unsafe extern "C" fn(virConnectPtr, virNodeDevicePtr, *mut c_void);
type Lifecycle = unsafe extern "C" fn(virConnectPtr, virNodeDevicePtr, c_int, c_int, *mut c_void);

/// Calls `cb`, registered for `event_id`, with a fresh handle on the event's device.
fn dispatcher(conn_addr: usize, event_id: c_int, cb: Generic, opaque: Opaque) -> Box<dyn Fn(&Event) + Send + Sync> {
    Box::new(move |event| {
        let Some(conn) = object::lookup::<Connect>(conn_addr) else { return };
        let Subject::NodeDevice(id) = &event.subject else { return };
        let conn_ptr = conn_addr as virConnectPtr;
        let dev = publish(&conn, id.clone());
        match (event_id, &event.detail) {
            (VIR_NODE_DEVICE_EVENT_ID_LIFECYCLE, &Detail::Lifecycle { event, detail }) => {
                // SAFETY: lifecycle callbacks are registered as the generic type, as
                // libvirt's API requires (VIR_NODE_DEVICE_EVENT_CALLBACK).
                let cb: Lifecycle = unsafe { std::mem::transmute::<Generic, Lifecycle>(cb) };
                // SAFETY: the caller's callback with live handles and its data.
                unsafe { cb(conn_ptr, dev, event, detail, opaque.get()) };
            }
            (VIR_NODE_DEVICE_EVENT_ID_UPDATE, Detail::Plain) => {
                // SAFETY: as above; this ID has the generic signature.
                unsafe { cb(conn_ptr, dev, opaque.get()) };
            }
            _ => {}
        }
        object::release(dev as usize, Class::NodeDevice);
    })
}

#[no_mangle]
pub unsafe extern "C" fn virConnectNodeDeviceEventRegisterAny(
    conn: virConnectPtr,
    dev: virNodeDevicePtr,
    eventID: c_int,
    cb: virConnectNodeDeviceEventGenericCallback,
    opaque: *mut c_void,
    freecb: virFreeCallback,
) -> c_int {
    entry(
        "virConnectNodeDeviceEventRegisterAny",
        || format!("conn={}, dev={}, eventID={}, cb={:?}, opaque={}, freecb={:?}", show_ptr(conn), show_ptr(dev), eventID, cb, show_ptr(opaque), freecb),
        |call| {
            let conn = call.connect(conn)?;
            let func = cb.ok_or_else(|| call.null_arg("cb"))?;
            call.non_negative("eventID", eventID.into())?;
            let mut filter = None;
            if !dev.is_null() {
                let handle = device(call, dev)?;
                call.conn = Some(conn.clone());
                if !Arc::ptr_eq(&handle.conn, &conn) {
                    let message = format!("node device '{}' in {} must match connection", handle.id.name, call.name);
                    return Err(call.bad_arg("dev", message));
                }
                filter = Some(handle.id.name.clone());
            }
            if eventID >= VIR_NODE_DEVICE_EVENT_ID_LAST {
                let message = format!("eventID in {} must be less than {VIR_NODE_DEVICE_EVENT_ID_LAST}", call.name);
                return Err(call.bad_arg("eventID", message));
            }
            let dispatch = dispatcher(object::address(&conn), eventID, func, Opaque(opaque));
            let registration = Registration {
                family: Family::NodeDevice,
                event_id: eventID,
                func: func as usize,
                legacy: false,
                filter,
                dispatch,
                opaque,
                free: freecb,
            };
            register_callback(call, &conn, registration)
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virConnectNodeDeviceEventDeregisterAny(conn: virConnectPtr, callbackID: c_int) -> c_int {
    entry(
        "virConnectNodeDeviceEventDeregisterAny",
        || format!("conn={}, callbackID={}", show_ptr(conn), callbackID),
        |call| super::event::deregister_any(call, conn, Family::NodeDevice, callbackID),
    )
}
