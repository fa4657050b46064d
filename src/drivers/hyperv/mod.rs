//! The Hyper-V driver: Windows Hyper-V over WS-Management (WinRM).

pub mod wsman;
