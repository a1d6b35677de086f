"""Display texts of the desk's codes: the consent questions, per version of their wording.

A published version is never edited, so that what someone agreed to can always be looked up.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .models import ConsentPurpose

# The version of the consent texts shown on the intake form; stored with every answer.
CONSENT_TEXT_VERSION = "2026-1"

# The exact consent questions per text version. Never edit a published version: add a new one
# and raise CONSENT_TEXT_VERSION (a test checks the current version is here).
CONSENT_TEXTS: dict[str, dict[str, str]] = {
    "2026-1": {
        ConsentPurpose.SHARE_BOARDS: _(
            "Mag het onderwijsloket uw gegevens delen met schoolbesturen en scholen die lid zijn van de "
            "onderwijsregio, zodat zij u een plek of baan kunnen aanbieden?"
        ),
        ConsentPurpose.SHARE_INSTITUTES: _(
            "Mag het onderwijsloket uw gegevens delen met lerarenopleidingen, zodat zij u over een "
            "opleiding kunnen adviseren en u kunnen inschrijven?"
        ),
        ConsentPurpose.SHARE_OTHER_REGION: _(
            "Mag het onderwijsloket uw gegevens delen met een naburige onderwijsregio, als u daar beter terecht kunt?"
        ),
        ConsentPurpose.RETAIN_ONE_YEAR: _(
            "Mogen wij uw gegevens na afloop van uw traject nog 1 jaar bewaren, om u te benaderen voor "
            "nieuwe kansen? Zonder toestemming verwijderen wij uw gegevens 4 weken na afloop."
        ),
    },
}


def consent_text(purpose: str, version: str | None = None) -> str:
    """The question a candidate answered for `purpose` in text `version` (default: the current one)."""
    texts = CONSENT_TEXTS.get(version or CONSENT_TEXT_VERSION, {})
    return str(texts.get(purpose, ConsentPurpose(purpose).label))
