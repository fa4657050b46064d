//! Every recorded WinRM reply in testdata/ (see testdata/SOURCES.md) read by the
//! client's parsers, plus what each teaches about the wire format.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::super::classes;
use super::super::datetime::DateTime;
use super::super::fault::Fault;
use super::super::instance::{parse_epr, Epr, Instance, Value};
use super::super::response::{self, read_body, Failure, Identity, Page};
use crate::abi::virterror::*;

pub fn testdata(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src/drivers/hyperv/wsman/testdata")
        .join(name)
}

pub fn capture(name: &str) -> String {
    std::fs::read_to_string(testdata(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[derive(Debug)]
enum Parsed {
    Page(Page),
    Instance(Instance),
    Identity(Identity),
}

fn parse(text: &str) -> Result<Parsed, Failure> {
    read_body(text, 200, "test", |body| {
        let first = body
            .children()
            .find(|c| c.is_element())
            .map(|c| c.tag_name().name())
            .unwrap_or("");
        match first {
            "EnumerateResponse" | "PullResponse" => response::read_page(body, "test").map(Parsed::Page),
            "IdentifyResponse" => response::read_identity(body, "test").map(Parsed::Identity),
            _ => response::read_instance(body, "test").map(Parsed::Instance),
        }
    })
}

fn page(name: &str) -> Page {
    match parse(&capture(name)) {
        Ok(Parsed::Page(page)) => page,
        other => panic!("{name}: {other:?}"),
    }
}

fn instance(name: &str) -> Instance {
    match parse(&capture(name)) {
        Ok(Parsed::Instance(instance)) => instance,
        other => panic!("{name}: {other:?}"),
    }
}

fn fault(name: &str) -> Fault {
    match parse(&capture(name)) {
        Err(Failure::Fault(fault)) => *fault,
        other => panic!("{name}: {other:?}"),
    }
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "xml") {
            out.push(path);
        }
    }
}

#[test]
fn every_capture_is_read_or_cleanly_rejected() {
    let mut all = Vec::new();
    files(&testdata(""), &mut all);
    all.sort();
    let (mut pages, mut instances, mut faults, mut requests) = (0, 0, 0, 0);
    for path in &all {
        let name = path.file_name().unwrap().to_str().unwrap();
        let text = std::fs::read_to_string(path).unwrap();
        if path.to_str().unwrap().contains("request") {
            // What clients sent: only checked to be XML.
            roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
            requests += 1;
            continue;
        }
        // Cut short, every reply is refused as malformed, never a panic.
        match parse(&text[..text.char_indices().nth(text.chars().count() / 2).unwrap().0]) {
            Err(Failure::Error(e)) => assert!(
                e.message.starts_with("internal error: Malformed response"),
                "{name}: {e}"
            ),
            other => panic!("{name} truncated: {other:?}"),
        }
        match parse(&text) {
            Ok(Parsed::Page(page)) => {
                assert!(!page.items.is_empty() || page.context.is_some() || page.end, "{name}");
                for item in &page.items {
                    assert!(
                        !item.class.is_empty() && !item.properties.is_empty(),
                        "{name}: {item:?}"
                    );
                }
                pages += 1;
            }
            Ok(Parsed::Instance(instance)) => {
                assert!(!instance.properties.is_empty(), "{name}");
                instances += 1;
            }
            Ok(Parsed::Identity(identity)) => {
                assert_eq!(identity.product_vendor, "Microsoft Corporation")
            }
            Err(Failure::Fault(fault)) => {
                assert!(!fault.code.is_empty() && !fault.reason.is_empty(), "{name}: {fault:?}");
                faults += 1;
            }
            Err(Failure::Error(error)) => panic!("{name}: {error}"),
        }
    }
    assert_eq!(all.len(), 102, "captures in testdata");
    assert_eq!((pages, instances, faults, requests), (74, 7, 11, 9));
}

#[test]
fn hyperv_enumeration_one_item_per_pull() {
    let first = page("r4sd/recorded_computersystem_enumerate.xml");
    assert!(first.items.is_empty() && !first.end);
    assert_eq!(
        first.context.as_deref(),
        Some("uuid:00000000-0000-4000-8000-000000000003")
    );

    let host = page("r4sd/recorded_computersystem_pull_host.xml");
    assert_eq!((host.items.len(), host.end), (1, false));
    let host = &host.items[0];
    let cs = classes::class("msvm_computersystem").unwrap();
    cs.check(host).unwrap();
    assert_eq!(host.require::<u16>("RequestedState").unwrap(), 12);
    assert_eq!(host.get::<u32>("ProcessID").unwrap(), None);

    let vm = page("r4sd/recorded_computersystem_pull_vm_running_a.xml");
    let vm = &vm.items[0];
    cs.check(vm).unwrap();
    assert_eq!(vm.class, "Msvm_ComputerSystem");
    assert_eq!(vm.namespace, cs.resource_uri());
    assert_eq!(
        vm.require::<String>("Name").unwrap(),
        "00000000-0000-4000-8000-00000000000a"
    );
    assert_eq!(vm.require::<u16>("EnabledState").unwrap(), 2);
    assert_eq!(vm.require::<u32>("ProcessID").unwrap(), 9624);
    assert_eq!(vm.require::<u64>("OnTimeInMilliseconds").unwrap(), 6138294371);
    assert_eq!(vm.require::<String>("Caption").unwrap(), "仮想マシン");
    assert_eq!(vm.array::<u16>("OperationalStatus").unwrap(), [2]);
    assert_eq!(vm.get::<String>("InstanceID").unwrap(), None);
    assert_eq!(
        vm.require::<DateTime>("InstallDate").unwrap().to_dmtf(),
        "20251217095522.702341+000"
    );
    // WMI's zero FILETIME for "never".
    assert_eq!(vm.require::<DateTime>("LastReplicationTime").unwrap().year, 1601);
    assert_eq!(
        cs.epr(vm).unwrap().selectors,
        [
            ("CreationClassName".to_owned(), "Msvm_ComputerSystem".to_owned()),
            ("Name".to_owned(), "00000000-0000-4000-8000-00000000000a".to_owned())
        ]
    );

    let off = page("r4sd/recorded_computersystem_pull_vm_off.xml");
    assert_eq!(off.items[0].require::<u16>("EnabledState").unwrap(), 3);
    assert_eq!(off.items[0].get::<u32>("ProcessID").unwrap(), None);

    let last = page("r4sd/recorded_computersystem_pull_vm_running_c_eos.xml");
    assert_eq!((last.items.len(), last.context, last.end), (1, None, true));
}

#[test]
fn references_are_endpoint_references() {
    let created = page("r4sd/recorded_affectedjobelement_pull_created.xml");
    assert!(created.end && created.context.is_none());
    let association = &created.items[0];
    let affected: Epr = association.require("AffectedElement").unwrap();
    assert_eq!(affected.address, super::super::ns::ANONYMOUS);
    assert_eq!(
        affected.resource_uri,
        classes::resource_uri(classes::VIRTUALIZATION_V2, "Msvm_VirtualSystemSettingData")
    );
    assert_eq!(
        affected.selector("InstanceID"),
        Some("Microsoft:00000000-0000-4000-8000-000000000083")
    );
    let job: Epr = association.require("AffectingElement").unwrap();
    assert_eq!(job, classes::job_epr("00000000-0000-4000-8000-000000000066"));
    assert_eq!(association.require::<u16>("ElementEffects").unwrap(), 5);

    let other = page("r4sd/recorded_affectedjobelement_pull_other_job_1.xml");
    let system: Epr = other.items[0].require("AffectedElement").unwrap();
    assert_eq!(system.selectors.len(), 2);
    assert_eq!(system.selector("CreationClassName"), Some("Msvm_ComputerSystem"));

    // Hyper-V v1, pretty-printed: the same shape, backslashes kept verbatim.
    let v1 = page("runnermei_hyperv_v1_settingsdefinecapabilities_enumerate_response.xml");
    assert!(v1.end && v1.context.is_some());
    let part: Epr = v1.items[0].require("PartComponent").unwrap();
    assert_eq!(
        part.selector("InstanceID"),
        Some("Microsoft:Definition\\06FF76FA-2D58-4BAF-9F8D-455773824F37\\Default")
    );

    // transfer Create names the real endpoint, not the anonymous role.
    let text = capture("winrb_transfer_create_response_epr.xml");
    let doc = roxmltree::Document::parse(&text).unwrap();
    let created = doc
        .descendants()
        .find(|n| n.tag_name().name() == "ResourceCreated")
        .unwrap();
    let epr = parse_epr(created);
    assert_eq!(epr.address, "http://localhost:5985/wsman");
    assert_eq!(epr.selector("ShellId"), Some("62DE33F0-8674-43D9-B6A5-3298012CC4CD"));
}

#[test]
fn other_hyperv_classes() {
    let rasd = &page("r4sd/pull_response_xsinil_real.xml").items[0];
    classes::class("Msvm_ResourceAllocationSettingData")
        .unwrap()
        .check(rasd)
        .unwrap();
    let gnac = &page("r4sd/recorded_pull_guestnetworkadapterconfiguration.xml").items[0];
    let class = classes::class("Msvm_GuestNetworkAdapterConfiguration").unwrap();
    class.check(gnac).unwrap();
    // An off VM: empty arrays are left out entirely.
    assert_eq!(gnac.array::<String>("IPAddresses").unwrap(), Vec::<String>::new());
    assert!(gnac.require::<String>("InstanceID").unwrap().contains('\\'));
    let switch = &page("r4sd/recorded_pull_virtualethernetswitch.xml").items[0];
    classes::class("Msvm_VirtualEthernetSwitch")
        .unwrap()
        .check(switch)
        .unwrap();
    let port = &page("r4sd/recorded_pull_externalethernetport.xml").items[0];
    assert!(port
        .properties
        .iter()
        .any(|(_, v)| matches!(v, Value::Text(t) if t == "true" || t == "false")));
}

#[test]
fn windows_enumerations_and_fragments() {
    // Optimized: a first few items in w:Items (2008 R2 gave two), the rest by Pull
    // (n:Items), until n:EndOfSequence.
    let first = page("winrb_win32_process_enumerate_response.xml");
    assert_eq!((first.items.len(), first.end), (2, false));
    assert!(first.context.is_some());
    let process = &first.items[0];
    assert_eq!(process.class, "Win32_Process");
    assert_eq!(
        process.get::<DateTime>("CreationDate").unwrap(),
        None,
        "System Idle Process"
    );
    assert_eq!(
        first.items[1]
            .require::<DateTime>("CreationDate")
            .unwrap()
            .offset_minutes,
        -420
    );
    let last = page("winrb_win32_process_pull_response_eos.xml");
    assert!(last.end && last.context.is_none() && !last.items.is_empty());

    // A whole result in the EnumerateResponse: empty context + w:EndOfSequence.
    let os = page("txwinrm/server_2012/Win32_OperatingSystem_star_000.xml");
    assert_eq!((os.items.len(), os.context.as_deref(), os.end), (1, None, true));
    assert_eq!(os.items[0].require::<String>("CSDVersion").ok(), None);
    assert_eq!(os.items[0].get::<String>("Description").unwrap().as_deref(), Some(""));
    classes::class("Win32_OperatingSystem")
        .unwrap()
        .check(&os.items[0])
        .unwrap();

    // Pages filled by size, not count; subclasses come under their own names.
    let pages: Vec<Page> = (0..4)
        .map(|i| page(&format!("txwinrm/server_2012/Win32_Service_star_00{i}.xml")))
        .collect();
    assert_eq!(pages.iter().map(|p| p.items.len()).collect::<Vec<_>>(), [1, 50, 52, 28]);
    assert_eq!(
        pages[2]
            .items
            .iter()
            .filter(|i| i.class == "Win32_TerminalService")
            .count(),
        1
    );

    let cs = &page("txwinrm/server_2012/Win32_ComputerSystem_star_000.xml").items[0];
    assert_eq!(
        cs.array::<String>("Roles").unwrap(),
        ["LM_Workstation", "LM_Server", "NT", "Server_NT"]
    );
    classes::class("Win32_ComputerSystem").unwrap().check(cs).unwrap();

    // SELECT a, b: w:XmlFragment with unqualified children and unqualified Datetime.
    let fragment = &page("opennms_wql_xmlfragment_enumerate_response.xml").items[0];
    assert_eq!(fragment.class, "XmlFragment");
    assert_eq!(fragment.require::<String>("Name").unwrap(), "A:");
    assert_eq!(fragment.get::<u64>("FreeSpace").unwrap(), None);
    let rest = page("opennms_wql_xmlfragment_pull_response_eos.xml");
    assert_eq!((rest.items.len(), rest.end), (3, true));
    let os = &page("txwinrm/server_2012/Win32_OperatingSystem_all_000.xml").items[0];
    assert_eq!(os.require::<DateTime>("LastBootUpTime").unwrap().microsecond, 488171);
}

#[test]
fn method_outputs_and_gets() {
    let delete = instance("winrb_cim_datafile_delete_invoke_response.xml");
    assert_eq!(delete.class, "Delete_OUTPUT");
    assert_eq!(delete.require::<u32>("ReturnValue").unwrap(), 0);
    let enum_key = instance("openwsman_stdregprov_enumkey_invoke_response.xml");
    let names: Vec<String> = enum_key.array("sNames").unwrap();
    assert_eq!(
        (names.len(), names[0].as_str(), names[25].as_str()),
        (26, "AddressBook", "{F8FBDC28-C265-4F0D-8B91-6E92913E19F6}")
    );

    let os = instance("runnermei_win32_operatingsystem_get_response_truncated.xml");
    assert_eq!(os.class, "Win32_OperatingSystem");

    // WinRM's own configuration: nested elements become objects.
    let config = instance("pypsrp_config_get_response.xml");
    assert_eq!(config.require::<u32>("MaxEnvelopeSizekb").unwrap(), 500);
    let client: Instance = config.require("Client").unwrap();
    let auth: Instance = client.require("Auth").unwrap();
    assert!(auth.require::<bool>("Basic").unwrap());
    assert_eq!(
        instance("pypsrp_config_get_150kb_response.xml")
            .require::<u32>("MaxEnvelopeSizekb")
            .unwrap(),
        150
    );

    match parse(&capture("greenbone_identify_response_unauthenticated.xml")) {
        Ok(Parsed::Identity(identity)) => {
            assert_eq!(identity.protocol_version, super::super::ns::WSMAN);
            assert_eq!(identity.product_version, "OS: 0.0.0 SP: 0.0 Stack: 3.0");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn faults_carry_their_texts() {
    let f = fault("winrb_fault_cannotprocessfilter_2008r2.xml");
    assert_eq!(
        (f.code.as_str(), f.subcode.as_deref(), f.wsman_code),
        ("Sender", Some("CannotProcessFilter"), Some(2150858778))
    );
    assert!(f.reason.starts_with("The data source could not process the filter.") && f.reason.ends_with("again."));
    assert_eq!(
        f.messages,
        ["The specified class does not exist in the given namespace."]
    );
    let e = f.to_error("enumeration");
    assert_eq!((e.code, e.domain), (VIR_ERR_INTERNAL_ERROR, VIR_FROM_HYPERV));
    assert_eq!(
        e.message,
        "internal error: SOAP fault during enumeration: code 'Sender', subcode 'CannotProcessFilter', reason 'The data \
         source could not process the filter. The filter might be missing or it might be invalid. Change the filter and \
         try the request again.', detail 'WSManFault 2150858778 (0x8033801A); The specified class does not exist in the \
         given namespace.'"
    );
    assert!(!f.is_not_found());

    // Pretty-printed with line breaks inside the texts.
    let v1 = fault("winrb_fault_cannotprocessfilter_v1.xml");
    assert_eq!(v1.reason, f.reason);
    assert_eq!(v1.messages, f.messages);

    let quota = fault("winrb_fault_quotalimit_msft_wmierror.xml");
    assert_eq!(quota.subcode.as_deref(), Some("QuotaLimit"));
    assert_eq!(quota.messages.len(), 1);
    assert!(
        quota.messages[0].contains("maximum number of 30 concurrent shells"),
        "{quota:?}"
    );

    let omi = fault("winrb_fault_omi_internalerror.xml");
    assert_eq!(
        (omi.code.as_str(), omi.subcode.as_deref()),
        ("Receiver", Some("InternalError"))
    );
    assert_eq!(omi.reason, "get-instance: instance name parameter is missing");

    let selectors = fault("pypsrp_fault_invalidselectors_response.xml");
    assert_eq!(selectors.detail.as_deref(), Some("UnexpectedSelectors"));
    assert!(selectors.is_not_found());
    assert!(selectors.to_error("get").message.contains("subcode 'InvalidSelectors'"));

    let timed_out = fault("pypsrp_fault_timedout_response.xml");
    assert_eq!(timed_out.to_error("pull").code, VIR_ERR_OPERATION_TIMEOUT);

    let internal = fault("pypsrp_fault_internalerror_response.xml");
    assert_eq!(internal.wsman_code, Some(2147942402));
    assert!(internal.messages.is_empty(), "the provider's text repeats the reason");

    assert_eq!(
        fault("pypsrp_fault_invalidparameter_response.xml").detail.as_deref(),
        Some("InvalidValue")
    );
    let header = fault("pypsrp_fault_invalidmsginfoheader_response.xml");
    assert_eq!(header.subcode.as_deref(), Some("InvalidMessageInformationHeader"));
    assert!(header.messages[0].contains("invalid timeout field in the SOAP header: PT-1S"));

    let busy = fault("txwinrm/errors_subscribe/max_concurrent.xml");
    assert_eq!((busy.code.as_str(), busy.wsman_code), ("Receiver", Some(2150859174)));
    assert!(busy.messages[0].starts_with("The WS-Management service cannot process the request. This user is allowed"));

    // Stored upstream with its xmlns:w value broken over two lines: still XML, but
    // "w:" then names another namespace, so only w:FaultDetail is lost.
    let broken = fault("opennms_fault_destinationunreachable_invalidresourceuri.xml");
    assert_eq!(
        (broken.subcode.as_deref(), broken.detail.as_deref()),
        (Some("DestinationUnreachable"), None)
    );
    assert!(broken.is_not_found());
    let repaired = capture("opennms_fault_destinationunreachable_invalidresourceuri.xml")
        .replace("schem\nas.dmtf", "schemas.dmtf");
    let Err(Failure::Fault(gone)) = parse(&repaired) else {
        panic!("repaired capture should be a fault")
    };
    assert_eq!(
        (gone.subcode.as_deref(), gone.detail.as_deref()),
        (Some("DestinationUnreachable"), Some("InvalidResourceURI"))
    );
    assert!(gone.is_not_found());
    assert_eq!(gone.wsman_code, Some(2150858752));
}

#[test]
fn job_durations_read_from_intervals() {
    let xml = r#"<p:Msvm_ConcreteJob xmlns:p="urn:x" xmlns:cim="http://schemas.dmtf.org/wbem/wscim/1/common"><p:ElapsedTime><cim:Interval>P0DT0H0M1.5S</cim:Interval></p:ElapsedTime></p:Msvm_ConcreteJob>"#;
    let doc = roxmltree::Document::parse(xml).unwrap();
    let job = Instance::from_element(doc.root_element());
    assert_eq!(
        job.require::<Duration>("ElapsedTime").unwrap(),
        Duration::from_millis(1500)
    );
}
