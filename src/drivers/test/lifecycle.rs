//! The domain lifecycle of libvirt's test driver: define, start, pause, stop,
//! undefine. Each transition returns the events libvirt's test driver queues for
//! it; a transition that is not allowed fails with libvirt's error and changes
//! nothing.

use super::state::{DomainDef, DomainObj, State};
use crate::abi::domain::*;
use crate::abi::virterror::*;
use crate::core::events::Event;
use crate::core::{Error, Result};
use crate::driver::DomainId;
use crate::uuid::format_uuid;

/// What a transition did: the domain as it is now, and the events it raised.
pub type Outcome = (DomainId, Vec<Event>);

fn event(identity: DomainId, event: i32, detail: i32) -> Vec<Event> {
    vec![Event::lifecycle(identity, event, detail)]
}

fn not_running() -> Error {
    Error::operation_invalid(VIR_FROM_DOMAIN, "domain is not running")
}

impl DomainObj {
    fn start(&mut self, id: i32) {
        self.id = id;
        self.state = VIR_DOMAIN_RUNNING;
        self.reason = VIR_DOMAIN_RUNNING_BOOTED;
        // Starting consumes a managed save image (the test driver boots afresh).
        self.has_managed_save = false;
        if self.persistent && self.new_def.is_none() {
            self.new_def = Some(self.def.clone());
        }
    }

    /// Stops it: the persistent definition is in force again.
    fn stop(&mut self, reason: i32) {
        if let Some(def) = self.new_def.take() {
            self.def = def;
            // libvirt's identity then has no id; a transient one keeps its last.
            self.id = -1;
        }
        self.state = VIR_DOMAIN_SHUTOFF;
        self.reason = reason;
    }
}

impl State {
    pub(super) fn index_of(&self, dom: &DomainId) -> Result<usize> {
        self.of_handle(dom)?;
        Ok(self.domains.iter().position(|d| d.def.uuid == dom.uuid).unwrap_or_default())
    }

    /// The domain `def` would replace or join: an error if its name or UUID belongs
    /// to another domain, or if `live` and the domain runs already.
    fn slot_for(&self, def: &DomainDef, live: bool) -> Result<Option<usize>> {
        if let Some(at) = self.domains.iter().position(|d| d.def.uuid == def.uuid) {
            let existing = &self.domains[at];
            if existing.def.name != def.name {
                let detail = format!("domain '{}' is already defined with uuid {}", existing.def.name, format_uuid(&def.uuid));
                return Err(Error::with_detail(VIR_ERR_OPERATION_FAILED, VIR_FROM_DOMAIN, detail));
            }
            if live && existing.is_active() {
                return Err(Error::operation_invalid(VIR_FROM_DOMAIN, format!("domain '{}' is already active", def.name)));
            }
            return Ok(Some(at));
        }
        if let Ok(existing) = self.by_name(&def.name) {
            let detail = format!("domain '{}' already exists with uuid {}", def.name, format_uuid(&existing.def.uuid));
            return Err(Error::with_detail(VIR_ERR_OPERATION_FAILED, VIR_FROM_DOMAIN, detail));
        }
        Ok(None)
    }

    pub(super) fn stopped(&mut self, at: usize, reason: i32, detail: i32) -> Vec<Event> {
        let dom = &mut self.domains[at];
        dom.stop(reason);
        let events = event(dom.identity(), VIR_DOMAIN_EVENT_STOPPED, detail);
        if !dom.persistent {
            self.domains.remove(at);
        }
        events
    }

    /// virDomainDefineXML: a new persistent domain, or a new definition for one.
    pub fn define(&mut self, def: DomainDef) -> Result<Outcome> {
        let at = self.slot_for(&def, false)?;
        let (dom, detail) = match at {
            Some(at) => {
                let dom = &mut self.domains[at];
                let had_persistent = if dom.is_active() {
                    dom.new_def.replace(def).is_some()
                } else {
                    dom.def = def;
                    true
                };
                dom.persistent = true;
                (&*dom, if had_persistent { VIR_DOMAIN_EVENT_DEFINED_UPDATED } else { VIR_DOMAIN_EVENT_DEFINED_ADDED })
            }
            None => {
                self.domains.push(DomainObj {
                    def,
                    new_def: None,
                    state: VIR_DOMAIN_SHUTOFF,
                    reason: VIR_DOMAIN_SHUTOFF_UNKNOWN,
                    id: -1,
                    persistent: true,
                    autostart: false,
                    has_managed_save: false,
                });
                (&self.domains[self.domains.len() - 1], VIR_DOMAIN_EVENT_DEFINED_ADDED)
            }
        };
        let identity = dom.identity();
        Ok((identity.clone(), event(identity, VIR_DOMAIN_EVENT_DEFINED, detail)))
    }

