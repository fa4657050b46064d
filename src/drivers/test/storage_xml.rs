//! Storage pool and volume XML as libvirt 9.0 reads and writes it: every pool type
//! libvirt knows, with the source parts each type uses, and the volume formats of
//! the pool a volume belongs to. Errors carry libvirt's codes and wording.

use super::xml::escape;
use crate::abi::storage::*;
use crate::abi::virterror::*;
use crate::core::{Error, Result};
use crate::uuid::{format_uuid, parse_uuid};
use roxmltree::{Document, Node};
use std::fmt::Write;

/// What a pool type's source must or may say (libvirt's VIR_STORAGE_POOL_SOURCE_*).
const HOST: u32 = 1;
const DEVICE: u32 = 2;
const DIR: u32 = 4;
const ADAPTER: u32 = 8;
const NAME: u32 = 16;
const IQN: u32 = 32;
const NETWORK: u32 = 64;

const FS_FORMATS: &[&str] =
    &["auto", "ext2", "ext3", "ext4", "ufs", "iso9660", "udf", "gfs", "gfs2", "vfat", "hfs+", "xfs", "ocfs2", "vmfs"];
const NETFS_FORMATS: &[&str] = &["auto", "nfs", "glusterfs", "cifs"];
const DISK_FORMATS: &[&str] = &["unknown", "dos", "dvh", "gpt", "mac", "bsd", "pc98", "sun", "lvm2"];
const LOGICAL_FORMATS: &[&str] = &["unknown", "lvm2"];
/// Volume file formats; "none" (0) is never accepted in XML.
const FILE_FORMATS: &[&str] = &[
    "none", "raw", "dir", "bochs", "cloop", "dmg", "iso", "vpc", "vdi", "fat", "vhd", "ploop", "cow", "qcow", "qcow2",
    "qed", "vmdk",
];
const DISK_VOL_FORMATS: &[&str] =
    &["none", "linux", "fat16", "fat32", "linux-swap", "linux-lvm", "linux-raid", "extended"];
const VOL_TYPES: &[&str] = &["file", "block", "dir", "network", "netdir", "ploop"];
const FEATURES: &[&str] = &["lazy_refcounts", "extended_l2"];

/// A list of format names and the one used when the XML names none.
#[derive(Clone, Copy)]
struct Formats {
    names: &'static [&'static str],
    default: usize,
    /// Whether index 0 may be named ("none" of file formats may not).
    zero_allowed: bool,
}

impl Formats {
    fn from_name(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| *n == name).filter(|&i| i != 0 || self.zero_allowed)
    }
}

const fn formats(names: &'static [&'static str], default: usize) -> Option<Formats> {
    Some(Formats { names, default, zero_allowed: true })
}
const FILE_VOLS: Option<Formats> = Some(Formats { names: FILE_FORMATS, default: 1, zero_allowed: false });

/// One pool type: its name (the VIR_STORAGE_POOL_* order), source parts, pool and
/// volume formats, and the VIR_STORAGE_VOL_* type its volumes report.
pub struct PoolType {
    pub name: &'static str,
    flags: u32,
    pool_formats: Option<Formats>,
    vol_formats: Option<Formats>,
    pub vol_type: i32,
    pub list_flag: u32,
}

macro_rules! pool_type {
    ($name:expr, $flags:expr, $pf:expr, $vf:expr, $vt:ident, $lf:ident) => {
        PoolType {
            name: $name,
            flags: $flags,
            pool_formats: $pf,
            vol_formats: $vf,
            vol_type: $vt,
            list_flag: $lf as u32,
        }
    };
}

