"""Visma eEkonomi (eAccounting) API v2: OAuth2 at identity.vismaonline.com, vouchers with
attachments (DOMAIN.md "Accounting systems"). `client.py` is the adapter, `fake/` the local fake."""
