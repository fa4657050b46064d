//! include/libvirt/*.h from the Rust declarations, with cbindgen.
//!
//! Each header is one cbindgen run. Its constants and types come from its own
//! src/abi files: `virterror*`, `qemu*` and `lxc*` are virterror.h's, libvirt-qemu.h's
//! and libvirt-lxc.h's, the others libvirt.h's. Its functions are found wherever they
//! are exported (src/api and the generated stubs) and go where abi/symbols.tsv says. A header that cannot be generated (a source that
//! does not parse mid-edit) is left as it is with a warning: the build goes on.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

struct Header {
    file: &'static str,
    guard: &'static str,
    includes: &'static [&'static str],
    /// Hand-written C appended after the generated items, in cbindgen/.
    tail: Option<&'static str>,
}

const HEADERS: [Header; 4] = [
    Header { file: "libvirt.h", guard: "LIBVIRT_H", includes: &["sys/types.h"], tail: Some("libvirt-tail.h") },
    Header { file: "virterror.h", guard: "LIBVIRT_VIRTERROR_H", includes: &["libvirt/libvirt.h"], tail: None },
    Header { file: "libvirt-qemu.h", guard: "LIBVIRT_QEMU_H", includes: &["libvirt/libvirt.h"], tail: None },
    Header { file: "libvirt-lxc.h", guard: "LIBVIRT_LXC_H", includes: &["libvirt/libvirt.h"], tail: None },
];

/// Which header declares the constants and types of a src/abi file.
fn header_of_abi(path: &Path) -> &'static str {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    if stem.starts_with("virterror") {
        "virterror.h"
    } else if stem.starts_with("qemu") {
        "libvirt-qemu.h"
    } else if stem.starts_with("lxc") {
        "libvirt-lxc.h"
    } else {
        "libvirt.h"
    }
}

/// Which header declares each public function, from the symbol table: its library
/// for libvirt-qemu.so and libvirt-lxc.so, else its `header` column (virterror.h's
/// functions live in libvirt.so with the others; the sub-headers fold into libvirt.h).
fn function_headers(root: &Path) -> Result<HashMap<String, &'static str>, String> {
    let path = root.join("abi/symbols.tsv");
    let table = fs::read_to_string(&path).map_err(|e| format!("{}: {}", path.display(), e))?;
    let mut lines = table.lines();
    let columns: Vec<&str> = lines.next().unwrap_or("").split('\t').collect();
    let column = |name: &str| columns.iter().position(|c| *c == name).ok_or(format!("symbols.tsv has no {name} column"));
    let (library, symbol, header) = (column("library")?, column("symbol")?, column("header")?);
    let mut map = HashMap::new();
    for line in lines {
        let fields: Vec<&str> = line.split('\t').collect();
        let file = match (fields.get(library).copied(), fields.get(header).copied()) {
            (Some("libvirt-qemu"), _) => "libvirt-qemu.h",
            (Some("libvirt-lxc"), _) => "libvirt-lxc.h",
            (_, Some("virterror.h")) => "virterror.h",
            _ => "libvirt.h",
        };
        if let Some(name) = fields.get(symbol) {
            map.insert(name.to_string(), file);
        }
    }
    Ok(map)
}

/// The modules directly under `dir` (`x.rs` or `x/mod.rs`), sorted; cbindgen
/// follows their own submodules. `dir`'s mod.rs is left out: it would pull in all.
fn modules(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter_map(|path| match path.extension() {
            _ if path.is_dir() => Some(path.join("mod.rs")).filter(|p| p.is_file()),
            Some(ext) if ext == "rs" && path.file_name() != Some("mod.rs".as_ref()) => Some(path),
            _ => None,
        })
        .collect();
    found.sort();
    found
}

/// The names `source` declares with one of `prefixes` at the start of a line
/// (leading blanks aside).
fn declared<'a>(source: &'a str, prefixes: &'a [&str]) -> impl Iterator<Item = &'a str> + 'a {
    source.lines().filter_map(move |line| {
        let rest = prefixes.iter().find_map(|p| line.trim_start().strip_prefix(p))?;
        rest.split(|c: char| !(c.is_alphanumeric() || c == '_')).next()
    })
}

/// Types: cbindgen only writes those a function uses unless told to include them.
const TYPES: &[&str] = &["pub struct ", "pub union ", "pub type "];
/// Every function a source declares or defines, exported or imported from C.
const FUNCTIONS: &[&str] = &["pub unsafe extern \"C\" fn ", "pub extern \"C\" fn ", "fn "];
/// Constants and statics outside src/abi are ferrovirt's own, not the header's.
const VALUES: &[&str] = &["pub const ", "pub static mut ", "pub static "];

/// `#define`s for the `&str` constants of `source` (libvirt's typed parameter
/// names), which cbindgen 0.27 skips.
fn string_defines(source: &str) -> String {
    let mut out = String::new();
    for line in source.lines() {
        let Some(rest) = line.strip_prefix("pub const ") else { continue };
        let Some((name, value)) = rest.split_once(": &str = ") else { continue };
        out.push_str(&format!("#define {} {}\n", name, value.trim_end_matches(';')));
    }
    out
}

