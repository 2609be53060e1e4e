"""Booking to an accounting system (issue 10 item 8): connections (OAuth2) to Fortnox and Visma
eEkonomi, and idempotent pushes of vouchers with their receipts. docs/integrations.md explains."""
