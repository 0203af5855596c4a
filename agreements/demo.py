"""Demo data: the seven Skåne agreement processes the Skåne report followed, as EXAMPLE DATA.

The processes exist (Kristianstad, Ängelholm, Malmö, Helsingborg, Landskrona, Eslöv, Lund), but
their real state is not known to us: every phase, rating, action and log entry here is invented
to show the portal, and each agreement is flagged is_example so the pages say so. The process
leaders are the demo accounts. load() is idempotent: an agreement that already exists (by
title) is left alone. Dates are relative to today so the demo never goes stale.
"""

from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from agreements import services
from agreements.enums import (
    DECISION_STEP_ORDER,
    PARTICIPATION_SCALE,
    PHASE_ORDER,
    PRINCIPLE_ORDER,
    ActionStatus,
    ChecklistState,
    Side,
)
from agreements.models import Agreement, ChecklistItem, Principle
from directory.models import Municipality, Organisation

NETWORK = "NÄTVERKET - Idéburen sektor Skåne"

# The demo accounts (accounts.demo) lead the processes: the process leader and, as the
# second leader the guide recommends, the council's secretariat. No extra accounts are made.
LEADER_EMAILS = ["leader@example.org", "secretariat@example.org"]

INDEP, DIAL, QUAL, LONG, OPEN, DIVERS = PRINCIPLE_ORDER


def _scores(values: tuple[int, int, int, int, int, int], comments: dict | None = None) -> dict:
    comments = comments or {}
    return {
        code: (value, comments.get(code, ""))
        for code, value in zip(PRINCIPLE_ORDER, values, strict=False)
    }


