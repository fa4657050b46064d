//! libvirt-domain-snapshot.h: domain snapshots.

use super::guard::{guard, show_ptr, show_str, Call};
use super::strings::malloc;
use crate::abi::types::*;
use crate::abi::virterror::*;
use crate::core::connect::DomainSnapshot;
use crate::core::{object, Child, Connect, Domain, Error, Result};
use crate::driver::SnapshotId;
use std::os::raw::{c_char, c_int, c_uint};
use std::sync::Arc;

#[track_caller]
fn entry<T: super::guard::Failure>(
    name: &'static str,
    args: impl FnOnce() -> String,
    body: impl FnOnce(&mut Call) -> Result<T>,
) -> T {
    guard(VIR_FROM_DOMAIN_SNAPSHOT, name, args, body)
}

#[no_mangle]
pub unsafe extern "C" fn virDomainSnapshotRef(snapshot: virDomainSnapshotPtr) -> c_int {
    entry("virDomainSnapshotRef", || format!("snapshot={}", show_ptr(snapshot)), |call| call.add_ref::<DomainSnapshot, _>(snapshot))
}

#[no_mangle]
pub unsafe extern "C" fn virDomainSnapshotFree(snapshot: virDomainSnapshotPtr) -> c_int {
    entry("virDomainSnapshotFree", || format!("snapshot={}", show_ptr(snapshot)), |call| call.free::<DomainSnapshot, _>(snapshot))
}

fn domain(call: &mut Call, dom: virDomainPtr) -> Result<Arc<Domain>> {
    call.child::<Domain>(dom, VIR_ERR_INVALID_DOMAIN)
}

fn snapshot(call: &mut Call, snap: virDomainSnapshotPtr) -> Result<Arc<DomainSnapshot>> {
    call.child::<DomainSnapshot>(snap, VIR_ERR_INVALID_DOMAIN_SNAPSHOT)
}

fn publish(conn: &Arc<Connect>, id: SnapshotId) -> virDomainSnapshotPtr {
    object::publish(Arc::new(Child { conn: conn.clone(), id })) as virDomainSnapshotPtr
}

/// A malloc'd NULL-terminated array of new handles (virDomainListAllSnapshots).
unsafe fn handles(conn: &Arc<Connect>, found: Vec<SnapshotId>, out: *mut *mut virDomainSnapshotPtr) -> Result<c_int> {
    let count = found.len();
    if !out.is_null() {
        let list = libc::calloc(count + 1, std::mem::size_of::<virDomainSnapshotPtr>()) as *mut virDomainSnapshotPtr;
        if list.is_null() {
            return Err(Error::new(VIR_ERR_NO_MEMORY, VIR_FROM_DOMAIN_SNAPSHOT, None));
        }
        for (i, id) in found.into_iter().enumerate() {
            *list.add(i) = publish(conn, id);
        }
        *out = list;
    }
    Ok(count as c_int)
}

