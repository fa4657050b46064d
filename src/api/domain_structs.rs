//! libvirt-domain.h: freeing the structs domain calls return. Each frees what
//! libvirt allocates in it, accepts NULL, and leaves the last error alone (but
//! virDomainStatsRecordListFree frees its domains with virDomainFree, which
//! resets it, as in libvirt).

use super::guard::unreported;
use crate::abi::types::*;

#[no_mangle]
pub unsafe extern "C" fn virDomainFSInfoFree(info: virDomainFSInfoPtr) {
    unreported(|| {
        let Some(fs) = info.as_mut() else { return };
        libc::free(fs.mountpoint.cast());
        libc::free(fs.name.cast());
        libc::free(fs.fstype.cast());
        if !fs.devAlias.is_null() {
            for i in 0..fs.ndevAlias {
                libc::free((*fs.devAlias.add(i)).cast());
            }
        }
        libc::free(fs.devAlias.cast());
        libc::free(info.cast());
    })
}

#[no_mangle]
pub unsafe extern "C" fn virDomainIOThreadInfoFree(info: virDomainIOThreadInfoPtr) {
    unreported(|| {
        let Some(thread) = info.as_mut() else { return };
        libc::free(thread.cpumap.cast());
        libc::free(info.cast());
    })
}

#[no_mangle]
pub unsafe extern "C" fn virDomainInterfaceFree(iface: virDomainInterfacePtr) {
    unreported(|| {
        let Some(nic) = iface.as_mut() else { return };
        libc::free(nic.name.cast());
        libc::free(nic.hwaddr.cast());
        if !nic.addrs.is_null() {
            for i in 0..nic.naddrs as usize {
                libc::free((*nic.addrs.add(i)).addr.cast());
            }
        }
        libc::free(nic.addrs.cast());
        libc::free(iface.cast());
    })
}

/// Frees a NULL-terminated list virConnectGetAllDomainStats returned: each
/// record's parameters and domain, the records, then the list.
#[no_mangle]
pub unsafe extern "C" fn virDomainStatsRecordListFree(stats: *mut virDomainStatsRecordPtr) {
    unreported(|| {
        if stats.is_null() {
            return;
        }
        let mut next = stats;
        while let Some(record) = (*next).as_mut() {
            super::typed_params::virTypedParamsFree(record.params, record.nparams);
            super::domain::virDomainFree(record.dom);
            libc::free((*next).cast());
            next = next.add(1);
        }
        libc::free(stats.cast());
    })
}
