//! virterror.h: the thread's last error, the per-connection copy, the handlers an
//! error is dispatched to, and libvirt's default handler.
//!
//! The thread's last error is a C `virError` in thread-local storage, as in
//! libvirt: virGetLastError returns its address, which stays the same for the
//! thread's life, and its strings stay valid until the next error or reset on that
//! thread. A connection's copy is a `virError` attached to the connection's handle
//! (virConnGetLastError returns its address while the connection lives). No
//! function of this header resets the last error: they are how callers read it.

use crate::abi::types::*;
use crate::abi::virterror::*;
use crate::core::object::{self, Class};
use crate::core::{Connect, Domain, Error, ErrorHandler};
use parking_lot::Mutex;
use std::cell::UnsafeCell;
use std::ffi::CStr;
use std::os::raw::{c_char, c_int, c_void};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

/// A virError whose strings are malloc'd and owned by it (freed on drop, as
/// libvirt frees a thread's error when the thread exits).
#[repr(transparent)]
pub struct OwnedError(virError);

// SAFETY: the strings are exclusively owned heap memory; the `conn`, `dom` and
// `net` pointers are never set by us and never dereferenced.
unsafe impl Send for OwnedError {}

impl Default for OwnedError {
    fn default() -> Self {
        OwnedError(empty_error())
    }
}

impl Drop for OwnedError {
    fn drop(&mut self) {
        clear(&mut self.0);
    }
}

thread_local! {
    static LAST_ERROR: UnsafeCell<OwnedError> = UnsafeCell::new(OwnedError::default());
}

/// virSetErrorFunc's handler, shared by all threads.
static GLOBAL_HANDLER: Mutex<Option<ErrorHandler>> = Mutex::new(None);

/// The thread's error; None while the thread's storage is being torn down.
fn last() -> Option<*mut virError> {
    LAST_ERROR.try_with(|e| e.get() as *mut virError).ok()
}

/// Runs an entry point of this header with panics caught: they must not unwind into
/// C, and they must not touch the last error either.
fn quiet<T>(fallback: T, body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(fallback)
}

pub fn reset_last_error() {
    if let Some(e) = last() {
        // SAFETY: the thread's own storage; no reference to it is alive.
        clear(unsafe { &mut *e });
    }
}

/// The thread's last error, if any, as a Rust value.
pub fn last_error() -> Option<Error> {
    // SAFETY: as in reset_last_error.
    last().and_then(|e| read(unsafe { &*e }))
}

/// Records `error` as the thread's last error and as `conn`'s, then calls the
/// connection's handler, else the global one, else prints it as libvirt does.
/// `function` and `line` say where it failed, for the debug log.
pub fn raise(error: &Error, conn: Option<&Arc<Connect>>, function: &str, line: u32) {
    crate::log::error(function, line, error);
    let Some(last) = last() else { return };
    // SAFETY: the thread's own storage; no reference to it is alive.
    unsafe {
        clear(&mut *last);
        fill(&mut *last, error);
    }
    let mut handler = None;
    if let Some(conn) = conn {
        object::with_attachment(object::address(conn), Class::Connect, |copy: &mut OwnedError| {
            clear(&mut copy.0);
            fill(&mut copy.0, error);
        });
        handler = *conn.error_handler.lock();
    }
    // Read the global handler now, and call either without holding a lock: the
    // handler may call back into the library.
    match handler.or(*GLOBAL_HANDLER.lock()) {
        Some(ErrorHandler { func, data }) if func != 0 => {
            // SAFETY: `func` came from C as a non-NULL virErrorFunc.
            let func: unsafe extern "C" fn(*mut c_void, virErrorPtr) = unsafe { std::mem::transmute(func) };
            // libvirt hands the handler the thread's error itself, not a copy.
            unsafe { func(data as *mut c_void, last) };
        }
        // SAFETY: `last` is the thread's error, filled above.
        _ => unsafe { print_default(&*last) },
    }
}

// --- interface/nodedev/secret/nwfilter ---
/// Records `error` as the thread's last error only, as a libvirt driver does when
/// it reports an error and still succeeds: no connection or handler hears of it.
pub fn record(error: &Error) {
    let Some(last) = last() else { return };
    // SAFETY: the thread's own storage; no reference to it is alive.
    unsafe {
        clear(&mut *last);
        fill(&mut *last, error);
    }
}

pub fn empty_error() -> virError {
    virError {
        code: 0,
        domain: 0,
        message: std::ptr::null_mut(),
        level: 0,
        conn: std::ptr::null_mut(),
        dom: std::ptr::null_mut(),
        str1: std::ptr::null_mut(),
        str2: std::ptr::null_mut(),
        str3: std::ptr::null_mut(),
        int1: 0,
        int2: 0,
        net: std::ptr::null_mut(),
    }
}

