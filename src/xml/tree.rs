//! An owned XML element tree, read from roxmltree and written as libvirt writes
//! its documents: two-space indentation, single-quoted attributes, empty
//! elements self-closed, text inline.

use roxmltree::Node;
use std::fmt::Write;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Element {
    /// The name as written (with its prefix, for foreign namespaces).
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Element>,
    pub text: Option<String>,
}

impl Element {
    pub fn new(name: &str) -> Element {
        Element { name: name.to_owned(), ..Element::default() }
    }

    pub fn with_attr(mut self, name: &str, value: impl Into<String>) -> Element {
        self.set(name, value);
        self
    }

    pub fn with_text(mut self, text: impl Into<String>) -> Element {
        self.text = Some(text.into());
        self
    }

    pub fn with_child(mut self, child: Element) -> Element {
        self.children.push(child);
        self
    }

    /// An element read from a document; `qualified` keeps namespace prefixes and
    /// declarations (metadata), otherwise names are local.
    pub fn from_node(node: Node, qualified: bool) -> Element {
        let mut el = Element::new(&qualified_name(node, qualified));
        if qualified {
            for ns in node.namespaces() {
                if node.parent_element().map_or(true, |p| !p.namespaces().any(|n| n == ns)) {
                    let name = ns.name().map_or("xmlns".to_owned(), |p| format!("xmlns:{p}"));
                    el.attrs.push((name, ns.uri().to_owned()));
                }
            }
        }
        for a in node.attributes() {
            el.attrs.push((a.name().to_owned(), a.value().to_owned()));
        }
        let mut text = String::new();
        for child in node.children() {
            if child.is_element() {
                el.children.push(Element::from_node(child, qualified));
            } else if child.is_text() {
                text.push_str(child.text().unwrap_or(""));
            }
        }
        if !text.is_empty() && (el.children.is_empty() || !text.trim().is_empty()) {
            el.text = Some(text);
        }
        el
    }

    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// Sets an attribute, keeping its place if it exists.
    pub fn set(&mut self, name: &str, value: impl Into<String>) {
        let value = value.into();
        match self.attrs.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = value,
            None => self.attrs.push((name.to_owned(), value)),
        }
    }

    pub fn remove_attr(&mut self, name: &str) -> Option<String> {
        let at = self.attrs.iter().position(|(n, _)| n == name)?;
        Some(self.attrs.remove(at).1)
    }

    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    pub fn child_mut(&mut self, name: &str) -> Option<&mut Element> {
        self.children.iter_mut().find(|c| c.name == name)
    }

    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The text of child `name`.
    pub fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name).and_then(|c| c.text.as_deref())
    }

    /// Appends the element at `depth` (two spaces each), as libvirt formats.
    pub fn write(&self, out: &mut String, depth: usize) {
        self.write_quoted(out, depth, '\'');
    }

    /// As libxml2 dumps a node (metadata): double quotes.
    pub fn write_dump(&self, out: &mut String, depth: usize) {
        self.write_quoted(out, depth, '"');
    }

    fn write_quoted(&self, out: &mut String, depth: usize, quote: char) {
        let indent = "  ".repeat(depth);
        let _ = write!(out, "{indent}<{}", self.name);
        for (name, value) in &self.attrs {
            let _ = write!(out, " {name}={quote}{}{quote}", escape_with(value, quote == '"'));
        }
        match (&self.text, self.children.is_empty()) {
            (None, true) => out.push_str("/>\n"),
            (Some(text), true) => {
                let _ = writeln!(out, ">{}</{}>", escape_with(text, quote == '"'), self.name);
            }
            _ => {
                out.push_str(">\n");
                for child in &self.children {
                    child.write_quoted(out, depth + 1, quote);
                }
                let _ = writeln!(out, "{indent}</{}>", self.name);
            }
        }
    }
}

fn qualified_name(node: Node, qualified: bool) -> String {
    let local = node.tag_name().name();
    let prefix = node.tag_name().namespace().and_then(|uri| node.lookup_prefix(uri));
    match prefix {
        Some(p) if qualified && !p.is_empty() => format!("{p}:{local}"),
        _ => local.to_owned(),
    }
}

/// XML escaping as libvirt's buffers do it (quotes included).
pub fn escape(s: &str) -> String {
    escape_with(s, false)
}

/// `dump`: libxml2's node dump, which leaves quotes in text alone.
fn escape_with(s: &str, dump: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\'' if !dump => out.push_str("&apos;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_are_written_as_libvirt_writes_them() {
        let el = Element::new("disk")
            .with_attr("type", "file")
            .with_child(Element::new("source").with_attr("file", "/a'b"))
            .with_child(Element::new("serial").with_text("x<y"));
        let mut out = String::new();
        el.write(&mut out, 1);
        assert_eq!(
            out,
            "  <disk type='file'>\n    <source file='/a&apos;b'/>\n    <serial>x&lt;y</serial>\n  </disk>\n"
        );
    }

    #[test]
    fn qualified_reading_keeps_prefixes_and_declarations() {
        let doc = roxmltree::Document::parse("<m><a:foo xmlns:a='urn:a' k='v'><a:bar/></a:foo></m>").unwrap();
        let foo = Element::from_node(doc.root_element().first_element_child().unwrap(), true);
        let mut out = String::new();
        foo.write_dump(&mut out, 0);
        assert_eq!(out, "<a:foo xmlns:a=\"urn:a\" k=\"v\">\n  <a:bar/>\n</a:foo>\n");
    }
}
