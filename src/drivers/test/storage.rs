//! The storage pools and volumes of a test host, with the state transitions and
//! errors of libvirt's test driver. Pools count space as libvirt's do: every pool
//! has 100 GiB, and a volume's allocation is taken from it.
//!
//! libvirt keeps pools and volumes in hash tables with a per-process random seed,
//! so its lists come in no particular order; ours come in creation order.

use super::storage_xml::{self as xml, PoolDef, Source, VolDef};
use crate::abi::storage::*;
use crate::abi::virterror::*;
use crate::core::{Error, Result};
use crate::driver::{check_flags, PoolId, PoolInfo, VolId, VolInfo};
use crate::uuid::format_uuid;

/// Every pool's capacity in the test driver.
const POOL_CAPACITY: u64 = 100 << 30;

/// Every VIR_CONNECT_LIST_STORAGE_POOLS_* flag.
const LIST_FILTERS_ALL: u32 = 0xfffff;

#[derive(Debug, Default)]
pub struct Pools {
    list: Vec<PoolObj>,
}

#[derive(Debug)]
struct PoolObj {
    def: PoolDef,
    active: bool,
    /// Whether the pool has a config file (is persistent).
    persistent: bool,
    autostart: bool,
    /// Volumes with their key and path filled in.
    volumes: Vec<VolDef>,
}

impl PoolObj {
    fn identity(&self) -> PoolId {
        PoolId::new(&self.def.name, self.def.uuid)
    }

    fn vol_identity(&self, vol: &VolDef) -> VolId {
        VolId::new(&self.def.name, &vol.name, vol.key.as_deref().unwrap_or(""))
    }

    fn volume(&self, name: &str) -> Result<&VolDef> {
        self.volumes.iter().find(|v| v.name == name).ok_or_else(|| no_vol("name", name))
    }

    /// The capacity libvirt's test driver gives every pool it adds or defines.
    fn set_defaults(&mut self) {
        self.def.capacity = POOL_CAPACITY;
        self.def.allocation = 0;
        self.def.available = POOL_CAPACITY;
        self.persistent = true;
    }

    /// Adds a volume, taking its allocation from the pool.
    fn add_volume(&mut self, vol: VolDef) {
        self.def.allocation += vol.allocation;
        self.def.available = self.def.capacity.wrapping_sub(self.def.allocation);
        self.volumes.push(vol);
    }

    fn matches(&self, flags: u32) -> bool {
        let group = |pairs: &[(i32, bool)]| {
            let asked = pairs.iter().any(|&(flag, _)| flags & flag as u32 != 0);
            !asked || pairs.iter().any(|&(flag, holds)| holds && flags & flag as u32 != 0)
        };
        let type_flags = xml::POOL_TYPES.iter().fold(0, |all, t| all | t.list_flag);
        group(&[
            (VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE, self.active),
            (VIR_CONNECT_LIST_STORAGE_POOLS_INACTIVE, !self.active),
        ]) && group(&[
            (VIR_CONNECT_LIST_STORAGE_POOLS_PERSISTENT, self.persistent),
            (VIR_CONNECT_LIST_STORAGE_POOLS_TRANSIENT, !self.persistent),
        ]) && group(&[
            (VIR_CONNECT_LIST_STORAGE_POOLS_AUTOSTART, self.autostart),
            (VIR_CONNECT_LIST_STORAGE_POOLS_NO_AUTOSTART, !self.autostart),
        ]) && (flags & type_flags == 0 || flags & self.def.pool_type().list_flag != 0)
    }
}

fn test_error(code: i32, detail: impl AsRef<str>) -> Error {
    Error::with_detail(code, VIR_FROM_TEST, detail)
}

fn no_pool(what: &str, value: &str) -> Error {
    test_error(VIR_ERR_NO_STORAGE_POOL, format!("no storage pool with matching {what} '{value}'"))
}

fn no_vol(what: &str, value: &str) -> Error {
    test_error(VIR_ERR_NO_STORAGE_VOL, format!("no storage vol with matching {what} '{value}'"))
}

fn storage_failed(detail: impl AsRef<str>) -> Error {
    Error::with_detail(VIR_ERR_OPERATION_FAILED, VIR_FROM_STORAGE, detail)
}

