"""Live indicators against the 2012 targets, fed by the other services' events."""
