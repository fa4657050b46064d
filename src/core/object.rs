//! The registry of objects handed to C. A pointer C gives back is only ever looked
//! up here, never dereferenced, so a NULL, freed or foreign pointer, or a handle of
//! the wrong class, is an error rather than a crash. Reference counts follow
//! libvirt's: every child object (domain, network, ...) holds one reference on its
//! connection, so a connection lives until its last child is freed.
//!
//! A freed object's address may be reused by the allocator for a new object; a
//! stale pointer then names the new object (if of the same class). libvirt has the
//! same weakness, and worse: it reads freed memory.

use crate::abi::virterror::*;
use once_cell::sync::Lazy;
use parking_lot::Mutex;
use std::any::Any;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
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

impl Class {
    /// libvirt's error for a bad pointer of this class: its code, and the error
    /// domain it is reported in. A bad connection is reported in the domain of the
    /// header the function belongs to (None here); every other class has its own.
    pub fn invalid(self) -> (i32, Option<i32>) {
        match self {
            Class::Connect => (VIR_ERR_INVALID_CONN, None),
            Class::Domain => (VIR_ERR_INVALID_DOMAIN, Some(VIR_FROM_DOM)),
            Class::Network => (VIR_ERR_INVALID_NETWORK, Some(VIR_FROM_NETWORK)),
            Class::NetworkPort => (VIR_ERR_INVALID_NETWORK_PORT, Some(VIR_FROM_NETWORK)),
            Class::Interface => (VIR_ERR_INVALID_INTERFACE, Some(VIR_FROM_INTERFACE)),
            Class::StoragePool => (VIR_ERR_INVALID_STORAGE_POOL, Some(VIR_FROM_STORAGE)),
            Class::StorageVol => (VIR_ERR_INVALID_STORAGE_VOL, Some(VIR_FROM_STORAGE)),
            Class::NodeDevice => (VIR_ERR_INVALID_NODE_DEVICE, Some(VIR_FROM_NODEDEV)),
            Class::Secret => (VIR_ERR_INVALID_SECRET, Some(VIR_FROM_SECRET)),
            Class::NWFilter => (VIR_ERR_INVALID_NWFILTER, Some(VIR_FROM_NWFILTER)),
            Class::NWFilterBinding => (VIR_ERR_INVALID_NWFILTER_BINDING, Some(VIR_FROM_NWFILTER)),
            Class::Stream => (VIR_ERR_INVALID_STREAM, Some(VIR_FROM_STREAMS)),
            Class::DomainSnapshot => (VIR_ERR_INVALID_DOMAIN_SNAPSHOT, Some(VIR_FROM_DOMAIN_SNAPSHOT)),
            Class::DomainCheckpoint => (VIR_ERR_INVALID_DOMAIN_CHECKPOINT, Some(VIR_FROM_DOMAIN_CHECKPOINT)),
        }
    }
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
    /// State the C layer keeps per handle and that must live exactly as long as
    /// it (a connection's virError for virConnGetLastError).
    attachment: Option<Box<dyn Any + Send>>,
}

/// Hashes an address with one folded multiply: every call probes the registry,
/// and SipHash's defence against chosen keys buys nothing for allocator addresses.
#[derive(Default)]
struct AddressHasher(u64);

impl Hasher for AddressHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(self.0 ^ u64::from(b));
        }
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
    fn write_u64(&mut self, n: u64) {
        // The high half carries the address's high bits down into the low bits the
        // table indexes by (allocations are 16-byte aligned).
        let product = u128::from(n ^ self.0) * 0x9E37_79B9_7F4A_7C15;
        self.0 = (product as u64) ^ ((product >> 64) as u64);
    }
}

type Registry = HashMap<usize, Slot, BuildHasherDefault<AddressHasher>>;

static OBJECTS: Lazy<Mutex<Registry>> = Lazy::new(|| Mutex::new(Registry::default()));

