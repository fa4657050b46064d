//! Opening a connection: libvirt's URI rules for this driver, our extra URI
//! parameters, credentials in libvirt's order, and one request to the host.
//!
//! `hyperv://[user@]host[:port]/[?transport=http|https][&no_verify=1][&cacert=PATH][&timeout=SECONDS]`

use std::time::Duration;

use super::wsman::{Client, Config};
use crate::abi::host::VIR_CONNECT_RO;
use crate::abi::virterror::*;
use crate::auth::{Callback, Credentials};
use crate::core::{Error, Result};
use crate::driver::check_flags;
use crate::uri::Uri;

/// What the URI says about reaching the host.
#[derive(Debug, PartialEq, Eq)]
pub struct Target {
    pub host: String,
    pub port: u16,
    pub https: bool,
    pub no_verify: bool,
    pub cacert: Option<String>,
    /// The longest wait for one response.
    pub timeout: Option<Duration>,
}

fn bad_value(name: &str, value: &str, expected: &str) -> Error {
    Error::invalid_arg(
        VIR_FROM_HYPERV,
        format!("Query parameter '{name}' has unexpected value '{value}' (should be {expected})"),
    )
}

/// The checks libvirt's open makes, then the parameters.
pub fn target(uri: &Uri, flags: u32, has_callback: bool) -> Result<Target> {
    check_flags(VIR_FROM_HYPERV, "hypervConnectOpen", flags, VIR_CONNECT_RO as u32)?;
    let Some(host) = uri.server.clone().filter(|s| !s.is_empty()) else {
        return Err(Error::invalid_arg(VIR_FROM_HYPERV, "URI is missing the server part"));
    };
    if !has_callback {
        return Err(Error::invalid_arg(VIR_FROM_HYPERV, "Missing or invalid auth pointer"));
    }
    let mut target = Target { host, port: uri.port, https: true, no_verify: false, cacert: None, timeout: None };
    for (name, value) in uri.params() {
        match name.to_ascii_lowercase().as_str() {
            "transport" => {
                target.https = match value.as_str() {
                    "https" => true,
                    "http" => false,
                    _ => return Err(bad_value("transport", &value, "http|https")),
                }
            }
            "no_verify" => {
                target.no_verify = match value.as_str() {
                    "1" => true,
                    "0" => false,
                    _ => return Err(bad_value("no_verify", &value, "0 or 1")),
                }
            }
            "cacert" => target.cacert = Some(value),
            "timeout" => match value.parse::<u64>() {
                Ok(seconds) if seconds > 0 => target.timeout = Some(Duration::from_secs(seconds)),
                _ => return Err(bad_value("timeout", &value, "a number of seconds > 0")),
            },
            // libvirt logs and ignores what it does not know (authfile is auth.conf's).
            _ => {}
        }
    }
    if target.port == 0 {
        target.port = if target.https { 5986 } else { 5985 };
    }
    Ok(target)
}

/// The credentials, the client, and the OS version (the one request, which also
/// proves the credentials).
pub fn open(uri: &Uri, target: &Target, auth: Option<&dyn Callback>) -> Result<(Client, String)> {
    let credentials = Credentials::new(auth, uri);
    let user = match &uri.user {
        Some(user) => user.clone(),
        None => credentials.username("hyperv", &target.host, Some("administrator"))?,
    };
    let password = credentials.password("hyperv", &user, &target.host)?;
    let mut config = Config::new(&target.host, target.port, target.https, &user, password);
    config.no_verify = target.no_verify;
    config.cacert = target.cacert.as_ref().map(Into::into);
    if let Some(timeout) = target.timeout {
        config.read_timeout = timeout;
        config.connect_timeout = config.connect_timeout.min(timeout);
    }
    let client = Client::new(&config)?;
    let version = super::host::os_version(&client, &target.host)?;
    Ok((client, version))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Target> {
        target(&Uri::parse(s).unwrap(), 0, true)
    }

    #[test]
    fn libvirts_uri_rules() {
        let t = parse("hyperv://h/").unwrap();
        assert_eq!((t.port, t.https, t.no_verify), (5986, true, false));
        let t = parse("hyperv://u@h:9/?TRANSPORT=http&no_verify=1&cacert=/c.pem&timeout=5&x=y").unwrap();
        assert_eq!((t.host.as_str(), t.port, t.https, t.no_verify), ("h", 9, false, true));
        assert_eq!((t.cacert.as_deref(), t.timeout), (Some("/c.pem"), Some(Duration::from_secs(5))));
        assert_eq!(parse("hyperv://h/?transport=http").unwrap().port, 5985);
        let e = parse("hyperv://h/?transport=HTTP").unwrap_err();
        assert_eq!(
            e.message,
            "invalid argument: Query parameter 'transport' has unexpected value 'HTTP' (should be http|https)"
        );
        assert!(parse("hyperv://h/?timeout=0").is_err());
        assert_eq!(parse("hyperv:///").unwrap_err().message, "invalid argument: URI is missing the server part");
        let e = target(&Uri::parse("hyperv://h/").unwrap(), 0, false).unwrap_err();
        assert_eq!((e.code, e.domain), (VIR_ERR_INVALID_ARG, VIR_FROM_HYPERV));
        assert_eq!(e.message, "invalid argument: Missing or invalid auth pointer");
        assert!(target(&Uri::parse("hyperv://h/").unwrap(), 2, true).is_err());
    }
}
