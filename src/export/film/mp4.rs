//! Film frames as an H.264 video in an MP4 file, what slide software plays everywhere.
//!
//! The encoder is Cisco's OpenH264, compiled from the source bundled in the `openh264` crate
//! (BSD-2-Clause); H.264 is patent-encumbered in some countries (see the README). Frame
//! skipping is off and rate control too (a constant quantiser): with the crate's defaults
//! (quality mode, 120 kbit/s) it drops frames to keep the rate, and with rate control by
//! bitrate and skipping off it warns on stderr that it cannot hold the rate. The camera usage
//! profile, not the screen-content one: on 1280 × 720 frames of a 10,000-actor map the
//! screen-content coder took 76–80 ms a frame against 28–37 ms, for files of about the same
//! size. The MP4 container is written by the pure-Rust `mp4` crate: the encoder's Annex B
//! output (start codes) becomes length-prefixed samples, its first SPS and PPS the track's
//! `avcC`.

use std::path::Path;

use bytes::Bytes;
use openh264::OpenH264API;
use openh264::encoder::{
    BitRate, Encoder, EncoderConfig, FrameRate, IntraFramePeriod, RateControlMode, UsageType,
    VuiConfig,
};
use openh264::formats::{RgbaSliceU8, YUVBuffer};

use crate::export::file::AtomicFile;
use crate::export::png::RgbaImage;

/// Bits per pixel per frame asked of the encoder (a ceiling for its buffers; with rate
/// control off it codes every frame at its quantiser).
const BITS_PER_PIXEL: f64 = 0.3;
const MIN_BITRATE: f64 = 1_000_000.0;
const MAX_BITRATE: f64 = 40_000_000.0;
/// A key frame at least this often (in seconds), so that players can seek.
const KEY_FRAME_SECONDS: u32 = 4;

/// NAL unit types (ITU-T H.264 table 7-1).
const NAL_IDR: u8 = 5;
const NAL_SPS: u8 = 7;
const NAL_PPS: u8 = 8;

/// Writes frames into a temporary MP4 that becomes `path` on [`Mp4FilmWriter::finish`] (and
/// vanishes if dropped before).
pub struct Mp4FilmWriter {
    encoder: Encoder,
    /// The file until the first frame gives the SPS and PPS the track header needs.
    file: Option<AtomicFile>,
    writer: Option<mp4::Mp4Writer<AtomicFile>>,
    width: u32,
    height: u32,
    fps: u32,
    frames: u64,
}

impl Mp4FilmWriter {
    /// A video of `width × height` pixels (both even: H.264 stores colour at half
    /// resolution) at `fps` frames per second.
    pub fn create(path: &Path, width: u32, height: u32, fps: u32) -> Result<Self, String> {
        if !width.is_multiple_of(2) || !height.is_multiple_of(2) || width < 16 || height < 16 {
            return Err(format!(
                "an MP4 needs an even width and height of at least 16, not {width} × {height}"
            ));
        }
        let fps = fps.max(1);
        let bitrate = (width as f64 * height as f64 * fps as f64 * BITS_PER_PIXEL)
            .clamp(MIN_BITRATE, MAX_BITRATE) as u32;
        let config = EncoderConfig::new()
            .bitrate(BitRate::from_bps(bitrate))
            .max_frame_rate(FrameRate::from_hz(fps as f32))
            .rate_control_mode(RateControlMode::Off)
            .skip_frames(false)
            .usage_type(UsageType::CameraVideoRealTime)
            .intra_frame_period(IntraFramePeriod::from_num_frames(fps * KEY_FRAME_SECONDS))
            // The RGB → YUV conversion of `YUVBuffer` is BT.601 with limited range.
            .vui(VuiConfig::bt601());
        let encoder = Encoder::with_api_config(OpenH264API::from_source(), config)
            .map_err(|e| format!("cannot start the H.264 encoder: {e}"))?;
        let file = AtomicFile::create(path).map_err(|e| e.to_string())?;
        Ok(Self {
            encoder,
            file: Some(file),
            writer: None,
            width,
            height,
            fps,
            frames: 0,
        })
    }

