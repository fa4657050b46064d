//! Which elements and attributes of a domain definition libvirt keeps, and the
//! order its formatter writes them in. Anything not listed here libvirt's parser
//! ignores, so it vanishes from the formatted XML (and fails schema validation).

use crate::xml::tree::Element;

/// One element: its attributes and children in libvirt's output order, and
/// whether it carries text.
pub struct Spec {
    pub name: &'static str,
    pub attrs: &'static [&'static str],
    pub children: &'static [Spec],
    pub text: bool,
}

const fn el(name: &'static str, attrs: &'static [&'static str], children: &'static [Spec]) -> Spec {
    Spec { name, attrs, children, text: false }
}

const fn text(name: &'static str, attrs: &'static [&'static str]) -> Spec {
    Spec { name, attrs, children: &[], text: true }
}

const fn flag(name: &'static str) -> Spec {
    el(name, &[], &[])
}

const fn state(name: &'static str) -> Spec {
    el(name, &["state"], &[])
}

const ADDRESS: Spec = el(
    "address",
    &[
        "type", "controller", "domain", "bus", "slot", "function", "multifunction", "target", "unit", "port", "cssid",
        "ssid", "devno", "iobase", "irq", "reg", "base",
    ],
    &[],
);
const ALIAS: Spec = el("alias", &["name"], &[]);
const BOOT: Spec = el("boot", &["order", "loadparm"], &[]);
const UNIT_TEXT: &[&str] = &["unit"];

pub const DOMAIN: Spec = el(
    "domain",
    &["type"],
    &[
        text("name", &[]),
        text("uuid", &[]),
        text("genid", &[]),
        text("title", &[]),
        text("description", &[]),
        // Kept verbatim by the model itself.
        el("metadata", &[], &[]),
        text("maxMemory", &["slots", "unit"]),
        text("memory", &["unit", "dumpCore"]),
        text("currentMemory", &["unit"]),
        el(
            "blkiotune",
            &[],
            &[
                text("weight", &[]),
                el(
                    "device",
                    &[],
                    &[
                        text("path", &[]),
                        text("weight", &[]),
                        text("read_iops_sec", &[]),
                        text("write_iops_sec", &[]),
                        text("read_bytes_sec", &[]),
                        text("write_bytes_sec", &[]),
                    ],
                ),
            ],
        ),
        el(
            "memtune",
            &[],
            &[
                text("hard_limit", UNIT_TEXT),
                text("soft_limit", UNIT_TEXT),
                text("min_guarantee", UNIT_TEXT),
                text("swap_hard_limit", UNIT_TEXT),
            ],
        ),
        el(
            "memoryBacking",
            &[],
            &[
                el("hugepages", &[], &[el("page", &["size", "unit", "nodeset"], &[])]),
                flag("nosharepages"),
                flag("locked"),
                el("source", &["type"], &[]),
                el("access", &["mode"], &[]),
                el("allocation", &["mode", "threads"], &[]),
                flag("discard"),
            ],
        ),
        text("vcpu", &["placement", "cpuset", "current"]),
        el("vcpus", &[], &[el("vcpu", &["id", "enabled", "hotpluggable", "order"], &[])]),
        text("iothreads", &[]),
        el(
            "cputune",
            &[],
            &[
                text("shares", &[]),
                text("period", &[]),
                text("quota", &[]),
                text("global_period", &[]),
                text("global_quota", &[]),
                text("emulator_period", &[]),
                text("emulator_quota", &[]),
                text("iothread_period", &[]),
                text("iothread_quota", &[]),
                el("vcpupin", &["vcpu", "cpuset"], &[]),
                el("emulatorpin", &["cpuset"], &[]),
                el("iothreadpin", &["iothread", "cpuset"], &[]),
                el("vcpusched", &["vcpus", "scheduler", "priority"], &[]),
            ],
        ),
        el(
            "numatune",
            &[],
            &[el("memory", &["mode", "nodeset", "placement"], &[]), el("memnode", &["cellid", "mode", "nodeset"], &[])],
        ),
        el("resource", &[], &[text("partition", &[])]),
        el(
            "sysinfo",
            &["type"],
            &[
                el("bios", &[], &[text("entry", &["name"])]),
                el("system", &[], &[text("entry", &["name"])]),
                el("baseBoard", &[], &[text("entry", &["name"])]),
                el("chassis", &[], &[text("entry", &["name"])]),
                el("oemStrings", &[], &[text("entry", &[])]),
            ],
        ),
        text("bootloader", &[]),
        text("bootloader_args", &[]),
        el(
            "os",
            &["firmware"],
            &[
                text("type", &["arch", "machine"]),
                text("init", &[]),
                text("initarg", &[]),
                text("loader", &["readonly", "secure", "type"]),
                text("nvram", &["template"]),
                text("kernel", &[]),
                text("initrd", &[]),
                text("cmdline", &[]),
                text("dtb", &[]),
                el("boot", &["dev"], &[]),
                el("bootmenu", &["enable", "timeout"], &[]),
                el("bios", &["useserial", "rebootTimeout"], &[]),
                el("smbios", &["mode"], &[]),
            ],
        ),
        el(
            "features",
            &[],
            &[
                flag("acpi"),
                el("apic", &["eoi"], &[]),
                flag("pae"),
                state("hap"),
                flag("viridian"),
                flag("privnet"),
                el(
                    "hyperv",
                    &["mode"],
                    &[
                        state("relaxed"),
                        state("vapic"),
                        el("spinlocks", &["state", "retries"], &[]),
                        state("vpindex"),
                        state("runtime"),
                        state("synic"),
                        state("stimer"),
                        state("reset"),
                        el("vendor_id", &["state", "value"], &[]),
                        state("frequencies"),
                        state("reenlightenment"),
                        state("tlbflush"),
                        state("ipi"),
                        state("evmcs"),
                    ],
                ),
                el("kvm", &[], &[state("hidden"), state("hint-dedicated"), state("poll-control"), state("pv-ipi")]),
                state("pvspinlock"),
                el("capabilities", &["policy"], &[]),
                state("pmu"),
                state("vmport"),
                el("gic", &["version"], &[]),
                state("smm"),
                el("ioapic", &["driver"], &[]),
                state("vmcoreinfo"),
                state("htm"),
                state("nested-hv"),
                state("ccf-assist"),
            ],
        ),
        el(
            "cpu",
            &["mode", "match", "check", "migratable"],
            &[
                text("model", &["fallback", "vendor_id"]),
                text("vendor", &[]),
                el("topology", &["sockets", "dies", "cores", "threads"], &[]),
                el("cache", &["level", "mode"], &[]),
                el("feature", &["policy", "name"], &[]),
                el("numa", &[], &[el("cell", &["id", "cpus", "memory", "unit", "discard", "memAccess"], &[])]),
            ],
        ),
        el(
            "clock",
            &["offset", "adjustment", "basis", "timezone"],
            &[el("timer", &["name", "track", "tickpolicy", "frequency", "mode", "present"], &[])],
        ),
        text("on_poweroff", &[]),
        text("on_reboot", &[]),
        text("on_crash", &[]),
        text("on_lockfailure", &[]),
        el("pm", &[], &[el("suspend-to-mem", &["enabled"], &[]), el("suspend-to-disk", &["enabled"], &[])]),
        el("perf", &[], &[el("event", &["name", "enabled"], &[])]),
        // Devices are ordered by the model (devices.rs), each by its own spec.
        el("devices", &[], &[]),
        el(
            "seclabel",
            &["type", "model", "relabel"],
            &[text("label", &[]), text("imagelabel", &[]), text("baselabel", &[])],
        ),
    ],
);

const DRIVER_DISK: &[&str] = &[
    "name", "type", "cache", "error_policy", "rerror_policy", "io", "ioeventfd", "event_idx", "copy_on_read",
    "discard", "iothread", "detect_zeroes", "queues",
];

/// Each device kind, in the order libvirt formats the kinds.
pub const DEVICES: &[Spec] = &[
    text("emulator", &[]),
    el(
        "disk",
        &["type", "device", "model", "rawio", "sgio", "snapshot"],
        &[
            el("driver", DRIVER_DISK, &[]),
            el(
                "source",
                &["protocol", "name", "file", "dev", "dir", "pool", "volume", "mode", "startupPolicy", "index"],
                &[el("host", &["name", "port", "transport", "socket"], &[])],
            ),
            el("geometry", &["cyls", "heads", "secs", "trans"], &[]),
            el("blockio", &["logical_block_size", "physical_block_size"], &[]),
            el("target", &["dev", "bus", "tray", "removable", "rotation_rate"], &[]),
            flag("readonly"),
            flag("shareable"),
            flag("transient"),
            text("serial", &[]),
            text("wwn", &[]),
            text("vendor", &[]),
            text("product", &[]),
            BOOT,
            ALIAS,
            ADDRESS,
        ],
    ),
    el(
        "controller",
        &["type", "index", "model", "ports", "vectors"],
        &[el("driver", &["queues", "cmd_per_lun", "max_sectors", "iothread"], &[]), el("target", &["chassisNr", "chassis", "port", "busNr", "index"], &[]), ALIAS, ADDRESS],
    ),
    el(
        "filesystem",
        &["type", "accessmode", "multidevs"],
        &[
            el("driver", &["type", "format", "wrpolicy"], &[]),
            el("source", &["dir", "file", "dev", "name", "usage", "units"], &[]),
            el("target", &["dir"], &[]),
            flag("readonly"),
            ALIAS,
            ADDRESS,
        ],
    ),
    el(
        "interface",
        &["type", "trustGuestRxFilters"],
        &[
            el("mac", &["address"], &[]),
            el("source", &["network", "portgroup", "bridge", "dev", "mode", "address", "port"], &[]),
            el("target", &["dev"], &[]),
            el("model", &["type"], &[]),
            el("driver", &["name", "txmode", "ioeventfd", "event_idx", "queues"], &[]),
            el("link", &["state"], &[]),
            el("mtu", &["size"], &[]),
            BOOT,
            ALIAS,
            ADDRESS,
        ],
    ),
    el("serial", &["type"], CHARDEV_CHILDREN),
    el("parallel", &["type"], CHARDEV_CHILDREN),
    el("console", &["type"], CHARDEV_CHILDREN),
    el("channel", &["type"], CHARDEV_CHILDREN),
    el("input", &["type", "bus", "model"], &[el("source", &["evdev", "dev", "grab", "repeat", "grabToggle"], &[]), ALIAS, ADDRESS]),
    el(
        "tpm",
        &["model"],
        &[el("backend", &["type", "version", "persistent_state"], &[el("device", &["path"], &[])]), ALIAS, ADDRESS],
    ),
    el(
        "graphics",
        &[
            "type", "display", "xauth", "fullscreen", "port", "autoport", "websocket", "tlsPort", "defaultMode",
            "sharePolicy", "listen", "keymap", "passwd", "passwdValidTo", "connected",
        ],
        &[
            el("listen", &["type", "address", "network", "socket"], &[]),
            el("channel", &["name", "mode"], &[]),
            el("image", &["compression"], &[]),
            el("jpeg", &["compression"], &[]),
            el("zlib", &["compression"], &[]),
            el("playback", &["compression"], &[]),
            el("streaming", &["mode"], &[]),
            el("mouse", &["mode"], &[]),
            el("clipboard", &["copypaste"], &[]),
            el("filetransfer", &["enable"], &[]),
            el("gl", &["enable", "rendernode"], &[]),
        ],
    ),
    el("sound", &["model"], &[el("codec", &["type"], &[]), ALIAS, ADDRESS]),
    el(
        "video",
        &[],
        &[
            el("driver", &["name"], &[]),
            el(
                "model",
                &["type", "ram", "vram", "vram64", "vgamem", "heads", "primary"],
                &[el("acceleration", &["accel3d", "accel2d"], &[])],
            ),
            ALIAS,
            ADDRESS,
        ],
    ),
    el(
        "hostdev",
        &["mode", "type", "managed", "model"],
        &[
            el(
                "source",
                &["startupPolicy"],
                &[
                    el("vendor", &["id"], &[]),
                    el("product", &["id"], &[]),
                    ADDRESS,
                    el("adapter", &["name"], &[]),
                ],
            ),
            el("driver", &["name"], &[]),
            flag("readonly"),
            flag("shareable"),
            BOOT,
            ALIAS,
            ADDRESS,
        ],
    ),
    el("redirdev", &["bus", "type"], &[ALIAS, ADDRESS]),
    el("hub", &["type"], &[ALIAS, ADDRESS]),
    el("watchdog", &["model", "action"], &[ALIAS, ADDRESS]),
    el("memballoon", &["model", "autodeflate", "freePageReporting"], &[ALIAS, el("stats", &["period"], &[]), ADDRESS]),
    el(
        "rng",
        &["model"],
        &[el("rate", &["bytes", "period"], &[]), text("backend", &["model", "type"]), ALIAS, ADDRESS],
    ),
    el("panic", &["model"], &[ALIAS, ADDRESS]),
    el("shmem", &["name", "role"], &[el("model", &["type"], &[]), el("size", &["unit"], &[]), ALIAS, ADDRESS]),
    el("iommu", &["model"], &[el("driver", &["intremap", "caching_mode", "eim", "iotlb", "aw_bits"], &[]), ALIAS, ADDRESS]),
    el("vsock", &["model"], &[el("cid", &["auto", "address"], &[]), ALIAS, ADDRESS]),
];

/// The character devices share one layout.
pub const CHARDEV_CHILDREN: &[Spec] = &[
    el("source", &["mode", "path", "host", "service", "channel", "append"], &[]),
    el("protocol", &["type"], &[]),
    el("log", &["file", "append"], &[]),
    el("target", &["type", "port", "name", "address", "state"], &[el("model", &["name"], &[])]),
    ALIAS,
    ADDRESS,
];

impl Spec {
    fn child(&self, name: &str) -> Option<&Spec> {
        self.children.iter().find(|c| c.name == name)
    }

    /// `el` reduced to what the spec keeps, in its order.
    pub fn canonical(&self, el: &Element) -> Element {
        let mut out = Element::new(&el.name);
        for &attr in self.attrs {
            if let Some(value) = el.attr(attr) {
                out.attrs.push((attr.to_owned(), value.to_owned()));
            }
        }
        for spec in self.children {
            out.children.extend(el.children_named(spec.name).map(|c| spec.canonical(c)));
        }
        if self.text {
            out.text = el.text.clone();
        }
        out
    }

    /// The first element or attribute in `el` that the spec does not know, as
    /// schema validation would find it.
    pub fn unknown_in(&self, el: &Element) -> Option<String> {
        if let Some((attr, _)) = el.attrs.iter().find(|(a, _)| !self.attrs.contains(&a.as_str())) {
            return Some(format!("attribute {attr} of element {}", el.name));
        }
        el.children.iter().find_map(|c| match self.child(&c.name) {
            Some(spec) => spec.unknown_in(c),
            None => Some(format!("element {} in {}", c.name, el.name)),
        })
    }
}

pub fn device_spec(name: &str) -> Option<&'static Spec> {
    DEVICES.iter().find(|s| s.name == name)
}

pub fn domain_child(name: &str) -> Option<&'static Spec> {
    DOMAIN.child(name)
}