/// Whether two pools would use the same storage (libvirt's
/// virStoragePoolObjSourceFindDuplicate, less the SCSI host numbers it reads from
/// sysfs).
fn same_source(old: &PoolDef, new: &PoolDef) -> bool {
    let (a, b) = (&old.source, &new.source);
    let single_host = |a: &Source, b: &Source| {
        (a.hosts.len() == 1 || b.hosts.len() == 1)
            && match (a.hosts.first(), b.hosts.first()) {
                (Some(x), Some(y)) => (y.port == 0 || x.port == y.port) && x.name == y.name,
                _ => false,
            }
    };
    let shared_device = || a.devices.iter().any(|(p, _)| b.devices.iter().any(|(q, _)| p == q));
    let device_kinds = ["iscsi", "fs", "logical", "disk", "zfs"];
    let (old_kind, new_kind) = (old.pool_type().name, new.pool_type().name);
    match old_kind {
        "dir" => new_kind == "dir" && old.target_path == new.target_path,
        "gluster" => new_kind == "gluster" && a.name == b.name && a.dir == b.dir && single_host(a, b),
        "netfs" => new_kind == "netfs" && a.dir == b.dir && single_host(a, b),
        "scsi" => new_kind == "scsi" && a.adapter.is_some() && a.adapter == b.adapter,
        "iscsi" => new_kind == "iscsi" && shared_device() && a.initiator == b.initiator,
        _ if device_kinds.contains(&old_kind) => {
            device_kinds.contains(&new_kind) && new_kind != "iscsi" && shared_device()
        }
        "sheepdog" => new_kind == "sheepdog" && single_host(a, b),
        "mpath" => new_kind == "mpath",
        "vstorage" => new_kind == "vstorage" && a.name == b.name,
        _ => false,
    }
}

impl Pools {
    fn by_name(&self, name: &str) -> Result<&PoolObj> {
        self.list.iter().find(|p| p.def.name == name).ok_or_else(|| no_pool("name", name))
    }

    fn by_name_mut(&mut self, name: &str) -> Result<&mut PoolObj> {
        self.list.iter_mut().find(|p| p.def.name == name).ok_or_else(|| no_pool("name", name))
    }

    fn by_uuid(&self, uuid: &[u8; 16]) -> Result<&PoolObj> {
        self.list.iter().find(|p| &p.def.uuid == uuid).ok_or_else(|| no_pool("uuid", &format_uuid(uuid)))
    }

    fn active(&self, name: &str) -> Result<&PoolObj> {
        let pool = self.by_name(name)?;
        if !pool.active {
            return Err(test_error(VIR_ERR_OPERATION_INVALID, format!("storage pool '{name}' is not active")));
        }
        Ok(pool)
    }

    fn active_mut(&mut self, name: &str) -> Result<&mut PoolObj> {
        self.active(name)?;
        self.by_name_mut(name)
    }

    fn inactive_mut(&mut self, name: &str) -> Result<&mut PoolObj> {
        let pool = self.by_name_mut(name)?;
        if pool.active {
            return Err(test_error(VIR_ERR_OPERATION_INVALID, format!("storage pool '{name}' is active")));
        }
        Ok(pool)
    }

    fn remove(&mut self, name: &str) {
        self.list.retain(|p| p.def.name != name);
    }

    /// libvirt's virStoragePoolObjListAdd: a new pool, or a new definition for the
    /// pool of the same name and UUID. `check_live` refuses an active one.
    fn add(&mut self, def: PoolDef, check_live: bool) -> Result<&mut PoolObj> {
        if let Some(other) = self.list.iter().find(|p| p.def.name != def.name && same_source(&p.def, &def)) {
            return Err(storage_failed(format!("Storage source conflict with pool: '{}'", other.def.name)));
        }
        if let Some(i) = self.list.iter().position(|p| p.def.uuid == def.uuid) {
            let pool = &mut self.list[i];
            if pool.def.name != def.name {
                let (name, uuid) = (&pool.def.name, format_uuid(&pool.def.uuid));
                return Err(storage_failed(format!("pool '{name}' is already defined with uuid {uuid}")));
            }
            if check_live && pool.active {
                let detail = format!("pool is already active as '{}'", pool.def.name);
                return Err(Error::with_detail(VIR_ERR_OPERATION_INVALID, VIR_FROM_STORAGE, detail));
            }
            // libvirt keeps a running pool's new definition aside, and its test
            // driver never uses it.
            if !pool.active {
                pool.def = def;
            }
            return Ok(pool);
        }
        if let Some(pool) = self.list.iter().find(|p| p.def.name == def.name) {
            let (name, uuid) = (&def.name, format_uuid(&pool.def.uuid));
            return Err(storage_failed(format!("pool '{name}' already exists with uuid {uuid}")));
        }
        self.list.push(PoolObj {
            def,
            active: false,
            persistent: false,
            autostart: false,
            volumes: Vec::new(),
        });
        Ok(self.list.last_mut().expect("just pushed"))
    }

