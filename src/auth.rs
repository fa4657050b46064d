//! Credentials for drivers that log in (hyperv): auth.conf first, then the
//! application's callback, with libvirt's prompts and errors. Secrets live in
//! `Secret`, wiped when dropped, and are never formatted into logs or errors.
//!
//! auth.conf is a key file: `[credentials-NAME]` groups hold `username=` and
//! `password=`; `[auth-SERVICE-HOST]` (or `[auth-SERVICE-default]`) groups say
//! which credentials serve SERVICE ("hyperv", "esx", ...) on HOST.

use crate::abi::host::*;
use crate::abi::virterror::*;
use crate::core::{Error, Result};
use crate::uri::Uri;
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

/// A password or other secret answer.
pub type Secret = Zeroizing<String>;

/// One question for the application, a virConnectCredential.
#[derive(Debug)]
pub struct Question<'a> {
    /// VIR_CRED_*.
    pub kind: i32,
    pub prompt: &'a str,
    pub challenge: Option<&'a str>,
    pub default: Option<&'a str>,
}

/// The application's callback answered -1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallbackFailed;

/// The application's virConnectAuth, seen from safe Rust.
pub trait Callback {
    /// The VIR_CRED_* types the application said it can answer, in its order.
    fn credential_types(&self) -> &[i32];
    /// Whether it gave a callback function at all.
    fn has_callback(&self) -> bool;
    /// Asks one question; Ok(None) when the callback succeeded without giving a
    /// result.
    fn ask(&self, question: &Question) -> std::result::Result<Option<Secret>, CallbackFailed>;
}

/// Where a connection's credentials come from.
pub struct Credentials<'a> {
    callback: Option<&'a dyn Callback>,
    file: Option<PathBuf>,
}

fn auth_error(code: i32, detail: &str) -> Error {
    Error::with_detail(code, VIR_FROM_AUTH, detail)
}

/// The auth.conf libvirt would read for `uri`: $LIBVIRT_AUTH_FILE (even empty),
/// else the URI's `authfile` parameter, else the first readable of the user's
/// and the system's auth.conf.
pub fn auth_file_path(uri: &Uri) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("LIBVIRT_AUTH_FILE") {
        return Some(path.into());
    }
    if let Some(path) = uri.param("authfile") {
        return Some(path.into());
    }
    let user = crate::conf::user_config_dir().map(|dir| dir.join("auth.conf"));
    let system = PathBuf::from("/etc/libvirt/auth.conf");
    user.into_iter().chain([system]).find(|p| std::fs::File::open(p).is_ok())
}

impl<'a> Credentials<'a> {
    pub fn new(callback: Option<&'a dyn Callback>, uri: &Uri) -> Credentials<'a> {
        Credentials { callback, file: auth_file_path(uri) }
    }

    /// Credentials from an explicit auth.conf (or none) and callback.
    pub fn with_file(callback: Option<&'a dyn Callback>, file: Option<PathBuf>) -> Credentials<'a> {
        Credentials { callback, file }
    }

    fn configured(&self, service: &str, host: &str, item: &str) -> Result<Option<Secret>> {
        match &self.file {
            Some(path) => AuthConfig::read_file(path)?.lookup(service, Some(host), item),
            None => Ok(None),
        }
    }

    fn callback(&self) -> Result<&'a dyn Callback> {
        self.callback.ok_or_else(|| auth_error(VIR_ERR_INVALID_ARG, "Missing authentication credentials"))
    }

    /// Asks the first question type of `kinds` the application supports.
    fn ask(&self, callback: &dyn Callback, kinds: &[i32], question: Question, missing: &str, failed: &str) -> Result<Secret> {
        let Some(&kind) = callback.credential_types().iter().find(|t| kinds.contains(t)) else {
            return Err(auth_error(VIR_ERR_AUTH_FAILED, missing));
        };
        if !callback.has_callback() {
            return Err(auth_error(VIR_ERR_INVALID_ARG, "Missing authentication callback"));
        }
        match callback.ask(&Question { kind, ..question }) {
            Ok(Some(answer)) => Ok(answer),
            // libvirt 9.0 reports nothing when the callback gives no result;
            // we say the request failed.
            _ => Err(auth_error(VIR_ERR_AUTH_FAILED, failed)),
        }
    }

    /// The user name for `service` on `host` (libvirt's virAuthGetUsername);
    /// `default` is what the prompt offers.
    pub fn username(&self, service: &str, host: &str, default: Option<&str>) -> Result<String> {
        if let Some(user) = self.configured(service, host, "username")? {
            return Ok(user.to_string());
        }
        let callback = self.callback()?;
        let prompt = match default {
            Some(default) => format!("Enter username for {host} [{default}]"),
            None => format!("Enter username for {host}"),
        };
        let question = Question { kind: VIR_CRED_AUTHNAME, prompt: &prompt, challenge: Some(host), default };
        let answer = self.ask(callback, &[VIR_CRED_AUTHNAME], question, "Missing VIR_CRED_AUTHNAME credential type", "Username request failed")?;
        Ok(answer.to_string())
    }

    /// `user`'s password for `service` on `host` (libvirt's virAuthGetPassword).
    pub fn password(&self, service: &str, user: &str, host: &str) -> Result<Secret> {
        if let Some(password) = self.configured(service, host, "password")? {
            return Ok(password);
        }
        let callback = self.callback()?;
        let prompt = format!("Enter {user}'s password for {host}");
        let question = Question { kind: VIR_CRED_PASSPHRASE, prompt: &prompt, challenge: Some(host), default: None };
        self.ask(
            callback,
            &[VIR_CRED_PASSPHRASE, VIR_CRED_NOECHOPROMPT],
            question,
            "Missing VIR_CRED_PASSPHRASE or VIR_CRED_NOECHOPROMPT credential type",
            "Password request failed",
        )
    }
}

/// A parsed auth.conf: groups of `key=value`, values kept as written (escapes are
/// decoded on lookup, as GLib's key files do).
pub struct AuthConfig {
    path: String,
    groups: Vec<(String, Vec<(String, Secret)>)>,
}

impl AuthConfig {
    pub fn read_file(path: &Path) -> Result<AuthConfig> {
        let text = Zeroizing::new(std::fs::read(path).map_err(|e| crate::conf::open_error(VIR_FROM_AUTH, path, &e))?);
        AuthConfig::parse(&path.to_string_lossy(), &text)
    }

