"""The verdict for a scanned code: what it is, how it looks and sounds, what it allows.

Pure values; the rule that decides is domain/verdict_rule.py, fed by services/verdict_engine.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from bekasi_field.i18n import tr


class VerdictCode(StrEnum):
    ELIGIBLE = "ELIGIBLE"
    ALREADY_COLLECTED = "ALREADY_COLLECTED"
    WRONG_SITE = "WRONG_SITE"
    NOT_ENTITLED = "NOT_ENTITLED"
    UNKNOWN = "UNKNOWN"
    SUSPENDED = "SUSPENDED"
    INVALID_SIGNATURE = "INVALID_SIGNATURE"
    EXPIRED = "EXPIRED"
    REVOKED = "REVOKED"
    MALFORMED = "MALFORMED"


CODE_KINDS = ("slip", "nik", "kk", "kks", "household", "unknown")


@dataclass(frozen=True)
class Text:
    """A text to show: its i18n key and values, translated each time it is shown, so a language
    switch needs no re-check. A value may be a Text itself (translated with it)."""

    key: str
    values: Mapping[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        values: dict[str, Any] = {k: str(v) if isinstance(v, Text) else v
                                  for k, v in self.values.items()}
        return tr(self.key, **values)


@dataclass(frozen=True)
class VerdictStyle:
    colour: str  # hex, for the big verdict panel
    icon: str  # icon name under resources/icons/
    sound: str  # "yes" | "no" | "again"
    text_key: str  # i18n key of the short headline (ID/EN via tr)
    next_key: str  # i18n key of the next step for the officer

    @property
    def headline(self) -> str:
        return tr(self.text_key)

    @property
    def next_step(self) -> str:
        return tr(self.next_key)


def _style(code: VerdictCode, colour: str, icon: str, sound: str) -> VerdictStyle:
    slug = code.value.lower()
    return VerdictStyle(colour, icon, sound, f"verdict.{slug}", f"verdict.next.{slug}")


# Green only for ELIGIBLE; amber for "a supervisor may decide"; red for stop; grey for unreadable.
VERDICT_STYLE: dict[VerdictCode, VerdictStyle] = {
    VerdictCode.ELIGIBLE: _style(VerdictCode.ELIGIBLE, "#1B8A3A", "check-circle", "yes"),
    VerdictCode.ALREADY_COLLECTED: _style(
        VerdictCode.ALREADY_COLLECTED, "#C62828", "repeat", "no"),
    VerdictCode.WRONG_SITE: _style(VerdictCode.WRONG_SITE, "#E08E0B", "map-pin", "no"),
    VerdictCode.NOT_ENTITLED: _style(VerdictCode.NOT_ENTITLED, "#C62828", "x-circle", "no"),
    VerdictCode.UNKNOWN: _style(VerdictCode.UNKNOWN, "#6D4C41", "help-circle", "no"),
    VerdictCode.SUSPENDED: _style(VerdictCode.SUSPENDED, "#C62828", "slash", "no"),
    VerdictCode.INVALID_SIGNATURE: _style(
        VerdictCode.INVALID_SIGNATURE, "#8E0000", "shield-off", "no"),
    VerdictCode.EXPIRED: _style(VerdictCode.EXPIRED, "#C62828", "clock", "no"),
    VerdictCode.REVOKED: _style(VerdictCode.REVOKED, "#8E0000", "ban", "no"),
    VerdictCode.MALFORMED: _style(VerdictCode.MALFORMED, "#616161", "alert-triangle", "again"),
}


@dataclass(frozen=True)
class Verdict:
    code: VerdictCode
    event_id: str
    household_id: str | None
    text: Text  # the message, translated when shown (`message`)
    code_kind: str = "unknown"  # one of CODE_KINDS
    needs_identity_check: bool = False
    details: dict[str, Any] = field(default_factory=dict)
    # The next step when this case has its own (where to send the person, what to retype);
    # None: the verdict code's usual next step.
    next_text: Text | None = None

    @property
    def message(self) -> str:
        """The message in the current language."""
        return str(self.text)

    @property
    def allows_handover(self) -> bool:
        return self.code is VerdictCode.ELIGIBLE

    @property
    def allows_override(self) -> bool:
        """A supervisor may let it through (recorded with who overrode)."""
        return self.code is VerdictCode.WRONG_SITE

    @property
    def style(self) -> VerdictStyle:
        return VERDICT_STYLE[self.code]

    @property
    def next_step(self) -> str:
        """What the officer does next, in the current language."""
        return str(self.next_text) if self.next_text is not None else self.style.next_step

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of `check --json`."""
        return {
            "verdict": self.code.value,
            "household_id": self.household_id,
            "event_id": self.event_id,
            "message": self.message,
            "code_kind": self.code_kind,
            "needs_identity_check": self.needs_identity_check,
            "allows_handover": self.allows_handover,
            "allows_override": self.allows_override,
            "details": self.details,
        }
