import pytest
from django.utils import translation
from syrupy.extensions.single_file import SingleFileSnapshotExtension


class XmlSnapshot(SingleFileSnapshotExtension):
    """Snapshots as the files themselves (`__snapshots__/<test>/<name>.xml`), so a reviewer reads the
    generated PAXml or TLU file and a change shows as a plain diff."""

    file_extension = "xml"


@pytest.fixture
def xml_snapshot(snapshot):
    return snapshot.use_extension(XmlSnapshot)


@pytest.fixture
def swedish():
    with translation.override("sv"):
        yield
