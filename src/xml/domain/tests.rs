use super::*;

const DEFAULTS: Defaults = Defaults { arch: "i686" };

fn define(xml: &str) -> String {
    format(&parse(xml, false, &DEFAULTS).unwrap(), None, 0)
}

fn error(xml: &str, validate: bool) -> Error {
    parse(xml, validate, &DEFAULTS).unwrap_err()
}

const MINIMAL: &str = "<domain type='test'><name>a</name><uuid>11111111-2222-3333-4444-555555555555</uuid>\
    <memory>1024</memory><os><type>hvm</type></os></domain>";

#[test]
fn a_minimal_definition_gets_libvirts_defaults() {
    assert_eq!(
        define(MINIMAL),
        "<domain type='test'>\n  <name>a</name>\n  <uuid>11111111-2222-3333-4444-555555555555</uuid>\n  \
         <memory unit='KiB'>1024</memory>\n  <currentMemory unit='KiB'>1024</currentMemory>\n  \
         <vcpu placement='static'>1</vcpu>\n  <os>\n    <type arch='i686'>hvm</type>\n    <boot dev='hd'/>\n  \
         </os>\n  <clock offset='utc'/>\n  <on_poweroff>destroy</on_poweroff>\n  <on_reboot>restart</on_reboot>\n  \
         <on_crash>destroy</on_crash>\n  <devices>\n  </devices>\n</domain>\n"
    );
}

#[test]
fn memory_is_scaled_to_kib_rounding_up() {
    assert_eq!(scale_of("MiB").unwrap(), 1 << 20);
    assert_eq!(scale_of("mb").unwrap(), 1_000_000);
    assert_eq!(scale_of("bytes").unwrap(), 1);
    assert_eq!(scale_of("parsec").unwrap_err().message, "invalid argument: unknown suffix 'parsec'");
    let xml = MINIMAL.replace("<memory>1024</memory>", "<memory unit='b'>1000001</memory><currentMemory unit='KB'>999</currentMemory>");
    let out = define(&xml);
    assert!(out.contains("<memory unit='KiB'>977</memory>\n  <currentMemory unit='KiB'>976</currentMemory>"), "{out}");
}

#[test]
fn disks_get_buses_drive_addresses_and_their_controllers() {
    let xml = MINIMAL.replace(
        "</os>",
        "</os><devices><disk type='file'><source file='/c'/><target dev='hdc'/></disk>\
         <disk type='file'><source file='/a'/><target dev='hda'/></disk>\
         <disk type='file'><source file='/s'/><target dev='sdh'/></disk></devices>",
    );
    let out = define(&xml);
    let expected = "    <disk type='file' device='disk'>\n      <source file='/a'/>\n      <target dev='hda' bus='ide'/>\n      \
        <address type='drive' controller='0' bus='0' target='0' unit='0'/>\n    </disk>\n    \
        <disk type='file' device='disk'>\n      <source file='/c'/>\n      <target dev='hdc' bus='ide'/>\n      \
        <address type='drive' controller='0' bus='1' target='0' unit='0'/>\n    </disk>\n";
    assert!(out.contains(expected), "{out}");
    assert!(out.contains("<controller type='scsi' index='0'/>\n    <controller type='scsi' index='1'/>\n    <controller type='ide' index='0'/>\n"), "{out}");
    assert_eq!(devices::disk_index("vdaa"), Some(26));
    assert_eq!(devices::disk_index("eth0"), None);
}

#[test]
fn a_serial_port_brings_its_console_and_macs_are_generated() {
    let xml = MINIMAL.replace("</os>", "</os><devices><interface type='user'/><serial type='pty'/></devices>");
    let out = define(&xml);
    assert!(out.contains("<serial type='pty'>\n      <target port='0'/>\n    </serial>\n    <console type='pty'>\n      <target type='serial' port='0'/>\n    </console>\n"), "{out}");
    let mac = out.split("<mac address='").nth(1).unwrap();
    assert!(mac.starts_with("52:54:00:") && mac[17..].starts_with("'/>"), "{out}");
}

#[test]
fn errors_are_libvirts() {
    let e = error("<domain type='test'><memory>1</memory></domain>", false);
    assert_eq!((e.code, e.domain, e.message.as_str()), (VIR_ERR_NO_NAME, VIR_FROM_DOMAIN, "missing name information"));
    let e = error(&MINIMAL.replace("<os><type>hvm</type></os>", "<os><type arch='z80'>hvm</type></os>"), false);
    assert_eq!((e.code, e.message.as_str()), (VIR_ERR_CONFIG_UNSUPPORTED, "unsupported configuration: Unknown architecture z80"));
    let e = error("<domain type='test'>\n  <name>x</name>\n  <memory>1024</mem>\n</domain>\n", false);
    assert_eq!((e.code, e.message.as_str()), (VIR_ERR_XML_DETAIL, "(domain_definition):3: Opening and ending tag mismatch: memory line 3 and mem\n  <memory>1024</mem>\n--------------------^"));
    let e = error("<domain type='test'><name>x</name>\n", false);
    assert_eq!(e.message, "(domain_definition):2: Premature end of data in tag domain line 1\n(null)\n^");
    assert_eq!(error("", false).message, "(domain_definition):1: Document is empty\n(null)\n^");
    assert_eq!(
        error("<domain type=test/>", false).message,
        "(domain_definition):1: AttValue: \" or ' expected\n<domain type=test/>\n-------------^"
    );
}

#[test]
fn validation_rejects_what_the_schema_does() {
    let e = error(&MINIMAL.replace("<os>", "<bogus/><os>"), true);
    assert_eq!((e.code, e.domain), (VIR_ERR_XML_INVALID_SCHEMA, VIR_FROM_XML));
    assert_eq!(
        e.message,
        "XML document failed to validate against schema: Unable to validate doc against \
         /usr/share/libvirt/schemas/domain.rng\nElement domain has extra content: bogus\n"
    );
    // Unknown content is otherwise dropped, and semantic errors stay themselves.
    assert!(!define(&MINIMAL.replace("<os>", "<bogus/><os>")).contains("bogus"));
    let e = error("<domain type='test'><name>x</name><os><type>hvm</type></os></domain>", true);
    assert_eq!(e.code, VIR_ERR_XML_ERROR);
}

#[test]
fn secure_and_migratable_flags() {
    let xml = MINIMAL.replace(
        "</os>",
        "</os><devices><input type='keyboard' bus='ps2'/><graphics type='vnc' port='5900' passwd='pw'/></devices>",
    );
    let def = parse(&xml, false, &DEFAULTS).unwrap();
    assert!(!format(&def, None, 0).contains("passwd"));
    assert!(format(&def, None, XML_SECURE).contains(" passwd='pw'"));
    assert!(format(&def, Some(3), 0).starts_with("<domain type='test' id='3'>\n"));
    assert!(format(&def, None, 0).contains("<input type='keyboard' bus='ps2'/>"));
    assert!(!format(&def, None, XML_MIGRATABLE).contains("<input"));
}
