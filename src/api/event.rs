//! libvirt-event.h: the event loop. A program registers its own loop
//! (virEventRegisterImpl) or libvirt's (virEventRegisterDefaultImpl, which it then
//! runs with virEventRunDefaultImpl; core::event_loop implements it). The first
//! registration wins; virEventAddHandle and the others forward to it, and without
//! one they fail (-1) or do nothing, without an error, as in libvirt.

use super::guard::{guard, unreported, CHandle, Call};
use crate::abi::callbacks::*;
use crate::abi::virterror::*;
use crate::core::event_loop::{EventLoop, FreeCallback};
use crate::core::events::{Callback, Event, Family, Key, Timers};
use crate::core::object::{self, Class, Object};
use crate::abi::types::virConnectPtr;
use crate::core::{Connect, Error, Result};
use once_cell::sync::OnceCell;
use parking_lot::Mutex;
use std::os::raw::{c_int, c_void};
use std::sync::{Arc, Once};

#[track_caller]
fn entry<T: super::guard::Failure>(
    name: &'static str,
    args: impl FnOnce() -> String,
    body: impl FnOnce(&mut Call) -> Result<T>,
) -> T {
    guard(VIR_FROM_EVENT, name, args, body)
}

/// The registered implementation's functions.
#[derive(Clone, Copy)]
struct Impl {
    add_handle: virEventAddHandleFunc,
    update_handle: virEventUpdateHandleFunc,
    remove_handle: virEventRemoveHandleFunc,
    add_timeout: virEventAddTimeoutFunc,
    update_timeout: virEventUpdateTimeoutFunc,
    remove_timeout: virEventRemoveTimeoutFunc,
}

impl Impl {
    /// libvirt counts an implementation as registered once any function is set.
    fn is_set(&self) -> bool {
        self.add_handle.is_some()
            || self.update_handle.is_some()
            || self.remove_handle.is_some()
            || self.add_timeout.is_some()
            || self.update_timeout.is_some()
            || self.remove_timeout.is_some()
    }
}

static IMPL: Mutex<Impl> = Mutex::new(Impl {
    add_handle: None,
    update_handle: None,
    remove_handle: None,
    add_timeout: None,
    update_timeout: None,
    remove_timeout: None,
});

/// The functions to call, copied out so none runs under the lock.
fn registered() -> Impl {
    *IMPL.lock()
}

fn register(functions: Impl) {
    let mut current = IMPL.lock();
    if current.is_set() {
        crate::log::warning("util.event", "virEventRegisterImpl", line!(), || {
            "Ignoring attempt to replace registered event loop".to_owned()
        });
        return;
    }
    *current = functions;
}

/// The default loop, made on first use: virEventRunDefaultImpl runs it even when
/// another implementation was registered, as libvirt runs GLib's default context.
fn default_loop() -> Result<&'static EventLoop> {
    static DEFAULT: OnceCell<EventLoop> = OnceCell::new();
    DEFAULT.get_or_try_init(|| {
        EventLoop::new()
            .map_err(|e| Error::system(VIR_FROM_EVENT, e.raw_os_error().unwrap_or(0), "Unable to create the event loop's wake-up pipe"))
    })
}

/// A C callback's opaque pointer, which the loop may hand to another thread, as
/// libvirt's does.
#[derive(Clone, Copy)]
pub struct Opaque(pub *mut c_void);
// SAFETY: never dereferenced by us; only passed back to the caller's callbacks.
unsafe impl Send for Opaque {}
unsafe impl Sync for Opaque {}

impl Opaque {
    // A method, so that closures capture the whole (Send) struct, not the pointer.
    pub fn get(self) -> *mut c_void {
        self.0
    }
}

fn free_callback(ff: virFreeCallback, opaque: *mut c_void) -> Option<FreeCallback> {
    let (ff, opaque) = (ff?, Opaque(opaque));
    // SAFETY: the caller gave us `ff` to call once with `opaque` when the entry goes.
    Some(Box::new(move || unsafe { ff(opaque.get()) }))
}

// The default implementation's six functions, which virEventRegisterDefaultImpl
// registers like any other implementation.

unsafe extern "C" fn default_add_handle(
    fd: c_int,
    events: c_int,
    cb: virEventHandleCallback,
    opaque: *mut c_void,
    ff: virFreeCallback,
) -> c_int {
    unreported(|| {
        let Ok(events_loop) = default_loop() else { return -1 };
        let data = Opaque(opaque);
        let callback = Box::new(move |watch, fd, events| {
            if let Some(cb) = cb {
                // SAFETY: the caller's callback, with the data it registered.
                unsafe { cb(watch, fd, events, data.get()) }
            }
        });
        events_loop.add_handle(fd, events, callback, free_callback(ff, opaque))
    })
}

unsafe extern "C" fn default_update_handle(watch: c_int, events: c_int) {
    unreported(|| {
        if let Ok(events_loop) = default_loop() {
            events_loop.update_handle(watch, events);
        }
    })
}

