//! libvirt-stream.h: streams.

use super::guard::{guard, show_ptr, Call};
use crate::abi::types::*;
use crate::abi::callbacks::{virStreamSinkFunc, virStreamSourceFunc};
use crate::abi::stream::VIR_STREAM_NONBLOCK;
use crate::abi::virterror::*;
use crate::core::connect::{Child, Stream};
use crate::core::object;
use crate::core::stream::StreamBody;
use crate::core::{Error, Result};
use std::os::raw::{c_char, c_int, c_uint, c_void};
use std::sync::Arc;

#[track_caller]
fn entry<T: super::guard::Failure>(
    name: &'static str,
    args: impl FnOnce() -> String,
    body: impl FnOnce(&mut Call) -> Result<T>,
) -> T {
    guard(VIR_FROM_STREAMS, name, args, body)
}

/// The chunk virStreamRecvAll and virStreamSendAll move at a time (libvirt's
/// largest legacy RPC payload).
const CHUNK: usize = 262120;

fn stream(call: &mut Call, ptr: virStreamPtr) -> Result<Arc<Stream>> {
    call.child::<Stream>(ptr, VIR_ERR_INVALID_STREAM)
}

#[no_mangle]
pub unsafe extern "C" fn virStreamNew(conn: virConnectPtr, flags: c_uint) -> virStreamPtr {
    entry("virStreamNew", || format!("conn={}, flags=0x{:x}", show_ptr(conn), flags), |call| {
        let conn = call.connect(conn)?;
        Ok(object::publish(Arc::new(Child { conn, id: StreamBody::new(flags) })) as virStreamPtr)
    })
}

#[no_mangle]
pub unsafe extern "C" fn virStreamRef(stream: virStreamPtr) -> c_int {
    entry("virStreamRef", || format!("stream={}", show_ptr(stream)), |call| call.add_ref::<Stream, _>(stream))
}

#[no_mangle]
pub unsafe extern "C" fn virStreamFree(stream: virStreamPtr) -> c_int {
    entry("virStreamFree", || format!("stream={}", show_ptr(stream)), |call| call.free::<Stream, _>(stream))
}

#[no_mangle]
pub unsafe extern "C" fn virStreamRecv(stream: virStreamPtr, data: *mut c_char, nbytes: usize) -> c_int {
    entry("virStreamRecv", || format!("stream={}, data={}, nbytes={}", show_ptr(stream), show_ptr(data), nbytes), |call| {
        let st = self::stream(call, stream)?;
        if data.is_null() {
            return Err(call.null_arg("data"));
        }
        // SAFETY: the caller gives a buffer of `nbytes` bytes.
        let buf = std::slice::from_raw_parts_mut(data as *mut u8, nbytes);
        Ok(st.id.recv(buf)? as c_int)
    })
}

