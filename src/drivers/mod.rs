//! One module per hypervisor driver.

pub mod test;

pub mod hyperv;