    /// A pool of a host description (the default host, a custom file): active and
    /// persistent, with its volumes; a volume without path or key gets
    /// POOLPATH/NAME for both.
    pub fn add_loaded(&mut self, def: PoolDef, volumes: Vec<VolDef>) -> Result<()> {
        let pool = self.add(def, false)?;
        pool.set_defaults();
        pool.active = true;
        for mut vol in volumes {
            let target = pool.def.target_path.as_deref().unwrap_or("(null)");
            let path = vol.target.path.get_or_insert_with(|| format!("{target}/{}", vol.name)).clone();
            vol.key.get_or_insert(path);
            pool.add_volume(vol);
        }
        Ok(())
    }

    pub fn count(&self, active: bool) -> usize {
        self.list.iter().filter(|p| p.active == active).count()
    }

    pub fn names(&self, active: bool, max: usize) -> Vec<String> {
        self.list.iter().filter(|p| p.active == active).take(max).map(|p| p.def.name.clone()).collect()
    }

    pub fn list_all(&self, flags: u32) -> Result<(Vec<PoolId>, usize)> {
        check_flags(VIR_FROM_TEST, "testConnectListAllStoragePools", flags, LIST_FILTERS_ALL)?;
        let found = self.list.iter().filter(|p| p.matches(flags)).map(PoolObj::identity).collect();
        Ok((found, self.list.len()))
    }

    pub fn lookup_by_name(&self, name: &str) -> Result<PoolId> {
        self.by_name(name).map(PoolObj::identity)
    }

    pub fn lookup_by_uuid(&self, uuid: &[u8; 16]) -> Result<PoolId> {
        self.by_uuid(uuid).map(PoolObj::identity)
    }

    /// virStoragePoolCreateXML: a transient pool, started.
    pub fn create_xml(&mut self, text: &str, flags: u32) -> Result<PoolId> {
        check_flags(VIR_FROM_TEST, "testStoragePoolCreateXML", flags, 0)?;
        let def = xml::parse_pool(text)?;
        let pool = self.add(def, true)?;
        pool.set_defaults();
        pool.persistent = false;
        pool.active = true;
        Ok(pool.identity())
    }

    /// virStoragePoolDefineXML: a persistent pool, or a new definition of one. As in
    /// libvirt, the pool's current definition gets the default sizes again.
    pub fn define_xml(&mut self, text: &str, flags: u32) -> Result<PoolId> {
        check_flags(VIR_FROM_TEST, "testStoragePoolDefineXML", flags, VIR_STORAGE_POOL_DEFINE_VALIDATE as u32)?;
        let mut def = xml::parse_pool(text)?;
        def.capacity = POOL_CAPACITY;
        def.available = POOL_CAPACITY;
        let pool = self.add(def, false)?;
        pool.set_defaults();
        Ok(pool.identity())
    }

    pub fn build(&mut self, pool: &PoolId, flags: u32) -> Result<()> {
        check_flags(VIR_FROM_TEST, "testStoragePoolBuild", flags, 0)?;
        self.inactive_mut(&pool.name).map(drop)
    }

    pub fn undefine(&mut self, pool: &PoolId) -> Result<()> {
        self.inactive_mut(&pool.name)?;
        self.remove(&pool.name);
        Ok(())
    }

    pub fn create(&mut self, pool: &PoolId, flags: u32) -> Result<()> {
        check_flags(VIR_FROM_TEST, "testStoragePoolCreate", flags, 0)?;
        self.inactive_mut(&pool.name)?.active = true;
        Ok(())
    }

    /// Stops the pool; a transient one goes.
    pub fn destroy(&mut self, pool: &PoolId) -> Result<()> {
        let obj = self.active_mut(&pool.name)?;
        obj.active = false;
        if !obj.persistent {
            self.remove(&pool.name);
        }
        Ok(())
    }

