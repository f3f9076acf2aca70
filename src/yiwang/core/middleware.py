"""Request middleware of the kernel: the client IP behind trusted proxies, security headers."""

from __future__ import annotations

import ipaddress

from django.conf import settings

from yiwang.core import audit


def _networks():
    nets = []
    for item in settings.YIWANG_TRUSTED_PROXIES:
        try:
            nets.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            continue
    return nets


def client_ip(remote_addr: str, forwarded_for: str, trusted) -> str:
    """Walk X-Forwarded-For from the right, skipping trusted proxies; the first other hop is the
    client. Without a trusted peer the header is ignored (it can be forged)."""

    def is_trusted(addr: str) -> bool:
        try:
            ip = ipaddress.ip_address(addr)
        except ValueError:
            return False
        return any(ip in net for net in trusted)

    if not remote_addr or not is_trusted(remote_addr) or not forwarded_for:
        return remote_addr or ""
    hops = [h.strip() for h in forwarded_for.split(",") if h.strip()]
    for hop in reversed(hops):
        if not is_trusted(hop):
            try:
                ipaddress.ip_address(hop)
            except ValueError:
                return remote_addr
            return hop
    return hops[0] if hops else remote_addr


class ClientIPMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.trusted = _networks()

    def __call__(self, request):
        ip = client_ip(request.META.get("REMOTE_ADDR", ""), request.META.get("HTTP_X_FORWARDED_FOR", ""), self.trusted)
        request.client_ip = ip
        token = audit.current_ip.set(ip)
        try:
            return self.get_response(request)
        finally:
            audit.current_ip.reset(token)


class SecurityHeadersMiddleware:
    """CSP without inline scripts (frame-ancestors 'none'), plus headers Django does not set."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", settings.YIWANG_CSP)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        response.setdefault("X-Content-Type-Options", "nosniff")
        response.setdefault("Referrer-Policy", settings.SECURE_REFERRER_POLICY)
        return response
