//! CIM date-times and intervals in both spellings a Hyper-V client meets: the
//! DMTF strings (`20130429114311.203125-420`, `00000000000503.123000:000`) that
//! embedded instances must carry, and the XML Schema forms (`2013-04-29T11:43:11.2Z`,
//! `P0DT0H5M3.123S`) Windows puts inside `cim:Datetime` / `cim:Interval`.

use std::time::Duration;

/// A point in time as CIM states it: civil fields plus the UTC offset it was
/// written with (WMI keeps the offset it stored).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateTime {
    pub year: u32,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    pub microsecond: u32,
    pub offset_minutes: i32,
}

impl DateTime {
    /// Either spelling; None when the text is neither (or names an impossible date).
    pub fn parse(text: &str) -> Option<DateTime> {
        let text = text.trim();
        let parsed = if text.as_bytes().get(4) == Some(&b'-') {
            parse_iso(text)
        } else {
            parse_dmtf(text)
        }?;
        parsed.is_valid().then_some(parsed)
    }

    /// The DMTF form, `yyyymmddHHMMSS.mmmmmmsUUU`.
    pub fn to_dmtf(&self) -> String {
        let sign = if self.offset_minutes < 0 { '-' } else { '+' };
        format!(
            "{:04}{:02}{:02}{:02}{:02}{:02}.{:06}{}{:03}",
            self.year,
            self.month,
            self.day,
            self.hour,
            self.minute,
            self.second,
            self.microsecond,
            sign,
            self.offset_minutes.unsigned_abs()
        )
    }

    /// Seconds since 1970-01-01T00:00:00Z (negative before; WMI's "never" is 1601).
    pub fn unix_seconds(&self) -> i64 {
        let days = days_from_civil(self.year as i64, self.month as i64, self.day as i64);
        let local = days * 86400 + (self.hour * 3600 + self.minute * 60 + self.second) as i64;
        local - self.offset_minutes as i64 * 60
    }

    fn is_valid(&self) -> bool {
        let leap = self.year.is_multiple_of(4) && (!self.year.is_multiple_of(100) || self.year.is_multiple_of(400));
        let days_in_month = match self.month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return false,
        };
        (1..=days_in_month).contains(&self.day)
            && self.hour < 24
            && self.minute < 60
            && self.second < 61
            && self.microsecond < 1_000_000
            && self.offset_minutes.abs() < 24 * 60
    }
}

/// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146097 + day_of_era - 719468
}

/// `yyyymmddHHMMSS.mmmmmmsUUU`.
fn parse_dmtf(text: &str) -> Option<DateTime> {
    let b = text.as_bytes();
    if b.len() != 25 || b[14] != b'.' || !matches!(b[21], b'+' | b'-') {
        return None;
    }
    let offset = digits(&text[22..25])? as i32;
    Some(DateTime {
        year: digits(&text[0..4])?,
        month: digits(&text[4..6])?,
        day: digits(&text[6..8])?,
        hour: digits(&text[8..10])?,
        minute: digits(&text[10..12])?,
        second: digits(&text[12..14])?,
        microsecond: digits(&text[15..21])?,
        offset_minutes: if b[21] == b'-' { -offset } else { offset },
    })
}

/// xs:dateTime: `YYYY-MM-DDTHH:MM:SS[.f…][Z|±HH:MM]`; no zone means UTC.
fn parse_iso(text: &str) -> Option<DateTime> {
    let (date, time) = text.split_once('T')?;
    let b = date.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let zone_at = time.find(['Z', '+', '-']).unwrap_or(time.len());
    let (clock, zone) = time.split_at(zone_at);
    let (hms, fraction) = clock.split_once('.').unwrap_or((clock, ""));
    let t = hms.as_bytes();
    if t.len() != 8 || t[2] != b':' || t[5] != b':' {
        return None;
    }
    let offset_minutes = match zone {
        "" | "Z" => 0,
        _ => {
            let (hours, minutes) = zone[1..].split_once(':')?;
            if hours.len() != 2 || minutes.len() != 2 {
                return None;
            }
            let offset = (digits(hours)? * 60 + digits(minutes)?) as i32;
            if zone.starts_with('-') {
                -offset
            } else {
                offset
            }
        }
    };
    Some(DateTime {
        year: digits(&date[0..4])?,
        month: digits(&date[5..7])?,
        day: digits(&date[8..10])?,
        hour: digits(&hms[0..2])?,
        minute: digits(&hms[3..5])?,
        second: digits(&hms[6..8])?,
        microsecond: micros(fraction)?,
        offset_minutes,
    })
}

