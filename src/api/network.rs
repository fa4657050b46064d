//! libvirt-network.h: networks and their ports.

use super::guard::{guard, show_ptr, show_str, unreported, Call};
use super::strings::malloc;
use crate::abi::types::*;
use crate::abi::virterror::*;
use crate::core::connect::{Network, NetworkPort};
use crate::core::{object, Child, Connect, Error, Result};
use crate::driver::NetworkId;
use crate::uuid::{format_uuid, parse_uuid};
use super::event::{register_callback, Opaque, Registration};
use crate::abi::callbacks::{virConnectNetworkEventGenericCallback, virFreeCallback};
use crate::core::events::{Detail, Event, Family, Subject};
use crate::core::object::Class;
use std::os::raw::{c_char, c_int, c_uchar, c_uint, c_void};
use std::sync::Arc;

#[track_caller]
fn entry<T: super::guard::Failure>(
    name: &'static str,
    args: impl FnOnce() -> String,
    body: impl FnOnce(&mut Call) -> Result<T>,
) -> T {
    guard(VIR_FROM_NETWORK, name, args, body)
}

#[no_mangle]
pub unsafe extern "C" fn virNetworkRef(network: virNetworkPtr) -> c_int {
    entry("virNetworkRef", || format!("network={}", show_ptr(network)), |call| call.add_ref::<Network, _>(network))
}

#[no_mangle]
pub unsafe extern "C" fn virNetworkFree(network: virNetworkPtr) -> c_int {
    entry("virNetworkFree", || format!("network={}", show_ptr(network)), |call| call.free::<Network, _>(network))
}

#[no_mangle]
pub unsafe extern "C" fn virNetworkPortRef(port: virNetworkPortPtr) -> c_int {
    entry("virNetworkPortRef", || format!("port={}", show_ptr(port)), |call| call.add_ref::<NetworkPort, _>(port))
}

#[no_mangle]
pub unsafe extern "C" fn virNetworkPortFree(port: virNetworkPortPtr) -> c_int {
    entry("virNetworkPortFree", || format!("port={}", show_ptr(port)), |call| call.free::<NetworkPort, _>(port))
}

/// Frees a lease virNetworkGetDHCPLeases returned, and its strings; NULL is fine.
#[no_mangle]
pub unsafe extern "C" fn virNetworkDHCPLeaseFree(lease: virNetworkDHCPLeasePtr) {
    unreported(|| {
        let Some(l) = lease.as_mut() else { return };
        for s in [l.iface, l.mac, l.iaid, l.ipaddr, l.hostname, l.clientid] {
            libc::free(s.cast());
        }
        libc::free(lease.cast());
    })
}

fn network(call: &mut Call, net: virNetworkPtr) -> Result<Arc<Network>> {
    call.child::<Network>(net, VIR_ERR_INVALID_NETWORK)
}

fn publish(conn: &Arc<Connect>, id: NetworkId) -> virNetworkPtr {
    object::publish(Arc::new(Child { conn: conn.clone(), id })) as virNetworkPtr
}

const ACTIVE: c_uint = crate::abi::network::VIR_CONNECT_LIST_NETWORKS_ACTIVE as c_uint;
const INACTIVE: c_uint = crate::abi::network::VIR_CONNECT_LIST_NETWORKS_INACTIVE as c_uint;

/// Names of at most `max` networks the filter keeps (the List/ListDefined calls).
unsafe fn list_names(call: &mut Call, conn: virConnectPtr, names: *mut *mut c_char, max: c_int, filter: c_uint) -> Result<c_int> {
    let conn = call.connect(conn)?;
    if names.is_null() && max > 0 {
        return Err(call.null_arg("names"));
    }
    call.non_negative("maxnames", max.into())?;
    let found = conn.driver.list_all_networks(filter)?;
    let n = found.len().min(max as usize);
    for (i, net) in found.iter().take(n).enumerate() {
        *names.add(i) = malloc(&net.name);
    }
    Ok(n as c_int)
}

#[no_mangle]
pub unsafe extern "C" fn virConnectNumOfNetworks(conn: virConnectPtr) -> c_int {
    entry("virConnectNumOfNetworks", || format!("conn={}", show_ptr(conn)), |call| {
        Ok(call.connect(conn)?.driver.list_all_networks(ACTIVE)?.len() as c_int)
    })
}