# title, municipality code, public party, extra civil parties, leaders (emails), final phase,
# days ago each phase was entered (from the pre-phase on), forms, rounds (days ago, civil,
# public), actions (title, side, due in days, status), anchoring (level, days ago, reference),
# open questions left per phase (how many of each phase's questions stay unanswered);
# "participation": the latest round also asks the Code of Good Practice questionnaire, with
# each side's typical level per decision step (agenda setting ... reformulation).
INFO, CONS, DIALOGUE, PARTNER, NONE = (
    "information",
    "consultation",
    "dialogue",
    "partnership",
    "none",
)
AGREEMENTS = [
    {
        "title": "Lokal överenskommelse i Kristianstad",
        "municipality": "1290",
        "public": "Kristianstads kommun",
        "civil": [],
        "leaders": ["leader@example.org", "secretariat@example.org"],
        "entered": [1150, 1060, 880, 610, 420],
        "forms": ["operating_grant", "project_funds", "iop"],
        "rounds": [
            (400, (2, 3, 3, 3, 3, 3), (4, 4, 3, 4, 4, 3)),
            (220, (2, 3, 3, 3, 4, 3), (4, 4, 4, 4, 4, 3)),
            (40, (2, 4, 3, 3, 4, 4), (4, 4, 4, 3, 4, 4)),
        ],
        "participation": {
            Side.CIVIL_SOCIETY: (INFO, CONS, INFO, DIALOGUE, CONS, NONE),
            Side.PUBLIC: (CONS, DIALOGUE, INFO, PARTNER, DIALOGUE, CONS),
        },
        "comments": {
            INDEP: (
                "Bidraget är knutet till uppdrag; vi vågar inte alltid säga emot.",
                "Vi upplever att föreningarna talar fritt på mötena.",
            ),
        },
        "actions": [
            (
                "Gör om det riktade bidraget till ett generellt verksamhetsbidrag",
                Side.PUBLIC,
                -20,
                ActionStatus.IN_PROGRESS,
            ),
            (
                "Gemensam utbildning om överenskommelsen för nya nämndledamöter",
                Side.PUBLIC,
                60,
                ActionStatus.PLANNED,
            ),
            (
                "Paraplyet bjuder in fler föreningar till dialogmötet i höst",
                Side.CIVIL_SOCIETY,
                -5,
                ActionStatus.PLANNED,
            ),
        ],
        "anchoring": [
            ("official", 700, "Arbetsgrupp med förvaltningarna"),
            ("manager", 640, "Kommunledningens ledningsgrupp"),
            ("political", 430, "Kommunfullmäktige, beslut § 112 (exempel)"),
        ],
        "next_assessment": 5,
    },
    {
        "title": "Lokal överenskommelse i Ängelholm",
        "municipality": "1292",
        "public": "Ängelholms kommun",
        "civil": [],
        "leaders": ["secretariat@example.org"],
        "entered": [330, 250, 90],
        "forms": ["operating_grant"],
        "rounds": [
            (200, (3, 3, 2, 2, 3, 3), (3, 4, 3, 3, 3, 3)),
            (30, (3, 4, 3, 2, 3, 4), (3, 4, 3, 3, 4, 4)),
        ],
        "actions": [
            (
                "Första utkast till överenskommelsetext",
                Side.CIVIL_SOCIETY,
                30,
                ActionStatus.IN_PROGRESS,
            ),
        ],
        "anchoring": [("official", 120, "Kultur- och fritidsförvaltningen")],
        "next_assessment": 150,
    },
    {
        "title": "Lokal överenskommelse i Malmö",
        "municipality": "1280",
        "public": "Malmö stad",
        "civil": ["ABF Malmö"],
        "leaders": ["leader@example.org", "secretariat@example.org"],
        "entered": [1900, 1800, 1600, 1300, 1100, 300],
        "forms": ["operating_grant", "project_funds", "iop", "procurement"],
        "rounds": [
            (680, (3, 2, 3, 3, 3, 4), (4, 4, 4, 3, 4, 4)),
            (330, (3, 2, 3, 2, 3, 4), (4, 4, 4, 4, 4, 4)),
            (25, (3, 3, 4, 2, 3, 4), (4, 4, 4, 4, 4, 4)),
        ],
        "comments": {
            DIAL: (
                "Svårt att hitta rätt person i förvaltningarna.",
                "Dialogforum hålls fyra gånger om året.",
            ),
            LONG: (
                "Projektmedlen tar slut nästa år.",
                "Överenskommelsen har brett politiskt stöd.",
            ),
        },
        "actions": [
            (
                "Utse en kontaktperson för civilsamhället i varje förvaltning",
                Side.PUBLIC,
                -45,
                ActionStatus.IN_PROGRESS,
            ),
            (
                "Årlig uppföljning med den europeiska koden som stöd",
                Side.CIVIL_SOCIETY,
                90,
                ActionStatus.PLANNED,
            ),
            ("Gemensam konferens om överenskommelsen", Side.PUBLIC, -200, ActionStatus.DONE),
        ],
        "anchoring": [
            ("official", 1400, "Stadskontoret"),
            ("manager", 1350, "Stadsdirektörens ledningsgrupp"),
            ("political", 1120, "Kommunfullmäktige (exempel)"),
        ],
        "next_assessment": 340,
    },
    {
        "title": "Lokal överenskommelse i Helsingborg",
        "municipality": "1283",
        "public": "Helsingborgs stad",
        "civil": [],
        "leaders": ["secretariat@example.org"],
        "entered": [640, 560, 380, 70],
        "forms": ["operating_grant", "iop"],
        "rounds": [
            (300, (3, 3, 3, 3, 2, 3), (3, 3, 3, 3, 4, 3)),
            (50, (4, 3, 3, 3, 2, 4), (4, 4, 3, 3, 4, 4)),
        ],
        "comments": {OPEN: ("Vi vet inte hur remissvaren har använts.", "Allt finns på webben.")},
        "actions": [
            (
                "Presentera överenskommelsen för kommunstyrelsens arbetsutskott",
                Side.PUBLIC,
                14,
                ActionStatus.PLANNED,
            ),
        ],
        "anchoring": [("official", 60, "Arbetsgrupp"), ("manager", 30, "Förvaltningschefer")],
        "next_assessment": 200,
    },
    {
        "title": "Lokal överenskommelse i Landskrona",
        "municipality": "1282",
        "public": "Landskrona stad",
        "civil": [],
        "leaders": ["leader@example.org"],
        "entered": [160, 45],
        # A first round: the municipality answered with one person only, so its side is
        # shown to the process leaders but not publicly.
        "respondent_rounds": {"sizes": (3, 1)},
        "participation": {
            Side.CIVIL_SOCIETY: (NONE, INFO, INFO, CONS, INFO, NONE),
            Side.PUBLIC: (CONS, CONS, INFO, DIALOGUE, CONS, INFO),
        },
        "forms": [],
        "rounds": [],
        "actions": [
            (
                "Kartlägg föreningslivet och ring runt till alla föreningar",
                Side.CIVIL_SOCIETY,
                20,
                ActionStatus.IN_PROGRESS,
            ),
        ],
        "anchoring": [],
        "next_assessment": None,
        "open_left": 2,
    },
    {
        "title": "Lokal överenskommelse i Eslöv",
        "municipality": "1285",
        "public": "Eslövs kommun",
        "civil": [],
        "leaders": ["leader@example.org"],
        "entered": [35],
        # A round open right now, two of six respondents have answered.
        "open_round": 10,
        "forms": [],
        "rounds": [],
        "actions": [],
        "anchoring": [],
        "next_assessment": None,
    },
    {
        "title": "Lokal överenskommelse i Lund",
        "municipality": "1281",
        "public": "Lunds kommun",
        "civil": [],
        "leaders": ["secretariat@example.org"],
        # formulation went back to gathering once (more parties were needed), then on again
        "entered": [900, 820, 600, 400, 120],
        "revert_at": 2,
        "forms": ["operating_grant", "project_funds"],
        "rounds": [
            (260, (3, 3, 3, 3, 3, 2), (3, 4, 3, 3, 3, 4)),
            (20, (4, 3, 3, 3, 3, 2), (4, 4, 3, 4, 3, 4)),
        ],
        "participation": {
            Side.CIVIL_SOCIETY: (CONS, DIALOGUE, INFO, PARTNER, CONS, INFO),
            Side.PUBLIC: (DIALOGUE, DIALOGUE, INFO, PARTNER, DIALOGUE, CONS),
        },
        "comments": {
            DIVERS: ("Små föreningar orkar inte delta på dagtid.", "Alla föreningar är välkomna.")
        },
        "actions": [
            ("Lägg dialogmötena på kvällstid", Side.PUBLIC, 10, ActionStatus.PLANNED),
        ],
        "anchoring": [
            ("official", 200, "Kommunkontoret"),
            ("manager", 170, "Ledningsgruppen"),
            ("political", 125, "Kommunfullmäktige (exempel)"),
        ],
        "next_assessment": 160,
    },
]


