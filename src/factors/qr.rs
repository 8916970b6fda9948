//! The QR code of an `otpauth://` URL as inline SVG, drawn here from `qrcodegen`'s modules (the
//! crate has no SVG writer). Every character of the markup is ours: the URL never appears in it.

use qrcodegen::{DataTooLong, QrCode, QrCodeEcc};
use std::fmt::Write;

/// Quiet zone around the symbol, in modules (the standard asks for 4).
const BORDER: i32 = 4;

/// An `<svg>` element showing `text` as a QR code (medium error correction).
pub fn qr_svg(text: &str) -> Result<String, DataTooLong> {
    let qr = QrCode::encode_text(text, QrCodeEcc::Medium)?;
    let dim = qr.size() + 2 * BORDER;
    let mut path = String::new();
    for y in 0..qr.size() {
        for x in 0..qr.size() {
            if qr.get_module(x, y) {
                let _ = write!(path, "M{},{}h1v1h-1z", x + BORDER, y + BORDER);
            }
        }
    }
    Ok(format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {dim} {dim}" role="img" aria-label="QR code for the authenticator app" shape-rendering="crispEdges"><rect width="100%" height="100%" fill="#fff"/><path d="{path}" fill="#000"/></svg>"##
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_only_our_markup() {
        let svg = qr_svg("otpauth://totp/A:b?secret=<script>&issuer=A").unwrap();
        assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>"));
        assert!(!svg.contains("script") && !svg.contains("otpauth"));
        assert!(svg.matches("h1v1h-1z").count() > 100);
    }
}