pub fn generate(generated: &super::stubs::Generated) {
    // Rust always sees the sentinels; the cfg only exists for cbindgen.
    println!("cargo:rustc-check-cfg=cfg(vir_enum_sentinels)");
    println!("cargo:rustc-cfg=vir_enum_sentinels");
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    for dir in ["src/abi", "src/api", "cbindgen"] {
        println!("cargo:rerun-if-changed={}", root.join(dir).display());
    }
    let abi = modules(&root.join("src/abi"));
    let functions = match function_headers(&root) {
        Ok(functions) => functions,
        Err(err) => {
            println!("cargo:warning=headers not regenerated: {err}");
            return;
        }
    };
    let mut code = modules(&root.join("src/api"));
    code.extend([&generated.libvirt, &generated.qemu, &generated.lxc].map(PathBuf::clone));
    for header in &HEADERS {
        let abi: Vec<&PathBuf> = abi.iter().filter(|p| header_of_abi(p) == header.file).collect();
        let out = root.join("include/libvirt").join(header.file);
        // Not even a cbindgen panic stops the build: the headers are checked by tests.
        let result = std::panic::catch_unwind(|| write_header(&root, header, &abi, &code, &functions, &out));
        let err = match result {
            Ok(Ok(())) => continue,
            Ok(Err(err)) => err,
            Err(_) => "cbindgen panicked".to_string(),
        };
        println!("cargo:warning=include/libvirt/{} not regenerated: {}", header.file, err);
    }
}

/// Writes `out` from the `abi` files (constants and types) and the `code` files
/// (exported functions), if that changes it.
fn write_header(
    root: &Path,
    header: &Header,
    abi: &[&PathBuf],
    code: &[PathBuf],
    functions: &HashMap<String, &'static str>,
    out: &Path,
) -> Result<(), String> {
    let read = |path: &Path| fs::read_to_string(path).map_err(|e| format!("{}: {}", path.display(), e));
    let mut config = cbindgen::Config::from_file(root.join("cbindgen/cbindgen.toml"))?;
    // The guard is ours rather than cbindgen's, which would close before the trailer.
    config.header = Some(format!(
        "/* {}: libvirt's API for programs using ferrovirt. Generated by build/headers.rs\n \
         * with cbindgen from ferrovirt's Rust declarations: do not edit. */\n\n\
         #ifndef {guard}\n#define {guard}",
        header.file,
        guard = header.guard
    ));
    config.sys_includes = header.includes.iter().map(|s| s.to_string()).collect();
    let mut strings = String::new();
    for path in abi {
        let source = read(path)?;
        strings.push_str(&string_defines(&source));
        config.export.include.extend(declared(&source, TYPES).map(str::to_string));
    }
    // As in libvirt, C++ sees the whole header as extern "C", types included.
    let mut top = String::from("\n#ifdef __cplusplus\nextern \"C\" {\n#endif\n");
    if !strings.is_empty() {
        top += &format!("\n/* Names of typed parameters and statistics. */\n{}", strings);
    }
    config.after_includes = Some(top);
    for path in code {
        let source = read(path)?;
        // Only the table's public functions, each in its own header: not ferrovirt's
        // private exports nor the C functions it imports.
        let others = declared(&source, FUNCTIONS).filter(|name| functions.get(*name) != Some(&header.file));
        config.export.exclude.extend(others.chain(declared(&source, VALUES)).map(str::to_string));
    }
    let tail = match header.tail {
        Some(tail) => read(&root.join("cbindgen").join(tail))? + "\n",
        None => String::new(),
    };
    config.trailer = Some(format!("{}#ifdef __cplusplus\n}}\n#endif\n\n#endif /* {} */", tail, header.guard));
    let mut builder = cbindgen::Builder::new().with_config(config);
    for source in abi.iter().copied().chain(code) {
        builder = builder.with_src(source);
    }
    let bindings = builder.generate().map_err(|e| e.to_string())?;
    let mut text = Vec::new();
    bindings.write(&mut text);
    let text = parenthesize_negatives(&String::from_utf8_lossy(&text));
    if fs::read_to_string(out).ok().as_deref() != Some(&text[..]) {
        fs::create_dir_all(out.parent().expect("include/libvirt")).map_err(|e| e.to_string())?;
        fs::write(out, text).map_err(|e| format!("{}: {}", out.display(), e))?;
    }
    Ok(())
}

/// cbindgen writes negative constants bare, as `#define X -1`, which a program
/// cannot put after a minus (`n-X`); libvirt's are enum constants, so they can.
fn parenthesize_negatives(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        match line.strip_prefix("#define ").and_then(|rest| rest.split_once(" -")) {
            Some((name, value)) => out.push_str(&format!("#define {} (-{})", name, value)),
            None => out.push_str(line),
        }
        out.push('\n');
    }
    out
}
