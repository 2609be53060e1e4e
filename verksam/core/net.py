"""The client's address, the same way for every caller (rate limits, logs)."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The address of the client as the outermost trusted proxy saw it.

    With TRUSTED_PROXY_COUNT = 0 (no proxy) it is REMOTE_ADDR. Behind N proxies that each append the
    address they received from to X-Forwarded-For, it is the N-th entry from the right: entries
    further left were written by the client itself and prove nothing. A header shorter than that
    (the request did not pass the proxies) falls back to REMOTE_ADDR. Returns "" when unparsable.
    """
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(address.strip("[]")))
    except ValueError:
        return ""


def client_network(address: str) -> str:
    """The unit one client controls: an IPv4 address, or the /64 network of an IPv6 address
    (one subscriber usually gets a whole /64, so counting single IPv6 addresses counts nothing)."""
    if not address:
        return "unknown"
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)