# Fictional respondents: invented names, example.org addresses (never real people).
FIRST_NAMES = ["Alva", "Bruno", "Cecilia", "Dawit", "Ebba", "Farid", "Greta", "Hugo", "Ines"]
LAST_NAMES = ["Almqvist", "Bergdahl", "Carlén", "Dahlin", "Ekvall", "Fridén", "Granlund"]
PUBLIC_ROLES = ["official", "manager", "politician"]


def _spread(value: int, count: int) -> list[int]:
    """count answers whose mean is exactly `value`, with some spread where the scale allows."""
    if count >= 3 and 1 < value < 5:
        return [value - 1, value + 1] + [value] * (count - 2)
    return [value] * count


def _on_behalf_round(agreement, held_on, civil_scores, public_scores, by) -> None:
    for side, values in ((Side.CIVIL_SOCIETY, civil_scores), (Side.PUBLIC, public_scores)):
        services.assessment_round_record(
            agreement=agreement,
            held_on=held_on,
            side=side,
            scores=_scores(values),
            recorded_by=by,
        )


def _levels(typical: tuple[str, ...], person: int, size: int) -> dict[str, str]:
    """One respondent's levels: the side's typical level, one step lower for the second
    person and one higher for the third (where the scale allows), so the mean stays put."""
    names = list(PARTICIPATION_SCALE)
    levels = {}
    for step, level in zip(DECISION_STEP_ORDER, typical, strict=True):
        value = PARTICIPATION_SCALE[level]
        if size >= 3 and 0 < value < 4 and person in (1, 2):
            value += -1 if person == 1 else 1
        levels[step] = names[value]
    return levels


