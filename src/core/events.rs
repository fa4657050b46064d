//! Object events as libvirt delivers them: a driver queues events on its event
//! state; the state's timer, on the application's event loop, dispatches the
//! queue to the callbacks registered on any connection to that driver.
//!
//! As in libvirt: one list of callbacks and one callback numbering (from 0) per
//! driver state, shared by every object family; the timer exists while at least
//! one callback is registered (registering fails without an event loop); events
//! queued while no callback is registered are dropped; a callback removed while
//! it is being dispatched is freed once the dispatch is over.

use crate::abi::virterror::*;
use crate::core::{Error, Result};
use crate::driver::{DomainId, NetworkId, NodeDeviceId};
use parking_lot::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Weak};

/// The object families with events of their own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    Domain,
    Network,
    StoragePool,
    NodeDevice,
    Secret,
}

/// What an event carries besides its object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Detail {
    /// VIR_DOMAIN_EVENT_ID_LIFECYCLE and the other families' lifecycle events.
    Lifecycle { event: i32, detail: i32 },
    /// Events with nothing more to say (VIR_DOMAIN_EVENT_ID_REBOOT, ...).
    Plain,
}

/// The object an event is about, as the handle the callback gets names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Subject {
    Domain(DomainId),
    NodeDevice(NodeDeviceId),
    // --- network ---
    Network(NetworkId),
}

impl Subject {
    /// What a callback's object filter compares (libvirt's event key): a domain's
    /// UUID string, a node device's name.
    pub fn key(&self) -> String {
        match self {
            Subject::Domain(dom) => crate::uuid::format_uuid(&dom.uuid),
            Subject::NodeDevice(dev) => dev.name.clone(),
            Subject::Network(net) => crate::uuid::format_uuid(&net.uuid),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub family: Family,
    /// The family's VIR_*_EVENT_ID_*.
    pub event_id: i32,
    pub subject: Subject,
    pub detail: Detail,
}

impl Event {
    /// A domain lifecycle event (VIR_DOMAIN_EVENT_*, with its detail).
    pub fn lifecycle(domain: DomainId, event: i32, detail: i32) -> Event {
        Event {
            family: Family::Domain,
            event_id: 0,
            subject: Subject::Domain(domain),
            detail: Detail::Lifecycle { event, detail },
        }
    }

    /// A node device lifecycle event (VIR_NODE_DEVICE_EVENT_*): its handle knows
    /// only the name, as libvirt's does.
    pub fn node_device_lifecycle(name: &str, event: i32, detail: i32) -> Event {
        Event {
            family: Family::NodeDevice,
            event_id: crate::abi::nodedev::VIR_NODE_DEVICE_EVENT_ID_LIFECYCLE,
            subject: Subject::NodeDevice(NodeDeviceId::new(name, None)),
            detail: Detail::Lifecycle { event, detail },
        }
    }

    // --- network ---
    /// A network lifecycle event (VIR_NETWORK_EVENT_*, with its detail).
    pub fn network(net: NetworkId, event: i32, detail: i32) -> Event {
        Event {
            family: Family::Network,
            event_id: crate::abi::network::VIR_NETWORK_EVENT_ID_LIFECYCLE,
            subject: Subject::Network(net),
            detail: Detail::Lifecycle { event, detail },
        }
    }

    /// The domain of a domain event.
    pub fn domain(&self) -> Option<&DomainId> {
        match &self.subject {
            Subject::Domain(dom) => Some(dom),
            _ => None,
        }
    }
}

/// The event loop's timers, as the C layer reaches them (virEventAddTimeout, ...).
pub trait Timers: Send + Sync {
    /// A new timer running `fire`, or a negative number when there is no loop.
    fn add(&self, interval: i32, fire: Box<dyn Fn() + Send + Sync>) -> i32;
    fn update(&self, timer: i32, interval: i32);
    fn remove(&self, timer: i32);
}

/// What identifies a registration for libvirt's duplicate check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Key {
    /// The connection's address.
    pub conn: usize,
    pub family: Family,
    pub event_id: i32,
    /// The C callback's address.
    pub func: usize,
    /// Registered through virConnectDomainEventRegister.
    pub legacy: bool,
    /// Only events of the object with this key (see [`Subject::key`]).
    pub filter: Option<String>,
}

/// One registered callback. Dropping the last reference runs its free function.
pub struct Callback {
    pub key: Key,
    dispatch: Box<dyn Fn(&Event) + Send + Sync>,
    free: Mutex<Option<Box<dyn FnOnce() + Send>>>,
    deleted: AtomicBool,
}

impl Callback {
    /// `free` runs once the callback is deregistered and no dispatch of it runs.
    pub fn new(key: Key, dispatch: Box<dyn Fn(&Event) + Send + Sync>, free: Box<dyn FnOnce() + Send>) -> Callback {
        Callback { key, dispatch, free: Mutex::new(Some(free)), deleted: AtomicBool::new(false) }
    }