    pub fn push(&mut self, image: &RgbaImage) -> Result<(), String> {
        if image.width != self.width || image.height != self.height {
            return Err(format!(
                "frame {} is {} × {} pixels, the film {} × {}",
                self.frames + 1,
                image.width,
                image.height,
                self.width,
                self.height
            ));
        }
        let yuv = YUVBuffer::from_rgba8_source(RgbaSliceU8::new(
            &image.pixels,
            (self.width as usize, self.height as usize),
        ));
        let stream = self
            .encoder
            .encode(&yuv)
            .map_err(|e| format!("the H.264 encoder failed on frame {}: {e}", self.frames + 1))?;
        let (mut sps, mut pps) = (None, None);
        let mut sample = Vec::new();
        let mut key = false;
        for l in 0..stream.num_layers() {
            let Some(layer) = stream.layer(l) else {
                continue;
            };
            for i in 0..layer.nal_count() {
                let Some(nal) = layer.nal_unit(i).map(strip_start_code) else {
                    continue;
                };
                let Some(&head) = nal.first() else { continue };
                match head & 0x1f {
                    NAL_SPS => sps = Some(nal.to_vec()),
                    NAL_PPS => pps = Some(nal.to_vec()),
                    t => {
                        key |= t == NAL_IDR;
                        sample.extend_from_slice(&(nal.len() as u32).to_be_bytes());
                        sample.extend_from_slice(nal);
                    }
                }
            }
        }
        if sample.is_empty() {
            return Err(format!(
                "the H.264 encoder dropped frame {}",
                self.frames + 1
            ));
        }
        if self.writer.is_none() {
            let (Some(sps), Some(pps)) = (sps, pps) else {
                return Err("the H.264 encoder gave no SPS/PPS with its first frame".into());
            };
            let file = self.file.take().ok_or("the MP4 file is gone")?;
            self.writer = Some(start_mp4(
                file,
                self.width,
                self.height,
                self.fps,
                sps,
                pps,
            )?);
        }
        let writer = self.writer.as_mut().ok_or("the MP4 file is gone")?;
        writer
            .write_sample(
                1,
                &mp4::Mp4Sample {
                    start_time: self.frames,
                    duration: 1,
                    rendering_offset: 0,
                    is_sync: key,
                    bytes: Bytes::from(sample),
                },
            )
            .map_err(mp4_error)?;
        self.frames += 1;
        Ok(())
    }

    /// Writes the index (`moov`) and puts the file in place; its size in bytes.
    pub fn finish(mut self) -> Result<u64, String> {
        let mut writer = self
            .writer
            .take()
            .ok_or("a film needs at least one frame")?;
        writer.write_end().map_err(mp4_error)?;
        let file = writer.into_writer();
        let target = file.target().to_path_buf();
        file.commit().map_err(|e| e.to_string())?;
        Ok(std::fs::metadata(&target).map(|m| m.len()).unwrap_or(0))
    }
}

/// Starts the MP4: `ftyp`, the `mdat` the samples go into, one H.264 track with one time unit
/// per frame.
fn start_mp4(
    file: AtomicFile,
    width: u32,
    height: u32,
    fps: u32,
    sps: Vec<u8>,
    pps: Vec<u8>,
) -> Result<mp4::Mp4Writer<AtomicFile>, String> {
    let brand = |s: &str| s.parse::<mp4::FourCC>().expect("a four-letter code");
    let config = mp4::Mp4Config {
        major_brand: brand("isom"),
        minor_version: 512,
        compatible_brands: vec![brand("isom"), brand("iso2"), brand("avc1"), brand("mp41")],
        timescale: 1000,
    };
    let mut writer = mp4::Mp4Writer::write_start(file, &config).map_err(mp4_error)?;
    writer
        .add_track(&mp4::TrackConfig {
            track_type: mp4::TrackType::Video,
            timescale: fps,
            language: "und".to_string(),
            media_conf: mp4::MediaConfig::AvcConfig(mp4::AvcConfig {
                width: width as u16,
                height: height as u16,
                seq_param_set: sps,
                pic_param_set: pps,
            }),
        })
        .map_err(mp4_error)?;
    Ok(writer)
}

/// A NAL unit without the Annex B start code (`00 00 01` or `00 00 00 01`) before it.
fn strip_start_code(nal: &[u8]) -> &[u8] {
    match nal {
        [0, 0, 0, 1, rest @ ..] | [0, 0, 1, rest @ ..] => rest,
        other => other,
    }
}

fn mp4_error(e: mp4::Error) -> String {
    format!("cannot write the MP4: {e}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_codes_are_stripped() {
        assert_eq!(strip_start_code(&[0, 0, 0, 1, 0x67, 1]), &[0x67, 1]);
        assert_eq!(strip_start_code(&[0, 0, 1, 0x68]), &[0x68]);
        assert_eq!(strip_start_code(&[0x65, 0]), &[0x65, 0]);
    }
}