unsafe extern "C" fn default_remove_handle(watch: c_int) -> c_int {
    unreported(|| match default_loop() {
        Ok(events_loop) if events_loop.remove_handle(watch) => 0,
        _ => -1,
    })
}

unsafe extern "C" fn default_add_timeout(
    timeout: c_int,
    cb: virEventTimeoutCallback,
    opaque: *mut c_void,
    ff: virFreeCallback,
) -> c_int {
    unreported(|| {
        let Ok(events_loop) = default_loop() else { return -1 };
        let data = Opaque(opaque);
        let callback = Box::new(move |timer| {
            if let Some(cb) = cb {
                // SAFETY: the caller's callback, with the data it registered.
                unsafe { cb(timer, data.get()) }
            }
        });
        events_loop.add_timeout(timeout, callback, free_callback(ff, opaque))
    })
}

unsafe extern "C" fn default_update_timeout(timer: c_int, timeout: c_int) {
    unreported(|| {
        if let Ok(events_loop) = default_loop() {
            events_loop.update_timeout(timer, timeout);
        }
    })
}

unsafe extern "C" fn default_remove_timeout(timer: c_int) -> c_int {
    unreported(|| match default_loop() {
        Ok(events_loop) if events_loop.remove_timeout(timer) => 0,
        _ => -1,
    })
}

#[no_mangle]
pub unsafe extern "C" fn virEventRegisterImpl(
    addHandle: virEventAddHandleFunc,
    updateHandle: virEventUpdateHandleFunc,
    removeHandle: virEventRemoveHandleFunc,
    addTimeout: virEventAddTimeoutFunc,
    updateTimeout: virEventUpdateTimeoutFunc,
    removeTimeout: virEventRemoveTimeoutFunc,
) {
    unreported(|| {
        register(Impl {
            add_handle: addHandle,
            update_handle: updateHandle,
            remove_handle: removeHandle,
            add_timeout: addTimeout,
            update_timeout: updateTimeout,
            remove_timeout: removeTimeout,
        })
    })
}

#[no_mangle]
pub unsafe extern "C" fn virEventRegisterDefaultImpl() -> c_int {
    entry("virEventRegisterDefaultImpl", String::new, |call| {
        call.initialize()?;
        default_loop()?;
        // Only the first call registers (and so may warn that a loop is there).
        static REGISTERED: Once = Once::new();
        REGISTERED.call_once(|| {
            register(Impl {
                add_handle: Some(default_add_handle),
                update_handle: Some(default_update_handle),
                remove_handle: Some(default_remove_handle),
                add_timeout: Some(default_add_timeout),
                update_timeout: Some(default_update_timeout),
                remove_timeout: Some(default_remove_timeout),
            })
        });
        Ok(0)
    })
}

/// One iteration of the default loop; blocks while nothing is due or ready.
#[no_mangle]
pub unsafe extern "C" fn virEventRunDefaultImpl() -> c_int {
    entry("virEventRunDefaultImpl", String::new, |_| {
        default_loop()?.run_once()?;
        Ok(0)
    })
}

#[no_mangle]
pub unsafe extern "C" fn virEventAddHandle(
    fd: c_int,
    events: c_int,
    cb: virEventHandleCallback,
    opaque: *mut c_void,
    ff: virFreeCallback,
) -> c_int {
    unreported(|| registered().add_handle.map_or(-1, |add| add(fd, events, cb, opaque, ff)))
}