pub static POOL_TYPES: [PoolType; 14] = [
    pool_type!("dir", 0, None, FILE_VOLS, VIR_STORAGE_VOL_FILE, VIR_CONNECT_LIST_STORAGE_POOLS_DIR),
    pool_type!("fs", DEVICE, formats(FS_FORMATS, 0), FILE_VOLS, VIR_STORAGE_VOL_FILE, VIR_CONNECT_LIST_STORAGE_POOLS_FS),
    pool_type!("netfs", HOST | DIR, formats(NETFS_FORMATS, 0), FILE_VOLS, VIR_STORAGE_VOL_FILE, VIR_CONNECT_LIST_STORAGE_POOLS_NETFS),
    pool_type!("logical", NAME | DEVICE, formats(LOGICAL_FORMATS, 1), None, VIR_STORAGE_VOL_BLOCK, VIR_CONNECT_LIST_STORAGE_POOLS_LOGICAL),
    pool_type!("disk", DEVICE, formats(DISK_FORMATS, 0), formats(DISK_VOL_FORMATS, 0), VIR_STORAGE_VOL_BLOCK, VIR_CONNECT_LIST_STORAGE_POOLS_DISK),
    pool_type!("iscsi", HOST | DEVICE | IQN, None, None, VIR_STORAGE_VOL_BLOCK, VIR_CONNECT_LIST_STORAGE_POOLS_ISCSI),
    pool_type!("iscsi-direct", HOST | DEVICE | NETWORK | IQN, None, None, VIR_STORAGE_VOL_NETWORK, VIR_CONNECT_LIST_STORAGE_POOLS_ISCSI_DIRECT),
    pool_type!("scsi", ADAPTER, None, None, VIR_STORAGE_VOL_BLOCK, VIR_CONNECT_LIST_STORAGE_POOLS_SCSI),
    pool_type!("mpath", 0, None, None, VIR_STORAGE_VOL_BLOCK, VIR_CONNECT_LIST_STORAGE_POOLS_MPATH),
    pool_type!("rbd", HOST | NETWORK | NAME, None, FILE_VOLS, VIR_STORAGE_VOL_NETWORK, VIR_CONNECT_LIST_STORAGE_POOLS_RBD),
    pool_type!("sheepdog", HOST | NETWORK | NAME, None, None, VIR_STORAGE_VOL_NETWORK, VIR_CONNECT_LIST_STORAGE_POOLS_SHEEPDOG),
    pool_type!("gluster", HOST | NETWORK | NAME | DIR, None, FILE_VOLS, VIR_STORAGE_VOL_NETWORK, VIR_CONNECT_LIST_STORAGE_POOLS_GLUSTER),
    pool_type!("zfs", NAME | DEVICE, None, None, VIR_STORAGE_VOL_BLOCK, VIR_CONNECT_LIST_STORAGE_POOLS_ZFS),
    pool_type!("vstorage", NAME, None, FILE_VOLS, VIR_STORAGE_VOL_FILE, VIR_CONNECT_LIST_STORAGE_POOLS_VSTORAGE),
];

const LOGICAL: usize = 3;
const RBD: usize = 9;
const GLUSTER: usize = 11;
const ZFS: usize = 12;
const ISCSI_DIRECT: usize = 6;
pub const NETFS: usize = 2;

pub fn pool_type_index(name: &str) -> Option<usize> {
    POOL_TYPES.iter().position(|t| t.name == name)
}

/// Owner, group, mode and label of a target; None where the XML says nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Perms {
    pub mode: Option<u32>,
    pub owner: Option<i64>,
    pub group: Option<i64>,
    pub label: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Host {
    pub name: String,
    pub port: i32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Auth {
    pub kind: &'static str,
    pub username: String,
    /// ("uuid" or "usage", its value).
    pub secret: (&'static str, String),
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Source {
    pub hosts: Vec<Host>,
    /// Device paths and their part_separator ("yes"/"no").
    pub devices: Vec<(String, Option<&'static str>)>,
    pub dir: Option<String>,
    /// A scsi_host adapter's name.
    pub adapter: Option<String>,
    pub name: Option<String>,
    pub initiator: Option<String>,
    pub format: Option<usize>,
    pub auth: Option<Auth>,
    pub protocol_ver: Option<String>,
    pub vendor: Option<String>,
    pub product: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PoolDef {
    pub kind: usize,
    pub name: String,
    pub uuid: [u8; 16],
    pub capacity: u64,
    pub allocation: u64,
    pub available: u64,
    pub cow: Option<&'static str>,
    pub source: Source,
    pub target_path: Option<String>,
    pub perms: Perms,
    pub refresh_allocation: Option<&'static str>,
}

impl PoolDef {
    pub fn pool_type(&self) -> &'static PoolType {
        &POOL_TYPES[self.kind]
    }
}

/// A volume's target or backing store.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Target {
    pub path: Option<String>,
    pub format: Option<usize>,
    pub perms: Perms,
    pub compat: Option<String>,
    pub cluster_size: u64,
    /// None without `<features>`; else the feature bits set.
    pub features: Option<Vec<bool>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VolDef {
    pub name: String,
    pub key: Option<String>,
    pub kind: usize,
    pub capacity: u64,
    pub allocation: u64,
    pub target: Target,
    pub backing: Option<Target>,
}

fn xml_error(detail: impl AsRef<str>) -> Error {
    Error::with_detail(VIR_ERR_XML_ERROR, VIR_FROM_STORAGE, detail)
}

fn unsupported(detail: impl AsRef<str>) -> Error {
    Error::with_detail(VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_STORAGE, detail)
}

/// An attribute libvirt's XML helpers check: errors in the VIR_FROM_XML domain.
fn bad_attribute(node: Node, attr: &str, value: &str, expected: &str) -> Error {
    let element = node.tag_name().name();
    Error::with_detail(
        VIR_ERR_XML_ERROR,
        VIR_FROM_XML,
        format!("Invalid value for attribute '{attr}' in element '{element}': '{value}'.{expected}"),
    )
}

/// Parses `text` as libxml2 would for libvirt, with `url` naming the document in
/// syntax errors ("(storage_pool_definition)") and `root` the element it must have.
pub fn parse_document<'a>(text: &'a str, url: &str, root: &str) -> Result<Document<'a>> {
    let doc = Document::parse(text).map_err(|e| syntax_error(text, url, e))?;
    let name = doc.root_element().tag_name().name();
    if name != root {
        let detail = format!("expecting root element of '{root}', not '{name}'");
        return Err(Error::with_detail(VIR_ERR_XML_ERROR, VIR_FROM_XML, detail));
    }
    Ok(doc)
}

/// libxml2's report of a malformed document: the message, the offending line and a
/// caret under the column. The messages of the common cases are libxml2's own.
fn syntax_error(text: &str, url: &str, e: roxmltree::Error) -> Error {
    let pos = e.pos();
    let trimmed = text.trim_start();
    let (message, row, col) = if trimmed.is_empty() {
        ("Document is empty".to_owned(), 1, 1)
    } else if !trimmed.starts_with('<') {
        ("Start tag expected, '<' not found".to_owned(), 1 + text.len() as u32 - trimmed.len() as u32, 1)
    } else {
        (e.to_string(), pos.row, pos.col)
    };
    let line = if text.is_empty() { "(null)" } else { text.lines().nth(row as usize - 1).unwrap_or("") };
    let caret = format!("{}^", "-".repeat(col.saturating_sub(1) as usize));
    let row = if trimmed.is_empty() { 1 } else { row };
    Error::with_detail(VIR_ERR_XML_DETAIL, VIR_FROM_STORAGE, format!("{url}:{row}: {message}\n{line}\n{caret}"))
}

fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|n| n.is_element() && n.tag_name().name() == name)
}

