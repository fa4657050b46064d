//! Facts about the machine that std does not expose. Like `api`, this module may
//! use `unsafe`: each call is a plain libc query with a buffer we own.

use std::ffi::{CStr, CString};

/// glibc's AI_CANONIDN (not in the libc crate for Linux): the canonical name is
/// returned decoded from IDN, as libvirt asks for it.
const AI_CANONIDN: libc::c_int = 0x0080;

/// The host's name as libvirt's virGetHostname gives it: gethostname(), and when that
/// is a short name other than localhost*, the canonical name getaddrinfo() finds
/// for it, unless that is missing or localhost* too.
pub fn hostname() -> std::io::Result<String> {
    let short = gethostname()?;
    if short.starts_with("localhost") || short.contains('.') {
        return Ok(short);
    }
    match canonical_name(&short) {
        Some(canonical) if !canonical.starts_with("localhost") => Ok(canonical),
        _ => Ok(short),
    }
}

fn gethostname() -> std::io::Result<String> {
    let mut buf = [0u8; 256];
    // SAFETY: the buffer is writable for its length; we keep the last byte NUL.
    let rc = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len() - 1) };
    if rc != 0 {
        return Err(std::io::Error::last_os_error());
    }
    let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    Ok(String::from_utf8_lossy(&buf[..end]).into_owned())
}

fn canonical_name(host: &str) -> Option<String> {
    let host = CString::new(host).ok()?;
    // SAFETY: zeroed addrinfo is a valid "no hints" value; we set the fields we need.
    let mut hints: libc::addrinfo = unsafe { std::mem::zeroed() };
    hints.ai_flags = libc::AI_CANONNAME | AI_CANONIDN;
    hints.ai_family = libc::AF_UNSPEC;
    let mut info: *mut libc::addrinfo = std::ptr::null_mut();
    // SAFETY: valid C strings and pointers; on success `info` is freed below.
    let rc = unsafe { libc::getaddrinfo(host.as_ptr(), std::ptr::null(), &hints, &mut info) };
    if rc != 0 || info.is_null() {
        return None;
    }
    // SAFETY: getaddrinfo succeeded, so `info` points to a valid list.
    let name = unsafe {
        let canon = (*info).ai_canonname;
        let name = (!canon.is_null()).then(|| CStr::from_ptr(canon).to_string_lossy().into_owned());
        libc::freeaddrinfo(info);
        name
    };
    name
}

/// Whether the host has IOMMU groups (libvirt's virHostHasIOMMU).
pub fn has_iommu() -> bool {
    std::fs::read_dir("/sys/kernel/iommu_groups/").map(|mut dir| dir.next().is_some()).unwrap_or(false)
}

/// Microseconds since the Unix epoch (GLib's g_get_real_time).
pub fn real_time_us() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_micros() as u64).unwrap_or(0)
}

/// poll(2) on `fds` for at most `timeout_ms` (-1: no limit): how many entries have
/// events in `revents`.
pub fn poll(fds: &mut [libc::pollfd], timeout_ms: i32) -> std::io::Result<usize> {
    // SAFETY: the slice is valid and writable for its length, which we pass.
    let rc = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, timeout_ms) };
    if rc < 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(rc as usize)
}
