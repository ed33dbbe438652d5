"""Who may do what: signed tokens for systems, accounts and a shared session cookie for people."""
