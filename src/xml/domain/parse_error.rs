//! libxml2's messages for the malformed documents people write most, in
//! libvirt's "(domain_definition):LINE: MESSAGE" shape. Other parser failures
//! keep the shape with roxmltree's wording.

use crate::abi::virterror::*;
use crate::core::Error;
use roxmltree::Error as XmlError;

pub fn libxml2(text: &str, e: &XmlError) -> Error {
    let pos = e.pos();
    let last_line = text.matches('\n').count() + 1;
    let here = offset_of(text, pos.row, pos.col);
    // (line, message, where libxml2's cursor stood: None at the end of input)
    let (line, message, cursor) = match e {
        XmlError::NoRootNode if text.trim().is_empty() => (1, "Document is empty".to_owned(), None),
        XmlError::UnclosedRootNode => {
            let root = text.trim_start().trim_start_matches('<');
            let name: String = root.chars().take_while(|c| !c.is_whitespace() && *c != '>' && *c != '/').collect();
            let opened = line_of(text, text.find(&format!("<{name}")).unwrap_or(0));
            (last_line, format!("Premature end of data in tag {name} line {opened}"), None)
        }
        XmlError::UnexpectedCloseTag(expected, actual, pos) => {
            let opened = text[..here].rfind(&format!("<{expected}")).map_or(pos.row as usize, |at| line_of(text, at));
            let after_tag = text[here..].find('>').map_or(text.len(), |i| here + i + 1);
            let message = format!("Opening and ending tag mismatch: {expected} line {opened} and {actual}");
            (pos.row as usize, message, Some(after_tag))
        }
        XmlError::InvalidAttributeValue(pos) | XmlError::InvalidChar2(_, _, pos) | XmlError::InvalidChar(_, _, pos)
            if text[..here].trim_end().ends_with('=') =>
        {
            (pos.row as usize, "AttValue: \" or ' expected".to_owned(), Some(here))
        }
        XmlError::MalformedEntityReference(pos) | XmlError::UnknownEntityReference(_, pos) => {
            let amp = text[..=here.min(text.len() - 1)].rfind('&').unwrap_or(here);
            let end = text[amp + 1..].find(|c: char| !c.is_alphanumeric()).map_or(text.len(), |i| amp + 1 + i);
            let message = match e {
                XmlError::UnknownEntityReference(name, _) => format!("Entity '{name}' not defined"),
                _ => "EntityRef: expecting ';'".to_owned(),
            };
            (pos.row as usize, message, Some(end))
        }
        other => (pos.row as usize, other.to_string(), Some(here)),
    };
    let context = match cursor {
        None => "(null)\n^".to_owned(),
        Some(at) => {
            let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
            let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
            format!("{}\n{}^", &text[start..end], "-".repeat(text[start..at].chars().count()))
        }
    };
    let detail = format!("(domain_definition):{line}: {message}\n{context}");
    Error::with_detail(VIR_ERR_XML_DETAIL, VIR_FROM_DOMAIN, detail)
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset].matches('\n').count() + 1
}

/// The byte offset of a 1-based (row, column) position.
fn offset_of(text: &str, row: u32, col: u32) -> usize {
    let line_start: usize = text.split_inclusive('\n').take(row as usize - 1).map(str::len).sum();
    let line = &text[line_start..];
    line_start + line.char_indices().nth(col as usize - 1).map_or(line.len(), |(i, _)| i)
}