fn children<'a, 'i: 'a>(node: Node<'a, 'i>, name: &'a str) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
    node.children().filter(move |n| n.is_element() && n.tag_name().name() == name)
}

/// XPath's string(): all text below the node, None when empty (as libvirt's
/// virXPathString treats an empty result).
fn string(node: Option<Node>) -> Option<String> {
    let node = node?;
    let text: String = node.descendants().filter(|n| n.is_text()).filter_map(|n| n.text()).collect();
    Some(text).filter(|t| !t.is_empty())
}

fn path_string(node: Node, path: &[&str]) -> Option<String> {
    let mut at = node;
    for step in path {
        at = child(at, step)?;
    }
    string(Some(at))
}

fn attr(node: Option<Node>, name: &str) -> Option<String> {
    node?.attribute(name).filter(|v| !v.is_empty()).map(str::to_owned)
}

/// "yes"/"no" attributes (libvirt's virTristateBool).
fn tristate(node: Node, name: &str) -> Result<Option<&'static str>> {
    match node.attribute(name) {
        None => Ok(None),
        Some("yes") => Ok(Some("yes")),
        Some("no") => Ok(Some("no")),
        Some(other) => Err(bad_attribute(node, name, other, "")),
    }
}

/// libvirt's virFileSanitizePath: runs of '/' become one (a leading "//" stays),
/// and trailing slashes go.
pub fn sanitize_path(path: &str) -> String {
    let keep_double = path.starts_with("//") && !path.starts_with("///");
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if c == '/' && out.ends_with('/') {
            continue;
        }
        out.push(c);
    }
    if keep_double {
        out.insert(0, '/');
    }
    while out.len() > 1 && out.ends_with('/') {
        out.pop();
    }
    out
}

fn parse_perms(node: Option<Node>) -> Result<Perms> {
    let Some(node) = node else { return Ok(Perms::default()) };
    let mut perms = Perms::default();
    if let Some(mode) = string(child(node, "mode")) {
        match i64::from_str_radix(mode.trim_start(), 8) {
            Ok(m) if m & !0o777 == 0 => perms.mode = Some(m as u32),
            _ => return Err(xml_error("malformed octal mode")),
        }
    }
    let id = |name: &str, what: &str| -> Result<Option<i64>> {
        let Some(n) = child(node, name) else { return Ok(None) };
        let text = string(Some(n)).unwrap_or_default();
        match text.trim().parse::<f64>() {
            Ok(v) if v.fract() == 0.0 && (v == -1.0 || (0.0..=u32::MAX as f64).contains(&v)) => {
                Ok(Some(v as i64).filter(|&v| v != -1 && v != u32::MAX as i64))
            }
            _ => Err(xml_error(format!("malformed {what} element"))),
        }
    };
    perms.owner = id("owner", "owner")?;
    perms.group = id("group", "group")?;
    perms.label = string(child(node, "label"));
    Ok(perms)
}

fn format_perms(x: &mut String, perms: &Perms, indent: &str) {
    if perms == &Perms::default() {
        return;
    }
    let _ = writeln!(x, "{indent}<permissions>");
    if let Some(mode) = perms.mode {
        let _ = writeln!(x, "{indent}  <mode>0{mode:o}</mode>");
    }
    if let Some(owner) = perms.owner {
        let _ = writeln!(x, "{indent}  <owner>{}</owner>", owner as i32);
    }
    if let Some(group) = perms.group {
        let _ = writeln!(x, "{indent}  <group>{}</group>", group as i32);
    }
    if let Some(label) = &perms.label {
        let _ = writeln!(x, "{indent}  <label>{}</label>", escape(label));
    }
    let _ = writeln!(x, "{indent}</permissions>");
}

