//! Which driver serves a connection: the name the application gave, resolved as
//! libvirt resolves it (LIBVIRT_DEFAULT_URI, libvirt.conf's uri_default and
//! uri_aliases), parsed as libvirt parses URIs, and routed by scheme.

use crate::abi::host::{VIR_CONNECT_NO_ALIASES, VIR_CONNECT_RO};
use crate::abi::virterror::*;
use crate::auth::Callback;
use crate::conf::{self, Conf};
use crate::core::{Connect, Error, Result};
use crate::driver::Driver;

/// A parsed connection URI, its parts as libvirt's drivers see them: user, server
/// and path percent-decoded, query and fragment as written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Uri {
    /// As written (libvirt matches schemes case-sensitively); empty when the name
    /// has none.
    pub scheme: String,
    pub user: Option<String>,
    /// Without the brackets of an IPv6 address.
    pub server: Option<String>,
    /// 0 when the URI has none.
    pub port: u16,
    pub path: String,
    pub query: Option<String>,
    pub fragment: Option<String>,
}

fn parse_error(s: &str) -> Error {
    Error::internal(VIR_FROM_URI, format!("Unable to parse URI {s}"))
}

fn is_scheme(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// The characters RFC 3986 allows, which is what libvirt's parser (libxml2) takes:
/// no spaces, no non-ASCII, '%' only as an escape, brackets only around a host,
/// one '#'.
fn has_only_uri_chars(s: &str, authority: std::ops::Range<usize>) -> bool {
    let bytes = s.as_bytes();
    let mut seen_hash = false;
    bytes.iter().enumerate().all(|(i, &c)| match c {
        b'%' => bytes.get(i + 1..i + 3).is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)),
        b'[' | b']' => authority.contains(&i),
        b'#' => !std::mem::replace(&mut seen_hash, true),
        c if c.is_ascii_alphanumeric() => true,
        b'-' | b'.' | b'_' | b'~' | b':' | b'/' | b'?' | b'@' | b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*'
        | b'+' | b',' | b';' | b'=' => true,
        _ => false,
    })
}

/// Decodes %XX escapes (the input has been checked to hold only valid ones).
fn unescape(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
        match (bytes[i], bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(hi), Some(lo)) => {
                out.push(hi << 4 | lo);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// %XX-escapes every byte of `s` that `keep` rejects, with upper-case hex as libxml2.
fn escape(s: &str, keep: impl Fn(u8) -> bool) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if keep(b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// RFC 2396's unreserved characters, which libxml2 never escapes.
fn unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b)
}

impl Uri {
    /// Parses `s` as libvirt does, failing with libvirt's "Unable to parse URI".
    pub fn parse(s: &str) -> Result<Uri> {
        let scheme = s.split_once(':').map(|(scheme, _)| scheme).filter(|scheme| is_scheme(scheme));
        let Some(scheme) = scheme else {
            // A relative reference: no driver name, which the caller reports; its
            // first segment may not hold a ':'.
            let first_segment = s.split(['/', '?', '#']).next().unwrap_or_default();
            if first_segment.contains(':') || !has_only_uri_chars(s, 0..0) {
                return Err(parse_error(s));
            }
            return Ok(Uri { path: unescape(s.split(['?', '#']).next().unwrap_or_default()), ..Uri::default() });
        };
        let rest = &s[scheme.len() + 1..];
        let (authority, after_authority) = match rest.strip_prefix("//") {
            Some(r) => {
                let end = r.find(['/', '?', '#']).unwrap_or(r.len());
                let start = scheme.len() + 3;
                (start..start + end, &r[end..])
            }
            None => (0..0, rest),
        };
        if !has_only_uri_chars(s, authority.clone()) {
            return Err(parse_error(s));
        }
        let url = url::Url::parse(s).map_err(|_| parse_error(s))?;
        let raw_path = after_authority.split(['?', '#']).next().unwrap_or_default();
        let user = match (url.username(), url.password()) {
            ("", None) => None,
            (user, None) => Some(unescape(user)),
            (user, Some(password)) => Some(unescape(&format!("{user}:{password}"))),
        };
        let server = url.host_str().filter(|h| !h.is_empty()).map(|h| unescape(h.trim_start_matches('[').trim_end_matches(']')));
        Ok(Uri {
            scheme: scheme.to_owned(),
            user,
            server,
            port: url.port().unwrap_or(0),
            path: unescape(raw_path),
            query: url.query().map(str::to_owned),
            fragment: url.fragment().map(str::to_owned),
        })
    }

    /// The URI as libvirt writes it back (virConnectGetURI).
    pub fn format(&self) -> String {
        let mut out = format!("{}://", self.scheme);
        if let Some(server) = &self.server {
            if let Some(user) = &self.user {
                out.push_str(&escape(user, |b| unreserved(b) || b";:&=+$,".contains(&b)));
                out.push('@');
            }
            if server.contains(':') {
                out.push_str(&format!("[{server}]"));
            } else {
                out.push_str(server);
            }
            if self.port > 0 {
                out.push_str(&format!(":{}", self.port));
            }
        }
        out.push_str(&escape(&self.path, |b| unreserved(b) || b"/;@&=+$,".contains(&b)));
        if let Some(query) = &self.query {
            out.push('?');
            out.push_str(query);
        }
        if let Some(fragment) = &self.fragment {
            out.push('#');
            out.push_str(fragment);
        }
        out
    }

    /// The query's `name=value` parameters, decoded, split as libvirt splits them.
    pub fn params(&self) -> Vec<(String, String)> {
        let mut params = Vec::new();
        let mut query = self.query.as_deref().unwrap_or_default();
        while !query.is_empty() {
            // libvirt's quirk: ';' separates only in a query without any '&'.
            let end = query.find('&').or_else(|| query.find(';')).unwrap_or(query.len());
            let section = &query[..end];
            match section.split_once('=') {
                None if !section.is_empty() => params.push((unescape(section), String::new())),
                Some((name, value)) if !name.is_empty() => params.push((unescape(name), unescape(value))),
                _ => {}
            }
            query = query.get(end + 1..).unwrap_or_default();
        }
        params
    }

    /// The first value of query parameter `name`.
    pub fn param(&self, name: &str) -> Option<String> {
        self.params().into_iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }
}

/// One connection request, as the C layer received it.
pub struct Request<'a> {
    /// NULL and "" both mean "the default URI".
    pub name: Option<&'a str>,
    pub flags: u32,
    /// The application's credential callback (virConnectOpenAuth), if any.
    pub auth: Option<&'a dyn Callback>,
    /// libvirt reads /etc/libvirt/libvirt.conf for root, the user's file otherwise.
    pub is_root: bool,
}

