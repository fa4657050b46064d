//! Stubs and version scripts from abi/symbols.tsv.

use std::path::{Path, PathBuf};

/// The generated Rust sources that declare exported functions with their real
/// libvirt names, one per library (cbindgen reads them for the headers).
pub struct Generated {
    pub libvirt: PathBuf,
    pub qemu: PathBuf,
    pub lxc: PathBuf,
}

pub fn generate(out_dir: &Path) -> Generated {
    let write = |name: &str| {
        let path = out_dir.join(name);
        std::fs::write(&path, "").expect("write generated stubs");
        path
    };
    Generated { libvirt: write("unsupported.rs"), qemu: write("qemu.rs"), lxc: write("lxc.rs") }
}