    /// Parses key-file text. libvirt (through GLib) rejects the same files but
    /// reports nothing; we say what is wrong, without quoting values.
    pub fn parse(path: &str, text: &[u8]) -> Result<AuthConfig> {
        let error = |line: usize, what: String| {
            Error::with_detail(VIR_ERR_CONF_SYNTAX, VIR_FROM_NONE, format!("{path}:{}: {what}", line + 1))
        };
        let text = std::str::from_utf8(text).map_err(|_| error(0, "Key file contains invalid UTF-8".into()))?;
        let mut groups: Vec<(String, Vec<(String, Secret)>)> = Vec::new();
        for (n, line) in text.split('\n').enumerate() {
            let line = line.strip_suffix('\r').unwrap_or(line).trim_start();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(name) = line.trim_end().strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                if name.contains(['[', ']']) {
                    return Err(error(n, "Key file contains a line which is not a key-value pair, group, or comment".into()));
                }
                if name.is_empty() || name.chars().any(char::is_control) {
                    return Err(error(n, format!("Invalid group name: {name}")));
                }
                if !groups.iter().any(|(g, _)| g == name) {
                    groups.push((name.to_owned(), Vec::new()));
                }
                continue;
            }
            let Some((key, value)) = line.split_once('=') else {
                return Err(error(n, "Key file contains a line which is not a key-value pair, group, or comment".into()));
            };
            let key = key.trim_end();
            if key.is_empty() {
                return Err(error(n, "Key file contains a line which is not a key-value pair, group, or comment".into()));
            }
            if key.contains(char::is_whitespace) || (key.contains(['[', ']']) && !is_localized_key(key)) {
                return Err(error(n, format!("Invalid key name: {key}")));
            }
            let Some((_, entries)) = groups.last_mut() else {
                return Err(error(n, "Key file does not start with a group".into()));
            };
            let value = Secret::new(value.trim_start().to_owned());
            match entries.iter_mut().find(|(k, _)| k == key) {
                Some(entry) => entry.1 = value,
                None => entries.push((key.to_owned(), value)),
            }
        }
        Ok(AuthConfig { path: path.to_owned(), groups })
    }

    fn group(&self, name: &str) -> Option<&[(String, Secret)]> {
        self.groups.iter().find(|(g, _)| g == name).map(|(_, entries)| entries.as_slice())
    }

    /// A value with its escapes decoded; None when absent or badly escaped.
    fn value(&self, group: &str, key: &str) -> Option<Secret> {
        let raw = self.group(group)?.iter().find(|(k, _)| k == key)?;
        unescape_value(&raw.1)
    }

