//! libvirt-interface.h: host network interfaces.

use super::guard::{guard, show_ptr, show_str, Call};
use super::storage::{export, fill_names, publish, HandleOf};
use super::strings::malloc;
use crate::abi::types::*;
use crate::abi::virterror::*;
use crate::core::connect::Interface;
use crate::core::Result;
use crate::driver::InterfaceId;
use std::os::raw::{c_char, c_int, c_uint};
use std::sync::Arc;

#[track_caller]
fn entry<T: super::guard::Failure>(
    name: &'static str,
    args: impl FnOnce() -> String,
    body: impl FnOnce(&mut Call) -> Result<T>,
) -> T {
    guard(VIR_FROM_INTERFACE, name, args, body)
}

impl HandleOf for InterfaceId {
    type C = virInterface;
}

fn iface(call: &mut Call, ptr: virInterfacePtr) -> Result<Arc<Interface>> {
    call.child::<Interface>(ptr, VIR_ERR_INVALID_INTERFACE)
}

#[no_mangle]
pub unsafe extern "C" fn virConnectNumOfInterfaces(conn: virConnectPtr) -> c_int {
    entry(
        "virConnectNumOfInterfaces",
        || format!("conn={}", show_ptr(conn)),
        |call| Ok(call.connect(conn)?.driver.num_of_interfaces()? as c_int),
    )
}

