//! The client against tools/hyperv-sim (the Windows-faithful simulator), when the
//! tree has it. HYPERV_SIM=path/to/hyperv_sim.py points at another copy.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use zeroize::Zeroizing;

use super::super::classes::{self, wql_quote};
use super::super::{Client, Config, Params};
use crate::abi::virterror::*;

struct Sim {
    child: Child,
    port: u16,
}

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn script() -> Option<PathBuf> {
    let path = std::env::var_os("HYPERV_SIM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tools/hyperv-sim/hyperv_sim.py"));
    path.exists().then_some(path)
}

fn start(extra: &[&str]) -> Option<Sim> {
    let Some(script) = script() else {
        eprintln!("tools/hyperv-sim not in this tree: simulator tests skipped");
        return None;
    };
    let mut child = Command::new("/usr/bin/python3")
        .arg(script)
        .args(["--port", "0"])
        .args(extra)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line
        .trim()
        .rsplit(':')
        .next()
        .unwrap()
        .trim_end_matches("/wsman")
        .parse()
        .unwrap();
    Some(Sim { child, port })
}

fn config(sim: &Sim, password: &str) -> Config {
    Config::new(
        "127.0.0.1",
        sim.port,
        false,
        "administrator",
        Zeroizing::new(password.to_owned()),
    )
}

/// POST to the simulator's control interface.
fn control(sim: &Sim, path: &str, json: &str) {
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", sim.port)).unwrap();
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{json}",
        json.len()
    )
    .unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).unwrap();
    assert!(
        reply.starts_with("HTTP/1.1 200") || reply.starts_with("HTTP/1.0 200"),
        "{reply}"
    );
}

#[test]
fn against_the_simulator() {
    let Some(sim) = start(&[]) else { return };
    let client = Client::new(&config(&sim, "Passw0rd!")).unwrap();
    assert_eq!(client.identify().unwrap().product_vendor, "Microsoft Corporation");

    let cs = classes::class("Msvm_ComputerSystem").unwrap();
    let vms = client.query(cs, Some("Name != __SERVER")).unwrap();
    assert!(vms.len() >= 2, "{vms:?}");
    let off = client
        .query(cs, Some(&format!("ElementName = {}", wql_quote("db01"))))
        .unwrap()
        .pop()
        .expect("db01 in the default inventory");
    assert_eq!(off.require::<u16>("EnabledState").unwrap(), 3);

    let epr = cs.epr(&off).unwrap();
    let selectors: Vec<(&str, &str)> = epr.selectors.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    assert_eq!(
        client.get_epr(&epr).unwrap().require::<String>("ElementName").unwrap(),
        "db01"
    );
    let missing = [
        ("CreationClassName", "Msvm_ComputerSystem"),
        ("Name", "00000000-0000-0000-0000-000000000000"),
    ];
    assert_eq!(client.get_opt(&epr.resource_uri, &missing).unwrap(), None);

    // Start it: 4096 + a job, polled to completion.
    let params = Params::new().text("RequestedState", "2");
    let start = Instant::now();
    client
        .invoke_and_wait(
            &epr.resource_uri,
            &selectors,
            "RequestStateChange",
            &params,
            Duration::from_secs(30),
        )
        .unwrap();
    eprintln!(
        "RequestStateChange took {:?}, {} requests so far",
        start.elapsed(),
        client.request_count()
    );
    assert_eq!(client.get_epr(&epr).unwrap().require::<u16>("EnabledState").unwrap(), 2);

    let e = client
        .enumerate_wql(classes::VIRTUALIZATION_V2, "SELECT * FROM Msvm_NoSuchClass")
        .unwrap_err();
    assert!(e.message.contains("subcode 'CannotProcessFilter'"), "{e}");

    let wrong = Client::new(&config(&sim, "wrong")).unwrap().identify().unwrap_err();
    assert_eq!(wrong.code, VIR_ERR_AUTH_FAILED);
    assert!(!wrong.message.contains("wrong"), "{wrong}");

    // Injected misbehaviour.
    control(&sim, "/_sim/fault", r#"{"kind": "500"}"#);
    assert_eq!(client.identify().unwrap_err().code, VIR_ERR_INTERNAL_ERROR);
    control(&sim, "/_sim/fault", r#"{"kind": "malformed"}"#);
    assert!(client.identify().unwrap_err().message.contains("Malformed response"));
    control(&sim, "/_sim/fault", r#"{"kind": "reset"}"#);
    assert!(client
        .identify()
        .unwrap_err()
        .message
        .contains("Transport error during identify"));
    let mut quick = config(&sim, "Passw0rd!");
    quick.read_timeout = Duration::from_millis(500);
    let quick = Client::new(&quick).unwrap();
    control(&sim, "/_sim/fault", r#"{"kind": "stall", "seconds": 3}"#);
    assert_eq!(quick.identify().unwrap_err().code, VIR_ERR_OPERATION_TIMEOUT);
    let mut small = config(&sim, "Passw0rd!");
    small.max_response_bytes = 1 << 20;
    control(&sim, "/_sim/fault", r#"{"kind": "oversized"}"#);
    let e = Client::new(&small).unwrap().identify().unwrap_err();
    assert!(e.message.contains("exceeds 1048576 bytes"), "{e}");
    assert_eq!(client.identify().unwrap().product_vendor, "Microsoft Corporation");
}

#[test]
fn simulator_over_https() {
    let dir = std::env::temp_dir().join(format!("ferrovirt-sim-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let ca = dir.join("sim.pem");
    let Some(sim) = start(&["--https", "--cert-out", ca.to_str().unwrap()]) else {
        return;
    };
    let https = |f: &dyn Fn(&mut Config)| {
        let mut config = config(&sim, "Passw0rd!");
        config.https = true;
        f(&mut config);
        Client::new(&config).unwrap().identify()
    };
    let e = https(&|_| {}).unwrap_err();
    assert!(
        e.message.contains("?cacert=PATH") && e.message.contains("?no_verify=1"),
        "{e}"
    );
    https(&|c| c.no_verify = true).unwrap();
    https(&|c| c.cacert = Some(ca.clone())).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
}
