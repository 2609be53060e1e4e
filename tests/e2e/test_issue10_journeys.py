"""The browser journeys of issue 10's "Done when", end to end through the pages:

1. Phone receipt to Fortnox: on a 375 × 812 phone a LIGHT employee registers an outlay in Mina utlägg
   and photographs the receipt (a real JPEG carrying EXIF GPS), the approver attests it in the queue
   (1366 × 900), the bookkeeper posts it from Att bokföra and sends it to Fortnox — connected through
   the real OAuth flow in the browser, against the Fortnox fake — and the fake holds the voucher
   (rows to the öre), the receipt with the bytes we stored (EXIF stripped) and its file connection.
2. The accounting firm: a FULL partner opens the customer from Mina samarbeten, tab Privata utlägg,
   chooses the registration period, books the attested outlays and downloads SIE 4I, which our own
   reader reads back (#KSUMMA, every #VER balanced and equal to the booked vouchers). A LIMITED
   partner sees the tab but cannot book (no button, the POST refused).
3. Company cards: the TOTAL user imports a card statement (CSV), the holder photographs the receipt
   of one purchase on the phone and it is matched to the statement line at once; the other line
   shows "Kvitto saknas"; the approver attests, the bookkeeper books it.

Every page visited is checked for English leaking into the Swedish UI (the every-page sweep's word
list), and the phone pages for sideways scrolling. States are awaited with Playwright's expect.
"""

import datetime as dt
import io
import re
from pathlib import Path
from typing import NamedTuple

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import trans_real
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from verksam.attestation import expenses as claims
from verksam.bookkeeping import selectors as books
from verksam.bookkeeping.models import Voucher
from verksam.bookkeeping.sie.reader import read_sie
from verksam.cards.models import CardPurchase
from verksam.expenses import services as expense_services
from verksam.expenses.defaults import expenses_install_defaults
from verksam.expenses.models import Expense, ExpenseType
from verksam.payroll.selectors import period_of
from verksam.tenancy.access import resolve
from verksam.tenancy.scope import tenant_scope
from verksam.timecodes.periods import period_for

from .conftest import PASSWORD, tenant_url
from .test_every_page import english_in, leak_words

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {
    "viewport": {"width": 375, "height": 812},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}
DESKTOP = {"viewport": {"width": 1366, "height": 900}}
GPS = 0x8825  # the EXIF GPS IFD


class Words(NamedTuple):
    values: set[str]
    sentences: frozenset[str]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def words():
    """What must not show on a Swedish page: the stored English values and field names (the every-page
    sweep's list), plus every English sentence of the code that has a Swedish translation — shown
    as it is, it was not translated (a missing gettext, a lazy string evaluated too early)."""
    catalog = trans_real.translation("sv")._catalog
    sentences = {
        msgid
        for msgid, text in catalog.items()
        if isinstance(msgid, str)
        and " " in msgid
        and len(msgid) >= 10
        and not {"%", "{", "\n"} & set(msgid)
        and text
        and text != msgid
    }
    return Words(leak_words(), frozenset(sentences))