fn parse_auth(node: Node) -> Result<Auth> {
    let username = attr(Some(node), "username").ok_or_else(|| xml_error("missing username for auth"))?;
    let kind = match node.attribute("type") {
        None => None,
        Some("chap") => Some("chap"),
        Some("ceph") => Some("ceph"),
        Some(other) => return Err(unsupported(format!("unknown auth type '{other}'"))),
    };
    let secret = child(node, "secret").ok_or_else(|| xml_error("Missing <secret> element in auth"))?;
    let secret = match (attr(Some(secret), "uuid"), attr(Some(secret), "usage")) {
        (Some(uuid), _) => ("uuid", uuid),
        (None, Some(usage)) => ("usage", usage),
        (None, None) => return Err(xml_error("missing auth secret uuid or usage attribute")),
    };
    let kind = kind.ok_or_else(|| unsupported("storage pool missing auth type"))?;
    Ok(Auth { kind, username, secret })
}

fn parse_source(node: Node, kind: usize) -> Result<Source> {
    let pool_type = &POOL_TYPES[kind];
    let mut source = Source { name: string(child(node, "name")), ..Source::default() };
    if kind == RBD && source.name.is_none() {
        return Err(xml_error("element 'name' is mandatory for RBD pool"));
    }
    if let Some(formats) = pool_type.pool_formats {
        source.format = Some(match attr(child(node, "format"), "type") {
            None => formats.default,
            Some(name) => formats
                .from_name(&name)
                .ok_or_else(|| unsupported(format!("unknown pool format type {name}")))?,
        });
    }
    for host in children(node, "host") {
        let name = attr(Some(host), "name").ok_or_else(|| xml_error("missing storage pool host name"))?;
        let port = match host.attribute("port") {
            None => 0,
            Some(p) => p
                .parse()
                .map_err(|_| bad_attribute(host, "port", p, " Expected integer value"))?,
        };
        source.hosts.push(Host { name, port });
    }
    source.initiator = child(node, "initiator").and_then(|i| attr(child(i, "iqn"), "name"));
    for device in children(node, "device") {
        let path = attr(Some(device), "path").ok_or_else(|| xml_error("missing storage pool source device path"))?;
        source.devices.push((path, tristate(device, "part_separator")?));
    }
    source.dir = attr(child(node, "dir"), "path").map(|d| sanitize_path(&d));
    if source.dir.is_none() && kind == GLUSTER {
        source.dir = Some("/".into());
    }
    if let Some(adapter) = child(node, "adapter") {
        match adapter.attribute("type") {
            None | Some("scsi_host") => {}
            Some(other) => return Err(bad_attribute(adapter, "type", other, "")),
        }
        let name = attr(Some(adapter), "name").ok_or_else(|| {
            xml_error("Either 'name' or 'parent' must be specified for the 'scsi_host' adapter")
        })?;
        source.adapter = Some(name);
    }
    if let Some(auth) = child(node, "auth") {
        source.auth = Some(parse_auth(auth)?);
    }
    if let Some(ver) = attr(child(node, "protocol"), "ver") {
        // libvirt compares the format index with netfs's auto and nfs whatever the type.
        let format = source.format.unwrap_or(0);
        if format > 1 {
            let name = NETFS_FORMATS.get(format).copied().unwrap_or("(null)");
            return Err(unsupported(format!("storage pool protocol ver unsupported for pool type '{name}'")));
        }
        source.protocol_ver = Some(ver);
    }
    source.vendor = attr(child(node, "vendor"), "name");
    source.product = attr(child(node, "product"), "name");
    Ok(source)
}