const ALIAS_CHARS: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

/// The URI `alias` stands for in uri_aliases (entries "alias=uri"), checking each
/// entry up to the match as libvirt does. Aliases do not nest.
fn resolve_alias(conf: &Conf, alias: &str) -> Result<Option<String>> {
    let Some(entries) = conf.string_list("uri_aliases")? else {
        return Ok(None);
    };
    for entry in entries {
        let malformed = |why: &str| {
            Error::with_detail(VIR_ERR_CONF_SYNTAX, VIR_FROM_URI, format!("Malformed 'uri_aliases' config entry '{entry}', {why}"))
        };
        let Some((name, uri)) = entry.split_once('=') else {
            return Err(malformed("expected 'alias=uri://host/path'"));
        };
        if !name.chars().all(|c| ALIAS_CHARS.contains(c)) {
            return Err(malformed("aliases may only contain 'a-Z, 0-9, _, -'"));
        }
        if name == alias {
            return Ok(Some(uri.to_owned()));
        }
    }
    Ok(None)
}

/// The URI to open: `name`, else LIBVIRT_DEFAULT_URI, else uri_default, with
/// aliases applied unless VIR_CONNECT_NO_ALIASES. None when nothing names one.
pub fn resolve(name: Option<&str>, flags: u32, conf: Option<&Conf>, default_uri: Option<&str>) -> Result<Option<String>> {
    let uri = match name.filter(|n| !n.is_empty()) {
        Some(name) => Some(name.to_owned()),
        None => match default_uri.filter(|u| !u.is_empty()) {
            Some(uri) => Some(uri.to_owned()),
            None => conf.map(|c| c.string("uri_default")).transpose()?.flatten().map(str::to_owned),
        },
    };
    match (uri, conf) {
        (Some(uri), Some(conf)) if flags & VIR_CONNECT_NO_ALIASES as u32 == 0 => {
            Ok(Some(resolve_alias(conf, &uri)?.unwrap_or(uri)))
        }
        (uri, _) => Ok(uri),
    }
}

/// What the test driver's open checks before it builds its state.
fn open_test(uri: &Uri, flags: u32) -> Result<Box<dyn Driver>> {
    if flags & !(VIR_CONNECT_RO as u32) != 0 {
        return Err(Error::unsupported_flags(VIR_FROM_TEST, "testConnectOpen", flags));
    }
    match uri.path.as_str() {
        "" | "/" => Err(Error::invalid_arg(VIR_FROM_TEST, "testOpen: supply a path or use test:///default")),
        "/default" => crate::drivers::test::open_default(),
        path => crate::drivers::test::open_file(path),
    }
}

/// Schemes of drivers libvirt knows but this build lacks; libvirt names them
/// rather than saying it found no driver.
const BUILT_WITHOUT: [&str; 4] = ["vpx", "esx", "gsx", "parallels"];

