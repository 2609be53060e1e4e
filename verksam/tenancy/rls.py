"""PostgreSQL row-level security (DESIGN.md rule 10), installed after every migrate.

Every TenantOwned table gets ENABLE + FORCE ROW LEVEL SECURITY and one policy that admits rows of
the tenants listed in the session setting `app.tenant_ids`. Tables of access rows (Membership,
PartnerGrant: models with `rls_user_column`) additionally admit the rows of the user named in
`app.user_id`, so a person can find which tenants they may enter before a tenant scope exists.
"""

from django.apps import apps
from django.db import connection
from django.db.models.signals import post_migrate

POLICY = "verksam_tenant_isolation"
TENANT_CLAUSE = "tenant_id = ANY (string_to_array(current_setting('app.tenant_ids', true), ',')::bigint[])"
USER_CLAUSE = "{col} = NULLIF(current_setting('app.user_id', true), '')::bigint"
# Rows that name an accounting firm (`rls_partner_column`, e.g. PartnerGrant.partner_tenant) may also
# be *read* by that firm in scope: the firm's portal lists the grants its people hold (issue 11). A
# separate SELECT-only policy, so the firm can never write a row into a customer's tenant.
PARTNER_POLICY = "verksam_partner_read"
PARTNER_CLAUSE = "{col} = ANY (string_to_array(current_setting('app.tenant_ids', true), ',')::bigint[])"


def tenant_models():
    from .models import TenantOwned

    return [
        m for m in apps.get_models() if issubclass(m, TenantOwned) and not m._meta.proxy and m._meta.managed
    ]


def policy_sql(model) -> list[str]:
    table = connection.ops.quote_name(model._meta.db_table)
    clause = TENANT_CLAUSE
    user_column = getattr(model, "rls_user_column", None)
    if user_column:
        clause = f"({TENANT_CLAUSE}) OR ({USER_CLAUSE.format(col=model._meta.get_field(user_column).column)})"
    statements = [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
        f"DROP POLICY IF EXISTS {POLICY} ON {table}",
        f"CREATE POLICY {POLICY} ON {table} USING ({clause}) WITH CHECK ({clause})",
        f"DROP POLICY IF EXISTS {PARTNER_POLICY} ON {table}",
    ]
    partner_column = getattr(model, "rls_partner_column", None)
    if partner_column:
        col = model._meta.get_field(partner_column).column
        statements.append(
            f"CREATE POLICY {PARTNER_POLICY} ON {table} FOR SELECT USING ({PARTNER_CLAUSE.format(col=col)})"
        )
    return statements


def install_policies(using: str = "default") -> int:
    from django.db import connections

    conn = connections[using]
    if conn.vendor != "postgresql":
        return 0
    models = tenant_models()
    with conn.cursor() as cursor:
        for model in models:
            for statement in policy_sql(model):
                cursor.execute(statement)
    return len(models)


def _after_migrate(sender, using="default", **kwargs) -> None:
    # post_migrate fires once per app after all migrations ran; install once.
    if sender.name == "verksam.tenancy":
        install_policies(using)


post_migrate.connect(_after_migrate, dispatch_uid="verksam_install_rls")
