//! UUIDs in libvirt's text form.

/// A UUID as libvirt prints it: lower-case hex, 8-4-4-4-12.
pub fn format_uuid(uuid: &[u8; 16]) -> String {
    let hex: String = uuid.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

/// Parses a UUID the way libvirt's virUUIDParse does: leading and trailing white
/// space, and '-' or ' ' between any two bytes, are allowed; 32 hex digits in pairs.
pub fn parse_uuid(text: &str) -> Option<[u8; 16]> {
    let mut rest = text.trim_start_matches(|c: char| is_c_space(c as u32)).bytes();
    let mut uuid = [0u8; 16];
    let mut i = 0;
    while i < 16 {
        let high = rest.next()?;
        if high == b'-' || high == b' ' {
            continue;
        }
        let low = rest.next()?;
        uuid[i] = (hex_value(high)? << 4) | hex_value(low)?;
        i += 1;
    }
    rest.all(|b| is_c_space(b as u32)).then_some(uuid)
}

/// C's isspace in the C locale: space, \t, \n, \v, \f, \r.
fn is_c_space(c: u32) -> bool {
    c == 0x20 || (0x09..=0x0d).contains(&c)
}

fn hex_value(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|v| v as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_parse_like_libvirt() {
        let want = [0x66, 0x95, 0xeb, 0x01, 0xf6, 0xa4, 0x83, 0x04, 0x79, 0xaa, 0x97, 0xf2, 0x50, 0x2e, 0x19, 0x3f];
        for ok in [
            "6695eb01-f6a4-8304-79aa-97f2502e193f",
            "6695eb01f6a4830479aa97f2502e193f",
            "  6695eb01 f6a4-8304-79aa-97f2502e193f\t\n",
            "-6695EB01-F6A4-8304-79AA-97F2502E193F",
            "6695-eb01-f6a4-8304-79aa-97f2502e193f",
        ] {
            assert_eq!(parse_uuid(ok), Some(want), "{ok:?}");
        }
        for bad in [
            "",
            "6695eb01f6a4830479aa97f2502e193",
            "6695eb01-f6a4-8304-79aa-97f2502e193f00",
            "6695eb01f6a4-8304-79aa-97f2502e193f-",
            "6-695eb01f6a4-8304-79aa-97f2502e193f",
            "bad",
        ] {
            assert_eq!(parse_uuid(bad), None, "{bad:?}");
        }
        assert_eq!(format_uuid(&want), "6695eb01-f6a4-8304-79aa-97f2502e193f");
    }
}
