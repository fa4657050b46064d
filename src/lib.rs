//! ferrovirt: libvirt's client library, libvirt.so.0, in Rust.
//!
//! `api` is the C surface and the only place with `unsafe`; everything below it is
//! safe Rust returning `Result<T, Error>`.
#![deny(unsafe_code)]

pub mod abi;
pub mod auth;
#[allow(unsafe_code)]
pub mod api;
pub mod conf;
pub mod core;
pub mod driver;
pub mod drivers;
pub mod log;
#[allow(unsafe_code)]
pub mod os;
pub mod uri;
pub mod uuid;
pub mod xml;
