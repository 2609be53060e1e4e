"""Payment provider for balance top-ups: HTTP client (the adapter of billing's PaymentProvider port)
and a local fake speaking the same JSON API."""
