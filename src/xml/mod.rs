//! libvirt's XML documents, independent of any driver: a small owned element tree
//! formatted the way libvirt's buffers write it, and the domain model on top.

pub mod domain;
pub mod tree;