    pub fn delete(&mut self, pool: &PoolId, flags: u32) -> Result<()> {
        check_flags(VIR_FROM_TEST, "testStoragePoolDelete", flags, 0)?;
        self.inactive_mut(&pool.name).map(drop)
    }

    pub fn refresh(&mut self, pool: &PoolId, flags: u32) -> Result<()> {
        check_flags(VIR_FROM_TEST, "testStoragePoolRefresh", flags, 0)?;
        self.active(&pool.name).map(drop)
    }

    pub fn info(&self, pool: &PoolId) -> Result<PoolInfo> {
        let obj = self.by_name(&pool.name)?;
        Ok(PoolInfo {
            state: if obj.active { VIR_STORAGE_POOL_RUNNING } else { VIR_STORAGE_POOL_INACTIVE },
            capacity: obj.def.capacity,
            allocation: obj.def.allocation,
            available: obj.def.available,
        })
    }

    pub fn xml_desc(&self, pool: &PoolId, flags: u32) -> Result<String> {
        check_flags(VIR_FROM_TEST, "testStoragePoolGetXMLDesc", flags, 0)?;
        Ok(xml::format_pool(&self.by_name(&pool.name)?.def))
    }

    pub fn autostart(&self, pool: &PoolId) -> Result<bool> {
        let obj = self.by_name(&pool.name)?;
        Ok(obj.persistent && obj.autostart)
    }

    pub fn set_autostart(&mut self, pool: &PoolId, autostart: bool) -> Result<()> {
        let obj = self.by_name_mut(&pool.name)?;
        if !obj.persistent {
            return Err(test_error(VIR_ERR_INVALID_ARG, "pool has no config file"));
        }
        obj.autostart = autostart;
        Ok(())
    }

    pub fn is_active(&self, pool: &PoolId) -> Result<bool> {
        self.by_uuid(&pool.uuid).map(|p| p.active)
    }

    pub fn is_persistent(&self, pool: &PoolId) -> Result<bool> {
        self.by_uuid(&pool.uuid).map(|p| p.persistent)
    }

    pub fn num_of_volumes(&self, pool: &PoolId) -> Result<usize> {
        self.active(&pool.name).map(|p| p.volumes.len())
    }

    pub fn list_volumes(&self, pool: &PoolId, max: usize) -> Result<Vec<String>> {
        Ok(self.active(&pool.name)?.volumes.iter().take(max).map(|v| v.name.clone()).collect())
    }

    pub fn list_all_volumes(&self, pool: &PoolId, flags: u32) -> Result<(Vec<VolId>, usize)> {
        check_flags(VIR_FROM_TEST, "testStoragePoolListAllVolumes", flags, 0)?;
        let obj = self.by_uuid(&pool.uuid)?;
        if !obj.active {
            return Err(test_error(VIR_ERR_OPERATION_INVALID, "storage pool is not active"));
        }
        let vols: Vec<VolId> = obj.volumes.iter().map(|v| obj.vol_identity(v)).collect();
        let count = vols.len();
        Ok((vols, count))
    }

    pub fn vol_lookup_by_name(&self, pool: &PoolId, name: &str) -> Result<VolId> {
        let obj = self.active(&pool.name)?;
        obj.volume(name).map(|v| obj.vol_identity(v))
    }

    /// The first volume of an active pool that `matches`.
    fn find_volume(&self, matches: impl Fn(&VolDef) -> bool) -> Option<VolId> {
        self.list
            .iter()
            .filter(|p| p.active)
            .find_map(|p| p.volumes.iter().find(|v| matches(v)).map(|v| p.vol_identity(v)))
    }

    pub fn vol_lookup_by_key(&self, key: &str) -> Result<VolId> {
        self.find_volume(|v| v.key.as_deref() == Some(key)).ok_or_else(|| no_vol("key", key))
    }

    pub fn vol_lookup_by_path(&self, path: &str) -> Result<VolId> {
        self.find_volume(|v| v.target.path.as_deref() == Some(path)).ok_or_else(|| no_vol("path", path))
    }

