//! The WMI classes the Hyper-V driver reads, declared once as data: namespace, key
//! properties (what a reference to an instance selects on) and the properties the
//! driver relies on with their types. Instances are checked against this table
//! instead of being parsed by per-class code.

use std::time::Duration;

use super::datetime::DateTime;
use super::instance::{Epr, Instance};
use super::ns;
use crate::abi::virterror::VIR_FROM_HYPERV;
use crate::core::{Error, Result};

pub const VIRTUALIZATION_V2: &str = "root/virtualization/v2";
pub const CIMV2: &str = "root/cimv2";

/// A property's CIM type, as far as checking values goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Type {
    Str,
    Bool,
    U16,
    U32,
    U64,
    Datetime,
    Interval,
    Ref,
    StrArray,
    U16Array,
}

#[derive(Debug)]
pub struct Class {
    pub name: &'static str,
    pub namespace: &'static str,
    pub keys: &'static [&'static str],
    pub properties: &'static [(&'static str, Type)],
}

/// `http://schemas.microsoft.com/wbem/wsman/1/wmi/<namespace>/<class>`.
pub fn resource_uri(namespace: &str, class: &str) -> String {
    format!("{}{namespace}/{class}", ns::WMI)
}

/// The URI WQL enumerations go to: the namespace with class `*`.
pub fn wildcard_uri(namespace: &str) -> String {
    resource_uri(namespace, "*")
}

/// A WQL string literal: `'` + value + `'`, with `\`, `'` and `"` backslash-escaped
/// (libvirt's escaping, which WMI accepts).
pub fn wql_quote(value: &str) -> String {
    let mut quoted = String::with_capacity(value.len() + 2);
    quoted.push('\'');
    for c in value.chars() {
        if matches!(c, '\\' | '\'' | '"') {
            quoted.push('\\');
        }
        quoted.push(c);
    }
    quoted.push('\'');
    quoted
}

impl Class {
    pub fn resource_uri(&self) -> String {
        resource_uri(self.namespace, self.name)
    }

    /// `SELECT * FROM <class>` with an optional WHERE condition.
    pub fn select(&self, condition: Option<&str>) -> String {
        match condition {
            Some(condition) => format!("SELECT * FROM {} WHERE {condition}", self.name),
            None => format!("SELECT * FROM {}", self.name),
        }
    }

    /// A reference to `instance`, selected by this class's keys.
    pub fn epr(&self, instance: &Instance) -> Result<Epr> {
        let selectors = self
            .keys
            .iter()
            .map(|key| Ok((key.to_string(), instance.require::<String>(key)?)))
            .collect::<Result<Vec<_>>>()?;
        Ok(Epr::new(self.resource_uri(), selectors))
    }

    /// Checks that every property of the table is there with a value of its type.
    /// `SELECT a, b` fragments carry only what was selected, so for them only
    /// the values present are checked.
    pub fn check(&self, instance: &Instance) -> Result<()> {
        let fragment = instance.class == "XmlFragment";
        for &(name, kind) in self.properties {
            let scalar = !matches!(kind, Type::StrArray | Type::U16Array);
            if scalar && !fragment && instance.value(name).is_none() {
                return Err(Error::internal(
                    VIR_FROM_HYPERV,
                    format!(
                        "{} instance lacks property '{name}' (class {})",
                        self.name, instance.class
                    ),
                ));
            }
            match kind {
                Type::Str => instance.get::<String>(name).map(drop),
                Type::Bool => instance.get::<bool>(name).map(drop),
                Type::U16 => instance.get::<u16>(name).map(drop),
                Type::U32 => instance.get::<u32>(name).map(drop),
                Type::U64 => instance.get::<u64>(name).map(drop),
                Type::Datetime => instance.get::<DateTime>(name).map(drop),
                Type::Interval => instance.get::<Duration>(name).map(drop),
                Type::Ref => instance.get::<Epr>(name).map(drop),
                Type::StrArray => instance.array::<String>(name).map(drop),
                Type::U16Array => instance.array::<u16>(name).map(drop),
            }?;
        }
        Ok(())
    }
}

/// The class named `name` (case-insensitive, as WMI is).
pub fn class(name: &str) -> Option<&'static Class> {
    CLASSES.iter().find(|c| c.name.eq_ignore_ascii_case(name))
}

/// Reference to a job from its InstanceID (Msvm_ConcreteJob).
pub fn job_epr(instance_id: &str) -> Epr {
    Epr::new(
        resource_uri(VIRTUALIZATION_V2, "Msvm_ConcreteJob"),
        vec![("InstanceID".into(), instance_id.into())],
    )
}