    /// `item` ("username", "password") for `service` on `host` (localhost when
    /// None), as libvirt's virAuthConfigLookup finds it.
    pub fn lookup(&self, service: &str, host: Option<&str>, item: &str) -> Result<Option<Secret>> {
        let host = host.unwrap_or("localhost");
        let specific = format!("auth-{service}-{host}");
        let auth_group = if self.group(&specific).is_some() { specific } else { format!("auth-{service}-default") };
        if self.group(&auth_group).is_none() {
            return Ok(None);
        }
        let conf_error = |detail: String| Error::with_detail(VIR_ERR_CONF_SYNTAX, VIR_FROM_NONE, detail);
        let Some(name) = self.value(&auth_group, "credentials") else {
            return Err(conf_error(format!("Missing item 'credentials' in group '{auth_group}' in '{}'", self.path)));
        };
        let cred_group = format!("credentials-{}", name.as_str());
        if self.group(&cred_group).is_none() {
            return Err(conf_error(format!(
                "Missing group 'credentials-{}' referenced from group '{auth_group}' in '{}'",
                name.as_str(),
                self.path
            )));
        }
        Ok(self.value(&cred_group, item))
    }
}

/// GLib's `key[locale]` form.
fn is_localized_key(key: &str) -> bool {
    key.strip_suffix(']')
        .and_then(|k| k.split_once('['))
        .is_some_and(|(name, locale)| !name.is_empty() && !name.contains(['[', ']']) && !locale.contains(['[', ']']))
}

