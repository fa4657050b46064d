//! The facts of libvirt's C ABI: constants, enum types, structs, handle and callback
//! types. Safe declarations only; cbindgen turns them (with src/api) into the headers.

pub mod callbacks;
pub mod common;
pub mod domain;
pub mod domain_checkpoint;
pub mod domain_snapshot;
pub mod event;
pub mod host;
pub mod interface;
pub mod lxc;
pub mod network;
pub mod nodedev;
pub mod nwfilter;
pub mod qemu;
pub mod qemu_types;
pub mod secret;
pub mod storage;
pub mod stream;
pub mod types;
pub mod virterror;
pub mod virterror_types;
