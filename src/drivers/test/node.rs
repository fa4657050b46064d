//! The node calls of libvirt's test driver that answer constants, and the CPU
//! model names of libvirt 9.0's CPU map, which virConnectGetCPUModelNames lists.

use crate::abi::virterror::*;
use crate::core::{Error, Result};

/// virNodeGetCPUStats' figures, the same for every CPU.
pub const CPU_STATS: [(&str, u64); 4] =
    [("user", 9_797_400_000), ("kernel", 34_678_723_400_000), ("idle", 87_264_900_000), ("iowait", 763_600_000)];

/// virConnectGetSysinfo's document.
pub const SYSINFO: &str = "<sysinfo type='smbios'>
  <bios>
    <entry name='vendor'>LENOVO</entry>
    <entry name='version'>G4ETA1WW (2.61 )</entry>
    <entry name='date'>05/07/2014</entry>
    <entry name='release'>2.61</entry>
  </bios>
</sysinfo>
";

/// The node's CPU map: 8 CPUs, of which 0, 2 and 4 are online.
pub const CPU_MAP: (u8, u32, i32) = (0x15, 3, 8);

/// virNodeGetFreePages' made-up counts: a sequence that ignores page sizes and cells.
pub fn free_pages(npages: usize, cells: usize) -> Vec<u64> {
    let mut x = 6u64;
    (0..npages * cells)
        .map(|_| {
            x = x * 2 + 7;
            x
        })
        .collect()
}

const X86_MODELS: &[&str] = &[
    "486", "pentium", "pentium2", "pentium3", "pentiumpro", "coreduo", "n270", "core2duo", "qemu32", "kvm32",
    "cpu64-rhel5", "cpu64-rhel6", "qemu64", "kvm64", "Conroe", "Penryn", "Nehalem", "Nehalem-IBRS", "Westmere",
    "Westmere-IBRS", "SandyBridge", "SandyBridge-IBRS", "IvyBridge", "IvyBridge-IBRS", "Haswell-noTSX",
    "Haswell-noTSX-IBRS", "Haswell", "Haswell-IBRS", "Broadwell-noTSX", "Broadwell-noTSX-IBRS", "Broadwell",
    "Broadwell-IBRS", "Skylake-Client", "Skylake-Client-IBRS", "Skylake-Client-noTSX-IBRS", "Skylake-Server",
    "Skylake-Server-IBRS", "Skylake-Server-noTSX-IBRS", "Cascadelake-Server", "Cascadelake-Server-noTSX",
    "Icelake-Client", "Icelake-Client-noTSX", "Icelake-Server", "Icelake-Server-noTSX", "Cooperlake", "Snowridge",
    "athlon", "phenom", "Opteron_G1", "Opteron_G2", "Opteron_G3", "Opteron_G4", "Opteron_G5", "EPYC", "EPYC-IBPB",
    "EPYC-Rome", "EPYC-Milan", "Dhyana",
];

const PPC64_MODELS: &[&str] = &["POWER6", "POWER7", "POWER8", "POWER9", "POWER10", "POWERPC_e5500", "POWERPC_e6500"];

/// libvirt 9.0's architecture names.
const ARCHES: &[&str] = &[
    "alpha", "armv6l", "armv7l", "armv7b", "aarch64", "cris", "i686", "ia64", "lm32", "m68k", "microblaze",
    "microblazeel", "mips", "mipsel", "mips64", "mips64el", "openrisc", "parisc", "parisc64", "ppc", "ppcle", "ppc64",
    "ppc64le", "ppcemb", "riscv32", "riscv64", "s390", "s390x", "sh4", "sh4eb", "sparc", "sparc64", "unicore32",
    "x86_64", "xtensa", "xtensaeb",
];

/// The CPU models libvirt knows for `arch`: the arm and s390 CPU drivers know
/// none; architectures without a CPU driver, and unknown names, are errors.
pub fn cpu_models(arch: &str) -> Result<&'static [&'static str]> {
    match arch {
        "i686" | "x86_64" => Ok(X86_MODELS),
        "ppc64" | "ppc64le" => Ok(PPC64_MODELS),
        "armv6l" | "armv7l" | "armv7b" | "aarch64" | "s390" | "s390x" => Ok(&[]),
        _ if ARCHES.contains(&arch) => Err(Error::with_detail(
            VIR_ERR_NO_SUPPORT,
            VIR_FROM_CPU,
            format!("'{arch}' architecture is not supported by CPU driver"),
        )),
        _ => Err(Error::invalid_arg(VIR_FROM_TEST, format!("cannot find architecture {arch}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_pages_follow_libvirts_sequence() {
        assert_eq!(free_pages(3, 2), vec![19, 45, 97, 201, 409, 825]);
        assert!(free_pages(0, 4).is_empty());
    }

    #[test]
    fn model_lists_and_arch_errors() {
        assert_eq!(cpu_models("x86_64").unwrap().len(), 58);
        assert_eq!(cpu_models("ppc64le").unwrap()[2], "POWER8");
        assert!(cpu_models("aarch64").unwrap().is_empty());
        let e = cpu_models("riscv64").unwrap_err();
        assert_eq!((e.code, e.domain), (VIR_ERR_NO_SUPPORT, VIR_FROM_CPU));
        assert_eq!(e.message, "this function is not supported by the connection driver: 'riscv64' architecture is not supported by CPU driver");
        let e = cpu_models("arm").unwrap_err();
        assert_eq!((e.code, e.domain, e.message.as_str()), (VIR_ERR_INVALID_ARG, VIR_FROM_TEST, "invalid argument: cannot find architecture arm"));
    }
}
