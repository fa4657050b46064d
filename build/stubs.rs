//! Everything the symbol table abi/symbols.tsv decides, generated from it alone:
//!
//! - `unsupported.rs`: an exported stub for every function of libvirt.so.0 that no
//!   file of src/api exports by hand. It checks its first handle argument, then
//!   makes the checks of the table's `checks` column (see [`check_code`]) in their
//!   order, and fails with VIR_ERR_NO_SUPPORT, as libvirt does for a driver lacking
//!   the call. The qemu/lxc functions live in libvirt.so.0 too, under private names.
//! - `qemu.rs`, `lxc.rs`: the real-name functions of libvirt-qemu.so.0 and
//!   libvirt-lxc.so.0, which forward to those private names; `*-forward.rs` make
//!   them a `no_std` crate that the Makefile compiles to an object file.
//! - `libvirt.map`, `libvirt-qemu.map`, `libvirt-lxc.map`: the linker version scripts.
//!
//! The link inputs are also copied to target/<profile>/ferrovirt-link/, where the
//! Makefile finds them.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// The generated Rust sources that declare exported functions with their real
/// libvirt names, one per library (cbindgen reads them for the headers).
pub struct Generated {
    pub libvirt: PathBuf,
    pub qemu: PathBuf,
    pub lxc: PathBuf,
}

/// The version node of libvirt.so.0 that carries the qemu/lxc implementations.
const PRIVATE_NODE: &str = "FERROVIRT_PRIVATE_9.0.0";
const PRIVATE_PREFIX: &str = "ferrovirt_private_";

/// Handle classes: the C pointer type, the Rust type a live one resolves to
/// (None for the connection itself), and libvirt's error for a bad one.
const HANDLES: &[(&str, Option<&str>, &str)] = &[
    ("virConnectPtr", None, "VIR_ERR_INVALID_CONN"),
    ("virDomainPtr", Some("crate::core::Domain"), "VIR_ERR_INVALID_DOMAIN"),
    ("virNetworkPtr", Some("crate::core::connect::Network"), "VIR_ERR_INVALID_NETWORK"),
    ("virNetworkPortPtr", Some("crate::core::connect::NetworkPort"), "VIR_ERR_INVALID_NETWORK_PORT"),
    ("virInterfacePtr", Some("crate::core::connect::Interface"), "VIR_ERR_INVALID_INTERFACE"),
    ("virStoragePoolPtr", Some("crate::core::connect::StoragePool"), "VIR_ERR_INVALID_STORAGE_POOL"),
    ("virStorageVolPtr", Some("crate::core::connect::StorageVol"), "VIR_ERR_INVALID_STORAGE_VOL"),
    ("virNodeDevicePtr", Some("crate::core::connect::NodeDevice"), "VIR_ERR_INVALID_NODE_DEVICE"),
    ("virSecretPtr", Some("crate::core::connect::Secret"), "VIR_ERR_INVALID_SECRET"),
    ("virNWFilterPtr", Some("crate::core::connect::NWFilter"), "VIR_ERR_INVALID_NWFILTER"),
    ("virNWFilterBindingPtr", Some("crate::core::connect::NWFilterBinding"), "VIR_ERR_INVALID_NWFILTER_BINDING"),
    ("virStreamPtr", Some("crate::core::connect::Stream"), "VIR_ERR_INVALID_STREAM"),
    ("virDomainSnapshotPtr", Some("crate::core::connect::DomainSnapshot"), "VIR_ERR_INVALID_DOMAIN_SNAPSHOT"),
    ("virDomainCheckpointPtr", Some("crate::core::connect::DomainCheckpoint"), "VIR_ERR_INVALID_DOMAIN_CHECKPOINT"),
];

/// One row of abi/symbols.tsv.
struct Symbol {
    library: String,
    name: String,
    node: String,
    is_function: bool,
    ret: String,
    args: Vec<(String, String)>,
    error_domain: String,
    /// What libvirt's entry point checks after the first handle, in its order.
    checks: Vec<String>,
}

