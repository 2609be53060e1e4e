"""Visma eEkonomi API v2 adapter (ref/visma-eaccounting/…swagger…json): OAuth2 at
identity.vismaonline.com, `POST /v2/vouchers`, `POST /v2/attachments` (base64) and
`POST /v2/attachmentlinks` with DocumentType 3 (voucher)."""

import base64
from typing import Any

from verksam.integrations.accounting.dto import AttachmentToPush, RemoteVoucher, VoucherToPush
from verksam.integrations.accounting.providers import (
    VISMA,
    OAuthHttpProvider,
    ProviderError,
    kronor,
    text_with_marker,
)

VOUCHER_TEXT_MAX = 100  # VoucherApi.VoucherText maxLength
ROW_TEXT_MAX = 50  # VoucherRowApi.TransactionText maxLength
PAGE_SIZE = 200
DOCUMENT_TYPE_VOUCHER = 3


class VismaProvider(OAuthHttpProvider):
    name = VISMA
    # identity.vismaonline.com is an IdentityServer: RFC 7009 revocation at its standard path (Visma's
    # identity docs: "a revocation request will invalidate the actual token")
    oauth_paths = ("/connect/authorize", "/connect/token", "/connect/revocation")
    scope = "ea:api offline_access ea:accounting ea:purchase"
    extra_authorize = {"prompt": "login"}

    def error_message(self, data: Any, status: int) -> str:
        if isinstance(data, dict) and data.get("DeveloperErrorMessage"):
            return f"{data['DeveloperErrorMessage']} ({data.get('ErrorCode', status)})"
        return f"HTTP {status}"

    def _pages(self, token: str, path: str):
        page, pages = 1, 1
        while page <= pages:
            data = self.call(token, "GET", path, params={"$page": page, "$pagesize": PAGE_SIZE})
            yield from data.get("Data") or []
            pages = int((data.get("Meta") or {}).get("TotalNumberOfPages") or 1)
            page += 1

    def find_voucher(self, *, token: str, voucher: VoucherToPush, marker: str) -> RemoteVoucher | None:
        for item in self._pages(token, "/v2/vouchers"):
            if marker in str(item.get("VoucherText", "")):
                return RemoteVoucher(str(item["Id"]))
        return None

    def create_voucher(self, *, token: str, voucher: VoucherToPush, marker: str) -> RemoteVoucher:
        body = {
            "VoucherDate": voucher.date.isoformat(),
            "VoucherText": text_with_marker(voucher.text, marker, VOUCHER_TEXT_MAX),
            "NumberSeries": voucher.series,
            "VoucherType": 2,  # ManualVoucher
            "Rows": [
                {
                    "AccountNumber": row.account,
                    **({"DebitAmount": kronor(row.debit_ore)} if row.debit_ore else {}),
                    **({"CreditAmount": kronor(row.credit_ore)} if row.credit_ore else {}),
                    **({"TransactionText": row.text[:ROW_TEXT_MAX]} if row.text else {}),
                }
                for row in voucher.rows
            ],
        }
        data = self.call(
            token, "POST", "/v2/vouchers", params={"useDefaultVoucherSeries": "false"}, json=body
        )
        if not isinstance(data, dict) or not data.get("Id"):
            raise ProviderError("Visma answered without a voucher id")
        return RemoteVoucher(str(data["Id"]))

    def attach(self, *, token: str, remote: RemoteVoucher, attachments: tuple[AttachmentToPush, ...]) -> int:
        linked = {
            str(a.get("FileName"))
            for a in self._pages(token, "/v2/attachments")
            if str(a.get("DocumentId")) == remote.remote_id
        }
        ids = []
        for attachment in attachments:
            if attachment.file_name in linked:  # linked by an earlier attempt that crashed before saving
                continue
            uploaded = self.call(
                token,
                "POST",
                "/v2/attachments",
                json={
                    "ContentType": attachment.content_type,
                    "FileName": attachment.file_name,
                    "Data": base64.b64encode(attachment.data).decode("ascii"),
                },
            )
            ids.append(str(uploaded["Id"]))
        if ids:
            self.call(
                token,
                "POST",
                "/v2/attachmentlinks",
                json={
                    "DocumentId": remote.remote_id,
                    "DocumentType": DOCUMENT_TYPE_VOUCHER,
                    "AttachmentIds": ids,
                },
            )
        return len(attachments)
