from django.test import RequestFactory

from onderwijsregio.core.client_ip import forwarded_client_ip


def test_takes_the_address_the_trusted_proxy_saw_not_a_forged_one(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7", REMOTE_ADDR="10.0.0.2")
    assert forwarded_client_ip(request) == "203.0.113.7"


def test_falls_back_to_remote_addr_without_header(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="203.0.113.7", REMOTE_ADDR="10.0.0.2")
    assert forwarded_client_ip(request) == "10.0.0.2"