/// An interval in either spelling: DMTF `ddddddddHHMMSS.mmmmmm:000` or xs:duration
/// with days, hours, minutes and (fractional) seconds. Years and months have no fixed
/// length and negative durations no meaning for CIM intervals: both are refused.
pub fn parse_interval(text: &str) -> Option<Duration> {
    let text = text.trim();
    let b = text.as_bytes();
    if b.len() == 25 && b[14] == b'.' && b[21] == b':' {
        let seconds = digits(&text[0..8])? as u64 * 86400
            + digits(&text[8..10])? as u64 * 3600
            + digits(&text[10..12])? as u64 * 60
            + digits(&text[12..14])? as u64;
        return Some(Duration::from_secs(seconds) + Duration::from_micros(digits(&text[15..21])? as u64));
    }
    let rest = text.strip_prefix('P')?;
    let (date, time) = rest.split_once('T').unwrap_or((rest, ""));
    if rest.is_empty() || rest.ends_with('T') {
        return None;
    }
    let mut total = Duration::ZERO;
    for (part, units) in [
        (date, &[('D', 86400)][..]),
        (time, &[('H', 3600), ('M', 60), ('S', 1)][..]),
    ] {
        let mut part = part;
        let mut allowed = units.iter();
        while !part.is_empty() {
            let end = part.find(|c: char| !c.is_ascii_digit() && c != '.')?;
            let (number, unit) = (&part[..end], part[end..].chars().next()?);
            let &(_, seconds) = allowed.find(|(u, _)| *u == unit)?;
            let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
            if whole.is_empty() || (!fraction.is_empty() && unit != 'S') {
                return None;
            }
            let whole: u64 = whole.parse().ok()?;
            total += Duration::from_secs(whole.checked_mul(seconds)?) + Duration::from_micros(micros(fraction)? as u64);
            part = &part[end + 1..];
        }
    }
    Some(total)
}

/// The DMTF interval form, as embedded instances need it.
pub fn dmtf_interval(interval: Duration) -> String {
    let seconds = interval.as_secs();
    format!(
        "{:08}{:02}{:02}{:02}.{:06}:000",
        (seconds / 86400).min(99_999_999),
        seconds / 3600 % 24,
        seconds / 60 % 60,
        seconds % 60,
        interval.subsec_micros()
    )
}

/// The xs:duration form with millisecond precision (`PT60.000S`), for headers.
pub fn iso_duration(interval: Duration) -> String {
    format!("PT{}.{:03}S", interval.as_secs(), interval.subsec_millis())
}

fn digits(text: &str) -> Option<u32> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// A decimal fraction of a second in microseconds; digits past the sixth are dropped.
fn micros(fraction: &str) -> Option<u32> {
    if fraction.is_empty() {
        return Some(0);
    }
    let kept = &fraction[..fraction.len().min(6)];
    digits(fraction)?;
    Some(digits(kept)? * 10u32.pow(6 - kept.len() as u32))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dt(text: &str) -> DateTime {
        DateTime::parse(text).unwrap_or_else(|| panic!("{text:?} should parse"))
    }

    #[test]
    fn dmtf_and_iso_datetimes() {
        let a = dt("20130429114311.203125-420");
        assert_eq!(
            (a.year, a.month, a.day, a.hour, a.minute, a.second),
            (2013, 4, 29, 11, 43, 11)
        );
        assert_eq!((a.microsecond, a.offset_minutes), (203125, -420));
        assert_eq!(a, dt("2013-04-29T11:43:11.203125-07:00"));
        assert_eq!(a.to_dmtf(), "20130429114311.203125-420");
        assert_eq!(dt("2013-03-09T02:57:32Z").to_dmtf(), "20130309025732.000000+000");
        assert_eq!(dt("2025-12-17T09:55:22.702341Z").microsecond, 702341);
        assert_eq!(dt("2026-07-29T14:10:59.4678861Z").microsecond, 467886);
        assert_eq!(dt("2020-01-01T00:00:00").offset_minutes, 0);
        assert_eq!(dt("2020-01-01T05:30:00+05:30").unix_seconds(), 1577836800);
        assert_eq!(dt("1970-01-01T00:00:00Z").unix_seconds(), 0);
        assert_eq!(dt("19700101000000.000000+060").unix_seconds(), -3600);
        assert_eq!(dt("1601-01-01T00:00:00Z").unix_seconds(), -11644473600);
        assert_eq!(dt("2024-02-29T23:59:59Z").unix_seconds(), 1709251199);
        for bad in [
            "",
            "2013-04-29",
            "2013-02-30T00:00:00Z",
            "2013-04-29T25:00:00Z",
            "2013-04-29T11:43:11+0700",
            "2013-04-29T11:43:11.x",
            "20130429114311.203125:000",
            "2013042911431.1203125-420",
            "2013O429114311.203125-420",
            "-2013-04-29T11:43:11Z",
        ] {
            assert_eq!(DateTime::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn intervals() {
        let ms = Duration::from_millis;
        assert_eq!(parse_interval("P0DT0H5M3.123S"), Some(ms(303_123)));
        assert_eq!(parse_interval("P0DT0H1M40S"), Some(ms(100_000)));
        assert_eq!(parse_interval("PT20S"), Some(ms(20_000)));
        assert_eq!(parse_interval("PT60.000S"), Some(ms(60_000)));
        assert_eq!(parse_interval("P2D"), Some(ms(172_800_000)));
        assert_eq!(parse_interval("P1DT2H"), Some(ms(93_600_000)));
        assert_eq!(parse_interval("00000001020304.500000:000"), Some(ms(93_784_500)));
        assert_eq!(parse_interval("00000000000503.123000:000"), Some(ms(303_123)));
        for bad in [
            "",
            "P",
            "PT",
            "P1Y",
            "P1M",
            "-PT5S",
            "PT5",
            "PT1.5M",
            "PT5S5S",
            "PTS",
            "P1H",
            "PT1D",
            "00000000000503.123000+000",
        ] {
            assert_eq!(parse_interval(bad), None, "{bad:?}");
        }
        assert_eq!(dmtf_interval(ms(93_784_500)), "00000001020304.500000:000");
        assert_eq!(parse_interval(&dmtf_interval(ms(303_123))), Some(ms(303_123)));
        assert_eq!(iso_duration(ms(59_500)), "PT59.500S");
    }
}