/// Writes `error` into an empty C virError, its strings malloc'd.
fn fill(to: &mut virError, error: &Error) {
    to.code = error.code;
    to.domain = error.domain;
    to.level = error.level;
    to.message = super::strings::malloc(&error.message);
    to.str1 = super::strings::malloc_opt(error.str1.as_deref());
    to.str2 = super::strings::malloc_opt(error.str2.as_deref());
    to.str3 = super::strings::malloc_opt(error.str3.as_deref());
    to.int1 = error.int1;
    to.int2 = error.int2;
}

/// A deep copy of `from` into `to`, which is overwritten without being freed
/// (callers may hand us uninitialised memory). As in libvirt, the `conn`, `dom`
/// and `net` fields are not copied.
///
/// # Safety
/// `from`'s strings are NULL or NUL-terminated.
unsafe fn copy(from: &virError, to: &mut virError) {
    let dup = |s: *mut c_char| if s.is_null() { s } else { libc::strdup(s) };
    *to = virError {
        code: from.code,
        domain: from.domain,
        message: dup(from.message),
        level: from.level,
        str1: dup(from.str1),
        str2: dup(from.str2),
        str3: dup(from.str3),
        int1: from.int1,
        int2: from.int2,
        ..empty_error()
    };
}

/// Frees a C virError's strings and zeroes it, as virResetError does.
fn clear(error: &mut virError) {
    for s in [error.message, error.str1, error.str2, error.str3] {
        // SAFETY: these strings are NULL or malloc'd (by us, or by a C caller that
        // hands us the error to reset, as libvirt's contract says).
        unsafe { libc::free(s as *mut c_void) };
    }
    *error = empty_error();
}

/// The Rust value of a C virError; None when it holds no error.
fn read(error: &virError) -> Option<Error> {
    if error.code == VIR_ERR_OK {
        return None;
    }
    // SAFETY: our errors' strings are NULL or NUL-terminated.
    let text = |s: *mut c_char| (!s.is_null()).then(|| unsafe { CStr::from_ptr(s) }.to_string_lossy().into_owned());
    Some(Error {
        code: error.code,
        domain: error.domain,
        level: error.level,
        message: text(error.message).unwrap_or_default(),
        str1: text(error.str1),
        str2: text(error.str2),
        str3: text(error.str3),
        int1: error.int1,
        int2: error.int2,
    })
}

/// The name libvirt's default handler shows for the domain an error is about.
/// libvirt itself never sets `dom`; a caller that builds its own virError may.
fn domain_name(dom: virDomainPtr) -> Option<String> {
    object::lookup::<Domain>(dom as usize).map(|d| d.id.name.clone())
}

/// Writes what libvirt's virDefaultErrorFunc writes, to C's stderr stream so that
/// it interleaves with the program's own output as libvirt's does.
///
/// # Safety
/// `err`'s message is NULL or NUL-terminated.
unsafe fn print_default(err: &virError) {
    if err.code == VIR_ERR_OK {
        return;
    }
    let level = match err.level {
        VIR_ERR_WARNING => "warning",
        VIR_ERR_ERROR => "error",
        _ => "",
    };
    let mut about = String::new();
    if !err.dom.is_null() && err.code != VIR_ERR_INVALID_DOMAIN {
        about = domain_name(err.dom).unwrap_or_default();
    }
    // Network handles have no name we can show yet; libvirt would show it here.
    let message: &[u8] = if err.message.is_null() { b"(null)" } else { CStr::from_ptr(err.message).to_bytes() };
    let mut line = format!("libvirt: {} {} {}: ", crate::core::messages::domain_name(err.domain), level, about).into_bytes();
    if err.domain == VIR_FROM_XML && err.code == VIR_ERR_XML_DETAIL && err.int1 != 0 {
        // libvirt adds no newline in this one case.
        line.extend_from_slice(format!("line {}: ", err.int1).as_bytes());
        line.extend_from_slice(message);
    } else {
        line.extend_from_slice(message);
        if message.last() != Some(&b'\n') {
            line.push(b'\n');
        }
    }
    write_stderr(&line);
}

extern "C" {
    static mut stderr: *mut libc::FILE;
}

fn write_stderr(bytes: &[u8]) {
    // SAFETY: C's stderr stream is valid for the life of the process.
    unsafe {
        let stream = stderr;
        libc::fwrite(bytes.as_ptr() as *const c_void, 1, bytes.len(), stream);
        libc::fflush(stream);
    }
}

/// A connection's copy of its last error (virConnGetLastError).
fn conn_error_ptr(conn: virConnectPtr) -> Option<virErrorPtr> {
    object::with_attachment(conn as usize, Class::Connect, |e: &mut OwnedError| &mut e.0 as virErrorPtr)
}

#[no_mangle]
pub extern "C" fn virGetLastError() -> virErrorPtr {
    quiet(std::ptr::null_mut(), || match last() {
        // SAFETY: the thread's own storage.
        Some(e) if unsafe { (*e).code } != VIR_ERR_OK => e,
        _ => std::ptr::null_mut(),
    })
}