def _respondent_round(
    agreement, *, held_on, closes_on, scores, comments, sizes, by, answering=None, levels=None
) -> None:
    """A round answered through the new flow: opened, respondents invited per side (through
    the service, without email), each answering through their link's service call, closed.
    With `levels` (per side, a typical level per decision step) the round also asks the Code
    of Good Practice questionnaire."""
    round_ = services.round_open(
        agreement=agreement,
        held_on=held_on,
        closes_on=None,
        asks_participation=levels is not None,
        opened_by=by,
    )
    civil_party = agreement.civil_parties.order_by("pk").first()
    number = agreement.pk * 7
    for side, size, answer_count in zip(
        (Side.CIVIL_SOCIETY, Side.PUBLIC), sizes, answering or sizes, strict=True
    ):
        per_principle = [_spread(value, size) for value in scores[side]]
        for person in range(size):
            number += 1
            first = FIRST_NAMES[number % len(FIRST_NAMES)]
            last = LAST_NAMES[(number // len(FIRST_NAMES)) % len(LAST_NAMES)]
            respondent, _token = services.respondent_invite(
                round_=round_,
                name=f"{first} {last}",
                email=f"svarande{agreement.pk}-{round_.pk}-{side}-{person}@example.org",
                role="civil_society" if side == Side.CIVIL_SOCIETY else PUBLIC_ROLES[person % 3],
                organisation=civil_party if side == Side.CIVIL_SOCIETY else None,
                invited_by=by,
                notify=False,
            )
            if person >= answer_count:
                continue
            side_comments = comments.get(side, {}) if person == 0 else {}
            services.respondent_answer(
                respondent=respondent,
                scores={
                    code: (per_principle[index][person], side_comments.get(code, ""))
                    for index, code in enumerate(PRINCIPLE_ORDER)
                },
                participation=_levels(levels[side], person, size) if levels else None,
            )
    if answering is None:
        round_ = services.round_status_set(round_=round_, status="closed")
        services.round_dates_update(
            round_=round_,
            expected_version=round_.version,
            held_on=held_on,
            closes_on=closes_on,
        )
    elif closes_on:
        services.round_dates_update(
            round_=round_, expected_version=round_.version, held_on=held_on, closes_on=closes_on
        )


def _leaders() -> dict[str, User]:
    return {user.email: user for user in User.objects.filter(email__in=LEADER_EMAILS)}


def _answer_phase(agreement, phase, *, leave_open: int, by, at) -> None:
    items = list(ChecklistItem.objects.filter(phase=phase, agreement=None).order_by("position"))
    for index, item in enumerate(items):
        if index >= len(items) - leave_open:
            state = ChecklistState.IN_PROGRESS if index == len(items) - leave_open else None
            if state is None:
                continue
        else:
            state = ChecklistState.ANSWERED
        services.checklist_answer_update(
            agreement=agreement,
            item=item,
            state=state,
            note="Diskuterat på dialogmöte (exempel).",
            expected_version=0,
            updated_by=by,
            at=at,
        )


def _one(spec: dict, leaders: dict[str, User], network: Organisation) -> None:
    now = timezone.now()
    today = timezone.localdate()
    ago = lambda days: now - timedelta(days=days)  # noqa: E731
    people = [leaders[email] for email in spec["leaders"] if email in leaders]
    by = people[0] if people else None
    civil = [network] + [org for org in Organisation.objects.filter(name__in=spec["civil"])]
    entered = spec["entered"]
    agreement = services.agreement_create(
        title=spec["title"],
        municipality=Municipality.objects.get(code=spec["municipality"]),
        public_party=Organisation.objects.get(name=spec["public"]),
        civil_parties=civil,
        process_leaders=people,
        summary=(
            "Exempeldata: en överenskommelse mellan kommunen och det lokala civilsamhället om "
            "hur de ska samverka, byggd på de sex principerna."
        ),
        internal_notes="Intern anteckning (exempel): syns bara för processledare och sekretariat.",
        started_on=timezone.localdate(ago(entered[0])),
        collaboration_forms=spec["forms"],
        is_example=True,
        created_by=by,
        at=ago(entered[0]),
    )
    revert_at = spec.get("revert_at")
    for step, days in enumerate(entered[1:], start=1):
        phase = agreement.phase
        leave_open = spec.get("open_left", 1 if step % 2 else 0)
        _answer_phase(agreement, phase, leave_open=leave_open, by=by, at=ago(days + 1))
        if revert_at == step:
            # Formulation started, then went back to gathering for a while.
            services.agreement_phase_advance(
                agreement=agreement,
                expected_version=agreement.version,
                advanced_by=by,
                note="Parterna är samlade (exempel).",
                at=ago(days + 90),
            )
            agreement.refresh_from_db()
            services.agreement_phase_revert(
                agreement=agreement,
                expected_version=agreement.version,
                reverted_by=by,
                note="Fler föreningar ville vara med; tillbaka till samlingsfasen (exempel).",
                at=ago(days + 60),
            )
            agreement.refresh_from_db()
        services.agreement_phase_advance(
            agreement=agreement,
            expected_version=agreement.version,
            advanced_by=by,
            note="Beslutat på dialogmötet (exempel).",
            at=ago(days),
        )
        agreement.refresh_from_db()
    comments = spec.get("comments", {})
    rounds = list(spec["rounds"])
    if not rounds and "respondent_rounds" in spec:
        rounds = [(30, (3, 3, 3, 2, 3, 3), (4, 3, 3, 3, 3, 3))]
    for index, (days, civil_scores, public_scores) in enumerate(rounds):
        held_on = today - timedelta(days=days)
        civil_comments = {code: pair[0] for code, pair in comments.items()}
        public_comments = {code: pair[1] for code, pair in comments.items()}
        if index == 0 and len(rounds) >= 3:
            # The oldest rounds of the longest processes were typed in by the process leader
            # before the parties answered themselves: kept, marked "on behalf of the parties".
            _on_behalf_round(agreement, held_on, civil_scores, public_scores, by)
        else:
            sizes = spec.get("respondent_rounds", {}).get("sizes", (3 + index % 2, 3))
            _respondent_round(
                agreement,
                held_on=held_on,
                closes_on=min(held_on + timedelta(days=14), today),
                scores={Side.CIVIL_SOCIETY: civil_scores, Side.PUBLIC: public_scores},
                comments={Side.CIVIL_SOCIETY: civil_comments, Side.PUBLIC: public_comments},
                sizes=sizes,
                by=by,
                levels=spec.get("participation") if index == len(rounds) - 1 else None,
            )
        services.log_entry_add(
            agreement=agreement,
            kind="meeting",
            occurred_on=held_on,
            title="Skattning av principerna (exempel)",
            note="Båda parter skattade principerna var för sig och jämförde.",
            created_by=by,
        )
    if spec.get("open_round"):
        _respondent_round(
            agreement,
            held_on=today - timedelta(days=spec["open_round"]),
            closes_on=today + timedelta(days=14),
            scores={Side.CIVIL_SOCIETY: (3, 3, 3, 3, 3, 3), Side.PUBLIC: (4, 3, 4, 3, 3, 4)},
            comments={},
            sizes=(3, 3),
            answering=(1, 1),
            by=by,
        )
    principles = {p.code: p for p in Principle.objects.all()}
    for title, side, due_in, status in spec["actions"]:
        services.action_create(
            agreement=agreement,
            title=title,
            owner_side=side,
            due_on=today + timedelta(days=due_in),
            status=status,
            principle=principles.get(INDEP if "bidrag" in title else DIAL),
        )
    for level, days, reference in spec["anchoring"]:
        services.anchoring_record(
            agreement=agreement,
            level=level,
            anchored_on=today - timedelta(days=days),
            reference=reference,
        )
        if level == "political":
            services.log_entry_add(
                agreement=agreement,
                kind="decision",
                occurred_on=today - timedelta(days=days),
                title=reference,
                created_by=by,
            )
    if spec["next_assessment"] is not None:
        services.agreement_next_assessment_set(
            agreement=agreement,
            expected_version=agreement.version,
            on=today + timedelta(days=spec["next_assessment"]),
            updated_by=by,
        )


def load() -> None:
    services.content_sync()
    network = Organisation.objects.filter(name=NETWORK).first()
    if network is None:
        return  # the directory demo did not run: nothing to build the parties from
    leaders = _leaders()
    for spec in AGREEMENTS:
        if Agreement.objects.filter(title=spec["title"]).exists():
            continue
        assert len(spec["entered"]) <= len(PHASE_ORDER)
        _one(spec, leaders, network)
