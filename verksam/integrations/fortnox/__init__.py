"""Fortnox API v3: OAuth2 authorisation code with rotating refresh tokens, vouchers with receipts
(DOMAIN.md "Accounting systems"). `client.py` is the adapter, `fake/` the local fake."""
