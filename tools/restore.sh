#!/usr/bin/env bash
# Restore a backup of tools/backup.sh into an EMPTY database and an empty media folder.
#
#   tools/restore.sh DUMP MEDIA_TAR
#
# RESTORE_DATABASE: the new, empty database (name or postgresql:// URL), reached as the postgres
#   superuser; the application role named in the dump must exist (docs/deploy.md, "Restore").
# MEDIA_ROOT: where the files go.
# Everything or nothing: the database is restored in one transaction.
set -euo pipefail
dump=${1:?usage: tools/restore.sh DUMP MEDIA_TAR}
files=${2:?usage: tools/restore.sh DUMP MEDIA_TAR}
db=${RESTORE_DATABASE:?set RESTORE_DATABASE (an empty database)}
media=${MEDIA_ROOT:?set MEDIA_ROOT}
pg_restore --exit-on-error --single-transaction --dbname="$db" "$dump"
mkdir -p "$media"
tar -C "$media" -xzf "$files"
echo "restored $dump into $db and $files into $media"