/// No stream of ours supports flagged reads (libvirt's file streams neither).
#[no_mangle]
pub unsafe extern "C" fn virStreamRecvFlags(stream: virStreamPtr, data: *mut c_char, nbytes: usize, flags: c_uint) -> c_int {
    entry(
        "virStreamRecvFlags",
        || format!("stream={}, data={}, nbytes={}, flags=0x{:x}", show_ptr(stream), show_ptr(data), nbytes, flags),
        |call| {
            self::stream(call, stream)?;
            if data.is_null() {
                return Err(call.null_arg("data"));
            }
            Err(Error::no_support("virStreamRecvFlags"))
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virStreamSend(stream: virStreamPtr, data: *const c_char, nbytes: usize) -> c_int {
    entry("virStreamSend", || format!("stream={}, data={}, nbytes={}", show_ptr(stream), show_ptr(data), nbytes), |call| {
        let st = self::stream(call, stream)?;
        if data.is_null() {
            return Err(call.null_arg("data"));
        }
        // SAFETY: the caller gives `nbytes` readable bytes.
        let buf = std::slice::from_raw_parts(data as *const u8, nbytes);
        Ok(st.id.send(buf)? as c_int)
    })
}

#[no_mangle]
pub unsafe extern "C" fn virStreamFinish(stream: virStreamPtr) -> c_int {
    entry("virStreamFinish", || format!("stream={}", show_ptr(stream)), |call| {
        self::stream(call, stream)?.id.close(false).map(|_| 0)
    })
}

#[no_mangle]
pub unsafe extern "C" fn virStreamAbort(stream: virStreamPtr) -> c_int {
    entry("virStreamAbort", || format!("stream={}", show_ptr(stream)), |call| {
        self::stream(call, stream)?.id.close(true).map(|_| 0)
    })
}

/// The errno a failed C handler left, for libvirt's "handler failed" message;
/// EIO when it left none.
fn errno() -> i32 {
    match std::io::Error::last_os_error().raw_os_error() {
        Some(0) | None => libc::EIO,
        Some(errno) => errno,
    }
}

/// The loops of virStreamRecvAll and virStreamSendAll: on any failure libvirt
/// aborts the stream, keeping the failure's error.
fn all(call: &mut Call, ptr: virStreamPtr, has_handler: bool, sink: bool, run: impl FnOnce(&Stream) -> Result<()>) -> Result<c_int> {
    let st = stream(call, ptr)?;
    if !has_handler {
        return Err(call.null_arg("handler"));
    }
    let outcome = if st.id.flags & VIR_STREAM_NONBLOCK as u32 != 0 {
        let what = if sink { "data sinks" } else { "data sources" };
        Err(Error::operation_invalid(VIR_FROM_STREAMS, format!("{what} cannot be used for non-blocking streams")))
    } else {
        run(&st)
    };
    if outcome.is_err() {
        let _ = st.id.close(true);
    }
    outcome.map(|_| 0)
}

#[no_mangle]
pub unsafe extern "C" fn virStreamRecvAll(stream: virStreamPtr, handler: virStreamSinkFunc, opaque: *mut c_void) -> c_int {
    entry("virStreamRecvAll", || format!("stream={}, handler={:?}, opaque={}", show_ptr(stream), handler.map(|f| f as *const c_void), show_ptr(opaque)), |call| {
        all(call, stream, handler.is_some(), true, |st| {
            let handler = handler.expect("checked");
            let mut buf = vec![0u8; CHUNK];
            loop {
                let got = st.id.recv(&mut buf)?;
                if got == 0 {
                    return Ok(());
                }
                let mut offset = 0;
                while offset < got {
                    // SAFETY: the handler gets the bytes just received, as libvirt gives them.
                    let done = handler(stream, buf[offset..].as_ptr() as *const c_char, got - offset, opaque);
                    if done < 0 {
                        return Err(Error::system(VIR_FROM_STREAMS, errno(), "recv handler failed"));
                    }
                    offset += done as usize;
                }
            }
        })
    })
}

#[no_mangle]
pub unsafe extern "C" fn virStreamSendAll(stream: virStreamPtr, handler: virStreamSourceFunc, opaque: *mut c_void) -> c_int {
    entry("virStreamSendAll", || format!("stream={}, handler={:?}, opaque={}", show_ptr(stream), handler.map(|f| f as *const c_void), show_ptr(opaque)), |call| {
        all(call, stream, handler.is_some(), false, |st| {
            let handler = handler.expect("checked");
            let mut buf = vec![0u8; CHUNK];
            loop {
                // SAFETY: the handler fills at most CHUNK bytes of our buffer.
                let got = handler(stream, buf.as_mut_ptr() as *mut c_char, CHUNK, opaque);
                if got < 0 {
                    return Err(Error::system(VIR_FROM_STREAMS, errno(), "send handler failed"));
                }
                if got == 0 {
                    return Ok(());
                }
                let got = (got as usize).min(CHUNK);
                let mut offset = 0;
                while offset < got {
                    offset += st.id.send(&buf[offset..got])?;
                }
            }
        })
    })
}

/// libvirt-domain.h's call that fills a stream: the driver answers with the whole
/// image, which the stream then holds.
#[no_mangle]
pub unsafe extern "C" fn virDomainScreenshot(domain: virDomainPtr, stream: virStreamPtr, screen: c_uint, flags: c_uint) -> *mut c_char {
    guard(
        VIR_FROM_DOMAIN,
        "virDomainScreenshot",
        || format!("dom={}, stream={}, screen={}, flags=0x{:x}", show_ptr(domain), show_ptr(stream), screen, flags),
        |call| {
            let dom = super::domain::domain(call, domain)?;
            let st = call.handle::<Stream, _>(stream)?;
            call.writable()?;
            if !Arc::ptr_eq(&st.conn, &dom.conn) {
                let message = format!("stream must match connection of domain '{}'", dom.id.name);
                return Err(call.bad_arg("stream", message));
            }
            let (mime, image) = dom.conn.driver.domain_screenshot(&dom.id, screen, flags)?;
            st.id.fill(image);
            Ok(super::strings::malloc(&mime))
        },
    )
}
