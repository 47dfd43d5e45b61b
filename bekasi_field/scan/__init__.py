"""Frame sources and decoders; no Qt."""