/// The C pointer of an object (the address of its allocation).
pub fn address<T: ?Sized>(object: &Arc<T>) -> usize {
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
    objects.insert(addr, Slot { class: T::CLASS, object, refs: 1, parent, attachment: None });
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

/// Whether `addr` is a live object of `class`.
pub fn is_live(addr: usize, class: Class) -> bool {
    OBJECTS.lock().get(&addr).is_some_and(|slot| slot.class == class)
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
    let (remaining, dropped, dropped_parent) = {
        let mut objects = OBJECTS.lock();
        let slot = objects.get_mut(&addr).filter(|slot| slot.class == class)?;
        slot.refs -= 1;
        let remaining = slot.refs;
        let dropped = if remaining == 0 { objects.remove(&addr) } else { None };
        // Only connections are parents, and they have none: the chain ends here.
        let parent = dropped.as_ref().and_then(|slot| slot.parent);
        let dropped_parent = parent.and_then(|parent| {
            let slot = objects.get_mut(&parent)?;
            slot.refs -= 1;
            if slot.refs == 0 {
                objects.remove(&parent)
            } else {
                None
            }
        });
        (remaining, dropped, dropped_parent)
    };
    // Dropping a connection closes its driver, and attachments may free C memory:
    // do it outside the registry's lock.
    drop(dropped);
    drop(dropped_parent);
    Some(remaining)
}

/// How many references the object at `addr` has (C's plus its children's).
pub fn refs(addr: usize) -> Option<usize> {
    OBJECTS.lock().get(&addr).map(|slot| slot.refs)
}

/// Runs `f` on the attachment of type `A` of the live object `addr` of `class`,
/// creating it with `A::default()` first if needed; None if there is no such object.
/// `f` runs under the registry's lock: it must not call back into the registry.
pub fn with_attachment<A: Default + Send + 'static, R>(addr: usize, class: Class, f: impl FnOnce(&mut A) -> R) -> Option<R> {
    let mut objects = OBJECTS.lock();
    let slot = objects.get_mut(&addr).filter(|slot| slot.class == class)?;
    let attachment = slot.attachment.get_or_insert_with(|| Box::new(A::default()));
    attachment.downcast_mut::<A>().map(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Parent;
    impl Object for Parent {
        const CLASS: Class = Class::Connect;
        fn parent(&self) -> Option<&Arc<crate::core::Connect>> {
            None
        }
    }

    #[test]
    fn refcounts_and_classes() {
        let addr = publish(Arc::new(Parent));
        assert!(lookup::<Parent>(addr).is_some());
        assert!(!is_live(addr, Class::Domain));
        assert!(!add_ref(addr, Class::Domain));
        assert_eq!(release(addr, Class::Domain), None);
        assert!(add_ref(addr, Class::Connect));
        assert_eq!(refs(addr), Some(2));
        assert_eq!(release(addr, Class::Connect), Some(1));
        assert_eq!(with_attachment(addr, Class::Connect, |n: &mut u32| { *n += 1; *n }), Some(1));
        assert_eq!(with_attachment(addr, Class::Connect, |n: &mut u32| *n), Some(1));
        assert_eq!(release(addr, Class::Connect), Some(0));
        assert!(lookup::<Parent>(addr).is_none());
        assert_eq!(release(addr, Class::Connect), None);
        assert_eq!(with_attachment(addr, Class::Connect, |n: &mut u32| *n), None);
        assert_eq!(lookup::<Parent>(0).map(|_| ()), None);
    }

    #[test]
    fn children_keep_their_connection() {
        use crate::core::{Child, Connect, Domain};
        use crate::driver::DomainId;
        let conn = Arc::new(Connect::new("test:///default".into(), false, crate::drivers::test::open_default().unwrap()));
        let conn_addr = publish(conn.clone());
        let id = DomainId::new("test", [0; 16], 1);
        let dom = publish(Arc::new(Child { conn, id }));
        assert_eq!(refs(conn_addr), Some(2));
        assert!(lookup::<Domain>(conn_addr).is_none());
        assert!(lookup::<Connect>(dom).is_none());
        assert_eq!(release(conn_addr, Class::Connect), Some(1));
        assert!(lookup::<Connect>(conn_addr).is_some());
        assert_eq!(release(dom, Class::Domain), Some(0));
        assert!(lookup::<Connect>(conn_addr).is_none());
    }
}
