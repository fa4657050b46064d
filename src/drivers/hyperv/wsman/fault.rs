//! SOAP faults, read namespace-aware from every shape Windows (and OMI) sends:
//! Code/Subcode, Reason, w:FaultDetail, f:WSManFault (Code, Message, nested
//! f:ProviderFault copies), __ExtendedStatus and MSFT_WmiError details.

use roxmltree::Node;

use super::instance::{child, text_of};
use super::ns;
use crate::abi::virterror::*;
use crate::core::Error;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fault {
    /// Local names: "Sender" / "Receiver"; "InvalidSelectors", "CannotProcessFilter"….
    pub code: String,
    pub subcode: Option<String>,
    pub reason: String,
    /// The last segment of `w:FaultDetail` ("InvalidResourceURI").
    pub detail: Option<String>,
    /// The outer `f:WSManFault Code` (an HRESULT in decimal, or a Win32 error).
    pub wsman_code: Option<u32>,
    /// Further distinct texts: provider messages, extended status descriptions.
    pub messages: Vec<String>,
}

impl Fault {
    /// Reads an `s:Fault` element.
    pub fn parse(fault: Node) -> Fault {
        let code_node = child(fault, ns::SOAP, "Code");
        let code = value_of(code_node).unwrap_or_default();
        let subcode = value_of(code_node.and_then(|c| child(c, ns::SOAP, "Subcode")));
        let reason = child(fault, ns::SOAP, "Reason")
            .and_then(|r| child(r, ns::SOAP, "Text"))
            .map(|t| squash(&text_of(t)))
            .unwrap_or_default();
        let mut result = Fault {
            code,
            subcode,
            reason,
            detail: None,
            wsman_code: None,
            messages: Vec::new(),
        };
        if let Some(detail) = child(fault, ns::SOAP, "Detail") {
            result.read_detail(detail);
        }
        result
    }

    fn read_detail(&mut self, detail: Node) {
        for node in detail.descendants().filter(Node::is_element) {
            let (uri, name) = (node.tag_name().namespace().unwrap_or(""), node.tag_name().name());
            match (uri, name) {
                (ns::WSMAN, "FaultDetail") => {
                    let text = squash(&text_of(node));
                    self.detail = Some(text.rsplit('/').next().unwrap_or(&text).to_owned());
                }
                (ns::FAULT, "WSManFault") if self.wsman_code.is_none() => {
                    self.wsman_code = node.attribute("Code").and_then(|c| c.trim().parse().ok());
                }
                // Message texts sit directly in f:Message or f:ProviderFault.
                (ns::FAULT, "Message" | "ProviderFault") => self.add_message(&text_of(node)),
                // __ExtendedStatus.Description, MSFT_WmiError.Message: instance
                // properties in the class's own namespace.
                (_, "Description") if parent_name(node) == Some("__ExtendedStatus") => self.add_message(&text_of(node)),
                (_, "Message") if parent_name(node) == Some("MSFT_WmiError") => self.add_message(&text_of(node)),
                _ => {}
            }
        }
    }

    fn add_message(&mut self, text: &str) {
        let text = squash(text);
        if !text.is_empty() && text != self.reason && !self.messages.contains(&text) {
            self.messages.push(text);
        }
    }

    /// The instance or resource the request named does not exist.
    pub fn is_not_found(&self) -> bool {
        matches!(
            self.subcode.as_deref(),
            Some("DestinationUnreachable" | "InvalidSelectors")
        ) || self.detail.as_deref() == Some("InvalidResourceURI")
    }

    /// The libvirt error for this fault met during `op`:
    /// "SOAP fault during <op>: code '…', subcode '…', reason '…', detail '…'".
    pub fn to_error(&self, op: &str) -> Error {
        let mut detail: Vec<String> = Vec::new();
        if let Some(d) = &self.detail {
            detail.push(d.clone());
        }
        if let Some(c) = self.wsman_code {
            detail.push(format!("WSManFault {c} (0x{c:08X})"));
        }
        detail.extend(self.messages.iter().cloned());
        let text = format!(
            "SOAP fault during {op}: code '{}', subcode '{}', reason '{}', detail '{}'",
            self.code,
            self.subcode.as_deref().unwrap_or(""),
            self.reason,
            detail.join("; ")
        );
        // The server gave up waiting on its own (OperationTimeout); everything
        // else is reported as libvirt reports faults.
        let code = if self.subcode.as_deref() == Some("TimedOut") {
            VIR_ERR_OPERATION_TIMEOUT
        } else {
            VIR_ERR_INTERNAL_ERROR
        };
        Error::with_detail(code, VIR_FROM_HYPERV, text)
    }
}

fn parent_name<'a>(node: Node<'a, '_>) -> Option<&'a str> {
    node.parent_element().map(|p| p.tag_name().name())
}

/// The local part of a Code's or Subcode's Value.
fn value_of(node: Option<Node>) -> Option<String> {
    node.and_then(|n| child(n, ns::SOAP, "Value"))
        .map(|v| local_part(&text_of(v)))
}

/// "w:InvalidSelectors" -> "InvalidSelectors".
fn local_part(qname: &str) -> String {
    let qname = qname.trim();
    qname.rsplit(':').next().unwrap_or(qname).to_owned()
}

/// Collapses runs of white space (pretty-printed faults, trailing blanks).
fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
