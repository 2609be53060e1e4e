"""Backups of docs/deploy.md restore (issue 7, item 14): tools/backup.sh dumps the database and the
media files, tools/restore.sh puts them into a new database and folder, and the data, with its
row-level security, is all there. PostgreSQL only; skipped without pg_dump or a server."""

import os
import shutil
import subprocess
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from psycopg import sql

from verksam.tenancy.rls import POLICY
from verksam.tenancy.scope import tenant_scope
from verksam.tenancy.tests.factories import MembershipFactory, TenantFactory

ROOT = Path(__file__).resolve().parents[2]
ADMIN_URL = os.environ.get("PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="backups are of PostgreSQL"
    ),
    pytest.mark.skipif(not shutil.which("pg_dump"), reason="pg_dump is not installed"),
]


def _url(dbname: str) -> str:
    return psycopg.conninfo.make_conninfo(ADMIN_URL, dbname=dbname)


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_new_database_with_its_files(tmp_path):
    # given a company with a member (committed, as in production) and an uploaded file
    tenant = TenantFactory(name="Backup AB", slug="backup")
    with tenant_scope(tenant.pk):
        member = MembershipFactory(tenant=tenant)
    media = tmp_path / "media"
    (media / "tenants" / str(tenant.pk)).mkdir(parents=True)
    (media / "tenants" / str(tenant.pk) / "kvitto.pdf").write_bytes(b"%PDF-1.7 kvitto")
    source = connection.settings_dict["NAME"]
    scratch = f"verksam_restore_{os.getpid()}"
    env = {**os.environ, "BACKUP_DATABASE": _url(source), "MEDIA_ROOT": str(media)}
    # when it is backed up
    backup = subprocess.run(
        ["bash", "tools/backup.sh", str(tmp_path / "backups")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert backup.returncode == 0, backup.stderr
    dump, files = backup.stdout.split()
    # and restored into a new, empty database and media folder
    admin = psycopg.connect(ADMIN_URL, autocommit=True)
    admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(scratch)))
    admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(scratch)))
    try:
        restored_media = tmp_path / "restored-media"
        env = {**os.environ, "RESTORE_DATABASE": _url(scratch), "MEDIA_ROOT": str(restored_media)}
        restore = subprocess.run(
            ["bash", "tools/restore.sh", dump, files], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert restore.returncode == 0, restore.stderr
        # then the rows, the row-level security and the files are back
        with psycopg.connect(_url(scratch)) as restored:
            assert restored.execute(
                "SELECT name FROM tenancy_tenant WHERE id = %s", [tenant.pk]
            ).fetchone() == ("Backup AB",)
            assert restored.execute(
                "SELECT user_id FROM tenancy_membership WHERE id = %s", [member.pk]
            ).fetchone() == (member.user_id,)
            forced = restored.execute(
                "SELECT relforcerowsecurity FROM pg_class WHERE relname = 'tenancy_membership'"
            ).fetchone()
            assert forced == (True,)
            assert restored.execute(
                "SELECT count(*) FROM pg_policies WHERE tablename = 'tenancy_membership' AND policyname = %s",
                [POLICY],
            ).fetchone() == (1,)
            assert restored.execute("SELECT count(*) FROM django_migrations").fetchone()[0] > 10
        assert (restored_media / "tenants" / str(tenant.pk) / "kvitto.pdf").read_bytes() == b"%PDF-1.7 kvitto"
    finally:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(scratch)))
        admin.close()
