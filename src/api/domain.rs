//! libvirt-domain.h: domains.

use super::guard::{guard, show_ptr, show_str, Call};
use super::strings::malloc;
use crate::abi::types::*;
use crate::abi::virterror::*;
use crate::core::object;
use crate::core::{Child, Connect, Domain, Error, Result};
use crate::driver::DomainId;
use crate::uuid::{format_uuid, parse_uuid};
use std::os::raw::{c_char, c_int, c_uchar, c_uint, c_ulong, c_ulonglong, c_ushort};
use std::sync::Arc;

fn entry<T: super::guard::Failure>(
    name: &'static str,
    args: impl FnOnce() -> String,
    body: impl FnOnce(&mut Call) -> Result<T>,
) -> T {
    guard(VIR_FROM_DOMAIN, name, args, body)
}

/// A live domain handle. libvirt reports a bad one in the VIR_FROM_DOM domain,
/// unlike a bad connection, which is reported in the header's own.
fn domain(call: &mut Call, dom: virDomainPtr) -> Result<Arc<Domain>> {
    call.child::<Domain>(dom, VIR_ERR_INVALID_DOMAIN).map_err(|mut e| {
        e.domain = VIR_FROM_DOM;
        e
    })
}

/// Hands C a new handle on the domain `id` names, holding a reference on `conn`.
fn publish(conn: &Arc<Connect>, id: DomainId) -> virDomainPtr {
    object::publish(Arc::new(Child { conn: conn.clone(), id })) as virDomainPtr
}

/// A NULL array with room for entries is an error; NULL with none is allowed.
fn array<T>(call: &Call, ptr: *mut T, max: c_int, arg: &str, max_arg: &str) -> Result<usize> {
    if ptr.is_null() && max > 0 {
        return Err(call.null_arg(arg));
    }
    call.non_negative(max_arg, max.into())?;
    Ok(max as usize)
}

#[no_mangle]
pub unsafe extern "C" fn virConnectNumOfDomains(conn: virConnectPtr) -> c_int {
    entry(
        "virConnectNumOfDomains",
        || format!("conn={}", show_ptr(conn)),
        |call| Ok(call.connect(conn)?.driver.num_of_domains()? as c_int),
    )
}