#[no_mangle]
pub unsafe extern "C" fn virEventUpdateHandle(watch: c_int, events: c_int) {
    unreported(|| {
        if let Some(update) = registered().update_handle {
            update(watch, events);
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn virEventRemoveHandle(watch: c_int) -> c_int {
    unreported(|| registered().remove_handle.map_or(-1, |remove| remove(watch)))
}

#[no_mangle]
pub unsafe extern "C" fn virEventAddTimeout(
    timeout: c_int,
    cb: virEventTimeoutCallback,
    opaque: *mut c_void,
    ff: virFreeCallback,
) -> c_int {
    unreported(|| registered().add_timeout.map_or(-1, |add| add(timeout, cb, opaque, ff)))
}

#[no_mangle]
pub unsafe extern "C" fn virEventUpdateTimeout(timer: c_int, timeout: c_int) {
    unreported(|| {
        if let Some(update) = registered().update_timeout {
            update(timer, timeout);
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn virEventRemoveTimeout(timer: c_int) -> c_int {
    unreported(|| registered().remove_timeout.map_or(-1, |remove| remove(timer)))
}

/// The event loop's timers as object events use them: through virEventAddTimeout
/// and the others, so on whichever loop the application registered.
struct LoopTimers;

type TimerFn = Box<dyn Fn() + Send + Sync>;

unsafe extern "C" fn fire_timer(_timer: c_int, opaque: *mut c_void) {
    // SAFETY: `opaque` is the TimerFn box that add() leaked for this timer.
    unreported(|| (*(opaque as *const TimerFn))())
}

unsafe extern "C" fn free_timer(opaque: *mut c_void) {
    // SAFETY: as in fire_timer; the loop calls this once, after the last firing.
    unreported(|| drop(Box::from_raw(opaque as *mut TimerFn)))
}

impl Timers for LoopTimers {
    fn add(&self, interval: i32, fire: TimerFn) -> i32 {
        let data = Box::into_raw(Box::new(fire)) as *mut c_void;
        // SAFETY: the loop gets a callback and data that stay valid until it frees them.
        let timer = unsafe { virEventAddTimeout(interval, Some(fire_timer), data, Some(free_timer)) };
        if timer < 0 {
            // SAFETY: refused, so the loop kept no reference to `data`.
            drop(unsafe { Box::from_raw(data as *mut TimerFn) });
        }
        timer
    }
    fn update(&self, timer: i32, interval: i32) {
        // SAFETY: plain integers.
        unsafe { virEventUpdateTimeout(timer, interval) }
    }
    fn remove(&self, timer: i32) {
        // SAFETY: plain integers.
        unsafe { virEventRemoveTimeout(timer) };
    }
}

/// What one virConnect*EventRegister* call asks for, once its arguments are checked.
pub struct Registration {
    pub family: Family,
    pub event_id: c_int,
    /// The C callback's address, for libvirt's duplicate check.
    pub func: usize,
    pub legacy: bool,
    pub filter: Option<String>,
    pub dispatch: Box<dyn Fn(&Event) + Send + Sync>,
    pub opaque: *mut c_void,
    pub free: virFreeCallback,
}

/// Registers a callback on the connection's driver: the callback id, or
/// VIR_ERR_NO_SUPPORT when the driver has no such events. The callback holds a
/// reference on the connection until it is deregistered, as in libvirt.
pub fn register_callback(call: &Call, conn: &Arc<Connect>, r: Registration) -> Result<c_int> {
    let events = conn.driver.event_state(r.family).ok_or_else(|| Error::no_support(call.name))?;
    let conn_addr = object::address(conn);
    object::add_ref(conn_addr, Class::Connect);
    let (ff, opaque) = (r.free, Opaque(r.opaque));
    let free = Box::new(move || {
        if let Some(ff) = ff {
            // SAFETY: the caller's free function, called once with its data.
            unsafe { ff(opaque.get()) }
        }
        object::release(conn_addr, Class::Connect);
    });
    let key = Key { conn: conn_addr, family: r.family, event_id: r.event_id, func: r.func, legacy: r.legacy, filter: r.filter };
    let registered = events.register(Callback::new(key, r.dispatch, free), Arc::new(LoopTimers));
    if registered.is_err() {
        object::release(conn_addr, Class::Connect);
    }
    registered
}

/// virConnect*EventDeregisterAny: any family's callback of this connection.
pub fn deregister_callback(call: &Call, conn: &Arc<Connect>, family: Family, callback_id: c_int) -> Result<c_int> {
    call.non_negative("callbackID", callback_id.into())?;
    let events = conn.driver.event_state(family).ok_or_else(|| Error::no_support(call.name))?;
    events.deregister(object::address(conn), callback_id)?;
    Ok(0)
}

/// virConnect{Network,StoragePool,NodeDevice,Secret}EventRegisterAny, which check
/// their arguments alike. No driver raises these events yet, so nothing is
/// dispatched; and as no handle of these classes exists yet, a filter object can
/// only be refused as an invalid pointer.
///
/// # Safety
/// `object` is NULL or a pointer C got from us (it is only looked up).
#[allow(clippy::too_many_arguments)]
pub unsafe fn register_any<T: Object + CHandle>(
    call: &mut Call,
    conn: virConnectPtr,
    object: *mut T::C,
    family: Family,
    event_id: c_int,
    last: c_int,
    cb: Option<usize>,
    opaque: *mut c_void,
    free: virFreeCallback,
) -> Result<c_int> {
    let conn = call.connect(conn)?;
    let func = cb.ok_or_else(|| call.null_arg("cb"))?;
    call.non_negative("eventID", event_id.into())?;
    if !object.is_null() {
        call.child::<T>(object, T::CLASS.invalid().0)?;
    }
    if event_id >= last {
        return Err(call.bad_arg("eventID", format!("eventID in {} must be less than {last}", call.name)));
    }
    let registration =
        Registration { family, event_id, func, legacy: false, filter: None, dispatch: Box::new(|_| {}), opaque, free };
    register_callback(call, &conn, registration)
}

/// The deregistration of the families of [`register_any`].
pub fn deregister_any(call: &mut Call, conn: virConnectPtr, family: Family, callback_id: c_int) -> Result<c_int> {
    let conn = call.connect(conn)?;
    deregister_callback(call, &conn, family, callback_id)
}
