"""The quick anonymous route check: a short GET form whose answers become a CandidateProfile.

Nothing is stored; the form only parses and checks input. The full intake of the candidate desk
asks more (study, EC, VOG, hours) and builds its profile in loket.advice.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .engine import GENERAL_SUBJECT, CandidateProfile, Ruleset

# The quick check asks "havo or vwo" as a level of its own; the engine keeps it as a flag on "vo".
HAVO_VWO = "havo_vwo"

EDUCATION_CHOICES = [
    ("", _("Kies je hoogste diploma")),
    ("vo", _("Geen diploma of een vmbo-diploma")),
    (HAVO_VWO, _("Havo of vwo")),
    ("mbo2", _("Mbo niveau 2")),
    ("mbo3", _("Mbo niveau 3")),
    ("mbo4", _("Mbo niveau 4")),
    ("hbo_ad", _("Associate degree (hbo)")),
    ("hbo_bachelor", _("Hbo-bachelor")),
    ("hbo_master", _("Hbo-master")),
    ("wo_bachelor", _("Wo-bachelor")),
    ("wo_master", _("Wo-master")),
    ("phd", _("Promotie (doctoraat)")),
]
SECTOR_CHOICES = [
    ("", _("Kies een sector")),
    ("PO", _("Basisonderwijs")),
    ("SO", _("Speciaal onderwijs")),
    ("VO", _("Voortgezet onderwijs")),
    ("MBO", _("Mbo")),
]
LEVEL_CHOICES = [
    ("", _("Geen voorkeur")),
    ("vmbo", _("Vmbo")),
    ("havo_vwo_onderbouw", _("Onderbouw havo/vwo")),
    ("havo_vwo_bovenbouw", _("Bovenbouw havo/vwo")),
    ("mbo", _("Mbo")),
]
RELATED_CHOICES = [("ja", _("Ja")), ("nee", _("Nee of weet ik niet"))]
DUTCH_CHOICES = [
    ("native", _("Nederlands is mijn moedertaal")),
    ("C2", "C2"),
    ("C1", "C1"),
    ("B2", "B2"),
    ("B1", "B1"),
    ("A2", "A2"),
    ("A1", "A1"),
]
QUALIFICATION_CHOICES = [
    ("none", _("Geen")),
    ("po", _("Basisonderwijs (pabo)")),
    ("second_degree", _("Tweedegraads")),
    ("limited_second_degree", _("Beperkt tweedegraads (educatieve minor)")),
    ("first_degree", _("Eerstegraads")),
    ("pdg", _("Pedagogisch-didactisch getuigschrift (PDG, mbo)")),
]
TARGET_GROUP_CHOICES = [
    ("side_entrant", _("Ik wil overstappen uit een ander beroep")),
    ("student", _("Ik studeer (niet aan een lerarenopleiding)")),
    ("long_time_student", _("Ik studeer al lang aan een lerarenopleiding")),
    ("returner", _("Ik wil terug in het onderwijs")),
    ("statushouder", _("Ik ben statushouder en was leraar in mijn land")),
    ("teaching_assistant", _("Ik werk als onderwijsassistent")),
    ("school_leader", _("Ik wil schoolleider worden")),
]


class RouteCheckForm(forms.Form):
    education_level = forms.ChoiceField(
        label=_("Wat is je hoogste diploma?"),
        choices=EDUCATION_CHOICES,
        error_messages={"required": _("Kies je hoogste diploma.")},
    )
    target_sector = forms.ChoiceField(
        label=_("Waar wil je lesgeven?"),
        choices=SECTOR_CHOICES,
        error_messages={"required": _("Kies de sector waarin je wilt lesgeven.")},
    )
    target_level = forms.ChoiceField(label=_("Op welk niveau?"), choices=LEVEL_CHOICES, required=False)
    target_subject = forms.ChoiceField(
        label=_("Welk vak wil je geven?"),
        required=False,
        help_text=_("In het basisonderwijs geef je alle vakken; dan kun je dit leeg laten."),
    )
    related = forms.ChoiceField(
        label=_("Is je opleiding verwant aan dat vak?"),
        choices=RELATED_CHOICES,
        widget=forms.RadioSelect,
        required=False,
        help_text=_("Bijvoorbeeld: econometrie is verwant aan wiskunde, rechten niet."),
    )
    dutch_level = forms.ChoiceField(label=_("Hoe goed is je Nederlands?"), choices=DUTCH_CHOICES, required=False)
    has_job_offer = forms.BooleanField(label=_("Ik heb een baan of baanaanbod bij een school"), required=False)
    teaching_qualification = forms.ChoiceField(
        label=_("Welke onderwijsbevoegdheid heb je al?"), choices=QUALIFICATION_CHOICES, required=False
    )
    qualification_subject = forms.ChoiceField(label=_("In welk vak ben je bevoegd?"), required=False)
    foreign_teacher = forms.BooleanField(label=_("Ik ben in het buitenland opgeleid als leraar"), required=False)
    target_group = forms.ChoiceField(
        label=_("Wat past het best bij jou?"), choices=TARGET_GROUP_CHOICES, required=False
    )

    def __init__(self, *args, ruleset: Ruleset, **kwargs):
        super().__init__(*args, **kwargs)
        subjects = [(code, name) for code, name in ruleset.subject_choices() if code != GENERAL_SUBJECT]
        self.fields["target_subject"].choices = [("", _("Geen voorkeur of alle vakken")), *subjects]
        self.fields["qualification_subject"].choices = [("", _("Geen of basisonderwijs")), *subjects]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("related") == "ja" and not cleaned.get("target_subject"):
            self.add_error(
                "target_subject", _("Kies het vak dat je wilt geven; dan kunnen we zien of je opleiding verwant is.")
            )
        qualification = cleaned.get("teaching_qualification") or "none"
        if cleaned.get("qualification_subject") and qualification in ("none", "po"):
            self.add_error(
                "qualification_subject",
                _("Een vak hoort alleen bij een vakbevoegdheid; kies je bevoegdheid of laat het vak leeg."),
            )
        return cleaned

    def profile(self) -> CandidateProfile:
        data = self.cleaned_data
        level = data["education_level"]
        sector = data["target_sector"]
        subject = data.get("target_subject") or ""
        target_subjects = {subject} if subject else set()
        if sector in ("PO", "SO"):
            target_subjects.add(GENERAL_SUBJECT)
        foreign = bool(data.get("foreign_teacher"))
        qualification = data.get("teaching_qualification") or "none"
        return CandidateProfile(
            education_level="vo" if level == HAVO_VWO else level,
            havo_vwo_diploma=level == HAVO_VWO,
            related_subjects={subject} if subject and data.get("related") == "ja" else set(),
            foreign_diploma_country="het buitenland" if foreign else "",
            foreign_teacher_qualification=foreign,
            dutch_level=data.get("dutch_level") or "native",
            target_sectors={sector},
            target_levels={data["target_level"]} if data.get("target_level") else set(),
            target_subjects=target_subjects,
            has_job_offer=bool(data.get("has_job_offer")),
            teaching_qualification=qualification,
            qualification_subject=data.get("qualification_subject") or "",
            target_group=data.get("target_group") or "side_entrant",
        )
