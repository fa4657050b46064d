//! Hyper-V checkpoints as libvirt domain snapshots. As in libvirt 12.2, a
//! snapshot's name is its settings' InstanceID (Hyper-V's display names repeat);
//! the display name is the snapshot's `<description>` and may be used to look one
//! up when it is unique. Create, revert and delete go through
//! Msvm_VirtualSystemSnapshotService; the current snapshot is the VM settings'
//! Parent.

use super::define::{setting_epr, vm_epr, vsms, JOB_TIMEOUT};
use super::wsman::classes::{resource_uri, VIRTUALIZATION_V2};
use super::wsman::{CimType, Client, DateTime, EmbeddedInstance, Epr, Instance, Params};
use super::xml::read::{self, object_path, path_key};
use crate::abi::domain_snapshot::*;
use crate::abi::virterror::*;
use crate::core::{Error, Result};
use crate::driver::{check_flags, DomainId, SnapshotId};
use crate::uuid::format_uuid;

const SNAPSHOT_SERVICE: &str = "Msvm_VirtualSystemSnapshotService";
const VSSD: &str = "Msvm_VirtualSystemSettingData";
/// CreateSnapshot's SnapshotType for a full (standard) checkpoint.
const FULL_SNAPSHOT: &str = "2";

fn guid(dom: &DomainId) -> String {
    format_uuid(&dom.uuid).to_ascii_uppercase()
}

fn service(client: &Client, method: &str, params: &Params) -> Result<Instance> {
    let uri = resource_uri(VIRTUALIZATION_V2, SNAPSHOT_SERVICE);
    client.invoke_and_wait(&uri, &[("CreationClassName", SNAPSHOT_SERVICE)], method, params, JOB_TIMEOUT)
}

fn no_snapshot(name: &str) -> Error {
    Error::with_detail(
        VIR_ERR_NO_DOMAIN_SNAPSHOT,
        VIR_FROM_HYPERV,
        format!("no domain snapshot with matching name '{name}'"),
    )
}

/// Every snapshot settings object of the VM (one query).
fn all(client: &Client, dom: &DomainId) -> Result<Vec<Instance>> {
    let query = format!(
        "ASSOCIATORS OF {{Msvm_ComputerSystem.CreationClassName='Msvm_ComputerSystem',Name='{}'}} \
         WHERE AssocClass = Msvm_SnapshotOfVirtualSystem ResultClass = Msvm_VirtualSystemSettingData",
        guid(dom)
    );
    client.enumerate_wql(VIRTUALIZATION_V2, &query)
}

fn id_of(vssd: &Instance) -> Result<String> {
    vssd.require("InstanceID")
}

/// The InstanceID a settings object's Parent names (its parent snapshot).
fn parent_of(vssd: &Instance) -> Option<String> {
    path_key(&vssd.get::<String>("Parent").ok().flatten()?, "InstanceID").filter(|p| !p.is_empty())
}

