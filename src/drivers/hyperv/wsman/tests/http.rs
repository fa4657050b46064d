//! The client against a real socket: recorded Windows replies served back, and a
//! server that refuses, faults, stalls, floods or speaks TLS with its own cert.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use zeroize::Zeroizing;

use super::super::classes::{self, job_epr};
use super::super::{Client, Config, Params};
use super::captures::capture;
use super::server::{self_signed, Reply, Request, Server};
use crate::abi::virterror::*;

const PASSWORD: &str = "Passw0rd!-s3cret";
const V2: &str = "http://schemas.microsoft.com/wbem/wsman/1/wmi/root/virtualization/v2/";

fn config(port: u16) -> Config {
    let mut config = Config::new(
        "127.0.0.1",
        port,
        false,
        "administrator",
        Zeroizing::new(PASSWORD.to_owned()),
    );
    config.read_timeout = Duration::from_secs(5);
    config.connect_timeout = Duration::from_secs(2);
    config
}

fn connect(server: &Server) -> Client {
    Client::new(&config(server.port)).unwrap()
}

/// Serves `files` (captures) in order, one per request.
fn sequence(files: &[&str]) -> impl Fn(&Request) -> Reply {
    let replies: Vec<String> = files.iter().map(|f| capture(f)).collect();
    let next = AtomicUsize::new(0);
    move |_| {
        Reply::soap(
            200,
            replies[next.fetch_add(1, Ordering::SeqCst).min(replies.len() - 1)].clone(),
        )
    }
}

fn soap(body: &str) -> String {
    format!(
        r#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:w="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd"><s:Header/><s:Body>{body}</s:Body></s:Envelope>"#
    )
}

fn text_of(xml: &str, name: &str) -> Option<String> {
    let doc = roxmltree::Document::parse(xml).unwrap();
    let node = doc.descendants().find(|n| n.tag_name().name() == name)?;
    Some(node.text().unwrap_or("").to_owned())
}

#[test]
fn enumeration_pulls_each_context_until_the_end() {
    let server = Server::start(sequence(&[
        "r4sd/recorded_computersystem_enumerate.xml",
        "r4sd/recorded_computersystem_pull_host.xml",
        "r4sd/recorded_computersystem_pull_vm_running_a.xml",
        "r4sd/recorded_computersystem_pull_vm_off.xml",
        "r4sd/recorded_computersystem_pull_vm_running_c_eos.xml",
    ]));
    let client = connect(&server);
    let cs = classes::class("Msvm_ComputerSystem").unwrap();
    let all = client.query(cs, None).unwrap();
    let states: Vec<u16> = all.iter().map(|i| i.require("EnabledState").unwrap()).collect();
    assert_eq!(states, [2, 2, 3, 2]);
    assert_eq!(client.request_count(), 5);

    let requests = server.requests();
    let operations: Vec<String> = requests.iter().map(Request::operation).collect();
    assert_eq!(operations, ["Enumerate", "Pull", "Pull", "Pull", "Pull"]);
    let first = &requests[0];
    assert_eq!(first.path, "/wsman");
    assert_eq!(first.header("content-type"), Some("application/soap+xml;charset=UTF-8"));
    let credentials = base64::engine::general_purpose::STANDARD.encode(format!("administrator:{PASSWORD}"));
    assert_eq!(
        first.header("authorization"),
        Some(format!("Basic {credentials}").as_str())
    );
    assert_eq!(
        text_of(&first.body, "Filter").as_deref(),
        Some("SELECT * FROM Msvm_ComputerSystem")
    );
    assert_eq!(text_of(&first.body, "ResourceURI"), Some(format!("{V2}*")));
    // The server is asked to give up a second before the client would.
    assert_eq!(text_of(&first.body, "OperationTimeout").as_deref(), Some("PT4.000S"));
    // Each Pull carries the context of the reply before it.
    let contexts: Vec<String> = requests[1..]
        .iter()
        .map(|r| text_of(&r.body, "EnumerationContext").unwrap())
        .collect();
    assert_eq!(contexts[0], "uuid:00000000-0000-4000-8000-000000000003");
    assert_eq!(contexts[1], "uuid:00000000-0000-4000-8000-000000000006");
    assert_eq!(contexts[3], "uuid:00000000-0000-4000-8000-000000000011");
    // One kept-alive connection for all five.
    assert_eq!(server.connections.load(Ordering::SeqCst), 1);
}

