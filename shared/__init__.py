"""What the GIA services share: settings, databases, events, errors, auth and the register."""
