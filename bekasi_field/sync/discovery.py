"""Finding the site hub on the office LAN: the hub announces itself over mDNS / DNS-SD
(python-zeroconf), a desk browses for it, and the officer compares the key fingerprint shown by
the desk with the one on the hub's screen. Typing an address stays possible everywhere.

The announcement carries nothing secret: the hub's id, its signing-key fingerprint and the URL
scheme. Pinning happens at enrolment (the desk stores the hub's key), not here.
"""

from __future__ import annotations

import logging
import socket
import threading
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

SERVICE_TYPE = "_bekasi-hub._tcp.local."


@dataclass(frozen=True)
class FoundHub:
    name: str  # the instance name the hub announced (e.g. "bekasi-field hub Kota Baru")
    url: str
    hub_id: str
    fingerprint: str
    addresses: tuple[str, ...]
    port: int


def _interfaces(host: str) -> list[str] | None:
    """Where to speak mDNS: only the listening address when it is a specific one (loopback in
    tests), else every interface (None = zeroconf's InterfaceChoice.All)."""
    return None if host in ("", "0.0.0.0", "::") else [host]


def _addresses(host: str) -> list[str]:
    if host not in ("", "0.0.0.0", "::"):
        return [host]
    return lan_addresses()


def lan_addresses() -> list[str]:
    """This machine's IPv4 addresses other than loopback (loopback when it has none)."""
    import ifaddr  # installed with zeroconf
    found = [str(ip.ip) for adapter in ifaddr.get_adapters() for ip in adapter.ips
             if isinstance(ip.ip, str) and not ip.ip.startswith("127.")]
    return found or ["127.0.0.1"]


class Announcer:
    """The hub's announcement; close() withdraws it (a hub that dies simply stops answering
    and browsers drop it when its records expire)."""

    def __init__(self, *, host: str, port: int, hub_id: str, fingerprint: str,
                 name: str = "", scheme: str = "http") -> None:
        from zeroconf import IPVersion, ServiceInfo, Zeroconf

        label = (name or f"bekasi-field hub {hub_id[:6]}").replace(".", " ")[:50]
        addresses = _addresses(host)
        self.info = ServiceInfo(
            SERVICE_TYPE, f"{label}.{SERVICE_TYPE}", port=port,
            addresses=[socket.inet_aton(a) for a in addresses if ":" not in a],
            properties={"hub_id": hub_id, "fp": fingerprint, "scheme": scheme, "v": "1"},
            server=f"bekasi-hub-{hub_id[:8]}.local.")
        self._zc = Zeroconf(interfaces=_interfaces(host) or _all(), ip_version=IPVersion.V4Only)
        self._zc.register_service(self.info, allow_name_change=True)
        log.info("hub announced on the LAN at %s port %d", ", ".join(addresses), port)

    def close(self) -> None:
        try:
            self._zc.unregister_service(self.info)
        finally:
            self._zc.close()


def _all() -> Any:
    from zeroconf import InterfaceChoice
    return InterfaceChoice.All


def browse(*, seconds: float = 2.0, interface: str | None = None) -> list[FoundHub]:
    """Hubs that answer within `seconds` (bounded; call it off the GUI thread)."""
    from zeroconf import IPVersion, ServiceBrowser, ServiceStateChange, Zeroconf

    zc = Zeroconf(interfaces=[interface] if interface else _all(), ip_version=IPVersion.V4Only)
    names: list[str] = []

    def changed(zeroconf: Zeroconf, service_type: str, name: str,
                state_change: ServiceStateChange) -> None:
        if state_change is ServiceStateChange.Added and name not in names:
            names.append(name)

    browser = ServiceBrowser(zc, SERVICE_TYPE, handlers=[changed])
    try:
        threading.Event().wait(seconds)  # answers arrive on zeroconf's own thread
        found = []
        for name in list(names):  # noqa: PERF101 - a copy: zeroconf's thread appends
            info = zc.get_service_info(SERVICE_TYPE, name, timeout=1000)
            if info is None or not info.port:
                continue
            props = {k.decode(): (v or b"").decode(errors="replace")
                     for k, v in info.properties.items()}
            addresses = tuple(info.parsed_addresses(IPVersion.V4Only))
            if not addresses:
                continue
            scheme = props.get("scheme", "http") if props.get("scheme") in ("http", "https") \
                else "http"
            found.append(FoundHub(name=name.removesuffix("." + SERVICE_TYPE),
                                  url=f"{scheme}://{addresses[0]}:{info.port}",
                                  hub_id=props.get("hub_id", ""),
                                  fingerprint=props.get("fp", ""), addresses=addresses,
                                  port=int(info.port)))
        return sorted(found, key=lambda h: h.name)
    finally:
        browser.cancel()
        zc.close()
