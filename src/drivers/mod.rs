//! One module per hypervisor driver.

pub mod test;
