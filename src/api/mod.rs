//! The C surface: every exported function, each a thin shim over safe Rust.
//! This is the only module with raw pointers and `unsafe`.
#![allow(non_snake_case, clippy::missing_safety_doc)]

pub mod auth;
pub mod domain;
pub mod error;
pub mod guard;
pub mod host;
pub mod strings;
pub mod unsupported;
