"""The four GIA services."""
