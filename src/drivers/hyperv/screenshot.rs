//! virDomainScreenshot (driver.md §1.5): the VM's thumbnail at its display's
//! resolution, as RGB565 pixels that libvirt's driver turns into a binary PPM.

use super::define::setting_epr;
use super::wsman::classes::{resource_uri, wql_quote, VIRTUALIZATION_V2};
use super::wsman::{Client, Instance, Params};
use crate::abi::virterror::*;
use crate::core::{Error, Result};
use base64::Engine;

/// The resolution libvirt assumes when the display's head is not enabled.
const DEFAULT_SIZE: (u32, u32) = (640, 480);

/// The MIME type and image of the VM `guid`'s screen.
pub fn take(client: &Client, guid: &str) -> Result<(String, Vec<u8>)> {
    let (width, height) = resolution(client, guid)?;
    let params = Params::new()
        .text("WidthPixels", width.to_string())
        .text("HeightPixels", height.to_string())
        .reference("TargetSystem", setting_epr("Msvm_VirtualSystemSettingData", &settings_id(client, guid)?));
    let uri = resource_uri(VIRTUALIZATION_V2, "Msvm_VirtualSystemManagementService");
    let selectors = [("CreationClassName", "Msvm_VirtualSystemManagementService")];
    let output = client.invoke_and_wait(
        &uri,
        &selectors,
        "GetVirtualSystemThumbnailImage",
        &params,
        super::settings::JOB_TIMEOUT,
    )?;
    let encoded: String = output.require("ImageData")?;
    let pixels = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .map_err(|_| Error::internal(VIR_FROM_HYPERV, "the thumbnail image is not valid base64"))?;
    Ok(("image/x-portable-pixmap".to_owned(), ppm(width, height, &pixels)?))
}

/// The current resolution of the VM's synthetic display, else of its Gen-1 S3
/// display; the default when the head is not enabled.
fn resolution(client: &Client, guid: &str) -> Result<(u32, u32)> {
    let mut failure = None;
    for class in ["Msvm_SyntheticDisplayController", "Msvm_S3DisplayController"] {
        match head_of(client, class, guid) {
            Ok(Some(head)) => return head_size(&head),
            Ok(None) => {}
            Err(error) => failure = Some(error),
        }
    }
    Err(failure.unwrap_or_else(|| {
        Error::internal(VIR_FROM_HYPERV, format!("could not find the display of the virtual machine {guid}"))
    }))
}

/// The video head of the VM's display controller of `class`, if it has one.
fn head_of(client: &Client, class: &str, guid: &str) -> Result<Option<Instance>> {
    let query = format!("SELECT * FROM {class} WHERE SystemName = {}", wql_quote(guid));
    let Some(controller) = client.enumerate_wql(VIRTUALIZATION_V2, &query)?.into_iter().next() else {
        return Ok(None);
    };
    // The DeviceID holds a backslash ("Microsoft:<GUID>\Video"): quote it.
    let device_id = wql_quote(&controller.require::<String>("DeviceID")?);
    let query = format!(
        "ASSOCIATORS OF {{{class}.CreationClassName='{class}',DeviceID={device_id},\
         SystemCreationClassName='Msvm_ComputerSystem',SystemName={}}} \
         WHERE AssocClass = Msvm_VideoHeadOnController ResultClass = Msvm_VideoHead",
        wql_quote(guid)
    );
    Ok(client.enumerate_wql(VIRTUALIZATION_V2, &query)?.into_iter().next())
}

fn head_size(head: &Instance) -> Result<(u32, u32)> {
    if head.get::<String>("EnabledState")?.as_deref() != Some("2") {
        return Ok(DEFAULT_SIZE);
    }
    Ok((head.require("CurrentHorizontalResolution")?, head.require("CurrentVerticalResolution")?))
}

/// The InstanceID of the VM's realized settings (the first its system names).
fn settings_id(client: &Client, guid: &str) -> Result<String> {
    let query = format!(
        "ASSOCIATORS OF {{Msvm_ComputerSystem.CreationClassName='Msvm_ComputerSystem',Name='{guid}'}} \
         WHERE ResultClass = Msvm_VirtualSystemSettingData"
    );
    match client.enumerate_wql(VIRTUALIZATION_V2, &query)?.first() {
        Some(vssd) => vssd.require("InstanceID"),
        None => Err(Error::internal(VIR_FROM_HYPERV, format!("no settings for the virtual machine {guid}"))),
    }
}

/// A binary PPM of `width`×`height` RGB565 little-endian pixels, each channel
/// scaled to 8 bits as libvirt's driver scales it.
pub fn ppm(width: u32, height: u32, pixels: &[u8]) -> Result<Vec<u8>> {
    let count = width as usize * height as usize;
    if pixels.len() < count * 2 {
        return Err(Error::internal(
            VIR_FROM_HYPERV,
            format!("the thumbnail image has {} bytes, not the {} of {width}x{height} pixels", pixels.len(), count * 2),
        ));
    }
    let mut image = format!("P6\n{width} {height}\n255\n").into_bytes();
    image.reserve(count * 3);
    for pixel in pixels[..count * 2].chunks_exact(2) {
        let value = u32::from(u16::from_le_bytes([pixel[0], pixel[1]]));
        let (r, g, b) = (value >> 11, (value >> 5) & 0x3f, value & 0x1f);
        image.extend([(r * 527 + 23) >> 6, (g * 259 + 33) >> 6, (b * 527 + 23) >> 6].map(|c| c as u8));
    }
    Ok(image)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rgb565_becomes_rgb888() {
        // White, black, pure red, pure green, pure blue.
        let pixels: Vec<u8> = [0xffffu16, 0, 0xf800, 0x07e0, 0x001f].iter().flat_map(|p| p.to_le_bytes()).collect();
        let image = ppm(5, 1, &pixels).unwrap();
        let header = b"P6\n5 1\n255\n";
        assert_eq!(&image[..header.len()], header);
        assert_eq!(&image[header.len()..], [255, 255, 255, 0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255]);
        assert_eq!(ppm(2, 2, &pixels[..6]).unwrap_err().code, VIR_ERR_INTERNAL_ERROR);
    }
}