/// Hyper-V return and job error codes, for messages.
pub fn return_code_text(code: u32) -> &'static str {
    match code {
        0 => "Completed with no error",
        1 => "Not supported",
        2 => "Unknown error",
        3 => "Cannot complete within timeout period",
        4 => "Failed",
        5 => "Invalid parameter",
        6 => "In use",
        4096 => "Transition started",
        4097 => "Invalid state transition",
        4098 => "Timeout parameter not supported",
        4099 => "Busy",
        32768 => "Failed",
        32769 => "Access denied",
        32770 => "Not supported",
        32771 => "Status is unknown",
        32772 => "Timeout",
        32773 => "Invalid parameter",
        32774 => "System is in use",
        32775 => "Invalid state for this operation",
        32776 => "Incorrect data type",
        32777 => "System is not available",
        32778 => "Out of memory",
        _ => "Unknown return code",
    }
}

use Type::*;

const SETTING: &[&str] = &["InstanceID"];
const DEVICE: &[&str] = &["CreationClassName", "DeviceID", "SystemCreationClassName", "SystemName"];
const SERVICE: &[&str] = &["CreationClassName", "Name", "SystemCreationClassName", "SystemName"];
const RASD: &[(&str, Type)] = &[
    ("InstanceID", Str),
    ("ResourceType", U16),
    ("ResourceSubType", Str),
    ("Parent", Str),
    ("Address", Str),
    ("AddressOnParent", Str),
    ("ElementName", Str),
    ("HostResource", StrArray),
    ("Connection", StrArray),
];

const fn v2(name: &'static str, keys: &'static [&'static str], properties: &'static [(&'static str, Type)]) -> Class {
    Class {
        name,
        namespace: VIRTUALIZATION_V2,
        keys,
        properties,
    }
}

const fn cimv2(
    name: &'static str,
    keys: &'static [&'static str],
    properties: &'static [(&'static str, Type)],
) -> Class {
    Class {
        name,
        namespace: CIMV2,
        keys,
        properties,
    }
}

