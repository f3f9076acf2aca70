"""The client address behind trusted proxies: X-Forwarded-For is believed only from them."""

import ipaddress

from hypothesis import given
from hypothesis import strategies as st

from yiwang.core.middleware import client_ip

TRUSTED = [ipaddress.ip_network("10.0.0.0/8")]


def test_direct_connection_ignores_forwarded_header():
    assert client_ip("203.0.113.5", "1.2.3.4", TRUSTED) == "203.0.113.5"


def test_trusted_proxy_gives_first_untrusted_hop_from_the_right():
    assert client_ip("10.0.0.2", "198.51.100.7, 10.0.0.9", TRUSTED) == "198.51.100.7"
    # a client-supplied value on the left cannot override the hop the proxy saw
    assert client_ip("10.0.0.2", "6.6.6.6, 198.51.100.7", TRUSTED) == "198.51.100.7"


def test_garbage_in_header_falls_back_to_peer():
    assert client_ip("10.0.0.2", "not-an-ip", TRUSTED) == "10.0.0.2"


@given(st.ip_addresses(v=4).map(str), st.lists(st.ip_addresses(v=4).map(str), max_size=4))
def test_untrusted_peer_always_wins(peer, hops):
    if ipaddress.ip_address(peer) in TRUSTED[0]:
        return
    assert client_ip(peer, ", ".join(hops), TRUSTED) == peer
