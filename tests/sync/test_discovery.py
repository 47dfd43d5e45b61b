"""mDNS discovery on loopback: a hub's announcement is found with its URL and key fingerprint
(multicast on 127.0.0.1 only; the LAN interfaces of a real office are not exercised here)."""

from __future__ import annotations

import json

from bekasi_field.sync.discovery import Announcer, browse


def test_an_announced_hub_is_found_with_its_fingerprint(cli) -> None:
    ann = Announcer(host="127.0.0.1", port=48470, hub_id="0123456789abcdef",
                    fingerprint="ABCD-EF01-2345-6789", name="Kota Baru")
    try:
        hubs = browse(seconds=4.0, interface="127.0.0.1")  # a loaded CI box answers late
        mine = [h for h in hubs if h.hub_id == "0123456789abcdef"]
        assert len(mine) == 1
        assert mine[0].url == "http://127.0.0.1:48470"
        assert mine[0].fingerprint == "ABCD-EF01-2345-6789"
        assert mine[0].name.startswith("Kota Baru")
        r = cli("discover", "--interface", "127.0.0.1", "--seconds", "1.5", "--json")
        assert r.code == 0, r.err
        assert "ABCD-EF01-2345-6789" in [h["fingerprint"] for h in json.loads(r.out)["hubs"]]
    finally:
        ann.close()
    assert not [h for h in browse(seconds=1.0, interface="127.0.0.1")
                if h.hub_id == "0123456789abcdef"]  # withdrawn when the hub stops
