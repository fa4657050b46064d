//! Which driver serves a connection URI.

use crate::abi::virterror::*;
use crate::core::{Connect, Error, Result};

/// Opens a connection to `name` (NULL means the default URI).
pub fn open(name: Option<&str>, _auth: usize, flags: u32) -> Result<Connect> {
    let uri = name.unwrap_or("").to_owned();
    let readonly = flags & crate::abi::host::VIR_CONNECT_RO as u32 != 0;
    if uri == "test:///default" {
        let driver = crate::drivers::test::open_default()?;
        return Ok(Connect::new(uri, readonly, driver));
    }
    Err(Error::with_detail(VIR_ERR_NO_CONNECT, VIR_FROM_NONE, &uri))
}