/// Opens the connection `request` asks for.
pub fn open(request: Request) -> Result<Connect> {
    let conf = conf::load_libvirt_conf(request.is_root)?;
    let name = request.name.filter(|n| !n.is_empty());
    // Only a missing name consults the environment.
    let default_uri = if name.is_none() { std::env::var("LIBVIRT_DEFAULT_URI").ok() } else { None };
    let no_driver = || Error::with_detail(VIR_ERR_NO_CONNECT, VIR_FROM_NONE, name.unwrap_or("<null>"));
    let Some(uri_string) = resolve(name, request.flags, conf.as_deref(), default_uri.as_deref())? else {
        // libvirt would now probe its stateful drivers; this build has none.
        return Err(no_driver());
    };
    let (mut uri, canonical) = parse_memoized(&uri_string)?;
    if uri.scheme.is_empty() {
        return Err(Error::with_detail(
            VIR_ERR_NO_CONNECT,
            VIR_FROM_NONE,
            format!("URI '{}' does not include a driver name", name.unwrap_or("(null)")),
        ));
    }
    if matches!(uri.scheme.as_str(), "qemu" | "vbox" | "vz") {
        if let Some(server @ ("session" | "system")) = uri.server.as_deref() {
            return Err(Error::internal(
                VIR_FROM_NONE,
                format!("invalid URI {uri_string} (maybe you want {}:///{server})", uri.scheme),
            ));
        }
    }
    let readonly = request.flags & VIR_CONNECT_RO as u32 != 0;
    // The test driver serves local URIs only.
    let driver = if uri.scheme == "test" && uri.server.is_none() {
        open_test(&uri, request.flags)?
    } else if uri.scheme.eq_ignore_ascii_case("hyperv") {
        // The driver may complete the URI (its user).
        let driver = crate::drivers::hyperv::open(&mut uri, request.flags, request.auth)?;
        return Ok(Connect::new(uri.format(), readonly, driver));
    } else if BUILT_WITHOUT.iter().any(|s| s.eq_ignore_ascii_case(&uri.scheme)) {
        return Err(Error::with_detail(
            VIR_ERR_CONFIG_UNSUPPORTED,
            VIR_FROM_NONE,
            format!("libvirt was built without the '{}' driver", uri.scheme),
        ));
    } else {
        return Err(no_driver());
    };
    Ok(Connect::new(canonical, readonly, driver))
}

/// The last URI parsed, and its canonical form: applications open the same URI
/// over and over, and parsing it is most of an open's work.
static LAST_PARSED: parking_lot::Mutex<Option<(String, Uri, String)>> = parking_lot::Mutex::new(None);