#[test]
fn optimized_enumeration_collects_every_page() {
    let pages: Vec<String> = (0..4)
        .map(|i| format!("txwinrm/server_2012/Win32_Service_star_00{i}.xml"))
        .collect();
    let server = Server::start(sequence(&pages.iter().map(String::as_str).collect::<Vec<_>>()));
    let client = connect(&server);
    let services = client
        .enumerate_wql(classes::CIMV2, "select * from Win32_Service")
        .unwrap();
    assert_eq!((services.len(), client.request_count()), (131, 4));
    assert!(services.iter().all(|s| s.class.ends_with("Service")));
}

#[test]
fn endless_enumerations_are_cut_and_released() {
    let server = Server::start(|request| match request.operation().as_str() {
        "Release" => Reply::soap(200, soap("")),
        _ => Reply::soap(200, capture("winrb_win32_process_enumerate_response.xml")),
    });
    let mut client = connect(&server);
    client.max_pages = 3;
    let e = client
        .enumerate_wql(classes::CIMV2, "select * from Win32_Process")
        .unwrap_err();
    assert_eq!(
        e.message,
        "internal error: enumeration of 'select * from Win32_Process' did not end after 3 pages (6 items)"
    );
    let requests = server.requests();
    let operations: Vec<String> = requests.iter().map(Request::operation).collect();
    assert_eq!(operations, ["Enumerate", "Pull", "Pull", "Release"]);
    assert!(text_of(&requests[3].body, "EnumerationContext")
        .unwrap()
        .starts_with("uuid:"));
}

#[test]
fn faults_become_errors_and_missing_instances_none() {
    let server = Server::start(|request| {
        if request.operation() == "Enumerate" {
            Reply::soap(500, capture("winrb_fault_cannotprocessfilter_2008r2.xml"))
        } else {
            Reply::soap(500, capture("pypsrp_fault_invalidselectors_response.xml"))
        }
    });
    let client = connect(&server);
    let uri = format!("{V2}Msvm_ComputerSystem");
    let selectors = [("CreationClassName", "Msvm_ComputerSystem"), ("Name", "x' or 1=1 <a>")];
    assert_eq!(client.get_opt(&uri, &selectors).unwrap(), None);
    let e = client.get(&uri, &selectors).unwrap_err();
    assert_eq!((e.code, e.domain), (VIR_ERR_INTERNAL_ERROR, VIR_FROM_HYPERV));
    assert!(
        e.message
            .starts_with("internal error: SOAP fault during get: code 'Sender', subcode 'InvalidSelectors'"),
        "{e}"
    );
    let e = client
        .enumerate_wql(classes::CIMV2, "Select * from Win32_Processa")
        .unwrap_err();
    assert!(
        e.message
            .starts_with("internal error: SOAP fault during enumeration: code 'Sender', subcode 'CannotProcessFilter'"),
        "{e}"
    );
    assert!(e
        .message
        .contains("The specified class does not exist in the given namespace."));
    // The selector value went out as escaped text.
    let doc_text = server.requests()[0].body.clone();
    let doc = roxmltree::Document::parse(&doc_text).unwrap();
    let values: Vec<&str> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "Selector")
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(values, ["Msvm_ComputerSystem", "x' or 1=1 <a>"]);
}

