//! Reading reply envelopes: the Body (or its Fault), enumeration pages, Get
//! instances, method outputs and Identify answers. Only namespace URIs and local
//! names are compared, never prefixes (OMI and Windows use different ones).

use roxmltree::{Document, Node};

use super::fault::Fault;
use super::instance::{child, malformed, text_of, Instance};
use super::ns;
use crate::core::{Error, Result};

/// Why a reply gave no result: a SOAP fault (which callers may inspect, e.g. for
/// "not found") or any other error.
#[derive(Debug)]
pub enum Failure {
    Fault(Box<Fault>),
    Error(Error),
}

impl From<Error> for Failure {
    fn from(error: Error) -> Failure {
        Failure::Error(error)
    }
}

/// Parses `text` and hands its Body to `read`; a Fault in the Body becomes
/// `Failure::Fault` whatever the HTTP status, and 400/500 without one is an error.
pub fn read_body<T>(
    text: &str,
    status: u16,
    op: &str,
    read: impl FnOnce(Node) -> Result<T>,
) -> std::result::Result<T, Failure> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        ..Default::default()
    };
    let doc = Document::parse_with_options(text, options).map_err(|e| malformed(op, e))?;
    let envelope = doc.root_element();
    if !envelope.has_tag_name((ns::SOAP, "Envelope")) {
        return Err(malformed(op, "not a SOAP 1.2 envelope").into());
    }
    let body = child(envelope, ns::SOAP, "Body").ok_or_else(|| malformed(op, "no SOAP Body"))?;
    if let Some(fault) = child(body, ns::SOAP, "Fault") {
        return Err(Failure::Fault(Box::new(Fault::parse(fault))));
    }
    if status != 200 {
        return Err(malformed(op, format!("HTTP status {status} without a SOAP fault")).into());
    }
    Ok(read(body)?)
}

/// One EnumerateResponse or PullResponse.
#[derive(Debug)]
pub struct Page {
    pub items: Vec<Instance>,
    /// The context for the next Pull; None when empty or absent.
    pub context: Option<String>,
    pub end: bool,
}

pub fn read_page(body: Node, op: &str) -> Result<Page> {
    let response = child(body, ns::ENUMERATION, "EnumerateResponse")
        .or_else(|| child(body, ns::ENUMERATION, "PullResponse"))
        .ok_or_else(|| malformed(op, "no EnumerateResponse or PullResponse"))?;
    // Optimized EnumerateResponses use w:Items / w:EndOfSequence, PullResponses n:.
    let either = |name: &str| child(response, ns::WSMAN, name).or_else(|| child(response, ns::ENUMERATION, name));
    let items = either("Items")
        .map(|items| {
            items
                .children()
                .filter(Node::is_element)
                .map(Instance::from_element)
                .collect()
        })
        .unwrap_or_default();
    let context = child(response, ns::ENUMERATION, "EnumerationContext")
        .map(|c| text_of(c).trim().to_owned())
        .filter(|c| !c.is_empty());
    Ok(Page {
        items,
        context,
        end: either("EndOfSequence").is_some(),
    })
}

/// A Get reply: the instance element is the Body's only child.
pub fn read_instance(body: Node, op: &str) -> Result<Instance> {
    body.children()
        .find(Node::is_element)
        .map(Instance::from_element)
        .ok_or_else(|| malformed(op, "empty SOAP Body"))
}

/// An Invoke reply: `<M>_OUTPUT` in the class namespace.
pub fn read_output(body: Node, op: &str, method: &str) -> Result<Instance> {
    let name = format!("{method}_OUTPUT");
    body.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
        .map(Instance::from_element)
        .ok_or_else(|| malformed(op, format!("no {name} element")))
}

/// What Identify says about the service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    pub protocol_version: String,
    pub product_vendor: String,
    /// "OS: 10.0.20348 SP: 0.0 Stack: 3.0" on Windows.
    pub product_version: String,
}

pub fn read_identity(body: Node, op: &str) -> Result<Identity> {
    let response = child(body, ns::IDENTITY, "IdentifyResponse").ok_or_else(|| malformed(op, "no IdentifyResponse"))?;
    let field = |name: &str| {
        child(response, ns::IDENTITY, name)
            .map(|n| text_of(n).trim().to_owned())
            .unwrap_or_default()
    };
    Ok(Identity {
        protocol_version: field("ProtocolVersion"),
        product_vendor: field("ProductVendor"),
        product_version: field("ProductVersion"),
    })
}