#[no_mangle]
pub extern "C" fn virGetLastErrorMessage() -> *const c_char {
    const NO_ERROR: &CStr = c"no error";
    const UNKNOWN: &CStr = c"unknown error";
    quiet(UNKNOWN.as_ptr(), || match last() {
        // SAFETY: the thread's own storage.
        Some(e) => unsafe {
            if (*e).code == VIR_ERR_OK {
                NO_ERROR.as_ptr()
            } else if (*e).message.is_null() {
                UNKNOWN.as_ptr()
            } else {
                (*e).message
            }
        },
        None => UNKNOWN.as_ptr(),
    })
}

#[no_mangle]
pub extern "C" fn virGetLastErrorCode() -> c_int {
    // SAFETY: the thread's own storage.
    quiet(VIR_ERR_OK, || last().map_or(VIR_ERR_OK, |e| unsafe { (*e).code }))
}

#[no_mangle]
pub extern "C" fn virGetLastErrorDomain() -> c_int {
    // SAFETY: the thread's own storage.
    quiet(VIR_FROM_NONE, || last().map_or(VIR_FROM_NONE, |e| unsafe { (*e).domain }))
}

/// Copies the thread's last error into `to` (which the caller later clears with
/// virResetError) and returns its code: VIR_ERR_OK (0) when there is none, -1 when
/// `to` is NULL.
#[no_mangle]
pub unsafe extern "C" fn virCopyLastError(to: virErrorPtr) -> c_int {
    quiet(-1, || {
        let (Some(to), Some(from)) = (to.as_mut(), last()) else { return -1 };
        copy(&*from, to);
        to.code
    })
}

/// A malloc'd copy of the thread's last error (zeroed when there is none), for
/// virFreeError; NULL only when memory runs out.
#[no_mangle]
pub extern "C" fn virSaveLastError() -> virErrorPtr {
    quiet(std::ptr::null_mut(), || {
        // SAFETY: a zeroed virError is a valid empty one.
        let to = unsafe { libc::calloc(1, std::mem::size_of::<virError>()) } as virErrorPtr;
        if let (Some(from), false) = (last(), to.is_null()) {
            // SAFETY: `to` is a fresh allocation of the right size.
            unsafe { copy(&*from, &mut *to) };
        }
        to
    })
}

#[no_mangle]
pub unsafe extern "C" fn virResetError(err: virErrorPtr) {
    quiet((), || {
        if let Some(err) = err.as_mut() {
            clear(err);
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn virFreeError(err: virErrorPtr) {
    quiet((), || {
        if let Some(e) = err.as_mut() {
            clear(e);
            libc::free(err as *mut c_void);
        }
    })
}

#[no_mangle]
pub extern "C" fn virResetLastError() {
    quiet((), reset_last_error)
}

/// The connection's copy of its last error, valid while the connection lives; it
/// holds code 0 when there was none. NULL for a NULL or unknown connection.
#[no_mangle]
pub extern "C" fn virConnGetLastError(conn: virConnectPtr) -> virErrorPtr {
    quiet(std::ptr::null_mut(), || conn_error_ptr(conn).unwrap_or(std::ptr::null_mut()))
}

/// Copies the connection's last error into `to` and returns its code (0 for none);
/// -1 for a NULL or unknown connection or a NULL `to`.
#[no_mangle]
pub unsafe extern "C" fn virConnCopyLastError(conn: virConnectPtr, to: virErrorPtr) -> c_int {
    quiet(-1, || {
        let Some(to) = to.as_mut() else { return -1 };
        *to = empty_error();
        let copied = object::with_attachment(conn as usize, Class::Connect, |e: &mut OwnedError| {
            if e.0.code != VIR_ERR_OK {
                copy(&e.0, to);
            }
            to.code
        });
        copied.unwrap_or(-1)
    })
}

#[no_mangle]
pub extern "C" fn virConnResetLastError(conn: virConnectPtr) {
    quiet((), || {
        object::with_attachment(conn as usize, Class::Connect, |e: &mut OwnedError| clear(&mut e.0));
    })
}

fn make_handler(userData: *mut c_void, handler: virErrorFunc) -> Option<ErrorHandler> {
    handler.map(|f| ErrorHandler { func: f as usize, data: userData as usize })
}

/// Sets the handler for errors no connection handler takes; NULL restores the
/// default, printing to stderr (whatever `userData` is).
#[no_mangle]
pub extern "C" fn virSetErrorFunc(userData: *mut c_void, handler: virErrorFunc) {
    quiet((), || *GLOBAL_HANDLER.lock() = make_handler(userData, handler))
}

/// Sets a connection's handler; NULL hands its errors to the global handler again.
#[no_mangle]
pub extern "C" fn virConnSetErrorFunc(conn: virConnectPtr, userData: *mut c_void, handler: virErrorFunc) {
    quiet((), || {
        if let Some(conn) = object::lookup::<Connect>(conn as usize) {
            *conn.error_handler.lock() = make_handler(userData, handler);
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn virDefaultErrorFunc(err: virErrorPtr) {
    quiet((), || {
        if let Some(err) = err.as_ref() {
            print_default(err);
        }
    })
}
