"""Demo data: the two workshops of 2014 (seed 000) with exactly the head counts the report
gives, and one coming workshop.

25 April, Malmö: 49 registered and present, 25 women and 24 men. 6 November, Höör: 44
attended, 25 women and 19 men, with more people from the public sector than in April.
Participants are fictional people from real organisations; the contributions restate, in our
own words, the obstacles and needs the report lists. Some are carried to the council's
meetings of 2014. load() is idempotent: a workshop that exists (by title) is left alone.
"""

from datetime import datetime, time, timedelta
from itertools import cycle
from zoneinfo import ZoneInfo

from django.utils import timezone

from directory.models import Organisation, Sector, TargetGroup
from workshops import services
from workshops.models import Registration, Workshop

STOCKHOLM = ZoneInfo("Europe/Stockholm")
COUNCIL_SLUG = "samverkansradet"

WOMEN = [
    "Anna",
    "Karin",
    "Lena",
    "Maria",
    "Sara",
    "Eva",
    "Emma",
    "Johanna",
    "Linnea",
    "Ida",
    "Malin",
    "Frida",
    "Elin",
    "Hanna",
    "Jenny",
    "Therese",
    "Camilla",
    "Sofie",
    "Amra",
    "Leila",
    "Paulina",
    "Ingrid",
    "Agneta",
    "Kristina",
    "Yasmin",
    "Josefin",
    "Cecilia",
    "Helén",
]
MEN = [
    "Anders",
    "Erik",
    "Lars",
    "Per",
    "Mikael",
    "Johan",
    "Fredrik",
    "Daniel",
    "Mattias",
    "Stefan",
    "Niklas",
    "Jonas",
    "Ola",
    "Tobias",
    "Emil",
    "Hassan",
    "Dragan",
    "Viktor",
    "Martin",
    "Björn",
    "Kristoffer",
    "Rasmus",
    "Omar",
    "Gustav",
]
SURNAMES = [
    "Lundgren",
    "Bergström",
    "Holm",
    "Nyberg",
    "Sandberg",
    "Ekström",
    "Lindqvist",
    "Håkansson",
    "Mårtensson",
    "Nordin",
    "Persson",
    "Ahlberg",
    "Jönsson",
    "Ottosson",
    "Wallin",
    "Strand",
    "Blom",
    "Kovačević",
    "Said",
    "Engström",
    "Fransson",
    "Isaksson",
    "Ståhl",
    "Rydén",
    "Hedlund",
    "Malmberg",
    "Östberg",
    "Sjödin",
    "Abdi",
    "Nilsén",
    "Olander",
]

CIVIL = [
    "NÄTVERKET - Idéburen sektor Skåne",
    "ABF Malmö",
    "Emmaus Björkå",
    "MINE",
    "Centrum för Publikt Entreprenörskap",
    "Coompanion Skåne",
    "Föreningen Idrott för Handikappade",
]
PUBLIC = [
    "Malmö stad",
    "Region Skåne",
    "Försäkringskassan",
    "Arbetsförmedlingen",
    "Svenska ESF-rådet",
    "Kommunförbundet Skåne",
]
BUSINESS = "Arbetskraftsförmedlingen REDO"
ACADEMIA = "Lunds universitet"

