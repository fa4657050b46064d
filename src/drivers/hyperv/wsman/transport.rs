//! HTTP(S) POSTs to `/wsman` through one keep-alive agent: TLS verified against the
//! system roots (or a private CA file, or not at all when asked), Basic credentials
//! sent with every request (no 401 round trip), bounded connect/read times and a
//! bounded response size. Statuses 200, 400 and 500 carry SOAP; the rest are errors.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use zeroize::Zeroizing;

use crate::abi::virterror::*;
use crate::core::{Error, Result};

/// How to reach a WinRM endpoint and prove who we are.
#[derive(Clone)]
pub struct Config {
    pub host: String,
    pub port: u16,
    pub https: bool,
    /// Accept any server certificate (URI `?no_verify=1`).
    pub no_verify: bool,
    /// Trust the certificates of this PEM file instead of the system's (URI `?cacert=PATH`).
    pub cacert: Option<PathBuf>,
    pub username: String,
    pub password: Zeroizing<String>,
    pub connect_timeout: Duration,
    /// The longest wait for one response; also bounds what the server is asked to
    /// spend (`w:OperationTimeout`).
    pub read_timeout: Duration,
    /// Larger responses are refused without being read to the end.
    pub max_response_bytes: u64,
    /// `w:Locale` (e.g. "en-US") for the language of fault texts; None: the server's.
    pub locale: Option<String>,
}

impl Config {
    /// The defaults: 10 s to connect, 60 s per response, 32 MiB per response.
    pub fn new(host: &str, port: u16, https: bool, username: &str, password: Zeroizing<String>) -> Config {
        Config {
            host: host.to_owned(),
            port,
            https,
            no_verify: false,
            cacert: None,
            username: username.to_owned(),
            password,
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(60),
            max_response_bytes: 32 << 20,
            locale: None,
        }
    }

    /// `http[s]://host:port/wsman`, with IPv6 literals bracketed.
    pub fn endpoint(&self) -> String {
        let scheme = if self.https { "https" } else { "http" };
        let host = if self.host.contains(':') && !self.host.starts_with('[') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        format!("{scheme}://{host}:{}/wsman", self.port)
    }
}

