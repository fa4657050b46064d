"""Records what libvirt answers for each domain XML in corpus/: the XML of the
defined domain under each virDomainGetXMLDesc flag, while running, after
destroy, as a transient domain, and with VIR_DOMAIN_DEFINE_VALIDATE; or the
error. Run by /usr/bin/python3 (Debian's python3-libvirt) against whichever
libvirt.so.0 the loader finds; see `run`.

usage: record.py CORPUS_DIR OUT_DIR
"""
import os
import sys

import libvirt

FLAGS = [
    ("0", 0),
    ("SECURE", libvirt.VIR_DOMAIN_XML_SECURE),
    ("INACTIVE", libvirt.VIR_DOMAIN_XML_INACTIVE),
    ("MIGRATABLE", libvirt.VIR_DOMAIN_XML_MIGRATABLE),
    ("UPDATE_CPU", libvirt.VIR_DOMAIN_XML_UPDATE_CPU),
]


def describe(e):
    return "error: code=%d domain=%d %s\n" % (e.get_error_code(), e.get_error_domain(), e.get_error_message())


class Recorder:
    def __init__(self):
        self.sections = []

    def add(self, label, fn):
        try:
            text = fn()
        except libvirt.libvirtError as e:
            text = describe(e)
        for earlier, seen in (self.sections if text.startswith("<") else []):
            if seen == text:
                text = "(as %s)\n" % earlier
                break
        else:
            self.sections.append((label, text))
        return text

    def xml_desc(self, dom, when, flags=FLAGS):
        for name, flag in flags:
            self.add("%s %s" % (when, name), lambda: dom.XMLDesc(flag))


def record(xml):
    rec = Recorder()
    out = []
    conn = libvirt.open("test:///default")
    try:
        def step(label, fn):
            out.append("=== %s\n%s" % (label, rec.add(label, fn)))

        def validate():
            dom = conn.defineXMLFlags(xml, libvirt.VIR_DOMAIN_DEFINE_VALIDATE)
            dom.undefine()
            return "ok\n"
        step("define VALIDATE", validate)
        try:
            dom = conn.defineXML(xml)
        except libvirt.libvirtError as e:
            out.append("=== define\n" + describe(e))
            return "".join(out)
        for when, action in [("defined", None), ("running", dom.create), ("destroyed", dom.destroy)]:
            if action:
                step(when[:-2] if when == "destroyed" else "start", lambda: (action(), "ok\n")[1])
            for name, flag in FLAGS:
                step("%s %s" % (when, name), lambda: dom.XMLDesc(flag))
        dom.undefine()
        step("createXML", lambda: conn.createXML(xml, 0).XMLDesc(0))
    finally:
        conn.close()
    return "".join(out)


def main():
    corpus, outdir = sys.argv[1:]
    libvirt.registerErrorHandler(lambda *a: None, None)
    with open("/proc/self/maps") as maps:
        libs = {line.split()[-1] for line in maps if "libvirt.so" in line}
    sys.stderr.write("loaded: %s\n" % " ".join(sorted(libs)))
    os.makedirs(outdir, exist_ok=True)
    for name in sorted(os.listdir(corpus)):
        if name.endswith(".xml"):
            with open(os.path.join(corpus, name)) as f:
                xml = f.read()
            with open(os.path.join(outdir, name[:-4] + ".txt"), "w") as f:
                f.write(record(xml))


main()
