//! ferrovirt: libvirt's client library, libvirt.so.0, in Rust.
//!
//! `api` is the C surface and the only place with `unsafe`; everything below it is
//! safe Rust returning `Result<T, Error>`.
#![deny(unsafe_code)]

pub mod abi;
#[allow(unsafe_code)]
pub mod api;
pub mod core;
pub mod driver;
pub mod drivers;
pub mod log;
#[allow(unsafe_code)]
pub mod os;
pub mod uri;
pub mod uuid;
