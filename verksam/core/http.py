"""The only place outbound HTTP happens (DESIGN.md rule 13): timeouts, retries on 429/5xx with back-off."""

import time

import httpx

DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=5.0)
RETRY_STATUSES = {429, 500, 502, 503, 504}


def client(base_url: str, *, transport: httpx.BaseTransport | None = None, **kwargs) -> httpx.Client:
    """An httpx client with our timeouts; tests pass `httpx.WSGITransport(app=fake)`."""
    return httpx.Client(base_url=base_url, timeout=DEFAULT_TIMEOUT, transport=transport, **kwargs)


def request(
    http: httpx.Client, method: str, url: str, *, retries: int = 3, backoff: float = 0.5, **kwargs
) -> httpx.Response:
    """Send a request, retrying 429/5xx and connection errors with exponential back-off."""
    for attempt in range(retries + 1):
        try:
            response = http.request(method, url, **kwargs)
        except httpx.TransportError:
            if attempt == retries:
                raise
        else:
            if response.status_code not in RETRY_STATUSES or attempt == retries:
                return response
            retry_after = response.headers.get("Retry-After")
            if retry_after and retry_after.isdigit():
                time.sleep(min(float(retry_after), 30.0))
                continue
        time.sleep(backoff * (2**attempt))
    raise AssertionError("unreachable")
