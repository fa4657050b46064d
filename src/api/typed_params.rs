//! libvirt-common.h: typed parameter arrays (named for them, the only functions
//! of that header). The arrays and their strings are the C allocator's, so that
//! callers may free them with virTypedParamsFree or free(), and we may grow
//! arrays callers allocated. The checks and parsing are in core::typed_params.
//!
//! As in libvirt, the Get and Add calls reset the last error, while
//! virTypedParamsGet, Clear, Free and AddStringList leave it alone; Add does not
//! refuse a name that is already in the array.

use super::guard::{guard, show_ptr, show_str, unreported, Call};
use super::strings::malloc_bytes;
use crate::abi::common::*;
use crate::abi::types::*;
use crate::abi::virterror::*;
use crate::core::typed_params::{self, Value};
use crate::core::{Error, Result};
use std::ffi::CStr;
use std::os::raw::{c_char, c_double, c_int, c_longlong, c_uint, c_ulonglong};

#[track_caller]
fn entry<T: super::guard::Failure>(
    name: &'static str,
    args: impl FnOnce() -> String,
    body: impl FnOnce(&mut Call) -> Result<T>,
) -> T {
    guard(VIR_FROM_NONE, name, args, body)
}

/// The bytes of a C string that may be NULL.
unsafe fn bytes<'a>(ptr: *const c_char) -> Option<&'a [u8]> {
    (!ptr.is_null()).then(|| CStr::from_ptr(ptr).to_bytes())
}

/// A parameter's name: the field up to its NUL (all 80 bytes if it has none).
fn field_of(param: &virTypedParameter) -> &[u8] {
    // SAFETY: c_char and u8 have the same size and alignment.
    let raw: &[u8; VIR_TYPED_PARAM_FIELD_LENGTH] = unsafe { &*(param.field.as_ptr() as *const [u8; VIR_TYPED_PARAM_FIELD_LENGTH]) };
    raw.split(|&b| b == 0).next().unwrap_or(raw)
}

/// The first parameter called `name`. A negative count is taken as none.
unsafe fn find<'a>(params: virTypedParameterPtr, nparams: c_int, name: *const c_char) -> Option<&'a mut virTypedParameter> {
    let name = bytes(name)?;
    if params.is_null() {
        return None;
    }
    (0..nparams.max(0) as usize).map(|i| &mut *params.add(i)).find(|p| field_of(p) == name)
}

fn args_add(params: *mut virTypedParameterPtr, nparams: *mut c_int, maxparams: *mut c_int, name: *const c_char) -> String {
    // SAFETY: only formats; the name is NULL or a C string per the API's contract.
    let name = unsafe { show_str(name) };
    format!("params={}, nparams={}, maxparams={}, name={}", show_ptr(params), show_ptr(nparams), show_ptr(maxparams), name)
}

/// The body of every virTypedParamsAdd*: grows the array first (libvirt keeps the
/// larger array even when it then refuses the value), then appends the value
/// `value` makes of the name.
unsafe fn add(
    call: &Call,
    params: *mut virTypedParameterPtr,
    nparams: *mut c_int,
    maxparams: *mut c_int,
    name: *const c_char,
    value: impl FnOnce(Option<&[u8]>) -> Result<Value>,
) -> Result<c_int> {
    let array = call.out(params, "params")?;
    let count = call.out(nparams, "nparams")?;
    let max = call.out(maxparams, "maxparams")?;
    call.non_negative("nparams", (*count).into())?;
    call.non_negative("maxparams", (*max).into())?;
    let n = *count as usize;
    let old_max = if array.is_null() { 0 } else { *max as usize };
    let new_max = typed_params::grown_capacity(old_max, n);
    if new_max != old_max {
        let size = std::mem::size_of::<virTypedParameter>();
        let grown = libc::realloc(array.cast(), new_max * size) as virTypedParameterPtr;
        let new_max_c = c_int::try_from(new_max).ok().filter(|_| !grown.is_null());
        let Some(new_max_c) = new_max_c else {
            return Err(Error::new(VIR_ERR_NO_MEMORY, VIR_FROM_NONE, None));
        };
        // New entries are zeroed, as libvirt's are.
        std::ptr::write_bytes(grown.add(old_max), 0, new_max - old_max);
        *array = grown;
        *max = new_max_c;
    }
    let name = bytes(name);
    let value = value(name)?;
    let field = typed_params::field(name)?;
    let slot = &mut *(*array).add(n);
    slot.value = match value {
        Value::Int(i) => _virTypedParameterValue { i },
        Value::UInt(ui) => _virTypedParameterValue { ui },
        Value::LLong(l) => _virTypedParameterValue { l },
        Value::ULLong(ul) => _virTypedParameterValue { ul },
        Value::Double(d) => _virTypedParameterValue { d },
        Value::Boolean(b) => _virTypedParameterValue { b: c_char::from(b) },
        Value::String(ref s) => {
            let copy = malloc_bytes(s);
            if copy.is_null() {
                return Err(Error::new(VIR_ERR_NO_MEMORY, VIR_FROM_NONE, None));
            }
            _virTypedParameterValue { s: copy }
        }
    };
    slot.r#type = value.type_code();
    slot.field = field.map(|b| b as c_char);
    *count += 1;
    Ok(0)
}

