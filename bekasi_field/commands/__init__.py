"""The command-line verbs. Each module here has `register(sub, common)` and its own handlers.

VERBS maps each top-level verb to the module that registers it, so that the CLI imports only the
module of the verb being run (the hub's FastAPI or the reports' openpyxl cost seconds to import on
a desk laptop). To add a verb: write a module with `register`, then add its verb(s) here.
"""

VERBS: dict[str, str] = {
    "officer": "bekasi_field.commands.officer_cmd",
    "roster": "bekasi_field.commands.roster_cmd",
    "event": "bekasi_field.commands.event_cmd",
    "demo": "bekasi_field.commands.demo_cmd",
    "keys": "bekasi_field.commands.keys_cmd",
    "slips": "bekasi_field.commands.slips_cmd",
    "check": "bekasi_field.commands.check_cmd",
    "search": "bekasi_field.commands.check_cmd",
    "scan": "bekasi_field.commands.scan_cmd",
    "handover": "bekasi_field.commands.handover_cmd",
    "void": "bekasi_field.commands.handover_cmd",
    "enrol": "bekasi_field.commands.enrol_cmd",
    "graduate": "bekasi_field.commands.enrol_cmd",
    "journal": "bekasi_field.commands.journal_cmd",
    "report": "bekasi_field.commands.report_cmd",
    "hub": "bekasi_field.commands.hub_cmd",
    "sync": "bekasi_field.commands.sync_cmd",
    "bundle": "bekasi_field.commands.bundle_cmd",
    "data": "bekasi_field.commands.data_cmd",
    "complaint": "bekasi_field.commands.complaint_cmd",
    "printer": "bekasi_field.commands.printer_cmd",
    "receipt": "bekasi_field.commands.receipt_cmd",
    "discover": "bekasi_field.commands.site_hub_cmd",
    "site-hub": "bekasi_field.commands.site_hub_cmd",
}

COMMAND_MODULES: list[str] = list(dict.fromkeys(VERBS.values()))
