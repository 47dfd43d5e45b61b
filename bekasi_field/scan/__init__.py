"""Frame sources and decoders; no Qt.

- sources.open_source(spec) -> FrameSource: 0 / "0" / "cam:0" a webcam, else an image file, a
  folder of images or a video file (SourceError, a BekasiError, when it cannot be opened).
- decoders: ZxingDecoder, ZbarDecoder, available_decoders(); chain.DecoderChain(budget_ms=...)
  tries zxing-cpp on the plain frame, then image fixes and pyzbar while under budget.
- stabilizer.Stabilizer: 2 of the last 3 decoded frames, then a cooldown while the code stays.
- loop.ScanLoop / loop.make_scan_loop(spec, on_hit=..., on_frame=..., on_state=...): the desk
  camera on worker threads, newest frame only; states "live", "lost", "ended", "stopped".
- wedge.WedgeParser: USB barcode scanner bursts told from typing, by key timing.
- files.scan_files(paths): codes in images and videos (the `scan` command).
- synthetic: desk photos of slips under bad conditions, for tests and benchmarks.
"""
