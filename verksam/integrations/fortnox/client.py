"""Fortnox API v3 adapter (ref/fortnox/fortnox-api-v3-openapi.json): OAuth2 at apps.fortnox.se,
`POST /3/vouchers`, receipts uploaded to the inbox's voucher folder (`POST /3/inbox?path=inbox_v`)
and connected with `POST /3/voucherfileconnections`."""

from typing import Any

from verksam.integrations.accounting.dto import AttachmentToPush, RemoteVoucher, VoucherToPush
from verksam.integrations.accounting.providers import (
    FORTNOX,
    OAuthHttpProvider,
    ProviderError,
    kronor,
    text_with_marker,
)

DESCRIPTION_MAX = 200  # fortnox_Voucher.Description maxLength
ROW_TEXT_MAX = 100  # fortnox_Voucher_VoucherRow.TransactionInformation maxLength
PAGE_LIMIT = 500


class FortnoxProvider(OAuthHttpProvider):
    name = FORTNOX
    authorize_path = "/oauth-v1/auth"
    token_path = "/oauth-v1/token"
    scope = "bookkeeping archive connectfile inbox"
    extra_authorize = {"access_type": "offline"}

    def error_message(self, data: Any, status: int) -> str:
        info = data.get("ErrorInformation") if isinstance(data, dict) else None
        if isinstance(info, dict):
            info = {k.lower(): v for k, v in info.items()}  # the live API answers in lower case
            return f"{info.get('message') or f'HTTP {status}'} ({info.get('code', status)})"
        return f"HTTP {status}"

    @staticmethod
    def _remote(voucher: dict) -> RemoteVoucher:
        return RemoteVoucher(f"{voucher['VoucherSeries']}-{voucher['VoucherNumber']}-{voucher['Year']}")

    def find_voucher(self, *, token: str, voucher: VoucherToPush, marker: str) -> RemoteVoucher | None:
        page, pages = 1, 1
        while page <= pages:
            data = self.call(
                token,
                "GET",
                f"/3/vouchers/sublist/{voucher.series}",
                params={"page": page, "limit": PAGE_LIMIT},
            )
            for item in data.get("Vouchers") or []:
                if (
                    marker in str(item.get("Description", ""))
                    and str(item.get("TransactionDate")) == voucher.date.isoformat()
                ):
                    return self._remote(item)
            pages = int((data.get("MetaInformation") or {}).get("@TotalPages") or 1)
            page += 1
        return None

    def create_voucher(self, *, token: str, voucher: VoucherToPush, marker: str) -> RemoteVoucher:
        body = {
            "Voucher": {
                "VoucherSeries": voucher.series,
                "TransactionDate": voucher.date.isoformat(),
                # Required by the spec (fortnox_Voucher.required); the financial year of the date.
                "Year": voucher.date.year,
                "Description": text_with_marker(voucher.text, marker, DESCRIPTION_MAX),
                "ReferenceType": "MANUAL",
                "VoucherRows": [
                    {
                        "Account": row.account,
                        "Debit": kronor(row.debit_ore),
                        "Credit": kronor(row.credit_ore),
                        **({"TransactionInformation": row.text[:ROW_TEXT_MAX]} if row.text else {}),
                    }
                    for row in voucher.rows
                ],
            }
        }
        data = self.call(token, "POST", "/3/vouchers", json=body)
        try:
            return self._remote(data["Voucher"])
        except (KeyError, TypeError) as exc:
            raise ProviderError("Fortnox answered without a voucher") from exc

    def attach(self, *, token: str, remote: RemoteVoucher, attachments: tuple[AttachmentToPush, ...]) -> int:
        series, number, year = remote.remote_id.split("-")
        data = self.call(token, "GET", "/3/voucherfileconnections")
        done = sum(
            1
            for c in data.get("VoucherFileConnections") or []
            if c.get("VoucherSeries") == series
            and str(c.get("VoucherNumber")) == number
            and str(c.get("VoucherYear")) == year
        )
        # Files already connected (by an earlier attempt that crashed before saving) are not sent again.
        for attachment in attachments[done:]:
            uploaded = self.call(
                token,
                "POST",
                "/3/inbox",
                params={"path": "inbox_v"},
                files={"file": (attachment.file_name, attachment.data, attachment.content_type)},
            )
            file_id = str((uploaded.get("File") or {}).get("Id", ""))
            if not file_id:
                raise ProviderError("Fortnox answered the upload without a file id")
            self.call(
                token,
                "POST",
                "/3/voucherfileconnections",
                json={
                    "VoucherFileConnection": {
                        "FileId": file_id,
                        "VoucherNumber": number,
                        "VoucherSeries": series,
                        "VoucherYear": int(year),
                    }
                },
            )
        return len(attachments)
