//! The one shape of every exported function: log the call, reset the thread's last
//! error, run the body with panics caught, and on failure raise the error,
//! dispatch it to the connection the body resolved, and return the failure value
//! that the C return type calls for.

use crate::abi::types::*;
use crate::abi::virterror::*;
use crate::core::object::{self, Object};
use crate::core::{Connect, Error, Result};
use std::ffi::CStr;
use std::os::raw::{c_char, c_int, c_uint, c_ulong};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

/// The value a C function returns when it fails.
pub trait Failure {
    fn failure() -> Self;
}

impl Failure for c_int {
    fn failure() -> Self {
        -1
    }
}
impl Failure for () {
    fn failure() -> Self {}
}
/// virDomainGetID's documented failure value is (unsigned int)-1.
impl Failure for c_uint {
    fn failure() -> Self {
        c_uint::MAX
    }
}
/// The `unsigned long` and `unsigned long long` getters (virDomainGetMaxMemory,
/// virNodeGetFreeMemory) fail with 0. (On LP64 both are u64.)
impl Failure for c_ulong {
    fn failure() -> Self {
        0
    }
}
impl<T> Failure for *mut T {
    fn failure() -> Self {
        std::ptr::null_mut()
    }
}
impl<T> Failure for *const T {
    fn failure() -> Self {
        std::ptr::null()
    }
}

/// What one public call has learnt about its arguments.
pub struct Call {
    /// The public function's name, as libvirt puts it in messages.
    pub name: &'static str,
    /// The error domain of the header this function belongs to (VIR_FROM_THIS).
    pub from: c_int,
    /// The connection an error is dispatched to, once the handles are checked.
    pub conn: Option<Arc<Connect>>,
}

impl Call {
    fn handle<T: Object>(&self, ptr: usize, code: c_int) -> Result<Arc<T>> {
        object::lookup::<T>(ptr).ok_or_else(|| Error::with_detail(code, self.from, self.name))
    }

    /// A live connection, or VIR_ERR_INVALID_CONN.
    pub fn connect(&mut self, conn: virConnectPtr) -> Result<Arc<Connect>> {
        let conn = self.handle::<Connect>(conn as usize, VIR_ERR_INVALID_CONN)?;
        self.conn = Some(conn.clone());
        Ok(conn)
    }

    /// A live connection that may change things, or VIR_ERR_OPERATION_DENIED.
    pub fn writable_connect(&mut self, conn: virConnectPtr) -> Result<Arc<Connect>> {
        let conn = self.connect(conn)?;
        self.check_writable(&conn)?;
        Ok(conn)
    }

    /// A live handle of a child class (domain, network, ...); `code` is the class's
    /// "invalid pointer" error.
    pub fn child<T: Object>(&mut self, ptr: *mut T::C, code: c_int) -> Result<Arc<T>>
    where
        T: CHandle,
    {
        let object = self.handle::<T>(ptr as usize, code)?;
        self.conn = object.parent().cloned();
        Ok(object)
    }

    pub fn check_writable(&self, conn: &Connect) -> Result<()> {
        if conn.readonly {
            return Err(Error::with_detail(
                VIR_ERR_OPERATION_DENIED,
                self.from,
                format!("read only access prevents {}", self.name),
            ));
        }
        Ok(())
    }

    /// libvirt's "invalid argument: ARG in FUNCTION must not be NULL".
    pub fn null_arg(&self, arg: &str) -> Error {
        Error::invalid_arg(self.from, format!("{} in {} must not be NULL", arg, self.name))
    }

    /// A C string argument that must not be NULL, as UTF-8.
    ///
    /// # Safety
    /// `ptr` is NULL or points to a NUL-terminated string that outlives the call.
    pub unsafe fn string<'a>(&self, ptr: *const c_char, arg: &str) -> Result<&'a str> {
        if ptr.is_null() {
            return Err(self.null_arg(arg));
        }
        self.optional_string(ptr).map(|s| s.unwrap_or_default())
    }

    /// A C string argument that may be NULL.
    ///
    /// # Safety
    /// As for [`Call::string`].
    pub unsafe fn optional_string<'a>(&self, ptr: *const c_char) -> Result<Option<&'a str>> {
        if ptr.is_null() {
            return Ok(None);
        }
        CStr::from_ptr(ptr)
            .to_str()
            .map(Some)
            .map_err(|_| Error::invalid_arg(self.from, format!("string argument of {} is not valid UTF-8", self.name)))
    }

    /// An output pointer that must not be NULL.
    ///
    /// # Safety
    /// `ptr` is NULL or valid for writes of a `T` for the duration of the call.
    pub unsafe fn out<'a, T>(&self, ptr: *mut T, arg: &str) -> Result<&'a mut T> {
        ptr.as_mut().ok_or_else(|| self.null_arg(arg))
    }
}

/// A Rust handle type and the C type its pointers have.
pub trait CHandle {
    type C;
}

impl CHandle for crate::core::Domain {
    type C = virDomain;
}

/// Runs one public call; see the module comment.
pub fn guard<T: Failure>(
    from: c_int,
    name: &'static str,
    args: impl FnOnce() -> String,
    body: impl FnOnce(&mut Call) -> Result<T>,
) -> T {
    crate::log::api_call(name, args);
    super::error::reset_last_error();
    let mut call = Call { name, from, conn: None };
    let outcome = catch_unwind(AssertUnwindSafe(|| body(&mut call)));
    let error = match outcome {
        Ok(Ok(value)) => return value,
        // A driver that lacks a call does not know which header the call belongs
        // to; libvirt reports it in that header's error domain.
        Ok(Err(mut error)) => {
            if error.code == VIR_ERR_NO_SUPPORT && error.domain == VIR_FROM_NONE {
                error.domain = from;
            }
            error
        }
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Error::internal(from, format!("unexpected failure in {name}: {what}"))
        }
    };
    // Reporting must not unwind into C either.
    let _ = catch_unwind(AssertUnwindSafe(|| super::error::raise(error, call.conn.as_deref())));
    T::failure()
}

macro_rules! c_handles {
    ($($rust:ident => $c:ident),* $(,)?) => {$(
        impl CHandle for crate::core::connect::$rust {
            type C = $c;
        }
    )*};
}

c_handles! {
    Network => virNetwork,
    NetworkPort => virNetworkPort,
    Interface => virInterface,
    StoragePool => virStoragePool,
    StorageVol => virStorageVol,
    NodeDevice => virNodeDevice,
    Secret => virSecret,
    NWFilter => virNWFilter,
    NWFilterBinding => virNWFilterBinding,
    Stream => virStream,
    DomainSnapshot => virDomainSnapshot,
    DomainCheckpoint => virDomainCheckpoint,
}