    fn wants(&self, event: &Event) -> bool {
        let key = &self.key;
        !self.deleted.load(Ordering::SeqCst)
            && key.family == event.family
            && key.event_id == event.event_id
            && key.filter.as_ref().map_or(true, |k| *k == event.subject.key())
    }
}

impl Drop for Callback {
    fn drop(&mut self) {
        if let Some(free) = self.free.get_mut().take() {
            free();
        }
    }
}

struct Registered {
    id: i32,
    callback: Arc<Callback>,
}

struct Inner {
    callbacks: Vec<Registered>,
    next_id: i32,
    queue: Vec<Event>,
    /// -1 while there is no timer.
    timer: i32,
    timers: Option<Arc<dyn Timers>>,
}

pub struct EventState {
    inner: Mutex<Inner>,
    /// Itself, for the timer's callback.
    this: Weak<EventState>,
}

impl std::fmt::Debug for EventState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let inner = self.inner.lock();
        write!(f, "EventState {{ callbacks: {}, queued: {} }}", inner.callbacks.len(), inner.queue.len())
    }
}

impl EventState {
    pub fn new() -> Arc<EventState> {
        Arc::new_cyclic(|this| EventState {
            inner: Mutex::new(Inner { callbacks: Vec::new(), next_id: 0, queue: Vec::new(), timer: -1, timers: None }),
            this: this.clone(),
        })
    }

    /// Registers `callback` and returns its id. On failure the callback's free
    /// function does not run: the caller keeps what it gave.
    pub fn register(&self, callback: Callback, timers: Arc<dyn Timers>) -> Result<i32> {
        let callback = Arc::new(callback);
        let result = self.add(callback.clone(), timers);
        if result.is_err() {
            callback.free.lock().take();
        }
        result
    }

    fn add(&self, callback: Arc<Callback>, timers: Arc<dyn Timers>) -> Result<i32> {
        let mut inner = self.inner.lock();
        if inner.callbacks.is_empty() && inner.timer == -1 {
            let this = self.this.clone();
            let timer = timers.add(-1, Box::new(move || {
                if let Some(state) = this.upgrade() {
                    state.flush();
                }
            }));
            if timer < 0 {
                return Err(Error::internal(VIR_FROM_NONE, "could not initialize domain event timer"));
            }
            inner.timer = timer;
            inner.timers = Some(timers);
        }
        if inner.callbacks.iter().any(|r| r.callback.key == callback.key) {
            return Err(Error::invalid_arg(VIR_FROM_NONE, "event callback already tracked"));
        }
        let id = inner.next_id;
        inner.next_id += 1;
        inner.callbacks.push(Registered { id, callback });
        Ok(id)
    }

    /// virConnect*EventDeregisterAny: the callback `id` of connection `conn`.
    pub fn deregister(&self, conn: usize, id: i32) -> Result<()> {
        self.remove(|r| r.id == id && r.callback.key.conn == conn)
            .ok_or_else(|| Error::invalid_arg(VIR_FROM_NONE, format!("could not find event callback {id} for deletion")))
    }