/// A `<pool>` element (`root`) as libvirt's virStoragePoolDefParseXML reads it.
/// Capacity, allocation and availability start at zero: the driver sets them.
pub fn parse_pool_node(root: Node) -> Result<PoolDef> {
    let kind = match root.attribute("type") {
        None => {
            let detail = "Missing required attribute 'type' in element 'pool'";
            return Err(Error::with_detail(VIR_ERR_XML_ERROR, VIR_FROM_XML, detail));
        }
        Some(t) => pool_type_index(t).ok_or_else(|| bad_attribute(root, "type", t, ""))?,
    };
    let pool_type = &POOL_TYPES[kind];
    let mut source = match child(root, "source") {
        Some(node) => parse_source(node, kind)?,
        None => Source { format: pool_type.pool_formats.map(|f| f.default), ..Source::default() },
    };
    let mut name = string(child(root, "name"));
    if name.is_none() && pool_type.flags & NAME != 0 {
        name = source.name.clone();
    }
    let name = name.ok_or_else(|| xml_error("missing pool source name element"))?;
    if name.contains('/') {
        return Err(xml_error(format!("name {name} cannot contain '/'")));
    }
    let uuid = match string(child(root, "uuid")) {
        None => super::xml::random_uuid(),
        Some(text) => parse_uuid(&text).ok_or_else(|| xml_error("malformed uuid element"))?,
    };
    let cow = match child(root, "features").and_then(|f| child(f, "cow")) {
        Some(cow) => tristate(cow, "state")?,
        None => None,
    };
    if cow.is_some() && !matches!(pool_type.name, "fs" | "dir") {
        let detail = "cow feature may only be used for 'fs' and 'dir' pools";
        return Err(Error::with_detail(VIR_ERR_NO_SUPPORT, VIR_FROM_STORAGE, detail));
    }
    if pool_type.flags & HOST != 0 && source.hosts.is_empty() {
        return Err(xml_error("missing storage pool source host name"));
    }
    if pool_type.flags & DIR != 0 && source.dir.is_none() {
        return Err(xml_error("missing storage pool source path"));
    }
    if pool_type.flags & NAME != 0 && source.name.is_none() {
        source.name = Some(name.clone());
    }
    if pool_type.flags & ADAPTER != 0 && source.adapter.is_none() {
        return Err(xml_error("missing storage pool source adapter"));
    }
    if pool_type.flags == DEVICE && source.devices.is_empty() {
        return Err(xml_error("missing storage pool source device name"));
    }
    let mut target_path = None;
    let mut perms = Perms::default();
    if pool_type.flags & NETWORK == 0 {
        let source_name = source.name.as_deref().unwrap_or("(null)");
        let path = match kind {
            LOGICAL => format!("/dev/{source_name}"),
            ZFS => format!("/dev/zvol/{source_name}"),
            _ => path_string(root, &["target", "path"]).ok_or_else(|| xml_error("missing storage pool target path"))?,
        };
        target_path = Some(sanitize_path(&path));
        perms = parse_perms(child(root, "target").and_then(|t| child(t, "permissions")))?;
    }
    if kind == ISCSI_DIRECT && source.initiator.is_none() {
        return Err(unsupported("missing initiator IQN"));
    }
    let refresh = child(root, "refresh").and_then(|r| child(r, "volume"));
    let refresh_allocation = match attr(refresh, "allocation").as_deref() {
        None => None,
        Some("default") => Some("default"),
        Some("capacity") => Some("capacity"),
        Some(other) => {
            return Err(unsupported(format!("unknown storage pool volume refresh allocation type {other}")))
        }
    };
    Ok(PoolDef {
        kind,
        name,
        uuid,
        capacity: 0,
        allocation: 0,
        available: 0,
        cow,
        source,
        target_path,
        perms,
        refresh_allocation,
    })
}

/// A pool definition passed to virStoragePoolDefineXML/CreateXML.
pub fn parse_pool(text: &str) -> Result<PoolDef> {
    let doc = parse_document(text, "(storage_pool_definition)", "pool")?;
    parse_pool_node(doc.root_element())
}

fn format_source(x: &mut String, pool_type: &PoolType, src: &Source) {
    x.push_str("  <source>\n");
    if pool_type.flags & HOST != 0 {
        for host in &src.hosts {
            let _ = write!(x, "    <host name='{}'", escape(&host.name));
            if host.port != 0 {
                let _ = write!(x, " port='{}'", host.port);
            }
            x.push_str("/>\n");
        }
    }
    if pool_type.flags & DEVICE != 0 {
        for (path, separator) in &src.devices {
            let _ = write!(x, "    <device path='{}'", escape(path));
            if let Some(separator) = separator {
                let _ = write!(x, " part_separator='{separator}'");
            }
            x.push_str("/>\n");
        }
    }
    if pool_type.flags & DIR != 0 {
        if let Some(dir) = &src.dir {
            let _ = writeln!(x, "    <dir path='{}'/>", escape(dir));
        }
    }
    if pool_type.flags & ADAPTER != 0 {
        if let Some(adapter) = &src.adapter {
            let _ = writeln!(x, "    <adapter type='scsi_host' name='{}'/>", escape(adapter));
        }
    }
    if pool_type.flags & NAME != 0 {
        if let Some(name) = &src.name {
            let _ = writeln!(x, "    <name>{}</name>", escape(name));
        }
    }
    if pool_type.flags & IQN != 0 {
        if let Some(iqn) = &src.initiator {
            let _ = writeln!(x, "    <initiator>\n      <iqn name='{}'/>\n    </initiator>", escape(iqn));
        }
    }
    if let (Some(formats), Some(format)) = (pool_type.pool_formats, src.format) {
        let _ = writeln!(x, "    <format type='{}'/>", formats.names[format]);
    }
    if let Some(auth) = &src.auth {
        let _ = writeln!(x, "    <auth type='{}' username='{}'>", auth.kind, escape(&auth.username));
        let _ = writeln!(x, "      <secret {}='{}'/>", auth.secret.0, escape(&auth.secret.1));
        x.push_str("    </auth>\n");
    }
    if let Some(ver) = &src.protocol_ver {
        let _ = writeln!(x, "    <protocol ver='{}'/>", escape(ver));
    }
    if let Some(vendor) = &src.vendor {
        let _ = writeln!(x, "    <vendor name='{}'/>", escape(vendor));
    }
    if let Some(product) = &src.product {
        let _ = writeln!(x, "    <product name='{}'/>", escape(product));
    }
    x.push_str("  </source>\n");
}