/// virDomainListAllSnapshots with its filters (ROOTS, LEAVES, NO_LEAVES, METADATA,
/// NO_METADATA, ...; Hyper-V checkpoints are internal, full and carry no libvirt metadata).
pub fn list(client: &Client, dom: &DomainId, flags: u32) -> Result<Vec<SnapshotId>> {
    let allowed = VIR_DOMAIN_SNAPSHOT_LIST_ROOTS
        | VIR_DOMAIN_SNAPSHOT_LIST_DESCENDANTS
        | VIR_DOMAIN_SNAPSHOT_LIST_LEAVES
        | VIR_DOMAIN_SNAPSHOT_LIST_NO_LEAVES
        | VIR_DOMAIN_SNAPSHOT_LIST_METADATA
        | VIR_DOMAIN_SNAPSHOT_LIST_NO_METADATA
        | VIR_DOMAIN_SNAPSHOT_LIST_INACTIVE
        | VIR_DOMAIN_SNAPSHOT_LIST_ACTIVE
        | VIR_DOMAIN_SNAPSHOT_LIST_DISK_ONLY
        | VIR_DOMAIN_SNAPSHOT_LIST_INTERNAL
        | VIR_DOMAIN_SNAPSHOT_LIST_EXTERNAL
        | VIR_DOMAIN_SNAPSHOT_LIST_TOPOLOGICAL;
    check_flags(VIR_FROM_HYPERV, "hypervDomainListAllSnapshots", flags, allowed as u32)?;
    let has = |f: i32| flags & f as u32 != 0;
    let excluded = |yes: i32, no: i32| has(yes) != has(no) && has(no);
    if excluded(VIR_DOMAIN_SNAPSHOT_LIST_NO_METADATA, VIR_DOMAIN_SNAPSHOT_LIST_METADATA)
        || excluded(VIR_DOMAIN_SNAPSHOT_LIST_INTERNAL, VIR_DOMAIN_SNAPSHOT_LIST_EXTERNAL)
        || (has(VIR_DOMAIN_SNAPSHOT_LIST_DISK_ONLY)
            && !has(VIR_DOMAIN_SNAPSHOT_LIST_ACTIVE)
            && !has(VIR_DOMAIN_SNAPSHOT_LIST_INACTIVE))
    {
        return Ok(Vec::new());
    }
    let snapshots = all(client, dom)?;
    let parents: Vec<Option<String>> = snapshots.iter().map(parent_of).collect();
    let ids: Vec<String> = snapshots.iter().map(id_of).collect::<Result<_>>()?;
    let mut out = Vec::new();
    for (id, parent) in ids.iter().zip(&parents) {
        let leaf = !parents.iter().any(|p| p.as_deref() == Some(id.as_str()));
        let root = parent.as_ref().is_none_or(|p| !ids.contains(p));
        if (has(VIR_DOMAIN_SNAPSHOT_LIST_ROOTS) && !root)
            || (has(VIR_DOMAIN_SNAPSHOT_LIST_LEAVES) && !has(VIR_DOMAIN_SNAPSHOT_LIST_NO_LEAVES) && !leaf)
            || (has(VIR_DOMAIN_SNAPSHOT_LIST_NO_LEAVES) && !has(VIR_DOMAIN_SNAPSHOT_LIST_LEAVES) && leaf)
        {
            continue;
        }
        out.push(SnapshotId::new(dom.clone(), id));
    }
    Ok(out)
}

/// The snapshot's settings; `name` is an InstanceID or a unique display name.
fn find(client: &Client, dom: &DomainId, name: &str) -> Result<Instance> {
    let snapshots = all(client, dom)?;
    if let Some(s) = snapshots.iter().find(|s| id_of(s).ok().as_deref() == Some(name)) {
        return Ok(s.clone());
    }
    let named: Vec<&Instance> = snapshots
        .iter()
        .filter(|s| s.get::<String>("ElementName").ok().flatten().as_deref() == Some(name))
        .collect();
    match named.as_slice() {
        [one] => Ok((*one).clone()),
        _ => Err(no_snapshot(name)),
    }
}

pub fn lookup_by_name(client: &Client, dom: &DomainId, name: &str, flags: u32) -> Result<SnapshotId> {
    check_flags(VIR_FROM_HYPERV, "hypervDomainSnapshotLookupByName", flags, 0)?;
    Ok(SnapshotId::new(dom.clone(), &id_of(&find(client, dom, name)?)?))
}

/// virDomainSnapshotCurrent / HasCurrentSnapshot: the VM settings' Parent (one Get).
pub fn current(client: &Client, dom: &DomainId, flags: u32) -> Result<Option<SnapshotId>> {
    check_flags(VIR_FROM_HYPERV, "hypervDomainSnapshotCurrent", flags, 0)?;
    let vm = client
        .get_opt(&resource_uri(VIRTUALIZATION_V2, VSSD), &[("InstanceID", &format!("Microsoft:{}", guid(dom)))])?
        .ok_or_else(|| read::no_domain(&guid(dom)))?;
    Ok(parent_of(&vm).map(|id| SnapshotId::new(dom.clone(), &id)))
}

