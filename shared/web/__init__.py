"""The Flask parts every service shares."""