# (title, theme question, focus, date, start, end, venue, address, city, accessibility,
#  women, men, sectors {code: count}, cancelled, description)
WORKSHOPS = [
    {
        "title": "Workshop i Malmö: Har vi råd att (inte) samverka?",
        "theme_question": "Har vi råd att (inte) samverka?",
        "focus": Workshop.Focus.OBSTACLES,
        "day": (2014, 4, 25),
        "hours": (9, 16),
        "venue": "Mötesplats vid Möllevången",
        "address": "Bergsgatan 20",
        "city": "Malmö",
        "accessibility": (
            "Entré i gatuplan utan trappsteg, hiss till alla våningar och tillgänglig toalett. "
            "Hörslinga i stora salen. Programmet finns i förväg i tillgängligt format."
        ),
        "description": (
            "Dagens frågor: vad vill vi uppnå tillsammans, och vad står i vägen? Idéburna "
            "organisationer och offentliga aktörer som driver eller finansierar projekt "
            "tillsammans samtalar i blandade grupper om hindren för samverkan."
        ),
        "women": 25,
        "men": 24,
        "sectors": {"civil_society": 31, "public": 16, "business": 1, "academia": 1},
        "cancelled": 0,
    },
    {
        "title": "Workshop i Höör: Hur gör vi samverkan?",
        "theme_question": "Hur gör vi samverkan?",
        "focus": Workshop.Focus.HOW,
        "day": (2014, 11, 6),
        "hours": (9, 16),
        "venue": "Konferensgården vid Ringsjön",
        "address": "Sjövägen 4",
        "city": "Höör",
        "accessibility": (
            "Tillgänglig entré med ramp, rum på ett plan och hörslinga. Anpassad kost finns; "
            "ange behov vid anmälan. Närmaste hållplats ligger 300 meter bort."
        ),
        "description": (
            "Från hinder till handling: grupperna kartlägger vilka samverkansinitiativ som redan "
            "finns, vilket stöd de behöver och hur idéerna kan tas hem till den egna "
            "organisationen."
        ),
        "women": 25,
        "men": 19,
        "sectors": {"civil_society": 24, "public": 18, "business": 1, "academia": 1},
        "cancelled": 2,
    },
]

PROGRAMMES = {
    "Har vi råd att (inte) samverka?": [
        (
            time(9, 0),
            "catering",
            "Frukost och registrering",
            "Nina Berglund",
            "Kafé Kvarnen",
            "woman",
        ),
        (
            time(9, 30),
            "talk",
            "Välkomna: därför ett samverkansråd",
            "Birgitta Holmqvist",
            "Samverkansrådet",
            "woman",
        ),
        (
            time(9, 50),
            "panel",
            "Samverkansrådet presenterar sig",
            "Johan Wikström",
            "Samverkansrådet",
            "man",
        ),
        (
            time(10, 30),
            "talk",
            "Inspiration: vad kostar det att inte samverka?",
            "Lena Dahlgren",
            "Fristående föreläsare",
            "woman",
        ),
        (
            time(11, 15),
            "group_work",
            "Vad hindrar oss? Samtal i blandade grupper",
            "Sofia Rask",
            "Processledare",
            "woman",
        ),
        (time(12, 30), "catering", "Lunch", "Erik Svensson", "Restaurang Spira", "man"),
        (
            time(13, 30),
            "entertainment",
            "Forumteater om mötet mellan sektorerna",
            "Karl Nyström",
            "Teatergruppen Bron",
            "man",
        ),
        (
            time(14, 30),
            "group_work",
            "Vad behöver vi? Gruppernas slutsatser",
            "Sofia Rask",
            "Processledare",
            "woman",
        ),
    ],
    "Hur gör vi samverkan?": [
        (time(9, 0), "catering", "Kaffe och registrering", "Ali Hadžić", "Gårdens kök", "man"),
        (
            time(9, 30),
            "talk",
            "Välkomna och återblick på våren",
            "Birgitta Holmqvist",
            "Samverkansrådet",
            "woman",
        ),
        (
            time(9, 50),
            "panel",
            "Rådets ledamöter om året som gått",
            "Oskar Lindahl",
            "Samverkansrådet",
            "man",
        ),
        (
            time(10, 30),
            "group_work",
            "Kartläggning: vilka samverkansinitiativ finns?",
            "Sofia Rask",
            "Processledare",
            "woman",
        ),
        (time(12, 0), "catering", "Lunch", "Maria Lönn", "Gårdens kök", "woman"),
        (
            time(13, 0),
            "talk",
            "Exempel: ett idéburet offentligt partnerskap i praktiken",
            "Petra Åström",
            "Fristående föreläsare",
            "woman",
        ),
        (
            time(13, 45),
            "group_work",
            "Hur tar vi hem det här till vår organisation?",
            "Sofia Rask",
            "Processledare",
            "woman",
        ),
        (time(15, 15), "entertainment", "Musikaliskt avslut", "Tomas Berg", "Duo Ringsjö", "man"),
    ],
}

