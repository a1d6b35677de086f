"""The case table that guards the rules: realistic intakes and the advice they must get.

Each case gives an intake (keyword arguments of CandidateProfile), the EXACT set of routes that
fit, the EXACT set that fit after arranging something (all others must not fit), and phrases that
must appear in a route's explanation (case-insensitive). Optionally the subsidies a route shows.
A rule change is a data edit to rules/routes-<version>.json plus, where the advice should change,
an edit here: the table makes every change to the advice visible in review.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Case:
    name: str
    profile: dict[str, Any]
    fits: frozenset[str]
    fits_after: frozenset[str] = frozenset()
    phrases: dict[str, str] = field(default_factory=dict)
    subsidies: dict[str, frozenset[str]] = field(default_factory=dict)


def case(name, profile, fits=(), fits_after=(), phrases=None, subsidies=None) -> Case:
    return Case(
        name=name,
        profile=profile,
        fits=frozenset(fits),
        fits_after=frozenset(fits_after),
        phrases=phrases or {},
        subsidies={route: frozenset(ids) for route, ids in (subsidies or {}).items()},
    )


LERO = ("lerarenopleiding-voltijd", "lerarenopleiding-deeltijd")
PABO = ("pabo-voltijd", "pabo-deeltijd")
WO_MATHS = {
    "education_level": "wo_master",
    "education_field": "Econometrie",
    "related_subjects": {"wi"},
    "target_sectors": {"VO"},
    "target_subjects": {"wisB"},
    "havo_vwo_diploma": True,
}
STATUSHOUDER_MATHS = {
    "education_level": "wo_master",
    "education_field": "Wiskunde (Damascus)",
    "related_subjects": {"wi"},
    "foreign_diploma_country": "Syrië",
    "foreign_teacher_qualification": True,
    "dutch_level": "B1",
    "target_group": "statushouder",
    "target_sectors": {"VO"},
    "target_subjects": {"wi"},
}
HBO_PO = {
    "education_level": "hbo_bachelor",
    "education_field": "Commerciële economie",
    "target_sectors": {"PO"},
    "target_subjects": {"algemeen"},
}
PDG_CANDIDATE = {
    "education_level": "hbo_bachelor",
    "education_field": "Bouwkunde",
    "related_subjects": {"bwi"},
    "target_sectors": {"MBO"},
    "target_levels": {"mbo"},
    "has_job_offer": True,
    "has_vog": True,
    "hours_available": 24,
}

CASES: list[Case] = [
    # --- Side-entrants (zij-instromers) in secondary education ---------------------------------
    case(
        "zij-instromer met verwante wo-master, wiskunde vo",
        WO_MATHS,
        fits={*LERO, "kopopleiding", "educatieve-master", "ulo-eenjarig"},
        fits_after={"zij-instroom-vo", "zij-instroom-vo-eerstegraads", "lerarenopleiding-duaal"},
        phrases={
            "zij-instroom-vo": "baan of een baanaanbod bij een school nodig",
            "ulo-eenjarig": "jouw studie (econometrie) is verwant aan wiskunde b",
        },
    ),
    case(
        "zij-instromer met niet-verwante wo-master, wiskunde vo",
        {**WO_MATHS, "education_field": "Rechten", "related_subjects": set(), "target_subjects": {"wi"}},
        fits=LERO,
        fits_after={"lerarenopleiding-duaal"},
        phrases={
            "zij-instroom-vo": "voor zij-instroom in wiskunde in het vo heb je een verwant hbo- of wo-diploma nodig; "
            "jouw studie (rechten) is niet verwant aan wiskunde",
            "kopopleiding": "verwante hbo- of wo-bachelor nodig",
        },
    ),
    case(
        "zij-instromer met baan en VOG, verwante wo-master, bovenbouw havo/vwo",
        {**WO_MATHS, "target_levels": {"havo_vwo_bovenbouw"}, "has_job_offer": True, "has_vog": True},
        fits={"zij-instroom-vo-eerstegraads", "educatieve-master", "ulo-eenjarig"},
        phrases={
            "zij-instroom-vo": "mag je niet lesgeven in het voortgezet onderwijs (de bovenbouw van havo/vwo)",
            "zij-instroom-vo-eerstegraads": "deze route past bij wat je hebt opgegeven",
        },
        subsidies={"zij-instroom-vo-eerstegraads": {"zij-instroom"}},
    ),
    case(
        "hbo-ingenieur met baan en VOG, natuurkunde vmbo/onderbouw",
        {
            "education_level": "hbo_bachelor",
            "education_field": "Werktuigbouwkunde",
            "related_subjects": {"na"},
            "target_sectors": {"VO"},
            "target_subjects": {"nask1"},
            "has_job_offer": True,
            "has_vog": True,
        },
        fits={*LERO, "lerarenopleiding-duaal", "kopopleiding", "zij-instroom-vo"},
        phrases={"zij-instroom-vo": "is verwant aan natuur- en scheikunde i"},
        subsidies={"zij-instroom-vo": {"zij-instroom"}},
    ),
    case(
        "zij-instromer die de afgelopen twee jaar een lerarenopleiding niet afmaakte",
        {**WO_MATHS, "has_job_offer": True, "has_vog": True, "unfinished_teacher_training_last_2_years": True},
        fits={*LERO, "lerarenopleiding-duaal", "kopopleiding", "educatieve-master", "ulo-eenjarig"},
        phrases={"zij-instroom-vo": "in de afgelopen twee jaar bij een lerarenopleiding stond ingeschreven"},
    ),
    case(
        "zij-instromer met associate degree: te laag voor zij-instroom en kopopleiding",
        {
            "education_level": "hbo_ad",
            "education_field": "Ad Accountancy",
            "related_subjects": {"ec"},
            "target_sectors": {"VO"},
            "target_subjects": {"ec"},
            "has_job_offer": True,
        },
        fits={*LERO, "lerarenopleiding-duaal"},
        phrases={"zij-instroom-vo": "minstens een hbo- of wo-bachelor nodig; je hebt een associate degree"},
    ),
    case(
        "zij-instromer zonder voorkeur voor een vak, niet-verwante studie",
        {"education_level": "wo_master", "education_field": "Bestuurskunde", "target_sectors": {"VO"}},
        fits=LERO,
        fits_after={"lerarenopleiding-duaal"},
        phrases={"zij-instroom-vo": "niet verwant aan het vak dat je kiest"},
    ),
    # --- mbo-4 for vocational profiles in vmbo ---------------------------------------------------
    case(
        "mbo-4 elektrotechniek naar PIE in het vmbo, met baanaanbod",
        {
            "education_level": "mbo4",
            "education_field": "Eerste monteur elektrotechniek",
            "related_subjects": {"pie"},
            "target_sectors": {"VO"},
            "target_levels": {"vmbo"},
            "target_subjects": {"pie"},
            "has_job_offer": True,
        },
        fits={*LERO, "lerarenopleiding-duaal", "onderwijsassistent"},
        fits_after={"zij-instroom-vmbo-beroepsgericht"},
        phrases={"zij-instroom-vmbo-beroepsgericht": "verklaring omtrent het gedrag"},
    ),
    case(
        "mbo-4 verpleegkunde naar Zorg en Welzijn in het vmbo, met baan en VOG",
        {
            "education_level": "mbo4",
            "education_field": "Verpleegkunde",
            "related_subjects": {"zw"},
            "target_sectors": {"VO"},
            "target_levels": {"vmbo"},
            "target_subjects": {"zw"},
            "has_job_offer": True,
            "has_vog": True,
        },
        fits={*LERO, "lerarenopleiding-duaal", "onderwijsassistent", "zij-instroom-vmbo-beroepsgericht"},
        phrases={"zij-instroom-vmbo-beroepsgericht": "beroepsgericht profiel van het vmbo"},
        subsidies={"zij-instroom-vmbo-beroepsgericht": {"zij-instroom"}},
    ),
    case(
        "mbo-4 wil wiskunde geven in het vmbo: geen beroepsgericht vak",
        {
            "education_level": "mbo4",
            "education_field": "Logistiek",
            "target_sectors": {"VO"},
            "target_levels": {"vmbo"},
            "target_subjects": {"wi"},
            "has_job_offer": True,
            "has_vog": True,
        },
        fits={*LERO, "lerarenopleiding-duaal", "onderwijsassistent"},
        phrases={"zij-instroom-vmbo-beroepsgericht": "alleen in een beroepsgericht profielvak van het vmbo"},
    ),
    case(
        "mbo-4 wil een vmbo-profiel in de bovenbouw havo geven",
        {
            "education_level": "mbo4",
            "education_field": "Horeca",
            "related_subjects": {"hbr"},
            "target_sectors": {"VO"},
            "target_levels": {"havo_vwo_bovenbouw"},
            "target_subjects": {"hbr"},
            "has_job_offer": True,
            "has_vog": True,
        },
        fits={"onderwijsassistent"},
        phrases={"zij-instroom-vmbo-beroepsgericht": "alleen voor het vmbo"},
    ),
    # --- Statushouders and foreign diplomas -----------------------------------------------------
    case(
        "statushouder met buitenlandse wiskundemaster en Nederlands B1, vo",
        STATUSHOUDER_MATHS,
        fits={"duo-erkenning", "schakeltraject-statushouders"},
        fits_after={
            *LERO,
            "lerarenopleiding-duaal",
            "kopopleiding",
            "educatieve-master",
            "ulo-eenjarig",
            "zij-instroom-vo",
            "zij-instroom-vo-eerstegraads",
        },
        phrases={
            "duo-erkenning": "je hebt een diploma uit syrië",
            "kopopleiding": "nederlands op minstens b2; jouw niveau is b1",
        },
    ),
    case(
        "statushouder met buitenlandse wiskundemaster en B1 wil naar het basisonderwijs: eerst B2",
        {**STATUSHOUDER_MATHS, "target_sectors": {"PO"}, "target_subjects": {"algemeen"}, "related_subjects": set()},
        fits={"schakeltraject-statushouders"},
        fits_after={"duo-erkenning", *PABO, "pabo-verkort", "zij-instroom-po", "ad-pep"},
        phrases={
            "duo-erkenning": "voor erkenning voor het basisonderwijs moet je nederlands op minstens b2 zijn",
            "pabo-verkort": "staatsexamen nt2",
        },
    ),
    case(
        "statushouder met B2 en een aangevraagde erkenning, basisonderwijs",
        {
            **STATUSHOUDER_MATHS,
            "dutch_level": "B2",
            "duo_recognition": "requested",
            "target_sectors": {"PO"},
            "target_subjects": {"algemeen"},
        },
        fits={"duo-erkenning", "schakeltraject-statushouders", *PABO, "pabo-verkort", "ad-pep"},
        fits_after={"zij-instroom-po"},
        phrases={"duo-erkenning": "nederlands is voldoende om les te geven in het basisonderwijs"},
    ),
    case(
        "statushouder met Nederlands A2: schakeltraject na NT2",
        {**STATUSHOUDER_MATHS, "dutch_level": "A2"},
        fits={"duo-erkenning"},
        fits_after={
            "schakeltraject-statushouders",
            *LERO,
            "lerarenopleiding-duaal",
            "kopopleiding",
            "educatieve-master",
            "ulo-eenjarig",
            "zij-instroom-vo",
            "zij-instroom-vo-eerstegraads",
        },
        phrases={"schakeltraject-statushouders": "minstens b1 om te beginnen; jouw niveau is a2"},
    ),
    case(
        "buitenlands diploma zonder lerarenopleiding: Nuffic-waardering geeft geen bevoegdheid",
        {
            "education_level": "wo_bachelor",
            "education_field": "Bedrijfskunde (Polen)",
            "foreign_diploma_country": "Polen",
            "dutch_level": "C1",
            "target_sectors": {"VO"},
            "target_subjects": {"ec"},
        },
        fits=LERO,
        fits_after={"lerarenopleiding-duaal"},
        phrases={"duo-erkenning": "dat geeft geen bevoegdheid"},
    ),
    case(
        "in het buitenland opgeleide leraar Engels (geen statushouder), C1, vo",
        {
            "education_level": "wo_bachelor",
            "education_field": "English language teaching",
            "related_subjects": {"en"},
            "foreign_diploma_country": "Verenigd Koninkrijk",
            "foreign_teacher_qualification": True,
            "dutch_level": "C1",
            "target_sectors": {"VO"},
            "target_subjects": {"en"},
        },
        fits={"duo-erkenning", *LERO, "kopopleiding", "educatieve-master"},
        fits_after={"lerarenopleiding-duaal", "zij-instroom-vo"},
        phrases={"schakeltraject-statushouders": "deze trajecten zijn voor statushouders"},
    ),
    # --- Primary education --------------------------------------------------------------------
    case(
        "hbo-afgestudeerde wil de verkorte pabo",
        HBO_PO,
        fits={*PABO, "pabo-verkort", "ad-pep"},
        fits_after={"zij-instroom-po"},
        phrases={"pabo-verkort": "je hebt een hbo-bachelor; nodig is minstens een hbo- of wo-bachelor"},
    ),
    case(
        "wo-afgestudeerde psychologie wil de verkorte pabo",
        {**HBO_PO, "education_level": "wo_bachelor", "education_field": "Psychologie"},
        fits={*PABO, "pabo-verkort", "ad-pep"},
        fits_after={"zij-instroom-po"},
        phrases={"kopopleiding": "mag je niet lesgeven in het basisonderwijs"},
    ),
    case(
        "zij-instromer basisonderwijs met baan en VOG",
        {**HBO_PO, "has_job_offer": True, "has_vog": True},
        fits={*PABO, "pabo-verkort", "ad-pep", "zij-instroom-po"},
        subsidies={"zij-instroom-po": {"zij-instroom"}, "pabo-verkort": set()},
        phrases={"zij-instroom-po": "je hebt een baan of een baanaanbod bij een school"},
    ),
    case(
        "zij-instromer basisonderwijs met Nederlands B1",
        {**HBO_PO, "dutch_level": "B1", "has_job_offer": True, "has_vog": True},
        fits=(),
        fits_after={*PABO, "pabo-verkort", "ad-pep", "zij-instroom-po"},
        phrases={"zij-instroom-po": "moet je nederlands op minstens b2 zijn"},
    ),
    case(
        "hbo-afgestudeerde wil in het speciaal onderwijs werken",
        {**HBO_PO, "target_sectors": {"SO"}},
        # A second-degree qualification also covers vso, so the teacher trainings fit too.
        fits={*PABO, "pabo-verkort", "ad-pep", *LERO},
        fits_after={"zij-instroom-po", "lerarenopleiding-duaal"},
        phrases={
            "zij-instroom-vo": "deze route is voor het voortgezet onderwijs; jij wilt lesgeven in het speciaal onderwijs"
        },
    ),
    case(
        "onderwijsassistent (mbo-4) wil leraar basisonderwijs worden: subsidie",
        {
            "education_level": "mbo4",
            "education_field": "Onderwijsassistent",
            "target_group": "teaching_assistant",
            "target_sectors": {"PO"},
            "target_subjects": {"algemeen"},
            "has_job_offer": True,
            "has_vog": True,
        },
        fits={*PABO, "ad-pep", "onderwijsassistent"},
        phrases={"pabo-verkort": "je hebt een mbo-4-diploma"},
        subsidies={"pabo-deeltijd": {"onderwijsassistent-naar-leraar-po"}},
    ),
    case(
        "havist zonder vervolgopleiding, basisonderwijs",
        {"education_level": "vo", "havo_vwo_diploma": True, "target_sectors": {"PO"}, "target_group": "student"},
        fits={*PABO, "ad-pep", "onderwijsassistent"},
        phrases={"ad-pep": "toegang geeft tot het hbo"},
        subsidies={"pabo-voltijd": set()},
    ),
    case(
        "vmbo-diploma, wil in de klas werken",
        {"education_level": "vo", "target_sectors": {"PO"}},
        fits={"onderwijsassistent"},
        phrases={"pabo-voltijd": "havo-, vwo- of mbo-4-diploma nodig"},
    ),
    case(
        "mbo-3 pedagogisch werk, basisonderwijs",
        {"education_level": "mbo3", "education_field": "Pedagogisch medewerker", "target_sectors": {"PO"}},
        fits={"onderwijsassistent"},
        phrases={"ad-pep": "je hebt een mbo-3-diploma"},
    ),
    # --- Students ------------------------------------------------------------------------------
    case(
        "wo-bachelorstudent biologie met 90 EC: educatieve minor",
        {
            "education_level": "vo",
            "havo_vwo_diploma": True,
            "current_study": "wo_bachelor",
            "study_ec": 90,
            "education_field": "Biologie",
            "related_subjects": {"bio"},
            "target_group": "student",
            "target_sectors": {"VO"},
            "target_levels": {"havo_vwo_onderbouw"},
            "target_subjects": {"bio"},
        },
        fits={*LERO, "educatieve-minor", "onderwijsassistent"},
        fits_after={"lerarenopleiding-duaal"},
        phrases={"educatieve-minor": "je hebt 90 ec van je bachelor"},
    ),
    case(
        "wo-bachelorstudent met 60 EC: minor later",
        {
            "education_level": "vo",
            "havo_vwo_diploma": True,
            "current_study": "wo_bachelor",
            "study_ec": 60,
            "education_field": "Geschiedenis",
            "related_subjects": {"gs"},
            "target_group": "student",
            "target_sectors": {"VO"},
            "target_subjects": {"gs"},
        },
        fits={*LERO, "onderwijsassistent"},
        fits_after={"lerarenopleiding-duaal", "educatieve-minor"},
        phrases={"educatieve-minor": "zodra je 90 ec hebt gehaald"},
    ),
    case(
        "hbo-student (geen lerarenopleiding): geen educatieve minor aan de universiteit",
        {
            "education_level": "vo",
            "havo_vwo_diploma": True,
            "current_study": "other_hbo",
            "study_ec": 120,
            "education_field": "Toegepaste wiskunde",
            "related_subjects": {"wi"},
            "target_group": "student",
            "target_sectors": {"VO"},
            "target_subjects": {"wi"},
        },
        fits={*LERO, "onderwijsassistent"},
        fits_after={"lerarenopleiding-duaal"},
        phrases={"educatieve-minor": "je studeert nu niet aan een wo-bachelor"},
    ),
    case(
        "wo-student die voor de bovenbouw wil: minor is te beperkt",
        {
            "education_level": "vo",
            "havo_vwo_diploma": True,
            "current_study": "wo_bachelor",
            "study_ec": 150,
            "related_subjects": {"sk"},
            "target_group": "student",
            "target_sectors": {"VO"},
            "target_levels": {"havo_vwo_bovenbouw"},
            "target_subjects": {"sk"},
        },
        # Without a diploma yet, only the support role fits the upper years' wish.
        fits={"onderwijsassistent"},
        phrases={"educatieve-minor": "die bevoegdheid geldt voor onderbouw havo/vwo en vmbo-tl"},
    ),
    case(
        "langstudeerder aan de lerarenopleiding geschiedenis",
        {
            "education_level": "vo",
            "havo_vwo_diploma": True,
            "current_study": "teacher_training",
            "study_ec": 150,
            "target_group": "long_time_student",
            "target_sectors": {"VO"},
            "target_subjects": {"gs"},
        },
        fits={*LERO, "onderwijsassistent"},
        fits_after={"lerarenopleiding-duaal"},
        phrases={
            "zij-instroom-vo": "minstens een hbo- of wo-bachelor nodig; je hebt geen diploma na de middelbare school"
        },
    ),
    # --- University routes ---------------------------------------------------------------------
    case(
        "vakmaster geschiedenis wil eerstegraads: eenjarige ULO",
        {
            "education_level": "wo_master",
            "education_field": "Geschiedenis",
            "related_subjects": {"gs"},
            "target_sectors": {"VO"},
            "target_levels": {"havo_vwo_bovenbouw"},
            "target_subjects": {"gs"},
        },
        fits={"ulo-eenjarig", "educatieve-master"},
        fits_after={"zij-instroom-vo-eerstegraads"},
        phrases={"ulo-eenjarig": "je hebt een wo-master; nodig is minstens een wo-master"},
    ),
    case(
        "hbo-master wil de eenjarige ULO: die vraagt een wo-master",
        {
            "education_level": "hbo_master",
            "education_field": "Master Toegepaste Wiskunde",
            "related_subjects": {"wi"},
            "target_sectors": {"VO"},
            "target_subjects": {"wisA"},
        },
        fits={*LERO, "kopopleiding"},
        fits_after={"lerarenopleiding-duaal", "zij-instroom-vo"},
        phrases={"ulo-eenjarig": "minstens een wo-master nodig; je hebt een hbo-master"},
    ),
    case(
        "promovendus natuurkunde, vo zonder niveauvoorkeur",
        {
            "education_level": "phd",
            "education_field": "Natuurkunde",
            "related_subjects": {"na"},
            "target_sectors": {"VO"},
            "target_subjects": {"na"},
            "has_job_offer": True,
            "has_vog": True,
        },
        fits={
            *LERO,
            "lerarenopleiding-duaal",
            "kopopleiding",
            "educatieve-master",
            "ulo-eenjarig",
            "zij-instroom-vo",
            "zij-instroom-vo-eerstegraads",
        },
        phrases={"zij-instroom-vo-eerstegraads": "je hebt een promotie (doctoraat)"},
    ),
    # --- Qualified teachers: second subject, first degree, returners ----------------------------
    case(
        "tweedegraads leraar Engels wil ook Duits geven",
        {
            "education_level": "hbo_bachelor",
            "education_field": "Lerarenopleiding Engels",
            "related_subjects": {"en"},
            "teaching_qualification": "second_degree",
            "qualification_subject": "en",
            "target_sectors": {"VO"},
            "target_subjects": {"du"},
        },
        fits={*LERO, "tweede-bevoegdheid"},
        fits_after={"lerarenopleiding-duaal"},
        phrases={
            "tweede-bevoegdheid": "je wilt lesgeven in duits, een ander vak dan je bevoegdheid",
            "herintreding": "geldt niet voor wat je wilt: duits",
            "hbo-master-leraar": "bouwt voort op je bevoegdheid in engels",
        },
        subsidies={"tweede-bevoegdheid": {"lerarenbeurs"}},
    ),
    case(
        "tweedegraads leraar wiskunde wil eerstegraads worden",
        {
            "education_level": "hbo_bachelor",
            "education_field": "Lerarenopleiding wiskunde",
            "related_subjects": {"wi"},
            "teaching_qualification": "second_degree",
            "qualification_subject": "wi",
            "target_sectors": {"VO"},
            "target_levels": {"havo_vwo_bovenbouw"},
            "target_subjects": {"wisB"},
            "has_job_offer": True,
        },
        fits={"hbo-master-leraar"},
        phrases={
            "hbo-master-leraar": "je bent tweedegraads bevoegd",
            "herintreding": "geldt niet voor wat je wilt",
        },
        subsidies={"hbo-master-leraar": {"lerarenbeurs"}},
    ),
    case(
        "eerstegraads leraar: de hbo-master is niet nodig",
        {
            "education_level": "wo_master",
            "related_subjects": {"ne"},
            "teaching_qualification": "first_degree",
            "qualification_subject": "ne",
            "target_sectors": {"VO"},
            "target_subjects": {"ne"},
        },
        fits={*LERO, "kopopleiding", "educatieve-master", "ulo-eenjarig", "herintreding"},
        fits_after={"lerarenopleiding-duaal", "zij-instroom-vo", "zij-instroom-vo-eerstegraads"},
        phrases={"hbo-master-leraar": "jij hebt een eerstegraads bevoegdheid"},
    ),
    case(
        "herintreder met een oude tweedegraads bevoegdheid Nederlands",
        {
            "education_level": "hbo_bachelor",
            "education_field": "Lerarenopleiding Nederlands (1994)",
            "related_subjects": {"ne"},
            "teaching_qualification": "second_degree",
            "qualification_subject": "ne",
            "target_group": "returner",
            "target_sectors": {"VO"},
            "target_levels": {"vmbo"},
            "target_subjects": {"ne"},
        },
        fits={*LERO, "kopopleiding", "herintreding", "hbo-master-leraar"},
        fits_after={"lerarenopleiding-duaal", "zij-instroom-vo"},
        phrases={"herintreding": "een bevoegdheid verloopt niet"},
    ),
    case(
        "herintreder met pabo-diploma, basisonderwijs",
        {
            "education_level": "hbo_bachelor",
            "education_field": "Pabo",
            "teaching_qualification": "po",
            "target_group": "returner",
            "target_sectors": {"PO"},
            "target_subjects": {"algemeen"},
        },
        fits={*PABO, "pabo-verkort", "ad-pep", "herintreding"},
        fits_after={"zij-instroom-po"},
        phrases={
            "herintreding": "met een bevoegdheid voor het basisonderwijs mag je lesgeven in het basisonderwijs",
            "tweede-bevoegdheid": "je hebt geen ander vak gekozen",
        },
    ),
    case(
        "leraar basisonderwijs wil Engels geven in het vo",
        {
            "education_level": "hbo_bachelor",
            "education_field": "Pabo",
            "teaching_qualification": "po",
            "target_sectors": {"VO"},
            "target_subjects": {"en"},
        },
        fits={*LERO, "tweede-bevoegdheid"},
        fits_after={"lerarenopleiding-duaal"},
        phrases={"herintreding": "je bestaande bevoegdheid (een bevoegdheid voor het basisonderwijs) geldt niet"},
    ),
    case(
        "leraar met beperkte tweedegraads bevoegdheid wil naar de bovenbouw",
        {
            "education_level": "wo_bachelor",
            "education_field": "Aardrijkskunde",
            "related_subjects": {"ak"},
            "teaching_qualification": "limited_second_degree",
            "qualification_subject": "ak",
            "target_sectors": {"VO"},
            "target_levels": {"havo_vwo_bovenbouw"},
            "target_subjects": {"ak"},
        },
        fits={"educatieve-master"},
        phrases={"herintreding": "in het voortgezet onderwijs (de bovenbouw van havo/vwo)"},
    ),
    case(
        "aankomend schoolleider met eerstegraads bevoegdheid keert terug",
        {
            "education_level": "wo_master",
            "related_subjects": {"gs"},
            "teaching_qualification": "first_degree",
            "qualification_subject": "gs",
            "target_group": "school_leader",
            "target_sectors": {"VO"},
            "target_levels": {"havo_vwo_bovenbouw"},
            "target_subjects": {"gs"},
        },
        fits={"educatieve-master", "ulo-eenjarig", "herintreding"},
        fits_after={"zij-instroom-vo-eerstegraads"},
        phrases={"herintreding": "met een eerstegraads bevoegdheid mag je lesgeven"},
    ),
    # --- MBO ------------------------------------------------------------------------------------
    case(
        "hbo bouwkunde met aanstelling in het mbo: PDG",
        PDG_CANDIDATE,
        fits={*LERO, "lerarenopleiding-duaal", "kopopleiding", "pdg-mbo", "zij-instroom-mbo"},
        phrases={"pdg-mbo": "je kunt minstens 16 uur per week werken"},
    ),
    case(
        "PDG met maar 8 uur per week",
        {**PDG_CANDIDATE, "hours_available": 8},
        fits={*LERO, "lerarenopleiding-duaal", "kopopleiding", "zij-instroom-mbo"},
        fits_after={"pdg-mbo"},
        phrases={"pdg-mbo": "minstens 0,4 fte nodig (ongeveer 16 uur per week); je gaf 8 uur op"},
    ),
    case(
        "PDG zonder aanstelling",
        {**PDG_CANDIDATE, "has_job_offer": False},
        fits={*LERO, "kopopleiding"},
        fits_after={"lerarenopleiding-duaal", "pdg-mbo", "zij-instroom-mbo"},
        phrases={"pdg-mbo": "aanstelling als docent bij een mbo-instelling nodig"},
    ),
    case(
        "mbo-4 vakman wil in het mbo lesgeven: PDG vraagt hbo-niveau",
        {**PDG_CANDIDATE, "education_level": "mbo4", "education_field": "Timmerman"},
        fits={*LERO, "lerarenopleiding-duaal"},
        phrases={"pdg-mbo": "minstens hbo-niveau (een hbo- of wo-bachelor) nodig; je hebt een mbo-4-diploma"},
    ),
    case(
        "wo-bachelor Engels wil Engels geven in het mbo",
        {
            "education_level": "wo_bachelor",
            "education_field": "Engelse taal en cultuur",
            "related_subjects": {"en"},
            "target_sectors": {"MBO"},
            "target_subjects": {"en"},
            "has_job_offer": True,
            "has_vog": True,
        },
        fits={*LERO, "lerarenopleiding-duaal", "kopopleiding", "educatieve-master", "zij-instroom-mbo"},
        fits_after={"pdg-mbo"},
        phrases={"zij-instroom-mbo": "deze route past bij wat je hebt opgegeven"},
        subsidies={"zij-instroom-mbo": {"zij-instroom-mbo"}},
    ),
]


def case_problems(item: Case, ruleset, offers=None) -> list[str]:
    """What differs between a case's expectation and the advice `ruleset` gives (empty: passes)."""
    from onderwijsregio.routes.engine import CandidateProfile, advise

    advice = advise(CandidateProfile(**item.profile), ruleset, offers)
    fits = {entry.route.id for entry in advice.fitting}
    after = {entry.route.id for entry in advice.fitting_after}
    problems = []
    if fits != item.fits:
        problems.append(f"fits: unexpected {sorted(fits - item.fits)}, absent {sorted(item.fits - fits)}")
    if after != item.fits_after:
        problems.append(
            f"fits_after: unexpected {sorted(after - item.fits_after)}, absent {sorted(item.fits_after - after)}"
        )
    for route_id, phrase in item.phrases.items():
        explanation = advice.for_route(route_id).explanation
        if phrase.lower() not in explanation.lower():
            problems.append(f"{route_id}: {phrase!r} not in {explanation!r}")
    for route_id, expected in item.subsidies.items():
        shown = {subsidy.id for subsidy in advice.for_route(route_id).subsidies}
        if shown != expected:
            problems.append(f"{route_id}: subsidies {sorted(shown)}, expected {sorted(expected)}")
    return problems