pub fn format_pool(def: &PoolDef) -> String {
    let pool_type = def.pool_type();
    let mut x = format!("<pool type='{}'>\n", pool_type.name);
    let _ = writeln!(x, "  <name>{}</name>", escape(&def.name));
    let _ = writeln!(x, "  <uuid>{}</uuid>", format_uuid(&def.uuid));
    let _ = writeln!(x, "  <capacity unit='bytes'>{}</capacity>", def.capacity);
    let _ = writeln!(x, "  <allocation unit='bytes'>{}</allocation>", def.allocation);
    let _ = writeln!(x, "  <available unit='bytes'>{}</available>", def.available);
    if let Some(cow) = def.cow {
        let _ = writeln!(x, "  <features>\n    <cow state='{cow}'/>\n  </features>");
    }
    format_source(&mut x, pool_type, &def.source);
    if !matches!(pool_type.name, "rbd" | "sheepdog" | "gluster" | "iscsi-direct") {
        x.push_str("  <target>\n");
        if let Some(path) = &def.target_path {
            let _ = writeln!(x, "    <path>{}</path>", escape(path));
        }
        format_perms(&mut x, &def.perms, "    ");
        x.push_str("  </target>\n");
    }
    if let Some(allocation) = def.refresh_allocation {
        let _ = writeln!(x, "  <refresh>\n    <volume allocation='{allocation}'/>\n  </refresh>");
    }
    x.push_str("</pool>\n");
    x
}

/// libvirt's virScaleInteger for sizes in bytes: the unit's multiple, or its error.
fn scale(value: u64, unit: Option<&str>) -> Result<u64> {
    let unit = unit.unwrap_or("");
    let lower = unit.to_ascii_lowercase();
    let multiple: u64 = if lower.is_empty() || matches!(lower.as_str(), "b" | "byte" | "bytes") {
        1
    } else {
        let base: u64 = match &lower[1..] {
            "" | "ib" => 1024,
            "b" => 1000,
            _ => return Err(bad_suffix(unit)),
        };
        let power = match lower.as_bytes()[0] {
            b'k' => 1,
            b'm' => 2,
            b'g' => 3,
            b't' => 4,
            b'p' => 5,
            b'e' => 6,
            _ => return Err(bad_suffix(unit)),
        };
        base.pow(power)
    };
    match value.checked_mul(multiple) {
        Some(bytes) if bytes <= i64::MAX as u64 => Ok(bytes),
        _ => Err(Error::with_detail(VIR_ERR_OVERFLOW, VIR_FROM_NONE, format!("value too large: {value}{unit}"))),
    }
}

fn bad_suffix(unit: &str) -> Error {
    Error::invalid_arg(VIR_FROM_NONE, format!("unknown suffix '{unit}'"))
}

/// A `<capacity>`-style size: its text in `unit`s, or libvirt's errors.
fn size(node: Node) -> Result<Option<u64>> {
    let Some(text) = string(Some(node)) else { return Ok(None) };
    let value: u64 = text
        .trim_start()
        .parse()
        .ok()
        .filter(|_| !text.trim_start().starts_with('+'))
        .ok_or_else(|| xml_error("malformed capacity element"))?;
    scale(value, node.attribute("unit")).map(Some)
}

fn parse_format(node: Option<Node>, formats: Option<Formats>) -> Result<Option<usize>> {
    let Some(formats) = formats else { return Ok(None) };
    match attr(node.and_then(|n| child(n, "format")), "type") {
        None => Ok(Some(formats.default)),
        Some(name) => formats
            .from_name(&name)
            .map(Some)
            .ok_or_else(|| unsupported(format!("unknown volume format type {name}"))),
    }
}

/// A `<volume>` element for a pool of type `pool_kind`, as libvirt's
/// virStorageVolDefParseXML reads it (capacity required).
pub fn parse_volume_node(root: Node, pool_kind: usize) -> Result<VolDef> {
    let formats = POOL_TYPES[pool_kind].vol_formats;
    let name = string(child(root, "name")).ok_or_else(|| xml_error("missing volume name element"))?;
    let key = string(child(root, "key"));
    let kind = match root.attribute("type").filter(|t| !t.is_empty()) {
        None => 0,
        Some(t) => VOL_TYPES
            .iter()
            .position(|v| *v == t)
            .ok_or_else(|| unsupported(format!("unknown volume type '{t}'")))?,
    };
    let backing = match child(root, "backingStore").and_then(|b| path_string(b, &["path"]).map(|p| (b, p))) {
        None => None,
        Some((node, path)) => Some(Target {
            path: Some(path),
            format: parse_format(Some(node), formats)?,
            perms: parse_perms(child(node, "permissions"))?,
            ..Target::default()
        }),
    };
    let capacity = match child(root, "capacity") {
        Some(node) => size(node)?,
        None => None,
    }
    .ok_or_else(|| xml_error("missing capacity element"))?;
    let allocation = match child(root, "allocation") {
        Some(node) => size(node)?.unwrap_or(capacity),
        None => capacity,
    };
    let target_node = child(root, "target");
    let mut target = Target {
        path: target_node.and_then(|t| path_string(t, &["path"])),
        format: parse_format(target_node, formats)?,
        perms: parse_perms(target_node.and_then(|t| child(t, "permissions")))?,
        ..Target::default()
    };
    if let Some(t) = target_node {
        target.compat = string(child(t, "compat"));
        if let Some(compat) = &target.compat {
            let mut parts = compat.splitn(2, '.');
            let number = |p: Option<&str>| p.is_some_and(|p| p.parse::<u32>().is_ok());
            if !(number(parts.next()) && number(parts.next())) {
                return Err(xml_error("forbidden characters in 'compat' attribute"));
            }
        }
        if let Some(cluster) = child(t, "clusterSize") {
            target.cluster_size = match string(Some(cluster)) {
                None => 0,
                Some(text) => {
                    let value = text.trim().parse().map_err(|_| {
                        xml_error("Invalid value for element './target/clusterSize' (expected unsigned long long)")
                    })?;
                    scale(value, cluster.attribute("unit"))?
                }
            };
        }
        if let Some(features) = child(t, "features") {
            target.compat.get_or_insert_with(|| "1.1".into());
            let mut set = vec![false; FEATURES.len()];
            for feature in features.children().filter(|n| n.is_element()) {
                let name = feature.tag_name().name();
                let i = FEATURES
                    .iter()
                    .position(|f| *f == name)
                    .ok_or_else(|| unsupported(format!("unsupported feature {name}")))?;
                set[i] = true;
            }
            target.features = Some(set);
        }
    }
    Ok(VolDef { name, key, kind, capacity, allocation, target, backing })
}

