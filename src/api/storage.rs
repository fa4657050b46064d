//! libvirt-storage.h: storage pools and volumes.

use super::guard::{guard, show_ptr, show_str, Call};
use super::strings::malloc;
use crate::abi::types::*;
use crate::abi::virterror::*;
use crate::core::connect::{StoragePool, StorageVol};
use crate::core::object::{self, Object};
use crate::core::{Child, Connect, Error, Result};
use crate::driver::{PoolId, VolId};
use crate::uuid::{format_uuid, parse_uuid};
use std::os::raw::{c_char, c_int, c_uchar, c_uint};
use std::sync::Arc;

#[track_caller]
fn entry<T: super::guard::Failure>(
    name: &'static str,
    args: impl FnOnce() -> String,
    body: impl FnOnce(&mut Call) -> Result<T>,
) -> T {
    guard(VIR_FROM_STORAGE, name, args, body)
}

fn pool(call: &mut Call, ptr: virStoragePoolPtr) -> Result<Arc<StoragePool>> {
    call.child::<StoragePool>(ptr, VIR_ERR_INVALID_STORAGE_POOL)
}

fn vol(call: &mut Call, ptr: virStorageVolPtr) -> Result<Arc<StorageVol>> {
    call.child::<StorageVol>(ptr, VIR_ERR_INVALID_STORAGE_VOL)
}

/// Hands C a new handle on `id`, holding a reference on `conn`.
pub(super) fn publish<I>(conn: &Arc<Connect>, id: I) -> *mut I::C
where
    I: 'static + Send + Sync,
    Child<I>: Object + super::guard::CHandle<C = I::C>,
    I: HandleOf,
{
    object::publish(Arc::new(Child { conn: conn.clone(), id })) as *mut I::C
}

/// The C type of the handles an identity is published as.
pub(super) trait HandleOf {
    type C;
}
impl HandleOf for PoolId {
    type C = virStoragePool;
}
impl HandleOf for VolId {
    type C = virStorageVol;
}

/// Copies at most `max` names into the caller's array of `names`, as the
/// virConnectList*/virStoragePoolListVolumes calls do; checks the array first.
pub(super) unsafe fn fill_names(
    call: &Call,
    names: *mut *mut c_char,
    max: c_int,
    got: impl FnOnce(usize) -> Result<Vec<String>>,
) -> Result<c_int> {
    if names.is_null() && max > 0 {
        return Err(call.null_arg("names"));
    }
    call.non_negative("maxnames", max.into())?;
    let got = got(max as usize)?;
    for (i, name) in got.iter().take(max as usize).enumerate() {
        *names.add(i) = malloc(name);
    }
    Ok(got.len().min(max as usize) as c_int)
}

/// Hands C a calloc'd, NULL-terminated array of new handles (the virXxxListAll
/// calls), or, when `out` is NULL, only `count_only`.
pub(super) unsafe fn export<I, C>(conn: &Arc<Connect>, out: *mut *mut *mut C, (ids, count_only): (Vec<I>, usize)) -> Result<c_int>
where
    I: 'static + Send + Sync + HandleOf<C = C>,
    Child<I>: Object + super::guard::CHandle<C = C>,
{
    if out.is_null() {
        return Ok(count_only as c_int);
    }
    let list = libc::calloc(ids.len() + 1, std::mem::size_of::<*mut C>()) as *mut *mut C;
    if list.is_null() {
        return Err(Error::new(VIR_ERR_NO_MEMORY, VIR_FROM_STORAGE, None));
    }
    let count = ids.len();
    for (i, id) in ids.into_iter().enumerate() {
        *list.add(i) = publish(conn, id);
    }
    *out = list;
    Ok(count as c_int)
}

fn write_uuid_string(out: &mut [u8; 37], uuid: &[u8; 16]) {
    out[..36].copy_from_slice(format_uuid(uuid).as_bytes());
    out[36] = 0;
}

