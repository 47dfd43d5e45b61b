"""HubRefusal takes its status and key positionally, so a message may carry a {status} of its
own (mypy found `HubRefusal(422, ..., status=...)` raising TypeError instead of refusing)."""

from __future__ import annotations

import pytest

from bekasi_field.hub.complaints import set_complaint_status
from bekasi_field.hub.crud import HubRefusal
from bekasi_field.i18n import tr


def test_an_unknown_complaint_status_is_refused_with_422_and_the_status_named() -> None:
    with pytest.raises(HubRefusal) as refused:
        # the status is checked before the database is touched
        set_complaint_status(None, complaint_id="C-1", status="bogus", by="SPV01")  # type: ignore[arg-type]
    assert refused.value.status == 422 and refused.value.key == "hub.complaint_bad_status"
    assert refused.value.values["status"] == "bogus"
    assert "bogus" in tr(refused.value.key, **refused.value.values)
