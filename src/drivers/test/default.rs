//! The built-in host of test:///default, with libvirt 9.0's values.

use super::state::{Cell, CellCpu, Device, DomainDef, PciAddress, State};
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

/// The domain "test", running.
fn test_domain() -> DomainDef {
    let pci = |bus, slot| Some(PciAddress { domain: 0, bus, slot, function: 0 });
    DomainDef {
        virt_type: "test".into(),
        name: "test".into(),
        uuid: [0x66, 0x95, 0xeb, 0x01, 0xf6, 0xa4, 0x83, 0x04, 0x79, 0xaa, 0x97, 0xf2, 0x50, 0x2e, 0x19, 0x3f],
        memory_kib: 8388608,
        current_memory_kib: 2097152,
        vcpus: 2,
        os_type: "hvm".into(),
        arch: "i686".into(),
        devices: vec![
            Device::Disk {
                file: "/guest/diskimage1".into(),
                target: "vda".into(),
                bus: "virtio".into(),
                address: pci(1, 0),
            },
            Device::Interface {
                mac: "aa:bb:cc:dd:ee:ff".into(),
                network: "default".into(),
                ifname: "testnet0".into(),
                address: pci(0, 1),
            },
            Device::Memballoon { model: "virtio".into(), address: pci(0, 2) },
        ],
    }
}

pub fn state() -> State {
    let mut state = State::new(node_info(), cells());
    state.iommu = crate::os::has_iommu();
    state.add_loaded(test_domain(), VIR_DOMAIN_RUNNING, true);
    state.pools.add_loaded(super::storage::default_pool(), Vec::new()).expect("the default pool is new");
    state
}
