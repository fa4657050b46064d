#!/usr/bin/env python3
"""Checks ferrovirt's headers against libvirt's: `conformance.py CHECK --ours DIR`.

CHECK is one of
  names       each header declares the same names as libvirt's (functions, types,
              struct tags, variables, enum constants and macros; an enum constant
              of libvirt's may be a macro of ours), sentinels hidden alike;
  prototypes  libvirt's headers followed by our declarations compile: any function,
              callback or typedef that differs is a conflicting-types error;
  values      a program generated from libvirt's API description prints every
              struct's size, field offsets and field types, every constant's value
              and type size, and what the function-like macros compute; built once
              against each set of headers, the two outputs must be equal.
DIR is the include directory holding our libvirt/*.h. libvirt's own headers come
from --real (Debian's libvirt-dev) and its API description from --api.
"""
import argparse
import difflib
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

HEADERS = ["libvirt.h", "virterror.h", "libvirt-qemu.h", "libvirt-lxc.h"]
# libvirt.h is a set of files in libvirt, one file in ferrovirt.
SUBHEADER = re.compile(r"libvirt-(common|host|domain|domain-checkpoint|domain-snapshot|event|interface"
                       r"|network|nodedev|nwfilter|secret|storage|stream)\.h")
# Include guards are no API.
GUARD = re.compile(r"LIBVIRT(_\w+)?_H|__VIR\w*")
# Ours only: the union inside virTypedParameter is anonymous in libvirt, Rust needs a name.
OUR_EXTRAS = {"_virTypedParameterValue"}


def fail(message):
    print(message)
    sys.exit(1)


def run(cmd, **kwargs):
    result = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        fail("$ %s\n%s%s" % (" ".join(cmd), result.stdout, result.stderr))
    return result.stdout


# ---- reading headers ----

def preprocess(args, incdir, defines=()):
    """The four headers through the preprocessor, as {header: (text, macros)}."""
    source = "".join("#include <libvirt/%s>\n" % h for h in HEADERS)
    out = run([args.cc, "-E", "-dD", "-std=c11", "-I", incdir] + list(defines) + ["-x", "c", "-"], input=source)
    chunks = {h: ([], set()) for h in HEADERS}
    current = None
    for line in out.splitlines():
        marker = re.match(r'# \d+ "([^"]+)"', line)
        if marker:
            path = marker.group(1)
            name = os.path.basename(path)
            mine = os.path.dirname(os.path.abspath(path)) == os.path.join(os.path.abspath(incdir), "libvirt")
            current = ("libvirt.h" if SUBHEADER.fullmatch(name) else name) if mine else None
            continue
        if current is None:
            continue
        text, macros = chunks[current]
        define = re.match(r"#\s*(define|undef)\s+(\w+)", line)
        if define:
            (macros.add if define.group(1) == "define" else macros.discard)(define.group(2))
        elif not line.startswith("#"):
            text.append(line)
    return {h: ("\n".join(text), {m for m in macros if not GUARD.fullmatch(m)}) for h, (text, macros) in chunks.items()}


def statements(text):
    """Top-level declarations as token lists, attributes dropped."""
    text = re.sub(r"__attribute__\s*\(\((?:[^()]|\([^()]*\))*\)\)", "", text)
    tokens = re.findall(r"[A-Za-z_]\w*|\d\w*|\S", text)
    depth, current = 0, []
    for tok in tokens:
        current.append(tok)
        depth += tok == "{"
        depth -= tok == "}"
        if tok == ";" and depth == 0:
            yield current
            current = []


def declaration(stmt):
    """(kind, names) of one declaration: kind is typedef, function, variable,
    tag (struct/union definitions or forward declarations) or int-typedef."""
    idents = [t for t in stmt if re.fullmatch(r"[A-Za-z_]\w*", t)]
    tags = [stmt[i + 1] for i, t in enumerate(stmt[:-1]) if t in ("struct", "union", "enum") and stmt[i + 1] != "{"]
    enumerators = []
    if "enum" in stmt and "{" in stmt:
        body = stmt[stmt.index("{") + 1:len(stmt) - stmt[::-1].index("}") - 1]
        enumerators = [body[i] for i, t in enumerate(body) if (i == 0 or body[i - 1] == ",") and t != "}"]
    if stmt[0] == "typedef":
        if "(" in stmt and "{" not in stmt:
            name = stmt[stmt.index("(") + 2]  # typedef ret (*name)(...)
        else:
            name = idents[-1]
        kind = "int-typedef" if stmt == ["typedef", "int", name, ";"] else "typedef"
        return kind, [name] + tags + enumerators
    if "{" in stmt or len(stmt) == 3:  # struct _x {...}; or struct _x;
        return "tag", tags + enumerators
    if "(" in stmt:
        return "function", [stmt[stmt.index("(") - 1]] + tags
    return "variable", [idents[-1]] + tags


def names(args, incdir, defines=()):
    """{header: set of every name it declares}."""
    result = {}
    for header, (text, macros) in preprocess(args, incdir, defines).items():
        found = set(macros)
        for stmt in statements(text):
            found.update(declaration(stmt)[1])
        result[header] = found
    return result


