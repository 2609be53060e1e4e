"""Prepare the PostgreSQL test run: make sure the application role exists as NOSUPERUSER NOBYPASSRLS
(so row-level security applies to it) and may create the test database.

Exit 0 when a server answered on localhost and the role is ready, 3 when no server is reachable.
Connection settings: PG_ADMIN_URL (default postgresql://postgres@127.0.0.1:5432/postgres).
"""

import os
import sys

import psycopg
from psycopg import sql

ADMIN_URL = os.environ.get("PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
ROLE = os.environ.get("PG_APP_ROLE", "verksam_app")
PASSWORD = os.environ.get("PG_APP_PASSWORD", "verksam_app")


def main() -> int:
    try:
        conn = psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        print(
            f"PostgreSQL not reachable ({exc.__class__.__name__}); skipping the PostgreSQL run.",
            file=sys.stderr,
        )
        return 3
    with conn:
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [ROLE]).fetchone()
        verb = "ALTER" if exists else "CREATE"
        conn.execute(
            sql.SQL("{} ROLE {} LOGIN CREATEDB NOSUPERUSER NOBYPASSRLS PASSWORD {}").format(
                sql.SQL(verb), sql.Identifier(ROLE), sql.Literal(PASSWORD)
            )
        )
    print(f"postgresql://{ROLE}:{PASSWORD}@127.0.0.1:5432/verksam")
    return 0


if __name__ == "__main__":
    sys.exit(main())
