//! Typed parameters (libvirt-common.h) without the C array: field names, type
//! names, parsing values from text, and how an array grows. All errors are in
//! VIR_FROM_NONE, where libvirt's typed-parameter helpers report them.

use crate::abi::common::*;
use crate::abi::virterror::*;
use crate::core::{Error, Result};

/// A parameter's value, by the type libvirt tags it with.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Int(i32),
    UInt(u32),
    LLong(i64),
    ULLong(u64),
    Double(f64),
    Boolean(bool),
    /// The bytes of a C string, without its NUL.
    String(Vec<u8>),
}

impl Value {
    pub fn type_code(&self) -> i32 {
        match self {
            Value::Int(_) => VIR_TYPED_PARAM_INT,
            Value::UInt(_) => VIR_TYPED_PARAM_UINT,
            Value::LLong(_) => VIR_TYPED_PARAM_LLONG,
            Value::ULLong(_) => VIR_TYPED_PARAM_ULLONG,
            Value::Double(_) => VIR_TYPED_PARAM_DOUBLE,
            Value::Boolean(_) => VIR_TYPED_PARAM_BOOLEAN,
            Value::String(_) => VIR_TYPED_PARAM_STRING,
        }
    }
}

/// libvirt's name for a type code; None outside its table (messages then show
/// "(null)", as glibc prints a NULL string).
pub fn type_name(code: i32) -> Option<&'static str> {
    const NAMES: [&str; VIR_TYPED_PARAM_LAST as usize] =
        ["unknown", "int", "uint", "llong", "ullong", "double", "boolean", "string"];
    NAMES.get(usize::try_from(code).ok()?).copied()
}

/// A name as messages show it; libvirt prints a NULL name as "(null)".
fn shown(name: Option<&[u8]>) -> String {
    name.map_or_else(|| "(null)".to_owned(), |n| String::from_utf8_lossy(n).into_owned())
}

/// The NUL-padded `field` member for `name`: at most 79 bytes fit. libvirt stores
/// a NULL name as an empty one (after a GLib warning).
pub fn field(name: Option<&[u8]>) -> Result<[u8; VIR_TYPED_PARAM_FIELD_LENGTH]> {
    let bytes = name.unwrap_or_default();
    let mut out = [0; VIR_TYPED_PARAM_FIELD_LENGTH];
    if bytes.len() >= out.len() {
        return Err(Error::internal(VIR_FROM_NONE, format!("Field name '{}' too long", shown(name))));
    }
    out[..bytes.len()].copy_from_slice(bytes);
    Ok(out)
}

/// What a Get call says when the parameter has another type than it reads.
pub fn wrong_type(name: &[u8], wanted: i32, actual: i32) -> Error {
    Error::invalid_arg(
        VIR_FROM_NONE,
        format!(
            "Invalid type '{}' requested for parameter '{}', actual type is '{}'",
            type_name(wanted).unwrap_or("(null)"),
            String::from_utf8_lossy(name),
            type_name(actual).unwrap_or("(null)")
        ),
    )
}

/// The capacity an array of `max` entries holding `n` needs for one more: the
/// exact need, or half as much again as it has if that is more (libvirt's
/// VIR_RESIZE_N), so a growing array goes 1, 2, 3, 4, 6, 9, 13, 19...
pub fn grown_capacity(max: usize, n: usize) -> usize {
    if n < max {
        return max;
    }
    max + (n + 1 - max).max(max / 2)
}

