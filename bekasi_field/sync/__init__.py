"""Sync protocol models, the HTTP client and file bundles."""
