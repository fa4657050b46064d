//! The built-in host of test:///default, with libvirt 9.0's values.

use super::state::{Cell, CellCpu, DomainDef, State};
use crate::abi::domain::VIR_DOMAIN_RUNNING;
use crate::driver::NodeInfo;

/// The node every test host starts from; a custom file may override parts of it.
pub fn node_info() -> NodeInfo {
    NodeInfo {
        model: "i686".into(),
        memory_kib: 3 * 1024 * 1024,
        cpus: 16,
        mhz: 1400,
        nodes: 2,
        sockets: 2,
        cores: 2,
        threads: 2,
    }
}

/// Two NUMA cells of 8 CPUs each; cell i has (i + 1) * 2 GiB, half of it free.
fn cells() -> Vec<Cell> {
    (0..2u32)
        .map(|cell| Cell {
            mem_kib: u64::from(cell + 1) * 2048 * 1024,
            free_mem_kib: u64::from(cell + 1) * 1024 * 1024,
            cpus: (0..8)
                .map(|core| {
                    let id = cell * 8 + core;
                    CellCpu { id, socket_id: cell, core_id: core, siblings: vec![id] }
                })
                .collect(),
        })
        .collect()
}

/// The domain "test", running: libvirt's test driver defines it from XML too.
const TEST_DOMAIN: &str = "<domain type='test'>
  <name>test</name>
  <uuid>6695eb01-f6a4-8304-79aa-97f2502e193f</uuid>
  <memory>8388608</memory>
  <currentMemory>2097152</currentMemory>
  <vcpu>2</vcpu>
  <os><type>hvm</type></os>
  <devices>
    <disk type='file' device='disk'>
      <source file='/guest/diskimage1'/>
      <target dev='vda' bus='virtio'/>
      <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>
    </disk>
    <interface type='network'>
      <mac address='aa:bb:cc:dd:ee:ff'/>
      <source network='default'/>
      <target dev='testnet0'/>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x0'/>
    </interface>
    <memballoon model='virtio'>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0'/>
    </memballoon>
  </devices>
</domain>";

/// Parsed once: every fresh default host (each first connection) clones it, which
/// costs a fraction of parsing.
fn test_domain() -> DomainDef {
    static PARSED: once_cell::sync::Lazy<DomainDef> =
        once_cell::sync::Lazy::new(|| super::xml::parse_domain_xml(TEST_DOMAIN, false).expect("the default domain is valid"));
    PARSED.clone()
}

pub fn state() -> State {
    let mut state = State::new(node_info(), cells());
    state.iommu = crate::os::has_iommu();
    state.add_loaded(test_domain(), VIR_DOMAIN_RUNNING, true);
    state.pools.add_loaded(super::storage::default_pool(), Vec::new()).expect("the default pool is new");
    // --- network ---
    state.networks.add_loaded(super::network::default_network()).expect("the default network is new");
    // --- interface/nodedev/secret/nwfilter ---
    state.ifaces.add_loaded(super::interface::default_interface());
    super::nodedev::default_devices().into_iter().for_each(|dev| state.devices.assign(dev));
    state
}
