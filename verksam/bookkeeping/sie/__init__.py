"""SIE 4 (DOMAIN.md "SIE 4", the SIE-gruppen file format 4B): a streaming 4I writer and a reader."""
