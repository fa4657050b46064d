//! libvirt-domain.h: domain events. Callbacks run on the application's event
//! loop, each with a fresh domain handle that is freed when it returns, and with
//! the C signature its event ID has.

use super::domain::{domain, entry, publish};
use super::event::{deregister_callback, register_callback, Opaque, Registration};
use super::guard::{show_ptr, Call};
use crate::abi::callbacks::*;
use crate::abi::domain::*;
use crate::abi::types::*;
use crate::core::events::{Detail, Event, Family};
use crate::core::object::{self, Class};
use crate::core::{Connect, Result};
use std::os::raw::{c_int, c_void};
use std::sync::Arc;

type Generic = unsafe extern "C" fn(virConnectPtr, virDomainPtr, *mut c_void);
type Lifecycle = unsafe extern "C" fn(virConnectPtr, virDomainPtr, c_int, c_int, *mut c_void) -> c_int;

/// Calls `cb`, registered for `event_id`, with `event` as the C signature of that
/// event ID wants it. Events whose payload the ID does not take are not delivered.
fn dispatcher(conn_addr: usize, event_id: c_int, cb: Generic, opaque: Opaque) -> Box<dyn Fn(&Event) + Send + Sync> {
    Box::new(move |event| {
        // The callback's reference keeps the connection registered.
        let Some(conn) = object::lookup::<Connect>(conn_addr) else { return };
        let conn_ptr = conn_addr as virConnectPtr;
        let Some(dom) = event.domain() else { return };
        let dom = publish(&conn, dom.clone());
        match (event_id, &event.detail) {
            (VIR_DOMAIN_EVENT_ID_LIFECYCLE, &Detail::Lifecycle { event, detail }) => {
                // SAFETY: a lifecycle callback was registered as the generic type,
                // as libvirt's API requires (VIR_DOMAIN_EVENT_CALLBACK).
                let cb: Lifecycle = unsafe { std::mem::transmute::<Generic, Lifecycle>(cb) };
                // SAFETY: the caller's callback with live handles and its data.
                unsafe { cb(conn_ptr, dom, event, detail, opaque.get()) };
            }
            (VIR_DOMAIN_EVENT_ID_REBOOT | VIR_DOMAIN_EVENT_ID_CONTROL_ERROR, Detail::Plain) => {
                // SAFETY: as above; these IDs have the generic signature.
                unsafe { cb(conn_ptr, dom, opaque.get()) };
            }
            _ => {}
        }
        object::release(dom as usize, Class::Domain);
    })
}

/// The checks libvirt makes before a domain filter is used: a live handle of the
/// same connection.
fn filter(call: &mut Call, conn: &Arc<Connect>, dom: virDomainPtr) -> Result<Option<String>> {
    if dom.is_null() {
        return Ok(None);
    }
    let handle = domain(call, dom)?;
    // Errors stay with the connection the call was made on.
    call.conn = Some(conn.clone());
    if !Arc::ptr_eq(&handle.conn, conn) {
        return Err(call.bad_arg("dom", format!("domain '{}' must match connection", handle.id.name)));
    }
    Ok(Some(crate::uuid::format_uuid(&handle.id.uuid)))
}

#[no_mangle]
pub unsafe extern "C" fn virConnectDomainEventRegisterAny(
    conn: virConnectPtr,
    dom: virDomainPtr,
    eventID: c_int,
    cb: virConnectDomainEventGenericCallback,
    opaque: *mut c_void,
    freecb: virFreeCallback,
) -> c_int {
    entry(
        "virConnectDomainEventRegisterAny",
        || format!("conn={}, dom={}, eventID={}, cb={:?}, opaque={}, freecb={:?}", show_ptr(conn), show_ptr(dom), eventID, cb, show_ptr(opaque), freecb),
        |call| {
            let conn = call.connect(conn)?;
            let cb = cb.ok_or_else(|| call.null_arg("cb"))?;
            call.non_negative("eventID", eventID.into())?;
            let filter = filter(call, &conn, dom)?;
            if eventID >= VIR_DOMAIN_EVENT_ID_LAST {
                return Err(call.bad_arg("eventID", format!("eventID must be less than {VIR_DOMAIN_EVENT_ID_LAST}")));
            }
            let opaque = Opaque(opaque);
            let registration = Registration {
                family: Family::Domain,
                event_id: eventID,
                func: cb as usize,
                legacy: false,
                filter,
                dispatch: dispatcher(object::address(&conn), eventID, cb, opaque),
                opaque: opaque.get(),
                free: freecb,
            };
            register_callback(call, &conn, registration)
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virConnectDomainEventDeregisterAny(conn: virConnectPtr, callbackID: c_int) -> c_int {
    entry(
        "virConnectDomainEventDeregisterAny",
        || format!("conn={}, callbackID={}", show_ptr(conn), callbackID),
        |call| {
            let conn = call.connect(conn)?;
            deregister_callback(call, &conn, Family::Domain, callbackID)
        },
    )
}

/// The first event API: lifecycle events only, the callback itself names the
/// registration, and success is 0 (the id it takes is not shown).
#[no_mangle]
pub unsafe extern "C" fn virConnectDomainEventRegister(
    conn: virConnectPtr,
    cb: virConnectDomainEventCallback,
    opaque: *mut c_void,
    freecb: virFreeCallback,
) -> c_int {
    entry(
        "virConnectDomainEventRegister",
        || format!("conn={}, cb={:?}, opaque={}, freecb={:?}", show_ptr(conn), cb, show_ptr(opaque), freecb),
        |call| {
            let conn = call.connect(conn)?;
            let cb = cb.ok_or_else(|| call.null_arg("cb"))?;
            // SAFETY: only ever called back through the lifecycle signature it has.
            let generic = std::mem::transmute::<Lifecycle, Generic>(cb);
            let opaque = Opaque(opaque);
            let registration = Registration {
                family: Family::Domain,
                event_id: VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                func: cb as usize,
                legacy: true,
                filter: None,
                dispatch: dispatcher(object::address(&conn), VIR_DOMAIN_EVENT_ID_LIFECYCLE, generic, opaque),
                opaque: opaque.get(),
                free: freecb,
            };
            register_callback(call, &conn, registration).map(|_| 0)
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virConnectDomainEventDeregister(conn: virConnectPtr, cb: virConnectDomainEventCallback) -> c_int {
    entry(
        "virConnectDomainEventDeregister",
        || format!("conn={}, cb={:?}", show_ptr(conn), cb),
        |call| {
            let conn = call.connect(conn)?;
            let cb = cb.ok_or_else(|| call.null_arg("cb"))?;
            let events = conn.driver.event_state(Family::Domain).ok_or_else(|| crate::core::Error::no_support(call.name))?;
            events.deregister_legacy(object::address(&conn), cb as usize)?;
            Ok(0)
        },
    )
}