#[no_mangle]
pub unsafe extern "C" fn virTypedParamsAddInt(
    params: *mut virTypedParameterPtr,
    nparams: *mut c_int,
    maxparams: *mut c_int,
    name: *const c_char,
    value: c_int,
) -> c_int {
    entry("virTypedParamsAddInt", || args_add(params, nparams, maxparams, name), |call| {
        add(call, params, nparams, maxparams, name, |_| Ok(Value::Int(value)))
    })
}

#[no_mangle]
pub unsafe extern "C" fn virTypedParamsAddUInt(
    params: *mut virTypedParameterPtr,
    nparams: *mut c_int,
    maxparams: *mut c_int,
    name: *const c_char,
    value: c_uint,
) -> c_int {
    entry("virTypedParamsAddUInt", || args_add(params, nparams, maxparams, name), |call| {
        add(call, params, nparams, maxparams, name, |_| Ok(Value::UInt(value)))
    })
}

#[no_mangle]
pub unsafe extern "C" fn virTypedParamsAddLLong(
    params: *mut virTypedParameterPtr,
    nparams: *mut c_int,
    maxparams: *mut c_int,
    name: *const c_char,
    value: c_longlong,
) -> c_int {
    entry("virTypedParamsAddLLong", || args_add(params, nparams, maxparams, name), |call| {
        add(call, params, nparams, maxparams, name, |_| Ok(Value::LLong(value)))
    })
}

#[no_mangle]
pub unsafe extern "C" fn virTypedParamsAddULLong(
    params: *mut virTypedParameterPtr,
    nparams: *mut c_int,
    maxparams: *mut c_int,
    name: *const c_char,
    value: c_ulonglong,
) -> c_int {
    entry("virTypedParamsAddULLong", || args_add(params, nparams, maxparams, name), |call| {
        add(call, params, nparams, maxparams, name, |_| Ok(Value::ULLong(value)))
    })
}

#[no_mangle]
pub unsafe extern "C" fn virTypedParamsAddDouble(
    params: *mut virTypedParameterPtr,
    nparams: *mut c_int,
    maxparams: *mut c_int,
    name: *const c_char,
    value: c_double,
) -> c_int {
    entry("virTypedParamsAddDouble", || args_add(params, nparams, maxparams, name), |call| {
        add(call, params, nparams, maxparams, name, |_| Ok(Value::Double(value)))
    })
}

#[no_mangle]
pub unsafe extern "C" fn virTypedParamsAddBoolean(
    params: *mut virTypedParameterPtr,
    nparams: *mut c_int,
    maxparams: *mut c_int,
    name: *const c_char,
    value: c_int,
) -> c_int {
    entry("virTypedParamsAddBoolean", || args_add(params, nparams, maxparams, name), |call| {
        add(call, params, nparams, maxparams, name, |_| Ok(Value::Boolean(value != 0)))
    })
}

/// A NULL value is stored as "".
#[no_mangle]
pub unsafe extern "C" fn virTypedParamsAddString(
    params: *mut virTypedParameterPtr,
    nparams: *mut c_int,
    maxparams: *mut c_int,
    name: *const c_char,
    value: *const c_char,
) -> c_int {
    entry("virTypedParamsAddString", || args_add(params, nparams, maxparams, name), |call| {
        add(call, params, nparams, maxparams, name, |_| Ok(Value::String(bytes(value).unwrap_or_default().to_vec())))
    })
}

/// One string parameter per value. As libvirt: NULL values add nothing and
/// succeed, an empty list adds nothing and fails without an error.
#[no_mangle]
pub unsafe extern "C" fn virTypedParamsAddStringList(
    params: *mut virTypedParameterPtr,
    nparams: *mut c_int,
    maxparams: *mut c_int,
    name: *const c_char,
    values: *mut *const c_char,
) -> c_int {
    unreported(|| {
        if values.is_null() {
            return 0;
        }
        let mut rc = -1;
        let mut next = values;
        while !(*next).is_null() {
            rc = virTypedParamsAddString(params, nparams, maxparams, name, *next);
            if rc < 0 {
                break;
            }
            next = next.add(1);
        }
        rc
    })
}

