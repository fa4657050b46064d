//! State changes: RequestStateChange and the guest shutdown, each after checking
//! the state as libvirt does (one Get), then waiting for Hyper-V's job.

use super::settings::JOB_TIMEOUT;
use super::state;
use super::vm::{self, Vm};
use super::wsman::classes::{self, wql_quote, VIRTUALIZATION_V2};
use super::wsman::{Client, Params};
use crate::abi::virterror::*;
use crate::core::{Error, Result};

/// What an operation needs of the current state, with libvirt's complaint otherwise.
#[derive(Clone, Copy)]
pub enum Needs {
    Inactive,
    Running,
    Paused,
    /// Active and not between states; the message differs between libvirt's calls.
    Steady(&'static str),
    Saved,
}

pub fn check(vm: &Vm, needs: Needs) -> Result<()> {
    let code = vm.state;
    let (ok, message) = match needs {
        Needs::Inactive => (!vm.is_active(), "Domain is already active or is in state transition"),
        Needs::Running => (code == state::RUNNING, "Domain is not active"),
        Needs::Paused => (state::is_paused(code), "Domain is not paused"),
        Needs::Steady(message) => (vm.is_active() && !state::in_transition(code), message),
        Needs::Saved => (state::is_saved(code), "Domain has no managed save image"),
    };
    if ok {
        Ok(())
    } else {
        Err(Error::operation_invalid(VIR_FROM_HYPERV, message))
    }
}

/// RequestStateChange(`requested`) and its job; a failed job's description is the error.
pub fn request_state(client: &Client, vm: &Vm, requested: u16) -> Result<()> {
    let params = Params::new().text("RequestedState", requested.to_string());
    client.invoke_and_wait(&vm::resource_uri(), &vm.selectors(), "RequestStateChange", &params, JOB_TIMEOUT)?;
    Ok(())
}

/// Looks the VM up, checks the state, requests the change.
pub fn change(client: &Client, uuid: &[u8; 16], needs: Needs, requested: u16) -> Result<()> {
    let vm = vm::get(client, uuid)?;
    check(&vm, needs)?;
    request_state(client, &vm, requested)
}

/// Asks the guest to shut down through its integration service.
pub fn shutdown(client: &Client, uuid: &[u8; 16]) -> Result<()> {
    let vm = vm::get(client, uuid)?;
    check(&vm, Needs::Steady("Domain is not active or in state transition"))?;
    let query = format!(
        "SELECT DeviceID FROM Msvm_ShutdownComponent WHERE SystemName = {}",
        wql_quote(&vm.guid)
    );
    let found = client.enumerate_wql(VIRTUALIZATION_V2, &query)?;
    let Some(component) = found.first() else {
        return Err(Error::with_detail(
            VIR_ERR_OPERATION_FAILED,
            VIR_FROM_HYPERV,
            format!("Could not get Msvm_ShutdownComponent for domain with UUID {}", vm.guid),
        ));
    };
    let device: String = component.require("DeviceID")?;
    let selectors = [
        ("CreationClassName", "Msvm_ShutdownComponent"),
        ("DeviceID", device.as_str()),
        ("SystemCreationClassName", "Msvm_ComputerSystem"),
        ("SystemName", vm.guid.as_str()),
    ];
    let params = Params::new().text("Force", "false").text("Reason", "Planned shutdown via libvirt");
    let uri = classes::resource_uri(VIRTUALIZATION_V2, "Msvm_ShutdownComponent");
    client.invoke_and_wait(&uri, &selectors, "InitiateShutdown", &params, JOB_TIMEOUT)?;
    Ok(())
}


/// Presses the keys in order, holds them `holdtime` ms, releases them (Msvm_Keyboard).
pub fn send_keys(client: &Client, vm: &Vm, codes: &[u32], holdtime: u32) -> Result<()> {
    let query = format!("SELECT DeviceID FROM Msvm_Keyboard WHERE SystemName = {}", wql_quote(&vm.guid));
    let found = client.enumerate_wql(VIRTUALIZATION_V2, &query)?;
    let Some(keyboard) = found.first() else {
        return Err(Error::with_detail(
            VIR_ERR_NO_DOMAIN,
            VIR_FROM_HYPERV,
            format!("No domain with UUID {} (or it has no keyboard)", vm.guid.to_lowercase()),
        ));
    };
    let device: String = keyboard.require("DeviceID")?;
    let selectors = [
        ("CreationClassName", "Msvm_Keyboard"),
        ("DeviceID", device.as_str()),
        ("SystemCreationClassName", "Msvm_ComputerSystem"),
        ("SystemName", vm.guid.as_str()),
    ];
    let uri = classes::resource_uri(VIRTUALIZATION_V2, "Msvm_Keyboard");
    let key = |method: &str, code: u32| {
        let params = Params::new().text("keyCode", code.to_string());
        client.invoke_and_wait(&uri, &selectors, method, &params, JOB_TIMEOUT).map(drop)
    };
    for &code in codes {
        key("PressKey", code)?;
    }
    std::thread::sleep(std::time::Duration::from_millis(holdtime.into()));
    for &code in codes {
        key("ReleaseKey", code)?;
    }
    Ok(())
}
