//! Msvm_ComputerSystem.EnabledState as libvirt sees it. Hosts answer in one of two
//! code sets: the v2 values (running 2, off 3, shutting down 4, saved 6, paused 9,
//! starting 10) and the extended ones libvirt's table was written for (paused 32768,
//! saved 32769, transitions 32770...). Both map here, so every call agrees.

use crate::abi::domain::*;

pub const UNKNOWN: u16 = 0;
pub const RUNNING: u16 = 2;
pub const OFF: u16 = 3;
pub const SHUTTING_DOWN: u16 = 4;
pub const SAVED: u16 = 6;
pub const PAUSED: u16 = 9;
pub const STARTING: u16 = 10;
pub const LEGACY_PAUSED: u16 = 32768;
pub const LEGACY_SAVED: u16 = 32769;
const LEGACY_STARTING: u16 = 32770;
const SNAPSHOTTING: u16 = 32771;
const SAVING: u16 = 32773;
const STOPPING: u16 = 32774;
const PAUSING: u16 = 32776;
const RESUMING: u16 = 32777;

/// RequestStateChange's RequestedState values (driver.md §3.2).
pub mod request {
    pub const START: u16 = 2;
    pub const POWER_OFF: u16 = 3;
    pub const SAVE: u16 = 6;
    pub const PAUSE: u16 = 9;
    pub const REBOOT: u16 = 10;
    pub const RESET: u16 = 11;
}

/// The virDomainState of an EnabledState.
pub fn domain_state(code: u16) -> i32 {
    match code {
        RUNNING | STARTING | LEGACY_STARTING | SNAPSHOTTING | SAVING | PAUSING | RESUMING => VIR_DOMAIN_RUNNING,
        OFF | SAVED | LEGACY_SAVED => VIR_DOMAIN_SHUTOFF,
        PAUSED | LEGACY_PAUSED => VIR_DOMAIN_PAUSED,
        SHUTTING_DOWN | STOPPING => VIR_DOMAIN_SHUTDOWN,
        _ => VIR_DOMAIN_NOSTATE,
    }
}

/// Whether the VM has a worker process (and so an id): running, paused or on its way.
pub fn is_active(code: u16) -> bool {
    matches!(domain_state(code), VIR_DOMAIN_RUNNING | VIR_DOMAIN_PAUSED | VIR_DOMAIN_SHUTDOWN)
}

/// Between two states: Hyper-V refuses most requests until the change is over.
pub fn in_transition(code: u16) -> bool {
    matches!(
        code,
        SHUTTING_DOWN | STARTING | LEGACY_STARTING | SNAPSHOTTING | SAVING | STOPPING | PAUSING | RESUMING
    )
}

pub fn is_paused(code: u16) -> bool {
    matches!(code, PAUSED | LEGACY_PAUSED)
}

/// Saved (libvirt's "managed save image").
pub fn is_saved(code: u16) -> bool {
    matches!(code, SAVED | LEGACY_SAVED)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_code_sets_map_alike() {
        assert_eq!(domain_state(PAUSED), domain_state(LEGACY_PAUSED));
        assert_eq!(domain_state(SAVED), domain_state(LEGACY_SAVED));
        assert_eq!(domain_state(PAUSED), VIR_DOMAIN_PAUSED);
        assert_eq!(domain_state(SAVED), VIR_DOMAIN_SHUTOFF);
        assert!(is_active(LEGACY_PAUSED) && is_active(PAUSED) && is_active(STARTING));
        assert!(!is_active(SAVED) && !is_active(LEGACY_SAVED) && !is_active(OFF) && !is_active(UNKNOWN));
        assert_eq!(domain_state(STOPPING), VIR_DOMAIN_SHUTDOWN);
        assert_eq!(domain_state(1), VIR_DOMAIN_NOSTATE);
        assert!(in_transition(PAUSING) && !in_transition(RUNNING) && !in_transition(PAUSED));
    }
}