# ---- the checks ----

def check_names(args):
    real, ours = names(args, args.realdir), names(args, args.ours)
    problems = []
    for header in HEADERS:
        missing = sorted(real[header] - ours[header])
        extra = sorted(ours[header] - real[header] - OUR_EXTRAS)
        if missing:
            problems.append("%s lacks %d names: %s" % (header, len(missing), " ".join(missing)))
        if extra:
            problems.append("%s has %d names libvirt's lacks: %s" % (header, len(extra), " ".join(extra)))
    if problems:
        fail("\n".join(problems))
    print("same names in all four headers: " + ", ".join("%s %d" % (h, len(real[h])) for h in HEADERS))


def check_prototypes(args):
    ours = []
    for header, (text, _) in preprocess(args, args.ours).items():
        for stmt in statements(text):
            kind = declaration(stmt)[0]
            if kind in ("function", "variable") or (kind == "typedef" and "{" not in stmt):
                ours.append(" ".join(stmt))
    functions = sum(1 for d in ours if not d.startswith("typedef") and not d.startswith("extern"))
    source = "".join("#include <libvirt/%s>\n" % h for h in HEADERS)
    source += "/* ferrovirt's declarations, after libvirt's */\n" + "\n".join(ours) + "\n"
    path = os.path.join(args.work, "prototypes.c")
    with open(path, "w") as f:
        f.write(source)
    # C11 allows a typedef to be repeated when the type is the same.
    run([args.cc, "-std=c11", "-Wall", "-Werror", "-fsyntax-only", "-I", args.realdir, path])
    print("%d functions and %d other declarations agree with libvirt's" % (functions, len(ours) - functions))


def api_elements(args):
    roots = [ET.parse(os.path.join(args.api, x)).getroot()
             for x in ("libvirt-api.xml", "libvirt-qemu-api.xml", "libvirt-lxc-api.xml")]
    return [e for root in roots for e in root.iter()]


def c_type(spelling):
    """An API description field type as a C type name: `char f[N]` -> `char[N]`."""
    return re.sub(r"\s*\w+\[", "[", spelling) if "[" in spelling else spelling


def values_program(args):
    elements = api_elements(args)
    out = ["#include <stddef.h>", "#include <stdio.h>", "#include <string.h>"]
    out += ["#include <libvirt/%s>" % h for h in HEADERS]
    out += ["#define TYPE_OK(expr, type) __builtin_types_compatible_p(__typeof__(expr), type)",
            "static void cb(void) {}", "int main(void) {"]
    p = out.append
    for s in (e for e in elements if e.tag == "struct" and e.find("field") is not None):
        t = s.get("name")
        p('printf("sizeof %s %%zu\\n", sizeof(%s));' % (t, t))
        for f in s.iter("field"):
            if f.get("type") == "union":
                continue
            parent = next((u for u in s.iter("union") if f in list(u)), None)
            member = ("%s.%s" % (s.find("field[@type='union']").get("name"), f.get("name"))
                      if parent is not None else f.get("name"))
            p('printf("%s.%s offset %%zu size %%zu type %%d\\n", offsetof(%s, %s), sizeof(((%s *)0)->%s), '
              'TYPE_OK(((%s *)0)->%s, %s));' % (t, member, t, member, t, member, t, member, c_type(f.get("type"))))
    for td in (e for e in elements if e.tag == "typedef" and e.get("file") != "libvirt-admin"):
        if td.get("type") == "enum" or td.get("type").endswith("*") or td.get("type") == "unsigned long long":
            p('printf("sizeof %s %%zu\\n", sizeof(%s));' % (td.get("name"), td.get("name")))
    for e in (e for e in elements if e.tag == "enum"):
        p('printf("%s %%lld size %%zu\\n", (long long)%s, sizeof(%s));' % ((e.get("name"),) * 3))
    for m in (e for e in elements if e.tag == "macro" and e.get("params") is None and not e.get("name").startswith("_")):
        if m.get("string") is not None:
            p('printf("%s \\"%%s\\" size %%zu\\n", %s, sizeof(%s));' % ((m.get("name"),) * 3))
        else:
            p('printf("%s %%lld size %%zu\\n", (long long)%s, sizeof(%s));' % ((m.get("name"),) * 3))
    out.append(FUNCTION_LIKE_MACROS)
    out.append("return 0;\n}")
    return "\n".join(out) + "\n"