    /// virDomainCreateXML: starts `def`, as a new transient domain or as the live
    /// definition of an inactive one of the same name and UUID.
    pub fn create_xml(&mut self, def: DomainDef) -> Result<Outcome> {
        let at = self.slot_for(&def, true)?;
        let id = self.take_id();
        let dom = match at {
            Some(at) => {
                let dom = &mut self.domains[at];
                dom.new_def = Some(std::mem::replace(&mut dom.def, def));
                dom
            }
            None => {
                self.domains.push(DomainObj {
                    def,
                    new_def: None,
                    state: VIR_DOMAIN_SHUTOFF,
                    reason: 0,
                    id: -1,
                    persistent: false,
                    autostart: false,
                    has_managed_save: false,
                });
                self.domains.last_mut().expect("just pushed")
            }
        };
        dom.start(id);
        let identity = dom.identity();
        Ok((identity.clone(), event(identity, VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_BOOTED)))
    }

    /// virDomainCreate: starts a defined domain under the next id.
    pub fn start(&mut self, dom: &DomainId) -> Result<Outcome> {
        let at = self.index_of(dom)?;
        if self.domains[at].is_active() {
            let detail = format!("Domain '{}' is already running", self.domains[at].def.name);
            return Err(Error::internal(VIR_FROM_TEST, detail));
        }
        let id = self.take_id();
        let dom = &mut self.domains[at];
        dom.start(id);
        let identity = dom.identity();
        Ok((identity.clone(), event(identity, VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_BOOTED)))
    }

    pub fn destroy(&mut self, dom: &DomainId) -> Result<Vec<Event>> {
        let at = self.index_of(dom)?;
        if !self.domains[at].is_active() {
            return Err(not_running());
        }
        Ok(self.stopped(at, VIR_DOMAIN_SHUTOFF_DESTROYED, VIR_DOMAIN_EVENT_STOPPED_DESTROYED))
    }

    /// A paused domain shuts down too; only a shut-off one cannot.
    pub fn shutdown(&mut self, dom: &DomainId) -> Result<Vec<Event>> {
        let at = self.index_of(dom)?;
        if self.domains[at].state == VIR_DOMAIN_SHUTOFF {
            return Err(Error::internal(VIR_FROM_TEST, format!("domain '{}' not running", dom.name)));
        }
        Ok(self.stopped(at, VIR_DOMAIN_SHUTOFF_SHUTDOWN, VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN))
    }

    /// virDomainReset: allowed on a running domain, and changes nothing.
    pub fn reset(&self, dom: &DomainId) -> Result<()> {
        if !self.of_handle(dom)?.is_active() {
            return Err(not_running());
        }
        Ok(())
    }

    /// virDomainReboot: the domain (paused or not) runs again as freshly booted,
    /// as its on_reboot action "restart" says; no event.
    pub fn reboot(&mut self, dom: &DomainId) -> Result<()> {
        let at = self.index_of(dom)?;
        let dom = &mut self.domains[at];
        if !dom.is_active() {
            return Err(not_running());
        }
        dom.state = VIR_DOMAIN_RUNNING;
        dom.reason = VIR_DOMAIN_RUNNING_BOOTED;
        Ok(())
    }

    pub fn suspend(&mut self, dom: &DomainId) -> Result<Vec<Event>> {
        let at = self.index_of(dom)?;
        let obj = &mut self.domains[at];
        if matches!(obj.state, VIR_DOMAIN_SHUTOFF | VIR_DOMAIN_PAUSED) {
            return Err(Error::internal(VIR_FROM_TEST, format!("domain '{}' not running", dom.name)));
        }
        obj.state = VIR_DOMAIN_PAUSED;
        obj.reason = VIR_DOMAIN_PAUSED_USER;
        Ok(event(obj.identity(), VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_EVENT_SUSPENDED_PAUSED))
    }

    pub fn resume(&mut self, dom: &DomainId) -> Result<Vec<Event>> {
        let at = self.index_of(dom)?;
        let obj = &mut self.domains[at];
        if obj.state != VIR_DOMAIN_PAUSED {
            return Err(Error::internal(VIR_FROM_TEST, format!("domain '{}' not paused", dom.name)));
        }
        obj.state = VIR_DOMAIN_RUNNING;
        obj.reason = VIR_DOMAIN_RUNNING_UNPAUSED;
        Ok(event(obj.identity(), VIR_DOMAIN_EVENT_RESUMED, VIR_DOMAIN_EVENT_RESUMED_UNPAUSED))
    }

