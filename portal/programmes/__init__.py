"""Programmes, calls (申报批次) and applications: the call is configuration, the application is
one model for zone and school applications, frozen as versions when submitted."""