impl std::fmt::Debug for Config {
    // By hand, so the password never reaches a log or a panic message.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("endpoint", &self.endpoint())
            .field("no_verify", &self.no_verify)
            .field("cacert", &self.cacert)
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

/// A SOAP-carrying HTTP response.
pub struct Reply {
    pub status: u16,
    pub body: String,
}

pub struct Transport {
    agent: ureq::Agent,
    url: String,
    /// "host:port", for error messages.
    server: String,
    https: bool,
    username: String,
    /// "Basic base64(user:password)", built once and wiped on drop.
    authorization: Zeroizing<String>,
    max_response_bytes: u64,
    /// The read time, which also bounds one whole request (see `post`).
    request_timeout: Duration,
    requests: AtomicU64,
}

impl Transport {
    pub fn new(config: &Config) -> Result<Transport> {
        let mut builder = ureq::AgentBuilder::new()
            .timeout_connect(config.connect_timeout)
            .timeout_read(config.read_timeout)
            // No overall deadline: ureq would then ignore the read timeout and a
            // stalled server would cost connect + read time.
            .timeout_write(config.read_timeout)
            .redirects(0)
            .max_idle_connections_per_host(4)
            .user_agent(concat!("ferrovirt/", env!("CARGO_PKG_VERSION")));
        if config.https {
            builder = builder.tls_config(Arc::new(tls_config(config)?));
        }
        let credentials = Zeroizing::new(format!("{}:{}", config.username, config.password.as_str()));
        let encoded = Zeroizing::new(base64::engine::general_purpose::STANDARD.encode(credentials.as_bytes()));
        let endpoint = config.endpoint();
        Ok(Transport {
            agent: builder.build(),
            server: endpoint.split('/').nth(2).unwrap_or_default().to_owned(),
            url: endpoint,
            https: config.https,
            username: config.username.clone(),
            authorization: Zeroizing::new(format!("Basic {}", encoded.as_str())),
            max_response_bytes: config.max_response_bytes,
            request_timeout: config.read_timeout,
            requests: AtomicU64::new(0),
        })
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    /// Requests sent so far (for tests and benchmarks).
    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    /// POSTs `body`; `op` names the operation in errors ("enumeration").
    pub fn post(&self, op: &str, body: &str) -> Result<Reply> {
        self.requests.fetch_add(1, Ordering::Relaxed);
        let request = self
            .agent
            .post(&self.url)
            .set("Content-Type", "application/soap+xml;charset=UTF-8")
            .set("Authorization", &self.authorization)
            // ureq 2 drops the read timeout of a pooled keep-alive connection, so a
            // server stalling on a reused connection would hang us: a per-request
            // deadline holds on every connection.
            .timeout(self.request_timeout);
        let response = match request.send_string(body) {
            Ok(response) => response,
            Err(ureq::Error::Status(_, response)) => response,
            Err(ureq::Error::Transport(transport)) => return Err(self.transport_error(op, &transport)),
        };
        let status = response.status();
        match status {
            200 | 400 | 500 => {}
            401 => {
                return Err(Error::with_detail(
                    VIR_ERR_AUTH_FAILED,
                    VIR_FROM_HYPERV,
                    format!(
                        "{} refused the credentials of '{}' (HTTP 401) during {op}",
                        self.server, self.username
                    ),
                ))
            }
            _ => {
                return Err(Error::internal(
                    VIR_FROM_HYPERV,
                    format!("Unexpected HTTP response during {op}: {status} ({})", self.server),
                ))
            }
        }
        let too_large = || {
            Error::internal(
                VIR_FROM_HYPERV,
                format!(
                    "Response from {} during {op} exceeds {} bytes",
                    self.server, self.max_response_bytes
                ),
            )
        };
        let declared: Option<u64> = response.header("Content-Length").and_then(|v| v.trim().parse().ok());
        if declared.is_some_and(|n| n > self.max_response_bytes) {
            return Err(too_large());
        }
        let mut bytes = Vec::with_capacity(declared.unwrap_or(0) as usize);
        response
            .into_reader()
            .take(self.max_response_bytes + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| self.io_error(op, &e))?;
        if bytes.len() as u64 > self.max_response_bytes {
            return Err(too_large());
        }
        let body = String::from_utf8(bytes).map_err(|_| {
            Error::internal(
                VIR_FROM_HYPERV,
                format!("Response from {} during {op} is not UTF-8", self.server),
            )
        })?;
        Ok(Reply { status, body })
    }

    fn transport_error(&self, op: &str, error: &ureq::Transport) -> Error {
        if let Some(certificate) = find_certificate_error(error) {
            return Error::internal(
                VIR_FROM_HYPERV,
                format!(
                    "TLS certificate verification of {} failed during {op}: {certificate}; trust its CA with \
                     the URI parameter ?cacert=PATH (a PEM file), or skip verification with ?no_verify=1",
                    self.server
                ),
            );
        }
        if is_timeout(error) {
            return self.timeout_error(op);
        }
        let cause = match error.kind() {
            ureq::ErrorKind::ConnectionFailed | ureq::ErrorKind::Dns => {
                format!("cannot connect to {}: {}", self.server, chain(error))
            }
            _ => format!("{} ({})", chain(error), self.server),
        };
        let hint = if !self.https && cause.contains("InvalidContentType") {
            " (is it an https port?)"
        } else {
            ""
        };
        Error::internal(VIR_FROM_HYPERV, format!("Transport error during {op}: {cause}{hint}"))
    }

    fn io_error(&self, op: &str, error: &std::io::Error) -> Error {
        if is_timeout(error) {
            return self.timeout_error(op);
        }
        Error::internal(
            VIR_FROM_HYPERV,
            format!("Transport error during {op}: {} ({})", chain(error), self.server),
        )
    }

    fn timeout_error(&self, op: &str) -> Error {
        Error::with_detail(
            VIR_ERR_OPERATION_TIMEOUT,
            VIR_FROM_HYPERV,
            format!("no response from {} during {op} in time", self.server),
        )
    }
}

/// The error and its causes, "a: b: c", without repeats.
fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    for e in causes(error) {
        let text = e.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
    }
    parts.join(": ")
}

/// The error, its sources, and what io::Errors wrap.
fn causes<'a>(error: &'a (dyn std::error::Error + 'static)) -> Vec<&'a (dyn std::error::Error + 'static)> {
    let mut all = Vec::new();
    let mut next = Some(error);
    while let Some(e) = next {
        all.push(e);
        next = e.source().or_else(|| {
            e.downcast_ref::<std::io::Error>()
                .and_then(|io| io.get_ref())
                .map(|inner| inner as _)
        });
    }
    all
}

fn is_timeout(error: &(dyn std::error::Error + 'static)) -> bool {
    causes(error).iter().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| matches!(io.kind(), std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock))
    })
}