#[test]
fn http_failures() {
    let server = Server::start(|request| {
        let case = ["unauthorized", "unavailable", "malformed", "html500", "wrongroot"]
            .into_iter()
            .find(|case| request.body.contains(case));
        match case {
            Some("unauthorized") => {
                Reply::Http(401, vec![("WWW-Authenticate", "Basic realm=\"WSMAN\"".into())], vec![])
            }
            Some("unavailable") => Reply::soap(503, "<html>Service Unavailable</html>"),
            Some("malformed") => Reply::soap(
                200,
                "<s:Envelope xmlns:s='http://www.w3.org/2003/05/soap-envelope'><s:Body>",
            ),
            Some("html500") => Reply::soap(500, "<html><body>error</body></html>"),
            Some(_) => Reply::soap(200, "<Envelope/>"),
            None => Reply::Close,
        }
    });
    let client = connect(&server);
    let get = |what: &str| {
        client
            .get(&format!("{V2}Msvm_ComputerSystem"), &[("Name", what)])
            .unwrap_err()
    };

    let e = get("unauthorized");
    assert_eq!((e.code, e.domain), (VIR_ERR_AUTH_FAILED, VIR_FROM_HYPERV));
    assert_eq!(
        e.message,
        format!(
            "authentication failed: 127.0.0.1:{} refused the credentials of 'administrator' (HTTP 401) during get",
            server.port
        )
    );
    let e = get("unavailable");
    assert_eq!(
        e.message,
        format!(
            "internal error: Unexpected HTTP response during get: 503 (127.0.0.1:{})",
            server.port
        )
    );
    let e = get("malformed");
    assert!(
        e.message.starts_with("internal error: Malformed response during get: "),
        "{e}"
    );
    let e = get("html500");
    assert_eq!(
        e.message,
        "internal error: Malformed response during get: not a SOAP 1.2 envelope"
    );
    let e = get("wrongroot");
    assert_eq!(
        e.message,
        "internal error: Malformed response during get: not a SOAP 1.2 envelope"
    );
    let e = get("close");
    assert_eq!(e.code, VIR_ERR_INTERNAL_ERROR);
    assert!(
        e.message.starts_with("internal error: Transport error during get: "),
        "{e}"
    );
    assert!(e.message.contains(&format!("127.0.0.1:{}", server.port)), "{e}");
    for request in server.requests() {
        assert!(!request.body.contains(PASSWORD));
    }
    assert_eq!(client.request_count(), 6);
}

#[test]
fn refused_connections_name_the_host() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let e = Client::new(&config(port)).unwrap().identify().unwrap_err();
    assert_eq!(e.code, VIR_ERR_INTERNAL_ERROR);
    assert!(
        e.message.starts_with(&format!(
            "internal error: Transport error during identify: cannot connect to 127.0.0.1:{port}"
        )),
        "{e}"
    );
    assert!(!e.message.contains(PASSWORD));
}

#[test]
fn a_stalled_server_times_out() {
    let server = Server::start(|_| Reply::Stall(Duration::from_secs(10)));
    let mut config = config(server.port);
    config.read_timeout = Duration::from_millis(400);
    let client = Client::new(&config).unwrap();
    let start = Instant::now();
    let e = client.identify().unwrap_err();
    assert!(start.elapsed() < Duration::from_millis(2400), "{:?}", start.elapsed());
    assert_eq!((e.code, e.domain), (VIR_ERR_OPERATION_TIMEOUT, VIR_FROM_HYPERV));
    assert_eq!(
        e.message,
        format!(
            "Timed out during operation: no response from 127.0.0.1:{} during identify in time",
            server.port
        )
    );
}

#[test]
fn oversized_responses_are_refused() {
    let big = vec![b'x'; 3 << 20];
    let server = Server::start(move |request| {
        if request.body.contains("declared") {
            Reply::Http(200, vec![], big.clone())
        } else {
            let mut raw = b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n".to_vec();
            raw.extend_from_slice(&big);
            Reply::Raw(raw)
        }
    });
    let mut config = config(server.port);
    config.max_response_bytes = 1 << 20;
    let client = Client::new(&config).unwrap();
    for case in ["declared", "streamed"] {
        let e = client.get(&format!("{V2}X"), &[("Name", case)]).unwrap_err();
        assert_eq!(
            e.message,
            format!(
                "internal error: Response from 127.0.0.1:{} during get exceeds 1048576 bytes",
                server.port
            )
        );
    }
}

fn output(method: &str, return_value: u32, job: Option<&str>) -> String {
    let job = job
        .map(|id| {
            format!(
                "<p:Job><a:Address>{}</a:Address><a:ReferenceParameters><w:ResourceURI>{V2}Msvm_ConcreteJob</w:ResourceURI><w:SelectorSet><w:Selector Name=\"InstanceID\">{id}</w:Selector></w:SelectorSet></a:ReferenceParameters></p:Job>",
                super::super::ns::ANONYMOUS
            )
        })
        .unwrap_or_default();
    soap(&format!(
        r#"<p:{method}_OUTPUT xmlns:p="{V2}Msvm_ComputerSystem">{job}<p:ReturnValue>{return_value}</p:ReturnValue></p:{method}_OUTPUT>"#
    ))
}