#[no_mangle]
pub unsafe extern "C" fn virDomainSnapshotCreateXML(domain: virDomainPtr, xmlDesc: *const c_char, flags: c_uint) -> virDomainSnapshotPtr {
    entry(
        "virDomainSnapshotCreateXML",
        || format!("domain={}, xmlDesc={}, flags=0x{:x}", show_ptr(domain), show_str(xmlDesc), flags),
        |call| {
            let dom = self::domain(call, domain)?;
            let xml = call.string(xmlDesc, "xmlDesc")?;
            call.check_writable(&dom.conn)?;
            let id = dom.conn.driver.domain_snapshot_create_xml(&dom.id, xml, flags)?;
            Ok(publish(&dom.conn, id))
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virDomainListAllSnapshots(domain: virDomainPtr, snaps: *mut *mut virDomainSnapshotPtr, flags: c_uint) -> c_int {
    entry(
        "virDomainListAllSnapshots",
        || format!("domain={}, snaps={}, flags=0x{:x}", show_ptr(domain), show_ptr(snaps), flags),
        |call| {
            if !snaps.is_null() {
                *snaps = std::ptr::null_mut();
            }
            let dom = self::domain(call, domain)?;
            let found = dom.conn.driver.domain_list_snapshots(&dom.id, flags)?;
            handles(&dom.conn, found, snaps)
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virDomainSnapshotNum(domain: virDomainPtr, flags: c_uint) -> c_int {
    entry("virDomainSnapshotNum", || format!("domain={}, flags=0x{:x}", show_ptr(domain), flags), |call| {
        let dom = self::domain(call, domain)?;
        Ok(dom.conn.driver.domain_list_snapshots(&dom.id, flags)?.len() as c_int)
    })
}

#[no_mangle]
pub unsafe extern "C" fn virDomainSnapshotListNames(domain: virDomainPtr, names: *mut *mut c_char, nameslen: c_int, flags: c_uint) -> c_int {
    entry(
        "virDomainSnapshotListNames",
        || format!("domain={}, names={}, nameslen={}, flags=0x{:x}", show_ptr(domain), show_ptr(names), nameslen, flags),
        |call| {
            let dom = self::domain(call, domain)?;
            if names.is_null() && nameslen > 0 {
                return Err(call.null_arg("names"));
            }
            call.non_negative("nameslen", nameslen.into())?;
            let found = dom.conn.driver.domain_list_snapshots(&dom.id, flags)?;
            let n = found.len().min(nameslen as usize);
            for (i, snap) in found.iter().take(n).enumerate() {
                *names.add(i) = malloc(&snap.name);
            }
            Ok(n as c_int)
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virDomainSnapshotLookupByName(domain: virDomainPtr, name: *const c_char, flags: c_uint) -> virDomainSnapshotPtr {
    entry(
        "virDomainSnapshotLookupByName",
        || format!("domain={}, name={}, flags=0x{:x}", show_ptr(domain), show_str(name), flags),
        |call| {
            let dom = self::domain(call, domain)?;
            let name = call.string(name, "name")?;
            let id = dom.conn.driver.domain_snapshot_lookup_by_name(&dom.id, name, flags)?;
            Ok(publish(&dom.conn, id))
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virDomainHasCurrentSnapshot(domain: virDomainPtr, flags: c_uint) -> c_int {
    entry("virDomainHasCurrentSnapshot", || format!("domain={}, flags=0x{:x}", show_ptr(domain), flags), |call| {
        let dom = self::domain(call, domain)?;
        Ok(dom.conn.driver.domain_snapshot_current(&dom.id, flags)?.is_some() as c_int)
    })
}

#[no_mangle]
pub unsafe extern "C" fn virDomainSnapshotCurrent(domain: virDomainPtr, flags: c_uint) -> virDomainSnapshotPtr {
    entry("virDomainSnapshotCurrent", || format!("domain={}, flags=0x{:x}", show_ptr(domain), flags), |call| {
        let dom = self::domain(call, domain)?;
        match dom.conn.driver.domain_snapshot_current(&dom.id, flags)? {
            Some(id) => Ok(publish(&dom.conn, id)),
            None => Err(Error::with_detail(
                VIR_ERR_NO_DOMAIN_SNAPSHOT,
                VIR_FROM_DOMAIN_SNAPSHOT,
                "the domain does not have a current snapshot",
            )),
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn virDomainSnapshotGetName(snapshot: virDomainSnapshotPtr) -> *const c_char {
    entry("virDomainSnapshotGetName", || format!("snapshot={}", show_ptr(snapshot)), |call| {
        // The registry holds the handle until virDomainSnapshotFree.
        Ok(self::snapshot(call, snapshot)?.id.c_name().as_ptr())
    })
}

/// The snapshot's connection, without a new reference (as in libvirt).
#[no_mangle]
pub unsafe extern "C" fn virDomainSnapshotGetConnect(snapshot: virDomainSnapshotPtr) -> virConnectPtr {
    entry("virDomainSnapshotGetConnect", || format!("snapshot={}", show_ptr(snapshot)), |call| {
        Ok(Arc::as_ptr(&self::snapshot(call, snapshot)?.conn) as virConnectPtr)
    })
}

#[no_mangle]
pub unsafe extern "C" fn virDomainSnapshotGetXMLDesc(snapshot: virDomainSnapshotPtr, flags: c_uint) -> *mut c_char {
    entry("virDomainSnapshotGetXMLDesc", || format!("snapshot={}, flags=0x{:x}", show_ptr(snapshot), flags), |call| {
        let snap = self::snapshot(call, snapshot)?;
        if flags & crate::abi::domain_snapshot::VIR_DOMAIN_SNAPSHOT_XML_SECURE as c_uint != 0 {
            call.secure()?;
        }
        Ok(malloc(&snap.conn.driver.snapshot_xml_desc(&snap.id, flags)?))
    })
}

#[no_mangle]
pub unsafe extern "C" fn virDomainSnapshotGetParent(snapshot: virDomainSnapshotPtr, flags: c_uint) -> virDomainSnapshotPtr {
    entry("virDomainSnapshotGetParent", || format!("snapshot={}, flags=0x{:x}", show_ptr(snapshot), flags), |call| {
        let snap = self::snapshot(call, snapshot)?;
        match snap.conn.driver.snapshot_parent(&snap.id, flags)? {
            Some(id) => Ok(publish(&snap.conn, id)),
            None => Err(Error::with_detail(
                VIR_ERR_NO_DOMAIN_SNAPSHOT,
                VIR_FROM_DOMAIN_SNAPSHOT,
                format!("snapshot '{}' does not have a parent", snap.id.name),
            )),
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn virDomainSnapshotIsCurrent(snapshot: virDomainSnapshotPtr, flags: c_uint) -> c_int {
    entry("virDomainSnapshotIsCurrent", || format!("snapshot={}, flags=0x{:x}", show_ptr(snapshot), flags), |call| {
        let snap = self::snapshot(call, snapshot)?;
        let current = snap.conn.driver.domain_snapshot_current(&snap.id.domain, flags)?;
        Ok(current.is_some_and(|c| c.name == snap.id.name) as c_int)
    })
}

/// Hyper-V keeps checkpoints itself: there is never libvirt metadata.
#[no_mangle]
pub unsafe extern "C" fn virDomainSnapshotHasMetadata(snapshot: virDomainSnapshotPtr, flags: c_uint) -> c_int {
    entry("virDomainSnapshotHasMetadata", || format!("snapshot={}, flags=0x{:x}", show_ptr(snapshot), flags), |call| {
        let snap = self::snapshot(call, snapshot)?;
        crate::driver::check_flags(VIR_FROM_DOMAIN_SNAPSHOT, "virDomainSnapshotHasMetadata", flags, 0)?;
        snap.conn.driver.snapshot_parent(&snap.id, 0)?;
        Ok(0)
    })
}

#[no_mangle]
pub unsafe extern "C" fn virDomainRevertToSnapshot(snapshot: virDomainSnapshotPtr, flags: c_uint) -> c_int {
    entry("virDomainRevertToSnapshot", || format!("snapshot={}, flags=0x{:x}", show_ptr(snapshot), flags), |call| {
        let snap = self::snapshot(call, snapshot)?;
        call.check_writable(&snap.conn)?;
        snap.conn.driver.snapshot_revert(&snap.id, flags).map(|()| 0)
    })
}

#[no_mangle]
pub unsafe extern "C" fn virDomainSnapshotDelete(snapshot: virDomainSnapshotPtr, flags: c_uint) -> c_int {
    entry("virDomainSnapshotDelete", || format!("snapshot={}, flags=0x{:x}", show_ptr(snapshot), flags), |call| {
        let snap = self::snapshot(call, snapshot)?;
        call.check_writable(&snap.conn)?;
        snap.conn.driver.snapshot_delete(&snap.id, flags).map(|()| 0)
    })
}
