//! libvirt's debug log, configured as libvirt reads it from the environment on
//! first use:
//! - LIBVIRT_DEBUG: the default priority, 1..4 or debug/info/warning/error;
//! - LIBVIRT_LOG_FILTERS: "PRIO:MATCH ..." giving sources whose name matches MATCH
//!   (a glob, implicitly surrounded by `*`) their own priority; the first match wins;
//! - LIBVIRT_LOG_OUTPUTS: "PRIO:stderr", "PRIO:file:PATH", "PRIO:syslog:NAME",
//!   "PRIO:journald" (we accept the last two and write nothing to them).
//!
//! A message is written when its priority reaches its source's (the filter's, else
//! the default); each output then takes it when it reaches the output's own. With no
//! output configured, messages go to stderr, except errors, which libvirt logs only
//! to outputs asked for explicitly. Lines look like libvirt's:
//! `2024-01-01 12:00:00.000+0000: 1234: debug : virConnectOpen:45 : name=test:///default`.
//!
//! An invalid setting disables logging and makes virInitialize, virConnectOpen* and
//! virGetVersion fail with libvirt's error for it (`init_error`).
//!
//! The state is read once; when nothing is enabled a call costs one atomic load.

use crate::abi::virterror::*;
use crate::core::Error;
use once_cell::sync::Lazy;
use parking_lot::Mutex;
use std::io::Write;
use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

