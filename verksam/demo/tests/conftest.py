import pytest


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    # the demo shares a document (portal_seed): its file goes to the test's own folder
    settings.MEDIA_ROOT = str(tmp_path / "media")
