"""Notices that arrive by e-mail: the IMAP mailbox, uploaded .eml and mbox files, and the
reader. May import records, the core, the outbox, the models and the lib."""
