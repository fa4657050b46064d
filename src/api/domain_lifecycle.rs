//! libvirt-domain.h: defining, starting, pausing and stopping domains, and the
//! block and interface statistics.

use super::domain::{domain, entry, publish, set_handle_id};
use super::guard::{show_ptr, show_str, Call};
use crate::abi::types::*;
use crate::core::{Domain, Result};
use std::os::raw::{c_char, c_int, c_uint};
use std::sync::Arc;

/// A writable domain handle: the handle, then the read-only check.
fn writable_domain(call: &mut Call, dom: virDomainPtr) -> Result<Arc<Domain>> {
    let handle = domain(call, dom)?;
    call.writable()?;
    Ok(handle)
}

unsafe fn create_xml(name: &'static str, conn: virConnectPtr, xml: *const c_char, flags: c_uint) -> virDomainPtr {
    entry(
        name,
        || format!("conn={}, xmlDesc={}, flags=0x{:x}", show_ptr(conn), show_str(xml), flags),
        |call| {
            let conn = call.connect(conn)?;
            let xml = call.string(xml, "xmlDesc")?;
            call.check_writable(&conn)?;
            let created = conn.driver.domain_create_xml(xml, flags)?;
            Ok(publish(&conn, created))
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virDomainCreateXML(conn: virConnectPtr, xmlDesc: *const c_char, flags: c_uint) -> virDomainPtr {
    create_xml("virDomainCreateXML", conn, xmlDesc, flags)
}

/// The old name of virDomainCreateXML.
#[no_mangle]
pub unsafe extern "C" fn virDomainCreateLinux(conn: virConnectPtr, xmlDesc: *const c_char, flags: c_uint) -> virDomainPtr {
    create_xml("virDomainCreateLinux", conn, xmlDesc, flags)
}

unsafe fn define_xml(name: &'static str, conn: virConnectPtr, xml: *const c_char, flags: c_uint) -> virDomainPtr {
    entry(
        name,
        || format!("conn={}, xml={}, flags=0x{:x}", show_ptr(conn), show_str(xml), flags),
        |call| {
            let conn = call.writable_connect(conn)?;
            let xml = call.string(xml, "xml")?;
            let defined = conn.driver.domain_define_xml(xml, flags)?;
            Ok(publish(&conn, defined))
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virDomainDefineXML(conn: virConnectPtr, xml: *const c_char) -> virDomainPtr {
    define_xml("virDomainDefineXML", conn, xml, 0)
}

#[no_mangle]
pub unsafe extern "C" fn virDomainDefineXMLFlags(conn: virConnectPtr, xml: *const c_char, flags: c_uint) -> virDomainPtr {
    define_xml("virDomainDefineXMLFlags", conn, xml, flags)
}

/// One writable-domain call whose driver method returns nothing.
pub(super) fn simple(
    name: &'static str,
    dom: virDomainPtr,
    flags: Option<c_uint>,
    op: impl FnOnce(&Domain) -> Result<()>,
) -> c_int {
    entry(
        name,
        || match flags {
            Some(flags) => format!("dom={}, flags=0x{:x}", show_ptr(dom), flags),
            None => format!("dom={}", show_ptr(dom)),
        },
        |call| {
            let handle = writable_domain(call, dom)?;
            op(&handle)?;
            Ok(0)
        },
    )
}

unsafe fn create(name: &'static str, dom: virDomainPtr, flags: c_uint) -> c_int {
    simple(name, dom, Some(flags), |d| {
        let id = d.conn.driver.domain_create(&d.id, flags)?;
        set_handle_id(dom, id);
        Ok(())
    })
}

#[no_mangle]
pub unsafe extern "C" fn virDomainCreate(domain: virDomainPtr) -> c_int {
    create("virDomainCreate", domain, 0)
}

#[no_mangle]
pub unsafe extern "C" fn virDomainCreateWithFlags(domain: virDomainPtr, flags: c_uint) -> c_int {
    create("virDomainCreateWithFlags", domain, flags)
}

/// Destroy and shutdown leave the handle used without an id.
unsafe fn stop(name: &'static str, dom: virDomainPtr, flags: c_uint, shutdown: bool) -> c_int {
    simple(name, dom, Some(flags), |d| {
        if shutdown {
            d.conn.driver.domain_shutdown(&d.id, flags)?;
        } else {
            d.conn.driver.domain_destroy(&d.id, flags)?;
        }
        set_handle_id(dom, -1);
        Ok(())
    })
}

#[no_mangle]
pub unsafe extern "C" fn virDomainDestroy(domain: virDomainPtr) -> c_int {
    stop("virDomainDestroy", domain, 0, false)
}

#[no_mangle]
pub unsafe extern "C" fn virDomainDestroyFlags(domain: virDomainPtr, flags: c_uint) -> c_int {
    stop("virDomainDestroyFlags", domain, flags, false)
}

#[no_mangle]
pub unsafe extern "C" fn virDomainShutdown(domain: virDomainPtr) -> c_int {
    stop("virDomainShutdown", domain, 0, true)
}

#[no_mangle]
pub unsafe extern "C" fn virDomainShutdownFlags(domain: virDomainPtr, flags: c_uint) -> c_int {
    stop("virDomainShutdownFlags", domain, flags, true)
}

#[no_mangle]
pub unsafe extern "C" fn virDomainReboot(domain: virDomainPtr, flags: c_uint) -> c_int {
    simple("virDomainReboot", domain, Some(flags), |d| d.conn.driver.domain_reboot(&d.id, flags))
}

#[no_mangle]
pub unsafe extern "C" fn virDomainReset(domain: virDomainPtr, flags: c_uint) -> c_int {
    simple("virDomainReset", domain, Some(flags), |d| d.conn.driver.domain_reset(&d.id, flags))
}

#[no_mangle]
pub unsafe extern "C" fn virDomainSuspend(domain: virDomainPtr) -> c_int {
    simple("virDomainSuspend", domain, None, |d| d.conn.driver.domain_suspend(&d.id))
}

#[no_mangle]
pub unsafe extern "C" fn virDomainResume(domain: virDomainPtr) -> c_int {
    simple("virDomainResume", domain, None, |d| d.conn.driver.domain_resume(&d.id))
}

#[no_mangle]
pub unsafe extern "C" fn virDomainUndefine(domain: virDomainPtr) -> c_int {
    simple("virDomainUndefine", domain, None, |d| d.conn.driver.domain_undefine(&d.id, 0))
}

#[no_mangle]
pub unsafe extern "C" fn virDomainUndefineFlags(domain: virDomainPtr, flags: c_uint) -> c_int {
    simple("virDomainUndefineFlags", domain, Some(flags), |d| d.conn.driver.domain_undefine(&d.id, flags))
}

#[no_mangle]
pub unsafe extern "C" fn virDomainSetAutostart(domain: virDomainPtr, autostart: c_int) -> c_int {
    entry(
        "virDomainSetAutostart",
        || format!("dom={}, autostart={}", show_ptr(domain), autostart),
        |call| {
            let d = writable_domain(call, domain)?;
            d.conn.driver.domain_set_autostart(&d.id, autostart != 0)?;
            Ok(0)
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virDomainGetAutostart(domain: virDomainPtr, autostart: *mut c_int) -> c_int {
    entry(
        "virDomainGetAutostart",
        || format!("dom={}, autostart={}", show_ptr(domain), show_ptr(autostart)),
        |call| {
            let d = super::domain::domain(call, domain)?;
            let out = call.out(autostart, "autostart")?;
            *out = c_int::from(d.conn.driver.domain_get_autostart(&d.id)?);
            Ok(0)
        },
    )
}

/// Copies the first `size` bytes of `value` to `out`, as libvirt fills a
/// statistics struct of the caller's (possibly older, smaller) size.
///
/// # Safety
/// `out` is valid for writes of `size` bytes.
unsafe fn copy_out<T>(call: &Call, value: &T, out: *mut T, size: usize) -> Result<()> {
    let full = std::mem::size_of::<T>();
    if size > full {
        return Err(call.bad_arg("size", format!("size must not exceed {full}")));
    }
    std::ptr::copy_nonoverlapping(value as *const T as *const u8, out as *mut u8, size);
    Ok(())
}

#[no_mangle]
pub unsafe extern "C" fn virDomainBlockStats(
    dom: virDomainPtr,
    disk: *const c_char,
    stats: virDomainBlockStatsPtr,
    size: usize,
) -> c_int {
    entry(
        "virDomainBlockStats",
        || format!("dom={}, disk={}, stats={}, size={}", show_ptr(dom), show_str(disk), show_ptr(stats), size),
        |call| {
            let d = domain(call, dom)?;
            let disk = call.string(disk, "disk")?;
            if stats.is_null() {
                return Err(call.null_arg("stats"));
            }
            let got = d.conn.driver.domain_block_stats(&d.id, disk)?;
            let value = virDomainBlockStatsStruct {
                rd_req: got.rd_req,
                rd_bytes: got.rd_bytes,
                wr_req: got.wr_req,
                wr_bytes: got.wr_bytes,
                errs: got.errs,
            };
            copy_out(call, &value, stats, size)?;
            Ok(0)
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virDomainInterfaceStats(
    dom: virDomainPtr,
    device: *const c_char,
    stats: virDomainInterfaceStatsPtr,
    size: usize,
) -> c_int {
    entry(
        "virDomainInterfaceStats",
        || format!("dom={}, device={}, stats={}, size={}", show_ptr(dom), show_str(device), show_ptr(stats), size),
        |call| {
            let d = domain(call, dom)?;
            let device = call.string(device, "device")?;
            if stats.is_null() {
                return Err(call.null_arg("stats"));
            }
            let got = d.conn.driver.domain_interface_stats(&d.id, device)?;
            let value = virDomainInterfaceStatsStruct {
                rx_bytes: got.rx_bytes,
                rx_packets: got.rx_packets,
                rx_errs: got.rx_errs,
                rx_drop: got.rx_drop,
                tx_bytes: got.tx_bytes,
                tx_packets: got.tx_packets,
                tx_errs: got.tx_errs,
                tx_drop: got.tx_drop,
            };
            copy_out(call, &value, stats, size)?;
            Ok(0)
        },
    )
}
