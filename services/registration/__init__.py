"""Registration for the 2012 GIA and Raad voor Raad meetings, up to the attendance list."""
