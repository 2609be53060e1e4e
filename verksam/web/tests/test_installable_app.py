"""The installable web app (issue 12 item 1): a manifest with real icons, a service worker whose
scope is the whole site, and a Swedish offline page that needs no login."""

import json
import struct
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders

STATIC = Path(settings.BASE_DIR) / "static"


def _png_size(path: str) -> tuple[int, int]:
    data = Path(path).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_the_manifest_names_the_app_and_its_icons_exist_in_their_sizes(client):
    response = client.get("/manifest.webmanifest", HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/manifest+json")
    manifest = json.loads(response.content)
    assert manifest["name"] == "Verksam" and manifest["display"] == "standalone"
    assert manifest["lang"] == "sv" and manifest["start_url"] == "/"
    for icon in manifest["icons"]:
        path = finders.find(icon["src"].removeprefix(settings.STATIC_URL).lstrip("/").removeprefix("static/"))
        assert path, icon
        if icon["type"] == "image/png":
            width, height = _png_size(path)
            assert icon["sizes"] == f"{width}x{height}"
    assert {"192x192", "512x512"} <= {icon["sizes"] for icon in manifest["icons"]}


def test_the_service_worker_is_served_from_the_root_and_caches_the_offline_page(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    assert '"/offline/"' in body and "caches.match(OFFLINE)" in body


def test_the_offline_page_is_swedish_and_needs_no_login(client):
    response = client.get("/offline/", HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 200
    assert "Ingen anslutning" in response.content.decode()


def test_every_page_links_the_manifest_and_the_icon(client):
    page = client.get("/offline/").content.decode()
    assert 'rel="manifest" href="/manifest.webmanifest"' in page
    assert 'rel="icon"' in page and 'rel="apple-touch-icon"' in page
