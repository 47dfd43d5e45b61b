"""The command-line verbs. Each module here has `register(sub, common)` and its own handlers.

To add a verb: write a module with `register`, then name it in COMMAND_MODULES.
"""

COMMAND_MODULES: list[str] = [
    "bekasi_field.commands.officer_cmd",
    "bekasi_field.commands.report_cmd",
    "bekasi_field.commands.event_cmd",
    "bekasi_field.commands.demo_cmd",
    "bekasi_field.commands.roster_cmd",
    "bekasi_field.commands.keys_cmd",
    "bekasi_field.commands.slips_cmd",
    "bekasi_field.commands.check_cmd",
    "bekasi_field.commands.scan_cmd",
    "bekasi_field.commands.handover_cmd",
    "bekasi_field.commands.journal_cmd",
    "bekasi_field.commands.hub_cmd",
    "bekasi_field.commands.sync_cmd",
    "bekasi_field.commands.bundle_cmd",
]
