"""`manage.py seed_demo`: create the demo companies once and print their logins (docs/demo.md)."""

from django.core.management.base import BaseCommand

from verksam.demo.seed import Login, logins, seed_demo


def login_table(rows: list[Login]) -> str:
    """A plain-text table of the demo logins, one row per person."""
    header = ("E-mail", "Password", "Company", "Licence", "Role")
    body = [
        (
            r.email,
            r.password,
            r.company,
            r.licence,
            r.role + ("; partner access: " + ", ".join(r.partner_access) if r.partner_access else ""),
        )
        for r in rows
    ]
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]

    def line(cells) -> str:
        return "  ".join(cell.ljust(w) for cell, w in zip(cells, widths, strict=True)).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths]), *(line(row) for row in body)])


class Command(BaseCommand):
    help = "Create the demo companies, users and accounting-firm grants (idempotent) and print the logins."

    def handle(self, *args, **options) -> None:
        result = seed_demo()
        if result.changed:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo data created: {result.tenants_created} companies, "
                    f"{result.users_created} users, {result.grants_created} partner grants, "
                    f"{result.entries_created} time entries."
                )
            )
        else:
            self.stdout.write("Demo data already present; nothing changed.")
        self.stdout.write("")
        self.stdout.write(login_table(logins()))