#[no_mangle]
pub unsafe extern "C" fn virConnectListDomains(conn: virConnectPtr, ids: *mut c_int, maxids: c_int) -> c_int {
    entry(
        "virConnectListDomains",
        || format!("conn={}, ids={}, maxids={}", show_ptr(conn), show_ptr(ids), maxids),
        |call| {
            let conn = call.connect(conn)?;
            let max = array(call, ids, maxids, "ids", "maxids")?;
            let got = conn.driver.list_domains(max)?;
            for (i, id) in got.iter().take(max).enumerate() {
                *ids.add(i) = *id;
            }
            Ok(got.len().min(max) as c_int)
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virConnectNumOfDefinedDomains(conn: virConnectPtr) -> c_int {
    entry(
        "virConnectNumOfDefinedDomains",
        || format!("conn={}", show_ptr(conn)),
        |call| Ok(call.connect(conn)?.driver.num_of_defined_domains()? as c_int),
    )
}

#[no_mangle]
pub unsafe extern "C" fn virConnectListDefinedDomains(
    conn: virConnectPtr,
    names: *mut *mut c_char,
    maxnames: c_int,
) -> c_int {
    entry(
        "virConnectListDefinedDomains",
        || format!("conn={}, names={}, maxnames={}", show_ptr(conn), show_ptr(names), maxnames),
        |call| {
            let conn = call.connect(conn)?;
            let max = array(call, names, maxnames, "names", "maxnames")?;
            let got = conn.driver.list_defined_domains(max)?;
            for (i, name) in got.iter().take(max).enumerate() {
                *names.add(i) = malloc(name);
            }
            Ok(got.len().min(max) as c_int)
        },
    )
}

/// The array is malloc'd with a NULL after the last handle, as libvirt's is: the
/// caller frees each handle with virDomainFree and the array with free().
#[no_mangle]
pub unsafe extern "C" fn virConnectListAllDomains(
    conn: virConnectPtr,
    domains: *mut *mut virDomainPtr,
    flags: c_uint,
) -> c_int {
    entry(
        "virConnectListAllDomains",
        || format!("conn={}, domains={}, flags=0x{:x}", show_ptr(conn), show_ptr(domains), flags),
        |call| {
            if !domains.is_null() {
                *domains = std::ptr::null_mut();
            }
            let conn = call.connect(conn)?;
            let found = conn.driver.list_all_domains(flags)?;
            let count = found.len();
            if !domains.is_null() {
                let list = libc::calloc(count + 1, std::mem::size_of::<virDomainPtr>()) as *mut virDomainPtr;
                if list.is_null() {
                    return Err(Error::new(VIR_ERR_NO_MEMORY, VIR_FROM_DOMAIN, None));
                }
                for (i, id) in found.into_iter().enumerate() {
                    *list.add(i) = publish(&conn, id);
                }
                *domains = list;
            }
            Ok(count as c_int)
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virDomainLookupByID(conn: virConnectPtr, id: c_int) -> virDomainPtr {
    entry(
        "virDomainLookupByID",
        || format!("conn={}, id={}", show_ptr(conn), id),
        |call| {
            let conn = call.connect(conn)?;
            call.non_negative("id", id.into())?;
            let found = conn.driver.domain_lookup_by_id(id)?;
            Ok(publish(&conn, found))
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virDomainLookupByName(conn: virConnectPtr, name: *const c_char) -> virDomainPtr {
    entry(
        "virDomainLookupByName",
        || format!("conn={}, name={}", show_ptr(conn), show_str(name)),
        |call| {
            let conn = call.connect(conn)?;
            let name = call.string(name, "name")?;
            let found = conn.driver.domain_lookup_by_name(name)?;
            Ok(publish(&conn, found))
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virDomainLookupByUUID(conn: virConnectPtr, uuid: *const c_uchar) -> virDomainPtr {
    entry(
        "virDomainLookupByUUID",
        || format!("conn={}, uuid={}", show_ptr(conn), show_ptr(uuid)),
        |call| {
            let conn = call.connect(conn)?;
            if uuid.is_null() {
                return Err(call.null_arg("uuid"));
            }
            let uuid = *(uuid as *const [u8; 16]);
            let found = conn.driver.domain_lookup_by_uuid(&uuid)?;
            Ok(publish(&conn, found))
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virDomainLookupByUUIDString(conn: virConnectPtr, uuidstr: *const c_char) -> virDomainPtr {
    entry(
        "virDomainLookupByUUIDString",
        || format!("conn={}, uuidstr={}", show_ptr(conn), show_str(uuidstr)),
        |call| {
            let conn = call.connect(conn)?;
            let text = call.string(uuidstr, "uuidstr")?;
            let uuid = parse_uuid(text)
                .ok_or_else(|| call.bad_arg("uuidstr", "Invalid UUID"))?;
            let found = conn.driver.domain_lookup_by_uuid(&uuid)?;
            Ok(publish(&conn, found))
        },
    )
}

/// The name lives as long as the handle, as in libvirt.
#[no_mangle]
pub unsafe extern "C" fn virDomainGetName(dom: virDomainPtr) -> *const c_char {
    entry(
        "virDomainGetName",
        || format!("dom={}", show_ptr(dom)),
        |call| {
            // The registry holds the handle until virDomainFree, so the name outlives
            // this Arc clone.
            Ok(domain(call, dom)?.id.c_name().as_ptr())
        },
    )
}

/// The id the handle was made with; (unsigned)-1 for an inactive domain.
#[no_mangle]
pub unsafe extern "C" fn virDomainGetID(dom: virDomainPtr) -> c_uint {
    entry("virDomainGetID", || format!("dom={}", show_ptr(dom)), |call| Ok(domain(call, dom)?.id.id as c_uint))
}

#[no_mangle]
pub unsafe extern "C" fn virDomainGetUUID(dom: virDomainPtr, uuid: *mut c_uchar) -> c_int {
    entry(
        "virDomainGetUUID",
        || format!("dom={}, uuid={}", show_ptr(dom), show_ptr(uuid)),
        |call| {
            let dom = domain(call, dom)?;
            let out = call.out(uuid as *mut [u8; 16], "uuid")?;
            *out = dom.id.uuid;
            Ok(0)
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virDomainGetUUIDString(dom: virDomainPtr, buf: *mut c_char) -> c_int {
    entry(
        "virDomainGetUUIDString",
        || format!("dom={}, buf={}", show_ptr(dom), show_ptr(buf)),
        |call| {
            let dom = domain(call, dom)?;
            let out = call.out(buf as *mut [u8; 37], "buf")?;
            let text = format_uuid(&dom.id.uuid);
            out[..36].copy_from_slice(text.as_bytes());
            out[36] = 0;
            Ok(0)
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virDomainGetInfo(dom: virDomainPtr, info: virDomainInfoPtr) -> c_int {
    entry(
        "virDomainGetInfo",
        || format!("dom={}, info={}", show_ptr(dom), show_ptr(info)),
        |call| {
            let dom = domain(call, dom)?;
            let out = call.out(info, "info")?;
            let got = dom.conn.driver.domain_info(&dom.id)?;
            *out = virDomainInfo {
                state: got.state as c_uchar,
                maxMem: got.max_mem_kib as c_ulong,
                memory: got.memory_kib as c_ulong,
                nrVirtCpu: got.nr_virt_cpu as c_ushort,
                cpuTime: got.cpu_time_ns as c_ulonglong,
            };
            Ok(0)
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virDomainGetState(
    dom: virDomainPtr,
    state: *mut c_int,
    reason: *mut c_int,
    flags: c_uint,
) -> c_int {
    entry(
        "virDomainGetState",
        || format!("dom={}, state={}, reason={}, flags=0x{:x}", show_ptr(dom), show_ptr(state), show_ptr(reason), flags),
        |call| {
            let dom = domain(call, dom)?;
            let out = call.out(state, "state")?;
            let (got_state, got_reason) = dom.conn.driver.domain_state(&dom.id, flags)?;
            *out = got_state;
            if let Some(reason) = reason.as_mut() {
                *reason = got_reason;
            }
            Ok(0)
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virDomainGetOSType(dom: virDomainPtr) -> *mut c_char {
    entry(
        "virDomainGetOSType",
        || format!("dom={}", show_ptr(dom)),
        |call| {
            let dom = domain(call, dom)?;
            Ok(malloc(&dom.conn.driver.domain_os_type(&dom.id)?))
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virDomainGetMaxMemory(dom: virDomainPtr) -> c_ulong {
    entry(
        "virDomainGetMaxMemory",
        || format!("dom={}", show_ptr(dom)),
        |call| {
            let dom = domain(call, dom)?;
            Ok(dom.conn.driver.domain_max_memory(&dom.id)? as c_ulong)
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virDomainGetMaxVcpus(dom: virDomainPtr) -> c_int {
    entry(
        "virDomainGetMaxVcpus",
        || format!("dom={}", show_ptr(dom)),
        |call| {
            let dom = domain(call, dom)?;
            dom.conn.driver.domain_max_vcpus(&dom.id)
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virDomainIsActive(dom: virDomainPtr) -> c_int {
    entry(
        "virDomainIsActive",
        || format!("dom={}", show_ptr(dom)),
        |call| {
            let dom = domain(call, dom)?;
            Ok(dom.conn.driver.domain_is_active(&dom.id)? as c_int)
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virDomainIsPersistent(dom: virDomainPtr) -> c_int {
    entry(
        "virDomainIsPersistent",
        || format!("dom={}", show_ptr(dom)),
        |call| {
            let dom = domain(call, dom)?;
            Ok(dom.conn.driver.domain_is_persistent(&dom.id)? as c_int)
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virDomainIsUpdated(dom: virDomainPtr) -> c_int {
    entry(
        "virDomainIsUpdated",
        || format!("dom={}", show_ptr(dom)),
        |call| {
            let dom = domain(call, dom)?;
            Ok(dom.conn.driver.domain_is_updated(&dom.id)? as c_int)
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virDomainGetXMLDesc(dom: virDomainPtr, flags: c_uint) -> *mut c_char {
    entry(
        "virDomainGetXMLDesc",
        || format!("dom={}, flags=0x{:x}", show_ptr(dom), flags),
        |call| {
            let dom = domain(call, dom)?;
            if flags & (crate::abi::domain::VIR_DOMAIN_XML_SECURE | crate::abi::domain::VIR_DOMAIN_XML_MIGRATABLE) as c_uint != 0 {
                call.secure()?;
            }
            Ok(malloc(&dom.conn.driver.domain_xml_desc(&dom.id, flags)?))
        },
    )
}

/// The domain's connection, without a new reference (as in libvirt).
#[no_mangle]
pub unsafe extern "C" fn virDomainGetConnect(dom: virDomainPtr) -> virConnectPtr {
    entry(
        "virDomainGetConnect",
        || format!("dom={}", show_ptr(dom)),
        |call| Ok(Arc::as_ptr(&domain(call, dom)?.conn) as virConnectPtr),
    )
}

#[no_mangle]
pub unsafe extern "C" fn virDomainRef(dom: virDomainPtr) -> c_int {
    entry("virDomainRef", || format!("dom={}", show_ptr(dom)), |call| call.add_ref::<Domain, _>(dom))
}

#[no_mangle]
pub unsafe extern "C" fn virDomainFree(dom: virDomainPtr) -> c_int {
    entry("virDomainFree", || format!("dom={}", show_ptr(dom)), |call| call.free::<Domain, _>(dom))
}

// --- hyperv additions ---

#[no_mangle]
pub unsafe extern "C" fn virDomainDefineXML(conn: virConnectPtr, xml: *const c_char) -> virDomainPtr {
    entry(
        "virDomainDefineXML",
        || format!("conn={}, xml={}", show_ptr(conn), show_str(xml)),
        |call| {
            let conn = call.writable_connect(conn)?;
            let xml = call.string(xml, "xml")?;
            let id = conn.driver.domain_define_xml(xml, 0)?;
            Ok(publish(&conn, id))
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virDomainDefineXMLFlags(conn: virConnectPtr, xml: *const c_char, flags: c_uint) -> virDomainPtr {
    entry(
        "virDomainDefineXMLFlags",
        || format!("conn={}, xml={}, flags=0x{:x}", show_ptr(conn), show_str(xml), flags),
        |call| {
            let conn = call.writable_connect(conn)?;
            let xml = call.string(xml, "xml")?;
            let id = conn.driver.domain_define_xml(xml, flags)?;
            Ok(publish(&conn, id))
        },
    )
}

/// A domain handle on a connection that may change things.
fn writable_domain(call: &mut Call, dom: virDomainPtr) -> Result<Arc<Domain>> {
    let dom = domain(call, dom)?;
    call.check_writable(&dom.conn)?;
    Ok(dom)
}

#[no_mangle]
pub unsafe extern "C" fn virDomainUndefine(domain: virDomainPtr) -> c_int {
    entry("virDomainUndefine", || format!("domain={}", show_ptr(domain)), |call| {
        let dom = writable_domain(call, domain)?;
        dom.conn.driver.domain_undefine(&dom.id, 0).map(|()| 0)
    })
}

#[no_mangle]
pub unsafe extern "C" fn virDomainUndefineFlags(domain: virDomainPtr, flags: c_uint) -> c_int {
    entry("virDomainUndefineFlags", || format!("domain={}, flags=0x{:x}", show_ptr(domain), flags), |call| {
        let dom = writable_domain(call, domain)?;
        dom.conn.driver.domain_undefine(&dom.id, flags).map(|()| 0)
    })
}

#[no_mangle]
pub unsafe extern "C" fn virDomainCreate(domain: virDomainPtr) -> c_int {
    entry("virDomainCreate", || format!("domain={}", show_ptr(domain)), |call| {
        let dom = writable_domain(call, domain)?;
        dom.conn.driver.domain_create(&dom.id, 0).map(|()| 0)
    })
}

#[no_mangle]
pub unsafe extern "C" fn virDomainDestroy(domain: virDomainPtr) -> c_int {
    entry("virDomainDestroy", || format!("domain={}", show_ptr(domain)), |call| {
        let dom = writable_domain(call, domain)?;
        dom.conn.driver.domain_destroy(&dom.id, 0).map(|()| 0)
    })
}

/// Attach and detach, with their flags (the flag-less calls pass AFFECT_LIVE, as libvirt does).
unsafe fn change_device(
    name: &'static str,
    domain: virDomainPtr,
    xml: *const c_char,
    flags: c_uint,
    attach: bool,
) -> c_int {
    entry(name, || format!("domain={}, xml={}, flags=0x{:x}", show_ptr(domain), show_str(xml), flags), |call| {
        let dom = self::domain(call, domain)?;
        let xml = call.string(xml, "xml")?;
        call.check_writable(&dom.conn)?;
        if attach {
            dom.conn.driver.domain_attach_device(&dom.id, xml, flags)?;
        } else {
            dom.conn.driver.domain_detach_device(&dom.id, xml, flags)?;
        }
        Ok(0)
    })
}

#[no_mangle]
pub unsafe extern "C" fn virDomainAttachDevice(domain: virDomainPtr, xml: *const c_char) -> c_int {
    change_device("virDomainAttachDevice", domain, xml, crate::abi::domain::VIR_DOMAIN_AFFECT_LIVE as c_uint, true)
}

#[no_mangle]
pub unsafe extern "C" fn virDomainAttachDeviceFlags(domain: virDomainPtr, xml: *const c_char, flags: c_uint) -> c_int {
    change_device("virDomainAttachDeviceFlags", domain, xml, flags, true)
}

#[no_mangle]
pub unsafe extern "C" fn virDomainDetachDevice(domain: virDomainPtr, xml: *const c_char) -> c_int {
    change_device("virDomainDetachDevice", domain, xml, crate::abi::domain::VIR_DOMAIN_AFFECT_LIVE as c_uint, false)
}

#[no_mangle]
pub unsafe extern "C" fn virDomainDetachDeviceFlags(domain: virDomainPtr, xml: *const c_char, flags: c_uint) -> c_int {
    change_device("virDomainDetachDeviceFlags", domain, xml, flags, false)
}
