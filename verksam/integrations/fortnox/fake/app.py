"""A local fake of Fortnox API v3, built from ../shared/ref/fortnox/fortnox-api-v3-openapi.json.

OAuth2 at /oauth-v1/auth, /oauth-v1/token and /oauth-v1/revoke (as apps.fortnox.se); the API under /3/:
  GET  /3/financialyears?date=yyyy-mm-dd  fortnox_FinancialYear_WrapList (the year holding the date)
  GET  /3/financialyears/{Id}            fortnox_FinancialYear_Wrap
  POST /3/vouchers?financialyear={Id}    fortnox_Voucher_Wrap -> 201 the created voucher
  GET  /3/vouchers/sublist/{series}?financialyear={Id}   fortnox_VoucherListItem_List (+ paging)
  GET  /3/vouchers/{series}/{number}?financialyear={Id}  fortnox_Voucher_Wrap
  POST /3/inbox?path=inbox_v             multipart "file" -> 201 fortnox_Folder_FileRow_Wrap
  POST /3/voucherfileconnections         fortnox_VoucherFileConnection_Wrap -> 201
  GET  /3/voucherfileconnections         fortnox_VoucherFileConnection_List
Financial years are addressed by their `Id` (`financialyear` in the spec is an int32 year id, and a
voucher's `Year` / a connection's `VoucherYear` hold that id, as in Fortnox's own examples); without
`financialyear` a request works in the preselected year (the spec's words for POST /3/vouchers), here
the year that holds today. The fake's years are calendar years 2015–2035 with ids 1–21 unless a test
sets others, so a client that sends a calendar year where an id belongs is refused.
Every JSON body is validated against the spec's schema; the rules Fortnox enforces beyond it are
added (balanced rows, each row debit or credit, accounts in the chart, series exist, the date inside
the financial year). Errors use the spec's fortnox_ErrorInformationWrap. `GET /` shows what was
booked, `GET /_fake/files/{id}` a file.
"""

from datetime import date

from verksam.integrations.accounting import fake_common as fake

ALLOWED_TYPES = {"image/jpeg", "image/png", "application/pdf"}
MAX_FILE_BYTES = 10 * 1024 * 1024
SERIES = frozenset("ABCDEFGHIJKLM")
# Fortnox's error codes for the fake's answers (fortnox_ErrorInformation.Code)
CODES = {401: 2000311, 404: 2000000, 429: 2000429, 500: 2000500}
ROW_CODES = {"chart": 2000423, "balance": 2000544}
INVALID = 2000588
NO_YEAR = 2000722  # no financial year for the date / unknown year id


def calendar_years(first: int = 2015, last: int = 2035) -> list[dict]:
    """Financial years as calendar years, ids counting from 1 (Fortnox numbers a company's years)."""
    return [
        {
            "Id": i,
            "FromDate": f"{year}-01-01",
            "ToDate": f"{year}-12-31",
            "AccountingMethod": "ACCRUAL",
            "AccountChartType": "BAS 2024",
        }
        for i, year in enumerate(range(first, last + 1), start=1)
    ]