#[no_mangle]
pub unsafe extern "C" fn virConnectNumOfStoragePools(conn: virConnectPtr) -> c_int {
    entry(
        "virConnectNumOfStoragePools",
        || format!("conn={}", show_ptr(conn)),
        |call| Ok(call.connect(conn)?.driver.num_of_storage_pools()? as c_int),
    )
}

#[no_mangle]
pub unsafe extern "C" fn virConnectListStoragePools(conn: virConnectPtr, names: *mut *mut c_char, maxnames: c_int) -> c_int {
    entry(
        "virConnectListStoragePools",
        || format!("conn={}, names={}, maxnames={}", show_ptr(conn), show_ptr(names), maxnames),
        |call| {
            let conn = call.connect(conn)?;
            fill_names(call, names, maxnames, |max| conn.driver.list_storage_pools(max))
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virConnectNumOfDefinedStoragePools(conn: virConnectPtr) -> c_int {
    entry(
        "virConnectNumOfDefinedStoragePools",
        || format!("conn={}", show_ptr(conn)),
        |call| Ok(call.connect(conn)?.driver.num_of_defined_storage_pools()? as c_int),
    )
}

#[no_mangle]
pub unsafe extern "C" fn virConnectListDefinedStoragePools(
    conn: virConnectPtr,
    names: *mut *mut c_char,
    maxnames: c_int,
) -> c_int {
    entry(
        "virConnectListDefinedStoragePools",
        || format!("conn={}, names={}, maxnames={}", show_ptr(conn), show_ptr(names), maxnames),
        |call| {
            let conn = call.connect(conn)?;
            fill_names(call, names, maxnames, |max| conn.driver.list_defined_storage_pools(max))
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virConnectListAllStoragePools(
    conn: virConnectPtr,
    pools: *mut *mut virStoragePoolPtr,
    flags: c_uint,
) -> c_int {
    entry(
        "virConnectListAllStoragePools",
        || format!("conn={}, pools={}, flags=0x{:x}", show_ptr(conn), show_ptr(pools), flags),
        |call| {
            if !pools.is_null() {
                *pools = std::ptr::null_mut();
            }
            let conn = call.connect(conn)?;
            let found = conn.driver.list_all_storage_pools(flags)?;
            export(&conn, pools, found)
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virConnectFindStoragePoolSources(
    conn: virConnectPtr,
    r#type: *const c_char,
    srcSpec: *const c_char,
    flags: c_uint,
) -> *mut c_char {
    entry(
        "virConnectFindStoragePoolSources",
        || format!("conn={}, type={}, src={}, flags=0x{:x}", show_ptr(conn), show_str(r#type), show_str(srcSpec), flags),
        |call| {
            let conn = call.connect(conn)?;
            let kind = call.string(r#type, "type")?;
            call.check_writable(&conn)?;
            let spec = call.optional_string(srcSpec)?;
            Ok(malloc(&conn.driver.find_storage_pool_sources(kind, spec, flags)?))
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virStoragePoolLookupByName(conn: virConnectPtr, name: *const c_char) -> virStoragePoolPtr {
    entry(
        "virStoragePoolLookupByName",
        || format!("conn={}, name={}", show_ptr(conn), show_str(name)),
        |call| {
            let conn = call.connect(conn)?;
            let name = call.string(name, "name")?;
            let found = conn.driver.storage_pool_lookup_by_name(name)?;
            Ok(publish(&conn, found))
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virStoragePoolLookupByUUID(conn: virConnectPtr, uuid: *const c_uchar) -> virStoragePoolPtr {
    entry(
        "virStoragePoolLookupByUUID",
        || format!("conn={}, uuid={}", show_ptr(conn), show_ptr(uuid)),
        |call| {
            let conn = call.connect(conn)?;
            if uuid.is_null() {
                return Err(call.null_arg("uuid"));
            }
            let found = conn.driver.storage_pool_lookup_by_uuid(&*(uuid as *const [u8; 16]))?;
            Ok(publish(&conn, found))
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virStoragePoolLookupByUUIDString(conn: virConnectPtr, uuidstr: *const c_char) -> virStoragePoolPtr {
    entry(
        "virStoragePoolLookupByUUIDString",
        || format!("conn={}, uuidstr={}", show_ptr(conn), show_str(uuidstr)),
        |call| {
            let conn = call.connect(conn)?;
            let text = call.string(uuidstr, "uuidstr")?;
            let uuid = parse_uuid(text).ok_or_else(|| {
                call.bad_arg("uuidstr", "uuidstr in virStoragePoolLookupByUUIDString must be a valid UUID")
            })?;
            let found = conn.driver.storage_pool_lookup_by_uuid(&uuid)?;
            Ok(publish(&conn, found))
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virStoragePoolLookupByVolume(vol: virStorageVolPtr) -> virStoragePoolPtr {
    entry(
        "virStoragePoolLookupByVolume",
        || format!("vol={}", show_ptr(vol)),
        |call| {
            let vol = self::vol(call, vol)?;
            let found = vol.conn.driver.storage_pool_lookup_by_volume(&vol.id)?;
            Ok(publish(&vol.conn, found))
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virStoragePoolCreateXML(conn: virConnectPtr, xmlDesc: *const c_char, flags: c_uint) -> virStoragePoolPtr {
    entry(
        "virStoragePoolCreateXML",
        || format!("conn={}, xmlDesc={}, flags=0x{:x}", show_ptr(conn), show_str(xmlDesc), flags),
        |call| {
            let conn = call.connect(conn)?;
            let xml = call.string(xmlDesc, "xmlDesc")?;
            call.check_writable(&conn)?;
            let made = conn.driver.storage_pool_create_xml(xml, flags)?;
            Ok(publish(&conn, made))
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virStoragePoolDefineXML(conn: virConnectPtr, xml: *const c_char, flags: c_uint) -> virStoragePoolPtr {
    entry(
        "virStoragePoolDefineXML",
        || format!("conn={}, xml={}, flags=0x{:x}", show_ptr(conn), show_str(xml), flags),
        |call| {
            let conn = call.writable_connect(conn)?;
            let xml = call.string(xml, "xml")?;
            let made = conn.driver.storage_pool_define_xml(xml, flags)?;
            Ok(publish(&conn, made))
        },
    )
}

/// A pool call that changes the pool: a writable connection, then `act`.
fn pool_action(
    name: &'static str,
    pool: virStoragePoolPtr,
    flags: Option<c_uint>,
    act: impl FnOnce(&StoragePool) -> Result<()>,
) -> c_int {
    let args = || match flags {
        Some(flags) => format!("pool={}, flags=0x{:x}", show_ptr(pool), flags),
        None => format!("pool={}", show_ptr(pool)),
    };
    entry(name, args, |call| {
        let pool = self::pool(call, pool)?;
        call.writable()?;
        act(&pool)?;
        Ok(0)
    })
}

#[no_mangle]
pub unsafe extern "C" fn virStoragePoolBuild(pool: virStoragePoolPtr, flags: c_uint) -> c_int {
    pool_action("virStoragePoolBuild", pool, Some(flags), |p| p.conn.driver.storage_pool_build(&p.id, flags))
}

#[no_mangle]
pub unsafe extern "C" fn virStoragePoolUndefine(pool: virStoragePoolPtr) -> c_int {
    pool_action("virStoragePoolUndefine", pool, None, |p| p.conn.driver.storage_pool_undefine(&p.id))
}

#[no_mangle]
pub unsafe extern "C" fn virStoragePoolCreate(pool: virStoragePoolPtr, flags: c_uint) -> c_int {
    pool_action("virStoragePoolCreate", pool, Some(flags), |p| p.conn.driver.storage_pool_create(&p.id, flags))
}

#[no_mangle]
pub unsafe extern "C" fn virStoragePoolDestroy(pool: virStoragePoolPtr) -> c_int {
    pool_action("virStoragePoolDestroy", pool, None, |p| p.conn.driver.storage_pool_destroy(&p.id))
}

#[no_mangle]
pub unsafe extern "C" fn virStoragePoolDelete(pool: virStoragePoolPtr, flags: c_uint) -> c_int {
    pool_action("virStoragePoolDelete", pool, Some(flags), |p| p.conn.driver.storage_pool_delete(&p.id, flags))
}

#[no_mangle]
pub unsafe extern "C" fn virStoragePoolRefresh(pool: virStoragePoolPtr, flags: c_uint) -> c_int {
    pool_action("virStoragePoolRefresh", pool, Some(flags), |p| p.conn.driver.storage_pool_refresh(&p.id, flags))
}

/// The name lives as long as the handle, as in libvirt.
#[no_mangle]
pub unsafe extern "C" fn virStoragePoolGetName(pool: virStoragePoolPtr) -> *const c_char {
    entry(
        "virStoragePoolGetName",
        || format!("pool={}", show_ptr(pool)),
        |call| Ok(self::pool(call, pool)?.id.c_name().as_ptr()),
    )
}

#[no_mangle]
pub unsafe extern "C" fn virStoragePoolGetUUID(pool: virStoragePoolPtr, uuid: *mut c_uchar) -> c_int {
    entry(
        "virStoragePoolGetUUID",
        || format!("pool={}, uuid={}", show_ptr(pool), show_ptr(uuid)),
        |call| {
            let pool = self::pool(call, pool)?;
            *call.out(uuid as *mut [u8; 16], "uuid")? = pool.id.uuid;
            Ok(0)
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virStoragePoolGetUUIDString(pool: virStoragePoolPtr, buf: *mut c_char) -> c_int {
    entry(
        "virStoragePoolGetUUIDString",
        || format!("pool={}, buf={}", show_ptr(pool), show_ptr(buf)),
        |call| {
            let pool = self::pool(call, pool)?;
            write_uuid_string(call.out(buf as *mut [u8; 37], "buf")?, &pool.id.uuid);
            Ok(0)
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virStoragePoolGetInfo(pool: virStoragePoolPtr, info: virStoragePoolInfoPtr) -> c_int {
    entry(
        "virStoragePoolGetInfo",
        || format!("pool={}, info={}", show_ptr(pool), show_ptr(info)),
        |call| {
            let pool = self::pool(call, pool)?;
            let out = call.out(info, "info")?;
            let got = pool.conn.driver.storage_pool_info(&pool.id)?;
            *out = virStoragePoolInfo {
                state: got.state,
                capacity: got.capacity,
                allocation: got.allocation,
                available: got.available,
            };
            Ok(0)
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virStoragePoolGetXMLDesc(pool: virStoragePoolPtr, flags: c_uint) -> *mut c_char {
    entry(
        "virStoragePoolGetXMLDesc",
        || format!("pool={}, flags=0x{:x}", show_ptr(pool), flags),
        |call| {
            let pool = self::pool(call, pool)?;
            Ok(malloc(&pool.conn.driver.storage_pool_xml_desc(&pool.id, flags)?))
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virStoragePoolGetAutostart(pool: virStoragePoolPtr, autostart: *mut c_int) -> c_int {
    entry(
        "virStoragePoolGetAutostart",
        || format!("pool={}, autostart={}", show_ptr(pool), show_ptr(autostart)),
        |call| {
            let pool = self::pool(call, pool)?;
            let out = call.out(autostart, "autostart")?;
            *out = c_int::from(pool.conn.driver.storage_pool_autostart(&pool.id)?);
            Ok(0)
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virStoragePoolSetAutostart(pool: virStoragePoolPtr, autostart: c_int) -> c_int {
    entry(
        "virStoragePoolSetAutostart",
        || format!("pool={}, autostart={}", show_ptr(pool), autostart),
        |call| {
            let pool = self::pool(call, pool)?;
            call.writable()?;
            pool.conn.driver.storage_pool_set_autostart(&pool.id, autostart != 0)?;
            Ok(0)
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virStoragePoolIsActive(pool: virStoragePoolPtr) -> c_int {
    entry(
        "virStoragePoolIsActive",
        || format!("pool={}", show_ptr(pool)),
        |call| {
            let pool = self::pool(call, pool)?;
            Ok(c_int::from(pool.conn.driver.storage_pool_is_active(&pool.id)?))
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virStoragePoolIsPersistent(pool: virStoragePoolPtr) -> c_int {
    entry(
        "virStoragePoolIsPersistent",
        || format!("pool={}", show_ptr(pool)),
        |call| {
            let pool = self::pool(call, pool)?;
            Ok(c_int::from(pool.conn.driver.storage_pool_is_persistent(&pool.id)?))
        },
    )
}

/// The pool's connection, without a new reference (as in libvirt).
#[no_mangle]
pub unsafe extern "C" fn virStoragePoolGetConnect(pool: virStoragePoolPtr) -> virConnectPtr {
    entry(
        "virStoragePoolGetConnect",
        || format!("pool={}", show_ptr(pool)),
        |call| Ok(Arc::as_ptr(&self::pool(call, pool)?.conn) as virConnectPtr),
    )
}

#[no_mangle]
pub unsafe extern "C" fn virStoragePoolNumOfVolumes(pool: virStoragePoolPtr) -> c_int {
    entry(
        "virStoragePoolNumOfVolumes",
        || format!("pool={}", show_ptr(pool)),
        |call| {
            let pool = self::pool(call, pool)?;
            Ok(pool.conn.driver.storage_pool_num_of_volumes(&pool.id)? as c_int)
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virStoragePoolListVolumes(pool: virStoragePoolPtr, names: *mut *mut c_char, maxnames: c_int) -> c_int {
    entry(
        "virStoragePoolListVolumes",
        || format!("pool={}, names={}, maxnames={}", show_ptr(pool), show_ptr(names), maxnames),
        |call| {
            let pool = self::pool(call, pool)?;
            fill_names(call, names, maxnames, |max| pool.conn.driver.storage_pool_list_volumes(&pool.id, max))
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virStoragePoolListAllVolumes(
    pool: virStoragePoolPtr,
    vols: *mut *mut virStorageVolPtr,
    flags: c_uint,
) -> c_int {
    entry(
        "virStoragePoolListAllVolumes",
        || format!("pool={}, vols={}, flags=0x{:x}", show_ptr(pool), show_ptr(vols), flags),
        |call| {
            if !vols.is_null() {
                *vols = std::ptr::null_mut();
            }
            let pool = self::pool(call, pool)?;
            let found = pool.conn.driver.storage_pool_list_all_volumes(&pool.id, flags)?;
            export(&pool.conn, vols, found)
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virStorageVolLookupByName(pool: virStoragePoolPtr, name: *const c_char) -> virStorageVolPtr {
    entry(
        "virStorageVolLookupByName",
        || format!("pool={}, name={}", show_ptr(pool), show_str(name)),
        |call| {
            let pool = self::pool(call, pool)?;
            let name = call.string(name, "name")?;
            let found = pool.conn.driver.storage_vol_lookup_by_name(&pool.id, name)?;
            Ok(publish(&pool.conn, found))
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virStorageVolLookupByKey(conn: virConnectPtr, key: *const c_char) -> virStorageVolPtr {
    entry(
        "virStorageVolLookupByKey",
        || format!("conn={}, key={}", show_ptr(conn), show_str(key)),
        |call| {
            let conn = call.connect(conn)?;
            let key = call.string(key, "key")?;
            let found = conn.driver.storage_vol_lookup_by_key(key)?;
            Ok(publish(&conn, found))
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virStorageVolLookupByPath(conn: virConnectPtr, path: *const c_char) -> virStorageVolPtr {
    entry(
        "virStorageVolLookupByPath",
        || format!("conn={}, path={}", show_ptr(conn), show_str(path)),
        |call| {
            let conn = call.connect(conn)?;
            let path = call.string(path, "path")?;
            let found = conn.driver.storage_vol_lookup_by_path(path)?;
            Ok(publish(&conn, found))
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virStorageVolCreateXML(pool: virStoragePoolPtr, xmlDesc: *const c_char, flags: c_uint) -> virStorageVolPtr {
    entry(
        "virStorageVolCreateXML",
        || format!("pool={}, xmlDesc={}, flags=0x{:x}", show_ptr(pool), show_str(xmlDesc), flags),
        |call| {
            let pool = self::pool(call, pool)?;
            let xml = call.string(xmlDesc, "xmlDesc")?;
            call.writable()?;
            let made = pool.conn.driver.storage_vol_create_xml(&pool.id, xml, flags)?;
            Ok(publish(&pool.conn, made))
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virStorageVolCreateXMLFrom(
    pool: virStoragePoolPtr,
    xmlDesc: *const c_char,
    clonevol: virStorageVolPtr,
    flags: c_uint,
) -> virStorageVolPtr {
    entry(
        "virStorageVolCreateXMLFrom",
        || {
            format!(
                "pool={}, xmlDesc={}, clonevol={}, flags=0x{:x}",
                show_ptr(pool),
                show_str(xmlDesc),
                show_ptr(clonevol),
                flags
            )
        },
        |call| {
            let pool = self::pool(call, pool)?;
            let clone = call.handle::<StorageVol, _>(clonevol)?;
            let xml = call.string(xmlDesc, "xmlDesc")?;
            call.writable()?;
            let made = pool.conn.driver.storage_vol_create_xml_from(&pool.id, xml, &clone.id, flags)?;
            Ok(publish(&pool.conn, made))
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virStorageVolDelete(vol: virStorageVolPtr, flags: c_uint) -> c_int {
    entry(
        "virStorageVolDelete",
        || format!("vol={}, flags=0x{:x}", show_ptr(vol), flags),
        |call| {
            let vol = self::vol(call, vol)?;
            call.writable()?;
            vol.conn.driver.storage_vol_delete(&vol.id, flags)?;
            Ok(0)
        },
    )
}

/// The name and key live as long as the handle, as in libvirt.
#[no_mangle]
pub unsafe extern "C" fn virStorageVolGetName(vol: virStorageVolPtr) -> *const c_char {
    entry("virStorageVolGetName", || format!("vol={}", show_ptr(vol)), |call| Ok(self::vol(call, vol)?.id.c_name().as_ptr()))
}

#[no_mangle]
pub unsafe extern "C" fn virStorageVolGetKey(vol: virStorageVolPtr) -> *const c_char {
    entry("virStorageVolGetKey", || format!("vol={}", show_ptr(vol)), |call| Ok(self::vol(call, vol)?.id.c_key().as_ptr()))
}

#[no_mangle]
pub unsafe extern "C" fn virStorageVolGetPath(vol: virStorageVolPtr) -> *mut c_char {
    entry(
        "virStorageVolGetPath",
        || format!("vol={}", show_ptr(vol)),
        |call| {
            let vol = self::vol(call, vol)?;
            Ok(malloc(&vol.conn.driver.storage_vol_path(&vol.id)?))
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virStorageVolGetInfo(vol: virStorageVolPtr, info: virStorageVolInfoPtr) -> c_int {
    entry(
        "virStorageVolGetInfo",
        || format!("vol={}, info={}", show_ptr(vol), show_ptr(info)),
        |call| {
            let vol = self::vol(call, vol)?;
            let out = call.out(info, "info")?;
            let got = vol.conn.driver.storage_vol_info(&vol.id)?;
            *out = virStorageVolInfo { r#type: got.kind, capacity: got.capacity, allocation: got.allocation };
            Ok(0)
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virStorageVolGetXMLDesc(vol: virStorageVolPtr, flags: c_uint) -> *mut c_char {
    entry(
        "virStorageVolGetXMLDesc",
        || format!("vol={}, flags=0x{:x}", show_ptr(vol), flags),
        |call| {
            let vol = self::vol(call, vol)?;
            Ok(malloc(&vol.conn.driver.storage_vol_xml_desc(&vol.id, flags)?))
        },
    )
}

/// The volume's connection, without a new reference (as in libvirt).
#[no_mangle]
pub unsafe extern "C" fn virStorageVolGetConnect(vol: virStorageVolPtr) -> virConnectPtr {
    entry(
        "virStorageVolGetConnect",
        || format!("vol={}", show_ptr(vol)),
        |call| Ok(Arc::as_ptr(&self::vol(call, vol)?.conn) as virConnectPtr),
    )
}

#[no_mangle]
pub unsafe extern "C" fn virStoragePoolRef(pool: virStoragePoolPtr) -> c_int {
    entry("virStoragePoolRef", || format!("pool={}", show_ptr(pool)), |call| call.add_ref::<StoragePool, _>(pool))
}

#[no_mangle]
pub unsafe extern "C" fn virStoragePoolFree(pool: virStoragePoolPtr) -> c_int {
    entry("virStoragePoolFree", || format!("pool={}", show_ptr(pool)), |call| call.free::<StoragePool, _>(pool))
}

#[no_mangle]
pub unsafe extern "C" fn virStorageVolRef(vol: virStorageVolPtr) -> c_int {
    entry("virStorageVolRef", || format!("vol={}", show_ptr(vol)), |call| call.add_ref::<StorageVol, _>(vol))
}

#[no_mangle]
pub unsafe extern "C" fn virStorageVolFree(vol: virStorageVolPtr) -> c_int {
    entry("virStorageVolFree", || format!("vol={}", show_ptr(vol)), |call| call.free::<StorageVol, _>(vol))
}

#[no_mangle]
pub unsafe extern "C" fn virConnectStoragePoolEventRegisterAny(
    conn: virConnectPtr,
    pool: virStoragePoolPtr,
    eventID: c_int,
    cb: crate::abi::callbacks::virConnectStoragePoolEventGenericCallback,
    opaque: *mut std::os::raw::c_void,
    freecb: crate::abi::callbacks::virFreeCallback,
) -> c_int {
    entry(
        "virConnectStoragePoolEventRegisterAny",
        || format!("conn={}, pool={}, eventID={}, cb={:?}, opaque={}, freecb={:?}", show_ptr(conn), show_ptr(pool), eventID, cb, show_ptr(opaque), freecb),
        |call| {
            let family = crate::core::events::Family::StoragePool;
            let last = crate::abi::storage::VIR_STORAGE_POOL_EVENT_ID_LAST;
            let cb = cb.map(|f| f as usize);
            super::event::register_any::<crate::core::connect::StoragePool>(call, conn, pool, family, eventID, last, cb, opaque, freecb)
        },
    )
}

#[no_mangle]
pub unsafe extern "C" fn virConnectStoragePoolEventDeregisterAny(conn: virConnectPtr, callbackID: c_int) -> c_int {
    entry(
        "virConnectStoragePoolEventDeregisterAny",
        || format!("conn={}, callbackID={}", show_ptr(conn), callbackID),
        |call| super::event::deregister_any(call, conn, crate::core::events::Family::StoragePool, callbackID),
    )
}
