"""Theme slugs (2012 themes, general fields, the guide's other fields) and their Dutch labels."""

from __future__ import annotations

THEME_LABELS: dict[str, str] = {
    "social_tensions": "maatschappelijke spanningen",
    "citizenship": "sociale stabiliteit en burgerschap",
    "taboo_subjects": "taboe-onderwerpen",
    "eu_labour_migrants": "EU-arbeidsmigranten",
    "discrimination": "discriminatie",
    "civic_integration_act": "Wet inburgering",
    "education": "onderwijs",
    "labour_market": "arbeidsmarkt",
    "care": "zorg",
    "safety": "veiligheid",
    "housing": "wonen",
    "social_integration": "sociale integratie",
    "emancipation": "emancipatie",
    "health": "gezondheid",
    "culture": "cultuur",
    "sport": "sport",
}
THEMES: tuple[str, ...] = tuple(THEME_LABELS)
