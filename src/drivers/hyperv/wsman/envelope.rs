//! Request envelopes: SOAP 1.2 + WS-Addressing 2004/08 headers as working WinRM
//! clients send them, and the bodies of Identify, Get, Enumerate, Pull, Release
//! and Invoke. Every piece of text is escaped; element names that come from
//! callers (methods, parameters, classes) are checked to be plain XML names.

use std::fmt::Write;
use std::time::Duration;

use super::datetime::iso_duration;
use super::instance::Epr;
use super::ns;
use crate::abi::virterror::VIR_FROM_HYPERV;
use crate::core::{Error, Result};

/// Clients all advertise 150 KiB; Windows pages larger results by size anyway.
const MAX_ENVELOPE_SIZE: u32 = 153600;

/// What every request header carries besides the operation's own fields.
pub struct Common<'a> {
    /// The endpoint URL (`a:To`).
    pub to: &'a str,
    /// How long the server may work on one request (`w:OperationTimeout`).
    pub timeout: Duration,
    /// `w:Locale` for the language of captions and fault texts; None: the server's.
    pub locale: Option<&'a str>,
}

pub fn identify() -> String {
    format!(
        r#"<s:Envelope xmlns:s="{}" xmlns:wsmid="{}"><s:Header/><s:Body><wsmid:Identify/></s:Body></s:Envelope>"#,
        ns::SOAP,
        ns::IDENTITY
    )
}

pub fn get(common: &Common, resource_uri: &str, selectors: &[(&str, &str)]) -> String {
    envelope(common, &format!("{}/Get", ns::TRANSFER), resource_uri, selectors, "")
}

/// An optimized WQL enumeration: the first `max_elements` items come back in the
/// EnumerateResponse itself.
pub fn enumerate(common: &Common, resource_uri: &str, wql: &str, max_elements: u32) -> String {
    let body = format!(
        r#"<n:Enumerate><w:OptimizeEnumeration/><w:MaxElements>{max_elements}</w:MaxElements><w:Filter Dialect="{}">{}</w:Filter></n:Enumerate>"#,
        ns::WQL,
        escape(wql)
    );
    envelope(
        common,
        &format!("{}/Enumerate", ns::ENUMERATION),
        resource_uri,
        &[],
        &body,
    )
}

pub fn pull(common: &Common, resource_uri: &str, context: &str, max_elements: u32) -> String {
    let body = format!(
        "<n:Pull><n:EnumerationContext>{}</n:EnumerationContext><n:MaxElements>{max_elements}</n:MaxElements></n:Pull>",
        escape(context)
    );
    envelope(common, &format!("{}/Pull", ns::ENUMERATION), resource_uri, &[], &body)
}

pub fn release(common: &Common, resource_uri: &str, context: &str) -> String {
    let body = format!(
        "<n:Release><n:EnumerationContext>{}</n:EnumerationContext></n:Release>",
        escape(context)
    );
    envelope(
        common,
        &format!("{}/Release", ns::ENUMERATION),
        resource_uri,
        &[],
        &body,
    )
}