@pytest.fixture
def new_page(browser, browser_context_args):
    """`new_page(PHONE | DESKTOP)`: a page in a fresh context (its own cookies: one user each)."""
    contexts = []

    def make(device: dict):
        context = browser.new_context(**{**browser_context_args, **device})
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def login(page, live_server, email: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_email").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def nav(page, name: str) -> None:
    """Follow the main menu's entry (the phone's menu scrolls sideways: Playwright scrolls to it)."""
    page.locator("nav.modules").get_by_role("link", name=name, exact=True).click()


def check_page(page, words: Words, *, phone: bool = False) -> None:
    """The page is Swedish (no stored English values or field names) and, on a phone, does not
    scroll sideways."""
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.lang") == "sv"
    text = page.locator("body").inner_text()
    assert english_in(text, words.values) == [], page.url
    assert [s for s in words.sentences if s in text] == [], page.url
    if phone:
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{page.url} is {width} px wide"


def receipt_jpeg(text: str) -> bytes:
    """A phone photo of a receipt: a JPEG with the camera's make and the GPS position in EXIF."""
    image = Image.new("RGB", (900, 1400), (245, 244, 238))
    ImageDraw.Draw(image).text((80, 120), text, fill=(20, 20, 20))
    exif = Image.Exif()
    exif[0x010F] = "Apple"
    exif[GPS] = {1: "N", 2: (59.0, 19.0, 48.0), 3: "E", 4: (18.0, 4.0, 7.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    data = out.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS)  # the photo really carries a position
    return data


def thumb_loaded(page, selector: str) -> None:
    """The (permission-checked) thumbnail is served and decoded: waited for, not raced."""
    page.wait_for_function(
        "(s) => { const i = document.querySelector(s); return i && i.complete && i.naturalWidth > 0 }",
        arg=selector,
    )


def voucher_rows(voucher_id: int, tenant_id: int) -> list[tuple[int, int, int]]:
    """(account, debit öre, credit öre) of our voucher, in row order."""
    with tenant_scope(tenant_id):
        out = books.voucher_out(books.voucher_get(voucher_id=voucher_id))
    return [(int(r.account), r.debit_ore, r.credit_ore) for r in out.rows]


# --- 1. Phone receipt to Fortnox -------------------------------------------------------------------


def test_phone_receipt_is_attested_posted_and_lands_in_fortnox_with_its_image(
    new_page, live_server, tenant, owner, attestant, employee, fortnox_server, words
):
    fake, _fake_url = fortnox_server
    expenses_install_defaults(tenant_id=tenant.pk)

    # the TOTAL user connects the company to Fortnox: the real OAuth flow against the fake
    office = new_page(DESKTOP)
    login(office, live_server, owner.email)
    nav(office, "Bokföringssystem")
    office.get_by_test_id("accounting-connect-fortnox").click()
    expect(office).to_have_url(re.compile(r"^http://127\.0\.0\.1:\d+/oauth-v1/auth\?"))
    office.get_by_role("button", name="Godkänn").click()
    expect(office.get_by_test_id("accounting-connection")).to_contain_text("Kopplat till Fortnox")
    check_page(office, words)

    # the employee on the phone: Mina utlägg, the camera input, the preview, submit
    photo = receipt_jpeg("PREEM  Diesel  625,00")
    phone = new_page(PHONE)
    login(phone, live_server, employee.email)
    nav(phone, "Mina utlägg")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Mina utlägg")
    check_page(phone, words, phone=True)
    camera = phone.locator("input[type=file]")
    assert camera.get_attribute("capture") == "environment"
    camera.set_input_files(files=[{"name": "IMG_0042.jpg", "mimeType": "image/jpeg", "buffer": photo}])
    expect(phone.get_by_test_id("receipt-preview")).to_be_visible()
    phone.get_by_label("Typ").select_option(label="Drivmedel")
    phone.get_by_label("Belopp inkl. moms (kr)").fill("625,00")
    phone.get_by_label("Moms 25 % (kr)").fill("125,00")
    phone.get_by_label("Beskrivning").fill("Diesel till bygget")
    check_page(phone, words, phone=True)
    phone.get_by_test_id("save-and-submit").click()
    expect(phone.locator(".messages")).to_contain_text("Utlägget har skickats in.")
    row = phone.get_by_test_id("expense").first
    expect(row.locator("[data-status=submitted]")).to_be_visible()
    expect(row.get_by_test_id("receipt-thumb")).to_be_visible()
    thumb_loaded(phone, "[data-testid=receipt-thumb]")
    check_page(phone, words, phone=True)

    with tenant_scope(tenant.pk):
        expense = Expense.objects.select_related("receipt").get()
        receipt = expense.receipt
    with default_storage.open(receipt.file.name, "rb") as f:
        stored = f.read()
    assert receipt.content_type == "image/jpeg"
    assert stored != photo and not Image.open(io.BytesIO(stored)).getexif().get_ifd(GPS)

    # the approver at the desk attests it in the queue
    desk = new_page(DESKTOP)
    login(desk, live_server, attestant.email)
    nav(desk, "Attestering")
    desk.get_by_test_id("claims-tab").click()
    claim = desk.get_by_test_id("claim").first
    expect(claim).to_contain_text("Drivmedel")
    expect(claim).to_contain_text("625,00")
    thumb_loaded(desk, "[data-testid=queue-thumb]")
    check_page(desk, words)
    claim.get_by_test_id("attest-claim").click()
    expect(desk.locator(".messages")).to_contain_text("Attesterad.")
    expect(desk.get_by_test_id("claims-empty")).to_be_visible()

    # the bookkeeper posts it from Att bokföra and sends it to Fortnox
    nav(office, "Bokföring")
    office.get_by_test_id("bookkeeping-outlays").click()
    outlay = office.locator(f"tr[data-expense='{expense.pk}']")
    expect(outlay).to_contain_text("Diesel till bygget")
    expect(outlay).to_contain_text("625,00")
    check_page(office, words)
    outlay.get_by_test_id("book-outlay").click()
    expect(office.get_by_test_id("voucher-status")).to_have_text("Bokförd")
    rows = office.get_by_test_id("voucher-rows")
    for text in ("5611", "2641", "2820", "500,00", "125,00", "625,00"):
        expect(rows).to_contain_text(text)
    check_page(office, words)
    office.get_by_test_id("voucher-push-button").click()
    push = office.get_by_test_id("voucher-push")
    expect(push).to_have_attribute("data-status", "sent")
    expect(push).to_contain_text("Skickad")
    expect(push).to_contain_text("Fortnox")
    check_page(office, words)

    # the fake holds the voucher, to the öre, with our stored image connected to it
    with tenant_scope(tenant.pk):
        voucher = Voucher.objects.get(source_app="expenses.expense", source_id=str(expense.pk))
    booked = fake.booked()
    assert len(booked) == 1
    remote = booked[0]
    assert remote["TransactionDate"] == expense.purchase_date.isoformat()
    assert remote["Description"].startswith(f"{voucher.series}{voucher.number} ")
    remote_rows = [
        (r["Account"], round(r["Debit"] * 100), round(r["Credit"] * 100)) for r in remote["VoucherRows"]
    ]
    assert remote_rows == voucher_rows(voucher.pk, tenant.pk)
    assert sorted(remote_rows) == [(2641, 12500, 0), (2820, 0, 62500), (5611, 50000, 0)]
    assert len(remote["Files"]) == 1 and remote["Files"][0]["ContentType"] == "image/jpeg"
    file_id = remote["Files"][0]["Id"]
    assert fake.files[file_id]["data"] == stored
    assert fake.connections == [
        {
            "FileId": file_id,
            "VoucherDescription": remote["Description"],
            "VoucherNumber": str(remote["VoucherNumber"]),
            "VoucherSeries": remote["VoucherSeries"],
            "VoucherYear": remote["Year"],
        }
    ]
    expect(push).to_contain_text(f"{remote['VoucherSeries']}-{remote['VoucherNumber']}-{remote['Year']}")

    # the employee sees the outlay attested
    phone.reload()
    expect(phone.get_by_test_id("expense").first.locator("[data-status=attested]")).to_be_visible()
    check_page(phone, words, phone=True)


# --- 2. The accounting firm books the customer's outlays and downloads SIE -------------------------


def _attested_outlay(tenant, employee, attestant, *, type_name: str, amount: int, vat_25: int, text: str):
    """An outlay registered, submitted with its receipt and attested (the setup of journey 2)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    with tenant_scope(tenant.pk):
        worker = resolve(employee, tenant)
        receipt = expense_services.receipt_upload(
            actor=worker,
            upload=SimpleUploadedFile("kvitto.jpg", receipt_jpeg(text), content_type="image/jpeg"),
            name="kvitto.jpg",
        )
        expense = expense_services.expense_create(
            actor=worker,
            expense_type=ExpenseType.objects.get(name=type_name),
            purchase_date=timezone.localdate(),
            amount_ore=amount,
            vat_25_ore=vat_25,
            description=text,
            receipt=receipt,
        )
        expense_services.item_submit(actor=worker, item=expense)
        claims.claim_attest(actor=resolve(attestant, tenant), item=expense)
    return expense


def _open_private_outlays(page, live_server, email: str, tenant, firm) -> None:
    """From the firm's Mina samarbeten to the customer's tab Privata utlägg."""
    login(page, live_server, email)
    page.goto(tenant_url(live_server, firm.slug))
    nav(page, "Mina samarbeten")
    page.get_by_test_id("collaboration-table").get_by_role("link", name=tenant.name).click()
    page.get_by_test_id("tab-expenses").click()
    expect(page.get_by_role("heading", name="Privata utlägg", exact=True)).to_be_visible()
    expect(page.get_by_test_id("tab-expenses")).to_have_attribute("aria-current", "page")


def _choose_period(page, key: str) -> None:
    page.locator("#period").fill(key)
    page.get_by_test_id("period-form").get_by_role("button", name="Visa").click()
    expect(page).to_have_url(re.compile(rf"[?&]period={key}$"))


def test_firm_books_the_customers_attested_outlays_and_downloads_sie(
    new_page,
    live_server,
    tenant,
    owner,
    attestant,
    employee,
    partner_full,
    partner_limited,
    partner_firm,
    words,
    tmp_path,
):
    expenses_install_defaults(tenant_id=tenant.pk)
    fuel = _attested_outlay(
        tenant, employee, attestant, type_name="Drivmedel", amount=62500, vat_25=12500, text="Diesel"
    )
    # 99,90 incl. 25 % VAT: 19,98 VAT, 79,92 cost — rounding to the öre
    material = _attested_outlay(
        tenant, employee, attestant, type_name="Material", amount=9990, vat_25=1998, text="Skruv"
    )
    # one registered in an earlier period stays out of this period's list
    today = timezone.localdate()
    with tenant_scope(tenant.pk):
        period = period_of(period_key=period_for(today).key)
        earlier = period_of(period_key=period_for(period.start - dt.timedelta(days=1)).key)
    old = _attested_outlay(
        tenant, employee, attestant, type_name="Logi", amount=120000, vat_25=0, text="Hotell"
    )
    with tenant_scope(tenant.pk):
        Expense.objects.filter(pk=old.pk).update(registered_on=earlier.start)

    # LIMITED: sees the tab and the outlays, but no book button, and the POST is refused
    limited = new_page(DESKTOP)
    _open_private_outlays(limited, live_server, partner_limited.email, tenant, partner_firm)
    _choose_period(limited, period.key)
    table = limited.get_by_test_id("private-outlays")
    expect(table.locator("tr[data-expense]")).to_have_count(2)
    expect(limited.get_by_test_id("private-read-only")).to_be_visible()
    expect(limited.get_by_test_id("private-book")).to_have_count(0)
    expect(limited.get_by_test_id("private-sie")).to_have_count(0)
    check_page(limited, words)
    csrf = next(c["value"] for c in limited.context.cookies() if c["name"] == "csrftoken")
    for action in ("book/", "sie/"):
        refused = limited.request.post(
            tenant_url(live_server, tenant.slug, f"bookkeeping/private-outlays/{action}"),
            form={"period": period.key},
            headers={"X-CSRFToken": csrf, "Referer": limited.url},
        )
        assert refused.status == 403, (action, refused.status)
    with tenant_scope(tenant.pk):
        assert not Voucher.objects.exists()

    # FULL: chooses the period, sees the attested outlays, books them, downloads SIE 4I
    firm = new_page(DESKTOP)
    _open_private_outlays(firm, live_server, partner_full.email, tenant, partner_firm)
    _choose_period(firm, period.key)
    table = firm.get_by_test_id("private-outlays")
    expect(table.locator("tr[data-expense]")).to_have_count(2)
    expect(table.locator("tr[data-booked='0']")).to_have_count(2)
    expect(table).to_contain_text("625,00")
    expect(table).to_contain_text("99,90")
    expect(table).not_to_contain_text("Hotell")
    check_page(firm, words)
    firm.get_by_test_id("private-book").click()
    expect(firm.locator(".messages")).to_contain_text("2 utlägg är bokförda.")
    expect(table.locator("tr[data-booked='1']")).to_have_count(2)
    check_page(firm, words)
    with firm.expect_download() as download_info:
        firm.get_by_test_id("private-sie").click()
    path = Path(tmp_path) / "privata-utlagg.si"
    download_info.value.save_as(path)

    with path.open("rb") as stream:
        sie = read_sie(stream)
    assert sie.ksumma_ok and sie.company_name == tenant.name
    assert sie.sietyp == "4"
    assert all(v.balance_ore == 0 for v in sie.vouchers)
    with tenant_scope(tenant.pk):
        booked = {
            v.source_id: v
            for v in Voucher.objects.filter(source_app="expenses.expense").prefetch_related("rows")
        }
        assert set(booked) == {str(fuel.pk), str(material.pk)}
        assert all(v.status == "posted" for v in booked.values())
        ours = sorted(
            (
                v.series,
                str(v.number),
                v.date,
                v.text,
                sorted((r.account, r.debit_ore - r.credit_ore) for r in v.rows.all()),
            )
            for v in booked.values()
        )
    theirs = sorted(
        (v.series, v.number, v.date, v.text, sorted((r.account, r.amount_ore) for r in v.rows))
        for v in sie.vouchers
    )
    assert theirs == ours
    material_rows = dict(next(rows for *_h, rows in theirs if ("2820", -9990) in rows))
    assert material_rows == {"5460": 7992, "2641": 1998, "2820": -9990}
    assert old.pk not in {int(k) for k in booked}


# --- 3. Company cards: statement import, the receipt matched, attested, booked ---------------------


def _statement(rows: list[tuple[str, dt.date, str, str, str]]) -> bytes:
    lines = ["Kort;Datum;Belopp;Handlare;Referens"]
    lines += [
        f"{card};{day.isoformat()};{amount};{merchant};{ref}" for card, day, amount, merchant, ref in rows
    ]
    return ("\n".join(lines) + "\n").encode()


def _upload_statement(page, name: str, data: bytes) -> None:
    form = page.get_by_test_id("statement")
    form.locator("input[type=file]").set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": data}]
    )
    form.get_by_role("button", name="Importera").click()


def test_card_statement_import_receipt_matched_attested_and_booked(
    new_page, live_server, tenant, owner, attestant, employee, words
):
    expenses_install_defaults(tenant_id=tenant.pk)
    today = timezone.localdate()
    fuel_day, tools_day = today - dt.timedelta(days=1), today - dt.timedelta(days=2)

    # the TOTAL user adds the employee's card and imports the card statement
    office = new_page(DESKTOP)
    login(office, live_server, owner.email)
    nav(office, "Företagskort")
    office.get_by_text("Lägg till ett kort").click()
    office.get_by_label("Kortinnehavare").select_option(label=employee.name)
    office.get_by_label("Fyra sista siffrorna").fill("4321")
    office.get_by_test_id("card-form").get_by_role("button", name="Lägg till").click()
    expect(office.get_by_test_id("card")).to_contain_text("•••• 4321")
    check_page(office, words)
    # a statement with a card nobody holds: every row reported, nothing imported
    _upload_statement(
        office,
        "kortutdrag-fel.csv",
        _statement(
            [("4321", fuel_day, "500,00", "PREEM NACKA", "T1"), ("9999", tools_day, "12,00", "ICA", "T9")]
        ),
    )
    expect(office.get_by_test_id("import-errors")).to_contain_text("Rad 3")
    expect(office.get_by_test_id("import-errors")).to_contain_text("9999")
    check_page(office, words)
    with tenant_scope(tenant.pk):
        assert not CardPurchase.objects.exists()
    # the right statement: both rows imported, none matched yet
    statement = _statement(
        [
            ("4321", fuel_day, "500,00", "PREEM NACKA", "T1"),
            ("4321", tools_day, "249,00", "CLAS OHLSON", "T2"),
        ]
    )
    _upload_statement(office, "kortutdrag.csv", statement)
    expect(office.get_by_test_id("import-result")).to_contain_text("2")
    expect(office.get_by_test_id("card")).to_contain_text("2")  # receipts missing on the card
    check_page(office, words)

    # the holder on the phone: two lines lack a receipt; they photograph the fuel receipt
    phone = new_page(PHONE)
    login(phone, live_server, employee.email)
    nav(phone, "Mina kortköp")
    expect(phone.get_by_test_id("missing-badge")).to_contain_text("Kvitto saknas: 2")
    expect(phone.get_by_test_id("card-purchase")).to_have_count(2)
    check_page(phone, words, phone=True)
    phone.get_by_text("Nytt kortköp").click()
    form = phone.get_by_test_id("card-purchase-form")
    form.locator("input[type=file]").set_input_files(
        files=[{"name": "IMG_0101.jpg", "mimeType": "image/jpeg", "buffer": receipt_jpeg("PREEM 500,00")}]
    )
    expect(form.locator("[data-receipt-preview]")).to_be_visible()
    form.get_by_label("Inköpsdatum").fill(fuel_day.isoformat())
    form.get_by_label("Handlare").fill("Preem Nacka")
    form.get_by_label("Belopp inkl. moms (kr)").fill("500,00")
    form.get_by_label("Moms 25 % (kr)").fill("100,00")
    form.get_by_label("Kostnadskonto").select_option(value="5611")
    form.get_by_label("Beskrivning").fill("Diesel")
    check_page(phone, words, phone=True)
    form.get_by_test_id("save-and-submit").click()
    expect(phone.locator(".messages")).to_contain_text("Kortköpet har sparats.")
    # matched at once to the statement line: one row per purchase, the receipt on the bank's line
    with tenant_scope(tenant.pk):
        fuel = CardPurchase.objects.get(source="imported", merchant="PREEM NACKA")
        tools = CardPurchase.objects.get(source="imported", merchant="CLAS OHLSON")
    fuel_row = phone.locator(f"[data-testid=card-purchase][data-id='{fuel.pk}']")
    tools_row = phone.locator(f"[data-testid=card-purchase][data-id='{tools.pk}']")
    expect(phone.get_by_test_id("card-purchase")).to_have_count(2)
    expect(fuel_row.locator("img.receipt-thumb")).to_be_visible()
    expect(fuel_row.get_by_test_id("status")).to_have_text("Inskickad")
    expect(fuel_row.get_by_test_id("receipt-missing")).to_have_count(0)
    expect(tools_row.get_by_test_id("receipt-missing")).to_have_text("Kvitto saknas")
    expect(phone.get_by_test_id("missing-badge")).to_contain_text("Kvitto saknas: 1")
    thumb_loaded(phone, f"[data-testid=card-purchase][data-id='{fuel.pk}'] img.receipt-thumb")
    check_page(phone, words, phone=True)

    # the approver attests it from the queue
    desk = new_page(DESKTOP)
    login(desk, live_server, attestant.email)
    nav(desk, "Attestering")
    desk.get_by_test_id("claims-tab").click()
    desk.get_by_test_id("cards-queue-link").click()
    queued = desk.get_by_test_id("queued")
    expect(queued).to_have_count(1)
    expect(queued).to_contain_text("PREEM NACKA")
    expect(queued).to_contain_text("500,00")
    check_page(desk, words)
    queued.get_by_test_id("attest").click()
    expect(desk.locator(".messages")).to_contain_text("Kortköpet har attesterats.")
    expect(desk.get_by_test_id("queued")).to_have_count(0)

    # the bookkeeper books it from Att bokföra > Kortköp, for the period of the purchases
    nav(office, "Bokföring")
    office.get_by_test_id("bookkeeping-outlays").click()
    office.get_by_test_id("bookkeeping-card-purchases").click()
    office.get_by_label("Från").fill(tools_day.isoformat())
    office.get_by_label("Till").fill(today.isoformat())
    office.get_by_test_id("period-form").get_by_role("button", name="Visa").click()
    attested = office.get_by_test_id("attested")
    expect(attested).to_have_count(1)
    expect(attested).to_contain_text("PREEM NACKA")
    check_page(office, words)
    attested.get_by_test_id("book").click()
    expect(office.locator(".messages")).to_contain_text("Bokfört som verifikat")
    expect(attested).to_contain_text("Bokfört")
    expect(attested.get_by_test_id("book")).to_have_count(0)
    check_page(office, words)
    with tenant_scope(tenant.pk):
        fuel.refresh_from_db()
        assert fuel.status == "booked" and fuel.voucher_id is not None
        voucher = Voucher.objects.get(pk=fuel.voucher_id)
        assert voucher.status == "posted" and voucher.series == "K"
        assert voucher.receipt_ref == f"expenses.receipt:{fuel.receipt_id}"
    # card: cost and input VAT against the bank (no card-settlement account set), to the öre
    assert sorted(voucher_rows(fuel.voucher_id, tenant.pk)) == [
        (1930, 0, 50000),
        (2641, 10000, 0),
        (5611, 40000, 0),
    ]
