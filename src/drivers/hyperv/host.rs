//! The host: version, name, node info, capabilities, limits, each read when asked
//! (one or two requests) except the OS version, which cannot change while connected.

use super::wsman::classes::{CIMV2, VIRTUALIZATION_V2};
use super::wsman::{Client, Instance};
use crate::abi::virterror::*;
use crate::core::{Error, Result};
use crate::driver::NodeInfo;
use crate::uuid::{format_uuid, parse_uuid};

fn one(client: &Client, namespace: &str, query: &str, what: &str) -> Result<Instance> {
    client
        .enumerate_wql(namespace, query)?
        .into_iter()
        .next()
        .ok_or_else(|| Error::internal(VIR_FROM_HYPERV, format!("Could not get {what}")))
}

/// Win32_OperatingSystem.Version ("10.0.17763"): the open's one request, which
/// also proves the credentials.
pub fn os_version(client: &Client, host: &str) -> Result<String> {
    let os = client
        .enumerate_wql(CIMV2, "SELECT Version FROM Win32_OperatingSystem")?
        .into_iter()
        .next()
        .ok_or_else(|| Error::internal(VIR_FROM_HYPERV, format!("Could not get version information for host {host}")))?;
    os.require("Version")
}

/// libvirt's packing: major * 100000000 + minor * 1000000 + micro.
pub fn pack_version(version: &str) -> Result<u64> {
    let bad = || Error::internal(VIR_FROM_HYPERV, format!("Could not produce packed version number from '{version}'"));
    let parts: Vec<u64> = version.split('.').map(|p| p.trim().parse().map_err(|_| bad())).collect::<Result<_>>()?;
    match parts.as_slice() {
        [major, minor, micro, ..] if *major <= 99 && *minor <= 99 && *micro <= 999_999 => {
            Ok(major * 100_000_000 + minor * 1_000_000 + micro)
        }
        _ => Err(bad()),
    }
}

pub fn hostname(client: &Client) -> Result<String> {
    one(client, CIMV2, "SELECT DNSHostName FROM Win32_ComputerSystem", "the host's name")?.require("DNSHostName")
}

pub fn free_memory(client: &Client) -> Result<u64> {
    let os = one(client, CIMV2, "SELECT FreePhysicalMemory FROM Win32_OperatingSystem", "free memory")?;
    Ok(os.require::<u64>("FreePhysicalMemory")? * 1024)
}

/// The most vCPUs a VM may have on this host.
pub fn max_vcpus(client: &Client) -> Result<i32> {
    let query = "SELECT InstanceID, VirtualQuantity FROM Msvm_ProcessorSettingData \
                 WHERE InstanceID LIKE 'Microsoft:Definition%Maximum'";
    let max: u64 = one(client, VIRTUALIZATION_V2, query, "the maximum vCPU count")?.require("VirtualQuantity")?;
    Ok(i32::try_from(max).unwrap_or(i32::MAX))
}

/// "Intel(R) Xeon(R) CPU E5-2630 v3 @ 2.40GHz" -> "Intel Xeon CPU E5-2630 v3", as libvirt
/// shortens it to fit virNodeInfo.model.
pub fn cpu_model(name: &str) -> Result<String> {
    let mut model = name.replace("(R)", "").replace("(C)", "").replace("(TM)", "");
    if let Some(at) = model.find(" @ ") {
        model.truncate(at);
    }
    let model = model.split_whitespace().collect::<Vec<_>>().join(" ");
    if model.len() > 31 {
        return Err(Error::internal(VIR_FROM_HYPERV, format!("CPU model {model} too long for destination")));
    }
    Ok(model)
}

pub fn node_info(client: &Client) -> Result<NodeInfo> {
    let system = one(client, CIMV2, "SELECT TotalPhysicalMemory FROM Win32_ComputerSystem", "host information")?;
    let processors = client.enumerate_wql(
        CIMV2,
        "SELECT Name, MaxClockSpeed, NumberOfCores, NumberOfLogicalProcessors FROM Win32_Processor",
    )?;
    let first = processors
        .first()
        .ok_or_else(|| Error::internal(VIR_FROM_HYPERV, "Could not get processor information"))?;
    let cores: u32 = first.require("NumberOfCores")?;
    let logical: u32 = first.require("NumberOfLogicalProcessors")?;
    let sockets = processors.len() as u32;
    Ok(NodeInfo {
        model: cpu_model(&first.require::<String>("Name")?)?,
        memory_kib: system.require::<u64>("TotalPhysicalMemory")? / 1024,
        cpus: sockets * cores,
        mhz: first.require("MaxClockSpeed")?,
        nodes: 1,
        sockets,
        cores,
        threads: if cores > 0 { logical / cores } else { 0 },
    })
}

/// The capabilities XML libvirt's driver builds: the host's UUID and arch, and hvm
/// guests for i686 and x86_64.
pub fn capabilities(client: &Client) -> Result<String> {
    let product = one(client, CIMV2, "SELECT UUID FROM Win32_ComputerSystemProduct", "the host's UUID")?;
    let text: String = product.require("UUID")?;
    let uuid = parse_uuid(&text)
        .ok_or_else(|| Error::internal(VIR_FROM_HYPERV, format!("Could not parse UUID from string '{text}'")))?;
    let mut xml = format!(
        "<capabilities>\n\n  <host>\n    <uuid>{}</uuid>\n    <cpu>\n      <arch>x86_64</arch>\n    </cpu>\n    \
         <power_management/>\n    <iommu support='no'/>\n  </host>\n\n",
        format_uuid(&uuid)
    );
    for (arch, bits) in [("i686", 32), ("x86_64", 64)] {
        xml += &format!(
            "  <guest>\n    <os_type>hvm</os_type>\n    <arch name='{arch}'>\n      <wordsize>{bits}</wordsize>\n      \
             <domain type='hyperv'/>\n    </arch>\n  </guest>\n\n"
        );
    }
    xml += "</capabilities>\n";
    Ok(xml)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_pack_as_libvirt() {
        assert_eq!(pack_version("6.3.9600").unwrap(), 603_009_600);
        assert_eq!(pack_version("10.0.17763").unwrap(), 1_000_017_763);
        assert!(pack_version("100.0.1").is_err());
        assert!(pack_version("10.0").is_err());
        assert!(pack_version("10.x.1").is_err());
    }

    #[test]
    fn cpu_models_are_shortened() {
        assert_eq!(cpu_model("Intel(R) Xeon(R) CPU E5-2630 v3 @ 2.40GHz").unwrap(), "Intel Xeon CPU E5-2630 v3");
        assert_eq!(cpu_model("AMD EPYC  7302 16-Core Processor").unwrap(), "AMD EPYC 7302 16-Core Processor");
        assert!(cpu_model("A very long processor name that does not fit").is_err());
    }
}

/// The host's name as WMI object paths carry it (Win32_ComputerSystem.Name).
pub fn name(client: &Client) -> Result<String> {
    one(client, CIMV2, "SELECT Name FROM Win32_ComputerSystem", "the host's name")?.require("Name")
}