pub fn parse_volume(text: &str, pool_kind: usize) -> Result<VolDef> {
    let doc = parse_document(text, "(storage_volume_definition)", "volume")?;
    parse_volume_node(doc.root_element(), pool_kind)
}

fn format_target(x: &mut String, target: &Target, element: &str, formats: Option<Formats>) {
    let _ = writeln!(x, "  <{element}>");
    if let Some(path) = &target.path {
        let _ = writeln!(x, "    <path>{}</path>", escape(path));
    }
    if let (Some(formats), Some(format)) = (formats, target.format) {
        let _ = writeln!(x, "    <format type='{}'/>", formats.names[format]);
    }
    format_perms(x, &target.perms, "    ");
    if let Some(compat) = &target.compat {
        let _ = writeln!(x, "    <compat>{}</compat>", escape(compat));
    }
    if target.cluster_size > 0 {
        let _ = writeln!(x, "    <clusterSize unit='B'>{}</clusterSize>", target.cluster_size);
    }
    if let Some(features) = &target.features {
        if features.iter().all(|f| !f) {
            x.push_str("    <features/>\n");
        } else {
            x.push_str("    <features>\n");
            for (name, _) in FEATURES.iter().zip(features).filter(|(_, on)| **on) {
                let _ = writeln!(x, "      <{name}/>");
            }
            x.push_str("    </features>\n");
        }
    }
    let _ = writeln!(x, "  </{element}>");
}

pub fn format_volume(pool: &PoolDef, vol: &VolDef) -> String {
    let formats = pool.pool_type().vol_formats;
    let mut x = format!("<volume type='{}'>\n", VOL_TYPES[vol.kind]);
    let _ = writeln!(x, "  <name>{}</name>", escape(&vol.name));
    if let Some(key) = &vol.key {
        let _ = writeln!(x, "  <key>{}</key>", escape(key));
    }
    let _ = writeln!(x, "  <capacity unit='bytes'>{}</capacity>", vol.capacity);
    let _ = writeln!(x, "  <allocation unit='bytes'>{}</allocation>", vol.allocation);
    format_target(&mut x, &vol.target, "target", formats);
    if let Some(backing) = &vol.backing {
        format_target(&mut x, backing, "backingStore", formats);
    }
    x.push_str("</volume>\n");
    x
}

/// The `<sources>` answer of virConnectFindStoragePoolSources for `kind`.
pub fn format_sources(kind: usize, sources: &[Source]) -> String {
    let mut x = String::from("<sources>\n");
    for source in sources {
        // A pool's <source> sits at the same depth as in <sources>.
        format_source(&mut x, &POOL_TYPES[kind], source);
    }
    x.push_str("</sources>\n");
    x
}

