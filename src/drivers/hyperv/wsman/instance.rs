//! CIM instances as Windows renders them in WS-Man bodies, read into one generic
//! type: a class name and its properties in document order, each a [`Value`].
//! Typed access goes through [`FromValue`], so no class needs its own parser.

use std::time::Duration;

use roxmltree::Node;

use super::datetime::{parse_interval, DateTime};
use super::ns;
use crate::abi::virterror::{VIR_ERR_INTERNAL_ERROR, VIR_FROM_HYPERV};
use crate::core::{Error, Result};

/// A reference to a CIM instance (WS-Addressing endpoint reference).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Epr {
    pub address: String,
    pub resource_uri: String,
    pub selectors: Vec<(String, String)>,
}

impl Epr {
    /// A reference as Windows writes them in instances: the anonymous address.
    pub fn new(resource_uri: impl Into<String>, selectors: Vec<(String, String)>) -> Epr {
        Epr {
            address: ns::ANONYMOUS.to_owned(),
            resource_uri: resource_uri.into(),
            selectors,
        }
    }

    pub fn selector(&self, name: &str) -> Option<&str> {
        self.selectors
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// `xsi:nil="true"`.
    Null,
    Text(String),
    /// The text of a `cim:Datetime` (or `Date`, `Time`, `CIM_DateTime`) child.
    Datetime(String),
    /// The text of a `cim:Interval` child.
    Interval(String),
    Epr(Epr),
    /// Any other structured content (nested elements), e.g. WinRM's own config.
    Object(Instance),
    /// The element repeated: one value per occurrence, in order.
    Array(Vec<Value>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instance {
    /// The element's local name: the class (`Msvm_ComputerSystem`), the method output
    /// (`RequestStateChange_OUTPUT`), or `XmlFragment` for `SELECT a, b` items.
    pub class: String,
    /// The element's namespace: the class resource URI for WMI instances.
    pub namespace: String,
    pub properties: Vec<(String, Value)>,
}

impl Instance {
    /// Reads an instance element: every child element is a property.
    pub fn from_element(node: Node) -> Instance {
        let mut properties: Vec<(String, Value)> = Vec::new();
        for child in node.children().filter(Node::is_element) {
            let name = child.tag_name().name();
            let value = Value::from_element(child);
            match properties.iter_mut().find(|(n, _)| n == name) {
                Some((_, Value::Array(values))) => values.push(value),
                Some((_, first)) => *first = Value::Array(vec![std::mem::replace(first, Value::Null), value]),
                None => properties.push((name.to_owned(), value)),
            }
        }
        Instance {
            class: node.tag_name().name().to_owned(),
            namespace: node.tag_name().namespace().unwrap_or("").to_owned(),
            properties,
        }
    }

    /// The raw value; None when the element is absent (Windows omits empty arrays).
    /// Property names are matched without regard to case, as WMI does.
    pub fn value(&self, name: &str) -> Option<&Value> {
        self.properties
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    }

    /// A scalar property; None when nil or absent.
    pub fn get<T: FromValue>(&self, name: &str) -> Result<Option<T>> {
        match self.value(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Array(values)) => {
                Err(self.error(name, format!("has {} values where one was expected", values.len())))
            }
            Some(value) => T::from_value(value)
                .map(Some)
                .ok_or_else(|| self.mismatch::<T>(name, value)),
        }
    }

    /// A scalar property that must have a value.
    pub fn require<T: FromValue>(&self, name: &str) -> Result<T> {
        self.get(name)?
            .ok_or_else(|| self.error(name, "has no value".to_owned()))
    }

    /// An array property; empty when absent or nil. A single occurrence is a
    /// one-element array (the XML cannot tell the two apart).
    pub fn array<T: FromValue>(&self, name: &str) -> Result<Vec<T>> {
        let values = match self.value(name) {
            None | Some(Value::Null) => return Ok(Vec::new()),
            Some(Value::Array(values)) => values.as_slice(),
            Some(value) => std::slice::from_ref(value),
        };
        values
            .iter()
            .filter(|v| **v != Value::Null)
            .map(|v| T::from_value(v).ok_or_else(|| self.mismatch::<T>(name, v)))
            .collect()
    }

    fn mismatch<T: FromValue>(&self, name: &str, value: &Value) -> Error {
        let shown = match value {
            Value::Text(t) | Value::Datetime(t) | Value::Interval(t) => format!("'{t}'"),
            Value::Epr(_) => "a reference".to_owned(),
            _ => "structured content".to_owned(),
        };
        self.error(name, format!("is not {}: {shown}", T::KIND))
    }

    fn error(&self, name: &str, what: String) -> Error {
        Error::internal(VIR_FROM_HYPERV, format!("property '{name}' of {} {what}", self.class))
    }
}

impl Value {
    fn from_element(node: Node) -> Value {
        if node.attribute((ns::XSI, "nil")) == Some("true") {
            return Value::Null;
        }
        let children: Vec<Node> = node.children().filter(Node::is_element).collect();
        match children.as_slice() {
            [] => Value::Text(text_of(node)),
            [only] if matches!(only.tag_name().name(), "Datetime" | "Date" | "Time" | "CIM_DateTime") => {
                Value::Datetime(text_of(*only).trim().to_owned())
            }
            [only] if only.tag_name().name() == "Interval" => Value::Interval(text_of(*only).trim().to_owned()),
            _ if children
                .iter()
                .any(|c| c.tag_name().namespace() == Some(ns::ADDRESSING)) =>
            {
                Value::Epr(parse_epr(node))
            }
            _ => Value::Object(Instance::from_element(node)),
        }
    }
}

/// The concatenated text children of an element (entities and CDATA included).
pub(super) fn text_of(node: Node) -> String {
    node.children().filter(Node::is_text).filter_map(|t| t.text()).collect()
}

/// The first child element of `parent` with this namespace and local name.
pub(super) fn child<'a, 'i>(parent: Node<'a, 'i>, uri: &str, name: &str) -> Option<Node<'a, 'i>> {
    parent.children().find(|c| c.has_tag_name((uri, name)))
}

/// An element holding `a:Address` and `a:ReferenceParameters` (`w:ResourceURI`,
/// `w:SelectorSet`), as REF properties, `p:Job` outputs and `x:ResourceCreated` are.
pub fn parse_epr(node: Node) -> Epr {
    let address = child(node, ns::ADDRESSING, "Address")
        .map(|a| text_of(a).trim().to_owned())
        .unwrap_or_default();
    let params = child(node, ns::ADDRESSING, "ReferenceParameters");
    let resource_uri = params
        .and_then(|p| child(p, ns::WSMAN, "ResourceURI"))
        .map(|r| text_of(r).trim().to_owned())
        .unwrap_or_default();
    let selectors = params
        .and_then(|p| child(p, ns::WSMAN, "SelectorSet"))
        .map(|set| {
            set.children()
                .filter(|s| s.tag_name().namespace() == Some(ns::WSMAN) && s.tag_name().name() == "Selector")
                .map(|s| (s.attribute("Name").unwrap_or("").to_owned(), text_of(s)))
                .collect()
        })
        .unwrap_or_default();
    Epr {
        address,
        resource_uri,
        selectors,
    }
}

/// A Rust type a property value converts to.
pub trait FromValue: Sized {
    /// What the type is called in errors ("an unsigned integer").
    const KIND: &'static str;
    fn from_value(value: &Value) -> Option<Self>;
}

fn scalar_text(value: &Value) -> Option<&str> {
    match value {
        Value::Text(t) | Value::Datetime(t) | Value::Interval(t) => Some(t),
        _ => None,
    }
}

impl FromValue for String {
    const KIND: &'static str = "a string";
    fn from_value(value: &Value) -> Option<String> {
        scalar_text(value).map(str::to_owned)
    }
}

macro_rules! integers {
    ($($t:ty => $kind:literal),*) => {$(
        impl FromValue for $t {
            const KIND: &'static str = $kind;
            fn from_value(value: &Value) -> Option<$t> {
                match value {
                    Value::Text(t) => t.trim().parse().ok(),
                    _ => None,
                }
            }
        }
    )*};
}
integers!(u8 => "an unsigned integer", u16 => "an unsigned integer", u32 => "an unsigned integer",
          u64 => "an unsigned integer", i16 => "an integer", i32 => "an integer", i64 => "an integer");

impl FromValue for bool {
    const KIND: &'static str = "a boolean";
    fn from_value(value: &Value) -> Option<bool> {
        match scalar_text(value)?.trim() {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => None,
        }
    }
}

impl FromValue for DateTime {
    const KIND: &'static str = "a date-time";
    fn from_value(value: &Value) -> Option<DateTime> {
        DateTime::parse(scalar_text(value)?)
    }
}

impl FromValue for Duration {
    const KIND: &'static str = "an interval";
    fn from_value(value: &Value) -> Option<Duration> {
        parse_interval(scalar_text(value)?)
    }
}

impl FromValue for Epr {
    const KIND: &'static str = "a reference";
    fn from_value(value: &Value) -> Option<Epr> {
        match value {
            Value::Epr(epr) => Some(epr.clone()),
            _ => None,
        }
    }
}

impl FromValue for Instance {
    const KIND: &'static str = "an embedded object";
    fn from_value(value: &Value) -> Option<Instance> {
        match value {
            Value::Object(instance) => Some(instance.clone()),
            _ => None,
        }
    }
}

/// For callers that must say which code they met, e.g. unparsable replies.
pub(super) fn malformed(op: &str, what: impl std::fmt::Display) -> Error {
    Error::with_detail(
        VIR_ERR_INTERNAL_ERROR,
        VIR_FROM_HYPERV,
        format!("Malformed response during {op}: {what}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn instance(xml: &str) -> Instance {
        let doc = roxmltree::Document::parse(xml).unwrap();
        Instance::from_element(doc.root_element())
    }

    const P: &str = "http://schemas.microsoft.com/wbem/wsman/1/wmi/root/cimv2/Win32_X";

    #[test]
    fn properties_arrays_nil_and_types() {
        let i = instance(&format!(
            r#"<p:Win32_X xmlns:p="{P}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:cim="http://schemas.dmtf.org/wbem/wscim/1/common">
            <p:Count>6138294371</p:Count><p:Neg>-5</p:Neg><p:Flag>true</p:Flag><p:Gone xsi:nil="true"/>
            <p:Empty></p:Empty><p:Roles>a</p:Roles><p:Roles>b &amp; c</p:Roles>
            <p:When><cim:Datetime>2013-03-09T02:57:32Z</cim:Datetime></p:When>
            <p:Span><cim:Interval>P0DT0H1M40S</cim:Interval></p:Span></p:Win32_X>"#
        ));
        assert_eq!((i.class.as_str(), i.namespace.as_str()), ("Win32_X", P));
        assert_eq!(i.require::<u64>("Count").unwrap(), 6138294371);
        assert_eq!(i.require::<u64>("count").unwrap(), 6138294371);
        assert_eq!(i.require::<i64>("Neg").unwrap(), -5);
        assert!(i.require::<bool>("Flag").unwrap());
        assert_eq!(i.get::<String>("Gone").unwrap(), None);
        assert_eq!(i.get::<String>("Missing").unwrap(), None);
        assert_eq!(i.require::<String>("Empty").unwrap(), "");
        assert_eq!(i.array::<String>("Roles").unwrap(), ["a", "b & c"]);
        assert_eq!(i.array::<String>("Empty").unwrap(), [""]);
        assert_eq!(i.array::<String>("Missing").unwrap(), Vec::<String>::new());
        assert_eq!(i.require::<DateTime>("When").unwrap().unix_seconds(), 1362797852);
        assert_eq!(i.require::<Duration>("Span").unwrap(), Duration::from_secs(100));

        let e = i.require::<u32>("Count").unwrap_err();
        assert_eq!(
            e.message,
            "internal error: property 'Count' of Win32_X is not an unsigned integer: '6138294371'"
        );
        assert_eq!(i.require::<u8>("Neg").unwrap_err().code, VIR_ERR_INTERNAL_ERROR);
        assert!(i.get::<String>("Roles").unwrap_err().message.contains("has 2 values"));
        assert!(i
            .require::<String>("Gone")
            .unwrap_err()
            .message
            .ends_with("'Gone' of Win32_X has no value"));
        assert!(i
            .require::<Epr>("Flag")
            .unwrap_err()
            .message
            .contains("is not a reference: 'true'"));
    }
}
