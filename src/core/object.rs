//! The registry of objects handed to C. A pointer C gives back is only ever looked
//! up here, never dereferenced, so a NULL, freed or foreign pointer, or a handle of
//! the wrong class, is an error rather than a crash. Reference counts follow
//! libvirt's: every child object (domain, network, ...) holds one reference on its
//! connection, so virConnectClose reports those too.

use once_cell::sync::Lazy;
use parking_lot::Mutex;
use std::any::Any;
use std::collections::HashMap;
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Class {
    Connect,
    Domain,
    Network,
    NetworkPort,
    Interface,
    StoragePool,
    StorageVol,
    NodeDevice,
    Secret,
    NWFilter,
    NWFilterBinding,
    Stream,
    DomainSnapshot,
    DomainCheckpoint,
}

/// A Rust type that C sees as one libvirt handle class.
pub trait Object: Any + Send + Sync {
    const CLASS: Class;
    /// The connection this object keeps alive, if it is not one itself.
    fn parent(&self) -> Option<&Arc<crate::core::Connect>>;
}

struct Slot {
    class: Class,
    object: Arc<dyn Any + Send + Sync>,
    refs: usize,
    parent: Option<usize>,
}

static OBJECTS: Lazy<Mutex<HashMap<usize, Slot>>> = Lazy::new(|| Mutex::new(HashMap::new()));

fn address<T>(object: &Arc<T>) -> usize {
    Arc::as_ptr(object) as *const u8 as usize
}

/// Hands `object` to C with one reference; the returned address is the C pointer.
pub fn publish<T: Object>(object: Arc<T>) -> usize {
    let addr = address(&object);
    let parent = object.parent().map(address);
    let mut objects = OBJECTS.lock();
    if let Some(parent) = parent {
        if let Some(slot) = objects.get_mut(&parent) {
            slot.refs += 1;
        }
    }
    objects.insert(addr, Slot { class: T::CLASS, object, refs: 1, parent });
    addr
}

/// The live object of class `T` at `addr`, if C may use it.
pub fn lookup<T: Object>(addr: usize) -> Option<Arc<T>> {
    let objects = OBJECTS.lock();
    let slot = objects.get(&addr)?;
    if slot.class != T::CLASS {
        return None;
    }
    slot.object.clone().downcast::<T>().ok()
}

/// Adds a reference (virXxxRef); false when `addr` is no live object of `class`.
pub fn add_ref(addr: usize, class: Class) -> bool {
    match OBJECTS.lock().get_mut(&addr) {
        Some(slot) if slot.class == class => {
            slot.refs += 1;
            true
        }
        _ => false,
    }
}

/// Drops a reference (virXxxFree, virConnectClose) and returns how many remain,
/// or None when `addr` is no live object of `class`. An object whose count reaches
/// zero is released, and with it its reference on its connection.
pub fn release(addr: usize, class: Class) -> Option<usize> {
    let mut dropped: Vec<Arc<dyn Any + Send + Sync>> = Vec::new();
    let remaining = {
        let mut objects = OBJECTS.lock();
        match objects.get(&addr) {
            Some(slot) if slot.class == class => {}
            _ => return None,
        }
        let mut next = Some(addr);
        let mut remaining = None;
        while let Some(current) = next.take() {
            let Some(slot) = objects.get_mut(&current) else { break };
            slot.refs -= 1;
            if remaining.is_none() {
                remaining = Some(slot.refs);
            }
            if slot.refs == 0 {
                let slot = objects.remove(&current).expect("slot present");
                next = slot.parent;
                dropped.push(slot.object);
            }
        }
        remaining
    };
    // Dropping a connection closes its driver: do it outside the registry's lock.
    drop(dropped);
    remaining
}

/// How many references C holds on the object at `addr` (tests and debugging).
pub fn refs(addr: usize) -> Option<usize> {
    OBJECTS.lock().get(&addr).map(|slot| slot.refs)
}
