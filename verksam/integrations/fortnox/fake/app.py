"""A local fake of Fortnox API v3, built from ../shared/ref/fortnox/fortnox-api-v3-openapi.json.

OAuth2 at /oauth-v1/auth and /oauth-v1/token (as apps.fortnox.se); the API under /3/:
  POST /3/vouchers                       fortnox_Voucher_Wrap -> 201 the created voucher
  GET  /3/vouchers/sublist/{series}      fortnox_VoucherListItem_List (+ MetaInformation paging)
  GET  /3/vouchers/{series}/{number}     fortnox_Voucher_Wrap
  POST /3/inbox?path=inbox_v             multipart "file" -> 201 fortnox_Folder_FileRow_Wrap
  POST /3/voucherfileconnections         fortnox_VoucherFileConnection_Wrap -> 201
  GET  /3/voucherfileconnections         fortnox_VoucherFileConnection_List
Every JSON body is validated against the spec's schema; the rules Fortnox enforces beyond it are
added (balanced rows, each row debit or credit, accounts in the chart, series exist). Errors use the
spec's fortnox_ErrorInformationWrap. `GET /` shows what was booked, `GET /_fake/files/{id}` a file.
"""

import json
import threading
from datetime import date
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

SPEC_FILE = ("fortnox", "fortnox-api-v3-openapi.json")
ALLOWED_TYPES = {"image/jpeg", "image/png", "application/pdf"}
MAX_FILE_BYTES = 10 * 1024 * 1024
SERIES = frozenset("ABCDEFGHIJKLM")
# A fake company's chart: BAS accounts 1000–8999 are active (the spec allows 1000–9999; 9xxx is
# BAS's internal accounting, not in a normal chart) — Fortnox refuses an account not in the chart.
CHART = range(1000, 9000)


@cache
def validator() -> SchemaValidator:
    with ref_path(*SPEC_FILE).open(encoding="utf-8") as fh:
        return SchemaValidator(json.load(fh), "components/schemas")


def _ore(value: float | int | None) -> int:
    return round((value or 0) * 100)


def _more_than_two_decimals(value: float | int | None) -> bool:
    """The JSON number as written (its shortest repr), not a float product: 92233720368.54 × 100 is
    off by more than any fixed epsilon, yet the amount has two decimals."""
    return Decimal(repr(value or 0)).as_tuple().exponent < -2  # type: ignore[operator]


