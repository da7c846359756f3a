"""Machine intake (/api/v1/): serializers, views, and how a sender is admitted and limited.
May import records, the core, the outbox, the models and the lib."""