#[no_mangle]
pub unsafe extern "C" fn virConnectNumOfDefinedNetworks(conn: virConnectPtr) -> c_int {
    entry("virConnectNumOfDefinedNetworks", || format!("conn={}", show_ptr(conn)), |call| {
        Ok(call.connect(conn)?.driver.list_all_networks(INACTIVE)?.len() as c_int)
    })
}

#[no_mangle]
pub unsafe extern "C" fn virConnectListNetworks(conn: virConnectPtr, names: *mut *mut c_char, maxnames: c_int) -> c_int {
    entry(
        "virConnectListNetworks",
        || format!("conn={}, names={}, maxnames={}", show_ptr(conn), show_ptr(names), maxnames),
        |call| list_names(call, conn, names, maxnames, ACTIVE),
    )
}

#[no_mangle]
pub unsafe extern "C" fn virConnectListDefinedNetworks(conn: virConnectPtr, names: *mut *mut c_char, maxnames: c_int) -> c_int {
    entry(
        "virConnectListDefinedNetworks",
        || format!("conn={}, names={}, maxnames={}", show_ptr(conn), show_ptr(names), maxnames),
        |call| list_names(call, conn, names, maxnames, INACTIVE),
    )
}

/// The array is malloc'd with a NULL after the last handle, as libvirt's is.
#[no_mangle]
pub unsafe extern "C" fn virConnectListAllNetworks(conn: virConnectPtr, nets: *mut *mut virNetworkPtr, flags: c_uint) -> c_int {
    entry(
        "virConnectListAllNetworks",
        || format!("conn={}, nets={}, flags=0x{:x}", show_ptr(conn), show_ptr(nets), flags),
        |call| {
            if !nets.is_null() {
                *nets = std::ptr::null_mut();
            }
            let conn = call.connect(conn)?;
            let found = conn.driver.list_all_networks(flags)?;
            let count = found.len();
            if !nets.is_null() {
                let list = libc::calloc(count + 1, std::mem::size_of::<virNetworkPtr>()) as *mut virNetworkPtr;
                if list.is_null() {
                    return Err(Error::new(VIR_ERR_NO_MEMORY, VIR_FROM_NETWORK, None));
                }
                for (i, id) in found.into_iter().enumerate() {
                    *list.add(i) = publish(&conn, id);
                }
                *nets = list;
            }
            Ok(count as c_int)
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virNetworkLookupByName(conn: virConnectPtr, name: *const c_char) -> virNetworkPtr {
    entry("virNetworkLookupByName", || format!("conn={}, name={}", show_ptr(conn), show_str(name)), |call| {
        let conn = call.connect(conn)?;
        let name = call.string(name, "name")?;
        let id = conn.driver.network_lookup_by_name(name)?;
        Ok(publish(&conn, id))
    })
}

#[no_mangle]
pub unsafe extern "C" fn virNetworkLookupByUUID(conn: virConnectPtr, uuid: *const c_uchar) -> virNetworkPtr {
    entry("virNetworkLookupByUUID", || format!("conn={}, uuid={}", show_ptr(conn), show_ptr(uuid)), |call| {
        let conn = call.connect(conn)?;
        if uuid.is_null() {
            return Err(call.null_arg("uuid"));
        }
        let id = conn.driver.network_lookup_by_uuid(&*(uuid as *const [u8; 16]))?;
        Ok(publish(&conn, id))
    })
}

#[no_mangle]
pub unsafe extern "C" fn virNetworkLookupByUUIDString(conn: virConnectPtr, uuidstr: *const c_char) -> virNetworkPtr {
    entry(
        "virNetworkLookupByUUIDString",
        || format!("conn={}, uuidstr={}", show_ptr(conn), show_str(uuidstr)),
        |call| {
            let conn = call.connect(conn)?;
            let text = call.string(uuidstr, "uuidstr")?;
            let uuid = parse_uuid(text).ok_or_else(|| call.bad_arg("uuidstr", "uuidstr in virNetworkLookupByUUIDString must be a valid UUID"))?;
            let id = conn.driver.network_lookup_by_uuid(&uuid)?;
            Ok(publish(&conn, id))
        },
    )
}

/// The name lives as long as the handle, as in libvirt.
#[no_mangle]
pub unsafe extern "C" fn virNetworkGetName(network: virNetworkPtr) -> *const c_char {
    entry("virNetworkGetName", || format!("network={}", show_ptr(network)), |call| {
        Ok(self::network(call, network)?.id.c_name().as_ptr())
    })
}

#[no_mangle]
pub unsafe extern "C" fn virNetworkGetUUID(network: virNetworkPtr, uuid: *mut c_uchar) -> c_int {
    entry("virNetworkGetUUID", || format!("network={}, uuid={}", show_ptr(network), show_ptr(uuid)), |call| {
        let net = self::network(call, network)?;
        *call.out(uuid as *mut [u8; 16], "uuid")? = net.id.uuid;
        Ok(0)
    })
}

#[no_mangle]
pub unsafe extern "C" fn virNetworkGetUUIDString(network: virNetworkPtr, buf: *mut c_char) -> c_int {
    entry("virNetworkGetUUIDString", || format!("network={}, buf={}", show_ptr(network), show_ptr(buf)), |call| {
        let net = self::network(call, network)?;
        let out = call.out(buf as *mut [u8; 37], "buf")?;
        out[..36].copy_from_slice(format_uuid(&net.id.uuid).as_bytes());
        out[36] = 0;
        Ok(0)
    })
}

/// The network's connection, without a new reference (as in libvirt).
#[no_mangle]
pub unsafe extern "C" fn virNetworkGetConnect(net: virNetworkPtr) -> virConnectPtr {
    entry("virNetworkGetConnect", || format!("network={}", show_ptr(net)), |call| {
        Ok(Arc::as_ptr(&network(call, net)?.conn) as virConnectPtr)
    })
}

#[no_mangle]
pub unsafe extern "C" fn virNetworkGetXMLDesc(network: virNetworkPtr, flags: c_uint) -> *mut c_char {
    entry("virNetworkGetXMLDesc", || format!("network={}, flags=0x{:x}", show_ptr(network), flags), |call| {
        let net = self::network(call, network)?;
        Ok(malloc(&net.conn.driver.network_xml_desc(&net.id, flags)?))
    })
}

#[no_mangle]
pub unsafe extern "C" fn virNetworkIsActive(net: virNetworkPtr) -> c_int {
    entry("virNetworkIsActive", || format!("network={}", show_ptr(net)), |call| {
        let net = network(call, net)?;
        Ok(net.conn.driver.network_is_active(&net.id)? as c_int)
    })
}

#[no_mangle]
pub unsafe extern "C" fn virNetworkIsPersistent(net: virNetworkPtr) -> c_int {
    entry("virNetworkIsPersistent", || format!("network={}", show_ptr(net)), |call| {
        let net = network(call, net)?;
        Ok(net.conn.driver.network_is_persistent(&net.id)? as c_int)
    })
}

#[no_mangle]
pub unsafe extern "C" fn virNetworkGetAutostart(network: virNetworkPtr, autostart: *mut c_int) -> c_int {
    entry("virNetworkGetAutostart", || format!("network={}, autostart={}", show_ptr(network), show_ptr(autostart)), |call| {
        let net = self::network(call, network)?;
        let out = call.out(autostart, "autostart")?;
        *out = net.conn.driver.network_get_autostart(&net.id)? as c_int;
        Ok(0)
    })
}

type Generic = unsafe extern "C" fn(virConnectPtr, virNetworkPtr, *mut c_void);

#[no_mangle]
pub unsafe extern "C" fn virConnectNetworkEventRegisterAny(
    conn: virConnectPtr,
    net: virNetworkPtr,
    eventID: c_int,
    cb: virConnectNetworkEventGenericCallback,
    opaque: *mut c_void,
    freecb: virFreeCallback,
) -> c_int {
    entry(
        "virConnectNetworkEventRegisterAny",
        || format!("conn={}, net={}, eventID={}, cb={:?}, opaque={}, freecb={:?}", show_ptr(conn), show_ptr(net), eventID, cb, show_ptr(opaque), freecb),
        |call| {
            let conn = call.connect(conn)?;
            let cb = cb.ok_or_else(|| call.null_arg("cb"))?;
            call.non_negative("eventID", eventID.into())?;
            let filter = if net.is_null() {
                None
            } else {
                let handle = network(call, net)?;
                // Errors stay with the connection the call was made on.
                call.conn = Some(conn.clone());
                if !Arc::ptr_eq(&handle.conn, &conn) {
                    let message = format!("network '{}' in {} must match connection", handle.id.name, call.name);
                    return Err(call.bad_arg("net", message));
                }
                Some(format_uuid(&handle.id.uuid))
            };
            let last = crate::abi::network::VIR_NETWORK_EVENT_ID_LAST;
            if eventID >= last {
                return Err(call.bad_arg("eventID", format!("eventID in {} must be less than {last}", call.name)));
            }
            let registration = Registration {
                family: Family::Network,
                event_id: eventID,
                func: cb as usize,
                legacy: false,
                filter,
                dispatch: dispatcher(object::address(&conn), cb, Opaque(opaque)),
                opaque,
                free: freecb,
            };
            register_callback(call, &conn, registration)
        },
    )
}

type Lifecycle = unsafe extern "C" fn(virConnectPtr, virNetworkPtr, c_int, c_int, *mut c_void) -> c_int;

/// Calls `cb` with a fresh handle on the event's network, freed when it returns.
fn dispatcher(conn_addr: usize, cb: Generic, opaque: Opaque) -> Box<dyn Fn(&Event) + Send + Sync> {
    Box::new(move |event| {
        // The callback's reference keeps the connection registered.
        let Some(conn) = object::lookup::<Connect>(conn_addr) else { return };
        let (Subject::Network(id), &Detail::Lifecycle { event, detail }) = (&event.subject, &event.detail) else { return };
        let net = publish(&conn, id.clone());
        // SAFETY: lifecycle callbacks are registered as the generic type, as
        // libvirt's API requires (VIR_NETWORK_EVENT_CALLBACK).
        let cb: Lifecycle = unsafe { std::mem::transmute::<Generic, Lifecycle>(cb) };
        // SAFETY: the caller's callback with live handles and its data.
        unsafe { cb(conn_addr as virConnectPtr, net, event, detail, opaque.get()) };
        object::release(net as usize, Class::Network);
    })
}

#[no_mangle]
pub unsafe extern "C" fn virConnectNetworkEventDeregisterAny(conn: virConnectPtr, callbackID: c_int) -> c_int {
    entry(
        "virConnectNetworkEventDeregisterAny",
        || format!("conn={}, callbackID={}", show_ptr(conn), callbackID),
        |call| super::event::deregister_any(call, conn, Family::Network, callbackID),
    )
}

// --- network: the calls that change networks ---

/// virNetworkCreateXML(Flags)'s checks: the XML, then a writable connection.
unsafe fn create_xml(call: &mut Call, conn: virConnectPtr, xml: *const c_char, flags: c_uint) -> Result<virNetworkPtr> {
    let conn = call.connect(conn)?;
    let xml = call.string(xml, "xmlDesc")?;
    call.writable()?;
    let id = conn.driver.network_create_xml(xml, flags)?;
    Ok(publish(&conn, id))
}

/// virNetworkDefineXML(Flags)'s checks: a writable connection, then the XML.
unsafe fn define_xml(call: &mut Call, conn: virConnectPtr, xml: *const c_char, flags: c_uint) -> Result<virNetworkPtr> {
    let conn = call.connect(conn)?;
    call.writable()?;
    let xml = call.string(xml, "xml")?;
    let id = conn.driver.network_define_xml(xml, flags)?;
    Ok(publish(&conn, id))
}

#[no_mangle]
pub unsafe extern "C" fn virNetworkCreateXML(conn: virConnectPtr, xmlDesc: *const c_char) -> virNetworkPtr {
    entry(
        "virNetworkCreateXML",
        || format!("conn={}, xmlDesc={}", show_ptr(conn), show_str(xmlDesc)),
        |call| create_xml(call, conn, xmlDesc, 0),
    )
}

#[no_mangle]
pub unsafe extern "C" fn virNetworkCreateXMLFlags(conn: virConnectPtr, xmlDesc: *const c_char, flags: c_uint) -> virNetworkPtr {
    entry(
        "virNetworkCreateXMLFlags",
        || format!("conn={}, xmlDesc={}, flags=0x{:x}", show_ptr(conn), show_str(xmlDesc), flags),
        |call| create_xml(call, conn, xmlDesc, flags),
    )
}

#[no_mangle]
pub unsafe extern "C" fn virNetworkDefineXML(conn: virConnectPtr, xml: *const c_char) -> virNetworkPtr {
    entry(
        "virNetworkDefineXML",
        || format!("conn={}, xml={}", show_ptr(conn), show_str(xml)),
        |call| define_xml(call, conn, xml, 0),
    )
}

#[no_mangle]
pub unsafe extern "C" fn virNetworkDefineXMLFlags(conn: virConnectPtr, xml: *const c_char, flags: c_uint) -> virNetworkPtr {
    entry(
        "virNetworkDefineXMLFlags",
        || format!("conn={}, xml={}, flags=0x{:x}", show_ptr(conn), show_str(xml), flags),
        |call| define_xml(call, conn, xml, flags),
    )
}

/// The handle of a call that changes its network, once the connection may.
fn writable_network(call: &mut Call, net: virNetworkPtr) -> Result<Arc<Network>> {
    let net = network(call, net)?;
    call.writable()?;
    Ok(net)
}

#[no_mangle]
pub unsafe extern "C" fn virNetworkUndefine(network: virNetworkPtr) -> c_int {
    entry("virNetworkUndefine", || format!("network={}", show_ptr(network)), |call| {
        let net = writable_network(call, network)?;
        net.conn.driver.network_undefine(&net.id).map(|()| 0)
    })
}

#[no_mangle]
pub unsafe extern "C" fn virNetworkCreate(network: virNetworkPtr) -> c_int {
    entry("virNetworkCreate", || format!("network={}", show_ptr(network)), |call| {
        let net = writable_network(call, network)?;
        net.conn.driver.network_create(&net.id).map(|()| 0)
    })
}

#[no_mangle]
pub unsafe extern "C" fn virNetworkDestroy(network: virNetworkPtr) -> c_int {
    entry("virNetworkDestroy", || format!("network={}", show_ptr(network)), |call| {
        let net = writable_network(call, network)?;
        net.conn.driver.network_destroy(&net.id).map(|()| 0)
    })
}

#[no_mangle]
pub unsafe extern "C" fn virNetworkSetAutostart(network: virNetworkPtr, autostart: c_int) -> c_int {
    entry("virNetworkSetAutostart", || format!("network={}, autostart={}", show_ptr(network), autostart), |call| {
        let net = writable_network(call, network)?;
        net.conn.driver.network_set_autostart(&net.id, autostart != 0).map(|()| 0)
    })
}

#[no_mangle]
pub unsafe extern "C" fn virNetworkUpdate(
    network: virNetworkPtr,
    command: c_uint,
    section: c_uint,
    parentIndex: c_int,
    xml: *const c_char,
    flags: c_uint,
) -> c_int {
    entry(
        "virNetworkUpdate",
        || {
            format!(
                "network={}, command={}, section={}, parentIndex={}, xml={}, flags=0x{:x}",
                show_ptr(network),
                command,
                section,
                parentIndex,
                show_str(xml),
                flags
            )
        },
        |call| {
            let net = writable_network(call, network)?;
            let xml = call.string(xml, "xml")?;
            net.conn.driver.network_update(&net.id, command, section, parentIndex, xml, flags).map(|()| 0)
        },
    )
}

/// The bridge's name, malloc'd for the caller.
#[no_mangle]
pub unsafe extern "C" fn virNetworkGetBridgeName(network: virNetworkPtr) -> *mut c_char {
    entry("virNetworkGetBridgeName", || format!("network={}", show_ptr(network)), |call| {
        let net = self::network(call, network)?;
        Ok(malloc(&net.conn.driver.network_bridge_name(&net.id)?))
    })
}