pub fn generate(out_dir: &Path) -> Generated {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    for watched in ["abi/symbols.tsv", "src/api", "src/abi"] {
        println!("cargo:rerun-if-changed={}", root.join(watched).display());
    }
    let table = read_table(&root.join("abi/symbols.tsv"));
    let by_hand = exported_by_hand(&root.join("src/api"));
    let defined = defined_types(&root.join("src/abi"));

    let write = |name: &str, text: String| {
        let path = out_dir.join(name);
        fs::write(&path, text).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
        path
    };
    let generated = Generated {
        libvirt: write("unsupported.rs", stubs(&table, &by_hand, &defined)),
        qemu: write("qemu.rs", forwarders(&table, "libvirt-qemu")),
        lxc: write("lxc.rs", forwarders(&table, "libvirt-lxc")),
    };
    let mut link_inputs = vec![
        write("libvirt.map", version_script(&table, "libvirt")),
        write("libvirt-qemu.map", version_script(&table, "libvirt-qemu")),
        write("libvirt-lxc.map", version_script(&table, "libvirt-lxc")),
        write("qemu-forward.rs", forwarder_crate(&table, "libvirt-qemu", "qemu.rs")),
        write("lxc-forward.rs", forwarder_crate(&table, "libvirt-lxc", "lxc.rs")),
    ];
    link_inputs.extend([generated.qemu.clone(), generated.lxc.clone()]);

    // OUT_DIR is target/[<triple>/]<profile>/build/<pkg>-<hash>/out.
    let profile_dir = out_dir.ancestors().nth(3).expect("OUT_DIR is inside the target dir");
    let link_dir = profile_dir.join("ferrovirt-link");
    fs::create_dir_all(&link_dir).expect("create ferrovirt-link");
    for input in link_inputs {
        fs::copy(&input, link_dir.join(input.file_name().expect("a file"))).expect("copy link input");
    }
    generated
}

fn read_table(path: &Path) -> Vec<Symbol> {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("a header line").split('\t').collect();
    let column = |name: &str| header.iter().position(|h| *h == name).unwrap_or_else(|| panic!("no column {name}"));
    let (library, symbol, node, kind) = (column("library"), column("symbol"), column("version_node"), column("kind"));
    let (ret, args, error_domain) = (column("return_type"), column("args"), column("error_domain"));
    let checks = column("checks");
    lines
        .filter(|line| !line.is_empty())
        .map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            Symbol {
                library: f[library].to_owned(),
                name: f[symbol].to_owned(),
                node: f[node].to_owned(),
                is_function: f[kind] == "func",
                ret: f[ret].to_owned(),
                args: parse_args(f[args]),
                error_domain: f[error_domain].to_owned(),
                checks: f[checks].split_whitespace().map(str::to_owned).collect(),
            }
        })
        .collect()
}

impl Symbol {
    /// The libvirt types (handles, structs, callbacks) its signature names.
    fn named_types(&self) -> impl Iterator<Item = String> + '_ {
        let ret = Some(self.ret.as_str()).filter(|r| *r != "void");
        self.args.iter().map(|(t, _)| t.as_str()).chain(ret).filter_map(|ctype| rust_type(ctype).1)
    }
}

/// "virConnectPtr conn, const char * name" -> [("virConnectPtr", "conn"), ("const char *", "name")]
fn parse_args(args: &str) -> Vec<(String, String)> {
    if args.trim().is_empty() {
        return Vec::new();
    }
    args.split(", ")
        .map(|arg| {
            let (ctype, name) = arg.rsplit_once(' ').unwrap_or_else(|| panic!("argument without a name: {arg}"));
            (ctype.trim().to_owned(), name.to_owned())
        })
        .collect()
}

/// Names of the functions some file of src/api exports itself (`extern "C" fn NAME`).
fn exported_by_hand(api_dir: &Path) -> Vec<String> {
    let mut names = Vec::new();
    for path in rust_files(api_dir) {
        let text = fs::read_to_string(&path).expect("read src/api");
        for piece in text.split("extern \"C\" fn ").skip(1) {
            let name: String = piece.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            names.push(name.strip_prefix(PRIVATE_PREFIX).unwrap_or(&name).to_owned());
        }
    }
    names
}

