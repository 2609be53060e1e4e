"""A local fake of Visma eEkonomi (eAccounting) API v2, built from
../shared/ref/visma-eaccounting/visma-eaccounting-api-v2-swagger-2018.json.

OAuth2 at /connect/authorize and /connect/token (as identity.vismaonline.com); the API under /v2/:
  POST /v2/vouchers          VoucherApi -> 200 VoucherApi (Id, NumberAndNumberSeries filled in)
  GET  /v2/vouchers          PaginatedResponse[VoucherApi] ($page, $pagesize)
  POST /v2/attachments       AttachmentUploadApi (base64 Data) -> 200 AttachmentResultApi
  GET  /v2/attachments       PaginatedResponse[AttachmentResultApi]
  POST /v2/attachmentlinks   AttachmentLinkApi (DocumentType 3 = voucher) -> 200 AttachmentLinkApi
Bodies are validated against the swagger's definitions plus the rules stated in its descriptions
(ContentType list, "Max 2 decimals", a voucher balances, accounts in the chart). Errors in Visma's
format {ErrorCode, DeveloperErrorMessage, ErrorId} (not in the 2018 swagger; Visma's docs).
"""

import base64
import binascii
import json
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from functools import cache

from verksam.integrations.accounting.fake_common import (
    FakeProvider,
    Request,
    Response,
    SchemaValidator,
    json_response,
    ref_path,
)

SPEC_FILE = ("visma-eaccounting", "visma-eaccounting-api-v2-swagger-2018.json")
CONTENT_TYPES = {"image/jpeg", "image/png", "image/tiff", "application/pdf"}  # AttachmentUploadApi
CHART = range(1000, 9000)
MAX_FILE_BYTES = 10 * 1024 * 1024


@cache
def validator() -> SchemaValidator:
    with ref_path(*SPEC_FILE).open(encoding="utf-8") as fh:
        return SchemaValidator(json.load(fh), "definitions")


def _two_decimals(value: float | int | None) -> bool:
    """The JSON number as written (its shortest repr), not a float product, whose error grows with the
    amount beyond any fixed epsilon."""
    return value is None or Decimal(repr(value)).as_tuple().exponent >= -2  # type: ignore[operator]