# (kind, sector, theme, text)
CONTRIBUTIONS = {
    "Har vi råd att (inte) samverka?": [
        (
            "obstacle",
            "public",
            "Mål och förståelse",
            "Sektorerna vill olika saker med samma insats och pratar ofta förbi varandra.",
        ),
        (
            "obstacle",
            "civil_society",
            "Villkor",
            "Idéburna och offentliga aktörer arbetar under helt olika villkor: tid, pengar och mandat.",
        ),
        (
            "obstacle",
            "public",
            "Mål och förståelse",
            "Vi vet för lite om hur den andra sektorn fungerar och vad den kan bidra med.",
        ),
        (
            "obstacle",
            "civil_society",
            "Beslutsvägar",
            "Det tar lång tid att få beslut, och det är svårt att se vem som faktiskt bestämmer.",
        ),
        (
            "obstacle",
            "civil_society",
            "Medfinansiering",
            "Medfinansieringen av projekt är krånglig och lägger nästan allt ansvar på den idéburna parten.",
        ),
        (
            "obstacle",
            "civil_society",
            "Kontinuitet",
            "När en organisation byter struktur försvinner kontakterna som byggts upp mellan sektorerna.",
        ),
        (
            "obstacle",
            "public",
            "Mål och förståelse",
            "Alla chefer ser inte vad samverkan ger, så den prioriteras bort.",
        ),
        (
            "need",
            "public",
            "Mål och förståelse",
            "Mer kunskap om vad idéburna organisationer gör för de målgrupper vi delar.",
        ),
        (
            "need",
            "civil_society",
            "Villkor",
            "Bättre förutsättningar för samverkan, både i den egna organisationen och i rådet.",
        ),
        (
            "need",
            "civil_society",
            "Metoder",
            "Ta fram arbetssätt tillsammans i stället för var för sig.",
        ),
    ],
    "Hur gör vi samverkan?": [
        (
            "need",
            "public",
            "Överblick",
            "En överblick över vilka samverkansinitiativ som redan finns.",
        ),
        (
            "need",
            "civil_society",
            "Överblick",
            "Utbyte av kunskap om de aktörer som finns och som vill vara med.",
        ),
        (
            "support",
            "civil_society",
            "Nätverk",
            "Grupper där vi kan utbyta erfarenheter av samverkan.",
        ),
        (
            "support",
            "civil_society",
            "Resurser",
            "Fria utvecklingsmedel och bidrag till administration, så att parterna blir jämbördiga.",
        ),
        (
            "idea",
            "academia",
            "Nya parter",
            "Ta med näringslivet och akademin i samverkansprocesserna.",
        ),
        ("need", "public", "Metoder", "Metoder för att arbeta tillsammans med unga."),
        ("need", "civil_society", "Resurser", "Långsiktighet i stället för korta projektperioder."),
        (
            "support",
            "civil_society",
            "Processtöd",
            "Hjälp med projektutveckling, processtöd och nätverk.",
        ),
        (
            "support",
            "public",
            "Processtöd",
            "Stöd med avtal och processtöd när vi utvecklar idéburet offentligt partnerskap (IOP).",
        ),
        (
            "idea",
            "public",
            "Nätverk",
            "Regelbundna träffar mellan aktörerna för att bygga kapacitet och kunskap.",
        ),
        (
            "need",
            "civil_society",
            "Beslutsvägar",
            "Tydligare roller och beslutsvägar i båda sektorerna.",
        ),
    ],
}

