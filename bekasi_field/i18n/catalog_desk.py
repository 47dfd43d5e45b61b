"""Texts of the desk's second version (state, checks, lock-out, reports menu)."""

ID: dict[str, str] = {
    "desk.menu.reports": "&Laporan",
}

EN: dict[str, str] = {
    "desk.menu.reports": "&Reports",
}
