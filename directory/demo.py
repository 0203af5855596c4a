"""Demo data: the organisations the source documents name, with offers and contact points.

Organisations, sectors and legal forms follow the documents; descriptions are our own words.
Every person here is fictional: the documents name real people, the demo never does.
load() is idempotent: an organisation that already exists (by name) is left alone.
"""

from datetime import time, timedelta

from django.utils import timezone

from accounts.models import User
from directory import services
from directory.models import (
    Area,
    Language,
    LegalForm,
    Municipality,
    Organisation,
    Person,
    Sector,
    Suggestion,
    TargetGroup,
)

SKANE = "12"
NETWORK = "NÄTVERKET - Idéburen sektor Skåne"

# name, sector, legal form, municipality codes ("12" = every municipality in Skåne),
# areas, target groups, extra details
ORGANISATIONS = [
    (
        NETWORK,
        "civil_society",
        "non_profit_association",
        [SKANE],
        ["democracy", "social_economy", "funding"],
        ["organisations"],
        {
            "alternate_name": "NÄTVERKET",
            "is_umbrella": True,
            "website": "https://www.natverket.org",
            "street_address": "Ängelholmsgatan 1 A",
            "postal_code": "214 22",
            "city": "Malmö",
            "description": (
                "Regional paraplyorganisation för idéburna organisationer i Skåne. Samlar "
                "medlemmarna kring gemensamma frågor, driver påverkansarbete mot offentliga "
                "aktörer och tog initiativet till ett samverkansråd mellan idéburen och "
                "offentlig sektor."
            ),
            "accessibility": "Entré utan trappsteg. Hörslinga i det stora mötesrummet.",
        },
    ),
    (
        "ABF Malmö",
        "civil_society",
        "non_profit_association",
        ["1280"],
        ["adult_education", "integration", "culture"],
        ["adults", "newly_arrived"],
        {
            "alternate_name": "Arbetarnas bildningsförbund Malmö",
            "city": "Malmö",
            "description": (
                "Studieförbund som ordnar studiecirklar, kurser och kulturprogram. Samarbetar "
                "med föreningar som vill utveckla sin verksamhet genom folkbildning."
            ),
        },
    ),
    (
        "Emmaus Björkå",
        "civil_society",
        "non_profit_association",
        ["1280"],
        ["social_support", "employment", "environment"],
        ["unemployed", "long_term_sick"],
        {
            "city": "Malmö",
            "description": (
                "Solidaritetsrörelse som driver second hand-verksamhet och erbjuder "
                "arbetsträning och gemenskap för människor som står långt från arbetsmarknaden."
            ),
        },
    ),
    (
        "MINE",
        "civil_society",
        "non_profit_association",
        ["1280", "1281"],
        ["employment", "integration"],
        ["newly_arrived", "employers"],
        {
            "description": (
                "Idéburen organisation som arbetar för mångfald och inkludering i arbetslivet "
                "genom att föra samman arbetsgivare och människor med utländsk bakgrund."
            ),
        },
    ),
    (
        "Centrum för Publikt Entreprenörskap",
        "civil_society",
        "non_profit_association",
        [SKANE],
        ["social_economy", "democracy"],
        ["organisations", "public_bodies"],
        {
            "alternate_name": "CPE",
            "description": (
                "Stödjer människor och organisationer som vill förändra samhället genom "
                "socialt entreprenörskap, och bygger broar mellan idéburna och offentliga "
                "aktörer."
            ),
        },
    ),
    (
        "Coompanion Skåne",
        "civil_society",
        "cooperative",
        [SKANE],
        ["social_economy", "employment"],
        ["organisations", "adults"],
        {
            "description": (
                "Kooperativt utvecklingscentrum som ger kostnadsfri rådgivning till den som "
                "vill starta eller utveckla ett kooperativ eller ett socialt företag."
            ),
        },
    ),
    (
        "Föreningen Idrott för Handikappade",
        "civil_society",
        "non_profit_association",
        ["1280"],
        ["sport", "disability_rights"],
        ["people_with_disabilities", "children", "adults"],
        {
            "alternate_name": "FIFH",
            "city": "Malmö",
            "description": (
                "Idrottsförening för barn, unga och vuxna med funktionsnedsättning, med ett "
                "tjugotal idrotter. Representerar funktionsrättsperspektivet i samverkansrådet."
            ),
            "accessibility": "Hela anläggningen är tillgänglig med rullstol, med ledstråk.",
        },
    ),
    (
        "Kommunförbundet Skåne",
        "public",
        "non_profit_association",
        [SKANE],
        ["democracy"],
        ["public_bodies"],
        {
            "description": (
                "De skånska kommunernas gemensamma intresseorganisation. Stödjer kommunerna i "
                "regional samverkan, bland annat med den idéburna sektorn."
            ),
        },
    ),
    (
        "Malmö stad",
        "public",
        "municipality",
        ["1280"],
        ["social_support", "employment", "integration", "democracy"],
        ["everyone"],
        {
            "website": "https://malmo.se",
            "city": "Malmö",
            "description": (
                "Kommunen Malmö. Har en utsedd kontaktväg för civilsamhällets organisationer."
            ),
        },
    ),
    (
        "Svenska ESF-rådet",
        "public",
        "state_agency",
        [],
        ["funding", "employment"],
        ["organisations", "public_bodies"],
        {
            "website": "https://www.esf.se",
            "description": (
                "Statlig myndighet som förvaltar Europeiska socialfonden i Sverige och "
                "finansierar projekt för kompetensförsörjning och inkludering."
            ),
        },
    ),
    (
        "Försäkringskassan",
        "public",
        "state_agency",
        [],
        ["social_support", "health"],
        ["long_term_sick", "families", "people_with_disabilities"],
        {
            "website": "https://www.forsakringskassan.se",
            "description": "Statlig myndighet som administrerar socialförsäkringen.",
        },
    ),
    (
        "Arbetsförmedlingen",
        "public",
        "state_agency",
        [],
        ["employment", "integration"],
        ["unemployed", "newly_arrived", "employers"],
        {
            "website": "https://arbetsformedlingen.se",
            "description": "Statlig myndighet som ansvarar för den offentliga arbetsförmedlingen.",
        },
    ),
    (
        "Region Skåne",
        "public",
        "region",
        [SKANE],
        ["health", "culture", "democracy"],
        ["everyone"],
        {
            "website": "https://www.skane.se",
            "description": (
                "Regionen ansvarar för hälso- och sjukvård, kollektivtrafik, kultur och "
                "regional utveckling i Skåne."
            ),
        },
    ),
    ("Kristianstads kommun", "public", "municipality", ["1290"], ["democracy"], ["everyone"], {}),
    ("Ängelholms kommun", "public", "municipality", ["1292"], ["democracy"], ["everyone"], {}),
    ("Helsingborgs stad", "public", "municipality", ["1283"], ["democracy"], ["everyone"], {}),
    ("Landskrona stad", "public", "municipality", ["1282"], ["democracy"], ["everyone"], {}),
    ("Eslövs kommun", "public", "municipality", ["1285"], ["democracy"], ["everyone"], {}),
    ("Lunds kommun", "public", "municipality", ["1281"], ["democracy"], ["everyone"], {}),
    (
        "Sveriges Kommuner och Regioner",
        "public",
        "non_profit_association",
        [],
        ["democracy"],
        ["public_bodies"],
        {
            "alternate_name": "SKR",
            "description": (
                "Arbetsgivar- och intresseorganisation för Sveriges kommuner och regioner."
            ),
        },
    ),
    (
        "War Child Sverige",
        "civil_society",
        "non_profit_association",
        ["0180"],
        ["children_youth", "integration", "employment"],
        ["young_people", "newly_arrived"],
        {
            "alternate_name": "War Child",
            "description": (
                "Organisation för barn och unga som drabbats av väpnad konflikt. Driver "
                "tillsammans med andra en sektorsöverskridande modell för en mer inkluderande "
                "arbetsmarknad."
            ),
        },
    ),
    (
        "Arbetskraftsförmedlingen REDO",
        "business",
        "company",
        ["0180"],
        ["employment", "integration"],
        ["unemployed", "employers"],
        {
            "alternate_name": "REDO",
            "description": (
                "Rekryteringsföretag som matchar arbetssökande som har svårt att komma in på "
                "arbetsmarknaden med arbetsgivare som behöver personal."
            ),
        },
    ),
    (
        "Nordisk Kompetens",
        "civil_society",
        "non_profit_association",
        ["0180"],
        ["employment", "adult_education"],
        ["young_people", "newly_arrived"],
        {
            "description": "Idéburen organisation bakom projektet Framtidshoppet.",
        },
    ),
    (
        "Svenska Postkodstiftelsen",
        "civil_society",
        "foundation",
        [],
        ["funding"],
        ["organisations"],
        {
            "description": (
                "Stiftelse som fördelar medel från Postkodlotteriet till idéburna projekt."
            ),
        },
    ),
    (
        "Värmdö kommun",
        "public",
        "municipality",
        ["0120"],
        ["employment", "children_youth"],
        ["young_people"],
        {},
    ),
    (
        "KVINFO",
        "civil_society",
        "foreign_organisation",
        [],
        ["gender_equality", "mentoring", "integration"],
        ["foreign_born_women"],
        {
            "country": "DK",
            "city": "København",
            "description": (
                "Dansk kunskapscenter för jämställdhet och mångfald som driver ett stort "
                "mentornätverk för kvinnor med flykting- eller invandrarbakgrund."
            ),
        },
    ),
    (
        "Sammen om en jobb",
        "civil_society",
        "foreign_organisation",
        [],
        ["mentoring", "employment"],
        ["foreign_born_women", "unemployed"],
        {
            "country": "NO",
            "city": "Oslo",
            "description": "Norskt program med frivilliga jobbmentorer för invandrade kvinnor.",
        },
    ),
    (
        "Luckan Integration",
        "civil_society",
        "foreign_organisation",
        [],
        ["mentoring", "integration"],
        ["newly_arrived", "foreign_born_women"],
        {
            "country": "FI",
            "city": "Helsingfors",
            "description": "Finländsk organisation som ger råd och mentorskap till inflyttade.",
        },
    ),
    (
        "Frivilligcenter Aarhus",
        "civil_society",
        "foreign_organisation",
        [],
        ["social_support"],
        ["volunteers", "organisations"],
        {
            "country": "DK",
            "city": "Aarhus",
            "description": (
                "Frivilligcentral som tillsammans med Aarhus kommun tog fram en digital "
                "översikt över lokala sociala erbjudanden (Socialkompass)."
            ),
        },
    ),
]

