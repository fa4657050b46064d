//! The capabilities XML of a test host, laid out as libvirt formats it.

use super::state::State;
use std::fmt::Write;

/// Page sizes (KiB) the test host offers; cell 1's base pages are the second size.
const PAGE_SIZES: [u64; 4] = [4, 8, 2048, 1024 * 1024];

pub fn format(state: &State) -> String {
    let mut x = String::from("<capabilities>\n\n  <host>\n    <cpu>\n      <arch>i686</arch>\n");
    x += "      <features>\n        <pae/>\n        <nonpae/>\n      </features>\n";
    for size in PAGE_SIZES {
        let _ = writeln!(x, "      <pages unit='KiB' size='{size}'/>");
    }
    x += "    </cpu>\n    <power_management/>\n";
    let _ = writeln!(x, "    <iommu support='{}'/>", if state.iommu { "yes" } else { "no" });
    let _ = writeln!(x, "    <topology>\n      <cells num='{}'>", state.cells.len());
    for (i, cell) in state.cells.iter().enumerate() {
        let _ = writeln!(x, "        <cell id='{i}'>\n          <memory unit='KiB'>{}</memory>", cell.mem_kib);
        let base = if i == 1 { PAGE_SIZES[1] } else { PAGE_SIZES[0] };
        let _ = writeln!(x, "          <pages unit='KiB' size='{base}'>{}</pages>", cell.mem_kib / base);
        for size in &PAGE_SIZES[2..] {
            let _ = writeln!(x, "          <pages unit='KiB' size='{size}'>0</pages>");
        }
        let _ = writeln!(x, "          <cpus num='{}'>", cell.cpus.len());
        for cpu in &cell.cpus {
            let _ = writeln!(
                x,
                "            <cpu id='{}' socket_id='{}' die_id='0' core_id='{}' siblings='{}'/>",
                cpu.id,
                cpu.socket_id,
                cpu.core_id,
                format_cpu_set(&cpu.siblings)
            );
        }
        x += "          </cpus>\n        </cell>\n";
    }
    x += "      </cells>\n    </topology>\n";
    x += "    <secmodel>\n      <model>testSecurity</model>\n      <doi></doi>\n    </secmodel>\n  </host>\n\n";
    for os_type in ["hvm", "xen"] {
        let _ = writeln!(x, "  <guest>\n    <os_type>{os_type}</os_type>\n    <arch name='i686'>");
        x += "      <wordsize>32</wordsize>\n      <emulator>/usr/bin/test-hv</emulator>\n";
        x += "      <domain type='test'/>\n    </arch>\n";
        x += "    <features>\n      <pae/>\n      <nonpae/>\n    </features>\n  </guest>\n\n";
    }
    x += "</capabilities>\n";
    x
}

/// A set of CPU numbers as libvirt writes bitmaps: ascending ranges, "0-3,8".
fn format_cpu_set(cpus: &[u32]) -> String {
    let mut sorted = cpus.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut ranges: Vec<(u32, u32)> = Vec::new();
    for cpu in sorted {
        match ranges.last_mut() {
            Some((_, end)) if *end + 1 == cpu => *end = cpu,
            _ => ranges.push((cpu, cpu)),
        }
    }
    let parts: Vec<String> =
        ranges.iter().map(|&(a, b)| if a == b { a.to_string() } else { format!("{a}-{b}") }).collect();
    parts.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_sets_are_ranges() {
        assert_eq!(format_cpu_set(&[3]), "3");
        assert_eq!(format_cpu_set(&[0, 1, 2, 3, 8, 10, 11]), "0-3,8,10-11");
        assert_eq!(format_cpu_set(&[]), "");
    }

    #[test]
    fn default_host_capabilities_follow_the_iommu_fact() {
        let mut state = super::super::default::state();
        state.iommu = false;
        let caps = format(&state);
        assert!(caps.contains("<iommu support='no'/>"));
        assert!(caps.contains("<cells num='2'>"));
        assert!(caps.contains("<cpu id='15' socket_id='1' die_id='0' core_id='7' siblings='15'/>"));
        assert!(caps.contains("<pages unit='KiB' size='8'>524288</pages>"));
        state.iommu = true;
        assert!(format(&state).contains("<iommu support='yes'/>"));
    }
}
