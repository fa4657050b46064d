//! libvirt's wording for each error code: the text a user sees before the detail.

use crate::abi::virterror::*;

/// The message template for `code`; with a detail it carries one `%s`.
pub fn template(code: i32, with_detail: bool) -> &'static str {
    let (plain, detailed) = match code {
        VIR_ERR_OK => ("", "%s"),
        VIR_ERR_INTERNAL_ERROR => ("internal error", "internal error: %s"),
        VIR_ERR_NO_MEMORY => ("out of memory", "out of memory: %s"),
        VIR_ERR_NO_SUPPORT => (
            "this function is not supported by the connection driver",
            "this function is not supported by the connection driver: %s",
        ),
        VIR_ERR_NO_CONNECT => ("no connection driver available", "no connection driver available for %s"),
        VIR_ERR_INVALID_CONN => ("invalid connection pointer in", "invalid connection pointer in %s"),
        VIR_ERR_INVALID_DOMAIN => ("invalid domain pointer in", "invalid domain pointer in %s"),
        VIR_ERR_INVALID_ARG => ("invalid argument", "invalid argument: %s"),
        VIR_ERR_XML_ERROR => ("XML description is invalid or not well formed", "XML error: %s"),
        VIR_ERR_OPERATION_DENIED => ("operation forbidden", "operation forbidden: %s"),
        VIR_ERR_NO_DOMAIN => ("Domain not found", "Domain not found: %s"),
        VIR_ERR_OPERATION_INVALID => ("Requested operation is not valid", "Requested operation is not valid: %s"),
        VIR_ERR_AUTH_FAILED => ("authentication failed", "authentication failed: %s"),
        VIR_ERR_CONF_SYNTAX => ("configuration file syntax error", "configuration file syntax error: %s"),
        VIR_ERR_CONFIG_UNSUPPORTED => ("unsupported configuration", "unsupported configuration: %s"),
        VIR_ERR_SYSTEM_ERROR => ("%s", "%s"),
        _ => ("unknown error", "unknown error: %s"),
    };
    if with_detail {
        detailed
    } else {
        plain
    }
}

/// The name libvirt gives an error domain in its default error output.
pub fn domain_name(domain: i32) -> &'static str {
    match domain {
        VIR_FROM_NONE => "",
        VIR_FROM_DOMAIN => "Domain Config",
        VIR_FROM_TEST => "Test Driver",
        VIR_FROM_HYPERV => "Hyper-V Driver",
        VIR_FROM_CONF => "Config File",
        VIR_FROM_AUTH => "Auth Utils",
        VIR_FROM_URI => "URI Utils",
        VIR_FROM_XML => "XML Util",
        VIR_FROM_STREAMS => "I/O Stream Utils",
        _ => "",
    }
}
