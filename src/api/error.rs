//! virterror.h: the thread's last error, the per-connection copy, and the handlers
//! an error is dispatched to.

use crate::abi::types::*;
use crate::core::{Connect, Error, ErrorHandler};
use parking_lot::Mutex;
use std::cell::RefCell;
use std::os::raw::c_void;

thread_local! {
    static LAST_ERROR: RefCell<Option<Error>> = const { RefCell::new(None) };
}

/// virSetErrorFunc's handler, shared by all threads.
static GLOBAL_HANDLER: Mutex<Option<ErrorHandler>> = Mutex::new(None);

pub fn reset_last_error() {
    LAST_ERROR.with(|e| e.borrow_mut().take());
}

/// Records `error` as the thread's last error and as `conn`'s, then calls the
/// connection's handler, else the global one, else prints it as libvirt does.
pub fn raise(error: Error, conn: Option<&Connect>) {
    crate::log::error(&error);
    let handler = conn
        .and_then(|c| {
            *c.last_error.lock() = Some(error.clone());
            *c.error_handler.lock()
        })
        .or(*GLOBAL_HANDLER.lock());
    LAST_ERROR.with(|e| *e.borrow_mut() = Some(error.clone()));
    match handler {
        Some(handler) if handler.func != 0 => {
            let mut c_error = CError::new(&error);
            // SAFETY: `func` was given to us by C as a virErrorFunc.
            let func: unsafe extern "C" fn(*mut c_void, virErrorPtr) = unsafe { std::mem::transmute(handler.func) };
            unsafe { func(handler.data as *mut c_void, c_error.as_ptr()) };
        }
        _ => print_default(&error),
    }
}

/// What libvirt's default handler writes to stderr.
pub fn print_default(error: &Error) {
    let domain = crate::core::messages::domain_name(error.domain);
    eprintln!("libvirt: {} error : {}", domain, error.message);
}

/// A virError that owns malloc'd copies of its strings, as C callers expect.
pub struct CError {
    inner: virError,
}

impl CError {
    pub fn new(error: &Error) -> CError {
        let mut inner = empty_error();
        fill(&mut inner, error);
        CError { inner }
    }
    pub fn as_ptr(&mut self) -> virErrorPtr {
        &mut self.inner
    }
}

impl Drop for CError {
    fn drop(&mut self) {
        clear(&mut self.inner);
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

/// Writes `error` into a C virError, its strings malloc'd.
pub fn fill(to: &mut virError, error: &Error) {
    to.code = error.code;
    to.domain = error.domain;
    to.level = error.level;
    to.message = super::strings::malloc_opt(Some(&error.message));
    to.str1 = super::strings::malloc_opt(error.str1.as_deref());
    to.str2 = super::strings::malloc_opt(error.str2.as_deref());
    to.str3 = super::strings::malloc_opt(error.str3.as_deref());
    to.int1 = error.int1;
    to.int2 = error.int2;
}

/// Frees a C virError's strings and zeroes it, as virResetError does.
pub fn clear(error: &mut virError) {
    for s in [error.message, error.str1, error.str2, error.str3] {
        if !s.is_null() {
            // SAFETY: these strings were malloc'd by `fill` or by libc callers.
            unsafe { libc::free(s as *mut c_void) };
        }
    }
    *error = empty_error();
}

pub fn last_error() -> Option<Error> {
    LAST_ERROR.with(|e| e.borrow().clone())
}
