"""XSD validation of the payroll files. One lxml schema per thread: an `XMLSchema` keeps its error
log on the object, so sharing one between the task worker's threads could mix their errors up."""

import threading
from pathlib import Path

from lxml import etree

SCHEMAS = Path(__file__).parent / "schemas"


def safe_parser() -> etree.XMLParser:
    """No entities resolved, no network: files from other systems are read too."""
    return etree.XMLParser(resolve_entities=False, no_network=True)


class Validator:
    def __init__(self, file_name: str):
        self.path = SCHEMAS / file_name
        self._local = threading.local()

    def schema(self) -> etree.XMLSchema:
        schema = getattr(self._local, "schema", None)
        if schema is None:
            schema = self._local.schema = etree.XMLSchema(etree.parse(str(self.path), parser=safe_parser()))
        return schema

    def errors(self, content: bytes) -> list[str]:
        """The XSD's complaints about `content` (empty when it is valid)."""
        try:
            doc = etree.fromstring(content, parser=safe_parser())
        except etree.XMLSyntaxError as exc:
            return [str(exc)]
        schema = self.schema()
        try:
            if schema.validate(doc):
                return []
        except etree.XMLSchemaValidateError as exc:  # e.g. an entity left unresolved on purpose
            return [str(exc)]
        return [f"line {e.line}: {e.message}" for e in schema.error_log]  # type: ignore[attr-defined]
