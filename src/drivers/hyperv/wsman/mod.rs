//! A WS-Management client for Windows' WinRM service and its WMI provider, as
//! the Hyper-V driver needs it: Basic auth over HTTP(S), Get, WQL enumeration,
//! method invocation and job polling. Layers, bottom up: `transport` (HTTP),
//! `envelope` (requests), `instance` + `response` + `fault` (replies), `client`
//! (operations), `classes` (the WMI classes as data), `datetime` (CIM times).

pub mod classes;
mod client;
pub mod datetime;
mod envelope;
mod fault;
mod instance;
mod response;
mod transport;

#[cfg(test)]
mod tests;

pub use client::Client;
pub use datetime::DateTime;
pub use envelope::{escape, CimType, EmbeddedInstance, Params};
pub use fault::Fault;
pub use instance::{Epr, FromValue, Instance, Value};
pub use response::Identity;
pub use transport::Config;

/// Namespace URIs of the protocol (protocol.md §2).
pub mod ns {
    pub const SOAP: &str = "http://www.w3.org/2003/05/soap-envelope";
    pub const ADDRESSING: &str = "http://schemas.xmlsoap.org/ws/2004/08/addressing";
    pub const ANONYMOUS: &str = "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous";
    pub const ENUMERATION: &str = "http://schemas.xmlsoap.org/ws/2004/09/enumeration";
    pub const TRANSFER: &str = "http://schemas.xmlsoap.org/ws/2004/09/transfer";
    pub const WSMAN: &str = "http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd";
    pub const FAULT: &str = "http://schemas.microsoft.com/wbem/wsman/1/wsmanfault";
    pub const IDENTITY: &str = "http://schemas.dmtf.org/wbem/wsman/identity/1/wsmanidentity.xsd";
    pub const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";
    pub const WQL: &str = "http://schemas.microsoft.com/wbem/wsman/1/WQL";
    /// Prefix of every WMI class resource URI.
    pub const WMI: &str = "http://schemas.microsoft.com/wbem/wsman/1/wmi/";
}