# (workshop theme, matter title, summary, contribution themes, meeting title prefix or
#  "upcoming" or None, decision, resolution)
MATTERS = [
    (
        "Har vi råd att (inte) samverka?",
        "Strukturen för medfinansiering i projekt",
        "Deltagarna beskrev medfinansieringen som ett av de största hindren.",
        ["Medfinansiering", "Villkor"],
        "Rådsmöte 2",
        "Ett underlag om medfinansiering tas fram till hösten.",
        "Underlaget presenterades på rådets möte i september och skickades till organisationerna.",
    ),
    (
        "Har vi råd att (inte) samverka?",
        "Kunskap om varandras roller",
        "Båda sektorerna efterfrågar mer kunskap om hur den andra arbetar.",
        ["Mål och förståelse"],
        "Rådsmöte 2",
        "Nästa workshop inriktas på hur samverkan görs i praktiken.",
        "",
    ),
    (
        "Hur gör vi samverkan?",
        "Överblick över samverkansinitiativ",
        "Många initiativ finns men ingen har en samlad bild.",
        ["Överblick"],
        "Rådsmöte 4",
        "Rådet verkar för en gemensam katalog över organisationer och initiativ.",
        "",
    ),
    (
        "Hur gör vi samverkan?",
        "Processtöd för idéburet offentligt partnerskap",
        "Stöd med avtal och process efterfrågas av båda sektorerna.",
        ["Processtöd"],
        "upcoming",
        "",
        "",
    ),
    (
        "Hur gör vi samverkan?",
        "Jämbördiga villkor: utvecklingsmedel och administration",
        "Idéburna parter behöver resurser för att kunna delta på lika villkor.",
        ["Resurser"],
        None,
        "",
        "",
    ),
]


def _names(women: int, men: int, offset: int) -> list[tuple[str, str]]:
    surnames = cycle(SURNAMES[offset:] + SURNAMES[:offset])
    people = [(f"{WOMEN[i % len(WOMEN)]} {next(surnames)}", "woman") for i in range(women)]
    people += [(f"{MEN[i % len(MEN)]} {next(surnames)}", "man") for i in range(men)]
    # Interleave so that sectors are not split along gender lines.
    return [person for pair in zip(people[::2], people[1::2], strict=False) for person in pair] + (
        [people[-1]] if len(people) % 2 else []
    )


def _sector_sequence(sectors: dict[str, int]) -> list[str]:
    sequence = []
    pools = {code: count for code, count in sectors.items()}
    while any(pools.values()):
        for code in ("civil_society", "public", "civil_society", "business", "academia"):
            if pools.get(code):
                sequence.append(code)
                pools[code] -= 1
    return sequence


def _council():
    from council.models import Council

    return Council.objects.filter(slug=COUNCIL_SLUG).first()


def _meeting(council, prefix: str):
    from council.models import Meeting

    if council is None:
        return None
    meetings = Meeting.objects.filter(council=council, cancelled_at__isnull=True)
    if prefix == "upcoming":
        return meetings.filter(starts_at__gt=timezone.now()).order_by("starts_at").first()
    return meetings.filter(title__startswith=prefix).first()


def _load_workshop(spec, index, council, sectors, organisations) -> Workshop:
    year, month, day = spec["day"]
    starts = datetime(year, month, day, spec["hours"][0], tzinfo=STOCKHOLM)
    workshop = services.workshop_create(
        council=council,
        title=spec["title"],
        theme_question=spec["theme_question"],
        focus=spec["focus"],
        description=spec["description"],
        starts_at=starts,
        ends_at=starts.replace(hour=spec["hours"][1]),
        venue=spec["venue"],
        address=spec["address"],
        city=spec["city"],
        accessibility=spec["accessibility"],
        capacity=60,
        registration_closes_at=starts - timedelta(days=5),
        state=Workshop.State.PUBLISHED,
        contributions_open=False,
        target_groups=TargetGroup.objects.filter(code__in=["organisations", "public_bodies"]),
    )
    for at, kind, title, name, organisation, gender in PROGRAMMES[spec["theme_question"]]:
        services.programme_item_add(
            workshop=workshop,
            starts_at=at,
            kind=kind,
            title=title,
            contributor_name=name,
            contributor_organisation=organisation,
            contributor_gender=gender,
        )
    people = _names(spec["women"], spec["men"], offset=index * 7)
    pools = {
        "civil_society": cycle(CIVIL),
        "public": cycle(PUBLIC[index:] + PUBLIC[:index]),
        "business": cycle([BUSINESS]),
        "academia": cycle([ACADEMIA]),
    }
    for (name, gender), code in zip(people, _sector_sequence(spec["sectors"]), strict=True):
        org_name = next(pools[code])
        services.registration_import(
            workshop=workshop,
            name=name,
            gender=gender,
            sector=sectors[code],
            organisation=organisations.get(org_name),
            organisation_name=org_name,
        )
    for number in range(spec["cancelled"]):
        services.registration_import(
            workshop=workshop,
            name=f"{WOMEN[-1 - number]} {SURNAMES[-1 - number]}",
            gender="woman",
            sector=sectors["public"],
            organisation=organisations.get("Malmö stad"),
            checked_in=False,
            status=Registration.Status.CANCELLED,
        )
    for kind, code, theme, text in CONTRIBUTIONS[spec["theme_question"]]:
        services.contribution_add(
            workshop=workshop,
            kind=kind,
            text=text,
            theme=theme,
            sector=sectors[code],
            source="staff",
        )
    return workshop


