//! libvirt-network.h: networks and their ports.

use super::guard::{guard, show_ptr, show_str, unreported, Call};
use super::strings::malloc;
use crate::abi::types::*;
use crate::abi::virterror::*;
use crate::core::connect::{Network, NetworkPort};
use crate::core::{object, Child, Connect, Error, Result};
use crate::driver::NetworkId;
use crate::uuid::{format_uuid, parse_uuid};
use std::os::raw::{c_char, c_int, c_uchar, c_uint};
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
            let uuid = parse_uuid(text).ok_or_else(|| call.bad_arg("uuidstr", "Invalid UUID"))?;
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

#[no_mangle]
pub unsafe extern "C" fn virConnectNetworkEventRegisterAny(
    conn: virConnectPtr,
    net: virNetworkPtr,
    eventID: c_int,
    cb: crate::abi::callbacks::virConnectNetworkEventGenericCallback,
    opaque: *mut std::os::raw::c_void,
    freecb: crate::abi::callbacks::virFreeCallback,
) -> c_int {
    entry(
        "virConnectNetworkEventRegisterAny",
        || format!("conn={}, net={}, eventID={}, cb={:?}, opaque={}, freecb={:?}", show_ptr(conn), show_ptr(net), eventID, cb, show_ptr(opaque), freecb),
        |call| {
            let family = crate::core::events::Family::Network;
            let last = crate::abi::network::VIR_NETWORK_EVENT_ID_LAST;
            let cb = cb.map(|f| f as usize);
            super::event::register_any::<crate::core::connect::Network>(call, conn, net, family, eventID, last, cb, opaque, freecb)
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virConnectNetworkEventDeregisterAny(conn: virConnectPtr, callbackID: c_int) -> c_int {
    entry(
        "virConnectNetworkEventDeregisterAny",
        || format!("conn={}, callbackID={}", show_ptr(conn), callbackID),
        |call| super::event::deregister_any(call, conn, crate::core::events::Family::Network, callbackID),
    )
}
