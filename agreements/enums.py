"""The agreements app's fixed vocabularies. Codes are part of the public JSON API: never rename."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Level(models.TextChoices):
    LOCAL = "local", _("Local (municipality)")
    REGIONAL = "regional", _("Regional (region)")


class Phase(models.TextChoices):
    """The phases of an agreement process, in order (förfas ... uppföljning)."""

    PRE = "pre", _("Pre-phase")
    GATHERING = "gathering", _("Gathering and dialogue")
    FORMULATION = "formulation", _("Formulation")
    ANCHORING = "anchoring", _("Anchoring and decision")
    IMPLEMENTATION = "implementation", _("Implementation")
    FOLLOW_UP = "follow_up", _("Follow-up")


PHASE_ORDER: list[str] = [phase.value for phase in Phase]

# Typical length of each phase in days. The national guide says a signature usually comes
# about two years after the first steps; we split those two years over the four phases before
# signing. After signing the work is continuous: the first year of implementation, then a
# yearly follow-up cycle.
TYPICAL_DAYS: dict[str, int] = {
    Phase.PRE: 90,
    Phase.GATHERING: 180,
    Phase.FORMULATION: 270,
    Phase.ANCHORING: 190,
    Phase.IMPLEMENTATION: 365,
    Phase.FOLLOW_UP: 365,
}


class PrincipleCode(models.TextChoices):
    """The six principles of the national agreement (de sex principerna)."""

    INDEPENDENCE = "independence", _("Independence and autonomy")
    DIALOGUE = "dialogue", _("Dialogue")
    QUALITY = "quality", _("Quality")
    LONG_TERM = "long_term", _("Long-term perspective")
    OPENNESS = "openness", _("Openness and transparency")
    DIVERSITY = "diversity", _("Diversity")


PRINCIPLE_ORDER: list[str] = [code.value for code in PrincipleCode]


class Side(models.TextChoices):
    """The two sides of an agreement: they rate the same principles separately."""

    CIVIL_SOCIETY = "civil_society", _("Civil society")
    PUBLIC = "public", _("Public sector")


class RoundStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("round", "Open")
    CLOSED = "closed", pgettext_lazy("round", "Closed")
    WITHDRAWN = "withdrawn", pgettext_lazy("round", "Withdrawn")


class RoundSource(models.TextChoices):
    RESPONDENTS = "respondents", _("Answered by the parties")
    ON_BEHALF = "on_behalf", _("Entered on behalf of the parties")


class RespondentRole(models.TextChoices):
    """Who answers for a side: the municipality's levels, or a civil-society party."""

    OFFICIAL = "official", _("Official")
    MANAGER = "manager", _("Manager")
    POLITICIAN = "politician", _("Politician")
    CIVIL_SOCIETY = "civil_society", _("Civil-society party")


ROLE_SIDE: dict[str, str] = {
    RespondentRole.OFFICIAL: Side.PUBLIC,
    RespondentRole.MANAGER: Side.PUBLIC,
    RespondentRole.POLITICIAN: Side.PUBLIC,
    RespondentRole.CIVIL_SOCIETY: Side.CIVIL_SOCIETY,
}


class CollaborationForm(models.TextChoices):
    OPERATING_GRANT = "operating_grant", _("Association and operating grants")
    PROJECT_FUNDS = "project_funds", _("Project funds")
    IOP = "iop", _("Idea-based public partnership (IOP)")
    PROCUREMENT = "procurement", _("Procurement")


class AnchoringLevel(models.TextChoices):
    OFFICIAL = "official", _("Official level")
    MANAGER = "manager", _("Manager level")
    POLITICAL = "political", _("Political level")


class ChecklistState(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    ANSWERED = "answered", _("Answered")


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", pgettext_lazy("action", "In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class LogKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    DECISION = "decision", _("Decision")
    DOCUMENT = "document", _("Document")
    OTHER = "other", _("Other")


# A difference of this many steps between the two sides' scores stands out.
GAP_THRESHOLD = 2
# A principle whose latest health is below this is weak and points to its recommendations.
WEAK_BELOW = 3.0
SCORE_MIN, SCORE_MAX = 1, 5
# A side with fewer respondents than this is shown only to the process leader, never publicly.
MIN_RESPONDENTS_PUBLIC = 3


class DecisionStep(models.TextChoices):
    """The steps of a political decision-making process, in order, as the Council of Europe's
    Code of Good Practice for Civil Participation (2009) describes them."""

    AGENDA_SETTING = "agenda_setting", _("Agenda setting")
    DRAFTING = "drafting", _("Drafting")
    DECISION = "decision", _("Decision")
    IMPLEMENTATION = "implementation", _("Implementation")
    MONITORING = "monitoring", _("Monitoring")
    REFORMULATION = "reformulation", _("Reformulation")


DECISION_STEP_ORDER: list[str] = [step.value for step in DecisionStep]


class ParticipationLevel(models.TextChoices):
    """How far civil society takes part in a step, from none to partnership (the code's four
    levels of participation, plus "none" and "don't know")."""

    NONE = "none", _("None")
    INFORMATION = "information", _("Information")
    CONSULTATION = "consultation", _("Consultation")
    DIALOGUE = "dialogue", pgettext_lazy("participation level", "Dialogue")
    PARTNERSHIP = "partnership", _("Partnership")
    UNKNOWN = "unknown", _("Don't know")


# The levels as steps on a scale (none 0 ... partnership 4); "don't know" is not on it and is
# counted apart, never pooled.
PARTICIPATION_SCALE: dict[str, int] = {
    ParticipationLevel.NONE: 0,
    ParticipationLevel.INFORMATION: 1,
    ParticipationLevel.CONSULTATION: 2,
    ParticipationLevel.DIALOGUE: 3,
    ParticipationLevel.PARTNERSHIP: 4,
}
# Between the sides' mean levels of participation, a whole level or more stands out.
PARTICIPATION_GAP_THRESHOLD = 1.0
