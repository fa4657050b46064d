//! libvirt-domain.h: domains.

use super::guard::{guard, Call};
use crate::abi::types::*;
use crate::abi::virterror::*;
use crate::core::object;
use crate::core::{Child, Domain, Result};
use std::os::raw::{c_char, c_int, c_ulong, c_ushort, c_uchar, c_ulonglong};
use std::sync::Arc;

#[track_caller]
fn entry<T: super::guard::Failure>(
    name: &'static str,
    args: impl FnOnce() -> String,
    body: impl FnOnce(&mut Call) -> Result<T>,
) -> T {
    guard(VIR_FROM_DOMAIN, name, args, body)
}

fn domain(call: &mut Call, dom: virDomainPtr) -> Result<Arc<Domain>> {
    call.child::<Domain>(dom, VIR_ERR_INVALID_DOMAIN)
}

#[no_mangle]
pub unsafe extern "C" fn virDomainLookupByName(conn: virConnectPtr, name: *const c_char) -> virDomainPtr {
    entry("virDomainLookupByName", || format!("conn={}, name={}", super::guard::show_ptr(conn), super::guard::show_str(name)), |call| {
        let conn = call.connect(conn)?;
        let name = call.string(name, "name")?;
        let id = conn.driver.domain_lookup_by_name(name)?;
        Ok(object::publish(Arc::new(Child { conn, id })) as virDomainPtr)
    })
}

#[no_mangle]
pub unsafe extern "C" fn virDomainFree(dom: virDomainPtr) -> c_int {
    entry("virDomainFree", || format!("dom={}", super::guard::show_ptr(dom)), |call| call.free::<Domain, _>(dom))
}

#[no_mangle]
pub unsafe extern "C" fn virDomainRef(dom: virDomainPtr) -> c_int {
    entry("virDomainRef", || format!("dom={}", super::guard::show_ptr(dom)), |call| call.add_ref::<Domain, _>(dom))
}

#[no_mangle]
pub unsafe extern "C" fn virDomainGetInfo(dom: virDomainPtr, info: virDomainInfoPtr) -> c_int {
    entry("virDomainGetInfo", || format!("dom={}, info={}", super::guard::show_ptr(dom), super::guard::show_ptr(info)), |call| {
        let dom = domain(call, dom)?;
        let out = call.out(info, "info")?;
        let got = dom.conn.driver.domain_info(&dom.id)?;
        *out = virDomainInfo {
            state: got.state as c_uchar,
            maxMem: got.max_mem_kib as c_ulong,
            memory: got.memory_kib as c_ulong,
            nrVirtCpu: got.nr_virt_cpu as c_ushort,
            cpuTime: got.cpu_time_ns as c_ulonglong,
        };
        Ok(0)
    })
}
