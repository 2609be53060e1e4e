"""Adapters for outside services, one package per provider (DESIGN.md rule 13). Each implements a
port defined by a domain app and has a fake in `fake/` that speaks the provider's protocol."""
