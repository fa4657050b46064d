//! The one shape of every exported function: log the call, reset the thread's last
//! error, run the body with panics caught, and on failure raise the error,
//! dispatch it to the connection the body resolved, and return the failure value
//! that the C return type calls for.
//!
//! The body checks its arguments in libvirt's order with the `Call` helpers:
//! handles first (`connect`, `child`), then read-only (`writable_connect`,
//! `check_writable`), then the other arguments (`string`, `out`, `non_negative`,
//! ...); each helper raises exactly the error libvirt raises for that check.

use crate::abi::types::*;
use crate::abi::virterror::*;
use crate::core::object::{self, Class, Object};
use crate::core::{Connect, Error, Result};
use std::cell::Cell;
use std::ffi::CStr;
use std::os::raw::{c_char, c_int, c_uint, c_ulong};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Once};

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
    /// The error domain of the libvirt source file this function lives in
    /// (libvirt's VIR_FROM_THIS): VIR_FROM_NONE for libvirt.c (virConnectOpen*,
    /// virConnectClose, virGetVersion, virInitialize), VIR_FROM_DOMAIN for
    /// libvirt-host.c and libvirt-domain.c, VIR_FROM_NETWORK, VIR_FROM_STORAGE,
    /// VIR_FROM_NODEDEV, VIR_FROM_SECRET, VIR_FROM_INTERFACE, VIR_FROM_NWFILTER,
    /// VIR_FROM_STREAMS, VIR_FROM_DOMAIN_SNAPSHOT, VIR_FROM_DOMAIN_CHECKPOINT for the
    /// others. Argument, read-only and bad-connection errors are reported in it.
    pub from: c_int,
    /// The connection an error is dispatched to, once the handles are checked.
    pub conn: Option<Arc<Connect>>,
}

impl Call {
    /// The live object of class `T` at `ptr`, or libvirt's error for a bad pointer
    /// of that class ("invalid domain pointer in virDomainGetInfo").
    pub fn handle<T: Object, P>(&self, ptr: *mut P) -> Result<Arc<T>> {
        object::lookup::<T>(ptr as usize).ok_or_else(|| self.invalid(T::CLASS))
    }

    fn invalid(&self, class: Class) -> Error {
        let (code, domain) = class.invalid();
        Error::invalid_handle(code, domain.unwrap_or(self.from), self.name)
    }

    /// A live connection, or VIR_ERR_INVALID_CONN.
    pub fn connect(&mut self, conn: virConnectPtr) -> Result<Arc<Connect>> {
        let conn = self.handle::<Connect, _>(conn)?;
        self.conn = Some(conn.clone());
        Ok(conn)
    }

    /// A live connection that may change things, or VIR_ERR_OPERATION_DENIED.
    pub fn writable_connect(&mut self, conn: virConnectPtr) -> Result<Arc<Connect>> {
        let conn = self.connect(conn)?;
        self.check_writable(&conn)?;
        Ok(conn)
    }

    /// A live handle of a child class (domain, network, ...); its errors then go
    /// to its connection. `code` is the class's "invalid pointer" error, which the
    /// class already knows (kept for the callers' readability).
    pub fn child<T: Object + CHandle>(&mut self, ptr: *mut T::C, code: c_int) -> Result<Arc<T>> {
        debug_assert_eq!(code, T::CLASS.invalid().0);
        let object = self.handle::<T, _>(ptr)?;
        self.conn = object.parent().cloned();
        Ok(object)
    }

    /// VIR_ERR_OPERATION_DENIED on a read-only connection, for every API that
    /// changes something (libvirt also counts some reads, such as
    /// virDomainGetHostname, as writes: follow libvirt's list).
    pub fn check_writable(&self, conn: &Connect) -> Result<()> {
        if conn.readonly {
            return Err(Error::read_only(self.from, self.name));
        }
        Ok(())
    }

    /// check_writable on the connection the handles resolved to.
    pub fn writable(&self) -> Result<()> {
        self.conn.as_ref().map_or(Ok(()), |conn| self.check_writable(conn))
    }

    /// The XML getters refuse their secure flag on a read-only connection:
    /// "operation forbidden: virXxxGetXMLDesc with secure flag".
    pub fn secure(&self) -> Result<()> {
        match &self.conn {
            Some(conn) if conn.readonly => Err(Error::with_detail(
                VIR_ERR_OPERATION_DENIED,
                self.from,
                format!("{} with secure flag", self.name),
            )),
            _ => Ok(()),
        }
    }

    /// The work libvirt does on its first use (virInitialize); only
    /// virInitialize, virConnectOpen* and virGetVersion call this, and fail as
    /// libvirt does when LIBVIRT_DEBUG or LIBVIRT_LOG_* is invalid.
    pub fn initialize(&self) -> Result<()> {
        crate::log::init_error().map_or(Ok(()), Err)
    }

