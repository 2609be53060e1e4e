"""The audit log in words: labels, and an event's data as lines a person reads."""

from django.utils import translation

from verksam.audit.presentation import action_label, details


def test_an_action_reads_in_swedish_and_an_unknown_one_as_stored():
    with translation.override("sv"):
        assert action_label("time.attest") == "Tid attesterad"
        assert action_label("project.create") == "Projekt skapat"
        assert action_label("legacy.thing") == "legacy.thing"


def test_a_created_object_leaves_out_empty_values_and_formats_minutes_money_and_lists():
    data = {
        "name": "Intern tid",
        "customer_name": "",
        "end_date": None,
        "minutes": 450,
        "hourly_rate_ore": 59500,
        "dates": ["2026-11-16", "2026-11-17"],
        "codes": [],
    }
    with translation.override("sv"):
        assert details(data) == [
            ("Namn", "Intern tid"),
            ("Timpris", "595,00\u00a0kr"),
            ("Datum", "16 nov 2026, 17 nov 2026"),
            ("Tid", "7:30"),
        ]
        # the same lines whatever order the database hands the keys back in (PostgreSQL's jsonb)
        assert details(dict(reversed(data.items()))) == details(data)


def test_numbers_stored_as_text_are_formatted_and_unknown_keys_show_as_stored():
    with translation.override("sv"):
        assert details({"fixed_price_ore": "16800000", "odd_key": 3}) == [
            ("Fast pris", "168\u00a0000,00\u00a0kr"),
            ("odd_key", "3"),
        ]


def test_a_change_reads_before_and_after_for_the_changed_fields_only():
    # a time entry's update stores the changed fields before and the whole entry after
    data = {
        "before": {"minutes": 480, "comment": ""},
        "after": {"minutes": 450, "comment": "Stomme", "date": "2026-11-16"},
    }
    with translation.override("sv"):
        assert details(data) == [("Tid", "8:00 → 7:30"), ("Kommentar", "– → Stomme")]


def test_yes_no_and_a_negative_time_bank_adjustment():
    with translation.override("sv"):
        assert details({"is_active": False, "minutes": -150}) == [("Tid", "−2:30"), ("Aktiv", "nej")]


def test_many_dates_read_as_their_count_and_span():
    days = [f"2026-11-{d:02d}" for d in (2, 3, 4, 5, 6, 9, 10)]
    with translation.override("sv"):
        assert details({"dates": days}) == [("Datum", "7 dagar, 2 nov 2026 – 10 nov 2026")]
        assert details({"dates": ["2026-11-02", "not a date"]}) == [("Datum", "2 nov 2026, not a date")]


def test_every_stored_choice_value_has_a_swedish_label():
    # the web layer hands the log every choice field of every model (verksam/web/audit/labels.py)
    from django.apps import apps

    from verksam.web.audit.labels import audit_choices

    choices = audit_choices()
    for model in apps.get_models():
        if not model.__module__.startswith("verksam."):
            continue
        for field in model._meta.get_fields():
            for value, _label in getattr(field, "choices", None) or ():
                if isinstance(value, str) and value:
                    assert value in choices[field.name], (model, field.name, value)
    with translation.override("sv"):
        assert details({"channel": "general", "customer_access": "edit"}, choices) == [
            ("Kanal", "Allmän kanal"),
            ("Kundens behörighet", "Kunden får läsa och redigera"),
        ]
