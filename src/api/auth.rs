//! The application's virConnectAuth seen as an `auth::Callback`, and libvirt's
//! default callback (virConnectAuthPtrDefault), which asks on the terminal.

use crate::abi::host::*;
use crate::abi::types::*;
use crate::auth::{Callback, CallbackFailed, Question, Secret};
use std::ffi::{CStr, CString};
use std::os::raw::{c_char, c_int, c_uint, c_void};
use std::ptr::{addr_of_mut, null, null_mut};

/// A C virConnectAuth, copied when the open call starts.
pub struct CCallback {
    types: Vec<i32>,
    cb: virConnectAuthCallbackPtr,
    cbdata: *mut c_void,
}

impl CCallback {
    /// # Safety
    /// `auth` is NULL or points to a virConnectAuth whose `credtype` holds
    /// `ncredtype` ints (or is NULL).
    pub unsafe fn from_ptr(auth: virConnectAuthPtr) -> Option<CCallback> {
        let auth = auth.as_ref()?;
        let types = if auth.credtype.is_null() {
            Vec::new()
        } else {
            std::slice::from_raw_parts(auth.credtype, auth.ncredtype as usize).to_vec()
        };
        Some(CCallback { types, cb: auth.cb, cbdata: auth.cbdata })
    }
}

/// Wipes and frees a malloc'd answer.
///
/// # Safety
/// `s` is NULL or a malloc'd NUL-terminated string nobody else uses.
unsafe fn wipe_and_free(s: *mut c_char) {
    if s.is_null() {
        return;
    }
    let len = libc::strlen(s);
    for i in 0..len {
        std::ptr::write_volatile(s.add(i), 0);
    }
    libc::free(s as *mut c_void);
}

impl Callback for CCallback {
    fn credential_types(&self) -> &[i32] {
        &self.types
    }

    fn has_callback(&self) -> bool {
        self.cb.is_some()
    }

    fn ask(&self, question: &Question) -> Result<Option<Secret>, CallbackFailed> {
        let Some(cb) = self.cb else { return Err(CallbackFailed) };
        let c = |s: &str| CString::new(s).unwrap_or_default();
        let prompt = c(question.prompt);
        let challenge = question.challenge.map(c);
        let default = question.default.map(c);
        let mut cred = virConnectCredential {
            r#type: question.kind,
            prompt: prompt.as_ptr(),
            challenge: challenge.as_ref().map_or(null(), |s| s.as_ptr()),
            defresult: default.as_ref().map_or(null(), |s| s.as_ptr()),
            result: null_mut(),
            resultlen: 0,
        };
        // SAFETY: the application gave us `cb` and `cbdata` for exactly this call;
        // the credential's strings outlive it; its result, when set, is malloc'd
        // and ours to free.
        unsafe {
            let status = cb(&mut cred, 1, self.cbdata);
            let answer = (!cred.result.is_null())
                .then(|| Secret::new(CStr::from_ptr(cred.result).to_string_lossy().into_owned()));
            wipe_and_free(cred.result);
            if status < 0 {
                return Err(CallbackFailed);
            }
            Ok(answer)
        }
    }
}

extern "C" {
    static mut stdin: *mut libc::FILE;
    static mut stdout: *mut libc::FILE;
    /// glibc's: reads from /dev/tty (else stdin) with echo off.
    fn getpass(prompt: *const c_char) -> *mut c_char;
}

/// Prints "PROMPT: " on stdout, as libvirt's default callback does.
unsafe fn print_prompt(prompt: *const c_char) -> bool {
    let prompt = if prompt.is_null() { c"(null)".as_ptr() } else { prompt };
    libc::fputs(prompt, stdout) >= 0 && libc::fputs(c": ".as_ptr(), stdout) >= 0 && libc::fflush(stdout) == 0
}

/// Reads one answer with echo: a line of at most 1023 bytes from stdin, its
/// newline dropped; None for end of input or an empty line.
unsafe fn read_echoed() -> Result<Option<Secret>, ()> {
    let mut buf = Secret::new(String::new());
    let mut raw = [0 as c_char; 1024];
    if libc::fgets(raw.as_mut_ptr(), raw.len() as c_int, stdin).is_null() {
        return if libc::feof(stdin) != 0 { Ok(None) } else { Err(()) };
    }
    buf.push_str(&CStr::from_ptr(raw.as_ptr()).to_string_lossy());
    raw.iter_mut().for_each(|b| std::ptr::write_volatile(b, 0));
    if buf.ends_with('\n') {
        buf.pop();
    }
    Ok((!buf.is_empty()).then_some(buf))
}

/// Reads one answer without echo, through getpass as libvirt does; None for an
/// empty answer.
unsafe fn read_hidden() -> Option<Secret> {
    let raw = getpass(c"".as_ptr());
    if raw.is_null() {
        return None;
    }
    let answer = Secret::new(CStr::from_ptr(raw).to_string_lossy().into_owned());
    // getpass answers in its own static buffer: wipe it, do not free it.
    for i in 0..libc::strlen(raw) {
        std::ptr::write_volatile(raw.add(i), 0);
    }
    (!answer.is_empty()).then_some(answer)
}

/// libvirt's default credential callback: asks each question on the terminal.
unsafe extern "C" fn default_callback(cred: virConnectCredentialPtr, ncred: c_uint, _cbdata: *mut c_void) -> c_int {
    let creds: &mut [virConnectCredential] = if cred.is_null() { &mut [] } else { std::slice::from_raw_parts_mut(cred, ncred as usize) };
    for cred in creds {
        let answer = match cred.r#type {
            VIR_CRED_EXTERNAL => {
                // Only PolicyKit, which the user may have satisfied already.
                if cred.challenge.is_null() || CStr::from_ptr(cred.challenge) != c"PolicyKit" {
                    return -1;
                }
                continue;
            }
            VIR_CRED_USERNAME | VIR_CRED_AUTHNAME | VIR_CRED_ECHOPROMPT | VIR_CRED_REALM => {
                if !print_prompt(cred.prompt) {
                    return -1;
                }
                match read_echoed() {
                    Ok(answer) => answer,
                    Err(()) => return -1,
                }
            }
            VIR_CRED_PASSPHRASE | VIR_CRED_NOECHOPROMPT => {
                if !print_prompt(cred.prompt) {
                    return -1;
                }
                read_hidden()
            }
            _ => return -1,
        };
        let answer: &str = match &answer {
            Some(answer) => answer,
            None if cred.defresult.is_null() => "",
            None => CStr::from_ptr(cred.defresult).to_str().unwrap_or_default(),
        };
        cred.result = super::strings::malloc(answer);
        cred.resultlen = answer.len() as c_uint;
    }
    0
}

/// The credential types the default callback answers, in libvirt's order.
static mut DEFAULT_CREDENTIAL_TYPES: [c_int; 6] =
    [VIR_CRED_AUTHNAME, VIR_CRED_ECHOPROMPT, VIR_CRED_REALM, VIR_CRED_PASSPHRASE, VIR_CRED_NOECHOPROMPT, VIR_CRED_EXTERNAL];

static mut DEFAULT_AUTH: virConnectAuth = virConnectAuth {
    credtype: addr_of_mut!(DEFAULT_CREDENTIAL_TYPES) as *mut c_int,
    ncredtype: 6,
    cb: Some(default_callback),
    cbdata: null_mut(),
};

/// libvirt's exported data symbol: the default virConnectAuth.
#[no_mangle]
pub static mut virConnectAuthPtrDefault: virConnectAuthPtr = addr_of_mut!(DEFAULT_AUTH);
