"""The Raad voor Raad essay contest for council members: essays, anonymised jury scores."""