/// Uri::parse of `s` and the result's format().
fn parse_memoized(s: &str) -> Result<(Uri, String)> {
    if let Some((last, uri, canonical)) = &*LAST_PARSED.lock() {
        if last == s {
            return Ok((uri.clone(), canonical.clone()));
        }
    }
    let uri = Uri::parse(s)?;
    let canonical = uri.format();
    *LAST_PARSED.lock() = Some((s.to_owned(), uri.clone(), canonical.clone()));
    Ok((uri, canonical))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Uri {
        Uri::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn parts() {
        let uri = parse("hyperv://Admin@Host.Example:5986/?transport=https&authfile=/a%20b");
        assert_eq!(uri.scheme, "hyperv");
        assert_eq!(uri.user.as_deref(), Some("Admin"));
        assert_eq!(uri.server.as_deref(), Some("Host.Example"));
        assert_eq!(uri.port, 5986);
        assert_eq!(uri.path, "/");
        assert_eq!(uri.param("transport").as_deref(), Some("https"));
        assert_eq!(uri.param("authfile").as_deref(), Some("/a b"));
        assert_eq!(parse("test://[::1]:9/x").server.as_deref(), Some("::1"));
        assert_eq!(parse("TEST:///default").scheme, "TEST");
    }

    #[test]
    fn paths_are_decoded_as_written() {
        assert_eq!(parse("test:///%64efault").path, "/default");
        assert_eq!(parse("test:///tmp/a%2Fb.xml").path, "/tmp/a/b.xml");
        assert_eq!(parse("test:///./default").path, "/./default");
        assert_eq!(parse("test:////default").path, "//default");
        assert_eq!(parse("test:/default").path, "/default");
        assert_eq!(parse("test:default").path, "default");
        assert_eq!(parse("test:///").path, "/");
        assert_eq!(parse("test://").path, "");
    }

    #[test]
    fn canonical_form_as_libvirt_writes_it() {
        for (given, canonical) in [
            ("test:///default", "test:///default"),
            ("test:/default", "test:///default"),
            ("test:///%64efault", "test:///default"),
            ("test:///default?x", "test:///default?x"),
            ("test:///default?", "test:///default?"),
            ("test:///default#frag", "test:///default#frag"),
            ("test:///default?a=b&c", "test:///default?a=b&c"),
            ("test:///tmp/my%20file.xml", "test:///tmp/my%20file.xml"),
            ("hyperv://u@h:5985/?transport=http", "hyperv://u@h:5985/?transport=http"),
            ("x://[::1]/p", "x://[::1]/p"),
        ] {
            assert_eq!(parse(given).format(), canonical, "{given}");
        }
    }

    #[test]
    fn malformed_uris() {
        for s in [
            "::::",
            "test:///def ault",
            " test:///default",
            "test:///default ",
            "t%65st:///default",
            "te_st:///default",
            "1test:///default",
            "test:///default?x=%zz",
            "test:///dé",
            "test:\\\\x",
            "test:///[x]",
            "a#b#c:",
        ] {
            let e = Uri::parse(s).unwrap_err();
            assert_eq!((e.code, e.domain), (VIR_ERR_INTERNAL_ERROR, VIR_FROM_URI), "{s}");
            assert_eq!(e.message, format!("internal error: Unable to parse URI {s}"));
        }
    }

    #[test]
    fn names_without_scheme() {
        assert_eq!(parse("test").scheme, "");
        assert_eq!(parse("default").path, "default");
    }

    #[test]
    fn params_split_as_libvirt() {
        let uri = Uri { query: Some("a=1&&b&=x&c=&d=%41".into()), ..Uri::default() };
        let params = uri.params();
        let expect = [("a", "1"), ("b", ""), ("c", ""), ("d", "A")];
        assert_eq!(params, expect.map(|(a, b)| (a.to_owned(), b.to_owned())));
        let uri = Uri { query: Some("a=1;b=2".into()), ..Uri::default() };
        assert_eq!(uri.params().len(), 2);
        let uri = Uri { query: Some("a=1;b=2&c=3".into()), ..Uri::default() };
        assert_eq!(uri.params()[0], ("a".to_owned(), "1;b=2".to_owned()));
    }

    fn conf(text: &str) -> Conf {
        Conf::parse("libvirt.conf", text.as_bytes()).unwrap()
    }

    #[test]
    fn resolution_order() {
        let c = conf("uri_default = \"test:///default\"\nuri_aliases = [ \"foo=test:///default?foo\", \"nested=foo\" ]\n");
        assert_eq!(resolve(Some("x:///"), 0, Some(&c), Some("env")).unwrap().as_deref(), Some("x:///"));
        assert_eq!(resolve(None, 0, Some(&c), Some("y:///")).unwrap().as_deref(), Some("y:///"));
        assert_eq!(resolve(Some(""), 0, Some(&c), Some("")).unwrap().as_deref(), Some("test:///default"));
        assert_eq!(resolve(None, 0, None, None).unwrap(), None);
        assert_eq!(resolve(Some("foo"), 0, Some(&c), None).unwrap().as_deref(), Some("test:///default?foo"));
        assert_eq!(resolve(None, 0, Some(&c), Some("foo")).unwrap().as_deref(), Some("test:///default?foo"));
        assert_eq!(resolve(Some("nested"), 0, Some(&c), None).unwrap().as_deref(), Some("foo"));
        assert_eq!(resolve(Some("FOO"), 0, Some(&c), None).unwrap().as_deref(), Some("FOO"));
        let no_aliases = VIR_CONNECT_NO_ALIASES as u32;
        assert_eq!(resolve(Some("foo"), no_aliases, Some(&c), None).unwrap().as_deref(), Some("foo"));
    }

    #[test]
    fn malformed_aliases_are_reported_up_to_the_match() {
        let c = conf("uri_aliases = [ \"foo=test:///default\", \"bad entry\", \"a.b=x\" ]\n");
        assert_eq!(resolve(Some("foo"), 0, Some(&c), None).unwrap().as_deref(), Some("test:///default"));
        let e = resolve(Some("bar"), 0, Some(&c), None).unwrap_err();
        assert_eq!((e.code, e.domain), (VIR_ERR_CONF_SYNTAX, VIR_FROM_URI));
        assert_eq!(
            e.message,
            "configuration file syntax error: Malformed 'uri_aliases' config entry 'bad entry', expected 'alias=uri://host/path'"
        );
        let c = conf("uri_aliases = [ \"a.b=x\" ]\n");
        let e = resolve(Some("bar"), 0, Some(&c), None).unwrap_err();
        assert_eq!(
            e.message,
            "configuration file syntax error: Malformed 'uri_aliases' config entry 'a.b=x', aliases may only contain 'a-Z, 0-9, _, -'"
        );
        let c = conf("uri_aliases = \"foo=test:///default\"\n");
        assert_eq!(resolve(Some("foo"), 0, Some(&c), None).unwrap_err().code, VIR_ERR_INTERNAL_ERROR);
    }
}
