"""Demo data: the council of the 2014 pre-study (seed 000), as its final report describes it.

Real organisations and figures: 11 representatives (5 civil society, 6 public sector; 3 women,
8 men), one of whom joined in August and one who changed organisation in September; a chair,
a project leader and two process leaders with their periods and work shares; four meetings.
Every person is fictional: the report names real people, the demo never does. The agendas,
decisions and action items are our own plausible reconstruction, in our own words.

load() is idempotent: once the council exists, it is left alone.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.models import User
from council import services
from council.models import Attendance, Council, Role
from directory import services as directory_services
from directory.models import Organisation, Person

SLUG = "samverkansradet"
NETWORK = "NÄTVERKET - Idéburen sektor Skåne"
STOCKHOLM = ZoneInfo("Europe/Stockholm")
YEAR_START, YEAR_END = date(2014, 1, 1), date(2014, 12, 31)

PURPOSE = (
    "Ett samverkansråd där idéburna och offentliga aktörer i Skåne möts på strategisk nivå. "
    "Rådet fångar upp hinder för samverkan tidigt, för dem vidare till de egna "
    "organisationerna och letar tillsammans efter bättre förutsättningar för de målgrupper "
    "sektorerna delar."
)
GOALS = "\n".join(
    [
        "Öka förståelsen och samverkan i och mellan sektorerna",
        "Bygga kanaler där relevant information fångas upp och sprids mellan sektorerna",
        "Göra framtida gemensamma verksamheter och projekt enklare med anpassade metoder",
        "Påverka strukturer så att idéburna aktörer lättare kan driva verksamhet och projekt",
        "Ge största möjliga nytta för individer genom att tillsammans se målgrupper och behov",
    ]
)

# Fictional representatives: name, gender, organisation, role, start, email.
REPRESENTATIVES = [
    ("Birgitta Holmqvist", "woman", "ABF Malmö", Role.CHAIR, YEAR_START),
    ("Helena Sjöberg", "woman", "Emmaus Björkå", Role.MEMBER, YEAR_START),
    ("Mikael Strand", "man", "Centrum för Publikt Entreprenörskap", Role.MEMBER, YEAR_START),
    ("Lars Åkesson", "man", "Coompanion Skåne", Role.MEMBER, YEAR_START),
    ("Tomas Berglund", "man", "Föreningen Idrott för Handikappade", Role.MEMBER, YEAR_START),
    # Joined in August; the demo member account is linked to her.
    ("Maja Ekholm", "woman", "Kommunförbundet Skåne", Role.MEMBER, date(2014, 8, 1)),
    ("Stefan Ljung", "man", "Malmö stad", Role.MEMBER, YEAR_START),
    ("Johan Wikström", "man", "Svenska ESF-rådet", Role.MEMBER, YEAR_START),
    ("Magnus Falk", "man", "Försäkringskassan", Role.MEMBER, YEAR_START),
    ("Amir Begović", "man", "Arbetsförmedlingen", Role.MEMBER, YEAR_START),
    ("Henrik Nord", "man", "Region Skåne", Role.MEMBER, YEAR_START),
]
# Helena Sjöberg moves from Emmaus Björkå to MINE in September.
ORGANISATION_CHANGE = ("Helena Sjöberg", "MINE", date(2014, 9, 1))

MEETINGS = [
    {
        "title": "Rådsmöte 1: gemensam inriktning",
        "starts": datetime(2014, 2, 19, 13, 0),
        "place": "NÄTVERKET - Idéburen sektor Skåne",
        "address": "Ängelholmsgatan 1 A, 214 22 Malmö",
        "items": [
            ("Rådets roll som styrgrupp för förstudien", "Hur rådet styr förstudiens arbete."),
            ("Gemensam inriktning för året", "Fem mål som rådet enas om att arbeta mot."),
            ("Planering av två workshopdagar", "Datum, målgrupp och upplägg för våren och hösten."),
        ],
        "decisions": [
            (1, "Rådet antar fem gemensamma mål för året och förstudien."),
            (2, "Den första workshopen hålls i Malmö den 25 april."),
        ],
        "actions": [
            ("Skicka ut inbjudan till workshopen 25 april", "Oskar Lindahl", date(2014, 3, 20)),
            ("Sammanställ rådets mål i ett kort dokument", "Birgitta Holmqvist", date(2014, 3, 5)),
        ],
        "excused": ["Magnus Falk"],
    },
    {
        "title": "Rådsmöte 2: hinder från workshopen",
        "starts": datetime(2014, 5, 21, 13, 0),
        "place": "Region Skåne, mötesrum Öresund",
        "address": "Dockplatsen 26, Malmö",
        "items": [
            ("Återkoppling från workshopen 25 april", "Vad de 49 deltagarna lyfte som hinder."),
            ("Medfinansiering i ESF-projekt", "Varför idéburna aktörer alltid behöver en part."),
            ("Idéburet offentligt partnerskap (IOP)", "En första genomgång av modellen."),
        ],
        "decisions": [
            (1, "Hindren från workshopen förs in i rådets arbetsplan."),
            (2, "ESF-rådet och Region Skåne tar fram ett underlag om medfinansiering."),
        ],
        "actions": [
            ("Underlag om medfinansiering till nästa möte", "Johan Wikström", date(2014, 9, 1)),
            ("Samla exempel på IOP i andra regioner", "Helena Sjöberg", date(2014, 8, 29)),
        ],
        "excused": ["Lars Åkesson", "Amir Begović"],
    },
    {
        "title": "Rådsmöte 3: IOP och medfinansiering",
        "starts": datetime(2014, 9, 17, 13, 0),
        "place": "Försäkringskassan, konferensrummet",
        "address": "Malmö",
        "items": [
            ("Välkommen till nya ledamöter", "Kommunförbundet Skåne har nu en plats i rådet."),
            ("Underlag om medfinansiering", "Genomgång och diskussion."),
            ("Workshopen i Höör den 6 november", "Tema: hur gör vi samverkan?"),
        ],
        "decisions": [
            (2, "Underlaget skickas till respektive organisation för synpunkter."),
            (3, "Workshopen i Höör inriktas på hur samverkan görs i praktiken."),
        ],
        "actions": [
            ("Bjud in offentliga aktörer särskilt till Höör", "Maja Ekholm", date(2014, 10, 15)),
            ("Boka tillgänglig lokal i Höör", "Sofia Rask", date(2014, 10, 1)),
        ],
        "excused": ["Henrik Nord"],
    },
    {
        "title": "Rådsmöte 4: slutsatser och fortsättning",
        "starts": datetime(2014, 12, 10, 13, 0),
        "place": "NÄTVERKET - Idéburen sektor Skåne",
        "address": "Ängelholmsgatan 1 A, 214 22 Malmö",
        "items": [
            ("Återkoppling från workshopen i Höör", "44 deltagare; behov av stöd och överblick."),
            ("Slutsatser från förstudien", "Strategisk plattform och fysiska dialogmöten."),
            ("Rådet efter förstudien", "Hur rådet fortsätter och blir jämnare sammansatt."),
        ],
        "decisions": [
            (2, "Rådet ställer sig bakom förstudiens slutsatser."),
            (3, "Rådet fortsätter och strävar efter en jämnare könsfördelning vid nyval."),
        ],
        "actions": [
            ("Skriv slutrapporten för förstudien", "Oskar Lindahl", date(2015, 1, 19)),
            ("Föreslå hur rådet kan bli jämnare sammansatt", "Maja Ekholm", date(2015, 3, 1)),
        ],
        "excused": ["Stefan Ljung"],
    },
]
# Who speaks how long at each meeting (seconds), in order: the men of the council take
# most of the time, as the report warned they might.
SPEAKING = [
    ("Birgitta Holmqvist", 420),
    ("Henrik Nord", 360),
    ("Mikael Strand", 300),
    ("Helena Sjöberg", 180),
    ("Johan Wikström", 330),
    ("Stefan Ljung", 240),
    ("Magnus Falk", 210),
    ("Tomas Berglund", 200),
    ("Maja Ekholm", 150),
    ("Lars Åkesson", 260),
    ("Amir Begović", 190),
    ("Birgitta Holmqvist", 120),
    ("Henrik Nord", 150),
]


def _local(value: datetime) -> datetime:
    return value.replace(tzinfo=STOCKHOLM)


def _person(name: str, gender: str, *, user=None) -> Person:
    person = Person.objects.filter(name=name).first()
    if person is None:
        slug = name.lower().replace(" ", ".").replace("å", "a").replace("ä", "a")
        slug = slug.replace("ö", "o").replace("ć", "c")
        person = directory_services.person_create(
            name=name, gender=gender, email=f"{slug}@example.org", user=user
        )
    return person


def _organisation(name: str) -> Organisation:
    return Organisation.objects.get(name=name)


def load() -> None:
    if Council.objects.filter(slug=SLUG).exists():
        return
    council = services.council_create(
        name="Idéburet offentligt samverkansråd i Skåne",
        slug=SLUG,
        purpose=PURPOSE,
        goals=GOALS,
        organisation=_organisation(NETWORK),
    )
    member_user = User.objects.filter(email="member@example.org").first()
    people = {}
    seats = {}
    for name, gender, organisation, role, start in REPRESENTATIVES:
        user = member_user if name == "Maja Ekholm" else None
        people[name] = _person(name, gender, user=user)
        seats[name] = services.membership_create(
            council=council,
            person=people[name],
            organisation=_organisation(organisation),
            role=role,
            start_date=start,
            work_share=10 if role == Role.CHAIR else None,
        )
    # The chair's 10 % belonged to the pre-study year.
    services.membership_change(
        membership=seats["Birgitta Holmqvist"], on=date(2015, 1, 1), work_share=None
    )
    name, organisation, on = ORGANISATION_CHANGE
    services.membership_change(
        membership=seats[name], on=on, organisation=_organisation(organisation)
    )

    # The leadership group (projektledningen) and its work shares.
    network = _organisation(NETWORK)
    people["Oskar Lindahl"] = _person("Oskar Lindahl", "man")
    people["Sofia Rask"] = _person("Sofia Rask", "woman")
    project = services.membership_create(
        council=council,
        person=people["Oskar Lindahl"],
        organisation=network,
        role=Role.PROJECT_LEADER,
        start_date=YEAR_START,
        end_date=YEAR_END,
        work_share=20,
    )
    services.membership_change(membership=project, on=date(2014, 9, 1), work_share=10)
    services.membership_create(
        council=council,
        person=people["Helena Sjöberg"],
        organisation=network,
        role=Role.PROCESS_LEADER,
        start_date=date(2014, 3, 1),
        end_date=date(2014, 8, 31),
        work_share=20,
    )
    services.membership_create(
        council=council,
        person=people["Sofia Rask"],
        organisation=network,
        role=Role.PROCESS_LEADER,
        start_date=date(2014, 9, 1),
        end_date=YEAR_END,
        work_share=30,
    )

    for spec in MEETINGS:
        _meeting(council, spec, people)
    _upcoming(council, member_user)


def _meeting(council, spec, people) -> None:
    starts = _local(spec["starts"])
    meeting = services.meeting_schedule(
        council=council,
        title=spec["title"],
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        place=spec["place"],
        address=spec["address"],
        accessibility=(
            "Entré utan trappsteg, hiss och tillgänglig toalett. Hörslinga i mötesrummet. "
            "Handlingar finns i tillgängligt format."
        ),
        notify=False,
    )
    items = []
    for title, summary in spec["items"]:
        item = services.agenda_item_propose(
            meeting=meeting, title=title, summary=summary, backfill=True
        )
        services.agenda_item_accept(agenda_item=item)
        services.minutes_save(
            agenda_item=item,
            text=f"{summary} Rådet diskuterade punkten och noterade synpunkterna.",
        )
        items.append(item)
    services.agenda_publish(meeting=meeting, notify=False)
    for number, text in spec["decisions"]:
        services.decision_record(agenda_item=items[number - 1], text=text)
    for title, owner, due in spec["actions"]:
        if owner not in people:
            continue
        services.action_item_create(
            meeting=meeting,
            title=title,
            owner=people[owner],
            due_date=due,
            status="done" if due < date(2015, 1, 1) else "in_progress",
        )
    attendances = list(meeting.attendances.select_related("person"))
    services.attendance_record(
        meeting=meeting,
        statuses={
            a.pk: (
                Attendance.Status.EXCUSED
                if a.person.name in spec["excused"]
                else Attendance.Status.PRESENT
            )
            for a in attendances
        },
    )
    invited = {a.person.name for a in attendances} - set(spec["excused"])
    _speakers(meeting, items, people, invited, starts + timedelta(minutes=10))


def _speakers(meeting, items, people, invited, moment) -> None:
    """The turns of SPEAKING shared out over the items (every third to the same item), run
    through the live list of speakers as the chair would: put on the list, given the floor."""
    for index, item in enumerate(items):
        services.meeting_live_item_set(meeting=meeting, agenda_item=item)
        for name, seconds in SPEAKING[index :: len(items)]:
            if name not in invited:
                continue
            entry = services.speaker_request(agenda_item=item, person=people[name])
            services.speaker_give_floor(entry=entry, now=moment)
            moment += timedelta(seconds=seconds)
        services.speaking_turn_stop(meeting=meeting, now=moment)
    services.meeting_live_item_set(meeting=meeting, agenda_item=None)


# Who checks the minutes (justerare): the first two of these who were there.
ADJUSTER_CANDIDATES = ["Helena Sjöberg", "Stefan Ljung", "Mikael Strand", "Johan Wikström"]


def finish() -> None:
    """After every app's demo (workshops add decisions to the 2014 meetings): the 2014
    minutes, taken by the project leader, approved by two members who were present."""
    council = Council.objects.filter(slug=SLUG).first()
    if council is None:
        return
    for meeting in council.meetings.filter(
        starts_at__year=2014, cancelled_at=None, minutes_records__isnull=True
    ).order_by("starts_at"):
        _approve_minutes(meeting)


def _approve_minutes(meeting) -> None:
    present = {
        a.person.name: a.person
        for a in meeting.attendances.select_related("person").filter(
            status=Attendance.Status.PRESENT
        )
    }
    adjusters = [present[name] for name in ADJUSTER_CANDIDATES if name in present][:2]
    invited = {a.person.name: a.person for a in meeting.attendances.select_related("person")}
    services.meeting_minutes_roles_set(
        meeting=meeting, minute_taker=invited.get("Oskar Lindahl"), adjusters=adjusters
    )
    record = services.minutes_circulate(meeting=meeting, notify=False)
    for person in adjusters:
        services.minutes_answer(record=record, adjuster=person, approve=True, notify=False)
    # Approved a week after the meeting, as justering usually is.
    moment = meeting.ends_at + timedelta(days=7)
    record.approvals.update(decided_at=moment)
    type(record).objects.filter(pk=record.pk).update(approved_at=moment)


def _upcoming(council, member_user) -> None:
    """One meeting ahead of today, so the demo shows invitations, replies and proposals."""
    day = timezone.localdate() + timedelta(days=21)
    starts = datetime(day.year, day.month, day.day, 13, 0, tzinfo=STOCKHOLM)
    meeting = services.meeting_schedule(
        council=council,
        title="Rådsmöte: uppföljning av förstudiens slutsatser",
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        place="NÄTVERKET - Idéburen sektor Skåne",
        address="Ängelholmsgatan 1 A, 214 22 Malmö",
        accessibility="Entré utan trappsteg, hiss och hörslinga.",
        notify=False,
    )
    item = services.agenda_item_propose(
        meeting=meeting,
        title="Nyval till rådet och könsfördelningen",
        summary="Hur vi når 60/40 när platser ska fyllas på nytt.",
    )
    services.agenda_item_accept(agenda_item=item)
    services.agenda_item_propose(
        meeting=meeting,
        title="Erfarenhetsutbyte om lokala överenskommelser",
        summary="Förslag från en ledamot: vad kan rådet lära av kommunernas processer?",
        proposed_by=member_user,
    )