    /// virStorageVolCreateXML, and with `clone` virStorageVolCreateXMLFrom (whose
    /// source volume libvirt's test driver looks for by name in the new volume's pool).
    pub fn vol_create_xml(&mut self, pool: &PoolId, text: &str, clone: Option<&VolId>, flags: u32) -> Result<VolId> {
        let function = if clone.is_some() { "testStorageVolCreateXMLFrom" } else { "testStorageVolCreateXML" };
        check_flags(VIR_FROM_TEST, function, flags, 0)?;
        let obj = self.active_mut(&pool.name)?;
        let mut vol = xml::parse_volume(text, obj.def.kind)?;
        if obj.volume(&vol.name).is_ok() {
            return Err(test_error(VIR_ERR_OPERATION_FAILED, "storage vol already exists"));
        }
        if let Some(clone) = clone {
            obj.volume(&clone.name)?;
        }
        if obj.def.allocation + vol.allocation > obj.def.capacity {
            let detail = format!("Not enough free space in pool for volume '{}'", vol.name);
            return Err(test_error(VIR_ERR_INTERNAL_ERROR, detail));
        }
        let path = format!("{}/{}", obj.def.target_path.as_deref().unwrap_or("(null)"), vol.name);
        vol.target.path = Some(path.clone());
        vol.key = Some(path);
        let id = obj.vol_identity(&vol);
        obj.add_volume(vol);
        Ok(id)
    }

    pub fn vol_delete(&mut self, vol: &VolId, flags: u32) -> Result<()> {
        check_flags(VIR_FROM_TEST, "testStorageVolDelete", flags, 0)?;
        let obj = self.active_mut(&vol.pool)?;
        let allocation = obj.volume(&vol.name)?.allocation;
        obj.def.allocation -= allocation;
        obj.def.available = obj.def.capacity.wrapping_sub(obj.def.allocation);
        obj.volumes.retain(|v| v.name != vol.name);
        Ok(())
    }

    pub fn vol_info(&self, vol: &VolId) -> Result<VolInfo> {
        let obj = self.active(&vol.pool)?;
        let def = obj.volume(&vol.name)?;
        Ok(VolInfo { kind: obj.def.pool_type().vol_type, capacity: def.capacity, allocation: def.allocation })
    }

    pub fn vol_xml_desc(&self, vol: &VolId, flags: u32) -> Result<String> {
        check_flags(VIR_FROM_TEST, "testStorageVolGetXMLDesc", flags, 0)?;
        let obj = self.active(&vol.pool)?;
        Ok(xml::format_volume(&obj.def, obj.volume(&vol.name)?))
    }

    pub fn vol_path(&self, vol: &VolId) -> Result<String> {
        let obj = self.active(&vol.pool)?;
        Ok(obj.volume(&vol.name)?.target.path.clone().unwrap_or_default())
    }
}

/// virConnectFindStoragePoolSources as libvirt's test driver answers it: made-up
/// volume groups for "logical", the host's share for "netfs".
pub fn find_sources(kind: &str, spec: Option<&str>, flags: u32) -> Result<String> {
    check_flags(VIR_FROM_TEST, "testConnectFindStoragePoolSources", flags, 0)?;
    // libvirt tests the type number for zero, so "dir" (0) is the unknown type and
    // an unknown name (-1) goes on to "does not support source discovery".
    let index = xml::pool_type_index(kind);
    if index == Some(0) {
        return Err(test_error(VIR_ERR_INTERNAL_ERROR, format!("unknown storage pool type {kind}")));
    }
    let source = match (spec, index) {
        (Some(spec), Some(i)) => Some(xml::parse_source_spec(spec, i)?),
        _ => None,
    };
    match kind {
        "logical" => {
            let vg = |device: &str, name: &str| Source {
                devices: vec![(device.into(), None)],
                name: Some(name.into()),
                format: Some(1),
                ..Source::default()
            };
            Ok(xml::format_sources(3, &[vg("/dev/sda20", "testvg1"), vg("/dev/sda21", "testvg2")]))
        }
        "netfs" => {
            let host = source.and_then(|s| s.hosts.into_iter().next()).ok_or_else(|| {
                test_error(VIR_ERR_INVALID_ARG, "hostname must be specified for netfs sources")
            })?;
            let share = Source {
                hosts: vec![xml::Host { name: host.name, port: 0 }],
                dir: Some("/testshare".into()),
                format: Some(1),
                ..Source::default()
            };
            Ok(xml::format_sources(xml::NETFS, &[share]))
        }
        _ => Err(test_error(VIR_ERR_NO_SUPPORT, format!("pool type '{kind}' does not support source discovery"))),
    }
}