class FakeFortnox(FakeProvider):
    title = "Fake Fortnox"
    authorize_path = "/oauth-v1/auth"
    token_path = "/oauth-v1/token"
    rate_limit = (25, 5.0)  # DOMAIN.md: 25 requests per 5 seconds

    def __init__(
        self,
        client_id: str = "fake-fortnox-client",
        client_secret: str = "fake-fortnox-secret",  # noqa: S107
    ) -> None:
        super().__init__(client_id, client_secret)
        self.vouchers: list[dict] = []
        self.files: dict[str, dict] = {}  # id -> {Id, Name, Path, Size, ContentType, data}
        self.connections: list[dict] = []
        self._next = threading.Lock()

    def routes(self):
        return [
            ("POST", r"^/3/vouchers/?$", self._create_voucher),
            ("GET", r"^/3/vouchers/sublist/(?P<series>[A-Za-z0-9]+)$", self._list_vouchers),
            ("GET", r"^/3/vouchers/(?P<series>[A-Za-z0-9]+)/(?P<number>\d+)$", self._get_voucher),
            ("POST", r"^/3/inbox/?$", self._upload),
            ("POST", r"^/3/voucherfileconnections/?$", self._connect),
            ("GET", r"^/3/voucherfileconnections/?$", self._list_connections),
        ]

    def dispatch(self, request: Request) -> Response:
        if request.method == "GET" and request.path.startswith("/_fake/files/"):
            with self.lock:
                item = self.files.get(request.path.rsplit("/", 1)[-1])
            if item is None:
                return self.error(404, "Not found", code=2000000)
            return 200, [("Content-Type", item["ContentType"])], item["data"]
        return super().dispatch(request)

    def error(self, status, message, *, code, headers=()):
        body = {"ErrorInformation": {"Error": 1, "Message": message, "Code": code}}
        return json_response(status, body, headers)

    def _body(self, request: Request, schema: str) -> tuple[dict | None, Response | None]:
        try:
            body = request.json()
        except (ValueError, UnicodeDecodeError):
            return None, self.error(400, "Invalid JSON", code=2000588)
        problems = validator().errors(schema, body)
        if problems:
            return None, self.error(400, "; ".join(problems), code=2000588)
        return body, None

    # --- vouchers ------------------------------------------------------------------------------
    def _create_voucher(self, request: Request) -> Response:
        body, failure = self._body(request, "fortnox_Voucher_Wrap")
        if failure:
            return failure
        voucher = (body or {}).get("Voucher")
        if not isinstance(voucher, dict):
            return self.error(400, "Voucher: required", code=2000588)
        if voucher.get("VoucherSeries") not in SERIES:
            return self.error(
                400, f"Voucher series {voucher.get('VoucherSeries')!r} does not exist", code=2000797
            )
        rows = voucher.get("VoucherRows") or []
        if len(rows) < 2:  # minItems 2 (validated above only when present)
            return self.error(400, "VoucherRows: a voucher needs at least two rows", code=2000588)
        for row in rows:
            if row["Account"] not in CHART:
                return self.error(
                    400, f"Account {row['Account']} is not in the chart of accounts", code=2000423
                )
            debit, credit = _ore(row.get("Debit")), _ore(row.get("Credit"))
            if debit < 0 or credit < 0 or (debit and credit) or not (debit or credit):
                return self.error(400, "Each row has either a debit or a credit amount", code=2000588)
            if any(_more_than_two_decimals(row.get(k)) for k in ("Debit", "Credit")):
                return self.error(400, "Amounts have at most two decimals", code=2000588)
        if sum(_ore(r.get("Debit")) for r in rows) != sum(_ore(r.get("Credit")) for r in rows):
            return self.error(400, "The voucher is not balanced (debit and credit differ)", code=2000544)
        when = date.fromisoformat(voucher["TransactionDate"])
        with self.lock:
            number = 1 + sum(
                1
                for v in self.vouchers
                if v["VoucherSeries"] == voucher["VoucherSeries"] and v["Year"] == when.year
            )
            stored = {
                "Comments": voucher.get("Comments", ""),
                "Description": voucher["Description"],
                "ReferenceNumber": voucher.get("ReferenceNumber", ""),
                "ReferenceType": voucher.get("ReferenceType", "MANUAL"),
                "TransactionDate": voucher["TransactionDate"],
                "VoucherNumber": number,
                "VoucherSeries": voucher["VoucherSeries"],
                "Year": when.year,
                "VoucherRows": [
                    {
                        "Account": r["Account"],
                        "Debit": r.get("Debit", 0),
                        "Credit": r.get("Credit", 0),
                        "TransactionInformation": r.get("TransactionInformation", ""),
                    }
                    for r in rows
                ],
            }
            self.vouchers.append(stored)
        return json_response(201, {"Voucher": self._public(stored)})

    @staticmethod
    def _public(voucher: dict) -> dict:
        url = f"/3/vouchers/{voucher['VoucherSeries']}/{voucher['VoucherNumber']}"
        url += f"?financialyear={voucher['Year']}"
        return {"@url": url, **voucher}

    def _list_vouchers(self, request: Request, series: str) -> Response:
        page, limit = (
            max(1, int(request.query.get("page", "1") or 1)),
            int(request.query.get("limit", "100") or 100),
        )
        year = request.query.get("financialyear")
        with self.lock:
            found = [
                {k: v for k, v in self._public(x).items() if k != "VoucherRows"}
                for x in self.vouchers
                if x["VoucherSeries"] == series and (not year or str(x["Year"]) == year)
            ]
        pages = max(1, -(-len(found) // limit))
        meta = {"@TotalResources": len(found), "@TotalPages": pages, "@CurrentPage": page}
        return json_response(
            200, {"MetaInformation": meta, "Vouchers": found[(page - 1) * limit : page * limit]}
        )

    def _get_voucher(self, request: Request, series: str, number: str) -> Response:
        year = request.query.get("financialyear")
        with self.lock:
            for voucher in self.vouchers:
                same = voucher["VoucherSeries"] == series and voucher["VoucherNumber"] == int(number)
                if same and (not year or str(voucher["Year"]) == year):
                    return json_response(200, {"Voucher": self._public(voucher)})
        return self.error(404, "Voucher not found", code=2000434)

    # --- receipts ------------------------------------------------------------------------------
    def _upload(self, request: Request) -> Response:
        if (
            request.query.get("path", "").lower() != "inbox_v"
            and request.query.get("folderId", "").lower() != "inbox_v"
        ):
            return self.error(400, "Unknown folder: upload voucher receipts to path=inbox_v", code=2000588)
        part = request.multipart_file("file")
        if part is None:
            return self.error(400, "file: required (multipart/form-data)", code=2000588)
        name, content_type, data = part
        if content_type not in ALLOWED_TYPES or not data or len(data) > MAX_FILE_BYTES:
            return self.error(400, "The file must be a JPEG, PNG or PDF of at most 10 MB", code=2000588)
        with self.lock:
            file_id = f"{len(self.files) + 1:08d}-f0f0-4a4a-8b8b-{len(self.files) + 1:012d}"
            self.files[file_id] = {
                "Id": file_id,
                "Name": name,
                "Path": f"inbox_v/{name}",
                "Size": len(data),
                "ContentType": content_type,
                "data": data,
            }
        row = {k: v for k, v in self.files[file_id].items() if k not in ("data", "ContentType")}
        return json_response(201, {"File": {"@url": f"/3/inbox/{file_id}", "ArchiveFileId": file_id, **row}})

    def _connect(self, request: Request) -> Response:
        body, failure = self._body(request, "fortnox_VoucherFileConnection_Wrap")
        if failure:
            return failure
        conn = (body or {})["VoucherFileConnection"]
        with self.lock:
            if conn["FileId"] not in self.files:
                return self.error(400, f"File {conn['FileId']} not found", code=2000588)
            year = conn.get("VoucherYear")
            voucher = next(
                (
                    v
                    for v in self.vouchers
                    if v["VoucherSeries"] == conn["VoucherSeries"]
                    and str(v["VoucherNumber"]) == str(conn["VoucherNumber"])
                    and (year is None or v["Year"] == year)
                ),
                None,
            )
            if voucher is None:
                return self.error(400, "Voucher not found", code=2000434)
            if any(c["FileId"] == conn["FileId"] for c in self.connections):
                return self.error(400, "The file is already connected", code=2000588)
            stored = {
                "FileId": conn["FileId"],
                "VoucherDescription": voucher["Description"],
                "VoucherNumber": str(voucher["VoucherNumber"]),
                "VoucherSeries": voucher["VoucherSeries"],
                "VoucherYear": voucher["Year"],
            }
            self.connections.append(stored)
        return json_response(
            201,
            {"VoucherFileConnection": {"@url": f"/3/voucherfileconnections/{stored['FileId']}", **stored}},
        )

    def _list_connections(self, request: Request) -> Response:
        with self.lock:
            return json_response(200, {"VoucherFileConnections": list(self.connections)})

    # --- for tests and the dev page ----------------------------------------------------------------
    def booked(self) -> list[dict]:
        """Every voucher with the names of its connected files."""
        with self.lock:
            return self._booked()

    def _booked(self) -> list[dict]:
        result = []
        for v in self.vouchers:
            files = [
                self.files[c["FileId"]]
                for c in self.connections
                if c["VoucherSeries"] == v["VoucherSeries"]
                and c["VoucherNumber"] == str(v["VoucherNumber"])
                and c["VoucherYear"] == v["Year"]
            ]
            result.append(
                {
                    **v,
                    "Files": [
                        {"Id": f["Id"], "Name": f["Name"], "ContentType": f["ContentType"], "Size": f["Size"]}
                        for f in files
                    ],
                }
            )
        return result

    def state(self) -> dict:
        return {"Vouchers": self._booked()}


app = FakeFortnox()
