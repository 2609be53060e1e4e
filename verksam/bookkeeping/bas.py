"""BAS account names for the accounts the booking rules use (DOMAIN.md "BAS accounts used by the
booking rules"), the default cost accounts per kind of expense, and the name of any account for
SIE #KONTO (a company's cost accounts name their own)."""

BAS_NAMES: dict[str, str] = {
    "1930": "Företagskonto/checkkonto/affärskonto",
    "2440": "Leverantörsskulder",
    "2611": "Utgående moms på försäljning inom Sverige, 25 %",
    "2614": "Utgående moms omvänd betalningsskyldighet, 25 %",
    "2641": "Debiterad ingående moms",
    "2647": "Ingående moms omvänd betalningsskyldighet varor och tjänster i Sverige",
    "2820": "Kortfristiga skulder till anställda",
    "2822": "Reseräkningar",
    "2890": "Övriga kortfristiga skulder",
    "3231": "Försäljning inom byggsektorn, omvänd betalningsskyldighet moms",
    "4425": "Inköpta tjänster i Sverige, omvänd betalningsskyldighet, 25 %",
    "5460": "Förbrukningsmaterial",
    "5611": "Drivmedel för personbilar",
    "5800": "Resekostnader",
    "5810": "Biljetter",
    "5831": "Kost och logi i Sverige",
    "6071": "Representation, avdragsgill",
    "6072": "Representation, ej avdragsgill",
    "6110": "Kontorsmateriel",
    "6212": "Mobiltelefon",
    "6990": "Övriga externa kostnader",
}

# key, name, account: the company's starting cost accounts (editable per company)
DEFAULT_COST_ACCOUNTS: tuple[tuple[str, str, str], ...] = (
    ("fuel", "Drivmedel", "5611"),
    ("travel", "Resor", "5800"),
    ("lodging", "Logi", "5831"),
    ("material", "Material", "5460"),
    ("representation", "Representation", "6071"),
    ("office", "Kontorsmaterial", "6110"),
    ("phone", "Telefon", "6212"),
    ("other", "Övrigt", "6990"),
)


def account_name(number: str, own: dict[str, str] | None = None) -> str:
    """The name of an account: the company's own, else BAS's, else "Konto NNNN"."""
    if own and number in own:
        return own[number]
    return BAS_NAMES.get(number, f"Konto {number}")
