//! The operations the Hyper-V driver performs, each one or a few round trips:
//! Identify, Get, WQL enumeration (optimized, paged, bounded), method calls and
//! job waits. A `Client` is shared by all threads of a connection.

use std::time::{Duration, Instant};

use super::classes::{self, return_code_text, Class};
use super::envelope::{self, Common, Params};
use super::instance::{Epr, Instance};
use super::response::{self, Failure, Identity, Page};
use super::transport::{Config, Transport};
use crate::abi::virterror::*;
use crate::core::{Error, Result};

/// Items asked for per Enumerate/Pull; Windows also stops a page at its envelope size.
const MAX_ELEMENTS: u32 = 500;
/// Pages per enumeration before giving up (a server that never ends).
const MAX_PAGES: usize = 10_000;
/// Windows' longest OperationTimeout (MaxTimeoutms).
const MAX_OPERATION_TIMEOUT: Duration = Duration::from_secs(60);
const FIRST_POLL: Duration = Duration::from_millis(10);
const LONGEST_POLL: Duration = Duration::from_millis(500);

pub struct Client {
    transport: Transport,
    locale: Option<String>,
    operation_timeout: Duration,
    /// MAX_PAGES, lowered by tests.
    pub(super) max_pages: usize,
}

impl Client {
    /// Sets up the agent (and TLS); nothing is sent until the first operation.
    pub fn new(config: &Config) -> Result<Client> {
        // Ask the server to give up a little before we would, so a slow query
        // comes back as its w:TimedOut fault rather than as a dead socket.
        let read = config.read_timeout;
        let margin = if read > Duration::from_secs(2) {
            Duration::from_secs(1)
        } else {
            Duration::ZERO
        };
        Ok(Client {
            transport: Transport::new(config)?,
            locale: config.locale.clone(),
            operation_timeout: (read - margin).min(MAX_OPERATION_TIMEOUT),
            max_pages: MAX_PAGES,
        })
    }

    /// HTTP requests sent so far.
    pub fn request_count(&self) -> u64 {
        self.transport.requests()
    }

    pub fn identify(&self) -> Result<Identity> {
        let op = "identify";
        self.exchange(op, &envelope::identify(), |body| response::read_identity(body, op))
            .map_err(|f| error(op, f))
    }

    pub fn get(&self, resource_uri: &str, selectors: &[(&str, &str)]) -> Result<Instance> {
        self.try_get(resource_uri, selectors).map_err(|f| error("get", f))
    }

    /// Get, with "no such instance" (DestinationUnreachable, InvalidSelectors) as None.
    pub fn get_opt(&self, resource_uri: &str, selectors: &[(&str, &str)]) -> Result<Option<Instance>> {
        match self.try_get(resource_uri, selectors) {
            Ok(instance) => Ok(Some(instance)),
            Err(Failure::Fault(fault)) if fault.is_not_found() => Ok(None),
            Err(failure) => Err(error("get", failure)),
        }
    }

    fn try_get(&self, resource_uri: &str, selectors: &[(&str, &str)]) -> std::result::Result<Instance, Failure> {
        let request = envelope::get(&self.common(), resource_uri, selectors);
        self.exchange("get", &request, |body| response::read_instance(body, "get"))
    }

    /// Get the instance a reference points to.
    pub fn get_epr(&self, epr: &Epr) -> Result<Instance> {
        self.get(&epr.resource_uri, &selectors(epr))
    }

    /// Every instance a WQL query returns, in the server's order. `namespace` is
    /// the WMI namespace ("root/virtualization/v2").
    pub fn enumerate_wql(&self, namespace: &str, query: &str) -> Result<Vec<Instance>> {
        let uri = classes::wildcard_uri(namespace);
        let request = envelope::enumerate(&self.common(), &uri, query, MAX_ELEMENTS);
        let mut page = self.page("enumeration", &request)?;
        let mut items = std::mem::take(&mut page.items);
        let mut pages = 1;
        while !page.end {
            let Some(context) = page.context.take() else {
                break;
            };
            if pages == self.max_pages {
                self.release(&uri, &context);
                return Err(Error::internal(
                    VIR_FROM_HYPERV,
                    format!(
                        "enumeration of '{query}' did not end after {pages} pages ({} items)",
                        items.len()
                    ),
                ));
            }
            page = self.page("pull", &envelope::pull(&self.common(), &uri, &context, MAX_ELEMENTS))?;
            items.append(&mut page.items);
            pages += 1;
        }
        Ok(items)
    }

    /// `SELECT * FROM <class> [WHERE condition]`, each result checked against the
    /// class table.
    pub fn query(&self, class: &Class, condition: Option<&str>) -> Result<Vec<Instance>> {
        let instances = self.enumerate_wql(class.namespace, &class.select(condition))?;
        instances.iter().try_for_each(|i| class.check(i))?;
        Ok(instances)
    }