/// The `<pool>` elements of a custom host file at `path` (under `root`), each
/// given inline or by a `file=` reference relative to the file, with their
/// `<volume>`s given the same ways.
pub fn load(pools: &mut Pools, root: roxmltree::Node, path: &str) -> Result<()> {
    for node in root.children().filter(|n| n.has_tag_name("pool")) {
        let def = with_referenced(node, path, "pool", |pool| xml::parse_pool_node(pool))?;
        let kind = def.kind;
        let volumes = node
            .children()
            .filter(|n| n.has_tag_name("volume"))
            .map(|vol| with_referenced(vol, path, "volume", |vol| xml::parse_volume_node(vol, kind)))
            .collect::<Result<Vec<_>>>()?;
        pools.add_loaded(def, volumes)?;
    }
    Ok(())
}

/// Runs `parse` on `node`, or on the root of the document its `file=` names.
pub(super) fn with_referenced<T>(
    node: roxmltree::Node,
    path: &str,
    root: &str,
    parse: impl FnOnce(roxmltree::Node) -> Result<T>,
) -> Result<T> {
    let Some(file) = node.attribute("file") else { return parse(node) };
    let full = match std::path::Path::new(path).parent() {
        Some(dir) if !file.starts_with('/') => dir.join(file).to_string_lossy().into_owned(),
        _ => file.to_owned(),
    };
    let text = std::fs::read_to_string(&full).map_err(|e| {
        let errno = e.raw_os_error().unwrap_or(libc::EIO);
        Error::system(VIR_FROM_XML, errno, format!("Unable to open file '{full}'"))
    })?;
    let doc = xml::parse_document(&text, &full, root)?;
    parse(doc.root_element())
}