/// A WMI method call: Action = resource URI + "/" + method, body `<p:M_INPUT>`.
pub fn invoke(
    common: &Common,
    resource_uri: &str,
    selectors: &[(&str, &str)],
    method: &str,
    params: &Params,
) -> Result<String> {
    check_name("method", method)?;
    let mut body = format!(r#"<p:{method}_INPUT xmlns:p="{}">"#, escape(resource_uri));
    for (name, arg) in &params.items {
        check_name("parameter", name)?;
        match arg {
            Arg::Text(text) => write!(body, "<p:{name}>{}</p:{name}>", escape(text)),
            Arg::Ref(epr) => write!(
                body,
                r#"<p:{name} xmlns:a="{}" xmlns:w="{}">{}</p:{name}>"#,
                ns::ADDRESSING,
                ns::WSMAN,
                epr_content(epr)
            ),
            Arg::Instance(instance) => write!(body, "<p:{name}>{}</p:{name}>", escape(&instance.to_cim_xml()?)),
        }
        .expect("writing to a String");
    }
    write!(body, "</p:{method}_INPUT>").expect("writing to a String");
    Ok(envelope(
        common,
        &format!("{resource_uri}/{method}"),
        resource_uri,
        selectors,
        &body,
    ))
}

/// The parameters of a method call, in order. Adding a name twice makes an array.
#[derive(Clone, Debug, Default)]
pub struct Params {
    items: Vec<(String, Arg)>,
}

#[derive(Clone, Debug)]
enum Arg {
    Text(String),
    Ref(Epr),
    Instance(EmbeddedInstance),
}

impl Params {
    pub fn new() -> Params {
        Params::default()
    }

    /// A plain value: a string, a number in decimal, `true`/`false`, a DMTF datetime.
    pub fn text(mut self, name: &str, value: impl Into<String>) -> Params {
        self.items.push((name.to_owned(), Arg::Text(value.into())));
        self
    }

    /// A REF parameter, built from the class URI and key selectors directly.
    pub fn reference(mut self, name: &str, epr: Epr) -> Params {
        self.items.push((name.to_owned(), Arg::Ref(epr)));
        self
    }

    /// An EmbeddedInstance string parameter (DefineSystem's SystemSettings, …).
    pub fn instance(mut self, name: &str, instance: EmbeddedInstance) -> Params {
        self.items.push((name.to_owned(), Arg::Instance(instance)));
        self
    }
}

/// The CIM types an embedded instance names in `PROPERTY TYPE="…"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CimType {
    String,
    Boolean,
    Uint8,
    Uint16,
    Uint32,
    Uint64,
    Sint16,
    Sint32,
    Sint64,
    Real64,
    Datetime,
}

impl CimType {
    pub fn as_str(self) -> &'static str {
        match self {
            CimType::String => "string",
            CimType::Boolean => "boolean",
            CimType::Uint8 => "uint8",
            CimType::Uint16 => "uint16",
            CimType::Uint32 => "uint32",
            CimType::Uint64 => "uint64",
            CimType::Sint16 => "sint16",
            CimType::Sint32 => "sint32",
            CimType::Sint64 => "sint64",
            CimType::Real64 => "real64",
            CimType::Datetime => "datetime",
        }
    }
}

/// An instance sent as a CIM-XML `<INSTANCE>` string: only the properties set are
/// written. Datetimes must be in DMTF form (`DateTime::to_dmtf`, `dmtf_interval`);
/// Hyper-V fails the job on ISO 8601 there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmbeddedInstance {
    class: String,
    properties: Vec<(String, CimType, Option<Vec<String>>, String)>,
}

impl EmbeddedInstance {
    pub fn new(class: &str) -> EmbeddedInstance {
        EmbeddedInstance {
            class: class.to_owned(),
            properties: Vec::new(),
        }
    }

    pub fn set(mut self, name: &str, kind: CimType, value: impl Into<String>) -> EmbeddedInstance {
        self.properties.push((name.to_owned(), kind, None, value.into()));
        self
    }

    pub fn set_array<S: Into<String>>(
        mut self,
        name: &str,
        kind: CimType,
        values: impl IntoIterator<Item = S>,
    ) -> EmbeddedInstance {
        let values = values.into_iter().map(Into::into).collect();
        self.properties
            .push((name.to_owned(), kind, Some(values), String::new()));
        self
    }

