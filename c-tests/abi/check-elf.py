#!/usr/bin/python3
"""Checks the built libraries against abi/symbols.tsv: each exports exactly the
symbols the table lists for it, each with its version node; the version nodes
chain as libvirt's do; the SONAMEs are right; and libvirt.so.0 has at most one
private node, which libvirt-qemu.so.0 and libvirt-lxc.so.0 alone use.

usage: check-elf.py SYMBOLS_TSV LIBDIR"""

import csv
import re
import subprocess
import sys

PRIVATE_NODE = re.compile(r"^FERROVIRT_PRIVATE_[0-9.]+$")
LIBRARIES = {"libvirt": "libvirt.so.0", "libvirt-qemu": "libvirt-qemu.so.0", "libvirt-lxc": "libvirt-lxc.so.0"}


def readelf(*args):
    return subprocess.run(["readelf", "-W", *args], check=True, capture_output=True, text=True).stdout


def exports(path, nodes):
    """{name: node} of the defined global symbols, without the symbols GNU ld makes
    for the version nodes themselves."""
    found = {}
    for line in readelf("--dyn-syms", path).splitlines():
        f = line.split()
        if len(f) < 8 or not f[0].endswith(":") or f[6] == "UND" or f[4] not in ("GLOBAL", "WEAK"):
            continue
        name, _, node = f[7].partition("@")
        node = node.lstrip("@")
        if f[6] == "ABS" and name in nodes and node in ("", name):
            continue
        found[name] = node
    return found


def version_definitions(path):
    """[(node, parent or None)] in the order of .gnu.version_d, without the base."""
    nodes = []
    for line in readelf("-V", path).split("Version needs")[0].splitlines():
        m = re.search(r"Flags: (\S+)\s+Index: \d+\s+Cnt: \d+\s+Name: (\S+)", line)
        if m and m.group(1) != "BASE":
            nodes.append([m.group(2), None])
        m = re.search(r"Parent 1: (\S+)", line)
        if m:
            nodes[-1][1] = m.group(1)
    return [tuple(n) for n in nodes]


def version_key(node):
    return [int(n) for n in node.rsplit("_", 1)[1].split(".")]


def main():
    tsv, libdir = sys.argv[1], sys.argv[2]
    with open(tsv) as f:
        table = list(csv.DictReader(f, delimiter="\t"))
    errors = []
    for library, soname in LIBRARIES.items():
        path = f"{libdir}/{soname}"
        want = {row["symbol"]: row["version_node"] for row in table if row["library"] == library}
        nodes = version_definitions(path)
        have = exports(path, {n for n, _ in nodes})

        m = re.search(r"\(SONAME\)\s+Library soname: \[(.*)\]", readelf("-d", path))
        if not m or m.group(1) != soname:
            errors.append(f"{soname}: SONAME is {m.group(1) if m else 'missing'}")

        private = {n: v for n, v in have.items() if PRIVATE_NODE.match(v)}
        if library != "libvirt" and private:
            errors.append(f"{soname}: private node exported: {sorted(private)}")
        if len(set(private.values())) > 1:
            errors.append(f"{soname}: more than one private node: {sorted(set(private.values()))}")
        for name in sorted(set(want) - set(have)):
            errors.append(f"{soname}: missing {name}@{want[name]}")
        for name in sorted(set(have) - set(want) - set(private)):
            errors.append(f"{soname}: extra export {name}@{have[name]}")
        for name in sorted(set(want) & set(have)):
            if want[name] != have[name]:
                errors.append(f"{soname}: {name} has node {have[name]}, libvirt's is {want[name]}")

        public = [(n, p) for n, p in nodes if not PRIVATE_NODE.match(n)]
        expected_nodes = sorted(set(want.values()), key=version_key)
        expected = [(n, expected_nodes[i - 1] if i else None) for i, n in enumerate(expected_nodes)]
        for have_node, want_node in zip(public + [None] * len(expected), expected + [None] * len(public)):
            if have_node != want_node:
                errors.append(f"{soname}: version node (name, parent) {have_node}, expected {want_node}")
                break
        print(f"{soname}: {len(have)} exports ({len(private)} private), {len(public)} public version nodes")

    for error in errors:
        print("FAIL", error)
    print("PASS" if not errors else f"{len(errors)} problem(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
