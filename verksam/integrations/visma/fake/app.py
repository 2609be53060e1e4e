"""A local fake of Visma eEkonomi (eAccounting) API v2, built from
../shared/ref/visma-eaccounting/visma-eaccounting-api-v2-swagger-2018.json.

OAuth2 at /connect/authorize, /connect/token and /connect/revocation (as identity.vismaonline.com, an
IdentityServer: RFC 7009 revocation at its standard path); the API under /v2/:
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
import uuid
from datetime import UTC, datetime

from verksam.integrations.accounting import fake_common as fake

CONTENT_TYPES = {"image/jpeg", "image/png", "image/tiff", "application/pdf"}  # AttachmentUploadApi
MAX_FILE_BYTES = 10 * 1024 * 1024
CODES = {401: 4001, 404: 4004, 429: 4029, 500: 5000}


class FakeVisma(fake.FakeProvider):
    title, name, default_port = "Fake Visma eEkonomi", "visma", 8767
    # as at identity.vismaonline.com (an IdentityServer: RFC 7009 revocation at /connect/revocation)
    oauth_paths = ("/connect/authorize", "/connect/token", "/connect/revocation")
    spec = ("visma-eaccounting", "visma-eaccounting-api-v2-swagger-2018.json", "definitions")
    validation_code = 4000

    def __init__(self, client_id: str | None = None, client_secret: str | None = None) -> None:
        super().__init__(client_id, client_secret)
        self.vouchers: list[dict] = []
        self.attachments: dict[str, dict] = {}

    def error(self, status, message, *, code, headers=()):
        visma_code = CODES.get(status, 5000 if status >= 500 else 4000)
        body = {"ErrorCode": visma_code, "DeveloperErrorMessage": message, "ErrorId": str(uuid.uuid4())}
        return fake.json_response(status, body, headers)

    def stored_file(self, file_id: str) -> dict | None:
        return self.attachments.get(file_id)

    @staticmethod
    def _page(request: fake.Request, items: list) -> dict:
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

    @fake.route("POST", r"^/v2/vouchers/?$", schema="VoucherApi")
    def _create_voucher(self, request: fake.Request, body: dict) -> fake.Response:
        voucher = body
        rows = voucher["Rows"]
        problem = fake.rows_problem(
            rows, rows_key="Rows", account="AccountNumber", debit="DebitAmount", credit="CreditAmount"
        )
        if problem:
            return self.error(400, problem[1], code=4000)
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
        return fake.json_response(200, stored)

    @fake.route("GET", r"^/v2/vouchers/?$")
    def _list_vouchers(self, request: fake.Request) -> fake.Response:
        with self.lock:
            return fake.json_response(200, self._page(request, list(self.vouchers)))

    @fake.route("POST", r"^/v2/attachments/?$", schema="AttachmentUploadApi")
    def _upload(self, request: fake.Request, body: dict) -> fake.Response:
        upload = body
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
        return fake.json_response(200, self._public_attachment(attachment))

    @staticmethod
    def _public_attachment(attachment: dict) -> dict:
        data = {k: v for k, v in attachment.items() if k != "data"}
        data["TemporaryUrl"] = f"/_fake/files/{attachment['Id']}"
        return data

    @fake.route("GET", r"^/v2/attachments/?$")
    def _list_attachments(self, request: fake.Request) -> fake.Response:
        with self.lock:
            items = [self._public_attachment(a) for a in self.attachments.values()]
        if request.query.get("includeMatched", "true").lower() == "false":
            items = [a for a in items if a["AttachmentStatus"] == 1]
        return fake.json_response(200, self._page(request, items))

    @fake.route("POST", r"^/v2/attachmentlinks/?$", schema="AttachmentLinkApi")
    def _link(self, request: fake.Request, body: dict) -> fake.Response:
        link = body
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
        return fake.json_response(200, link)

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


app = FakeVisma()