    /// Calls `method` on the instance `selectors` pick (none: a static method) and
    /// returns its `<M>_OUTPUT` (ReturnValue, Job and the other out parameters).
    pub fn invoke(
        &self,
        resource_uri: &str,
        selectors: &[(&str, &str)],
        method: &str,
        params: &Params,
    ) -> Result<Instance> {
        let op = format!("invocation of {method}");
        let request = envelope::invoke(&self.common(), resource_uri, selectors, method, params)?;
        self.exchange(&op, &request, |body| response::read_output(body, &op, method))
            .map_err(|f| error(&op, f))
    }

    /// `invoke`, then: ReturnValue 0 is success, 4096 means waiting for the job
    /// until `timeout` has passed, anything else is the method's failure.
    pub fn invoke_and_wait(
        &self,
        resource_uri: &str,
        selectors: &[(&str, &str)],
        method: &str,
        params: &Params,
        timeout: Duration,
    ) -> Result<Instance> {
        let deadline = Instant::now() + timeout;
        let output = self.invoke(resource_uri, selectors, method, params)?;
        match output.require::<u32>("ReturnValue")? {
            0 => Ok(output),
            4096 => {
                self.wait_job(&output.require::<Epr>("Job")?, deadline)?;
                Ok(output)
            }
            code => Err(Error::with_detail(
                VIR_ERR_OPERATION_FAILED,
                VIR_FROM_HYPERV,
                format!(
                    "Invocation of {method} returned an error: {} ({code})",
                    return_code_text(code)
                ),
            )),
        }
    }

    /// Polls the job (`Msvm_ConcreteJob` or `Msvm_StorageJob` reference, see
    /// `classes::job_epr`) until it completes, fails, or `deadline` passes. Polls
    /// start after 10 ms and back off to 500 ms: most jobs end within 100 ms.
    pub fn wait_job(&self, job: &Epr, deadline: Instant) -> Result<Instance> {
        let id = job.selector("InstanceID").unwrap_or("?");
        let mut pause = FIRST_POLL;
        loop {
            std::thread::sleep(pause.min(deadline.saturating_duration_since(Instant::now())));
            let state = self.get_epr(job)?;
            let job_state: u16 = state.require("JobState")?;
            match job_state {
                7 => return Ok(state),
                // New, Starting, Running, Suspended, Shutting Down, vendor states.
                2..=6 | 32768.. => {}
                8..=10 => {
                    let description = state
                        .get::<String>("ErrorDescription")?
                        .or(state.get::<String>("ErrorSummaryDescription")?)
                        .unwrap_or_else(|| "no description".to_owned());
                    let code = state
                        .get::<u32>("ErrorCode")?
                        .map(|c| format!(", error code {c}"))
                        .unwrap_or_default();
                    let name = ["terminated", "killed", "failed"][usize::from(job_state - 8)];
                    return Err(Error::with_detail(
                        VIR_ERR_OPERATION_FAILED,
                        VIR_FROM_HYPERV,
                        format!("job {id} {name}: {description}{code}"),
                    ));
                }
                other => {
                    return Err(Error::with_detail(
                        VIR_ERR_OPERATION_FAILED,
                        VIR_FROM_HYPERV,
                        format!("job {id} is in unexpected state {other}"),
                    ))
                }
            }
            if Instant::now() >= deadline {
                let percent = state
                    .get::<u16>("PercentComplete")?
                    .map(|p| format!(", {p}% complete"))
                    .unwrap_or_default();
                return Err(Error::with_detail(
                    VIR_ERR_OPERATION_TIMEOUT,
                    VIR_FROM_HYPERV,
                    format!("job {id} still running (state {job_state}{percent})"),
                ));
            }
            pause = (pause * 2).min(LONGEST_POLL);
        }
    }

    fn common(&self) -> Common<'_> {
        Common {
            to: self.transport.url(),
            timeout: self.operation_timeout,
            locale: self.locale.as_deref(),
        }
    }

    fn page(&self, op: &str, request: &str) -> Result<Page> {
        self.exchange(op, request, |body| response::read_page(body, op))
            .map_err(|f| error(op, f))
    }

    /// Best effort: the server drops idle contexts anyway (after 4 minutes).
    fn release(&self, uri: &str, context: &str) {
        let op = "release";
        let _ = self.exchange(op, &envelope::release(&self.common(), uri, context), |_| Ok(()));
    }

    fn exchange<T>(
        &self,
        op: &str,
        request: &str,
        read: impl FnOnce(roxmltree::Node) -> Result<T>,
    ) -> std::result::Result<T, Failure> {
        let reply = self.transport.post(op, request)?;
        response::read_body(&reply.body, reply.status, op, read)
    }
}

fn selectors(epr: &Epr) -> Vec<(&str, &str)> {
    epr.selectors.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect()
}

fn error(op: &str, failure: Failure) -> Error {
    match failure {
        Failure::Fault(fault) => fault.to_error(op),
        Failure::Error(error) => error,
    }
}