# The function-like and struct tag macros on sample inputs.
FUNCTION_LIKE_MACROS = r"""
{
    unsigned char map[4] = {0}, maps[3 * 2] = {0x01, 0x80, 0x00, 0x03, 0xff, 0x10}, copy[2] = {0};
    virNodeInfo info;
    int cpu, vcpu;
    memset(&info, 0, sizeof(info));
    info.nodes = 2; info.sockets = 3; info.cores = 4; info.threads = 5;
    VIR_USE_CPU(map, 0); VIR_USE_CPU(map, 9); VIR_USE_CPU(map, 31); VIR_USE_CPU(map, 12);
    VIR_UNUSE_CPU(map, 9);
    printf("map %02x %02x %02x %02x\n", map[0], map[1], map[2], map[3]);
    for (cpu = 0; cpu < 32; cpu++)
        printf("used %d %d size %zu\n", cpu, (int)VIR_CPU_USED(map, cpu), sizeof(VIR_CPU_USED(map, cpu)));
    for (cpu = 0; cpu < 18; cpu++)
        printf("maplen %d %d size %zu\n", cpu, (int)VIR_CPU_MAPLEN(cpu), sizeof(VIR_CPU_MAPLEN(cpu)));
    for (vcpu = 0; vcpu < 3; vcpu++) {
        printf("cpumap %d at %d\n", vcpu, (int)(VIR_GET_CPUMAP(maps, 2, vcpu) - maps));
        for (cpu = 0; cpu < 16; cpu++)
            printf("usable %d %d %d\n", vcpu, cpu, (int)VIR_CPU_USABLE(maps, 2, vcpu, cpu));
    }
    VIR_COPY_CPUMAP(maps, 2, 1, copy);
    printf("copy %02x %02x\n", copy[0], copy[1]);
    printf("maxcpus %d\n", (int)VIR_NODEINFO_MAXCPUS(info));
    printf("check %d %d %d %d %d %d\n", LIBVIR_CHECK_VERSION(9, 0, 0), LIBVIR_CHECK_VERSION(9, 0, 1),
           LIBVIR_CHECK_VERSION(8, 999, 999), LIBVIR_CHECK_VERSION(10, 0, 0), LIBVIR_CHECK_VERSION(0, 0, 0),
           LIBVIR_CHECK_VERSION(9, 1, 0));
#if LIBVIR_CHECK_VERSION(9, 0, 0) && !LIBVIR_CHECK_VERSION(9, 0, 1)
    printf("check in #if works\n");
#endif
    printf("callbacks %d %d %d %d %d\n",
           VIR_DOMAIN_EVENT_CALLBACK(cb) == (virConnectDomainEventGenericCallback)cb,
           VIR_NETWORK_EVENT_CALLBACK(cb) == (virConnectNetworkEventGenericCallback)cb,
           VIR_STORAGE_POOL_EVENT_CALLBACK(cb) == (virConnectStoragePoolEventGenericCallback)cb,
           VIR_NODE_DEVICE_EVENT_CALLBACK(cb) == (virConnectNodeDeviceEventGenericCallback)cb,
           VIR_SECRET_EVENT_CALLBACK(cb) == (virConnectSecretEventGenericCallback)cb);
    printf("old tags %zu %zu %zu\n", sizeof(struct _virSchedParameter), sizeof(struct _virBlkioParameter),
           sizeof(struct _virMemoryParameter));
    printf("auth default %d\n", TYPE_OK(virConnectAuthPtrDefault, virConnectAuthPtr));
}
"""


def check_values(args):
    source = os.path.join(args.work, "values.c")
    with open(source, "w") as f:
        f.write(values_program(args))
    outputs = []
    for label, incdir in (("libvirt", args.realdir), ("ferrovirt", args.ours)):
        exe = os.path.join(args.work, "values-" + label)
        # The program calls no function: it links without either library.
        run([args.cc, "-std=gnu11", "-Wall", "-Werror", "-Wno-deprecated-declarations", "-DVIR_ENUM_SENTINELS", "-I", incdir, source, "-o", exe])
        outputs.append(run([exe]).splitlines())
    diff = list(difflib.unified_diff(outputs[0], outputs[1], "libvirt", "ferrovirt", lineterm="", n=0))
    if diff:
        fail("\n".join(diff))
    print("%d sizes, offsets, types and values agree" % len(outputs[0]))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("check", choices=["names", "prototypes", "values"])
    parser.add_argument("--ours", required=True, help="include directory of ferrovirt's libvirt/*.h")
    parser.add_argument("--real", default="/usr/include/libvirt", help="libvirt's headers")
    parser.add_argument("--api", default="/usr/share/libvirt/api", help="libvirt's API description")
    parser.add_argument("--cc", default="cc")
    args = parser.parse_args()
    if not os.path.isfile(os.path.join(args.real, "libvirt.h")):
        fail("libvirt's headers are not in %s (Debian: apt-get install libvirt-dev)" % args.real)
    with open(os.path.join(args.ours, "libvirt", "libvirt.h")) as f:
        if "ferrovirt" not in f.read():
            fail("%s/libvirt/libvirt.h is not ferrovirt's" % args.ours)
    with tempfile.TemporaryDirectory() as work:
        args.work = work
        # libvirt's headers by a directory of their own, searched before any
        # installed copy of ours (say in /usr/local/include).
        args.realdir = os.path.join(work, "real")
        os.makedirs(args.realdir)
        os.symlink(os.path.abspath(args.real), os.path.join(args.realdir, "libvirt"))
        {"names": check_names, "prototypes": check_prototypes, "values": check_values}[args.check](args)


if __name__ == "__main__":
    main()