/// The pool "default-pool" of test:///default, empty.
pub fn default_pool() -> PoolDef {
    let text = "<pool type='dir'><name>default-pool</name><uuid>dfe224cb-28fb-8dd0-c4b2-64eb3f0f4566</uuid>\
                <target><path>/default-pool</path></target></pool>";
    xml::parse_pool(text).expect("the default pool parses")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host() -> Pools {
        let mut pools = Pools::default();
        pools.add_loaded(default_pool(), Vec::new()).unwrap();
        pools
    }

    fn default_id() -> PoolId {
        PoolId::new("default-pool", crate::uuid::parse_uuid("dfe224cb-28fb-8dd0-c4b2-64eb3f0f4566").unwrap())
    }

    const P2: &str = "<pool type='dir'><name>p2</name><uuid>11111111-2222-3333-4444-555555555555</uuid>\
                      <target><path>/p2</path></target></pool>";

    #[test]
    fn the_default_pool_is_active_persistent_and_empty() {
        let pools = host();
        let info = pools.info(&default_id()).unwrap();
        assert_eq!(info, PoolInfo { state: 2, capacity: 107374182400, allocation: 0, available: 107374182400 });
        assert!(pools.is_persistent(&default_id()).unwrap());
        assert!(!pools.autostart(&default_id()).unwrap());
        assert_eq!(pools.num_of_volumes(&default_id()).unwrap(), 0);
    }

    #[test]
    fn volumes_take_space_and_get_paths_in_their_pool() {
        let mut pools = host();
        let id = default_id();
        let vol = pools.vol_create_xml(&id, "<volume><name>v1</name><capacity>1000</capacity></volume>", None, 0).unwrap();
        assert_eq!((vol.key.as_str(), vol.pool.as_str()), ("/default-pool/v1", "default-pool"));
        assert_eq!(pools.info(&id).unwrap().available, 107374182400 - 1000);
        let err = pools.vol_create_xml(&id, "<volume><name>v1</name><capacity>1</capacity></volume>", None, 0);
        assert_eq!(err.unwrap_err().message, "operation failed: storage vol already exists");
        let big = pools.vol_create_xml(&id, "<volume><name>b</name><capacity unit='TiB'>1</capacity></volume>", None, 0);
        assert_eq!(big.unwrap_err().message, "internal error: Not enough free space in pool for volume 'b'");
        assert_eq!(pools.vol_lookup_by_path("/default-pool/v1").unwrap(), vol);
        pools.vol_delete(&vol, 0).unwrap();
        assert_eq!(pools.info(&id).unwrap().allocation, 0);
        assert_eq!(
            pools.vol_info(&vol).unwrap_err().message,
            "Storage volume not found: no storage vol with matching name 'v1'"
        );
    }

    #[test]
    fn pools_move_between_states_as_in_libvirt() {
        let mut pools = host();
        let p2 = pools.define_xml(P2, 0).unwrap();
        assert!(!pools.is_active(&p2).unwrap());
        assert_eq!(
            pools.num_of_volumes(&p2).unwrap_err().message,
            "Requested operation is not valid: storage pool 'p2' is not active"
        );
        pools.create(&p2, 0).unwrap();
        assert_eq!(pools.undefine(&p2).unwrap_err().message, "Requested operation is not valid: storage pool 'p2' is active");
        pools.define_xml(&P2.replace("/p2<", "/p3<"), 0).unwrap();
        assert!(pools.xml_desc(&p2, 0).unwrap().contains("<path>/p2</path>"));
        pools.destroy(&p2).unwrap();
        assert!(pools.xml_desc(&p2, 0).unwrap().contains("<path>/p2</path>"));
        pools.undefine(&p2).unwrap();
        assert_eq!(pools.info(&p2).unwrap_err().message, "Storage pool not found: no storage pool with matching name 'p2'");
        let t = pools.create_xml(P2, 0).unwrap();
        assert!(!pools.is_persistent(&t).unwrap());
        assert_eq!(pools.set_autostart(&t, true).unwrap_err().message, "invalid argument: pool has no config file");
        pools.destroy(&t).unwrap();
        assert_eq!(pools.count(true) + pools.count(false), 1);
    }

    #[test]
    fn duplicates_are_refused_with_libvirts_errors() {
        let mut pools = host();
        let msg = |r: Result<PoolId>| r.unwrap_err().message;
        assert_eq!(
            msg(pools.define_xml("<pool type='dir'><name>default-pool</name><target><path>/x</path></target></pool>", 0)),
            "operation failed: pool 'default-pool' already exists with uuid dfe224cb-28fb-8dd0-c4b2-64eb3f0f4566"
        );
        assert_eq!(
            msg(pools.define_xml("<pool type='dir'><name>z</name><target><path>/default-pool</path></target></pool>", 0)),
            "operation failed: Storage source conflict with pool: 'default-pool'"
        );
        assert_eq!(
            msg(pools.create_xml(
                "<pool type='dir'><name>default-pool</name><uuid>dfe224cb-28fb-8dd0-c4b2-64eb3f0f4566</uuid>\
                 <target><path>/default-pool</path></target></pool>",
                0
            )),
            "Requested operation is not valid: pool is already active as 'default-pool'"
        );
    }

    #[test]
    fn list_filters_combine_like_libvirts() {
        let mut pools = host();
        pools.define_xml(P2, 0).unwrap();
        let names = |flags: i32| {
            pools.list_all(flags as u32).unwrap().0.into_iter().map(|p| p.name).collect::<Vec<_>>()
        };
        assert_eq!(names(VIR_CONNECT_LIST_STORAGE_POOLS_INACTIVE), vec!["p2"]);
        assert_eq!(names(VIR_CONNECT_LIST_STORAGE_POOLS_DIR | VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE), vec!["default-pool"]);
        assert!(names(VIR_CONNECT_LIST_STORAGE_POOLS_LOGICAL).is_empty());
        assert_eq!(pools.list_all(VIR_CONNECT_LIST_STORAGE_POOLS_LOGICAL as u32).unwrap().1, 2);
    }

    #[test]
    fn source_discovery_answers_as_the_test_driver() {
        assert!(find_sources("logical", None, 0).unwrap().contains("<name>testvg2</name>"));
        assert_eq!(
            find_sources("netfs", Some("<source><host name='foo'/></source>"), 0).unwrap(),
            "<sources>\n  <source>\n    <host name='foo'/>\n    <dir path='/testshare'/>\n    <format type='nfs'/>\n  </source>\n</sources>\n"
        );
        assert_eq!(find_sources("dir", None, 0).unwrap_err().message, "internal error: unknown storage pool type dir");
        assert_eq!(find_sources("bogus", None, 0).unwrap_err().code, VIR_ERR_NO_SUPPORT);
    }
}