pub fn parent(client: &Client, snap: &SnapshotId, flags: u32) -> Result<Option<SnapshotId>> {
    check_flags(VIR_FROM_HYPERV, "hypervDomainSnapshotGetParent", flags, 0)?;
    let vssd = find(client, &snap.domain, &snap.name)?;
    Ok(parent_of(&vssd).map(|id| SnapshotId::new(snap.domain.clone(), &id)))
}

/// virDomainSnapshotCreateXML: a full checkpoint; the XML's `<name>` and
/// `<description>` become its display name and notes.
pub fn create(client: &Client, dom: &DomainId, xml: &str, flags: u32) -> Result<SnapshotId> {
    check_flags(VIR_FROM_HYPERV, "hypervDomainSnapshotCreateXML", flags, VIR_DOMAIN_SNAPSHOT_CREATE_ATOMIC as u32)?;
    let doc = roxmltree::Document::parse(xml)
        .map_err(|e| Error::with_detail(VIR_ERR_XML_DETAIL, VIR_FROM_XML, format!("(domain_snapshot):{}: {e}", e.pos().row)))?;
    let root = doc.root_element();
    if !root.has_tag_name("domainsnapshot") {
        return Err(Error::with_detail(
            VIR_ERR_XML_ERROR,
            VIR_FROM_DOMAIN_SNAPSHOT,
            format!("unexpected root element <{}>, expecting <domainsnapshot>", root.tag_name().name()),
        ));
    }
    let text = |name: &str| root.children().find(|c| c.has_tag_name(name)).and_then(|c| c.text()).map(str::to_owned);
    if root.children().any(|c| c.has_tag_name("disks") || c.has_tag_name("memory")) {
        return Err(Error::with_detail(
            VIR_ERR_CONFIG_UNSUPPORTED,
            VIR_FROM_HYPERV,
            "Hyper-V checkpoints take no <disks> or <memory> settings",
        ));
    }
    let params = Params::new()
        .reference("AffectedSystem", vm_epr(&guid(dom)))
        .text("SnapshotType", FULL_SNAPSHOT);
    let output = service(client, "CreateSnapshot", &params)?;
    let id = match output.get::<Epr>("ResultingSnapshot")?.and_then(|e| e.selector("InstanceID").map(str::to_owned)) {
        Some(id) => id,
        None => created_snapshot(client, &output)?,
    };
    let (name, description) = (text("name"), text("description"));
    if name.is_some() || description.is_some() {
        let mut settings = EmbeddedInstance::new(VSSD).set("InstanceID", CimType::String, &id);
        if let Some(name) = &name {
            settings = settings.set("ElementName", CimType::String, name);
        }
        if let Some(description) = &description {
            settings = settings.set_array("Notes", CimType::String, [description.as_str()]);
        }
        vsms(client, "ModifySystemSettings", &Params::new().instance("SystemSettings", settings))?;
    }
    Ok(SnapshotId::new(dom.clone(), &id))
}

/// The snapshot a CreateSnapshot job made (Windows leaves ResultingSnapshot empty
/// when the method runs as a job): the job's affected settings object.
fn created_snapshot(client: &Client, output: &Instance) -> Result<String> {
    let job = output.require::<Epr>("Job")?;
    let query = format!(
        "ASSOCIATORS OF {} WHERE AssocClass = Msvm_AffectedJobElement ResultClass = Msvm_VirtualSystemSettingData",
        object_path("Msvm_ConcreteJob", "InstanceID", job.selector("InstanceID").unwrap_or_default())
    );
    let found = client.enumerate_wql(VIRTUALIZATION_V2, &query)?;
    match found.first() {
        Some(vssd) => id_of(vssd),
        None => Err(Error::internal(VIR_FROM_HYPERV, "CreateSnapshot did not say which snapshot it made")),
    }
}

