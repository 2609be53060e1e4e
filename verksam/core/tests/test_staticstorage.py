"""Production's static files storage (verksam.core.staticstorage): the manifest's hashed URL of each
name, worked out once per process; a name the manifest lacks still refuses every time."""

import json

import pytest
from django.test import override_settings

from verksam.core.staticstorage import ManifestStorage


@pytest.fixture
def storage(tmp_path):
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "verksam.3a1b2c.css").write_text("body{}")
    manifest = {"paths": {"css/verksam.css": "css/verksam.3a1b2c.css"}, "version": "1.1", "hash": "x"}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    return ManifestStorage(location=str(tmp_path), base_url="/static/")


@override_settings(DEBUG=False)
def test_a_static_url_is_the_manifests_and_remembered(storage):
    assert storage.url("css/verksam.css") == "/static/css/verksam.3a1b2c.css"
    assert storage._urls == {"css/verksam.css": "/static/css/verksam.3a1b2c.css"}
    storage.hashed_files.clear()  # remembered: the manifest is not asked again
    assert storage.url("css/verksam.css") == "/static/css/verksam.3a1b2c.css"


@override_settings(DEBUG=False)
def test_a_name_not_in_the_manifest_refuses_every_time(storage):
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("js/missing.js")
    assert storage._urls == {}


@override_settings(DEBUG=True)
def test_debug_answers_the_unhashed_url_and_remembers_nothing(storage):
    assert storage.url("css/verksam.css") == "/static/css/verksam.css"
    assert storage._urls == {}
