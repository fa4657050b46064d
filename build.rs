//! Generates, from the symbol table abi/symbols.tsv, the exported stubs for every
//! libvirt function no driver serves yet and the linker version scripts; then the
//! C headers from the Rust declarations.

use std::env;
use std::path::PathBuf;

#[path = "build/headers.rs"]
mod headers;
#[path = "build/stubs.rs"]
mod stubs;

fn main() {
    let out_dir = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let generated = stubs::generate(&out_dir);
    headers::generate(&generated);
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=build");
}