fn job(state: u16, extra: &str) -> String {
    soap(&format!(
        r#"<p:Msvm_ConcreteJob xmlns:p="{V2}Msvm_ConcreteJob" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><p:ErrorCode>0</p:ErrorCode>{extra}<p:InstanceID>J1</p:InstanceID><p:JobState>{state}</p:JobState><p:PercentComplete>40</p:PercentComplete></p:Msvm_ConcreteJob>"#
    ))
}

/// Invoke answers 4096 + job J1; the job then reports `states` one Get at a time.
fn job_server(states: Vec<(u16, &'static str)>) -> Server {
    let polls = AtomicUsize::new(0);
    Server::start(move |request| {
        if request.operation() == "RequestStateChange_INPUT" {
            return Reply::soap(200, output("RequestStateChange", 4096, Some("J1")));
        }
        let (state, extra) = states[polls.fetch_add(1, Ordering::SeqCst).min(states.len() - 1)];
        Reply::soap(200, job(state, extra))
    })
}

#[test]
fn invoke_and_wait_for_the_job() {
    let server = job_server(vec![(4, ""), (4, ""), (7, "")]);
    let client = connect(&server);
    let uri = format!("{V2}Msvm_ComputerSystem");
    let selectors = [("CreationClassName", "Msvm_ComputerSystem"), ("Name", "GUID-1")];
    let params = Params::new().text("RequestedState", "2");
    let start = Instant::now();
    let out = client
        .invoke_and_wait(&uri, &selectors, "RequestStateChange", &params, Duration::from_secs(10))
        .unwrap();
    assert!(start.elapsed() < Duration::from_millis(500), "{:?}", start.elapsed());
    assert_eq!(out.require::<u32>("ReturnValue").unwrap(), 4096);
    assert_eq!(client.request_count(), 4);
    let requests = server.requests();
    assert_eq!(
        text_of(&requests[0].body, "Action"),
        Some(format!("{uri}/RequestStateChange"))
    );
    assert_eq!(text_of(&requests[0].body, "RequestedState").as_deref(), Some("2"));
    assert_eq!(
        text_of(&requests[1].body, "ResourceURI"),
        Some(format!("{V2}Msvm_ConcreteJob"))
    );
    assert_eq!(text_of(&requests[1].body, "Selector").as_deref(), Some("J1"));
}

#[test]
fn failed_and_endless_jobs() {
    let server = job_server(vec![
        (4, ""),
        (
            10,
            "<p:ErrorDescription>The VM could not start &amp; gave up.</p:ErrorDescription>",
        ),
    ]);
    let client = connect(&server);
    let e = client
        .wait_job(&job_epr("J1"), Instant::now() + Duration::from_secs(10))
        .unwrap_err();
    assert_eq!((e.code, e.domain), (VIR_ERR_OPERATION_FAILED, VIR_FROM_HYPERV));
    assert_eq!(
        e.message,
        "operation failed: job J1 failed: The VM could not start & gave up., error code 0"
    );

    let server = job_server(vec![(4, "")]);
    let client = connect(&server);
    let start = Instant::now();
    let e = client
        .wait_job(&job_epr("J1"), Instant::now() + Duration::from_millis(300))
        .unwrap_err();
    assert!(start.elapsed() < Duration::from_millis(1000), "{:?}", start.elapsed());
    assert_eq!(e.code, VIR_ERR_OPERATION_TIMEOUT);
    assert_eq!(
        e.message,
        "Timed out during operation: job J1 still running (state 4, 40% complete)"
    );
    // Polls back off: 10, 20, 40, 80, 160 ms… a handful, not hundreds.
    assert!((4..=8).contains(&client.request_count()), "{}", client.request_count());

    let server = Server::start(|_| Reply::soap(200, output("RequestStateChange", 32775, None)));
    let client = connect(&server);
    let params = Params::new().text("RequestedState", "3");
    let e = client
        .invoke_and_wait(
            &format!("{V2}Msvm_ComputerSystem"),
            &[],
            "RequestStateChange",
            &params,
            Duration::from_secs(1),
        )
        .unwrap_err();
    assert_eq!(e.message, "operation failed: Invocation of RequestStateChange returned an error: Invalid state for this operation (32775)");
}

#[test]
fn shared_between_threads() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Client>();
    let server = Server::start(sequence(&["greenbone_identify_response_unauthenticated.xml"]));
    let client = Arc::new(connect(&server));
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let client = client.clone();
            std::thread::spawn(move || {
                (0..5)
                    .map(|_| client.identify().unwrap().product_vendor)
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    for thread in threads {
        assert!(thread.join().unwrap().iter().all(|v| v == "Microsoft Corporation"));
    }
    assert_eq!(client.request_count(), 20);
    assert!(server.connections.load(Ordering::SeqCst) <= 4);
}

#[test]
fn tls_verification_and_its_two_escapes() {
    let (pem, tls) = self_signed(&["127.0.0.1", "localhost"], false);
    let server = Server::start_tls(tls, sequence(&["greenbone_identify_response_unauthenticated.xml"]));
    let https = |f: &dyn Fn(&mut Config)| {
        let mut config = config(server.port);
        config.https = true;
        f(&mut config);
        Client::new(&config).unwrap().identify()
    };

    let e = https(&|_| {}).unwrap_err();
    assert_eq!(e.code, VIR_ERR_INTERNAL_ERROR);
    assert!(
        e.message.contains(&format!(
            "TLS certificate verification of 127.0.0.1:{} failed during identify",
            server.port
        )),
        "{e}"
    );
    assert!(
        e.message.contains("?cacert=PATH") && e.message.contains("?no_verify=1"),
        "{e}"
    );

    assert_eq!(
        https(&|c| c.no_verify = true).unwrap().product_vendor,
        "Microsoft Corporation"
    );

    let dir = std::env::temp_dir().join(format!("ferrovirt-wsman-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let ca = dir.join("server.pem");
    std::fs::write(&ca, &pem).unwrap();
    assert_eq!(
        https(&|c| c.cacert = Some(ca.clone())).unwrap().product_vendor,
        "Microsoft Corporation"
    );

    let (other, _) = self_signed(&["127.0.0.1"], false);
    let wrong = dir.join("other.pem");
    std::fs::write(&wrong, other).unwrap();
    let e = https(&|c| c.cacert = Some(wrong.clone())).unwrap_err();
    assert!(e.message.contains("?no_verify=1"), "{e}");

    let mut config = config(server.port);
    config.https = true;
    config.cacert = Some(dir.join("missing.pem"));
    let e = Client::new(&config).err().unwrap();
    assert_eq!(e.code, VIR_ERR_INVALID_ARG);
    assert!(e.message.starts_with("invalid argument: cannot read CA file"), "{e}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn round_trips_do_not_wait_on_delayed_acks() {
    let server = Server::start(sequence(&["greenbone_identify_response_unauthenticated.xml"]));
    let client = connect(&server);
    let start = Instant::now();
    for _ in 0..200 {
        client.identify().unwrap();
    }
    // 40 ms per request if a write waited for the peer's delayed ACK: 8 s.
    assert!(start.elapsed() < Duration::from_secs(2), "{:?}", start.elapsed());
    assert_eq!(server.connections.load(Ordering::SeqCst), 1);
}

#[test]
fn a_self_signed_ca_certificate_named_in_cacert() {
    let dir = std::env::temp_dir().join(format!("ferrovirt-wsman-ca-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // What `openssl req -x509` makes: self-signed with CA:TRUE, which WebPKI alone
    // refuses as an end entity.
    for (names, works) in [(&["127.0.0.1"][..], true), (&["winrm.example"][..], false)] {
        let (pem, tls) = self_signed(names, true);
        let server = Server::start_tls(tls, sequence(&["greenbone_identify_response_unauthenticated.xml"]));
        let ca = dir.join("ca.pem");
        std::fs::write(&ca, pem).unwrap();
        let mut config = config(server.port);
        config.https = true;
        config.cacert = Some(ca);
        let result = Client::new(&config).unwrap().identify();
        match works {
            true => assert_eq!(result.unwrap().product_vendor, "Microsoft Corporation"),
            false => assert!(result.unwrap_err().message.contains("NotValidForName")),
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
