"""Bookkeeping (issue 10 items 6 and 7): the company's BAS account settings and fiscal years, vouchers
(verifikat) with gap-free numbers per series and fiscal year, booking proposals for outlays and
company-card purchases, and SIE 4I export and a SIE 4 reader (DOMAIN.md "SIE 4")."""