/// virTypedParamsAddFromString's value: `text` parsed as the type `code` asks,
/// after the checks libvirt makes first (a value, then the name's length).
pub fn from_string(name: Option<&[u8]>, code: i32, text: Option<&[u8]>) -> Result<Value> {
    let Some(text) = text else {
        return Err(Error::invalid_arg(VIR_FROM_NONE, format!("NULL value for field '{}'", shown(name))));
    };
    field(name)?;
    let expected = |what: &str| {
        Error::invalid_arg(VIR_FROM_NONE, format!("Invalid value for field '{}': expected {what}", shown(name)))
    };
    // Numbers are ASCII; anything else is no number.
    let number = std::str::from_utf8(text).ok();
    let parsed = |what: &str, value: Option<Value>| value.ok_or_else(|| expected(what));
    match code {
        VIR_TYPED_PARAM_INT => parsed("int", number.and_then(|t| integer(t)?.try_into().ok()).map(Value::Int)),
        VIR_TYPED_PARAM_UINT => parsed("unsigned int", number.and_then(unsigned_int).map(Value::UInt)),
        VIR_TYPED_PARAM_LLONG => parsed("long long", number.and_then(|t| integer(t)?.try_into().ok()).map(Value::LLong)),
        VIR_TYPED_PARAM_ULLONG => parsed("unsigned long long", number.and_then(unsigned_long_long).map(Value::ULLong)),
        VIR_TYPED_PARAM_DOUBLE => parsed("double", number.and_then(double).map(Value::Double)),
        VIR_TYPED_PARAM_BOOLEAN => match text {
            t if t.eq_ignore_ascii_case(b"true") || t == b"1" => Ok(Value::Boolean(true)),
            t if t.eq_ignore_ascii_case(b"false") || t == b"0" => Ok(Value::Boolean(false)),
            _ => Err(Error::invalid_arg(VIR_FROM_NONE, format!("Invalid boolean value for field '{}'", shown(name)))),
        },
        VIR_TYPED_PARAM_STRING => Ok(Value::String(text.to_vec())),
        _ => Err(Error::internal(VIR_FROM_NONE, format!("unexpected type {code} for field {}", shown(name)))),
    }
}

/// C's isspace in the C locale, which strtol and strtod skip before a number.
fn skip_space(text: &str) -> &str {
    text.trim_start_matches([' ', '\t', '\n', '\u{b}', '\u{c}', '\r'])
}

/// A decimal integer as strtol reads it, the whole text: leading white space and
/// a sign allowed, nothing after the digits.
fn integer(text: &str) -> Option<i128> {
    let text = skip_space(text);
    let (negative, digits) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let significant = digits.trim_start_matches('0');
    // More digits than an i128 holds is out of every range we read into.
    if significant.len() > 38 {
        return None;
    }
    let magnitude: i128 = if significant.is_empty() { 0 } else { significant.parse().ok()? };
    Some(if negative { -magnitude } else { magnitude })
}

/// strtoull's reading: a negative number wraps around, as long as its magnitude fits.
fn unsigned_long_long(text: &str) -> Option<u64> {
    let value = integer(text)?;
    let magnitude = u64::try_from(value.unsigned_abs()).ok()?;
    Some(if value < 0 { magnitude.wrapping_neg() } else { magnitude })
}

/// libvirt's unsigned int: like strtoull, but "-N" wraps within 32 bits, so "-1"
/// is UINT_MAX.
fn unsigned_int(text: &str) -> Option<u32> {
    let value = integer(text)?;
    let magnitude = u32::try_from(value.unsigned_abs()).ok()?;
    Some(if value < 0 { magnitude.wrapping_neg() } else { magnitude })
}

/// A double as strtod reads it, the whole text, rejecting what sets ERANGE
/// (overflow to infinity, underflow to zero or a subnormal).
fn double(text: &str) -> Option<f64> {
    let text = skip_space(text);
    let (sign, body) = match text.as_bytes().first()? {
        b'-' => (-1.0, &text[1..]),
        b'+' => (1.0, &text[1..]),
        _ => (1.0, text),
    };
    let lower = body.to_ascii_lowercase();
    if lower == "inf" || lower == "infinity" {
        return Some(sign * f64::INFINITY);
    }
    // strtod takes "nan" and "nan(chars)".
    if lower == "nan" || (lower.starts_with("nan(") && lower.ends_with(')') && lower[4..lower.len() - 1].bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')) {
        return Some(if sign < 0.0 { -f64::NAN } else { f64::NAN });
    }
    let (value, nonzero) = if let Some(hex) = lower.strip_prefix("0x") {
        hex_float(hex)?
    } else {
        let decimal = body.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'));
        if !decimal || body.starts_with(['+', '-']) {
            return None;
        }
        let value: f64 = body.parse().ok()?;
        (value, body.split(['e', 'E']).next()?.bytes().any(|b| (b'1'..=b'9').contains(&b)))
    };
    if value.is_infinite() || value.is_subnormal() || (value == 0.0 && nonzero) {
        return None;
    }
    Some(sign * value)
}

