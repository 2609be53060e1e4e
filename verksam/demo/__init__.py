"""Demo data for development and sales demos: `manage.py seed_demo` (docs/demo.md)."""
