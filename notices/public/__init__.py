"""The rights holder's pages: the takedown form, the status page, withdrawal, the
transparency report. May import records, the core, the outbox, the models and the lib."""
