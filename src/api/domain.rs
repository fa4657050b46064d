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

#[track_caller]
pub(super) fn entry<T: super::guard::Failure>(
    name: &'static str,
    args: impl FnOnce() -> String,
    body: impl FnOnce(&mut Call) -> Result<T>,
) -> T {
    guard(VIR_FROM_DOMAIN, name, args, body)
}

/// A live domain handle. libvirt reports a bad one in the VIR_FROM_DOM domain,
/// unlike a bad connection, which is reported in the header's own.
pub(super) fn domain(call: &mut Call, dom: virDomainPtr) -> Result<Arc<Domain>> {
    call.child::<Domain>(dom, VIR_ERR_INVALID_DOMAIN).map_err(|mut e| {
        e.domain = VIR_FROM_DOM;
        e
    })
}

/// Hands C a new handle on the domain `id` names, holding a reference on `conn`.
pub(super) fn publish(conn: &Arc<Connect>, id: DomainId) -> virDomainPtr {
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

/// The id a handle shows, once a call through it has started or stopped its
/// domain: libvirt updates the handle used (only that one).
#[derive(Default)]
struct HandleId(Option<i32>);

pub(super) fn set_handle_id(dom: virDomainPtr, id: i32) {
    object::with_attachment(dom as usize, object::Class::Domain, |h: &mut HandleId| h.0 = Some(id));
}

/// The id the handle was made with, or set by a start or stop through it;
/// (unsigned)-1 for an inactive domain.
#[no_mangle]
pub unsafe extern "C" fn virDomainGetID(dom: virDomainPtr) -> c_uint {
    entry("virDomainGetID", || format!("dom={}", show_ptr(dom)), |call| {
        let made_with = domain(call, dom)?.id.id;
        let updated = object::with_attachment(dom as usize, object::Class::Domain, |h: &mut HandleId| h.0).flatten();
        Ok(updated.unwrap_or(made_with) as c_uint)
    })
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
// Lifecycle, settings, send-key and statistics calls (the Hyper-V driver serves
// them; other drivers answer VIR_ERR_NO_SUPPORT through the trait's defaults).

use crate::core::typed_params::Value;

#[no_mangle]
pub unsafe extern "C" fn virDomainManagedSave(dom: virDomainPtr, flags: c_uint) -> c_int {
    super::domain_lifecycle::simple("virDomainManagedSave", dom, Some(flags), |d| {
        d.conn.driver.domain_managed_save(&d.id, flags)?;
        // --- domain extras --- the saved domain stops: the handle has no id (as libvirt's test driver sets it).
        set_handle_id(dom, -1);
        Ok(())
    })
}

#[no_mangle]
pub unsafe extern "C" fn virDomainManagedSaveRemove(dom: virDomainPtr, flags: c_uint) -> c_int {
    super::domain_lifecycle::simple("virDomainManagedSaveRemove", dom, Some(flags), |d| {
        d.conn.driver.domain_managed_save_remove(&d.id, flags)
    })
}

#[no_mangle]
pub unsafe extern "C" fn virDomainHasManagedSaveImage(dom: virDomainPtr, flags: c_uint) -> c_int {
    entry(
        "virDomainHasManagedSaveImage",
        || format!("dom={}, flags=0x{:x}", show_ptr(dom), flags),
        |call| {
            let dom = domain(call, dom)?;
            Ok(dom.conn.driver.domain_has_managed_save_image(&dom.id, flags)? as c_int)
        },
    )
}

/// The memory setters: handle, read-only, a non-zero amount, then the driver.
unsafe fn set_memory(
    name: &'static str,
    dom: virDomainPtr,
    memory: c_ulong,
    flags: c_uint,
    op: impl FnOnce(&Domain, u64) -> Result<()>,
) -> c_int {
    entry(
        name,
        || format!("dom={}, memory={}, flags=0x{:x}", show_ptr(dom), memory, flags),
        |call| {
            let dom = domain(call, dom)?;
            call.writable()?;
            call.non_zero("memory", memory as u64)?;
            op(&dom, memory as u64)?;
            Ok(0)
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virDomainSetMemory(domain: virDomainPtr, memory: c_ulong) -> c_int {
    set_memory("virDomainSetMemory", domain, memory, 0, |d, kib| d.conn.driver.domain_set_memory(&d.id, kib, 0))
}

#[no_mangle]
pub unsafe extern "C" fn virDomainSetMemoryFlags(domain: virDomainPtr, memory: c_ulong, flags: c_uint) -> c_int {
    set_memory("virDomainSetMemoryFlags", domain, memory, flags, |d, kib| {
        d.conn.driver.domain_set_memory(&d.id, kib, flags)
    })
}

#[no_mangle]
pub unsafe extern "C" fn virDomainSetMaxMemory(domain: virDomainPtr, memory: c_ulong) -> c_int {
    set_memory("virDomainSetMaxMemory", domain, memory, 0, |d, kib| d.conn.driver.domain_set_max_memory(&d.id, kib))
}

#[no_mangle]
pub unsafe extern "C" fn virDomainGetVcpusFlags(domain: virDomainPtr, flags: c_uint) -> c_int {
    entry(
        "virDomainGetVcpusFlags",
        || format!("dom={}, flags=0x{:x}", show_ptr(domain), flags),
        |call| {
            let dom = self::domain(call, domain)?;
            if flags & crate::abi::domain::VIR_DOMAIN_VCPU_GUEST as c_uint != 0 {
                call.writable()?;
            }
            dom.conn.driver.domain_get_vcpus_flags(&dom.id, flags)
        },
    )
}

unsafe fn set_vcpus(name: &'static str, dom: virDomainPtr, nvcpus: c_uint, flags: c_uint) -> c_int {
    entry(
        name,
        || format!("dom={}, nvcpus={}, flags=0x{:x}", show_ptr(dom), nvcpus, flags),
        |call| {
            let dom = domain(call, dom)?;
            call.writable()?;
            call.non_zero("nvcpus", nvcpus.into())?;
            dom.conn.driver.domain_set_vcpus(&dom.id, nvcpus, flags)?;
            Ok(0)
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virDomainSetVcpus(domain: virDomainPtr, nvcpus: c_uint) -> c_int {
    set_vcpus("virDomainSetVcpus", domain, nvcpus, 0)
}

#[no_mangle]
pub unsafe extern "C" fn virDomainSetVcpusFlags(domain: virDomainPtr, nvcpus: c_uint, flags: c_uint) -> c_int {
    set_vcpus("virDomainSetVcpusFlags", domain, nvcpus, flags)
}

#[no_mangle]
pub unsafe extern "C" fn virDomainGetSchedulerType(domain: virDomainPtr, nparams: *mut c_int) -> *mut c_char {
    entry(
        "virDomainGetSchedulerType",
        || format!("dom={}, nparams={}", show_ptr(domain), show_ptr(nparams)),
        |call| {
            let dom = self::domain(call, domain)?;
            let (name, count) = dom.conn.driver.domain_scheduler_type(&dom.id)?;
            if let Some(out) = nparams.as_mut() {
                *out = count;
            }
            Ok(malloc(&name))
        },
    )
}

/// Writes `values` into a caller's array of `*nparams` entries (the first that fit)
/// and sets `*nparams` to the number written.
unsafe fn fill_params(params: virTypedParameterPtr, nparams: &mut c_int, values: &[(String, Value)]) -> Result<()> {
    let room = (*nparams).max(0) as usize;
    for (i, (name, value)) in values.iter().take(room).enumerate() {
        write_param(&mut *params.add(i), name, value)?;
    }
    *nparams = values.len().min(room) as c_int;
    Ok(())
}

/// One typed parameter; a string value is malloc'd (the caller frees it).
unsafe fn write_param(slot: &mut virTypedParameter, name: &str, value: &Value) -> Result<()> {
    let field = crate::core::typed_params::field(Some(name.as_bytes()))?;
    slot.field = field.map(|b| b as c_char);
    slot.r#type = value.type_code();
    slot.value = match value {
        Value::Int(i) => _virTypedParameterValue { i: *i },
        Value::UInt(ui) => _virTypedParameterValue { ui: *ui },
        Value::LLong(l) => _virTypedParameterValue { l: *l },
        Value::ULLong(ul) => _virTypedParameterValue { ul: *ul },
        Value::Double(d) => _virTypedParameterValue { d: *d },
        Value::Boolean(b) => _virTypedParameterValue { b: c_char::from(*b) },
        Value::String(s) => _virTypedParameterValue { s: super::strings::malloc_bytes(s) },
    };
    Ok(())
}

unsafe fn scheduler_params(
    name: &'static str,
    dom: virDomainPtr,
    params: virTypedParameterPtr,
    nparams: *mut c_int,
    flags: c_uint,
) -> c_int {
    entry(
        name,
        || format!("dom={}, params={}, nparams={}, flags=0x{:x}", show_ptr(dom), show_ptr(params), show_ptr(nparams), flags),
        |call| {
            let dom = domain(call, dom)?;
            if params.is_null() {
                return Err(call.null_arg("params"));
            }
            let count = call.out(nparams, "nparams")?;
            call.positive("*nparams", (*count).into())?;
            let values = dom.conn.driver.domain_scheduler_params(&dom.id, flags)?;
            fill_params(params, count, &values)?;
            Ok(0)
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virDomainGetSchedulerParameters(
    domain: virDomainPtr,
    params: virTypedParameterPtr,
    nparams: *mut c_int,
) -> c_int {
    scheduler_params("virDomainGetSchedulerParameters", domain, params, nparams, 0)
}

#[no_mangle]
pub unsafe extern "C" fn virDomainGetSchedulerParametersFlags(
    domain: virDomainPtr,
    params: virTypedParameterPtr,
    nparams: *mut c_int,
    flags: c_uint,
) -> c_int {
    // --- domain extras --- libvirt adds STRING_OKAY for drivers that take strings.
    let string_okay = |d: &Domain| d.conn.driver.typed_param_strings();
    let flags = match object::lookup::<Domain>(domain as usize) {
        Some(d) if string_okay(&d) => flags | crate::abi::common::VIR_TYPED_PARAM_STRING_OKAY as c_uint,
        _ => flags,
    };
    scheduler_params("virDomainGetSchedulerParametersFlags", domain, params, nparams, flags)
}

/// libvirt's VIR_DOMAIN_SEND_KEY_MAX_KEYS.
const SEND_KEY_MAX_KEYS: c_int = 16;

#[no_mangle]
pub unsafe extern "C" fn virDomainSendKey(
    domain: virDomainPtr,
    codeset: c_uint,
    holdtime: c_uint,
    keycodes: *mut c_uint,
    nkeycodes: c_int,
    flags: c_uint,
) -> c_int {
    entry(
        "virDomainSendKey",
        || {
            format!(
                "dom={}, codeset={}, holdtime={}, keycodes={}, nkeycodes={}, flags=0x{:x}",
                show_ptr(domain),
                codeset,
                holdtime,
                show_ptr(keycodes),
                nkeycodes,
                flags
            )
        },
        |call| {
            let dom = self::domain(call, domain)?;
            call.writable()?;
            if keycodes.is_null() {
                return Err(call.null_arg("keycodes"));
            }
            call.positive("nkeycodes", nkeycodes.into())?;
            if nkeycodes > SEND_KEY_MAX_KEYS {
                return Err(call.bad_arg(
                    "nkeycodes",
                    format!("nkeycodes in virDomainSendKey must be <= {SEND_KEY_MAX_KEYS}"),
                ));
            }
            let codes = std::slice::from_raw_parts(keycodes, nkeycodes as usize);
            dom.conn.driver.domain_send_key(&dom.id, codeset, holdtime, codes, flags)?;
            Ok(0)
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virNodeGetFreeMemory(conn: virConnectPtr) -> c_ulonglong {
    entry(
        "virNodeGetFreeMemory",
        || format!("conn={}", show_ptr(conn)),
        |call| Ok(call.connect(conn)?.driver.node_free_memory()?),
    )
}

/// The NULL-terminated, malloc'd record list virDomainStatsRecordListFree frees.
unsafe fn stats_records(
    conn: &Arc<Connect>,
    records: Vec<crate::driver::DomainStats>,
) -> Result<*mut virDomainStatsRecordPtr> {
    let no_memory = || Error::new(VIR_ERR_NO_MEMORY, VIR_FROM_DOMAIN, None);
    let list = libc::calloc(records.len() + 1, std::mem::size_of::<virDomainStatsRecordPtr>())
        as *mut virDomainStatsRecordPtr;
    if list.is_null() {
        return Err(no_memory());
    }
    for (i, (id, values)) in records.into_iter().enumerate() {
        let record = libc::calloc(1, std::mem::size_of::<virDomainStatsRecord>()) as virDomainStatsRecordPtr;
        let params = libc::calloc(values.len().max(1), std::mem::size_of::<virTypedParameter>()) as virTypedParameterPtr;
        if record.is_null() || params.is_null() {
            libc::free(record.cast());
            libc::free(params.cast());
            super::domain_structs::virDomainStatsRecordListFree(list);
            return Err(no_memory());
        }
        // Linked first, so a failure below frees what was made so far.
        *list.add(i) = record;
        (*record).dom = publish(conn, id);
        (*record).params = params;
        for (n, (name, value)) in values.iter().enumerate() {
            if let Err(e) = write_param(&mut *params.add(n), name, value) {
                super::domain_structs::virDomainStatsRecordListFree(list);
                return Err(e);
            }
            (*record).nparams = n as c_int + 1;
        }
    }
    Ok(list)
}

#[no_mangle]
pub unsafe extern "C" fn virConnectGetAllDomainStats(
    conn: virConnectPtr,
    stats: c_uint,
    retStats: *mut *mut virDomainStatsRecordPtr,
    flags: c_uint,
) -> c_int {
    entry(
        "virConnectGetAllDomainStats",
        || format!("conn={}, stats=0x{:x}, retStats={}, flags=0x{:x}", show_ptr(conn), stats, show_ptr(retStats), flags),
        |call| {
            let conn = call.connect(conn)?;
            let out = call.out(retStats, "retStats")?;
            *out = std::ptr::null_mut();
            let records = conn.driver.domain_stats(None, stats, flags)?;
            let count = records.len() as c_int;
            *out = stats_records(&conn, records)?;
            Ok(count)
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virDomainListGetStats(
    doms: *mut virDomainPtr,
    stats: c_uint,
    retStats: *mut *mut virDomainStatsRecordPtr,
    flags: c_uint,
) -> c_int {
    entry(
        "virDomainListGetStats",
        || format!("doms={}, stats=0x{:x}, retStats={}, flags=0x{:x}", show_ptr(doms), stats, show_ptr(retStats), flags),
        |call| {
            if doms.is_null() {
                return Err(call.null_arg("doms"));
            }
            let out = call.out(retStats, "retStats")?;
            if (*doms).is_null() {
                return Err(Error::invalid_arg(
                    VIR_FROM_DOMAIN,
                    "doms array in virDomainListGetStats must contain at least one domain",
                ));
            }
            let first = domain(call, *doms)?;
            let mut ids = Vec::new();
            let mut next = doms;
            while !(*next).is_null() {
                let dom = domain(call, *next)?;
                if !Arc::ptr_eq(&dom.conn, &first.conn) {
                    return Err(Error::invalid_arg(
                        VIR_FROM_DOMAIN,
                        "domains in 'doms' array must belong to a single connection",
                    ));
                }
                ids.push(dom.id.clone());
                next = next.add(1);
            }
            *out = std::ptr::null_mut();
            let records = first.conn.driver.domain_stats(Some(&ids), stats, flags)?;
            let count = records.len() as c_int;
            *out = stats_records(&first.conn, records)?;
            Ok(count)
        },
    )
}

// --- hyperv additions (define, devices) ---


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

// --- hyperv additions (vCPUs, block info, interface addresses) ---

/// virDomainGetVcpus: `info` gets up to `maxinfo` vCPUs; `cpumaps` (when given,
/// `maplen` bytes per vCPU) is filled with every host CPU set, as Hyper-V has no
/// pinning to report.
#[no_mangle]
pub unsafe extern "C" fn virDomainGetVcpus(
    domain: virDomainPtr,
    info: virVcpuInfoPtr,
    maxinfo: c_int,
    cpumaps: *mut std::os::raw::c_uchar,
    maplen: c_int,
) -> c_int {
    entry(
        "virDomainGetVcpus",
        || {
            format!(
                "domain={}, info={}, maxinfo={}, cpumaps={}, maplen={}",
                show_ptr(domain),
                show_ptr(info),
                maxinfo,
                show_ptr(cpumaps),
                maplen
            )
        },
        |call| {
            let dom = self::domain(call, domain)?;
            if info.is_null() {
                return Err(call.null_arg("info"));
            }
            call.positive("maxinfo", maxinfo as i64)?;
            if cpumaps.is_null() {
                call.zero("maplen", maplen as u64)?;
            } else {
                call.positive("maplen", maplen as i64)?;
            }
            let vcpus = dom.conn.driver.domain_get_vcpus(&dom.id, maxinfo as usize)?;
            std::ptr::write_bytes(info, 0, maxinfo as usize);
            for (n, (state, cpu_time, cpu)) in vcpus.iter().enumerate().take(maxinfo as usize) {
                *info.add(n) = virVcpuInfo { number: n as c_uint, state: *state, cpuTime: *cpu_time, cpu: *cpu };
            }
            if !cpumaps.is_null() {
                std::ptr::write_bytes(cpumaps, 0xff, maxinfo as usize * maplen as usize);
            }
            Ok(vcpus.len().min(maxinfo as usize) as c_int)
        },
    )
}

/// virDomainInterfaceAddresses: `*ifaces` gets a malloc'd array of malloc'd
/// interfaces (freed with virDomainInterfaceFree, then free).
#[no_mangle]
pub unsafe extern "C" fn virDomainInterfaceAddresses(
    dom: virDomainPtr,
    ifaces: *mut *mut virDomainInterfacePtr,
    source: c_uint,
    flags: c_uint,
) -> c_int {
    if !ifaces.is_null() {
        *ifaces = std::ptr::null_mut();
    }
    entry(
        "virDomainInterfaceAddresses",
        || format!("dom={}, ifaces={}, source={}, flags=0x{:x}", show_ptr(dom), show_ptr(ifaces), source, flags),
        |call| {
            let dom = self::domain(call, dom)?;
            if ifaces.is_null() {
                return Err(call.null_arg("ifaces"));
            }
            // Asking the guest agent needs a writable connection, as in libvirt.
            if source == crate::abi::domain::VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT as c_uint {
                call.check_writable(&dom.conn)?;
            }
            let found = dom.conn.driver.domain_interface_addresses(&dom.id, source, flags)?;
            let list = libc::calloc(found.len().max(1), std::mem::size_of::<virDomainInterfacePtr>()) as *mut virDomainInterfacePtr;
            for (n, (name, mac, addresses)) in found.iter().enumerate() {
                let addrs = libc::calloc(addresses.len().max(1), std::mem::size_of::<virDomainIPAddress>()) as virDomainIPAddressPtr;
                for (i, (kind, addr, prefix)) in addresses.iter().enumerate() {
                    *addrs.add(i) = virDomainIPAddress { r#type: *kind, addr: super::strings::malloc(addr), prefix: *prefix };
                }
                let iface = libc::calloc(1, std::mem::size_of::<virDomainInterface>()) as virDomainInterfacePtr;
                *iface = virDomainInterface {
                    name: super::strings::malloc(name),
                    hwaddr: super::strings::malloc_opt(mac.as_deref()),
                    naddrs: addresses.len() as c_uint,
                    addrs: if addresses.is_empty() {
                        libc::free(addrs.cast());
                        std::ptr::null_mut()
                    } else {
                        addrs
                    },
                };
                *list.add(n) = iface;
            }
            *ifaces = list;
            Ok(found.len() as c_int)
        },
    )
}
