#!/usr/bin/env bash
# Back up Verksam: the PostgreSQL database (pg_dump, custom format) and the media files (tar).
# docs/deploy.md runs it nightly from a systemd timer as the postgres user.
#
#   tools/backup.sh DEST_DIR
#
# BACKUP_DATABASE: the database, as a name or a postgresql:// URL, reached as a role that is not
#   held back by row-level security (the postgres superuser): the application role sees no rows
#   outside a tenant scope, so its dump would be refused.
# MEDIA_ROOT: the uploaded files.
# Prints the two files it wrote. Exits non-zero on any failure (and leaves no half file behind).
set -euo pipefail
dest=${1:?usage: tools/backup.sh DEST_DIR}
db=${BACKUP_DATABASE:?set BACKUP_DATABASE (e.g. verksam, run as the postgres user)}
media=${MEDIA_ROOT:?set MEDIA_ROOT}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$dest" "$media"
dump="$dest/verksam-$stamp.dump"
files="$dest/media-$stamp.tar.gz"
trap 'rm -f "$dump.part" "$files.part"' EXIT
pg_dump --format=custom --file="$dump.part" "$db"
pg_restore --list "$dump.part" >/dev/null  # the archive reads back
tar -C "$media" -czf "$files.part" .
mv "$dump.part" "$dump"
mv "$files.part" "$files"
echo "$dump"
echo "$files"
