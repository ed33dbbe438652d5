"""Events between services: the CloudEvents envelope, the catalogue, the outbox and the broker."""