/// virDomainRevertToSnapshot: ApplySnapshot (the VM must be off or saved, as
/// Hyper-V wants), then start it for REVERT_RUNNING.
pub fn revert(client: &Client, snap: &SnapshotId, flags: u32) -> Result<()> {
    let allowed = VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING | VIR_DOMAIN_SNAPSHOT_REVERT_FORCE;
    check_flags(VIR_FROM_HYPERV, "hypervDomainRevertToSnapshot", flags, allowed as u32)?;
    let vssd = find(client, &snap.domain, &snap.name)?;
    service(client, "ApplySnapshot", &Params::new().reference("Snapshot", setting_epr(VSSD, &id_of(&vssd)?)))?;
    if flags & VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING as u32 != 0 {
        let vm = vm_epr(&guid(&snap.domain));
        let selectors: Vec<(&str, &str)> = vm.selectors.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let params = Params::new().text("RequestedState", "2");
        client.invoke_and_wait(&vm.resource_uri, &selectors, "RequestStateChange", &params, JOB_TIMEOUT)?;
    }
    Ok(())
}

/// virDomainSnapshotDelete, with CHILDREN / CHILDREN_ONLY (descendants first).
pub fn delete(client: &Client, snap: &SnapshotId, flags: u32) -> Result<()> {
    let allowed = VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN | VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY;
    check_flags(VIR_FROM_HYPERV, "hypervDomainSnapshotDelete", flags, allowed as u32)?;
    let snapshots = all(client, &snap.domain)?;
    let target = find(client, &snap.domain, &snap.name)?;
    let target_id = id_of(&target)?;
    let mut doomed = Vec::new();
    if flags != 0 {
        descendants(&snapshots, &target_id, &mut doomed)?;
    }
    if flags & VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY as u32 == 0 {
        doomed.push(target_id);
    }
    for id in doomed {
        service(client, "DestroySnapshot", &Params::new().reference("AffectedSnapshot", setting_epr(VSSD, &id)))?;
    }
    Ok(())
}

/// The descendants of `id`, deepest first.
fn descendants(snapshots: &[Instance], id: &str, out: &mut Vec<String>) -> Result<()> {
    for child in snapshots.iter().filter(|s| parent_of(s).as_deref() == Some(id)) {
        let child_id = id_of(child)?;
        descendants(snapshots, &child_id, out)?;
        out.push(child_id);
    }
    Ok(())
}

/// virDomainSnapshotGetXMLDesc: the snapshot and the domain as it was (two requests).
pub fn xml_desc(client: &Client, snap: &SnapshotId, flags: u32) -> Result<String> {
    check_flags(VIR_FROM_HYPERV, "hypervDomainSnapshotGetXMLDesc", flags, VIR_DOMAIN_SNAPSHOT_XML_SECURE as u32)?;
    let settings = read::settings_by_id(client, &snap.name)?.ok_or_else(|| no_snapshot(&snap.name))?;
    let vssd = &settings.vssd;
    let mut def = read::domain_def(client, &settings, false)?;
    def.name = snap.domain.name.clone();
    def.uuid = Some(snap.domain.uuid);
    def.id = None;
    let mut x = String::from("<domainsnapshot>\n");
    x += &format!("  <name>{}</name>\n", escape(&snap.name));
    if let Some(display) = vssd.get::<String>("ElementName")? {
        x += &format!("  <description>{}</description>\n", escape(&display));
    }
    let state = if vssd.get::<bool>("IsSaved")?.unwrap_or(false) { "running" } else { "shutoff" };
    x += &format!("  <state>{state}</state>\n");
    if let Some(parent) = parent_of(vssd) {
        x += &format!("  <parent>\n    <name>{}</name>\n  </parent>\n", escape(&parent));
    }
    if let Some(created) = vssd.get::<DateTime>("CreationTime")? {
        x += &format!("  <creationTime>{}</creationTime>\n", created.unix_seconds());
    }
    x += &format!("  <memory snapshot='{}'/>\n", if state == "running" { "internal" } else { "no" });
    for line in super::xml::format::format_domain(&def, true).lines() {
        x += &format!("  {line}\n");
    }
    x += "</domainsnapshot>\n";
    Ok(x)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('\'', "&apos;")
}
