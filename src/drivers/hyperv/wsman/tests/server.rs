//! A tiny HTTP(S)/1.1 server on 127.0.0.1 for the client's tests: keep-alive,
//! Content-Length bodies, and a handler that decides each answer (or misbehaves).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Connections the server accepts before it stops listening.
const MAX_CONNECTIONS: usize = 16;

#[derive(Clone, Debug)]
pub struct Request {
    pub path: String,
    /// Names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// The local name of the first element of the SOAP Body ("Enumerate", "Pull"…).
    pub fn operation(&self) -> String {
        let doc = roxmltree::Document::parse(&self.body).expect("requests are XML");
        let body = doc.descendants().find(|n| n.tag_name().name() == "Body").unwrap();
        body.children()
            .find(|c| c.is_element())
            .map(|c| c.tag_name().name().to_owned())
            .unwrap_or_default()
    }
}

pub enum Reply {
    /// Status, extra headers, body (Content-Length added).
    Http(u16, Vec<(&'static str, String)>, Vec<u8>),
    /// Bytes written as they are; the connection is closed after.
    Raw(Vec<u8>),
    /// Say nothing for a while, then close.
    Stall(Duration),
    /// Close without answering.
    Close,
}

impl Reply {
    pub fn soap(status: u16, body: impl Into<String>) -> Reply {
        let headers = vec![("Content-Type", "application/soap+xml;charset=UTF-8".to_owned())];
        Reply::Http(status, headers, body.into().into_bytes())
    }
}

pub type Handler = dyn Fn(&Request) -> Reply + Send + Sync;

pub struct Server {
    pub port: u16,
    pub requests: Arc<Mutex<Vec<Request>>>,
    pub connections: Arc<AtomicUsize>,
}

impl Server {
    pub fn start(handler: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> Server {
        Server::start_with(None, Arc::new(handler))
    }

    pub fn start_tls(
        tls: Arc<rustls::ServerConfig>,
        handler: impl Fn(&Request) -> Reply + Send + Sync + 'static,
    ) -> Server {
        Server::start_with(Some(tls), Arc::new(handler))
    }

    fn start_with(tls: Option<Arc<rustls::ServerConfig>>, handler: Arc<Handler>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let connections = Arc::new(AtomicUsize::new(0));
        let (seen, count) = (requests.clone(), connections.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().take(MAX_CONNECTIONS) {
                let Ok(stream) = stream else { continue };
                count.fetch_add(1, Ordering::SeqCst);
                let (handler, seen, tls) = (handler.clone(), seen.clone(), tls.clone());
                std::thread::spawn(move || {
                    // Nothing in these tests needs a connection longer than this.
                    let _ = stream.set_read_timeout(Some(Duration::from_secs(20)));
                    match tls {
                        None => serve(stream, &*handler, &seen),
                        Some(config) => {
                            let Ok(connection) = rustls::ServerConnection::new(config) else {
                                return;
                            };
                            serve(rustls::StreamOwned::new(connection, stream), &*handler, &seen)
                        }
                    }
                });
            }
        });
        Server {
            port,
            requests,
            connections,
        }
    }

    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }
}

fn serve<S: Read + Write>(stream: S, handler: &Handler, seen: &Mutex<Vec<Request>>) {
    let mut reader = BufReader::new(stream);
    while let Some(request) = read_request(&mut reader) {
        seen.lock().unwrap().push(request.clone());
        let stream = reader.get_mut();
        match handler(&request) {
            Reply::Http(status, headers, body) => {
                let mut reply = format!("HTTP/1.1 {status} Status\r\nContent-Length: {}\r\n", body.len());
                for (name, value) in headers {
                    reply.push_str(&format!("{name}: {value}\r\n"));
                }
                reply.push_str("\r\n");
                // One write: a second small one would wait out the client's delayed ACK.
                let mut reply = reply.into_bytes();
                reply.extend_from_slice(&body);
                if stream.write_all(&reply).and_then(|_| stream.flush()).is_err() {
                    return;
                }
            }
            Reply::Raw(bytes) => {
                let _ = stream.write_all(&bytes).and_then(|_| stream.flush());
                return;
            }
            Reply::Stall(pause) => {
                std::thread::sleep(pause);
                return;
            }
            Reply::Close => return,
        }
    }
}

fn read_request<R: BufRead>(reader: &mut R) -> Option<Request> {
    let mut line = String::new();
    reader.read_line(&mut line).ok().filter(|n| *n > 0)?;
    let path = line.split_whitespace().nth(1)?.to_owned();
    let mut headers = Vec::new();
    loop {
        line.clear();
        reader.read_line(&mut line).ok()?;
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':')?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(Request {
        path,
        headers,
        body: String::from_utf8(body).ok()?,
    })
}

/// A self-signed certificate for `names`, marked as a CA or not: (PEM, server config).
pub fn self_signed(names: &[&str], ca: bool) -> (String, Arc<rustls::ServerConfig>) {
    let mut params = rcgen::CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>()).unwrap();
    if ca {
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    }
    let key_pair = rcgen::KeyPair::generate().unwrap();
    let cert = params.self_signed(&key_pair).unwrap();
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(key_pair.serialize_der().into());
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![cert.der().clone()], key)
        .unwrap();
    (cert.pem(), Arc::new(config))
}