pub const DEBUG: u8 = 1;
pub const INFO: u8 = 2;
pub const WARNING: u8 = 3;
pub const ERROR: u8 = 4;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filter {
    pub priority: u8,
    pub pattern: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Destination {
    Stderr,
    File(PathBuf),
    Syslog(String),
    Journald,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputSpec {
    pub priority: u8,
    pub destination: Destination,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    pub default_priority: u8,
    pub filters: Vec<Filter>,
    pub outputs: Vec<OutputSpec>,
}

impl Config {
    /// The configuration from the three variables' values; unset and empty values
    /// are ignored, as libvirt ignores them.
    pub fn parse(debug: Option<&str>, filters: Option<&str>, outputs: Option<&str>) -> Result<Config, Error> {
        fn set(v: Option<&str>) -> Option<&str> {
            v.filter(|v| !v.is_empty())
        }
        Ok(Config {
            default_priority: set(debug).map(parse_priority).transpose()?.unwrap_or(WARNING),
            filters: set(filters).map(parse_filters).transpose()?.unwrap_or_default(),
            outputs: set(outputs).map(parse_outputs).transpose()?.unwrap_or_default(),
        })
    }

    /// The priority a message from `source` needs to be written.
    pub fn threshold(&self, source: &str) -> u8 {
        self.filters
            .iter()
            .find(|f| glob(&f.pattern, source))
            .map_or(self.default_priority, |f| f.priority)
    }
}

fn bad(detail: String) -> Error {
    Error::invalid_arg(VIR_FROM_NONE, detail)
}

/// LIBVIRT_DEBUG's value.
pub fn parse_priority(value: &str) -> Result<u8, Error> {
    match value {
        "1" | "debug" => Ok(DEBUG),
        "2" | "info" => Ok(INFO),
        "3" | "warning" => Ok(WARNING),
        "4" | "error" => Ok(ERROR),
        _ => Err(bad(format!("Failed to set logging priority, argument '{value}' is invalid"))),
    }
}

/// A filter's or output's priority: a number from 1 to 4.
fn number(value: &str) -> Option<u8> {
    value.parse::<u8>().ok().filter(|p| (DEBUG..=ERROR).contains(p))
}

/// LIBVIRT_LOG_FILTERS' value: filters separated by whitespace.
pub fn parse_filters(value: &str) -> Result<Vec<Filter>, Error> {
    value
        .split_whitespace()
        .map(|filter| {
            let (priority, pattern) = filter.split_once(':').ok_or_else(|| bad(format!("Malformed format for filter '{filter}'")))?;
            // A leading '+' once asked for stack traces; libvirt still accepts it.
            let priority = priority.strip_prefix('+').unwrap_or(priority);
            let priority = number(priority).ok_or_else(|| bad(format!("Invalid priority '{priority}' for filter '{filter}'")))?;
            if pattern.is_empty() {
                return Err(bad(format!("Invalid match string '{pattern}'")));
            }
            Ok(Filter { priority, pattern: pattern.to_owned() })
        })
        .collect()
}

/// LIBVIRT_LOG_OUTPUTS' value: outputs separated by whitespace; a repeated
/// destination counts once.
pub fn parse_outputs(value: &str) -> Result<Vec<OutputSpec>, Error> {
    let mut outputs: Vec<OutputSpec> = Vec::new();
    for output in value.split_whitespace() {
        let mut parts = output.splitn(3, ':');
        let (Some(priority), Some(kind)) = (parts.next(), parts.next()) else {
            return Err(bad(format!("Malformed format for log output '{output}'")));
        };
        let name = parts.next();
        let priority = number(priority).ok_or_else(|| bad(format!("Invalid log priority '{priority}' for log output '{output}'")))?;
        let malformed = || bad(format!("Log output '{output}' does not meet the format requirements for destination type '{kind}'"));
        let destination = match (kind, name) {
            ("stderr", None) => Destination::Stderr,
            ("journald", None) => Destination::Journald,
            ("file", Some(path)) => Destination::File(PathBuf::from(path)),
            ("syslog", Some(ident)) => Destination::Syslog(ident.to_owned()),
            ("stderr" | "journald" | "file" | "syslog", _) => return Err(malformed()),
            _ => return Err(bad(format!("Invalid log destination '{kind}' for log output '{output}'"))),
        };
        if !outputs.iter().any(|o| o.destination == destination) {
            outputs.push(OutputSpec { priority, destination });
        }
    }
    Ok(outputs)
}

/// GLib's simple pattern match (`*` any run, `?` one character), with the pattern
/// implicitly surrounded by `*` as libvirt makes its filters substring matches.
pub fn glob(pattern: &str, text: &str) -> bool {
    fn matches(p: &[char], t: &[char]) -> bool {
        match p.split_first() {
            None => t.is_empty(),
            Some(('*', rest)) => (0..=t.len()).any(|skip| matches(rest, &t[skip..])),
            Some(('?', rest)) => !t.is_empty() && matches(rest, &t[1..]),
            Some((c, rest)) => t.first() == Some(c) && matches(rest, &t[1..]),
        }
    }
    let pattern: Vec<char> = format!("*{pattern}*").chars().collect();
    let text: Vec<char> = text.chars().collect();
    matches(&pattern, &text)
}

enum Sink {
    Stderr,
    File(std::fs::File),
    Nowhere,
}

struct Output {
    priority: u8,
    sink: Mutex<(Sink, bool)>,
}

struct State {
    config: Config,
    /// Nothing below this priority can be written (the fast path).
    lowest: u8,
    explicit: bool,
    outputs: Vec<Output>,
    init_error: Option<Error>,
}

static STATE: Lazy<State> = Lazy::new(|| {
    let var = |name| std::env::var(name).ok();
    let setup = Config::parse(
        var("LIBVIRT_DEBUG").as_deref(),
        var("LIBVIRT_LOG_FILTERS").as_deref(),
        var("LIBVIRT_LOG_OUTPUTS").as_deref(),
    )
    .and_then(|config| {
        let outputs = config.outputs.iter().map(open).collect::<Result<Vec<_>, _>>()?;
        Ok((config, outputs))
    });
    match setup {
        Ok((config, outputs)) => State {
            lowest: config.filters.iter().map(|f| f.priority).fold(config.default_priority, u8::min),
            explicit: !outputs.is_empty(),
            outputs: if outputs.is_empty() { vec![output(DEBUG, Sink::Stderr)] } else { outputs },
            config,
            init_error: None,
        },
        Err(error) => State {
            config: Config { default_priority: ERROR, filters: Vec::new(), outputs: Vec::new() },
            lowest: u8::MAX,
            explicit: false,
            outputs: Vec::new(),
            init_error: Some(error),
        },
    }
});

fn output(priority: u8, sink: Sink) -> Output {
    Output { priority, sink: Mutex::new((sink, false)) }
}

fn open(spec: &OutputSpec) -> Result<Output, Error> {
    let sink = match &spec.destination {
        Destination::Stderr => Sink::Stderr,
        Destination::File(path) => {
            let path = std::env::current_dir().map(|cwd| cwd.join(path)).unwrap_or_else(|_| path.clone());
            let file = std::fs::OpenOptions::new().create(true).append(true).open(&path).map_err(|e| {
                Error::system(VIR_FROM_NONE, e.raw_os_error().unwrap_or(0), format!("failed to open {}", path.display()))
            })?;
            Sink::File(file)
        }
        Destination::Syslog(_) | Destination::Journald => Sink::Nowhere,
    };
    Ok(output(spec.priority, sink))
}

/// The error libvirt's initialisation fails with for the logging settings, if any.
pub fn init_error() -> Option<Error> {
    STATE.init_error.clone()
}

/// The libvirt source file a header's calls live in, by its error domain.
fn source(from: i32) -> &'static str {
    match from {
        VIR_FROM_DOMAIN => "libvirt.domain",
        VIR_FROM_NETWORK => "libvirt.network",
        VIR_FROM_STORAGE => "libvirt.storage",
        VIR_FROM_NODEDEV => "libvirt.nodedev",
        VIR_FROM_SECRET => "libvirt.secret",
        VIR_FROM_INTERFACE => "libvirt.interface",
        VIR_FROM_NWFILTER => "libvirt.nwfilter",
        VIR_FROM_STREAMS => "libvirt.stream",
        VIR_FROM_DOMAIN_SNAPSHOT => "libvirt.domain-snapshot",
        VIR_FROM_DOMAIN_CHECKPOINT => "libvirt.domain-checkpoint",
        VIR_FROM_QEMU => "libvirt.qemu",
        VIR_FROM_LXC => "libvirt.lxc",
        _ => "libvirt",
    }
}

/// One debug line per public call: `args` formats its arguments as libvirt does
/// ("conn=0x55d0c3a4e2a0, name=test") and runs only when the line is written.
/// It must never include secrets: for credentials, auth structures and anything a
/// password may be in, print the pointer (`auth=0x...`), never what it points to.
pub fn api_call(from: i32, function: &str, line: u32, args: impl FnOnce() -> String) {
    if DEBUG >= STATE.lowest {
        write(source(from), DEBUG, function, line, args);
    }
}

/// An error being raised in `function`, logged as libvirt logs errors: only to
/// outputs configured explicitly, at the error's level.
pub fn error(function: &str, line: u32, error: &Error) {
    let priority = match error.level {
        VIR_ERR_WARNING => WARNING,
        VIR_ERR_NONE => INFO,
        _ => ERROR,
    };
    if priority >= STATE.lowest && STATE.explicit {
        write("util.error", priority, function, line, || error.message.clone());
    }
}

/// A warning libvirt logs (VIR_WARN) from its source file `source` ("util.event").
pub fn warning(source: &str, function: &str, line: u32, message: impl FnOnce() -> String) {
    if WARNING >= STATE.lowest {
        write(source, WARNING, function, line, message);
    }
}

/// A panic caught by the call guard: Rust's report, for whoever debugs it.
pub fn panic(report: &str) {
    if DEBUG >= STATE.lowest {
        write("libvirt", DEBUG, "panic", 0, || report.to_owned());
    }
}

fn write(source: &str, priority: u8, function: &str, line: u32, message: impl FnOnce() -> String) {
    let state = &*STATE;
    if priority < state.config.threshold(source) {
        return;
    }
    let (stamp, tid) = (timestamp(SystemTime::now()), thread_id());
    let text = format!("{stamp}: {tid}: {} : {function}:{line} : {}\n", name(priority), message());
    for output in state.outputs.iter().filter(|o| priority >= o.priority) {
        let mut sink = output.sink.lock();
        let (sink, started) = &mut *sink;
        let mut lines = String::new();
        if !*started {
            // libvirt opens every output with who wrote it and where.
            *started = true;
            lines.push_str(&format!(
                "{stamp}: {tid}: info : libvirt version: 9.0.0, package: ferrovirt {}\n",
                env!("CARGO_PKG_VERSION")
            ));
            lines.push_str(&format!("{stamp}: {tid}: info : hostname: {}\n", hostname()));
        }
        lines.push_str(&text);
        // A log that cannot be written is not worth failing the call for.
        let _ = match sink {
            Sink::Stderr => std::io::stderr().write_all(lines.as_bytes()),
            Sink::File(file) => file.write_all(lines.as_bytes()),
            Sink::Nowhere => Ok(()),
        };
    }
}

fn name(priority: u8) -> &'static str {
    match priority {
        DEBUG => "debug",
        INFO => "info",
        WARNING => "warning",
        _ => "error",
    }
}

