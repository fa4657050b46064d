//! Custom test hosts: test:///PATH names a `<node>` file in libvirt's format. This
//! first loader reads the node's CPU and memory facts and its domains' basic
//! definitions (name, uuid, memory, vcpus, os type, test:runstate, test:transient);
//! devices and the other object types come with the complete test driver.

use super::state::{DomainDef, State};
use crate::abi::domain::*;
use crate::abi::virterror::*;
use crate::core::{Error, Result};
use roxmltree::{Document, Node};

/// The namespace of libvirt's test-driver extensions in domain XML.
const TEST_NS: &str = "http://libvirt.org/schemas/domain/test/1.0";

pub fn load(path: &str) -> Result<State> {
    let text = std::fs::read_to_string(path).map_err(|_| {
        Error::with_detail(VIR_ERR_XML_ERROR, VIR_FROM_TEST, format!("failed to parse xml document '{path}'"))
    })?;
    parse(&text, path)
}

fn parse(text: &str, path: &str) -> Result<State> {
    let doc = Document::parse(text)
        .map_err(|e| Error::with_detail(VIR_ERR_XML_DETAIL, VIR_FROM_TEST, format!("{path}:{}: {e}", e.pos().row)))?;
    let root = doc.root_element();
    if root.tag_name().name() != "node" {
        let detail = format!("expecting root element of 'node', not '{}'", root.tag_name().name());
        return Err(Error::with_detail(VIR_ERR_XML_ERROR, VIR_FROM_XML, detail));
    }
    let mut node = super::default::node_info();
    if let Some(cpu) = child(root, "cpu") {
        let number = |name: &str, what: &str| number(cpu, name, &format!("invalid node cpu {what} value"));
        if let Some(v) = number("nodes", "nodes")? {
            node.nodes = v as u32;
        }
        if let Some(v) = number("sockets", "sockets")? {
            node.sockets = v as u32;
        }
        if let Some(v) = number("cores", "cores")? {
            node.cores = v as u32;
        }
        if let Some(v) = number("threads", "threads")? {
            node.threads = v as u32;
        }
        node.cpus = node.cores * node.threads * node.sockets * node.nodes;
        if let Some(active) = number("active", "active")? {
            node.cpus = node.cpus.min(active as u32);
        }
        if let Some(v) = number("mhz", "mhz")? {
            node.mhz = v as u32;
        }
        if let Some(model) = child(cpu, "model").and_then(|m| m.text()) {
            node.model = model.trim().to_owned();
        }
    }
    if let Some(memory) = number(root, "memory", "invalid node memory value")? {
        node.memory_kib = memory;
    }
    let mut state = State::new(node, Vec::new());
    state.iommu = crate::os::has_iommu();
    for dom in root.children().filter(|n| n.has_tag_name("domain")) {
        let (def, runstate, transient) = parse_domain(dom)?;
        state.add_loaded(def, runstate, !transient);
    }
    // libvirt loads interfaces before pools, devices after.
    super::interface::load(&mut state.ifaces, root, path)?;
    super::storage::load(&mut state.pools, root, path)?;
    // --- network ---
    super::network::load(&mut state.networks, root, path)?;
    super::nodedev::load(&mut state.devices, root, path)?;
    Ok(state)
}

pub(super) fn child<'a>(node: Node<'a, 'a>, name: &str) -> Option<Node<'a, 'a>> {
    node.children().find(|n| n.is_element() && n.tag_name().name() == name && n.tag_name().namespace().is_none())
}

fn number(parent: Node, name: &str, invalid: &str) -> Result<Option<u64>> {
    match child(parent, name) {
        None => Ok(None),
        Some(n) => n
            .text()
            .unwrap_or("")
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| Error::with_detail(VIR_ERR_XML_ERROR, VIR_FROM_TEST, invalid)),
    }
}

/// A domain's definition, its run state and whether it is transient.
fn parse_domain(dom: Node) -> Result<(DomainDef, i32, bool)> {
    let def = super::xml::parse_definition(dom)?;
    let ext =
        |name: &str| dom.children().find(|n| n.tag_name().namespace() == Some(TEST_NS) && n.tag_name().name() == name);
    let transient = ext("transient").is_some();
    let runstate = match ext("runstate").and_then(|n| n.text()) {
        Some(text) => match text.trim().parse::<i32>() {
            Ok(state) if (0..VIR_DOMAIN_PMSUSPENDED + 1).contains(&state) => state,
            _ => return Err(super::xml::xml_error("invalid runstate")),
        },
        None => VIR_DOMAIN_RUNNING,
    };
    if transient && runstate == VIR_DOMAIN_SHUTOFF {
        return Err(super::xml::xml_error("transient domain cannot have runstate 'shutoff'"));
    }
    Ok((def, runstate, transient))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "<node xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>
      <cpu><nodes>1</nodes><sockets>1</sockets><cores>2</cores><threads>1</threads><mhz>2000</mhz><model>x86_64</model></cpu>
      <memory>1048576</memory>
      <domain type='test'><name>a</name><memory unit='MiB'>1</memory><os><type>hvm</type></os><test:runstate>5</test:runstate></domain>
      <domain type='test'><name>b</name><uuid>4dea22b3-1d52-d8f3-2516-782e98ab3fa0</uuid><memory>2048</memory>
        <currentMemory>1024</currentMemory><vcpu>3</vcpu><os><type arch='x86_64'>hvm</type></os><test:transient/></domain>
      <domain type='test'><name>c</name><memory>2048</memory><os><type>hvm</type></os><test:runstate>3</test:runstate></domain>
    </node>";

    #[test]
    fn a_node_file_sets_node_facts_and_domains() {
        let state = parse(FILE, "/f.xml").unwrap();
        let n = &state.node;
        assert_eq!(
            (n.model.as_str(), n.memory_kib, n.cpus, n.mhz, n.nodes, n.sockets, n.cores, n.threads),
            ("x86_64", 1048576, 2, 2000, 1, 1, 2, 1)
        );
        let [a, b, c] = &state.domains[..] else { panic!("three domains") };
        assert_eq!(
            (a.id, a.state, a.def.memory_kib, a.def.current_memory_kib, a.persistent),
            (-1, VIR_DOMAIN_SHUTOFF, 1024, 1024, true)
        );
        assert_eq!(
            (b.id, b.state, b.def.vcpus, b.def.arch.as_str(), b.persistent),
            (1, VIR_DOMAIN_RUNNING, 3, "x86_64", false)
        );
        assert_eq!((c.id, c.state), (2, VIR_DOMAIN_PAUSED));
        assert_eq!(a.def.uuid[6] >> 4, 4);
    }

    #[test]
    fn files_fail_as_in_libvirt() {
        let err = load("/nonexist.xml").unwrap_err();
        assert_eq!((err.code, err.domain), (VIR_ERR_XML_ERROR, VIR_FROM_TEST));
        assert_eq!(err.message, "XML error: failed to parse xml document '/nonexist.xml'");
        let err = parse("<foo/>", "/foo.xml").unwrap_err();
        assert_eq!((err.code, err.domain), (VIR_ERR_XML_ERROR, VIR_FROM_XML));
        assert_eq!(err.message, "XML error: expecting root element of 'node', not 'foo'");
        assert_eq!(parse("garbage<", "/bad.xml").unwrap_err().code, VIR_ERR_XML_DETAIL);
    }
}
