//! libvirt's error model in safe Rust: what went wrong (code), which part of the
//! library noticed (domain), and the message libvirt would print for it.
//!
//! libvirt raises errors in two shapes, and callers can tell them apart through
//! str1..int2 (the Python binding exposes them), so we keep both:
//! - a code's own wording plus a detail (`Error::new` and most constructors):
//!   message "Domain not found: <detail>", str1 = the template, str2 = the detail,
//!   int1 = int2 = -1;
//! - the public API's argument checks (`Error::null_arg` and the other `*_arg`
//!   constructors, `unsupported_flags`): VIR_ERR_INVALID_ARG with a message of its
//!   own, str1 = the function, str2 = the argument's name, int1 = int2 = 0.

use crate::abi::virterror::*;
use crate::core::messages;

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
    /// libvirt's wording for `code`, followed by `detail` when there is one:
    /// "Domain not found" or "Domain not found: no domain with matching name 'x'".
    pub fn new(code: i32, domain: i32, detail: Option<&str>) -> Error {
        // libvirt treats an empty detail as none.
        let detail = detail.filter(|d| !d.is_empty());
        Error {
            code,
            domain,
            level: VIR_ERR_ERROR,
            message: messages::format(code, detail),
            str1: messages::template(code, detail.is_some()).map(str::to_owned),
            str2: detail.map(str::to_owned),
            str3: None,
            int1: -1,
            int2: -1,
        }
    }

    pub fn with_detail(code: i32, domain: i32, detail: impl AsRef<str>) -> Error {
        Error::new(code, domain, Some(detail.as_ref()))
    }

    // --- interface/nodedev/secret/nwfilter ---
    /// What libvirt dispatches when a call failed without reporting why.
    pub fn unknown() -> Error {
        Error {
            code: VIR_ERR_INTERNAL_ERROR,
            domain: VIR_FROM_NONE,
            level: VIR_ERR_ERROR,
            message: "An error occurred, but the cause is unknown".to_owned(),
            str1: None,
            str2: None,
            str3: None,
            int1: 0,
            int2: 0,
        }
    }

    /// What libvirt says when the driver behind a connection lacks `function` (the
    /// public name, "virDomainGetHostname"). The guard puts it in the error domain
    /// of the function's header.
    pub fn no_support(function: &str) -> Error {
        Error::with_detail(VIR_ERR_NO_SUPPORT, VIR_FROM_NONE, function)
    }

    /// "invalid argument: <detail>", as drivers report semantic argument errors.
    pub fn invalid_arg(domain: i32, detail: impl AsRef<str>) -> Error {
        Error::with_detail(VIR_ERR_INVALID_ARG, domain, detail)
    }

    pub fn internal(domain: i32, detail: impl AsRef<str>) -> Error {
        Error::with_detail(VIR_ERR_INTERNAL_ERROR, domain, detail)
    }

    pub fn operation_invalid(domain: i32, detail: impl AsRef<str>) -> Error {
        Error::with_detail(VIR_ERR_OPERATION_INVALID, domain, detail)
    }

    /// A NULL, freed or foreign handle: `code` is the class's "invalid pointer" code
    /// (VIR_ERR_INVALID_CONN, ...), the detail the public function's name.
    pub fn invalid_handle(code: i32, domain: i32, function: &str) -> Error {
        Error::with_detail(code, domain, function)
    }

    /// "operation forbidden: read only access prevents <function>".
    pub fn read_only(domain: i32, function: &str) -> Error {
        Error::with_detail(VIR_ERR_OPERATION_DENIED, domain, format!("read only access prevents {function}"))
    }

    /// A failed system call: "<detail>: <strerror(errno)>", int1 = errno.
    pub fn system(domain: i32, errno: i32, detail: impl AsRef<str>) -> Error {
        let reason = std::io::Error::from_raw_os_error(errno).to_string();
        // std appends " (os error N)" to strerror's text; libvirt does not.
        let reason = reason.strip_suffix(&format!(" (os error {errno})")).unwrap_or(&reason);
        let mut error = Error::with_detail(VIR_ERR_SYSTEM_ERROR, domain, format!("{}: {}", detail.as_ref(), reason));
        error.int1 = errno;
        error
    }

    /// A public API argument check that failed: `message` stands alone (no
    /// "invalid argument:" prefix), str1 = `function`, str2 = `arg`.
    pub fn argument(domain: i32, function: &str, arg: &str, message: impl Into<String>) -> Error {
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

    /// "<arg> in <function> must not be NULL".
    pub fn null_arg(domain: i32, function: &str, arg: &str) -> Error {
        Error::argument(domain, function, arg, format!("{arg} in {function} must not be NULL"))
    }

    /// "<arg> in <function> must be NULL" (arguments reserved for future use).
    pub fn non_null_arg(domain: i32, function: &str, arg: &str) -> Error {
        Error::argument(domain, function, arg, format!("{arg} in {function} must be NULL"))
    }

    /// "string <arg> in <function> must not be empty".
    pub fn empty_string_arg(domain: i32, function: &str, arg: &str) -> Error {
        Error::argument(domain, function, arg, format!("string {arg} in {function} must not be empty"))
    }

    /// "<arg> in <function> must be greater than zero".
    pub fn positive_arg(domain: i32, function: &str, arg: &str) -> Error {
        Error::argument(domain, function, arg, format!("{arg} in {function} must be greater than zero"))
    }

    /// "<arg> in <function> must not be zero".
    pub fn non_zero_arg(domain: i32, function: &str, arg: &str) -> Error {
        Error::argument(domain, function, arg, format!("{arg} in {function} must not be zero"))
    }

    /// "<arg> in <function> must be zero".
    pub fn zero_arg(domain: i32, function: &str, arg: &str) -> Error {
        Error::argument(domain, function, arg, format!("{arg} in {function} must be zero"))
    }

    /// "<arg> in <function> must be zero or greater".
    pub fn non_negative_arg(domain: i32, function: &str, arg: &str) -> Error {
        Error::argument(domain, function, arg, format!("{arg} in {function} must be zero or greater"))
    }

    /// A driver's flags check: "unsupported flags (0x4d2) in function <function>",
    /// where libvirt names the driver's own function (testDomainDestroyFlags), and
    /// `unsupported` is only the bits the function does not know.
    pub fn unsupported_flags(domain: i32, function: &str, unsupported: u32) -> Error {
        Error::argument(domain, function, "flags", format!("unsupported flags (0x{unsupported:x}) in function {function}"))
    }

    /// The same error at warning level.
    pub fn warning(mut self) -> Error {
        self.level = VIR_ERR_WARNING;
        self
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detail_errors_carry_template_and_detail() {
        let e = Error::with_detail(VIR_ERR_INVALID_DOMAIN, VIR_FROM_DOM, "virDomainGetInfo");
        assert_eq!(e.message, "invalid domain pointer in virDomainGetInfo");
        assert_eq!(e.str1.as_deref(), Some("invalid domain pointer in %s"));
        assert_eq!(e.str2.as_deref(), Some("virDomainGetInfo"));
        assert_eq!((e.int1, e.int2, e.level), (-1, -1, VIR_ERR_ERROR));

        let e = Error::new(VIR_ERR_NO_DOMAIN, VIR_FROM_TEST, None);
        assert_eq!(e.message, "Domain not found");
        assert_eq!(e.str1.as_deref(), Some("Domain not found"));
        assert_eq!(e.str2, None);
        assert_eq!(Error::new(VIR_ERR_NO_DOMAIN, VIR_FROM_TEST, Some("")), e);
    }

    #[test]
    fn argument_checks_name_function_and_argument() {
        let e = Error::null_arg(VIR_FROM_DOMAIN, "virDomainLookupByName", "name");
        assert_eq!(e.message, "name in virDomainLookupByName must not be NULL");
        assert_eq!((e.str1.as_deref(), e.str2.as_deref()), (Some("virDomainLookupByName"), Some("name")));
        assert_eq!((e.int1, e.int2, e.code), (0, 0, VIR_ERR_INVALID_ARG));
        assert_eq!(
            Error::non_negative_arg(VIR_FROM_DOMAIN, "virDomainLookupByID", "id").message,
            "id in virDomainLookupByID must be zero or greater"
        );
        assert_eq!(
            Error::empty_string_arg(VIR_FROM_DOMAIN, "f", "path").message,
            "string path in f must not be empty"
        );
        let e = Error::unsupported_flags(VIR_FROM_TEST, "testDomainDestroyFlags", 1234);
        assert_eq!(e.message, "unsupported flags (0x4d2) in function testDomainDestroyFlags");
        assert_eq!(e.str2.as_deref(), Some("flags"));
    }

    #[test]
    fn read_only_and_system_errors() {
        let e = Error::read_only(VIR_FROM_DOMAIN, "virDomainDestroy");
        assert_eq!(e.message, "operation forbidden: read only access prevents virDomainDestroy");
        assert_eq!(e.code, VIR_ERR_OPERATION_DENIED);
        let e = Error::system(VIR_FROM_NONE, 2, "failed to open /x");
        assert_eq!(e.message, "failed to open /x: No such file or directory");
        assert_eq!((e.str1.as_deref(), e.int1, e.int2), (Some("%s"), 2, -1));
    }
}