/// libvirt's log timestamp, always UTC: "2024-01-31 23:59:59.123+0000".
pub fn timestamp(now: SystemTime) -> String {
    let since = now.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = since.as_secs();
    let (days, rest) = ((secs / 86400) as i64, secs % 86400);
    // Howard Hinnant's days-to-civil-date algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}.{:03}+0000",
        rest / 3600,
        rest / 60 % 60,
        rest % 60,
        since.subsec_millis()
    )
}

/// The kernel's id of the calling thread, as libvirt prints it.
fn thread_id() -> u64 {
    thread_local! {
        static TID: u64 = std::fs::read_link("/proc/thread-self")
            .ok()
            .and_then(|p| p.file_name()?.to_str()?.parse().ok())
            .unwrap_or_else(|| u64::from(std::process::id()));
    }
    TID.with(|t| *t)
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname").map(|h| h.trim().to_owned()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn priorities() {
        assert_eq!(parse_priority("1"), Ok(DEBUG));
        assert_eq!(parse_priority("warning"), Ok(WARNING));
        assert_eq!(parse_priority("error"), Ok(ERROR));
        for bad in ["0", "5", "warn", "DEBUG", " 1"] {
            let e = parse_priority(bad).unwrap_err();
            assert_eq!(e.message, format!("invalid argument: Failed to set logging priority, argument '{bad}' is invalid"));
        }
    }

    #[test]
    fn filters() {
        assert_eq!(
            parse_filters("  1:libvirt.domain +3:util  4:a:b ").unwrap(),
            vec![
                Filter { priority: 1, pattern: "libvirt.domain".into() },
                Filter { priority: 3, pattern: "util".into() },
                Filter { priority: 4, pattern: "a:b".into() },
            ]
        );
        let msg = |v| parse_filters(v).unwrap_err().message;
        assert_eq!(msg("libvirt"), "invalid argument: Malformed format for filter 'libvirt'");
        assert_eq!(msg("5:x"), "invalid argument: Invalid priority '5' for filter '5:x'");
        assert_eq!(msg("1:"), "invalid argument: Invalid match string ''");
    }

    #[test]
    fn outputs() {
        assert_eq!(
            parse_outputs("1:stderr 3:file:/tmp/a:b 1:stderr 2:journald").unwrap(),
            vec![
                OutputSpec { priority: 1, destination: Destination::Stderr },
                OutputSpec { priority: 3, destination: Destination::File("/tmp/a:b".into()) },
                OutputSpec { priority: 2, destination: Destination::Journald },
            ]
        );
        let msg = |v| parse_outputs(v).unwrap_err().message;
        assert_eq!(msg("stderr"), "invalid argument: Malformed format for log output 'stderr'");
        assert_eq!(msg("debug:stderr"), "invalid argument: Invalid log priority 'debug' for log output 'debug:stderr'");
        assert_eq!(msg("1:bar"), "invalid argument: Invalid log destination 'bar' for log output '1:bar'");
        assert_eq!(
            msg("1:file"),
            "invalid argument: Log output '1:file' does not meet the format requirements for destination type 'file'"
        );
        assert_eq!(
            msg("1:stderr:x"),
            "invalid argument: Log output '1:stderr:x' does not meet the format requirements for destination type 'stderr'"
        );
    }

    #[test]
    fn config_and_thresholds() {
        let c = Config::parse(Some(""), Some("1:lib*domain 4:libvirt"), None).unwrap();
        assert_eq!(c.default_priority, WARNING);
        assert_eq!(c.threshold("libvirt.domain"), DEBUG);
        assert_eq!(c.threshold("libvirt.network"), ERROR);
        assert_eq!(c.threshold("util.error"), WARNING);
        assert!(Config::parse(Some("x"), None, None).is_err());
    }

    #[test]
    fn globs() {
        assert!(glob("domain", "libvirt.domain"));
        assert!(glob("lib*main", "libvirt.domain"));
        assert!(glob("l?bvirt", "libvirt"));
        assert!(!glob("network", "libvirt.domain"));
    }

    #[test]
    fn timestamps() {
        let t = UNIX_EPOCH + std::time::Duration::from_millis(951_782_400_123);
        assert_eq!(timestamp(t), "2000-02-29 00:00:00.123+0000");
        let t = UNIX_EPOCH + std::time::Duration::from_millis(1_706_745_599_999);
        assert_eq!(timestamp(t), "2024-01-31 23:59:59.999+0000");
    }
}
