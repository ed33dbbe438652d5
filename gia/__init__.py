"""The composition root: the ``gia`` command, the supervisor behind ``gia run``, the
migrations of every database and the registry of services. It is the one place that
knows all services; ``shared`` and the services never import it."""