    /// An inactive domain goes; a running one becomes transient (even if it was
    /// already: the test driver does not refuse).
    pub fn undefine(&mut self, dom: &DomainId, keep_managed_save: bool) -> Result<Vec<Event>> {
        let at = self.index_of(dom)?;
        let obj = &mut self.domains[at];
        if obj.has_managed_save && !keep_managed_save {
            return Err(Error::operation_invalid(
                VIR_FROM_TEST,
                "Refusing to undefine while domain managed save image exists",
            ));
        }
        let events = event(obj.identity(), VIR_DOMAIN_EVENT_UNDEFINED, VIR_DOMAIN_EVENT_UNDEFINED_REMOVED);
        if obj.is_active() {
            obj.persistent = false;
        } else {
            self.domains.remove(at);
        }
        Ok(events)
    }

    pub fn set_autostart(&mut self, dom: &DomainId, autostart: bool) -> Result<()> {
        let at = self.index_of(dom)?;
        self.domains[at].autostart = autostart;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::events::Detail;
    use crate::driver::NodeInfo;

    fn def(name: &str, last: u8) -> DomainDef {
        let mut uuid = [0u8; 16];
        uuid[15] = last;
        DomainDef {
            virt_type: "test".into(),
            name: name.into(),
            uuid,
            memory_kib: 1024,
            current_memory_kib: 1024,
            vcpus: 1,
            os_type: "hvm".into(),
            arch: "i686".into(),
            devices: Vec::new(),
            xml: Default::default(),
        }
    }

    fn host() -> State {
        let mut state = State::new(NodeInfo::default(), Vec::new());
        state.add_loaded(def("test", 1), VIR_DOMAIN_RUNNING, true);
        state
    }

    /// (event, detail, id of the event's domain) of each event.
    fn seen(events: &[Event]) -> Vec<(i32, i32, i32)> {
        events
            .iter()
            .map(|e| match e.detail {
                Detail::Lifecycle { event, detail } => (event, detail, e.domain().unwrap().id),
                Detail::Plain => panic!("a lifecycle event"),
            })
            .collect()
    }

    fn state_of(state: &State, name: &str) -> (i32, i32, i32) {
        let d = state.by_name(name).unwrap();
        (d.state, d.reason, d.id)
    }

    #[test]
    fn a_defined_domain_runs_pauses_and_stops_with_libvirts_events() {
        let mut state = host();
        let (foo, events) = state.define(def("foo", 2)).unwrap();
        assert_eq!((foo.id, seen(&events)), (-1, vec![(VIR_DOMAIN_EVENT_DEFINED, VIR_DOMAIN_EVENT_DEFINED_ADDED, -1)]));
        assert_eq!(state_of(&state, "foo"), (VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_UNKNOWN, -1));

        let (started, events) = state.start(&foo).unwrap();
        assert_eq!((started.id, seen(&events)), (2, vec![(VIR_DOMAIN_EVENT_STARTED, 0, 2)]));
        let err = state.start(&foo).unwrap_err();
        assert_eq!((err.code, err.domain), (VIR_ERR_INTERNAL_ERROR, VIR_FROM_TEST));
        assert_eq!(err.message, "internal error: Domain 'foo' is already running");

        assert_eq!(seen(&state.suspend(&foo).unwrap()), vec![(VIR_DOMAIN_EVENT_SUSPENDED, 0, 2)]);
        assert_eq!(state_of(&state, "foo"), (VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_USER, 2));
        assert_eq!(state.suspend(&foo).unwrap_err().message, "internal error: domain 'foo' not running");
        assert_eq!(seen(&state.resume(&foo).unwrap()), vec![(VIR_DOMAIN_EVENT_RESUMED, 0, 2)]);
        assert_eq!(state_of(&state, "foo"), (VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNPAUSED, 2));
        assert_eq!(state.resume(&foo).unwrap_err().message, "internal error: domain 'foo' not paused");

        state.suspend(&foo).unwrap();
        state.reset(&foo).unwrap();
        assert_eq!(state_of(&state, "foo"), (VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_USER, 2));
        state.reboot(&foo).unwrap();
        assert_eq!(state_of(&state, "foo"), (VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED, 2));

        let events = state.destroy(&foo).unwrap();
        assert_eq!(seen(&events), vec![(VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_DESTROYED, -1)]);
        assert_eq!(state_of(&state, "foo"), (VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_DESTROYED, -1));
        for err in [state.destroy(&foo), state.reboot(&foo).map(|_| vec![]), state.reset(&foo).map(|_| vec![])] {
            let err = err.unwrap_err();
            assert_eq!((err.code, err.domain), (VIR_ERR_OPERATION_INVALID, VIR_FROM_DOMAIN));
            assert_eq!(err.message, "Requested operation is not valid: domain is not running");
        }
        assert_eq!(state.shutdown(&foo).unwrap_err().message, "internal error: domain 'foo' not running");

        // Ids only grow.
        assert_eq!(state.start(&foo).unwrap().0.id, 3);
        state.suspend(&foo).unwrap();
        assert_eq!(seen(&state.shutdown(&foo).unwrap()), vec![(VIR_DOMAIN_EVENT_STOPPED, 0, -1)]);
        assert_eq!(state_of(&state, "foo"), (VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_SHUTDOWN, -1));

        assert_eq!(seen(&state.undefine(&foo, false).unwrap()), vec![(VIR_DOMAIN_EVENT_UNDEFINED, 0, -1)]);
        assert!(state.by_name("foo").is_err());
        assert_eq!(state.start(&foo).unwrap_err().code, VIR_ERR_NO_DOMAIN);
    }

    #[test]
    fn redefinition_rules() {
        let mut state = host();
        state.define(def("foo", 2)).unwrap();
        let mut bigger = def("foo", 2);
        bigger.memory_kib = 2048;
        let (_, events) = state.define(bigger.clone()).unwrap();
        assert_eq!(seen(&events), vec![(VIR_DOMAIN_EVENT_DEFINED, VIR_DOMAIN_EVENT_DEFINED_UPDATED, -1)]);
        assert_eq!(state.by_name("foo").unwrap().def.memory_kib, 2048);

        let err = state.define(def("bar", 2)).unwrap_err();
        assert_eq!((err.code, err.domain), (VIR_ERR_OPERATION_FAILED, VIR_FROM_DOMAIN));
        assert_eq!(
            err.message,
            "operation failed: domain 'foo' is already defined with uuid 00000000-0000-0000-0000-000000000002"
        );
        let err = state.define(def("foo", 3)).unwrap_err();
        assert_eq!(
            err.message,
            "operation failed: domain 'foo' already exists with uuid 00000000-0000-0000-0000-000000000002"
        );

        // A running domain's new definition waits until it stops.
        let (foo, _) = state.start(&DomainId::new("foo", def("foo", 2).uuid, -1)).unwrap();
        let (again, events) = state.define(def("foo", 2)).unwrap();
        assert_eq!((again.id, seen(&events)), (2, vec![(VIR_DOMAIN_EVENT_DEFINED, VIR_DOMAIN_EVENT_DEFINED_UPDATED, 2)]));
        assert_eq!(state.by_name("foo").unwrap().def.memory_kib, 2048);
        let err = state.create_xml(def("foo", 2)).unwrap_err();
        assert_eq!(err.message, "Requested operation is not valid: domain 'foo' is already active");
        state.destroy(&foo).unwrap();
        assert_eq!(state.by_name("foo").unwrap().def.memory_kib, 1024);
    }

    #[test]
    fn transient_domains_vanish_when_they_stop() {
        let mut state = host();
        let (t, events) = state.create_xml(def("t", 2)).unwrap();
        assert_eq!((t.id, seen(&events)), (2, vec![(VIR_DOMAIN_EVENT_STARTED, 0, 2)]));
        assert!(!state.by_name("t").unwrap().persistent);
        // Undefining a transient domain is allowed, and says so again.
        assert_eq!(seen(&state.undefine(&t, false).unwrap()), vec![(VIR_DOMAIN_EVENT_UNDEFINED, 0, 2)]);
        // A transient domain's stop event keeps its id.
        assert_eq!(seen(&state.shutdown(&t).unwrap()), vec![(VIR_DOMAIN_EVENT_STOPPED, 0, 2)]);
        assert!(state.by_name("t").is_err());

        // A persistent domain undefined while it runs stops like a persistent one.
        let test = state.by_name("test").unwrap().identity();
        state.undefine(&test, false).unwrap();
        assert_eq!(seen(&state.destroy(&test).unwrap()), vec![(VIR_DOMAIN_EVENT_STOPPED, 1, -1)]);
        assert!(state.by_name("test").is_err());
    }

    #[test]
    fn create_xml_over_an_inactive_domain_runs_the_new_definition() {
        let mut state = host();
        let (foo, _) = state.define(def("foo", 2)).unwrap();
        let mut live = def("foo", 2);
        live.memory_kib = 4096;
        state.create_xml(live).unwrap();
        let obj = state.by_name("foo").unwrap();
        assert_eq!((obj.def.memory_kib, obj.new_def.as_ref().unwrap().memory_kib, obj.persistent), (4096, 1024, true));
        state.shutdown(&foo).unwrap();
        assert_eq!(state.by_name("foo").unwrap().def.memory_kib, 1024);
    }
}
