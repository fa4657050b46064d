//! libvirt's error model in safe Rust: what went wrong (code), which part of the
//! library noticed (domain), and the message libvirt would print for it.

use crate::abi::virterror::*;

pub type Result<T> = std::result::Result<T, Error>;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub code: i32,
    pub domain: i32,
    pub level: i32,
    pub message: String,
    pub str1: Option<String>,
    pub str2: Option<String>,
    pub str3: Option<String>,
    pub int1: i32,
    pub int2: i32,
}

impl Error {
    /// An error whose message is libvirt's wording for `code`, followed by `detail`
    /// when there is one (libvirt's "Domain not found: no domain with matching name 'x'").
    pub fn new(code: i32, domain: i32, detail: Option<&str>) -> Error {
        let template = crate::core::messages::template(code, detail.is_some());
        let message = match detail {
            Some(detail) => template.replacen("%s", detail, 1),
            None => template.to_owned(),
        };
        Error {
            code,
            domain,
            level: VIR_ERR_ERROR,
            message,
            str1: Some(template.to_owned()),
            str2: detail.map(str::to_owned),
            str3: None,
            int1: -1,
            int2: -1,
        }
    }

    pub fn with_detail(code: i32, domain: i32, detail: impl AsRef<str>) -> Error {
        Error::new(code, domain, Some(detail.as_ref()))
    }

    /// What libvirt says when the driver behind a connection lacks `function`.
    pub fn no_support(function: &str) -> Error {
        Error::with_detail(VIR_ERR_NO_SUPPORT, VIR_FROM_NONE, function)
    }

    pub fn invalid_arg(domain: i32, detail: impl AsRef<str>) -> Error {
        Error::with_detail(VIR_ERR_INVALID_ARG, domain, detail)
    }

    pub fn internal(domain: i32, detail: impl AsRef<str>) -> Error {
        Error::with_detail(VIR_ERR_INTERNAL_ERROR, domain, detail)
    }

    pub fn operation_invalid(domain: i32, detail: impl AsRef<str>) -> Error {
        Error::with_detail(VIR_ERR_OPERATION_INVALID, domain, detail)
    }

    /// A bad argument as libvirt's argument checks report it (NULL pointer, negative
    /// count, unknown flags): the message is the bare text, with no "invalid
    /// argument" prefix; str1 names the checking function, str2 the argument.
    pub fn bad_arg(domain: i32, function: &str, arg: &str, message: impl Into<String>) -> Error {
        Error {
            code: VIR_ERR_INVALID_ARG,
            domain,
            level: VIR_ERR_ERROR,
            message: message.into(),
            str1: Some(function.to_owned()),
            str2: Some(arg.to_owned()),
            str3: None,
            int1: 0,
            int2: 0,
        }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}
