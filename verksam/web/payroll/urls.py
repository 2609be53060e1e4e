"""Löneunderlag and lönefiler (issue 9), named web:<name>, sorted by feature: the basis, its PDFs and
the dry run (views_basis); the payroll files and their history (views_exports)."""

from django.urls import path

from . import views_basis

P = "t/<slug:slug>/payroll/"
urlpatterns = [
    # the payroll basis (löneunderlag), its choice of employees, PDFs and dry run
    path(P, views_basis.payroll_basis, name="payroll_basis"),
    path(P + "selection/", views_basis.payroll_selection, name="payroll_selection"),
    path(P + "pdf/", views_basis.payroll_basis_pdf, name="payroll_basis_pdf"),
    path(P + "dry-run/", views_basis.payroll_dryrun, name="payroll_dryrun"),
    path(P + "dry-run/export/", views_basis.payroll_dryrun_export, name="payroll_dryrun_export"),
]
