//! The C surface: every exported function, each a thin shim over safe Rust.
//! This is the only module with raw pointers and `unsafe`.
#![allow(non_snake_case, clippy::missing_safety_doc)]

pub mod auth;
pub mod domain;
pub mod domain_checkpoint;
pub mod domain_events;
pub mod domain_lifecycle;
pub mod domain_snapshot;
pub mod domain_state;
pub mod domain_structs;
pub mod error;
pub mod event;
pub mod guard;
pub mod host;
pub mod interface;
pub mod network;
pub mod nodedev;
pub mod nwfilter;
pub mod secret;
pub mod storage;
pub mod stream;
pub mod strings;
pub mod typed_params;
pub mod unsupported;
