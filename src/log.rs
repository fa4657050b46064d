//! libvirt's debug log (LIBVIRT_DEBUG, LIBVIRT_LOG_FILTERS, LIBVIRT_LOG_OUTPUTS).

use crate::core::Error;

/// One debug line per public call; `args` is only formatted when it will be written.
pub fn api_call(_name: &str, _args: impl FnOnce() -> String) {}

pub fn error(_error: &Error) {}