class FakeVisma(FakeProvider):
    title = "Fake Visma eEkonomi"
    authorize_path = "/connect/authorize"
    token_path = "/connect/token"

    def __init__(
        self,
        client_id: str = "fake-visma-client",
        client_secret: str = "fake-visma-secret",  # noqa: S107
    ) -> None:
        super().__init__(client_id, client_secret)
        self.vouchers: list[dict] = []
        self.attachments: dict[str, dict] = {}

    def routes(self):
        return [
            ("POST", r"^/v2/vouchers/?$", self._create_voucher),
            ("GET", r"^/v2/vouchers/?$", self._list_vouchers),
            ("POST", r"^/v2/attachments/?$", self._upload),
            ("GET", r"^/v2/attachments/?$", self._list_attachments),
            ("POST", r"^/v2/attachmentlinks/?$", self._link),
        ]

    def dispatch(self, request: Request) -> Response:
        if request.method == "GET" and request.path.startswith("/_fake/files/"):
            with self.lock:
                item = self.attachments.get(request.path.rsplit("/", 1)[-1])
            if item is None:
                return self.error(404, "Not found", code=4004)
            return 200, [("Content-Type", item["ContentType"])], item["data"]
        return super().dispatch(request)

    def error(self, status, message, *, code, headers=()):
        visma_code = {401: 4001, 404: 4004, 429: 4029, 500: 5000}.get(status, 4000)
        body = {"ErrorCode": visma_code, "DeveloperErrorMessage": message, "ErrorId": str(uuid.uuid4())}
        return json_response(status, body, headers)

    def _body(self, request: Request, schema: str) -> tuple[dict | None, Response | None]:
        try:
            body = request.json()
        except (ValueError, UnicodeDecodeError):
            return None, self.error(400, "Invalid JSON", code=4000)
        problems = validator().errors(schema, body)
        if problems:
            return None, self.error(400, "; ".join(problems), code=4000)
        return body, None

    @staticmethod
    def _page(request: Request, items: list) -> dict:
        page = max(1, int(request.query.get("$page", "1") or 1))
        size = max(1, min(1000, int(request.query.get("$pagesize", "50") or 50)))
        pages = max(1, -(-len(items) // size))
        meta = {
            "CurrentPage": page,
            "PageSize": size,
            "TotalNumberOfPages": pages,
            "TotalNumberOfResults": len(items),
            "ServerTimeUtc": datetime.now(UTC).isoformat(),
        }
        return {"Meta": meta, "Data": items[(page - 1) * size : page * size]}

    def _create_voucher(self, request: Request) -> Response:
        body, failure = self._body(request, "VoucherApi")
        if failure:
            return failure
        voucher = body or {}
        rows = voucher["Rows"]
        if len(rows) < 2:
            return self.error(400, "Rows: a voucher needs at least two rows", code=4000)
        for row in rows:
            if row["AccountNumber"] not in CHART:
                return self.error(400, f"AccountNumber {row['AccountNumber']} does not exist", code=4000)
            debit, credit = row.get("DebitAmount") or 0, row.get("CreditAmount") or 0
            if not _two_decimals(debit) or not _two_decimals(credit):
                return self.error(400, "Amounts: max 2 decimals", code=4000)
            if (debit and credit) or not (debit or credit):
                return self.error(400, "Each row has either DebitAmount or CreditAmount", code=4000)
        if sum(round((r.get("DebitAmount") or 0) * 100) for r in rows) != sum(
            round((r.get("CreditAmount") or 0) * 100) for r in rows
        ):
            return self.error(400, "The voucher is not balanced", code=4000)
        try:
            when = datetime.fromisoformat(voucher["VoucherDate"][:10]).date()
        except ValueError:
            return self.error(400, "VoucherDate: format yyyy-mm-dd", code=4000)
        with self.lock:
            number = len(self.vouchers) + 1
            stored = {
                "Id": str(uuid.uuid4()),
                "VoucherDate": when.isoformat(),
                "VoucherText": voucher["VoucherText"],
                "Rows": [
                    {
                        k: r[k]
                        for k in ("AccountNumber", "DebitAmount", "CreditAmount", "TransactionText")
                        if k in r
                    }
                    for r in rows
                ],
                "NumberAndNumberSeries": f"{voucher.get('NumberSeries') or 'A'}{number}",
                "NumberSeries": voucher.get("NumberSeries") or "A",
                "VoucherType": voucher.get("VoucherType", 2),
                "ModifiedUtc": datetime.now(UTC).isoformat(),
            }
            self.vouchers.append(stored)
        return json_response(200, stored)

    def _list_vouchers(self, request: Request) -> Response:
        with self.lock:
            return json_response(200, self._page(request, list(self.vouchers)))

    def _upload(self, request: Request) -> Response:
        body, failure = self._body(request, "AttachmentUploadApi")
        if failure:
            return failure
        upload = body or {}
        if upload["ContentType"] not in CONTENT_TYPES:
            return self.error(
                400, "ContentType must be image/jpeg, image/png, image/tiff or application/pdf", code=4000
            )
        try:
            data = base64.b64decode(upload.get("Data") or "", validate=True)
        except (binascii.Error, ValueError):
            return self.error(400, "Data: must be a Base64 encoded byte array", code=4000)
        if not data or len(data) > MAX_FILE_BYTES:
            return self.error(400, "Data: a file of 1 byte to 10 MB is required", code=4000)
        with self.lock:
            attachment = {
                "Id": str(uuid.uuid4()),
                "ContentType": upload["ContentType"],
                "FileName": upload["FileName"],
                "AttachedDocumentType": 0,
                "AttachmentStatus": 1,
                "Type": 1,
                "UploadedBy": "fake",
                "ImageDate": datetime.now(UTC).isoformat(),
                "data": data,
            }
            self.attachments[attachment["Id"]] = attachment
        return json_response(200, self._public_attachment(attachment))

    @staticmethod
    def _public_attachment(attachment: dict) -> dict:
        data = {k: v for k, v in attachment.items() if k != "data"}
        data["TemporaryUrl"] = f"/_fake/files/{attachment['Id']}"
        return data

    def _list_attachments(self, request: Request) -> Response:
        with self.lock:
            items = [self._public_attachment(a) for a in self.attachments.values()]
        if request.query.get("includeMatched", "true").lower() == "false":
            items = [a for a in items if a["AttachmentStatus"] == 1]
        return json_response(200, self._page(request, items))

    def _link(self, request: Request) -> Response:
        body, failure = self._body(request, "AttachmentLinkApi")
        if failure:
            return failure
        link = body or {}
        if link["DocumentType"] == 3 and not link.get("DocumentId"):
            return self.error(400, "DocumentId: required for DocumentType 3 (Voucher)", code=4000)
        with self.lock:
            if link["DocumentType"] == 3 and not any(v["Id"] == link["DocumentId"] for v in self.vouchers):
                return self.error(400, "The voucher does not exist", code=4004)
            missing = [a for a in link["AttachmentIds"] if a not in self.attachments]
            if missing or not link["AttachmentIds"]:
                return self.error(400, f"Attachments not found: {missing}", code=4004)
            for attachment_id in link["AttachmentIds"]:
                self.attachments[attachment_id].update(
                    DocumentId=link.get("DocumentId"),
                    AttachedDocumentType=link["DocumentType"],
                    AttachmentStatus=0,
                )
        return json_response(200, link)

    def booked(self) -> list[dict]:
        with self.lock:
            return self._booked()

    def _booked(self) -> list[dict]:
        return [
            {
                **v,
                "Attachments": [
                    {
                        "Id": a["Id"],
                        "FileName": a["FileName"],
                        "ContentType": a["ContentType"],
                        "Size": len(a["data"]),
                    }
                    for a in self.attachments.values()
                    if a.get("DocumentId") == v["Id"]
                ],
            }
            for v in self.vouchers
        ]

    def state(self) -> dict:
        return {"Vouchers": self._booked()}


app = FakeVisma()