    /// virConnectDomainEventDeregister: the legacy callback `func` of `conn`.
    pub fn deregister_legacy(&self, conn: usize, func: usize) -> Result<()> {
        self.remove(|r| r.callback.key.legacy && r.callback.key.conn == conn && r.callback.key.func == func)
            .ok_or_else(|| {
                Error::invalid_arg(VIR_FROM_NONE, format!("event callback function {:#x} not registered", func))
            })
    }

    fn remove(&self, which: impl Fn(&Registered) -> bool) -> Option<()> {
        let (removed, timer) = {
            let mut inner = self.inner.lock();
            let at = inner.callbacks.iter().position(which)?;
            let removed = inner.callbacks.remove(at);
            removed.callback.deleted.store(true, Ordering::SeqCst);
            let mut timer = None;
            if inner.callbacks.is_empty() && inner.timer != -1 {
                timer = inner.timers.take().map(|timers| (timers, inner.timer));
                inner.timer = -1;
                inner.queue.clear();
            }
            (removed, timer)
        };
        if let Some((timers, timer)) = timer {
            timers.remove(timer);
        }
        // The free function runs here unless a dispatch still holds the callback.
        drop(removed);
        Some(())
    }

    /// Queues events for the next turn of the event loop.
    pub fn queue(&self, events: Vec<Event>) {
        if events.is_empty() {
            return;
        }
        let wake = {
            let mut inner = self.inner.lock();
            if inner.timer == -1 {
                return;
            }
            inner.queue.extend(events);
            inner.timers.clone().map(|timers| (timers, inner.timer))
        };
        if let Some((timers, timer)) = wake {
            timers.update(timer, 0);
        }
    }