    /// "ARG in FUNCTION must not be NULL".
    pub fn null_arg(&self, arg: &str) -> Error {
        Error::null_arg(self.from, self.name, arg)
    }

    /// An argument error of this function with a message of its own, such as the
    /// bad-UUID "Invalid UUID" of virDomainLookupByUUIDString.
    pub fn bad_arg(&self, arg: &str, message: impl Into<String>) -> Error {
        Error::argument(self.from, self.name, arg, message)
    }

    /// Fails with "ARG in FUNCTION must be zero or greater" when `value` < 0.
    pub fn non_negative(&self, arg: &str, value: i64) -> Result<()> {
        if value < 0 {
            return Err(Error::non_negative_arg(self.from, self.name, arg));
        }
        Ok(())
    }

    /// Fails with "ARG in FUNCTION must be greater than zero" when `value` <= 0.
    pub fn positive(&self, arg: &str, value: i64) -> Result<()> {
        if value <= 0 {
            return Err(Error::positive_arg(self.from, self.name, arg));
        }
        Ok(())
    }

    /// Fails with "ARG in FUNCTION must not be zero" when `value` == 0.
    pub fn non_zero(&self, arg: &str, value: u64) -> Result<()> {
        if value == 0 {
            return Err(Error::non_zero_arg(self.from, self.name, arg));
        }
        Ok(())
    }

    /// Fails with "ARG in FUNCTION must be zero" when `value` != 0.
    pub fn zero(&self, arg: &str, value: u64) -> Result<()> {
        if value != 0 {
            return Err(Error::zero_arg(self.from, self.name, arg));
        }
        Ok(())
    }

    /// A C string argument that must not be NULL, as UTF-8.
    ///
    /// # Safety
    /// `ptr` is NULL or points to a NUL-terminated string that outlives the call.
    pub unsafe fn string<'a>(&self, ptr: *const c_char, arg: &str) -> Result<&'a str> {
        if ptr.is_null() {
            return Err(self.null_arg(arg));
        }
        self.utf8(ptr, arg)
    }

    /// A C string argument that must be neither NULL nor empty.
    ///
    /// # Safety
    /// As for [`Call::string`].
    pub unsafe fn non_empty_string<'a>(&self, ptr: *const c_char, arg: &str) -> Result<&'a str> {
        let s = self.string(ptr, arg)?;
        if s.is_empty() {
            return Err(Error::empty_string_arg(self.from, self.name, arg));
        }
        Ok(s)
    }

    /// A C string argument that may be NULL.
    ///
    /// # Safety
    /// As for [`Call::string`].
    pub unsafe fn optional_string<'a>(&self, ptr: *const c_char) -> Result<Option<&'a str>> {
        if ptr.is_null() {
            return Ok(None);
        }
        self.utf8(ptr, "string").map(Some)
    }

    /// libvirt passes bytes through; we need UTF-8, and say so as an argument error.
    unsafe fn utf8<'a>(&self, ptr: *const c_char, arg: &str) -> Result<&'a str> {
        CStr::from_ptr(ptr)
            .to_str()
            .map_err(|_| self.bad_arg(arg, format!("{arg} in {} must be valid UTF-8", self.name)))
    }

    /// An output pointer that must not be NULL.
    ///
    /// # Safety
    /// `ptr` is NULL or valid for writes of a `T` for the duration of the call.
    pub unsafe fn out<'a, T>(&self, ptr: *mut T, arg: &str) -> Result<&'a mut T> {
        ptr.as_mut().ok_or_else(|| self.null_arg(arg))
    }

    /// virXxxRef for any handle class: one more reference, 0 on success.
    pub fn add_ref<T: Object, P>(&mut self, ptr: *mut P) -> Result<c_int> {
        self.handle::<T, _>(ptr)?;
        if !object::add_ref(ptr as usize, T::CLASS) {
            return Err(self.invalid(T::CLASS));
        }
        Ok(0)
    }

    /// virXxxFree for any class but connections: one reference less, 0 on success.
    pub fn free<T: Object, P>(&mut self, ptr: *mut P) -> Result<c_int> {
        object::release(ptr as usize, T::CLASS).map(|_| 0).ok_or_else(|| self.invalid(T::CLASS))
    }

    /// virConnectClose: 1 while references remain (the caller's others, and one
    /// per live child handle), 0 once the connection is closed.
    pub fn close(&mut self, conn: virConnectPtr) -> Result<c_int> {
        object::release(conn as usize, Class::Connect)
            .map(|remaining| c_int::from(remaining > 0))
            .ok_or_else(|| self.invalid(Class::Connect))
    }
}

/// A Rust handle type and the C type its pointers have.
pub trait CHandle {
    type C;
}

impl CHandle for crate::core::Domain {
    type C = virDomain;
}

thread_local! {
    /// How many guarded bodies are running on this thread: a panic inside one is
    /// caught and reported as an error, so the panic hook keeps it off stderr.
    static GUARDED: Cell<usize> = const { Cell::new(0) };
}