/// Type names src/abi defines (`pub type X`, `pub struct X`, ...), with their module.
fn defined_types(abi_dir: &Path) -> BTreeMap<String, String> {
    let mut types = BTreeMap::new();
    for path in rust_files(abi_dir) {
        let module = path.file_stem().expect("a file name").to_string_lossy().into_owned();
        let text = fs::read_to_string(&path).expect("read src/abi");
        for line in text.lines() {
            let line = line.trim_start();
            for keyword in ["pub type ", "pub struct ", "pub enum ", "pub union "] {
                if let Some(rest) = line.strip_prefix(keyword) {
                    let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                    types.entry(name).or_insert_with(|| module.clone());
                }
            }
        }
    }
    types
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).unwrap_or_else(|e| panic!("read {}: {e}", dir.display())) {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// A C type as the table spells it ("const char *", "virDomainPtr **",
/// "char ** const") in Rust, and the named (non-primitive) type it uses, if any.
fn rust_type(ctype: &str) -> (String, Option<String>) {
    let stars = ctype.matches('*').count();
    let base = ctype.split('*').next().expect("a base type").trim();
    let (pointee_const, base) = match base.strip_prefix("const ") {
        Some(base) => (true, base),
        None => (false, base),
    };
    let (mut rust, named) = match base {
        "void" if stars > 0 => ("c_void".to_owned(), None),
        "int" => ("c_int".to_owned(), None),
        "unsigned int" => ("c_uint".to_owned(), None),
        "char" => ("c_char".to_owned(), None),
        "unsigned char" => ("c_uchar".to_owned(), None),
        "long long" => ("c_longlong".to_owned(), None),
        "unsigned long" => ("c_ulong".to_owned(), None),
        "unsigned long long" => ("c_ulonglong".to_owned(), None),
        "double" => ("c_double".to_owned(), None),
        "size_t" => ("libc::size_t".to_owned(), None),
        name if name.starts_with("vir") && !name.contains(' ') => (name.to_owned(), Some(name.to_owned())),
        other => panic!("C type without a Rust mapping: {other}"),
    };
    for level in 0..stars {
        let qualifier = if level == 0 && pointee_const { "*const " } else { "*mut " };
        rust = format!("{qualifier}{rust}");
    }
    (rust, named)
}

fn is_handle(ctype: &str) -> bool {
    HANDLES.iter().any(|(name, _, _)| *name == ctype)
}

fn rust_arg_name(name: &str) -> String {
    if name == "type" {
        "r#type".to_owned()
    } else {
        name.to_owned()
    }
}

fn signature(symbol: &Symbol, exported_name: &str) -> String {
    let params: Vec<String> =
        symbol.args.iter().map(|(ctype, name)| format!("{}: {}", rust_arg_name(name), rust_type(ctype).0)).collect();
    let ret = match symbol.ret.as_str() {
        "void" => String::new(),
        ret => format!(" -> {}", rust_type(ret).0),
    };
    format!("pub unsafe extern \"C\" fn {exported_name}({}){ret}", params.join(", "))
}

/// The debug-log rendering of the arguments, libvirt's way: `conn=0x..., flags=0x0`.
fn args_format(symbol: &Symbol) -> String {
    let mut pattern = Vec::new();
    let mut values = Vec::new();
    for (ctype, name) in &symbol.args {
        let (rust, named) = rust_type(ctype);
        // Strings show as text, except secrets, which never reach the log.
        if rust == "*const c_char" && name != "password" {
            pattern.push(format!("{name}={{:?}}"));
            values.push(format!("super::strings::debug_str({})", rust_arg_name(name)));
            continue;
        }
        let spec = if rust.starts_with('*') || named.as_deref().is_some_and(|n| n.ends_with("Ptr")) {
            "{:p}"
        } else if named.is_some() {
            "{:?}" // a callback: Option<fn>
        } else if name == "flags" {
            "0x{:x}"
        } else {
            "{}"
        };
        pattern.push(format!("{name}={spec}"));
        values.push(rust_arg_name(name));
    }
    if values.is_empty() {
        "String::new".to_owned()
    } else {
        format!("|| format!(\"{}\", {})", pattern.join(", "), values.join(", "))
    }
}

/// The code of one check of the `checks` column, which records what libvirt 9.0's
/// entry point checks between the first handle and the driver (learnt by running
/// it, and from its sources):
///
/// - `readonly`: a read-only connection is refused (VIR_ERR_OPERATION_DENIED);
///   `readonly-if:ARG&MASK` / `readonly-if:ARG=VALUE`: only when ARG has a bit of
///   MASK set / equals VALUE;
/// - `secure-if:ARG&MASK`: a read-only connection is refused "FUNC with secure
///   flag" when ARG has a bit of MASK set (the XML getters' secret parts);
/// - `nonnull:ARG`, `nonempty:ARG`, `nonzero:ARG`, `positive:ARG`: the argument
///   checks, with libvirt's messages;
/// - `handle:ARG`: a second handle argument must be live (a stream, a volume).
fn check_code(symbol: &Symbol, check: &str) -> String {
    let (kind, what) = check.split_once(':').unwrap_or((check, ""));
    let arg = |name: &str| {
        let (ctype, _) = symbol
            .args
            .iter()
            .find(|(_, n)| n == name)
            .unwrap_or_else(|| panic!("{}: check {check} names no argument", symbol.name));
        (rust_arg_name(name), ctype.as_str())
    };
    // "flags&0x9" -> "flags & 0x9 != 0", "source=1" -> "source == 1"
    let condition = || match what.split_once('&') {
        Some((name, mask)) => format!("{} & {mask} != 0", arg(name).0),
        None => {
            let (name, value) = what.split_once('=').unwrap_or_else(|| panic!("{}: bad check {check}", symbol.name));
            format!("{} == {value}", arg(name).0)
        }
    };
    match kind {
        "readonly" => "        call.writable()?;\n".to_owned(),
        "readonly-if" => format!("        if {} {{\n            call.writable()?;\n        }}\n", condition()),
        "secure-if" => format!("        if {} {{\n            call.secure()?;\n        }}\n", condition()),
        "nonnull" => {
            let (name, ctype) = arg(what);
            // Callbacks are Option<fn>; everything else is a raw pointer.
            let test = if rust_type(ctype).0.starts_with('*') || ctype.ends_with("Ptr") { "is_null" } else { "is_none" };
            format!("        if {name}.{test}() {{\n            return Err(call.null_arg(\"{what}\"));\n        }}\n")
        }
        "nonempty" => format!("        call.non_empty_string({}, \"{what}\")?;\n", arg(what).0),
        "nonzero" => format!("        call.non_zero(\"{what}\", {} as u64)?;\n", arg(what).0),
        "positive" => format!("        call.positive(\"{what}\", {} as i64)?;\n", arg(what).0),
        "handle" => {
            let (name, ctype) = arg(what);
            let rust = match HANDLES.iter().find(|(c, _, _)| *c == ctype) {
                Some((_, Some(rust), _)) => *rust,
                Some((_, None, _)) => "crate::core::Connect",
                None => panic!("{}: check {check} names no handle", symbol.name),
            };
            format!("        call.handle::<{rust}, _>({name})?;\n")
        }
        _ => panic!("{}: unknown check {check}", symbol.name),
    }
}

fn stubs(table: &[Symbol], by_hand: &[String], defined: &BTreeMap<String, String>) -> String {
    let mut out = String::from(
        "// Generated by build/stubs.rs from abi/symbols.tsv: one stub per function no file of\n\
         // src/api exports by hand.\n\n",
    );
    let mut named_types = BTreeSet::new();
    let mut body = String::new();
    for symbol in table.iter().filter(|s| s.is_function && !by_hand.contains(&s.name)) {
        let exported = match symbol.library.as_str() {
            "libvirt" => symbol.name.clone(),
            _ => format!("{PRIVATE_PREFIX}{}", symbol.name),
        };
        named_types.extend(symbol.named_types());
        let check = symbol
            .args
            .iter()
            .find(|(ctype, _)| is_handle(ctype))
            .map(|(ctype, name)| {
                let (_, rust, code) = HANDLES.iter().find(|(c, _, _)| c == ctype).expect("a handle");
                match rust {
                    None => format!("        call.connect({})?;\n", rust_arg_name(name)),
                    Some(rust) => format!("        call.child::<{rust}>({}, {code})?;\n", rust_arg_name(name)),
                }
            })
            .unwrap_or_default();
        let check: String = check + &symbol.checks.iter().map(|c| check_code(symbol, c)).collect::<String>();
        let _ = write!(
            body,
            "#[no_mangle]\n{} {{\n    guard({}, \"{}\", {}, |call| {{\n{check}        unsupported(call)\n    }})\n}}\n\n",
            signature(symbol, &exported),
            symbol.error_domain,
            symbol.name,
            args_format(symbol),
        );
    }
    // Named types come from src/abi; the few it does not define yet get an opaque
    // stand-in, so that the stubs keep the right ABI meanwhile.
    let mut missing = Vec::new();
    for name in &named_types {
        match defined.get(name) {
            Some(module) => {
                let _ = writeln!(out, "#[allow(unused_imports)]\nuse crate::abi::{module}::{name};");
            }
            // Handles come from src/abi/types.rs, which unsupported.rs imports whole.
            None if is_handle(name) => {}
            None => missing.push(name.clone()),
        }
    }
    for name in &missing {
        match name.strip_suffix("Ptr") {
            Some(pointee) => {
                let _ = writeln!(out, "#[repr(C)]\npub struct {pointee} {{\n    _private: [u8; 0],\n}}\npub type {name} = *mut {pointee};");
            }
            None => {
                let _ = writeln!(out, "pub type {name} = Option<unsafe extern \"C\" fn()>;");
            }
        }
    }
    if !missing.is_empty() {
        println!("cargo:warning=src/abi does not define {} C types yet; stubs use opaque stand-ins: {}", missing.len(), missing.join(" "));
    }
    out.push('\n');
    out.push_str(&body);
    out
}

/// The functions of libvirt-qemu.so.0 or libvirt-lxc.so.0, each passing its
/// arguments on to the private implementation in libvirt.so.0.
fn forwarders(table: &[Symbol], library: &str) -> String {
    let mut out = format!("// Generated by build/stubs.rs from abi/symbols.tsv: the functions of {library}.so.0.\n\n");
    for symbol in table.iter().filter(|s| s.library == library) {
        let args: Vec<String> = symbol.args.iter().map(|(_, name)| rust_arg_name(name)).collect();
        let _ = write!(
            out,
            "#[no_mangle]\n{} {{\n    {PRIVATE_PREFIX}{}({})\n}}\n\n",
            signature(symbol, &symbol.name),
            symbol.name,
            args.join(", ")
        );
    }
    out
}

/// The crate root of a forwarding library: the C types it names (all of them
/// pointers, passed through untouched) and the private functions it calls.
fn forwarder_crate(table: &[Symbol], library: &str, functions_file: &str) -> String {
    let mut out = format!(
        "// Generated by build/stubs.rs from abi/symbols.tsv: {library}.so.0, which forwards every\n\
         // call to libvirt.so.0.\n\
         #![no_std]\n\
         #![allow(non_camel_case_types, non_snake_case, unused_imports, clippy::missing_safety_doc)]\n\n\
         use core::ffi::{{c_char, c_double, c_int, c_longlong, c_uchar, c_uint, c_ulong, c_ulonglong, c_void}};\n\n"
    );
    let symbols: Vec<&Symbol> = table.iter().filter(|s| s.library == library).collect();
    let mut named = BTreeSet::new();
    for symbol in &symbols {
        named.extend(symbol.named_types());
    }
    for name in &named {
        let _ = writeln!(out, "pub type {name} = *mut c_void;");
    }
    out.push_str("\nextern \"C\" {\n");
    for symbol in &symbols {
        let params: Vec<String> =
            symbol.args.iter().map(|(ctype, name)| format!("{}: {}", rust_arg_name(name), rust_type(ctype).0)).collect();
        let ret = match symbol.ret.as_str() {
            "void" => String::new(),
            ret => format!(" -> {}", rust_type(ret).0),
        };
        let _ = writeln!(out, "    fn {PRIVATE_PREFIX}{}({}){ret};", symbol.name, params.join(", "));
    }
    let _ = write!(out, "}}\n\ninclude!(\"{functions_file}\");\n");
    out
}

/// A GNU ld version script: one node per version, each depending on the previous
/// one as libvirt's do, and nothing else exported. libvirt.so.0 adds one private
/// node for the implementations behind libvirt-qemu.so.0 and libvirt-lxc.so.0.
fn version_script(table: &[Symbol], library: &str) -> String {
    let mut nodes: BTreeMap<Vec<u32>, (String, Vec<String>)> = BTreeMap::new();
    for symbol in table.iter().filter(|s| s.library == library) {
        let entry = nodes.entry(version_key(&symbol.node)).or_insert_with(|| (symbol.node.clone(), Vec::new()));
        entry.1.push(symbol.name.clone());
    }
    let mut nodes: Vec<(String, Vec<String>)> = nodes.into_values().collect();
    if library == "libvirt" {
        let private = table.iter().filter(|s| s.library != "libvirt").map(|s| format!("{PRIVATE_PREFIX}{}", s.name));
        nodes.push((PRIVATE_NODE.to_owned(), private.collect()));
    }
    let mut out = format!("/* Generated by build/stubs.rs from abi/symbols.tsv: the exports of {library}.so.0. */\n\n");
    let last = nodes.len() - 1;
    let mut parent: Option<&str> = None;
    for (index, (node, names)) in nodes.iter().enumerate() {
        let mut names = names.clone();
        names.sort();
        let _ = writeln!(out, "{node} {{\n    global:");
        for name in names {
            let _ = writeln!(out, "        {name};");
        }
        if index == last {
            out.push_str("    local:\n        *;\n");
        }
        // libvirt's private node stands alone; the public ones form a chain.
        match parent.filter(|_| node != PRIVATE_NODE) {
            Some(parent) => {
                let _ = writeln!(out, "}} {parent};\n");
            }
            None => out.push_str("};\n\n"),
        }
        parent = Some(node);
    }
    out
}

/// "LIBVIRT_QEMU_0.10.0" -> [0, 10, 0], so that nodes sort by version.
fn version_key(node: &str) -> Vec<u32> {
    let version = node.rsplit('_').next().expect("a version");
    version.split('.').map(|n| n.parse().unwrap_or_else(|_| panic!("bad version node {node}"))).collect()
}