class FakeFortnox(fake.FakeProvider):
    title, name, default_port = "Fake Fortnox", "fortnox", 8766
    oauth_paths = ("/oauth-v1/auth", "/oauth-v1/token", "/oauth-v1/revoke")  # as at apps.fortnox.se
    spec = ("fortnox", "fortnox-api-v3-openapi.json", "components/schemas")
    validation_code = INVALID
    rate_limit = (25, 5.0)  # DOMAIN.md: 25 requests per 5 seconds

    def __init__(self, client_id: str | None = None, client_secret: str | None = None) -> None:
        super().__init__(client_id, client_secret)
        self.financial_years: list[dict] = calendar_years()
        self.preselected_year_id: int | None = None  # None: the year holding today
        self.vouchers: list[dict] = []
        self.files: dict[str, dict] = {}  # id -> {Id, Name, Path, Size, ContentType, data}
        self.connections: list[dict] = []

    def error(self, status, message, *, code, headers=()):
        body = {"ErrorInformation": {"Error": 1, "Message": message, "Code": CODES.get(code, code)}}
        return fake.json_response(status, body, headers)

    def revoke_answer(self) -> fake.Response:
        return fake.json_response(200, {"revoked": True})  # Fortnox's documented answer

    def stored_file(self, file_id: str) -> dict | None:
        return self.files.get(file_id)

    # --- financial years ---------------------------------------------------------------------------
    def _year_holding(self, day: str) -> dict | None:
        return next((y for y in self.financial_years if y["FromDate"] <= day <= y["ToDate"]), None)

    def _year(self, raw: str | None) -> tuple[dict | None, fake.Response | None]:
        """The financial year of a request: `financialyear` (an id), else the preselected one."""
        if raw is None:
            if self.preselected_year_id is not None:
                raw = str(self.preselected_year_id)
            else:
                today = date.today().isoformat()  # noqa: DTZ011 (the fake's own clock)
                return self._year_holding(today) or self.financial_years[-1], None
        if not raw.isdigit():
            return None, self.error(400, "financialyear: an integer year id", code=INVALID)
        year = next((y for y in self.financial_years if y["Id"] == int(raw)), None)
        if year is None:
            return None, self.error(400, f"Financial year {raw} not found", code=NO_YEAR)
        return year, None

    @fake.route("GET", r"^/3/financialyears/?$")
    def _list_years(self, request: fake.Request) -> fake.Response:
        # The spec names the filter `Date`, Fortnox's guide writes `?date=`: both are read.
        day = request.query.get("date") or request.query.get("Date")
        if day is not None:
            try:
                day = date.fromisoformat(day).isoformat()
            except ValueError:
                return self.error(400, "date: format yyyy-mm-dd", code=INVALID)
        with self.lock:
            years = [y for y in self.financial_years if day is None or y["FromDate"] <= day <= y["ToDate"]]
        return fake.json_response(200, {"FinancialYears": [self._public_year(y) for y in years]})

    @fake.route("GET", r"^/3/financialyears/(?P<year_id>\d+)$")
    def _get_year(self, request: fake.Request, year_id: str) -> fake.Response:
        year = next((y for y in self.financial_years if y["Id"] == int(year_id)), None)
        if year is None:
            return self.error(404, "Financial year not found", code=NO_YEAR)
        return fake.json_response(200, {"FinancialYear": self._public_year(year)})

    @staticmethod
    def _public_year(year: dict) -> dict:
        return {"@url": f"/3/financialyears/{year['Id']}", **year}

    # --- vouchers ------------------------------------------------------------------------------
    @fake.route("POST", r"^/3/vouchers/?$", schema="fortnox_Voucher_Wrap")
    def _create_voucher(self, request: fake.Request, body: dict) -> fake.Response:
        year, failure = self._year(request.query.get("financialyear"))
        if failure or year is None:
            return failure or self.error(400, "No financial year", code=NO_YEAR)
        voucher = body.get("Voucher")
        if not isinstance(voucher, dict):
            return self.error(400, "Voucher: required", code=INVALID)
        if voucher.get("VoucherSeries") not in SERIES:
            return self.error(
                400, f"Voucher series {voucher.get('VoucherSeries')!r} does not exist", code=2000797
            )
        rows = voucher.get("VoucherRows") or []
        problem = fake.rows_problem(
            rows, rows_key="VoucherRows", account="Account", debit="Debit", credit="Credit"
        )
        if problem:
            kind, message = problem
            return self.error(400, message, code=ROW_CODES.get(kind, INVALID))
        if not year["FromDate"] <= voucher["TransactionDate"] <= year["ToDate"]:
            return self.error(
                400,
                f"TransactionDate {voucher['TransactionDate']} is outside the financial year "
                f"{year['FromDate']} – {year['ToDate']}",
                code=NO_YEAR,
            )
        if voucher["Year"] != year["Id"]:
            return self.error(
                400, f"Year {voucher['Year']} is not the financial year's id {year['Id']}", code=NO_YEAR
            )
        with self.lock:
            number = 1 + sum(
                1
                for v in self.vouchers
                if v["VoucherSeries"] == voucher["VoucherSeries"] and v["Year"] == year["Id"]
            )
            stored = {
                "Comments": voucher.get("Comments", ""),
                "Description": voucher["Description"],
                "ReferenceNumber": voucher.get("ReferenceNumber", ""),
                "ReferenceType": voucher.get("ReferenceType", "MANUAL"),
                "TransactionDate": voucher["TransactionDate"],
                "VoucherNumber": number,
                "VoucherSeries": voucher["VoucherSeries"],
                "Year": year["Id"],
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
        return fake.json_response(201, {"Voucher": self._public(stored)})

    @staticmethod
    def _public(voucher: dict) -> dict:
        url = f"/3/vouchers/{voucher['VoucherSeries']}/{voucher['VoucherNumber']}"
        url += f"?financialyear={voucher['Year']}"
        return {"@url": url, **voucher}

    @fake.route("GET", r"^/3/vouchers/sublist/(?P<series>[A-Za-z0-9]+)$")
    def _list_vouchers(self, request: fake.Request, series: str) -> fake.Response:
        year, failure = self._year(request.query.get("financialyear"))
        if failure or year is None:
            return failure or self.error(400, "No financial year", code=NO_YEAR)
        page, limit = (
            max(1, int(request.query.get("page", "1") or 1)),
            int(request.query.get("limit", "100") or 100),
        )
        with self.lock:
            found = [
                {k: v for k, v in self._public(x).items() if k != "VoucherRows"}
                for x in self.vouchers
                if x["VoucherSeries"] == series and x["Year"] == year["Id"]
            ]
        pages = max(1, -(-len(found) // limit))
        meta = {"@TotalResources": len(found), "@TotalPages": pages, "@CurrentPage": page}
        return fake.json_response(
            200, {"MetaInformation": meta, "Vouchers": found[(page - 1) * limit : page * limit]}
        )

    @fake.route("GET", r"^/3/vouchers/(?P<series>[A-Za-z0-9]+)/(?P<number>\d+)$")
    def _get_voucher(self, request: fake.Request, series: str, number: str) -> fake.Response:
        year, failure = self._year(request.query.get("financialyear"))
        if failure or year is None:
            return failure or self.error(400, "No financial year", code=NO_YEAR)
        with self.lock:
            for voucher in self.vouchers:
                same = voucher["VoucherSeries"] == series and voucher["VoucherNumber"] == int(number)
                if same and voucher["Year"] == year["Id"]:
                    return fake.json_response(200, {"Voucher": self._public(voucher)})
        return self.error(404, "Voucher not found", code=2000434)

    # --- receipts ------------------------------------------------------------------------------
    @fake.route("POST", r"^/3/inbox/?$")
    def _upload(self, request: fake.Request) -> fake.Response:
        if (
            request.query.get("path", "").lower() != "inbox_v"
            and request.query.get("folderId", "").lower() != "inbox_v"
        ):
            return self.error(400, "Unknown folder: upload voucher receipts to path=inbox_v", code=INVALID)
        part = request.multipart_file("file")
        if part is None:
            return self.error(400, "file: required (multipart/form-data)", code=INVALID)
        name, content_type, data = part
        if content_type not in ALLOWED_TYPES or not data or len(data) > MAX_FILE_BYTES:
            return self.error(400, "The file must be a JPEG, PNG or PDF of at most 10 MB", code=INVALID)
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
        return fake.json_response(
            201, {"File": {"@url": f"/3/inbox/{file_id}", "ArchiveFileId": file_id, **row}}
        )

    @fake.route("POST", r"^/3/voucherfileconnections/?$", schema="fortnox_VoucherFileConnection_Wrap")
    def _connect(self, request: fake.Request, body: dict) -> fake.Response:
        conn = body["VoucherFileConnection"]
        # without VoucherYear: the preselected year, as for the voucher itself
        year, failure = self._year(None if conn.get("VoucherYear") is None else str(conn["VoucherYear"]))
        if failure or year is None:
            return failure or self.error(400, "No financial year", code=NO_YEAR)
        with self.lock:
            if conn["FileId"] not in self.files:
                return self.error(400, f"File {conn['FileId']} not found", code=INVALID)
            voucher = next(
                (
                    v
                    for v in self.vouchers
                    if v["VoucherSeries"] == conn["VoucherSeries"]
                    and str(v["VoucherNumber"]) == str(conn["VoucherNumber"])
                    and v["Year"] == year["Id"]
                ),
                None,
            )
            if voucher is None:
                return self.error(400, "Voucher not found", code=2000434)
            if any(c["FileId"] == conn["FileId"] for c in self.connections):
                return self.error(400, "The file is already connected", code=INVALID)
            stored = {
                "FileId": conn["FileId"],
                "VoucherDescription": voucher["Description"],
                "VoucherNumber": str(voucher["VoucherNumber"]),
                "VoucherSeries": voucher["VoucherSeries"],
                "VoucherYear": voucher["Year"],
            }
            self.connections.append(stored)
        return fake.json_response(
            201,
            {"VoucherFileConnection": {"@url": f"/3/voucherfileconnections/{stored['FileId']}", **stored}},
        )

    @fake.route("GET", r"^/3/voucherfileconnections/?$")
    def _list_connections(self, request: fake.Request) -> fake.Response:
        with self.lock:
            return fake.json_response(200, {"VoucherFileConnections": list(self.connections)})

    # --- for tests and the dev page ----------------------------------------------------------------
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


app = FakeFortnox()
