//! The object and error model, free of C types and pointers.

pub mod connect;
pub mod error;
pub mod messages;
pub mod object;

pub use connect::{Child, Connect, Domain, ErrorHandler};
pub use error::{Error, Result};
