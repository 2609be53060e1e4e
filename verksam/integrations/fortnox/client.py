"""Fortnox API v3 adapter (ref/fortnox/fortnox-api-v3-openapi.json): OAuth2 at apps.fortnox.se
(revocation of the refresh token at /oauth-v1/revoke, Fortnox's developer docs), the voucher's
financial year from `GET /3/financialyears?date=`, `POST /3/vouchers?financialyear=<id>`, receipts
uploaded to the inbox's voucher folder (`POST /3/inbox?path=inbox_v`) and connected with
`POST /3/voucherfileconnections`.

Fortnox addresses a financial year by its id (`financialyear` is an int32 in the spec; a voucher's
`Year` and a file connection's `VoucherYear` hold it, "Year": 1 in Fortnox's examples), not by the
calendar year, and a request without it works in the company's preselected year — so every voucher
request names the year that holds the voucher's date.
"""

from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from verksam.integrations.accounting import providers
from verksam.integrations.accounting.dto import AttachmentToPush, RemoteVoucher, VoucherToPush

DESCRIPTION_MAX = 200  # fortnox_Voucher.Description maxLength
ROW_TEXT_MAX = 100  # fortnox_Voucher_VoucherRow.TransactionInformation maxLength
PAGE_LIMIT = 500


class FortnoxProvider(providers.OAuthHttpProvider):
    name = providers.FORTNOX
    oauth_paths = ("/oauth-v1/auth", "/oauth-v1/token", "/oauth-v1/revoke")  # at apps.fortnox.se
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

    def financial_year(self, *, token: str, day: date) -> int:
        """The id of the financial year that holds `day` (`GET /3/financialyears?date=`)."""
        data = self.call(token, "GET", "/3/financialyears", params={"date": day.isoformat()})
        years = [y for y in data.get("FinancialYears") or [] if isinstance(y, dict) and y.get("Id")]
        if not years:
            raise providers.ProviderError(
                _("Fortnox has no financial year for %(date)s: create it in Fortnox first.")
                % {"date": day.isoformat()}
            )
        return int(years[0]["Id"])

    def find_voucher(self, *, token: str, voucher: VoucherToPush, marker: str) -> RemoteVoucher | None:
        """Our voucher by its marker, among the vouchers of its series in its own financial year: a
        voucher with the same marker in another year (a reused key) is not ours."""
        year = self.financial_year(token=token, day=voucher.date)
        page, pages = 1, 1
        while page <= pages:
            data = self.call(
                token,
                "GET",
                f"/3/vouchers/sublist/{voucher.series}",
                params={"financialyear": year, "page": page, "limit": PAGE_LIMIT},
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
        year = self.financial_year(token=token, day=voucher.date)
        body = {
            "Voucher": {
                "VoucherSeries": voucher.series,
                "TransactionDate": voucher.date.isoformat(),
                "Year": year,  # required by the spec (fortnox_Voucher.required): the year's id
                "Description": providers.text_with_marker(voucher.text, marker, DESCRIPTION_MAX),
                "ReferenceType": "MANUAL",
                "VoucherRows": [
                    {
                        "Account": row.account,
                        "Debit": providers.kronor(row.debit_ore),
                        "Credit": providers.kronor(row.credit_ore),
                        **({"TransactionInformation": row.text[:ROW_TEXT_MAX]} if row.text else {}),
                    }
                    for row in voucher.rows
                ],
            }
        }
        data = self.call(token, "POST", "/3/vouchers", params={"financialyear": year}, json=body)
        try:
            return self._remote(data["Voucher"])
        except (KeyError, TypeError) as exc:
            raise providers.ProviderError("Fortnox answered without a voucher") from exc

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
                raise providers.ProviderError("Fortnox answered the upload without a file id")
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