MEMBERS_OF_NETWORK = [
    "ABF Malmö",
    "Emmaus Björkå",
    "MINE",
    "Centrum för Publikt Entreprenörskap",
    "Coompanion Skåne",
    "Föreningen Idrott för Handikappade",
]

# organisation, title, description, areas, target groups, municipality codes, how to apply
OFFERS = [
    (
        NETWORK,
        "Samverkansråd och workshopdagar",
        "Fyra rådsmöten om året och öppna workshopdagar där idéburna och offentliga aktörer "
        "lyfter hinder för samverkan och letar lösningar tillsammans.",
        ["democracy"],
        ["organisations", "public_bodies"],
        [SKANE],
        "Anmälan via kansliet.",
    ),
    (
        "ABF Malmö",
        "Studiecirklar i svenska",
        "Samtalsgrupper i vardagssvenska med erfarna cirkelledare, dagtid och kvällstid.",
        ["adult_education", "integration"],
        ["newly_arrived", "adults"],
        ["1280"],
        "Kom till en öppen träff eller ring expeditionen.",
    ),
    (
        "Emmaus Björkå",
        "Arbetsträning i second hand",
        "Arbetsträning i butik, sortering och transport med handledare, i egen takt.",
        ["employment", "social_support"],
        ["unemployed", "long_term_sick"],
        ["1280"],
        "Via Arbetsförmedlingen, kommunen eller direkt kontakt.",
    ),
    (
        "Föreningen Idrott för Handikappade",
        "Prova-på-idrott",
        "Testa simning, boccia, innebandy och annat tillsammans med ledare som är vana vid "
        "olika funktionsnedsättningar.",
        ["sport", "disability_rights"],
        ["people_with_disabilities", "children", "young_people"],
        ["1280"],
        "Ingen anmälan behövs till prova-på-tillfällena.",
    ),
    (
        "Coompanion Skåne",
        "Rådgivning för att starta kooperativ",
        "Kostnadsfri rådgivning om affärsidé, föreningsform och finansiering.",
        ["social_economy"],
        ["organisations", "adults"],
        [SKANE],
        "Boka en tid på webbplatsen.",
    ),
    (
        "Malmö stad",
        "Kontaktväg för civilsamhället",
        "En utsedd kontaktperson som hjälper föreningar att hitta rätt i kommunens "
        "förvaltningar, bidrag och samverkansformer.",
        ["democracy"],
        ["organisations"],
        ["1280"],
        "Mejla eller ring kontaktpersonen.",
    ),
    (
        "Svenska ESF-rådet",
        "Stöd inför projektansökan",
        "Informationsträffar och vägledning för den som vill söka medel ur socialfonden.",
        ["funding"],
        ["organisations", "public_bodies"],
        [],
        "Se utlysningarna på webbplatsen.",
    ),
    (
        "Nordisk Kompetens",
        "Framtidshoppet",
        "Ett sektorsöverskridande program där unga får stöd, nätverk och kontakt med "
        "arbetsgivare på vägen till jobb.",
        ["employment", "mentoring"],
        ["young_people", "newly_arrived"],
        ["0180"],
        "Kontakta projektledningen.",
    ),
    (
        "KVINFO",
        "Mentornätverk för kvinnor",
        "Frivilliga mentorer matchas med kvinnor som vill in på arbetsmarknaden.",
        ["mentoring", "gender_equality"],
        ["foreign_born_women"],
        [],
        "Anmälan via webbplatsen.",
    ),
    (
        "Sammen om en jobb",
        "Jobbmentorer",
        "Frivilliga från arbetslivet följer en deltagare under ett halvår.",
        ["mentoring", "employment"],
        ["foreign_born_women", "unemployed"],
        [],
        "Anmälan via webbplatsen.",
    ),
]