    /// The CIM-XML text (DSP0201), unescaped: the caller escapes it as element text.
    pub fn to_cim_xml(&self) -> Result<String> {
        check_name("class", &self.class)?;
        let mut xml = format!(r#"<INSTANCE CLASSNAME="{}">"#, self.class);
        for (name, kind, array, value) in &self.properties {
            check_name("property", name)?;
            let (name, kind) = (escape(name), kind.as_str());
            match array {
                None => write!(xml, r#"<PROPERTY NAME="{name}" TYPE="{kind}"><VALUE>{}</VALUE></PROPERTY>"#, escape(value)),
                Some(values) => {
                    let values: String = values.iter().map(|v| format!("<VALUE>{}</VALUE>", escape(v))).collect();
                    write!(
                        xml,
                        r#"<PROPERTY.ARRAY NAME="{name}" TYPE="{kind}"><VALUE.ARRAY>{values}</VALUE.ARRAY></PROPERTY.ARRAY>"#
                    )
                }
            }
            .expect("writing to a String");
        }
        xml.push_str("</INSTANCE>");
        Ok(xml)
    }
}

/// Address + ReferenceParameters, with `a`/`w` in scope.
fn epr_content(epr: &Epr) -> String {
    let selectors: Vec<(&str, &str)> = epr.selectors.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    format!(
        "<a:Address>{}</a:Address><a:ReferenceParameters><w:ResourceURI>{}</w:ResourceURI>{}</a:ReferenceParameters>",
        escape(&epr.address),
        escape(&epr.resource_uri),
        selector_set(&selectors)
    )
}

fn selector_set(selectors: &[(&str, &str)]) -> String {
    if selectors.is_empty() {
        return String::new();
    }
    let items: String = selectors
        .iter()
        .map(|(name, value)| format!(r#"<w:Selector Name="{}">{}</w:Selector>"#, escape(name), escape(value)))
        .collect();
    format!("<w:SelectorSet>{items}</w:SelectorSet>")
}

fn envelope(common: &Common, action: &str, resource_uri: &str, selectors: &[(&str, &str)], body: &str) -> String {
    let locale = common
        .locale
        .map(|l| format!(r#"<w:Locale xml:lang="{}" s:mustUnderstand="false"/>"#, escape(l)))
        .unwrap_or_default();
    let body = if body.is_empty() {
        "<s:Body/>".to_owned()
    } else {
        format!("<s:Body>{body}</s:Body>")
    };
    format!(
        concat!(
            r#"<s:Envelope xmlns:s="{s}" xmlns:a="{a}" xmlns:n="{n}" xmlns:w="{w}">"#,
            "<s:Header>",
            "<a:To>{to}</a:To>",
            r#"<w:ResourceURI s:mustUnderstand="true">{uri}</w:ResourceURI>"#,
            r#"<a:ReplyTo><a:Address s:mustUnderstand="true">{anonymous}</a:Address></a:ReplyTo>"#,
            r#"<a:Action s:mustUnderstand="true">{action}</a:Action>"#,
            r#"<w:MaxEnvelopeSize s:mustUnderstand="true">{size}</w:MaxEnvelopeSize>"#,
            "<a:MessageID>{id}</a:MessageID>",
            "{locale}",
            "<w:OperationTimeout>{timeout}</w:OperationTimeout>",
            "{selectors}",
            "</s:Header>{body}</s:Envelope>"
        ),
        s = ns::SOAP,
        a = ns::ADDRESSING,
        n = ns::ENUMERATION,
        w = ns::WSMAN,
        to = escape(common.to),
        uri = escape(resource_uri),
        anonymous = ns::ANONYMOUS,
        action = escape(action),
        size = MAX_ENVELOPE_SIZE,
        id = message_id(),
        locale = locale,
        timeout = iso_duration(common.timeout),
        selectors = selector_set(selectors),
        body = body,
    )
}

/// `uuid:` + a random (version 4) UUID.
fn message_id() -> String {
    let mut bytes = [0u8; 16];
    if getrandom::getrandom(&mut bytes).is_err() {
        // Windows does not require unique IDs; a clock-based value will do.
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos();
        bytes = nanos.to_le_bytes();
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    format!("uuid:{}", crate::uuid::format_uuid(&bytes))
}

/// Text for element content or attribute values. Characters XML 1.0 cannot carry
/// at all (most C0 controls) are dropped; white space controls become references
/// so attribute values keep them.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => write!(out, "&#{};", c as u32).expect("writing to a String"),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Names written as element names unescaped: letters, digits and '_', not
/// starting with a digit (every WMI class, method and parameter name is).
fn check_name(what: &str, name: &str) -> Result<()> {
    let ok = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if ok {
        Ok(())
    } else {
        Err(Error::invalid_arg(
            VIR_FROM_HYPERV,
            format!("invalid WMI {what} name '{name}'"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const URI: &str = "http://schemas.microsoft.com/wbem/wsman/1/wmi/root/virtualization/v2/Msvm_ComputerSystem";

    fn common() -> Common<'static> {
        Common {
            to: "https://h:5986/wsman",
            timeout: Duration::from_secs(60),
            locale: Some("en-US"),
        }
    }

    fn parse(xml: &str) -> roxmltree::Document<'_> {
        roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("{e}: {xml}"))
    }

    fn header<'a>(doc: &'a roxmltree::Document, uri: &str, name: &str) -> Option<&'a str> {
        doc.descendants()
            .find(|n| n.has_tag_name((uri, name)))
            .and_then(|n| n.text())
    }

    #[test]
    fn headers_as_windows_expects() {
        let xml = get(
            &common(),
            URI,
            &[("CreationClassName", "Msvm_ComputerSystem"), ("Name", "a<b>&\"'")],
        );
        let doc = parse(&xml);
        assert_eq!(header(&doc, ns::ADDRESSING, "To"), Some("https://h:5986/wsman"));
        assert_eq!(
            header(&doc, ns::ADDRESSING, "Action"),
            Some("http://schemas.xmlsoap.org/ws/2004/09/transfer/Get")
        );
        assert_eq!(header(&doc, ns::WSMAN, "ResourceURI"), Some(URI));
        assert_eq!(header(&doc, ns::WSMAN, "OperationTimeout"), Some("PT60.000S"));
        assert_eq!(header(&doc, ns::WSMAN, "MaxEnvelopeSize"), Some("153600"));
        assert_eq!(header(&doc, ns::ADDRESSING, "Address"), Some(ns::ANONYMOUS));
        let id = header(&doc, ns::ADDRESSING, "MessageID").unwrap();
        assert!(
            id.starts_with("uuid:") && id.len() == 41 && crate::uuid::parse_uuid(&id[5..]).is_some(),
            "{id}"
        );
        assert_ne!(
            id,
            header(&parse(&get(&common(), URI, &[])), ns::ADDRESSING, "MessageID").unwrap()
        );
        let locale = doc
            .descendants()
            .find(|n| n.has_tag_name((ns::WSMAN, "Locale")))
            .unwrap();
        assert_eq!(
            locale.attribute(("http://www.w3.org/XML/1998/namespace", "lang")),
            Some("en-US")
        );
        let selectors: Vec<_> = doc
            .descendants()
            .filter(|n| n.has_tag_name((ns::WSMAN, "Selector")))
            .map(|n| (n.attribute("Name").unwrap(), n.text().unwrap()))
            .collect();
        assert_eq!(
            selectors,
            [("CreationClassName", "Msvm_ComputerSystem"), ("Name", "a<b>&\"'")]
        );
        let body = doc.descendants().find(|n| n.has_tag_name((ns::SOAP, "Body"))).unwrap();
        assert_eq!(body.children().count(), 0);
        assert!(!get(
            &Common {
                locale: None,
                ..common()
            },
            URI,
            &[]
        )
        .contains("Locale"));
    }

    #[test]
    fn enumerate_pull_release_bodies() {
        let wql = "SELECT * FROM Msvm_ComputerSystem WHERE ElementName = 'a<b & c>'";
        let doc_text = enumerate(&common(), "http://x/root/virtualization/v2/*", wql, 500);
        let doc = parse(&doc_text);
        let filter = doc
            .descendants()
            .find(|n| n.has_tag_name((ns::WSMAN, "Filter")))
            .unwrap();
        assert_eq!(filter.text(), Some(wql));
        assert_eq!(filter.attribute("Dialect"), Some(ns::WQL));
        assert!(doc
            .descendants()
            .any(|n| n.has_tag_name((ns::WSMAN, "OptimizeEnumeration"))));
        assert_eq!(header(&doc, ns::WSMAN, "MaxElements"), Some("500"));
        assert_eq!(
            header(&doc, ns::ADDRESSING, "Action"),
            Some("http://schemas.xmlsoap.org/ws/2004/09/enumeration/Enumerate")
        );

        let doc_text = pull(&common(), URI, "uuid:C1", 500);
        let doc = parse(&doc_text);
        assert_eq!(header(&doc, ns::ENUMERATION, "EnumerationContext"), Some("uuid:C1"));
        assert_eq!(header(&doc, ns::ENUMERATION, "MaxElements"), Some("500"));
        let doc_text = release(&common(), URI, "uuid:C1");
        let doc = parse(&doc_text);
        assert!(doc.descendants().any(|n| n.has_tag_name((ns::ENUMERATION, "Release"))));

        let doc_text = identify();
        let doc = parse(&doc_text);
        assert!(doc.descendants().any(|n| n.has_tag_name((ns::IDENTITY, "Identify"))));
        assert!(!doc.descendants().any(|n| n.has_tag_name((ns::ADDRESSING, "Action"))));
    }

    #[test]
    fn invoke_with_values_references_and_embedded_instances() {
        let vsms =
            "http://schemas.microsoft.com/wbem/wsman/1/wmi/root/virtualization/v2/Msvm_VirtualSystemManagementService";
        let target = Epr::new(
            URI,
            vec![
                ("CreationClassName".into(), "Msvm_ComputerSystem".into()),
                ("Name".into(), "G&1".into()),
            ],
        );
        let settings = EmbeddedInstance::new("Msvm_VirtualSystemSettingData")
            .set("ElementName", CimType::String, "vm <1> & \"x\"")
            .set_array("Notes", CimType::String, ["n1", "]]>"]);
        let params = Params::new()
            .text("RequestedState", "2")
            .reference("AffectedSystem", target.clone())
            .instance("SystemSettings", settings.clone())
            .text("Flags", "a")
            .text("Flags", "b");
        let xml = invoke(&common(), vsms, &[("Name", "vmms")], "DefineSystem", &params).unwrap();
        let doc = parse(&xml);
        assert_eq!(
            header(&doc, ns::ADDRESSING, "Action"),
            Some(format!("{vsms}/DefineSystem").as_str())
        );
        let input = doc
            .descendants()
            .find(|n| n.has_tag_name((vsms, "DefineSystem_INPUT")))
            .unwrap();
        let params: Vec<_> = input.children().map(|c| c.tag_name().name()).collect();
        assert_eq!(
            params,
            ["RequestedState", "AffectedSystem", "SystemSettings", "Flags", "Flags"]
        );
        let system = input.children().nth(1).unwrap();
        assert_eq!(super::super::instance::parse_epr(system), target);
        let embedded = input.children().nth(2).unwrap().text().unwrap();
        assert_eq!(embedded, settings.to_cim_xml().unwrap());
        let cim = parse(embedded);
        let names: Vec<_> = cim
            .descendants()
            .filter(|n| n.has_tag_name("VALUE"))
            .map(|n| n.text().unwrap())
            .collect();
        assert_eq!(names, ["vm <1> & \"x\"", "n1", "]]>"]);
        assert_eq!(
            cim.root_element().attribute("CLASSNAME"),
            Some("Msvm_VirtualSystemSettingData")
        );
        assert_eq!(
            cim.descendants()
                .find(|n| n.has_tag_name("PROPERTY.ARRAY"))
                .unwrap()
                .attribute("TYPE"),
            Some("string")
        );

        for (method, param) in [("Bad Name", "X"), ("M", "p:x"), ("M", "a\"b"), ("", "X"), ("M", "1x")] {
            let e = invoke(&common(), vsms, &[], method, &Params::new().text(param, "v")).unwrap_err();
            assert_eq!(e.code, crate::abi::virterror::VIR_ERR_INVALID_ARG, "{method} {param}");
        }
        assert!(EmbeddedInstance::new("A<B").to_cim_xml().is_err());
    }

    #[test]
    fn escaping() {
        assert_eq!(escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
        assert_eq!(escape("tab\there\u{1}\u{0}x\n"), "tab&#9;herex&#10;");
        assert_eq!(escape("日本語 \\ Microsoft:GUID\\x"), "日本語 \\ Microsoft:GUID\\x");
    }
}