pub static CLASSES: &[Class] = &[
    v2(
        "Msvm_ComputerSystem",
        &["CreationClassName", "Name"],
        &[
            ("Name", Str),
            ("ElementName", Str),
            ("EnabledState", U16),
            ("ProcessID", U32),
            ("Description", Str),
        ],
    ),
    v2(
        "Msvm_VirtualSystemSettingData",
        SETTING,
        &[
            ("InstanceID", Str),
            ("ElementName", Str),
            ("VirtualSystemIdentifier", Str),
            ("VirtualSystemType", Str),
            ("VirtualSystemSubType", Str),
            ("AutomaticStartupAction", U16),
            ("Parent", Str),
            ("Notes", StrArray),
            ("CreationTime", Datetime),
        ],
    ),
    v2(
        "Msvm_ProcessorSettingData",
        SETTING,
        &[
            ("InstanceID", Str),
            ("VirtualQuantity", U64),
            ("Limit", U64),
            ("Reservation", U64),
            ("Weight", U32),
        ],
    ),
    v2(
        "Msvm_MemorySettingData",
        SETTING,
        &[("InstanceID", Str), ("VirtualQuantity", U64), ("Limit", U64)],
    ),
    v2("Msvm_ResourceAllocationSettingData", SETTING, RASD),
    v2("Msvm_StorageAllocationSettingData", SETTING, RASD),
    v2("Msvm_SerialPortSettingData", SETTING, RASD),
    v2(
        "Msvm_SyntheticEthernetPortSettingData",
        SETTING,
        &[
            ("InstanceID", Str),
            ("Address", Str),
            ("StaticMacAddress", Bool),
            ("ElementName", Str),
        ],
    ),
    v2(
        "Msvm_EthernetPortAllocationSettingData",
        SETTING,
        &[
            ("InstanceID", Str),
            ("Parent", Str),
            ("EnabledState", U16),
            ("HostResource", StrArray),
        ],
    ),
    v2(
        "Msvm_VirtualEthernetSwitch",
        &["CreationClassName", "Name"],
        &[("Name", Str), ("ElementName", Str), ("HealthState", U16)],
    ),
    v2("Msvm_DiskDrive", DEVICE, &[("DeviceID", Str), ("DriveNumber", U32)]),
    v2(
        "Msvm_ShutdownComponent",
        DEVICE,
        &[("DeviceID", Str), ("SystemName", Str)],
    ),
    v2("Msvm_Keyboard", DEVICE, &[("DeviceID", Str), ("SystemName", Str)]),
    v2("Msvm_SyntheticDisplayController", DEVICE, &[("DeviceID", Str)]),
    v2("Msvm_S3DisplayController", DEVICE, &[("DeviceID", Str)]),
    v2(
        "Msvm_VideoHead",
        DEVICE,
        &[
            ("DeviceID", Str),
            ("EnabledState", U16),
            ("CurrentHorizontalResolution", U32),
            ("CurrentVerticalResolution", U32),
        ],
    ),
    v2(
        "Msvm_ConcreteJob",
        SETTING,
        &[
            ("InstanceID", Str),
            ("JobState", U16),
            ("PercentComplete", U16),
            ("ErrorCode", U16),
            ("ErrorDescription", Str),
            ("ElapsedTime", Interval),
        ],
    ),
    v2(
        "Msvm_VirtualSystemManagementService",
        SERVICE,
        &[("Name", Str), ("SystemName", Str)],
    ),
    v2(
        "Msvm_ImageManagementService",
        SERVICE,
        &[("Name", Str), ("SystemName", Str)],
    ),
    v2(
        "Msvm_SecuritySettingData",
        SETTING,
        &[("InstanceID", Str), ("TpmEnabled", Bool)],
    ),
    v2(
        "Msvm_GuestNetworkAdapterConfiguration",
        SETTING,
        &[("InstanceID", Str), ("IPAddresses", StrArray), ("Subnets", StrArray)],
    ),
    cimv2(
        "Win32_ComputerSystem",
        &["Name"],
        &[("Name", Str), ("DNSHostName", Str), ("TotalPhysicalMemory", U64)],
    ),
    cimv2(
        "Win32_Processor",
        &["DeviceID"],
        &[
            ("Name", Str),
            ("MaxClockSpeed", U32),
            ("NumberOfCores", U32),
            ("NumberOfLogicalProcessors", U32),
        ],
    ),
    cimv2(
        "Win32_ComputerSystemProduct",
        &["IdentifyingNumber", "Name", "Version"],
        &[("UUID", Str)],
    ),
    cimv2(
        "Win32_OperatingSystem",
        &["Name"],
        &[("Version", Str), ("FreePhysicalMemory", U64)],
    ),
    cimv2(
        "Win32_PerfRawData_HvStats_HyperVHypervisorVirtualProcessor",
        &["Name"],
        &[("Name", Str), ("PercentTotalRunTime", U64)],
    ),
    cimv2("Win32_DiskDrive", &["DeviceID"], &[("Index", U32), ("Size", U64)]),
    cimv2("CIM_DataFile", &["Name"], &[("Name", Str), ("FileSize", U64)]),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn instance(properties: &[(&str, &str)]) -> Instance {
        let properties = properties
            .iter()
            .map(|(n, v)| (n.to_string(), super::super::Value::Text(v.to_string())))
            .collect();
        Instance {
            class: "Msvm_ComputerSystem".into(),
            namespace: String::new(),
            properties,
        }
    }

    #[test]
    fn queries_uris_and_references() {
        let cs = class("MSVM_COMPUTERSYSTEM").unwrap();
        assert_eq!(
            cs.resource_uri(),
            "http://schemas.microsoft.com/wbem/wsman/1/wmi/root/virtualization/v2/Msvm_ComputerSystem"
        );
        assert_eq!(
            wildcard_uri(CIMV2),
            "http://schemas.microsoft.com/wbem/wsman/1/wmi/root/cimv2/*"
        );
        assert_eq!(cs.select(None), "SELECT * FROM Msvm_ComputerSystem");
        let condition = format!("ElementName = {}", wql_quote(r#"it's a "vm" \ x"#));
        assert_eq!(
            cs.select(Some(&condition)),
            r#"SELECT * FROM Msvm_ComputerSystem WHERE ElementName = 'it\'s a \"vm\" \\ x'"#
        );
        let vm = instance(&[
            ("CreationClassName", "Msvm_ComputerSystem"),
            ("Description", "Microsoft Virtual Machine"),
            ("ElementName", "vm"),
            ("EnabledState", "2"),
            ("Name", "GUID"),
            ("ProcessID", "42"),
        ]);
        cs.check(&vm).unwrap();
        let epr = cs.epr(&vm).unwrap();
        assert_eq!(epr.resource_uri, cs.resource_uri());
        assert_eq!(
            (epr.selector("CreationClassName"), epr.selector("Name")),
            (Some("Msvm_ComputerSystem"), Some("GUID"))
        );
        assert_eq!(job_epr("J").selector("InstanceID"), Some("J"));
        assert!(class("Msvm_Nonexistent").is_none());
    }

    #[test]
    fn checks_name_the_problem() {
        let cs = class("Msvm_ComputerSystem").unwrap();
        let e = cs.check(&instance(&[("Name", "GUID")])).unwrap_err();
        assert_eq!(
            e.message,
            "internal error: Msvm_ComputerSystem instance lacks property 'ElementName' (class Msvm_ComputerSystem)"
        );
        let mut bad = instance(&[
            ("Name", "G"),
            ("ElementName", "v"),
            ("EnabledState", "two"),
            ("ProcessID", "1"),
            ("Description", ""),
        ]);
        let e = cs.check(&bad).unwrap_err();
        assert_eq!(
            e.message,
            "internal error: property 'EnabledState' of Msvm_ComputerSystem is not an unsigned integer: 'two'"
        );
        // SELECT a, b fragments only carry what was selected.
        bad.class = "XmlFragment".into();
        bad.properties.retain(|(n, _)| n == "Name");
        cs.check(&bad).unwrap();
        assert_eq!(return_code_text(32775), "Invalid state for this operation");
        assert_eq!(return_code_text(7), "Unknown return code");
    }
}