    /// Dispatches the queued events, each to every callback that wants it, in
    /// registration order.
    pub fn flush(&self) {
        let (queue, callbacks, timer) = {
            let mut inner = self.inner.lock();
            let queue = std::mem::take(&mut inner.queue);
            let callbacks: Vec<Arc<Callback>> = inner.callbacks.iter().map(|r| r.callback.clone()).collect();
            (queue, callbacks, inner.timers.clone().map(|timers| (timers, inner.timer)))
        };
        if let Some((timers, timer)) = timer {
            timers.update(timer, -1);
        }
        for event in &queue {
            for callback in callbacks.iter().filter(|cb| cb.wants(event)) {
                (callback.dispatch)(event);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicI32;

    /// Timers that only record what was asked of them.
    #[derive(Default)]
    struct FakeTimers {
        fire: Mutex<Option<Box<dyn Fn() + Send + Sync>>>,
        interval: AtomicI32,
        refuse: bool,
    }

    impl Timers for FakeTimers {
        fn add(&self, interval: i32, fire: Box<dyn Fn() + Send + Sync>) -> i32 {
            if self.refuse {
                return -1;
            }
            *self.fire.lock() = Some(fire);
            self.interval.store(interval, Ordering::SeqCst);
            7
        }
        fn update(&self, _timer: i32, interval: i32) {
            self.interval.store(interval, Ordering::SeqCst);
        }
        fn remove(&self, _timer: i32) {
            *self.fire.lock() = None;
        }
    }

    fn key(conn: usize, func: usize) -> Key {
        Key { conn, family: Family::Domain, event_id: 0, func, legacy: false, filter: None }
    }

    fn recorder(log: &Arc<Mutex<Vec<String>>>, name: &'static str) -> Callback {
        let (seen, freed) = (log.clone(), log.clone());
        Callback::new(
            key(1, name.len()),
            Box::new(move |e| seen.lock().push(format!("{name} {} {:?}", e.domain().unwrap().name, e.detail))),
            Box::new(move || freed.lock().push(format!("free {name}"))),
        )
    }

    #[test]
    fn ids_count_from_zero_and_duplicates_are_refused() {
        let state = EventState::new();
        let timers = Arc::new(FakeTimers::default());
        let log = Arc::new(Mutex::new(Vec::new()));
        assert_eq!(state.register(recorder(&log, "a"), timers.clone()).unwrap(), 0);
        let err = state.register(recorder(&log, "a"), timers.clone()).unwrap_err();
        assert_eq!(err.message, "invalid argument: event callback already tracked");
        assert_eq!(state.register(recorder(&log, "bb"), timers.clone()).unwrap(), 1);
        assert!(log.lock().is_empty(), "a refused callback is not freed");
        let err = state.deregister(1, 5).unwrap_err();
        assert_eq!(err.message, "invalid argument: could not find event callback 5 for deletion");
        assert!(state.deregister(2, 0).is_err(), "another connection's callback");
        state.deregister(1, 0).unwrap();
        assert_eq!(log.lock().as_slice(), ["free a"]);
    }

    #[test]
    fn events_wait_for_the_loop_and_go_to_every_matching_callback() {
        let state = EventState::new();
        let timers = Arc::new(FakeTimers::default());
        let log = Arc::new(Mutex::new(Vec::new()));
        state.queue(vec![Event::lifecycle(DomainId::new("early", [0; 16], 1), 0, 0)]);
        state.register(recorder(&log, "a"), timers.clone()).unwrap();
        assert_eq!(timers.interval.load(Ordering::SeqCst), -1);
        let mut filtered = recorder(&log, "bb");
        filtered.key.filter = Some(crate::uuid::format_uuid(&[1; 16]));
        state.register(filtered, timers.clone()).unwrap();
        state.queue(vec![
            Event::lifecycle(DomainId::new("x", [0; 16], 1), 2, 0),
            Event::lifecycle(DomainId::new("y", [1; 16], 2), 3, 0),
        ]);
        assert_eq!(timers.interval.load(Ordering::SeqCst), 0);
        assert!(log.lock().is_empty());
        (timers.fire.lock().as_ref().unwrap())();
        assert_eq!(timers.interval.load(Ordering::SeqCst), -1);
        let detail = |e, d| format!("{:?}", Detail::Lifecycle { event: e, detail: d });
        assert_eq!(
            log.lock().as_slice(),
            [format!("a x {}", detail(2, 0)), format!("a y {}", detail(3, 0)), format!("bb y {}", detail(3, 0))]
        );
        state.deregister(1, 0).unwrap();
        state.deregister(1, 1).unwrap();
        assert!(timers.fire.lock().is_none(), "the last deregistration removes the timer");
    }

    #[test]
    fn without_an_event_loop_registration_fails() {
        let state = EventState::new();
        let timers = Arc::new(FakeTimers { refuse: true, ..Default::default() });
        let log = Arc::new(Mutex::new(Vec::new()));
        let err = state.register(recorder(&log, "a"), timers).unwrap_err();
        assert_eq!((err.code, err.domain), (VIR_ERR_INTERNAL_ERROR, VIR_FROM_NONE));
        assert_eq!(err.message, "internal error: could not initialize domain event timer");
        assert!(log.lock().is_empty());
    }

    #[test]
    fn legacy_callbacks_are_removed_by_function() {
        let state = EventState::new();
        let timers = Arc::new(FakeTimers::default());
        let log = Arc::new(Mutex::new(Vec::new()));
        let mut legacy = recorder(&log, "a");
        legacy.key.legacy = true;
        state.register(legacy, timers.clone()).unwrap();
        state.register(recorder(&log, "a"), timers.clone()).unwrap();
        let err = state.deregister_legacy(1, 0x99).unwrap_err();
        assert_eq!(err.message, "invalid argument: event callback function 0x99 not registered");
        state.deregister_legacy(1, 1).unwrap();
        assert!(state.deregister_legacy(1, 1).is_err());
        assert!(state.deregister(1, 1).is_ok());
    }
}
