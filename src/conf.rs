//! libvirt's configuration file format (libvirt.conf): `name = value` statements,
//! values being strings ("...", '...', """..."""), integers and lists of values,
//! separated by newlines or `;`, with `#` comments. Parse errors carry the file name
//! and line exactly as libvirt reports them.

use crate::abi::virterror::*;
use crate::core::{Error, Result};
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// A number written with a leading '-'.
    Signed(i64),
    /// Any other number.
    Unsigned(i64),
    String(String),
    List(Vec<Value>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conf {
    filename: String,
    entries: Vec<(String, Value)>,
}

impl Conf {
    /// Parses `text`; `filename` is what errors name.
    pub fn parse(filename: &str, text: &[u8]) -> Result<Conf> {
        let mut parser = Parser { text, pos: 0, line: 1, filename };
        let mut entries = Vec::new();
        while parser.pos < text.len() {
            if let Some(entry) = parser.statement()? {
                entries.push(entry);
            }
            parser.separator()?;
        }
        Ok(Conf { filename: filename.to_owned(), entries })
    }

    /// Reads and parses the file at `path`.
    pub fn read_file(path: &Path) -> Result<Conf> {
        let text = std::fs::read(path).map_err(|e| open_error(VIR_FROM_CONF, path, &e))?;
        Conf::parse(&path.to_string_lossy(), &text)
    }

    /// The first value set for `name` (libvirt ignores later duplicates).
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.entries.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// A string setting; a value of another type is an error.
    pub fn string(&self, name: &str) -> Result<Option<&str>> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(Error::internal(
                VIR_FROM_CONF,
                format!("{}: expected a string for '{}' parameter", self.filename, name),
            )),
        }
    }

    /// A list-of-strings setting; a plain string is not accepted.
    pub fn string_list(&self, name: &str) -> Result<Option<Vec<&str>>> {
        let message = || format!("{}: expected a string list for '{}' parameter", self.filename, name);
        match self.get(name) {
            None => Ok(None),
            Some(Value::List(items)) => items
                .iter()
                .map(|item| match item {
                    Value::String(s) => Ok(s.as_str()),
                    _ => Err(Error::with_detail(VIR_ERR_CONF_SYNTAX, VIR_FROM_CONF, message())),
                })
                .collect::<Result<Vec<_>>>()
                .map(Some),
            Some(_) => Err(Error::internal(VIR_FROM_CONF, message())),
        }
    }
}

/// libvirt's error for a file it cannot read: "Failed to open file 'PATH': REASON".
pub fn open_error(domain: i32, path: &Path, error: &std::io::Error) -> Error {
    let reason = error.to_string();
    // io::Error appends " (os error N)" to strerror's text; libvirt shows strerror's.
    let reason = reason.split(" (os error").next().unwrap_or_default();
    Error {
        int1: error.raw_os_error().unwrap_or(-1),
        ..Error::with_detail(VIR_ERR_SYSTEM_ERROR, domain, format!("Failed to open file '{}': {}", path.display(), reason))
    }
}