def _load_matters(workshops: dict[str, Workshop], council) -> None:
    from council import services as council_services

    for theme_question, title, summary, themes, meeting_key, decision, resolution in MATTERS:
        workshop = workshops[theme_question]
        contributions = list(workshop.contributions.filter(theme__in=themes, matter__isnull=True))
        if not contributions:
            continue
        meeting = _meeting(council, meeting_key) if meeting_key else None
        if meeting is None:
            services.carried_matter_raise(
                workshop=workshop, contributions=contributions, title=title, summary=summary
            )
            continue
        matter = services.contribution_carry_to_meeting(
            workshop=workshop,
            contributions=contributions,
            meeting=meeting,
            title=title,
            summary=summary,
            backfill=meeting.is_past,
        )
        if decision:
            council_services.decision_record(agenda_item=matter.agenda_item, text=decision)
        if resolution:
            services.carried_matter_resolve(
                matter=matter, resolution=resolution, now=meeting.ends_at + timedelta(days=120)
            )


def _upcoming(council) -> None:
    title = "Workshop: Hur följer vi upp det vi kommit överens om?"
    if Workshop.objects.filter(title=title).exists():
        return
    day = timezone.localdate() + timedelta(days=45)
    starts = datetime(day.year, day.month, day.day, 9, 30, tzinfo=STOCKHOLM)
    workshop = services.workshop_create(
        council=council,
        title=title,
        theme_question="Hur följer vi upp det vi kommit överens om?",
        focus=Workshop.Focus.HOW,
        description=(
            "En dag om uppföljning: hur vet vi att det vi kommit överens om blir av, och hur "
            "återkopplar vi till varandra mellan sektorerna?"
        ),
        starts_at=starts,
        ends_at=starts + timedelta(hours=6),
        venue="Stadsbiblioteket, hörsalen",
        address="Regementsgatan 3",
        city="Malmö",
        accessibility="Entré utan trappsteg, hiss, hörslinga och tillgänglig toalett.",
        capacity=40,
        registration_closes_at=starts - timedelta(days=3),
        state=Workshop.State.PUBLISHED,
        target_groups=TargetGroup.objects.filter(code__in=["organisations", "public_bodies"]),
    )
    for at, kind, title_, name, organisation, gender in [
        (time(9, 30), "talk", "Välkomna", "Birgitta Holmqvist", "Samverkansrådet", "woman"),
        (
            time(10, 0),
            "group_work",
            "Vad följer vi upp, och hur?",
            "Sofia Rask",
            "Processledare",
            "woman",
        ),
        (time(12, 0), "catering", "Lunch", "Daniel Ek", "Bibliotekets café", "man"),
        (
            time(13, 0),
            "panel",
            "Erfarenheter från lokala överenskommelser",
            "Amir Begić",
            "Lunds kommun",
            "man",
        ),
    ]:
        services.programme_item_add(
            workshop=workshop,
            starts_at=at,
            kind=kind,
            title=title_,
            contributor_name=name,
            contributor_organisation=organisation,
            contributor_gender=gender,
        )


def load() -> None:
    council = _council()
    sectors = {term.code: term for term in Sector.objects.all()}
    organisations = {
        org.name: org
        for org in Organisation.objects.filter(name__in=[*CIVIL, *PUBLIC, BUSINESS]).select_related(
            "sector"
        )
    }
    made = {}
    for index, spec in enumerate(WORKSHOPS):
        if Workshop.objects.filter(title=spec["title"]).exists():
            continue
        made[spec["theme_question"]] = _load_workshop(spec, index, council, sectors, organisations)
    if len(made) == len(WORKSHOPS):
        _load_matters(made, council)
    _upcoming(council)