/// The part of a hex float after "0x": hex digits with an optional point, then an
/// optional binary exponent "p[+-]N". Returns the value and whether any digit was
/// non-zero.
fn hex_float(text: &str) -> Option<(f64, bool)> {
    let (mantissa, exponent) = match text.split_once('p') {
        Some((m, e)) => (m, Some(e)),
        None => (text, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if whole.is_empty() && fraction.is_empty() {
        return None;
    }
    let mut value = 0.0f64;
    for digit in whole.chars().chain(fraction.chars()) {
        value = value * 16.0 + f64::from(digit.to_digit(16)?);
    }
    let mut power = -4 * fraction.len() as i64;
    if let Some(exponent) = exponent {
        let digits = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        power += exponent.parse::<i64>().unwrap_or(if exponent.starts_with('-') { i64::MIN / 2 } else { i64::MAX / 2 });
    }
    let nonzero = value != 0.0;
    Some((value * 2f64.powi(power.clamp(-2000, 2000) as i32), nonzero))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(code: i32, text: &str) -> Result<Value> {
        from_string(Some(b"f"), code, Some(text.as_bytes()))
    }

    #[test]
    fn arrays_grow_as_libvirt_grows_them() {
        let mut max = 0;
        let mut seen = Vec::new();
        for n in 0..12 {
            max = grown_capacity(max, n);
            seen.push(max);
        }
        assert_eq!(seen, [1, 2, 3, 4, 6, 6, 9, 9, 9, 13, 13, 13]);
        assert_eq!(grown_capacity(13, 13), 19);
        assert_eq!(grown_capacity(10, 2), 10);
    }

    #[test]
    fn field_names_fit_in_79_bytes() {
        let ok = field(Some(&[b'a'; 79])).unwrap();
        assert_eq!((ok[78], ok[79]), (b'a', 0));
        let e = field(Some(&[b'a'; 80])).unwrap_err();
        assert_eq!((e.code, e.domain), (VIR_ERR_INTERNAL_ERROR, VIR_FROM_NONE));
        assert_eq!(e.message, format!("internal error: Field name '{}' too long", "a".repeat(80)));
        assert_eq!(field(None).unwrap(), [0; 80]);
    }

    #[test]
    fn wrong_type_names_both_types() {
        let e = wrong_type(b"s", VIR_TYPED_PARAM_INT, VIR_TYPED_PARAM_STRING);
        assert_eq!(e.message, "invalid argument: Invalid type 'int' requested for parameter 's', actual type is 'string'");
        assert_eq!(e.code, VIR_ERR_INVALID_ARG);
        assert!(wrong_type(b"p", 2, 0).message.ends_with("actual type is 'unknown'"));
        assert!(wrong_type(b"p", 2, 99).message.ends_with("actual type is '(null)'"));
        assert!(wrong_type(b"p", 2, -3).message.ends_with("actual type is '(null)'"));
    }

    #[test]
    fn integers_parse_as_strtol() {
        assert_eq!(parse(VIR_TYPED_PARAM_INT, " 12"), Ok(Value::Int(12)));
        assert_eq!(parse(VIR_TYPED_PARAM_INT, "+5"), Ok(Value::Int(5)));
        assert_eq!(parse(VIR_TYPED_PARAM_INT, "010"), Ok(Value::Int(10)));
        assert_eq!(parse(VIR_TYPED_PARAM_INT, "-2147483648"), Ok(Value::Int(i32::MIN)));
        for bad in ["12 ", "0x10", "2147483648", "", " ", "-", "+", "--1", "- 1"] {
            let e = parse(VIR_TYPED_PARAM_INT, bad).unwrap_err();
            assert_eq!(e.message, "invalid argument: Invalid value for field 'f': expected int", "{bad:?}");
        }
        assert_eq!(parse(VIR_TYPED_PARAM_UINT, "-1"), Ok(Value::UInt(u32::MAX)));
        assert_eq!(parse(VIR_TYPED_PARAM_UINT, "-4294967295"), Ok(Value::UInt(1)));
        assert_eq!(parse(VIR_TYPED_PARAM_UINT, "-0"), Ok(Value::UInt(0)));
        assert!(parse(VIR_TYPED_PARAM_UINT, "-4294967296").is_err());
        assert_eq!(
            parse(VIR_TYPED_PARAM_UINT, "4294967296").unwrap_err().message,
            "invalid argument: Invalid value for field 'f': expected unsigned int"
        );
        assert_eq!(parse(VIR_TYPED_PARAM_LLONG, " -0"), Ok(Value::LLong(0)));
        assert_eq!(parse(VIR_TYPED_PARAM_LLONG, "-9223372036854775808"), Ok(Value::LLong(i64::MIN)));
        assert!(parse(VIR_TYPED_PARAM_LLONG, "9223372036854775808").is_err());
        assert_eq!(parse(VIR_TYPED_PARAM_ULLONG, "-1"), Ok(Value::ULLong(u64::MAX)));
        assert_eq!(parse(VIR_TYPED_PARAM_ULLONG, "\t\n 5"), Ok(Value::ULLong(5)));
        assert_eq!(parse(VIR_TYPED_PARAM_ULLONG, "-18446744073709551615"), Ok(Value::ULLong(1)));
        assert!(parse(VIR_TYPED_PARAM_ULLONG, "18446744073709551616").is_err());
        assert!(parse(VIR_TYPED_PARAM_ULLONG, "000000000000000000000000000000001").is_ok());
        assert!(parse(VIR_TYPED_PARAM_ULLONG, "100000000000000000000000000000000000000000000").is_err());
    }

    #[test]
    fn doubles_parse_as_strtod() {
        let ok = |text: &str, want: f64| match parse(VIR_TYPED_PARAM_DOUBLE, text) {
            Ok(Value::Double(got)) => assert!(got == want || (got.is_nan() && want.is_nan()), "{text:?}: {got}"),
            other => panic!("{text:?}: {other:?}"),
        };
        ok("1.5", 1.5);
        ok("1e3", 1000.0);
        ok(" 2", 2.0);
        ok(".5", 0.5);
        ok("5.", 5.0);
        ok("+.5e+2", 50.0);
        ok("0e-400", 0.0);
        ok("nan", f64::NAN);
        ok("-nan", f64::NAN);
        ok("nan(123)", f64::NAN);
        ok("INFINITY", f64::INFINITY);
        ok("-inf", f64::NEG_INFINITY);
        ok("0x10", 16.0);
        ok("0x1p4", 16.0);
        ok("0x1.8", 1.5);
        ok("0X1P-2", 0.25);
        for bad in ["2 ", "1,5", "", "  ", "1e", "0x", "1e400", "1e-310", "1e-400", "++1", "e5"] {
            let e = parse(VIR_TYPED_PARAM_DOUBLE, bad).unwrap_err();
            assert_eq!(e.message, "invalid argument: Invalid value for field 'f': expected double", "{bad:?}");
        }
    }

    #[test]
    fn booleans_strings_and_bad_types() {
        assert_eq!(parse(VIR_TYPED_PARAM_BOOLEAN, "tRuE"), Ok(Value::Boolean(true)));
        assert_eq!(parse(VIR_TYPED_PARAM_BOOLEAN, "False"), Ok(Value::Boolean(false)));
        assert_eq!(parse(VIR_TYPED_PARAM_BOOLEAN, "0"), Ok(Value::Boolean(false)));
        for bad in ["yes", "01", " 1", ""] {
            let e = parse(VIR_TYPED_PARAM_BOOLEAN, bad).unwrap_err();
            assert_eq!(e.message, "invalid argument: Invalid boolean value for field 'f'");
        }
        assert_eq!(parse(VIR_TYPED_PARAM_STRING, ""), Ok(Value::String(Vec::new())));
        for code in [0, 8, -1] {
            let e = parse(code, "1").unwrap_err();
            assert_eq!(e.message, format!("internal error: unexpected type {code} for field f"));
        }
    }

    #[test]
    fn checks_come_in_libvirts_order() {
        let long = [b'a'; 99];
        let e = from_string(Some(&long), 99, None).unwrap_err();
        assert_eq!(e.message, format!("invalid argument: NULL value for field '{}'", "a".repeat(99)));
        let e = from_string(Some(&long), 99, Some(b"1")).unwrap_err();
        assert!(e.message.ends_with("' too long"));
        assert_eq!(
            from_string(None, 1, None).unwrap_err().message,
            "invalid argument: NULL value for field '(null)'"
        );
    }
}