/// A `<source>` document (virConnectFindStoragePoolSources' srcSpec).
pub fn parse_source_spec(text: &str, kind: usize) -> Result<Source> {
    let doc = parse_document(text, "(storage_source_specification)", "source")?;
    parse_source(doc.root_element(), kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(r: Result<impl std::fmt::Debug>) -> (i32, i32, String) {
        let e = r.unwrap_err();
        (e.code, e.domain, e.message)
    }

    #[test]
    fn a_dir_pool_formats_as_libvirt_does() {
        let mut def =
            parse_pool("<pool type='dir'><name>p</name><uuid>dfe224cb-28fb-8dd0-c4b2-64eb3f0f4566</uuid><target><path>/p//q/</path></target></pool>")
                .unwrap();
        def.capacity = 100;
        def.available = 100;
        assert_eq!(
            format_pool(&def),
            "<pool type='dir'>\n  <name>p</name>\n  <uuid>dfe224cb-28fb-8dd0-c4b2-64eb3f0f4566</uuid>\n  \
             <capacity unit='bytes'>100</capacity>\n  <allocation unit='bytes'>0</allocation>\n  \
             <available unit='bytes'>100</available>\n  <source>\n  </source>\n  <target>\n    \
             <path>/p/q</path>\n  </target>\n</pool>\n"
        );
    }

    #[test]
    fn pool_sources_keep_libvirts_order_and_defaults() {
        let def = parse_pool(
            "<pool type='netfs'><name>b</name><source><host name='h' port='2049'/><dir path='//x/./y/'/>\
             <format type='nfs'/><protocol ver='4'/><vendor name='v&amp;'/><product name='p'/></source>\
             <target><path>/b</path><permissions><mode>0755</mode><owner>107</owner><group>-1</group>\
             <label>sys</label></permissions></target></pool>",
        )
        .unwrap();
        let x = format_pool(&def);
        assert!(x.contains(
            "  <source>\n    <host name='h' port='2049'/>\n    <dir path='//x/./y'/>\n    <format type='nfs'/>\n    \
             <protocol ver='4'/>\n    <vendor name='v&amp;'/>\n    <product name='p'/>\n  </source>\n"
        ));
        assert!(x.contains("<permissions>\n      <mode>0755</mode>\n      <owner>107</owner>\n      <label>sys</label>\n"));
        let logical = parse_pool("<pool type='logical'><source><name>vg</name></source></pool>").unwrap();
        assert_eq!(logical.name, "vg");
        assert_eq!(logical.target_path.as_deref(), Some("/dev/vg"));
        assert!(format_pool(&logical).contains("    <name>vg</name>\n    <format type='lvm2'/>\n"));
    }

    #[test]
    fn bad_pools_fail_with_libvirts_errors() {
        assert_eq!(
            err(parse_pool("<pool/>")),
            (VIR_ERR_XML_ERROR, VIR_FROM_XML, "XML error: Missing required attribute 'type' in element 'pool'".into())
        );
        assert_eq!(
            err(parse_pool("<pool type='dir'><name>a</name></pool>")),
            (VIR_ERR_XML_ERROR, VIR_FROM_STORAGE, "XML error: missing storage pool target path".into())
        );
        assert_eq!(err(parse_pool("<volume/>")).2, "XML error: expecting root element of 'pool', not 'volume'");
        assert_eq!(
            err(parse_pool("garbage")).2,
            "(storage_pool_definition):1: Start tag expected, '<' not found\ngarbage\n^"
        );
        assert_eq!(err(parse_pool("")).2, "(storage_pool_definition):1: Document is empty\n(null)\n^");
        assert_eq!(
            err(parse_pool("<pool type='fs'><name>a</name><source><device path='/d'/><format type='zz'/></source></pool>")),
            (VIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_STORAGE, "unsupported configuration: unknown pool format type zz".into())
        );
    }

    #[test]
    fn volumes_parse_units_and_format_targets() {
        let pool = parse_pool("<pool type='dir'><name>p</name><target><path>/p</path></target></pool>").unwrap();
        let mut vol = parse_volume(
            "<volume><name>v3</name><capacity unit='G'>1</capacity><allocation unit='MB'>5</allocation>\
             <target><features/></target></volume>",
            0,
        )
        .unwrap();
        assert_eq!((vol.capacity, vol.allocation), (1 << 30, 5_000_000));
        vol.key = Some("/p/v3".into());
        vol.target.path = vol.key.clone();
        assert_eq!(
            format_volume(&pool, &vol),
            "<volume type='file'>\n  <name>v3</name>\n  <key>/p/v3</key>\n  <capacity unit='bytes'>1073741824</capacity>\n  \
             <allocation unit='bytes'>5000000</allocation>\n  <target>\n    <path>/p/v3</path>\n    <format type='raw'/>\n    \
             <compat>1.1</compat>\n    <features/>\n  </target>\n</volume>\n"
        );
        assert_eq!(err(parse_volume("<volume><name>a</name></volume>", 0)).2, "XML error: missing capacity element");
        assert_eq!(
            err(parse_volume("<volume><name>a</name><capacity unit='zz'>1</capacity></volume>", 0)),
            (VIR_ERR_INVALID_ARG, VIR_FROM_NONE, "invalid argument: unknown suffix 'zz'".into())
        );
        assert_eq!(
            err(parse_volume("<volume><name>a</name><capacity unit='EiB'>100</capacity></volume>", 0)).2,
            "numerical overflow: value too large: 100EiB"
        );
        assert_eq!(
            err(parse_volume("<volume><name>a</name><capacity>1</capacity><target><format type='none'/></target></volume>", 0)).2,
            "unsupported configuration: unknown volume format type none"
        );
    }

    #[test]
    fn paths_are_sanitized_like_libvirt() {
        assert_eq!(sanitize_path("///a//b///"), "/a/b");
        assert_eq!(sanitize_path("//x/./y/"), "//x/./y");
        assert_eq!(sanitize_path("/"), "/");
        assert_eq!(sanitize_path("a/"), "a");
    }
}