/// GLib's string escapes: \s \n \t \r \\; any other is an error.
fn unescape_value(raw: &str) -> Option<Secret> {
    let mut out = Secret::new(String::with_capacity(raw.len()));
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        out.push(match chars.next()? {
            's' => ' ',
            'n' => '\n',
            't' => '\t',
            'r' => '\r',
            '\\' => '\\',
            _ => return None,
        });
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;

    const FILE: &str = "# comment\n[credentials-x]\nusername = fred  \npassword=a\\sb\\\\c\n\
        [credentials-y]\nusername=yan\n[auth-esx-host1]\ncredentials=x\n[auth-esx-default]\ncredentials=y\n\
        [auth-hyperv-h2]\nfoo=bar\n[auth-hyperv-h3]\ncredentials=zz\n";

    fn config(text: &str) -> AuthConfig {
        AuthConfig::parse("/a/auth.conf", text.as_bytes()).unwrap()
    }

    fn lookup(c: &AuthConfig, service: &str, host: Option<&str>, item: &str) -> Option<String> {
        c.lookup(service, host, item).unwrap().map(|s| s.to_string())
    }

    #[test]
    fn lookup_order() {
        let c = config(FILE);
        assert_eq!(lookup(&c, "esx", Some("host1"), "username").as_deref(), Some("fred  "));
        assert_eq!(lookup(&c, "esx", Some("host1"), "password").as_deref(), Some("a b\\c"));
        assert_eq!(lookup(&c, "esx", Some("other"), "username").as_deref(), Some("yan"));
        assert_eq!(lookup(&c, "esx", Some("other"), "password"), None);
        assert_eq!(lookup(&c, "esx", None, "username").as_deref(), Some("yan"));
        assert_eq!(lookup(&c, "libvirt", Some("host1"), "username"), None);
    }

    #[test]
    fn lookup_errors() {
        let c = config(FILE);
        let e = c.lookup("hyperv", Some("h2"), "username").err().unwrap();
        assert_eq!((e.code, e.domain), (VIR_ERR_CONF_SYNTAX, VIR_FROM_NONE));
        assert_eq!(
            e.message,
            "configuration file syntax error: Missing item 'credentials' in group 'auth-hyperv-h2' in '/a/auth.conf'"
        );
        let e = c.lookup("hyperv", Some("h3"), "username").err().unwrap();
        assert_eq!(
            e.message,
            "configuration file syntax error: Missing group 'credentials-zz' referenced from group 'auth-hyperv-h3' in '/a/auth.conf'"
        );
    }

    #[test]
    fn key_file_syntax() {
        let c = config("  [g]  \n\tk = v\t\nk2==x\r\nk3[fr]=y\nbad=x\\q\n[g]\nk=w\n");
        assert_eq!(c.value("g", "k").unwrap().as_str(), "w");
        assert_eq!(c.value("g", "k2").unwrap().as_str(), "=x");
        assert!(c.value("g", "k3").is_none());
        assert!(c.value("g", "bad").is_none());
        for bad in ["k=v\n[g]\n", "[g]\n;semi\n", "[g] x\n", "[g\n", "[g]\nnoequals\n", "[g]\n=v\n", "[]\n", "[g]\nk [x]=v\n"] {
            let e = AuthConfig::parse("p", bad.as_bytes()).err().unwrap_or_else(|| panic!("{bad:?}"));
            assert_eq!(e.code, VIR_ERR_CONF_SYNTAX, "{bad:?}");
        }
    }

    type Answer = std::result::Result<Option<&'static str>, CallbackFailed>;
    /// kind, prompt, challenge, default.
    type Asked = (i32, String, Option<String>, Option<String>);

    /// A callback that records questions and answers from a script.
    struct Fake {
        types: Vec<i32>,
        answers: RefCell<Vec<Answer>>,
        asked: RefCell<Vec<Asked>>,
    }

    impl Fake {
        fn new(types: &[i32], answers: &[Answer]) -> Fake {
            Fake { types: types.to_vec(), answers: RefCell::new(answers.to_vec()), asked: RefCell::default() }
        }
    }

    impl Callback for Fake {
        fn credential_types(&self) -> &[i32] {
            &self.types
        }
        fn has_callback(&self) -> bool {
            true
        }
        fn ask(&self, q: &Question) -> std::result::Result<Option<Secret>, CallbackFailed> {
            self.asked.borrow_mut().push((q.kind, q.prompt.to_owned(), q.challenge.map(Into::into), q.default.map(Into::into)));
            self.answers.borrow_mut().remove(0).map(|a| a.map(|s| Secret::new(s.to_owned())))
        }
    }

    #[test]
    fn callback_questions_as_libvirt_asks() {
        let fake = Fake::new(&[VIR_CRED_AUTHNAME, VIR_CRED_NOECHOPROMPT, VIR_CRED_PASSPHRASE], &[Ok(Some("bob")), Ok(Some("pw"))]);
        let creds = Credentials::with_file(Some(&fake), None);
        assert_eq!(creds.username("hyperv", "h", Some("administrator")).unwrap(), "bob");
        assert_eq!(creds.password("hyperv", "bob", "h").unwrap().as_str(), "pw");
        let asked = fake.asked.borrow();
        assert_eq!(asked[0], (VIR_CRED_AUTHNAME, "Enter username for h [administrator]".into(), Some("h".into()), Some("administrator".into())));
        assert_eq!(asked[1], (VIR_CRED_NOECHOPROMPT, "Enter bob's password for h".into(), Some("h".into()), None));
    }

    #[test]
    fn callback_failures() {
        let err = |r: Result<String>| {
            let e = r.unwrap_err();
            (e.code, e.domain, e.message)
        };
        let creds = Credentials::with_file(None, None);
        assert_eq!(err(creds.username("s", "h", None)), (VIR_ERR_INVALID_ARG, VIR_FROM_AUTH, "invalid argument: Missing authentication credentials".into()));
        let fake = Fake::new(&[VIR_CRED_PASSPHRASE], &[]);
        let creds = Credentials::with_file(Some(&fake), None);
        assert_eq!(err(creds.username("s", "h", None)).2, "authentication failed: Missing VIR_CRED_AUTHNAME credential type");
        let fake = Fake::new(&[VIR_CRED_AUTHNAME], &[Err(CallbackFailed), Ok(None)]);
        let creds = Credentials::with_file(Some(&fake), None);
        assert_eq!(err(creds.username("s", "h", None)).2, "authentication failed: Username request failed");
        assert_eq!(err(creds.username("s", "h", None)).2, "authentication failed: Username request failed");
        assert_eq!(fake.asked.borrow()[0].1, "Enter username for h");
        assert_eq!(
            err(creds.password("s", "u", "h").map(|s| s.to_string())).2,
            "authentication failed: Missing VIR_CRED_PASSPHRASE or VIR_CRED_NOECHOPROMPT credential type"
        );
    }

    #[test]
    fn auth_file_before_callback() {
        let dir = std::env::temp_dir().join(format!("ferrovirt-auth-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("auth.conf");
        std::fs::write(&path, "[credentials-x]\nusername=fred\n[auth-hyperv-h]\ncredentials=x\n").unwrap();
        let fake = Fake::new(&[VIR_CRED_AUTHNAME, VIR_CRED_PASSPHRASE], &[Ok(Some("pw"))]);
        let creds = Credentials::with_file(Some(&fake), Some(path.clone()));
        assert_eq!(creds.username("hyperv", "h", Some("administrator")).unwrap(), "fred");
        assert_eq!(creds.password("hyperv", "fred", "h").unwrap().as_str(), "pw");
        assert_eq!(fake.asked.borrow().len(), 1);
        let missing = Credentials::with_file(Some(&fake), Some(dir.join("nonexistent")));
        let e = missing.username("hyperv", "h", None).unwrap_err();
        assert_eq!((e.code, e.domain), (VIR_ERR_SYSTEM_ERROR, VIR_FROM_AUTH));
        assert!(e.message.ends_with("nonexistent': No such file or directory"), "{}", e.message);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
