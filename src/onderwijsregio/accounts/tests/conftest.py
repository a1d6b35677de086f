"""The API tests' small world (accounts/tests/api_world.py) as fixtures of these tests."""

from onderwijsregio.accounts.tests.api_world import anon, client_for, token_client_for, world  # noqa: F401