#[no_mangle]
pub unsafe extern "C" fn virConnectListInterfaces(conn: virConnectPtr, names: *mut *mut c_char, maxnames: c_int) -> c_int {
    entry(
        "virConnectListInterfaces",
        || format!("conn={}, names={}, maxnames={}", show_ptr(conn), show_ptr(names), maxnames),
        |call| {
            let conn = call.connect(conn)?;
            fill_names(call, names, maxnames, |max| conn.driver.list_interfaces(max))
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virConnectNumOfDefinedInterfaces(conn: virConnectPtr) -> c_int {
    entry(
        "virConnectNumOfDefinedInterfaces",
        || format!("conn={}", show_ptr(conn)),
        |call| Ok(call.connect(conn)?.driver.num_of_defined_interfaces()? as c_int),
    )
}

#[no_mangle]
pub unsafe extern "C" fn virConnectListDefinedInterfaces(conn: virConnectPtr, names: *mut *mut c_char, maxnames: c_int) -> c_int {
    entry(
        "virConnectListDefinedInterfaces",
        || format!("conn={}, names={}, maxnames={}", show_ptr(conn), show_ptr(names), maxnames),
        |call| {
            let conn = call.connect(conn)?;
            fill_names(call, names, maxnames, |max| conn.driver.list_defined_interfaces(max))
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virConnectListAllInterfaces(conn: virConnectPtr, ifaces: *mut *mut virInterfacePtr, flags: c_uint) -> c_int {
    entry(
        "virConnectListAllInterfaces",
        || format!("conn={}, ifaces={}, flags=0x{:x}", show_ptr(conn), show_ptr(ifaces), flags),
        |call| {
            if !ifaces.is_null() {
                *ifaces = std::ptr::null_mut();
            }
            let conn = call.connect(conn)?;
            let found = conn.driver.list_all_interfaces(flags)?;
            export(&conn, ifaces, found)
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virInterfaceLookupByName(conn: virConnectPtr, name: *const c_char) -> virInterfacePtr {
    entry(
        "virInterfaceLookupByName",
        || format!("conn={}, name={}", show_ptr(conn), show_str(name)),
        |call| {
            let conn = call.connect(conn)?;
            let name = call.string(name, "name")?;
            let found = conn.driver.interface_lookup_by_name(name)?;
            Ok(publish(&conn, found))
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virInterfaceLookupByMACString(conn: virConnectPtr, macstr: *const c_char) -> virInterfacePtr {
    entry(
        "virInterfaceLookupByMACString",
        || format!("conn={}, macstr={}", show_ptr(conn), show_str(macstr)),
        |call| {
            let conn = call.connect(conn)?;
            let mac = call.string(macstr, "macstr")?;
            let found = conn.driver.interface_lookup_by_mac(mac)?;
            Ok(publish(&conn, found))
        },
    )
}

/// The name lives as long as the handle, as in libvirt.
#[no_mangle]
pub unsafe extern "C" fn virInterfaceGetName(iface: virInterfacePtr) -> *const c_char {
    entry(
        "virInterfaceGetName",
        || format!("iface={}", show_ptr(iface)),
        |call| Ok(self::iface(call, iface)?.id.c_name().as_ptr()),
    )
}

/// The MAC address the handle was made with ("" when the interface has none).
#[no_mangle]
pub unsafe extern "C" fn virInterfaceGetMACString(iface: virInterfacePtr) -> *const c_char {
    entry(
        "virInterfaceGetMACString",
        || format!("iface={}", show_ptr(iface)),
        |call| Ok(self::iface(call, iface)?.id.c_mac().as_ptr()),
    )
}

#[no_mangle]
pub unsafe extern "C" fn virInterfaceGetXMLDesc(iface: virInterfacePtr, flags: c_uint) -> *mut c_char {
    entry(
        "virInterfaceGetXMLDesc",
        || format!("iface={}, flags=0x{:x}", show_ptr(iface), flags),
        |call| {
            let iface = self::iface(call, iface)?;
            Ok(malloc(&iface.conn.driver.interface_xml_desc(&iface.id, flags)?))
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virInterfaceDefineXML(conn: virConnectPtr, xml: *const c_char, flags: c_uint) -> virInterfacePtr {
    entry(
        "virInterfaceDefineXML",
        || format!("conn={}, xml={}, flags=0x{:x}", show_ptr(conn), show_str(xml), flags),
        |call| {
            let conn = call.writable_connect(conn)?;
            let xml = call.string(xml, "xml")?;
            let made = conn.driver.interface_define_xml(xml, flags)?;
            Ok(publish(&conn, made))
        },
    )
}

/// An interface call that changes the interface: a writable connection, then `act`.
fn iface_action(
    name: &'static str,
    iface: virInterfacePtr,
    flags: Option<c_uint>,
    act: impl FnOnce(&Interface) -> Result<()>,
) -> c_int {
    let args = || match flags {
        Some(flags) => format!("iface={}, flags=0x{:x}", show_ptr(iface), flags),
        None => format!("iface={}", show_ptr(iface)),
    };
    entry(name, args, |call| {
        let iface = self::iface(call, iface)?;
        call.writable()?;
        act(&iface)?;
        Ok(0)
    })
}

#[no_mangle]
pub unsafe extern "C" fn virInterfaceUndefine(iface: virInterfacePtr) -> c_int {
    iface_action("virInterfaceUndefine", iface, None, |i| i.conn.driver.interface_undefine(&i.id))
}

#[no_mangle]
pub unsafe extern "C" fn virInterfaceCreate(iface: virInterfacePtr, flags: c_uint) -> c_int {
    iface_action("virInterfaceCreate", iface, Some(flags), |i| i.conn.driver.interface_create(&i.id, flags))
}

#[no_mangle]
pub unsafe extern "C" fn virInterfaceDestroy(iface: virInterfacePtr, flags: c_uint) -> c_int {
    iface_action("virInterfaceDestroy", iface, Some(flags), |i| i.conn.driver.interface_destroy(&i.id, flags))
}

#[no_mangle]
pub unsafe extern "C" fn virInterfaceIsActive(iface: virInterfacePtr) -> c_int {
    entry(
        "virInterfaceIsActive",
        || format!("iface={}", show_ptr(iface)),
        |call| {
            let iface = self::iface(call, iface)?;
            Ok(c_int::from(iface.conn.driver.interface_is_active(&iface.id)?))
        },
    )
}

/// The interface's connection, without a new reference (as in libvirt).
#[no_mangle]
pub unsafe extern "C" fn virInterfaceGetConnect(iface: virInterfacePtr) -> virConnectPtr {
    entry(
        "virInterfaceGetConnect",
        || format!("iface={}", show_ptr(iface)),
        |call| Ok(Arc::as_ptr(&self::iface(call, iface)?.conn) as virConnectPtr),
    )
}

/// The transaction calls: a writable connection, then `act`.
fn change(name: &'static str, conn: virConnectPtr, flags: c_uint, act: impl FnOnce(&crate::core::Connect) -> Result<()>) -> c_int {
    entry(name, || format!("conn={}, flags=0x{:x}", show_ptr(conn), flags), |call| {
        let conn = call.writable_connect(conn)?;
        act(&conn)?;
        Ok(0)
    })
}

#[no_mangle]
pub unsafe extern "C" fn virInterfaceChangeBegin(conn: virConnectPtr, flags: c_uint) -> c_int {
    change("virInterfaceChangeBegin", conn, flags, |c| c.driver.interface_change_begin(flags))
}

#[no_mangle]
pub unsafe extern "C" fn virInterfaceChangeCommit(conn: virConnectPtr, flags: c_uint) -> c_int {
    change("virInterfaceChangeCommit", conn, flags, |c| c.driver.interface_change_commit(flags))
}

#[no_mangle]
pub unsafe extern "C" fn virInterfaceChangeRollback(conn: virConnectPtr, flags: c_uint) -> c_int {
    change("virInterfaceChangeRollback", conn, flags, |c| c.driver.interface_change_rollback(flags))
}

#[no_mangle]
pub unsafe extern "C" fn virInterfaceRef(iface: virInterfacePtr) -> c_int {
    entry("virInterfaceRef", || format!("iface={}", show_ptr(iface)), |call| call.add_ref::<Interface, _>(iface))
}

#[no_mangle]
pub unsafe extern "C" fn virInterfaceFree(iface: virInterfacePtr) -> c_int {
    entry("virInterfaceFree", || format!("iface={}", show_ptr(iface)), |call| call.free::<Interface, _>(iface))
}