# What HSDS asks of a service beyond the list above, per offer title: who may take part,
# referral, cost, languages, regular times (RFC 5545 terms). Written for the demo.
OFFER_DETAILS = {
    "Samverkansråd och workshopdagar": {
        "eligibility": "Idéburna organisationer och offentliga aktörer i Skåne.",
        "languages": ["sv"],
        "schedule_frequency": "MONTHLY",
        "schedule_note": "Rådsmöten fyra gånger om året, workshopdagar enligt kalendern.",
    },
    "Studiecirklar i svenska": {
        "eligibility": "Vuxna som vill öva svenska i vardagen, oavsett nivå.",
        "languages": ["sv", "ar", "fa", "so"],
        "schedule_frequency": "WEEKLY",
        "schedule_days": "MO,WE",
        "opens_at": "18:00",
        "closes_at": "20:00",
        "location": "ABF-huset, Spångatan 38, Malmö",
    },
    "Arbetsträning i second hand": {
        "eligibility": "Personer som står långt från arbetsmarknaden.",
        "referral_required": True,
        "languages": ["sv", "en"],
        "schedule_frequency": "WEEKLY",
        "schedule_days": "MO,TU,WE,TH,FR",
        "opens_at": "09:00",
        "closes_at": "15:00",
    },
    "Prova-på-idrott": {
        "eligibility": "Barn, unga och vuxna med funktionsnedsättning.",
        "languages": ["sv", "swl"],
        "schedule_frequency": "WEEKLY",
        "schedule_days": "SA",
        "opens_at": "10:00",
        "closes_at": "12:00",
    },
    "Rådgivning för att starta kooperativ": {
        "eligibility": "Den som vill starta eller utveckla ett kooperativ eller socialt företag.",
        "languages": ["sv", "en"],
        "location": "online",
    },
    "Kontaktväg för civilsamhället": {"languages": ["sv", "en"]},
    "Stöd inför projektansökan": {"languages": ["sv"]},
    "Framtidshoppet": {
        "eligibility": "Unga 16-29 år, särskilt nyanlända.",
        "languages": ["sv", "en"],
    },
    "Mentornätverk för kvinnor": {
        "eligibility": "Utrikes födda kvinnor som söker arbete.",
        "languages": ["da", "en"],
    },
    "Jobbmentorer": {
        "eligibility": "Deltagare i programmet, efter ett inledande samtal.",
        "languages": ["da"],
    },
}

