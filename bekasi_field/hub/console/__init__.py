"""The hub's web console at /console: server-rendered pages for Dinas Sosial administrators and
site supervisors (accounts, city overview, events, conflicts, devices, officers, registry, audit).
"""

CONSOLE_PATH = "/console"
