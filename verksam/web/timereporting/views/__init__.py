"""Pages of Tidrapportering, one module per part (urls.py maps the URL names onto them):

- week: the week page (start page) with the quick grid, saving it, copying last week (grid: the grid itself)
- locking: lock (send for attestation) and unlock days or a week
- day: one day with the one-hand form; changing and deleting an entry
- month: the month as a calendar
- absence: absence over a date range
- timer: start and stop the running timer
- behalf: reporting on behalf of an employee (issue 8 item 6)
- common: parsing of weeks/days/ids and the DayView the pages share

The attestation pages (the approver's side) are in verksam.web.attestation.
"""
