//! libvirt's in-memory test hypervisor.

use crate::core::Result;
use crate::driver::Driver;

pub struct TestDriver;

pub fn open_default() -> Result<Box<dyn Driver>> {
    Ok(Box::new(TestDriver))
}

/// TEMPORARY (helper H4): stands in for helper H5's custom-file loader until the
/// branches merge; it fails as libvirt does for a file it cannot read.
pub fn open_file(path: &str) -> Result<Box<dyn Driver>> {
    use crate::abi::virterror::*;
    Err(crate::core::Error::with_detail(
        VIR_ERR_XML_ERROR,
        VIR_FROM_TEST,
        format!("failed to parse xml document '{path}'"),
    ))
}

impl Driver for TestDriver {
    fn name(&self) -> &'static str {
        "TEST"
    }
    fn version(&self) -> Result<u64> {
        Ok(2)
    }
}