/// The user's libvirt configuration directory, as glib and libvirt find it:
/// $XDG_CONFIG_HOME/libvirt, else $HOME/.config/libvirt.
pub fn user_config_dir() -> Option<PathBuf> {
    let non_empty = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    let base = non_empty("XDG_CONFIG_HOME").map(PathBuf::from).or_else(|| non_empty("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(base.join("libvirt"))
}

/// Where libvirt reads `name` (libvirt.conf) from: root uses only the system
/// directory, everyone else only their own.
pub fn client_config_path(name: &str, is_root: bool) -> Option<PathBuf> {
    if is_root {
        Some(Path::new("/etc/libvirt").join(name))
    } else {
        user_config_dir().map(|dir| dir.join(name))
    }
}

/// What tells one version of a file from another without reading it.
#[derive(PartialEq, Eq)]
struct FileStamp {
    path: PathBuf,
    dev: u64,
    ino: u64,
    size: u64,
    mtime: (i64, i64),
    ctime: (i64, i64),
}

impl FileStamp {
    fn of(path: PathBuf, meta: &std::fs::Metadata) -> FileStamp {
        use std::os::unix::fs::MetadataExt;
        FileStamp {
            path,
            dev: meta.dev(),
            ino: meta.ino(),
            size: meta.size(),
            mtime: (meta.mtime(), meta.mtime_nsec()),
            ctime: (meta.ctime(), meta.ctime_nsec()),
        }
    }
}

/// The last libvirt.conf parsed, and the version of the file it came from.
static LAST_CONF: parking_lot::Mutex<Option<(FileStamp, Arc<Conf>)>> = parking_lot::Mutex::new(None);

/// The client's libvirt.conf, or None when there is none. Every open asks (as
/// libvirt does), but a file unchanged since it was last parsed is not read again.
pub fn load_libvirt_conf(is_root: bool) -> Result<Option<Arc<Conf>>> {
    let Some(path) = client_config_path("libvirt.conf", is_root) else { return Ok(None) };
    let Ok(meta) = std::fs::metadata(&path) else { return Ok(None) };
    let stamp = FileStamp::of(path, &meta);
    if let Some((last, conf)) = &*LAST_CONF.lock() {
        if *last == stamp {
            return Ok(Some(conf.clone()));
        }
    }
    let conf = Arc::new(Conf::read_file(&stamp.path)?);
    *LAST_CONF.lock() = Some((stamp, conf.clone()));
    Ok(Some(conf))
}

struct Parser<'a> {
    text: &'a [u8],
    pos: usize,
    line: u32,
    filename: &'a str,
}

fn is_blank(c: u8) -> bool {
    c == b' ' || c == b'\t'
}

fn is_eol(c: u8) -> bool {
    c == b'\n' || c == b'\r'
}

impl Parser<'_> {
    /// The current byte; 0 past the end, as libvirt's NUL-terminated buffer reads.
    fn cur(&self) -> u8 {
        self.text.get(self.pos).copied().unwrap_or(0)
    }

    fn at_end(&self) -> bool {
        self.pos >= self.text.len()
    }

    fn next(&mut self) {
        if !self.at_end() {
            self.pos += 1;
        }
    }

    fn skip_blanks(&mut self) {
        while !self.at_end() && is_blank(self.cur()) {
            self.pos += 1;
        }
    }

    fn skip_blanks_and_eol(&mut self) {
        while !self.at_end() && (is_blank(self.cur()) || is_eol(self.cur())) {
            if self.cur() == b'\n' {
                self.line += 1;
            }
            self.pos += 1;
        }
    }

    fn error(&self, what: &str) -> Error {
        Error::with_detail(VIR_ERR_CONF_SYNTAX, VIR_FROM_CONF, format!("{}:{}: {}", self.filename, self.line, what))
    }

    fn text_from(&self, start: usize) -> String {
        String::from_utf8_lossy(&self.text[start..self.pos]).into_owned()
    }

    /// One statement: a comment (None) or `name = value [# comment]`.
    fn statement(&mut self) -> Result<Option<(String, Value)>> {
        self.skip_blanks_and_eol();
        if self.cur() == b'#' {
            self.skip_to_eol();
            return Ok(None);
        }
        let name = self.name()?;
        self.skip_blanks();
        if self.cur() != b'=' {
            return Err(self.error("expecting an assignment"));
        }
        self.next();
        self.skip_blanks();
        let value = self.value()?;
        self.skip_blanks();
        if self.cur() == b'#' {
            self.skip_to_eol();
        }
        Ok(Some((name, value)))
    }

    fn skip_to_eol(&mut self) {
        while !self.at_end() && !is_eol(self.cur()) {
            self.pos += 1;
        }
    }

    fn separator(&mut self) -> Result<()> {
        self.skip_blanks();
        if self.at_end() {
            return Ok(());
        }
        if is_eol(self.cur()) {
            self.skip_blanks_and_eol();
        } else if self.cur() == b';' {
            self.next();
            self.skip_blanks_and_eol();
        } else {
            return Err(self.error("expecting a separator"));
        }
        Ok(())
    }

    fn name(&mut self) -> Result<String> {
        self.skip_blanks();
        let start = self.pos;
        if !self.cur().is_ascii_alphabetic() {
            return Err(self.error("expecting a name"));
        }
        while !self.at_end() && (self.cur().is_ascii_alphanumeric() || self.cur() == b'_') {
            self.pos += 1;
        }
        Ok(self.text_from(start))
    }

    fn value(&mut self) -> Result<Value> {
        self.skip_blanks();
        if self.at_end() {
            return Err(self.error("expecting a value"));
        }
        match self.cur() {
            b'"' | b'\'' => self.string().map(Value::String),
            b'[' => self.list().map(Value::List),
            c if c.is_ascii_digit() || c == b'-' || c == b'+' => {
                let signed = c == b'-';
                let n = self.number()?;
                Ok(if signed { Value::Signed(n) } else { Value::Unsigned(n) })
            }
            _ => Err(self.error("expecting a value")),
        }
    }

    fn number(&mut self) -> Result<i64> {
        let negative = self.cur() == b'-';
        if negative || self.cur() == b'+' {
            self.next();
        }
        if self.at_end() || !self.cur().is_ascii_digit() {
            return Err(self.error("unterminated number"));
        }
        let mut n: i64 = 0;
        // libvirt lets an overlong number wrap around; so do we.
        while !self.at_end() && self.cur().is_ascii_digit() {
            n = n.wrapping_mul(10).wrapping_add(i64::from(self.cur() - b'0'));
            self.pos += 1;
        }
        Ok(if negative { n.wrapping_neg() } else { n })
    }

    fn string(&mut self) -> Result<String> {
        let rest = &self.text[self.pos..];
        // A triple-quoted string needs room for both sets of quotes and may span lines.
        if rest.len() > 6 && rest.starts_with(b"\"\"\"") {
            self.pos += 3;
            let start = self.pos;
            while self.pos + 2 < self.text.len() && !self.text[self.pos..].starts_with(b"\"\"\"") {
                if self.cur() == b'\n' {
                    self.line += 1;
                }
                self.pos += 1;
            }
            if !self.text[self.pos..].starts_with(b"\"\"\"") {
                return Err(self.error("unterminated string"));
            }
            let s = self.text_from(start);
            self.pos += 3;
            return Ok(s);
        }
        let quote = self.cur();
        self.next();
        let start = self.pos;
        while !self.at_end() && self.cur() != quote && !is_eol(self.cur()) {
            self.pos += 1;
        }
        if self.cur() != quote {
            return Err(self.error("unterminated string"));
        }
        let s = self.text_from(start);
        self.next();
        Ok(s)
    }

    fn list(&mut self) -> Result<Vec<Value>> {
        self.next();
        self.skip_blanks_and_eol();
        let mut items = Vec::new();
        if !self.at_end() && self.cur() != b']' {
            items.push(self.value()?);
            self.skip_blanks_and_eol();
        }
        while !self.at_end() && self.cur() != b']' {
            if self.cur() != b',' {
                return Err(self.error("expecting a separator in list"));
            }
            self.next();
            self.skip_blanks_and_eol();
            if self.cur() == b']' {
                break;
            }
            items.push(self.value()?);
            self.skip_blanks_and_eol();
        }
        if self.cur() != b']' {
            return Err(self.error("list is not closed with ]"));
        }
        self.next();
        Ok(items)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Conf> {
        Conf::parse("f.conf", text.as_bytes())
    }

    fn syntax_error(text: &str) -> String {
        let e = parse(text).unwrap_err();
        assert_eq!((e.code, e.domain), (VIR_ERR_CONF_SYNTAX, VIR_FROM_CONF));
        e.message
    }

    #[test]
    fn values_of_every_kind() {
        let conf = parse(
            "# comment\na = \"x\"; b = 'y' # trailing\nc = [ \"p\",\n  'q', ]\nd = -3\ne = +7\nf = \"\"\"multi\nline\"\"\"\ng = [ ]\n",
        )
        .unwrap();
        assert_eq!(conf.get("a"), Some(&Value::String("x".into())));
        assert_eq!(conf.get("b"), Some(&Value::String("y".into())));
        assert_eq!(conf.string_list("c").unwrap(), Some(vec!["p", "q"]));
        assert_eq!(conf.get("d"), Some(&Value::Signed(-3)));
        assert_eq!(conf.get("e"), Some(&Value::Unsigned(7)));
        assert_eq!(conf.string("f").unwrap(), Some("multi\nline"));
        assert_eq!(conf.string_list("g").unwrap(), Some(vec![]));
        assert_eq!(conf.get("zz"), None);
    }

    #[test]
    fn first_duplicate_wins() {
        let conf = parse("a = \"1\"\na = \"2\"\n").unwrap();
        assert_eq!(conf.string("a").unwrap(), Some("1"));
    }

    #[test]
    fn syntax_errors_as_libvirt_words_them() {
        assert_eq!(syntax_error("uri_default \"x\"\n"), "configuration file syntax error: f.conf:1: expecting an assignment");
        assert_eq!(syntax_error("\n\na = \"x\n"), "configuration file syntax error: f.conf:3: unterminated string");
        assert_eq!(syntax_error("a = \n"), "configuration file syntax error: f.conf:1: expecting a value");
        assert_eq!(syntax_error("a = x\n"), "configuration file syntax error: f.conf:1: expecting a value");
        assert_eq!(syntax_error("1abc = 1"), "configuration file syntax error: f.conf:1: expecting a name");
        assert_eq!(syntax_error("_a = 1"), "configuration file syntax error: f.conf:1: expecting a name");
        assert_eq!(syntax_error("a = \"x\" b = \"y\""), "configuration file syntax error: f.conf:1: expecting a separator");
        assert_eq!(syntax_error("a = [ \"x\" \"y\" ]"), "configuration file syntax error: f.conf:1: expecting a separator in list");
        assert_eq!(syntax_error("a = [ \"x\", \"y\"\n"), "configuration file syntax error: f.conf:2: list is not closed with ]");
        assert_eq!(syntax_error("a = -\n"), "configuration file syntax error: f.conf:1: unterminated number");
        assert_eq!(syntax_error("a = \"a\rb\""), "configuration file syntax error: f.conf:1: unterminated string");
        assert_eq!(syntax_error("a = \"\"\"\"\"\""), "configuration file syntax error: f.conf:1: expecting a separator");
        assert_eq!(syntax_error("a = 1;;"), "configuration file syntax error: f.conf:1: expecting a name");
    }

    #[test]
    fn blank_file_quirks() {
        // libvirt accepts an empty file and trailing blank lines, but not a file of
        // blank lines alone.
        assert!(parse("").is_ok());
        assert!(parse("a = 1\n\n\n").is_ok());
        assert!(parse("#c\n\n").is_ok());
        assert_eq!(syntax_error("\n"), "configuration file syntax error: f.conf:2: expecting a name");
        assert_eq!(syntax_error("  \n"), "configuration file syntax error: f.conf:2: expecting a name");
    }

    #[test]
    fn typed_getters() {
        let conf = parse("s = \"x\"\nn = 1\nl = [ 1 ]\n").unwrap();
        let e = conf.string("n").unwrap_err();
        assert_eq!((e.code, e.domain), (VIR_ERR_INTERNAL_ERROR, VIR_FROM_CONF));
        assert_eq!(e.message, "internal error: f.conf: expected a string for 'n' parameter");
        let e = conf.string_list("s").unwrap_err();
        assert_eq!(e.code, VIR_ERR_INTERNAL_ERROR);
        assert_eq!(e.message, "internal error: f.conf: expected a string list for 's' parameter");
        let e = conf.string_list("l").unwrap_err();
        assert_eq!(e.code, VIR_ERR_CONF_SYNTAX);
        assert_eq!(e.message, "configuration file syntax error: f.conf: expected a string list for 'l' parameter");
    }
}