/// Panics in guarded bodies go to the debug log instead of stderr (libvirt never
/// prints Rust's panic messages); any other panic keeps Rust's usual report.
fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if GUARDED.try_with(Cell::get).unwrap_or(0) > 0 {
                crate::log::panic(&info.to_string());
            } else {
                previous(info);
            }
        }));
    });
}

/// Runs one public call; see the module comment.
#[track_caller]
pub fn guard<T: Failure>(
    from: c_int,
    name: &'static str,
    args: impl FnOnce() -> String,
    body: impl FnOnce(&mut Call) -> Result<T>,
) -> T {
    let line = std::panic::Location::caller().line();
    crate::log::api_call(from, name, line, args);
    super::error::reset_last_error();
    install_panic_hook();
    let mut call = Call { name, from, conn: None };
    GUARDED.with(|g| g.set(g.get() + 1));
    let outcome = catch_unwind(AssertUnwindSafe(|| body(&mut call)));
    GUARDED.with(|g| g.set(g.get() - 1));
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
    // Reporting runs a C handler, which must not unwind into us either.
    let _ = catch_unwind(AssertUnwindSafe(|| super::error::raise(&error, call.conn.as_ref(), name, line)));
    T::failure()
}

/// For the public functions libvirt runs without touching the last error (the
/// frees of returned structs, virTypedParamsGet, virEventAddHandle, ...): only
/// panics are caught, and they give the failure value.
pub fn unreported<T: Failure>(body: impl FnOnce() -> T) -> T {
    install_panic_hook();
    GUARDED.with(|g| g.set(g.get() + 1));
    let outcome = catch_unwind(AssertUnwindSafe(body));
    GUARDED.with(|g| g.set(g.get() - 1));
    outcome.unwrap_or_else(|_| T::failure())
}

/// A pointer as libvirt's debug lines show it (glibc's `%p`): "(nil)" or "0x55d0...".
pub fn show_ptr<T>(ptr: *const T) -> String {
    if ptr.is_null() {
        "(nil)".to_owned()
    } else {
        format!("{ptr:p}")
    }
}

/// A C string as libvirt's debug lines show it (glibc's `%s`): "(null)" or the text.
///
/// # Safety
/// `ptr` is NULL or a NUL-terminated string.
pub unsafe fn show_str(ptr: *const c_char) -> String {
    if ptr.is_null() {
        "(null)".to_owned()
    } else {
        CStr::from_ptr(ptr).to_string_lossy().into_owned()
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn last() -> Error {
        super::super::error::last_error().expect("an error was raised")
    }

    #[test]
    fn panics_become_internal_errors() {
        let got: c_int = guard(VIR_FROM_DOMAIN, "virTestPanic", String::new, |_| panic!("boom"));
        assert_eq!(got, -1);
        let e = last();
        assert_eq!((e.code, e.domain), (VIR_ERR_INTERNAL_ERROR, VIR_FROM_DOMAIN));
        assert_eq!(e.message, "internal error: unexpected failure in virTestPanic: boom");
        // The next call starts afresh.
        let got: *mut virConnect = guard(VIR_FROM_DOMAIN, "virTestOk", String::new, |_| Ok(std::ptr::null_mut()));
        assert!(got.is_null());
        assert!(super::super::error::last_error().is_none());
    }

    #[test]
    fn checks_raise_libvirt_errors() {
        let got: c_uint = guard(VIR_FROM_NETWORK, "virTestNoSupport", String::new, |_| Err(Error::no_support("virTestNoSupport")));
        assert_eq!(got, c_uint::MAX);
        assert_eq!((last().code, last().domain), (VIR_ERR_NO_SUPPORT, VIR_FROM_NETWORK));

        let got: c_int = guard(VIR_FROM_DOMAIN, "virTestConn", String::new, |call| {
            call.connect(std::ptr::null_mut())?;
            Ok(0)
        });
        assert_eq!(got, -1);
        assert_eq!(last().message, "invalid connection pointer in virTestConn");
        assert_eq!(last().domain, VIR_FROM_DOMAIN);

        let _: c_int = guard(VIR_FROM_DOMAIN, "virTestDomain", String::new, |call| {
            call.child::<crate::core::Domain>(8 as *mut virDomain, VIR_ERR_INVALID_DOMAIN)?;
            Ok(0)
        });
        assert_eq!((last().code, last().domain), (VIR_ERR_INVALID_DOMAIN, VIR_FROM_DOM));

        let _: c_int = guard(VIR_FROM_DOMAIN, "virTestArg", String::new, |call| {
            call.non_negative("id", -1)?;
            Ok(0)
        });
        assert_eq!(last().message, "id in virTestArg must be zero or greater");
        assert_eq!(last().str1.as_deref(), Some("virTestArg"));
    }
}
