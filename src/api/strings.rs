//! Strings handed to C are malloc'd, so that callers free() them as they would
//! libvirt's.

use std::os::raw::c_char;

/// A malloc'd NUL-terminated copy of `s`; NULL if malloc fails.
pub fn malloc(s: &str) -> *mut c_char {
    malloc_bytes(s.as_bytes())
}

/// A malloc'd NUL-terminated copy of `bytes` (which hold no NUL); NULL if malloc fails.
pub fn malloc_bytes(bytes: &[u8]) -> *mut c_char {
    // SAFETY: we write exactly len + 1 bytes into a fresh allocation of that size.
    unsafe {
        let p = libc::malloc(bytes.len() + 1) as *mut u8;
        if p.is_null() {
            return std::ptr::null_mut();
        }
        std::ptr::copy_nonoverlapping(bytes.as_ptr(), p, bytes.len());
        *p.add(bytes.len()) = 0;
        p as *mut c_char
    }
}

pub fn malloc_opt(s: Option<&str>) -> *mut c_char {
    s.map_or(std::ptr::null_mut(), malloc)
}

/// A C string for debug logs: the text, or None for NULL.
///
/// # Safety
/// `ptr` is NULL or a NUL-terminated string.
pub unsafe fn debug_str<'a>(ptr: *const c_char) -> Option<std::borrow::Cow<'a, str>> {
    if ptr.is_null() {
        None
    } else {
        Some(std::ffi::CStr::from_ptr(ptr).to_string_lossy())
    }
}

/// A NUL-terminated copy of `s` that lives as long as the process: for the few
/// libvirt calls that return `const char *` the caller must not free
/// (virConnectGetType). Each distinct string is leaked once.
pub fn static_c_str(s: &'static str) -> *const c_char {
    use once_cell::sync::Lazy;
    use parking_lot::Mutex;
    use std::collections::HashMap;
    use std::ffi::CString;
    static INTERNED: Lazy<Mutex<HashMap<&'static str, &'static CString>>> = Lazy::new(|| Mutex::new(HashMap::new()));
    let mut interned = INTERNED.lock();
    let c = interned
        .entry(s)
        .or_insert_with(|| Box::leak(Box::new(CString::new(s).unwrap_or_default())));
    c.as_ptr()
}
