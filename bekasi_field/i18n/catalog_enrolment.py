"""Texts of the event kinds: BPJS Ketenagakerjaan enrolment (selection, desk, report) and PKH
graduation."""

ID = {
    "event.unknown_kind": "Jenis kegiatan \"{kind}\" tidak dikenal. Pilihan: {known}.",
    "event.kind_programme": "Kegiatan jenis {kind} hanya untuk program {programme}.",
    "selection.only_enrolment": "--quota, --priority, --occupations dan --explain hanya untuk "
    "kegiatan --kind enrolment.",
    "selection.bad_quota": "Kuota {quota} tidak valid; gunakan bilangan bulat 0 atau lebih.",
    "selection.bad_priority": "Prioritas \"{key}\" tidak dikenal. Pilihan: {known}.",
    "selection.bad_occupation": "Pekerjaan sasaran \"{name}\" tidak dikenal. Pilihan: {known}.",
    "selection.done": "Kegiatan {event_id} dibuat: {selected} pekerja terpilih dari {eligible} "
    "yang memenuhi syarat ({considered} anggota diperiksa).",
}

EN = {
    "event.unknown_kind": "Unknown event kind \"{kind}\". Choose from: {known}.",
    "event.kind_programme": "A {kind} event is for the {programme} programme only.",
    "selection.only_enrolment": "--quota, --priority, --occupations and --explain are for "
    "--kind enrolment events only.",
    "selection.bad_quota": "Quota {quota} is not valid; use a whole number, 0 or more.",
    "selection.bad_priority": "Unknown priority \"{key}\". Choose from: {known}.",
    "selection.bad_occupation": "Unknown targeted occupation \"{name}\". Choose from: {known}.",
    "selection.done": "Event {event_id} created: {selected} workers selected out of "
    "{eligible} eligible ({considered} members checked).",
}
