//! libvirt's in-memory test hypervisor.

use crate::core::Result;
use crate::driver::Driver;

pub struct TestDriver;

pub fn open_default() -> Result<Box<dyn Driver>> {
    Ok(Box::new(TestDriver))
}

impl Driver for TestDriver {
    fn name(&self) -> &'static str {
        "TEST"
    }
    fn version(&self) -> Result<u64> {
        Ok(2)
    }
}