fn find_certificate_error(error: &(dyn std::error::Error + 'static)) -> Option<String> {
    causes(error)
        .iter()
        .find_map(|e| match e.downcast_ref::<rustls::Error>() {
            Some(rustls::Error::InvalidCertificate(reason)) => Some(format!("{reason:?}")),
            _ => None,
        })
}

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

fn tls_config(config: &Config) -> Result<rustls::ClientConfig> {
    let builder = rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::internal(VIR_FROM_HYPERV, format!("cannot set up TLS: {e}")))?;
    if config.no_verify {
        return Ok(builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(NoVerify(provider())))
            .with_no_client_auth());
    }
    let mut roots = rustls::RootCertStore::empty();
    let Some(path) = &config.cacert else {
        // Unreadable entries in the system store are skipped, as other clients do;
        // an empty store shows up as a verification failure naming the remedies.
        roots.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
        return Ok(builder.with_root_certificates(roots).with_no_client_auth());
    };
    let anchors = read_pem(path)?;
    let (added, _) = roots.add_parsable_certificates(anchors.clone());
    if added == 0 {
        return Err(Error::invalid_arg(
            VIR_FROM_HYPERV,
            format!("no usable certificate in CA file '{}'", path.display()),
        ));
    }
    let webpki = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider())
        .build()
        .map_err(|e| Error::internal(VIR_FROM_HYPERV, format!("cannot set up TLS: {e}")))?;
    Ok(builder
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(CaFile { webpki, anchors }))
        .with_no_client_auth())
}

fn read_pem(path: &Path) -> Result<Vec<CertificateDer<'static>>> {
    let unreadable = |e: &dyn std::fmt::Display| {
        Error::invalid_arg(
            VIR_FROM_HYPERV,
            format!("cannot read CA file '{}': {e}", path.display()),
        )
    };
    let text = std::fs::read(path).map_err(|e| unreadable(&e))?;
    CertificateDer::pem_slice_iter(&text)
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|e| unreadable(&e))
}

/// `cacert`: the file's certificates are the trust anchors. A self-signed
/// certificate marked as a CA (what `openssl req -x509` makes, and the simulator)
/// cannot be its own end entity under WebPKI rules; OpenSSL-based clients accept it
/// when it is itself in the CA file, and so does this, provided it names the host.
#[derive(Debug)]
struct CaFile {
    webpki: Arc<WebPkiServerVerifier>,
    anchors: Vec<CertificateDer<'static>>,
}

impl ServerCertVerifier for CaFile {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        let verdict = self
            .webpki
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now);
        let ca_as_end_entity = match &verdict {
            Err(rustls::Error::InvalidCertificate(rustls::CertificateError::Other(other))) => {
                matches!(
                    other.0.downcast_ref::<webpki::Error>(),
                    Some(webpki::Error::CaUsedAsEndEntity)
                )
            }
            _ => false,
        };
        if ca_as_end_entity && self.anchors.iter().any(|a| a.as_ref() == end_entity.as_ref()) {
            let named = webpki::EndEntityCert::try_from(end_entity)
                .is_ok_and(|c| c.verify_is_valid_for_subject_name(server_name).is_ok());
            return match named {
                true => Ok(ServerCertVerified::assertion()),
                false => Err(rustls::Error::InvalidCertificate(
                    rustls::CertificateError::NotValidForName,
                )),
            };
        }
        verdict
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.webpki.supported_verify_schemes()
    }
}

/// `no_verify`: any certificate is accepted. Handshake signatures are still
/// checked, which costs nothing and keeps the TLS exchange itself well-formed.
#[derive(Debug)]
struct NoVerify(Arc<CryptoProvider>);

impl ServerCertVerifier for NoVerify {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}