# Fictional people: (organisation, name, title, gender, email, consent)
CONTACTS = [
    (NETWORK, "Oskar Lindahl", "Verksamhetsutvecklare", "man", "oskar.lindahl@example.org", True),
    (
        "Malmö stad",
        "Karin Blomgren",
        "Kontaktperson för civilsamhället",
        "woman",
        "karin.blomgren@example.org",
        True,
    ),
    (
        "Lunds kommun",
        "Nadia Alami",
        "Samordnare för den lokala överenskommelsen",
        "woman",
        "nadia.alami@example.org",
        True,
    ),
    ("Helsingborgs stad", "Robin Ek", "Föreningsutvecklare", "non_binary", "", True),
    # Kept without consent: it must not appear anywhere public.
    (
        "Kristianstads kommun",
        "Per Sandell",
        "Handläggare föreningsbidrag",
        "man",
        "per.sandell@example.org",
        False,
    ),
]


def _municipalities(codes: list[str]) -> list[Municipality]:
    result = []
    for code in codes:
        if len(code) == 2:
            result.extend(Municipality.objects.filter(region__code=code))
        else:
            result.extend(Municipality.objects.filter(code=code))
    return result


def load() -> None:
    services.taxonomy_sync()
    sectors = {term.code: term for term in Sector.objects.all()}
    forms = {term.code: term for term in LegalForm.objects.all()}
    areas = {term.code: term for term in Area.objects.all()}
    groups = {term.code: term for term in TargetGroup.objects.all()}
    now = timezone.now()

    for name, sector, form, municipalities, area_codes, group_codes, extra in ORGANISATIONS:
        if Organisation.objects.filter(name=name).exists():
            continue
        # One entry is left unconfirmed for over a year so the demo shows the stale mark.
        confirmed_at = now - timedelta(days=400) if name == "Emmaus Björkå" else None
        network = Organisation.objects.filter(name=NETWORK).first()
        umbrellas = [network] if network and name in MEMBERS_OF_NETWORK else []
        services.organisation_create(
            name=name,
            sector=sectors[sector],
            legal_form=forms[form],
            state=Organisation.State.PUBLISHED,
            confirmed_at=confirmed_at,
            municipalities=_municipalities(municipalities),
            areas=[areas[code] for code in area_codes],
            target_groups=[groups[code] for code in group_codes],
            member_of=umbrellas,
            **extra,
        )

    network = Organisation.objects.get(name=NETWORK)

    for org_name, title, description, area_codes, group_codes, codes, how in OFFERS:
        organisation = Organisation.objects.get(name=org_name)
        if organisation.offers.filter(title=title).exists():
            continue
        details = dict(OFFER_DETAILS.get(title, {}))
        languages = Language.objects.filter(code__in=details.pop("languages", []))
        for field in ("opens_at", "closes_at"):
            if field in details:
                details[field] = time.fromisoformat(details[field])
        services.offer_create(
            organisation=organisation,
            title=title,
            description=description,
            areas=[areas[code] for code in area_codes],
            target_groups=[groups[code] for code in group_codes],
            municipalities=_municipalities(codes),
            how_to_apply=how,
            languages=list(languages),
            **details,
        )

    for org_name, person_name, title, gender, email, consent in CONTACTS:
        organisation = Organisation.objects.get(name=org_name)
        if organisation.contact_roles.filter(person__name=person_name).exists():
            continue
        person = Person.objects.filter(name=person_name).first() or services.person_create(
            name=person_name, email=email, gender=gender
        )
        services.contact_role_create(
            organisation=organisation,
            person=person,
            title=title,
            public_email=email if consent else "",
            consent_given_at=now if consent else None,
            consent_note="Muntligt samtycke vid demoinläsning" if consent else "",
        )

    editor = User.objects.filter(email="editor@example.org").first()
    if editor is not None:
        services.organisation_editor_add(organisation=network, user=editor)

    # One correction waits for the secretariat, so the moderation queue and the home pages'
    # "needs attention" lists have something to show.
    if not Suggestion.objects.exists():
        services.suggestion_submit(
            kind=Suggestion.Kind.CORRECTION,
            organisation=network,
            message=(
                "Nätverkets kontor har flyttat inom Malmö; besöksadressen på sidan är den gamla. "
                "Telefontiden är numera tisdagar och torsdagar 9-12."
            ),
            submitter_name="Vera Sandell",
            submitter_email="vera.sandell@example.org",
        )