#[no_mangle]
pub unsafe extern "C" fn virTypedParamsAddFromString(
    params: *mut virTypedParameterPtr,
    nparams: *mut c_int,
    maxparams: *mut c_int,
    name: *const c_char,
    r#type: c_int,
    value: *const c_char,
) -> c_int {
    entry("virTypedParamsAddFromString", || args_add(params, nparams, maxparams, name), |call| {
        add(call, params, nparams, maxparams, name, |name| typed_params::from_string(name, r#type, bytes(value)))
    })
}

/// The parameter called `name`, or NULL; never an error.
#[no_mangle]
pub unsafe extern "C" fn virTypedParamsGet(params: virTypedParameterPtr, nparams: c_int, name: *const c_char) -> virTypedParameterPtr {
    unreported(|| find(params, nparams, name).map_or(std::ptr::null_mut(), |p| p as *mut _))
}

fn args_get<T>(params: virTypedParameterPtr, nparams: c_int, name: *const c_char, value: *mut T) -> String {
    // SAFETY: only formats; the name is NULL or a C string per the API's contract.
    let name = unsafe { show_str(name) };
    format!("params={}, nparams={}, name={}, value={}", show_ptr(params), nparams, name, show_ptr(value))
}

/// The body of every virTypedParamsGet<Type>: 0 when there is no such parameter,
/// an error when it has another type, else 1 and its value in `out` (if not NULL).
unsafe fn get<T>(
    params: virTypedParameterPtr,
    nparams: c_int,
    name: *const c_char,
    wanted: c_int,
    out: *mut T,
    read: impl FnOnce(&virTypedParameter) -> T,
) -> Result<c_int> {
    let Some(param) = find(params, nparams, name) else { return Ok(0) };
    if param.r#type != wanted {
        return Err(typed_params::wrong_type(field_of(param), wanted, param.r#type));
    }
    if let Some(out) = out.as_mut() {
        *out = read(param);
    }
    Ok(1)
}

#[no_mangle]
pub unsafe extern "C" fn virTypedParamsGetInt(params: virTypedParameterPtr, nparams: c_int, name: *const c_char, value: *mut c_int) -> c_int {
    entry("virTypedParamsGetInt", || args_get(params, nparams, name, value), |_| get(params, nparams, name, VIR_TYPED_PARAM_INT, value, |p| p.value.i))
}

#[no_mangle]
pub unsafe extern "C" fn virTypedParamsGetUInt(params: virTypedParameterPtr, nparams: c_int, name: *const c_char, value: *mut c_uint) -> c_int {
    entry("virTypedParamsGetUInt", || args_get(params, nparams, name, value), |_| get(params, nparams, name, VIR_TYPED_PARAM_UINT, value, |p| p.value.ui))
}

#[no_mangle]
pub unsafe extern "C" fn virTypedParamsGetLLong(params: virTypedParameterPtr, nparams: c_int, name: *const c_char, value: *mut c_longlong) -> c_int {
    entry("virTypedParamsGetLLong", || args_get(params, nparams, name, value), |_| get(params, nparams, name, VIR_TYPED_PARAM_LLONG, value, |p| p.value.l))
}

#[no_mangle]
pub unsafe extern "C" fn virTypedParamsGetULLong(params: virTypedParameterPtr, nparams: c_int, name: *const c_char, value: *mut c_ulonglong) -> c_int {
    entry("virTypedParamsGetULLong", || args_get(params, nparams, name, value), |_| get(params, nparams, name, VIR_TYPED_PARAM_ULLONG, value, |p| p.value.ul))
}

#[no_mangle]
pub unsafe extern "C" fn virTypedParamsGetDouble(params: virTypedParameterPtr, nparams: c_int, name: *const c_char, value: *mut c_double) -> c_int {
    entry("virTypedParamsGetDouble", || args_get(params, nparams, name, value), |_| get(params, nparams, name, VIR_TYPED_PARAM_DOUBLE, value, |p| p.value.d))
}

#[no_mangle]
pub unsafe extern "C" fn virTypedParamsGetBoolean(params: virTypedParameterPtr, nparams: c_int, name: *const c_char, value: *mut c_int) -> c_int {
    entry("virTypedParamsGetBoolean", || args_get(params, nparams, name, value), |_| get(params, nparams, name, VIR_TYPED_PARAM_BOOLEAN, value, |p| c_int::from(p.value.b != 0)))
}

/// The string stays the array's: the caller must not free it.
#[no_mangle]
pub unsafe extern "C" fn virTypedParamsGetString(params: virTypedParameterPtr, nparams: c_int, name: *const c_char, value: *mut *const c_char) -> c_int {
    entry("virTypedParamsGetString", || args_get(params, nparams, name, value), |_| get(params, nparams, name, VIR_TYPED_PARAM_STRING, value, |p| p.value.s as *const c_char))
}

/// Frees the strings, leaving NULL in their place; the array stays.
#[no_mangle]
pub unsafe extern "C" fn virTypedParamsClear(params: virTypedParameterPtr, nparams: c_int) {
    unreported(|| {
        if params.is_null() {
            return;
        }
        for i in 0..nparams.max(0) as usize {
            let param = &mut *params.add(i);
            if param.r#type == VIR_TYPED_PARAM_STRING {
                libc::free(param.value.s.cast());
                param.value.s = std::ptr::null_mut();
            }
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn virTypedParamsFree(params: virTypedParameterPtr, nparams: c_int) {
    unreported(|| {
        virTypedParamsClear(params, nparams);
        libc::free(params.cast());
    })
}
