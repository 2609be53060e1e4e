"""A posted voucher is immutable at the database too (DESIGN.md rule 16, Bokföringslagen 5 kap. 5 §):
triggers refuse any UPDATE of a posted voucher and any INSERT, UPDATE or DELETE of a posted voucher's
rows, whatever code runs. (Deleting a whole company still cascades: the voucher itself may be deleted,
which the services never do once it is posted.)"""

from django.db import migrations

# what a posted voucher says; created_by/posted_by may still be set NULL when a user is deleted
GUARDED = (
    "tenant_id", "fiscal_year_id", "series", "number", "date", "text", "status", "source_app", "source_id",
    "source_text", "receipt_ref", "reverses_id", "posted_at",
)
SQLITE_CHANGED = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in GUARDED)
PG_CHANGED = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in GUARDED)

SQLITE = [
    """CREATE TRIGGER bookkeeping_voucher_posted_immutable BEFORE UPDATE ON bookkeeping_voucher
       WHEN OLD.status = 'posted' AND (""" + SQLITE_CHANGED + """)
       BEGIN SELECT RAISE(ABORT, 'bookkeeping: a posted voucher is immutable'); END""",
    """CREATE TRIGGER bookkeeping_voucherrow_posted_insert BEFORE INSERT ON bookkeeping_voucherrow
       WHEN (SELECT status FROM bookkeeping_voucher WHERE id = NEW.voucher_id) = 'posted'
       BEGIN SELECT RAISE(ABORT, 'bookkeeping: a posted voucher is immutable'); END""",
    """CREATE TRIGGER bookkeeping_voucherrow_posted_update BEFORE UPDATE ON bookkeeping_voucherrow
       WHEN (SELECT status FROM bookkeeping_voucher WHERE id = OLD.voucher_id) = 'posted'
       BEGIN SELECT RAISE(ABORT, 'bookkeeping: a posted voucher is immutable'); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS bookkeeping_voucher_posted_immutable",
    "DROP TRIGGER IF EXISTS bookkeeping_voucherrow_posted_insert",
    "DROP TRIGGER IF EXISTS bookkeeping_voucherrow_posted_update",
]

POSTGRES = [
    """CREATE OR REPLACE FUNCTION bookkeeping_voucher_guard() RETURNS trigger AS $$
    BEGIN
      IF OLD.status = 'posted' AND (""" + PG_CHANGED + """) THEN
        RAISE EXCEPTION 'bookkeeping: a posted voucher is immutable' USING ERRCODE = 'integrity_constraint_violation';
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER bookkeeping_voucher_posted_immutable BEFORE UPDATE ON bookkeeping_voucher
       FOR EACH ROW EXECUTE FUNCTION bookkeeping_voucher_guard()""",
    """CREATE OR REPLACE FUNCTION bookkeeping_voucherrow_guard() RETURNS trigger AS $$
    DECLARE vid bigint;
    BEGIN
      IF TG_OP = 'INSERT' THEN vid := NEW.voucher_id; ELSE vid := OLD.voucher_id; END IF;
      IF EXISTS (SELECT 1 FROM bookkeeping_voucher WHERE id = vid AND status = 'posted') THEN
        RAISE EXCEPTION 'bookkeeping: a posted voucher is immutable' USING ERRCODE = 'integrity_constraint_violation';
      END IF;
      IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER bookkeeping_voucherrow_posted_immutable BEFORE INSERT OR UPDATE ON bookkeeping_voucherrow
       FOR EACH ROW EXECUTE FUNCTION bookkeeping_voucherrow_guard()""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS bookkeeping_voucherrow_posted_immutable ON bookkeeping_voucherrow",
    "DROP TRIGGER IF EXISTS bookkeeping_voucher_posted_immutable ON bookkeeping_voucher",
    "DROP FUNCTION IF EXISTS bookkeeping_voucherrow_guard()",
    "DROP FUNCTION IF EXISTS bookkeeping_voucher_guard()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("bookkeeping", "0001_bookkeeping")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        )
    ]
