//! A connection: the driver that serves it and the per-connection error state.

use crate::core::object::{Class, Object};
use crate::driver::Driver;
use parking_lot::Mutex;
use std::sync::Arc;

/// A C error callback and its opaque argument, kept as plain addresses: only
/// src/api knows what they point to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ErrorHandler {
    pub func: usize,
    pub data: usize,
}

pub struct Connect {
    pub uri: String,
    pub readonly: bool,
    pub driver: Box<dyn Driver>,
    /// virConnSetErrorFunc's handler; None means "use the global one".
    pub error_handler: Mutex<Option<ErrorHandler>>,
}

impl Connect {
    pub fn new(uri: String, readonly: bool, driver: Box<dyn Driver>) -> Connect {
        Connect { uri, readonly, driver, error_handler: Mutex::new(None) }
    }
}

impl Drop for Connect {
    fn drop(&mut self) {
        self.driver.close();
    }
}

impl Object for Connect {
    const CLASS: Class = Class::Connect;
    fn parent(&self) -> Option<&Arc<Connect>> {
        None
    }
}

/// A handle on an object that lives on a connection: its identity as the driver
/// reported it when the handle was made (libvirt keeps name, UUID and id in the
/// handle too), and the connection it keeps open.
pub struct Child<I> {
    pub conn: Arc<Connect>,
    pub id: I,
}

macro_rules! child_classes {
    ($($ident:ty => $class:ident),* $(,)?) => {$(
        impl Object for Child<$ident> {
            const CLASS: Class = Class::$class;
            fn parent(&self) -> Option<&Arc<Connect>> {
                Some(&self.conn)
            }
        }
    )*};
}

child_classes! {
    crate::driver::DomainId => Domain,
    crate::driver::PoolId => StoragePool,
    crate::driver::VolId => StorageVol,
    crate::driver::NetworkId => Network,
    crate::driver::SnapshotId => DomainSnapshot,
    crate::driver::InterfaceId => Interface,
    crate::driver::NodeDeviceId => NodeDevice,
    crate::core::stream::StreamBody => Stream,
}

pub type Domain = Child<crate::driver::DomainId>;
pub type StoragePool = Child<crate::driver::PoolId>;
pub type StorageVol = Child<crate::driver::VolId>;

/// Identities of the handle classes no driver makes yet. Their handles cannot
/// exist today, but the calls that take them still tell a bad pointer from a good
/// one; a driver that serves a class replaces its stand-in with a real identity.
pub mod unserved {
    pub struct NetworkPort;
    pub struct Secret;
    pub struct NWFilter;
    pub struct NWFilterBinding;
    pub struct DomainCheckpoint;
}

child_classes! {
    unserved::NetworkPort => NetworkPort,
    unserved::Secret => Secret,
    unserved::NWFilter => NWFilter,
    unserved::NWFilterBinding => NWFilterBinding,
    unserved::DomainCheckpoint => DomainCheckpoint,
}

pub type Network = Child<crate::driver::NetworkId>;
pub type NetworkPort = Child<unserved::NetworkPort>;
pub type Interface = Child<crate::driver::InterfaceId>;
pub type NodeDevice = Child<crate::driver::NodeDeviceId>;
pub type Secret = Child<unserved::Secret>;
pub type NWFilter = Child<unserved::NWFilter>;
pub type NWFilterBinding = Child<unserved::NWFilterBinding>;
pub type Stream = Child<crate::core::stream::StreamBody>;
pub type DomainSnapshot = Child<crate::driver::SnapshotId>;
pub type DomainCheckpoint = Child<unserved::DomainCheckpoint>;
