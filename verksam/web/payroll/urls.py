"""Löneunderlag and lönefiler (issue 9), named web:<name>, sorted by feature: the basis, its PDFs and
the dry run (views_basis); the payroll files and their history (views_exports)."""

from django.urls import path

from . import views_basis, views_exports

P = "t/<slug:slug>/payroll/"
urlpatterns = [
    # the payroll basis (löneunderlag), its choice of employees, PDFs and dry run
    path(P, views_basis.payroll_basis, name="payroll_basis"),
    path(P + "selection/", views_basis.payroll_selection, name="payroll_selection"),
    path(P + "pdf/", views_basis.payroll_basis_pdf, name="payroll_basis_pdf"),
    path(P + "dry-run/", views_basis.payroll_dryrun, name="payroll_dryrun"),
    path(P + "dry-run/export/", views_basis.payroll_dryrun_export, name="payroll_dryrun_export"),
    # the payroll files, their history and correction files
    path(P + "files/", views_exports.payroll_files, name="payroll_files"),
    path(P + "files/start/", views_exports.payroll_files_start, name="payroll_files_start"),
    path(
        P + "files/<int:export_id>/status/", views_exports.payroll_export_status, name="payroll_export_status"
    ),
    path(
        P + "files/<int:export_id>/download/",
        views_exports.payroll_export_download,
        name="payroll_export_download",
    ),
]
