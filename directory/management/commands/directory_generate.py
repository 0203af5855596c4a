"""Generate N synthetic but realistic organisations (for benchmarks and load tests).

Names are Swedish, spread over every municipality, sector and taxonomy. Rows are written in
bulk (not through organisation_create) because a benchmark needs 100,000 of them in minutes;
the fields the service derives (slug, normalised name, confirmation date, the search copies)
are derived here with the same helpers, and the history is left empty on purpose.
"""

import random
import uuid
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from directory.models import (
    Area,
    Language,
    LegalForm,
    Municipality,
    Offer,
    Organisation,
    Sector,
    TargetGroup,
)
from directory.search_index import offer_search_text
from directory.services import normalise, organisation_search_index_refresh

PREFIXES = [
    "Föreningen",
    "Kulturföreningen",
    "Idrottsklubben",
    "Stiftelsen",
    "Kooperativet",
    "Studieförbundet",
    "Nätverket",
    "Bygdegårdsföreningen",
    "Hyresgästföreningen",
    "Pensionärsföreningen",
    "Ungdomens hus",
    "Kvinnojouren",
    "Läxhjälpen",
    "Tjejjouren",
    "Fotbollsklubben",
    "Scoutkåren",
    "Brukarföreningen",
    "Mötesplatsen",
    "Medborgarhuset",
]
WORDS = [
    "Gemenskap",
    "Framtid",
    "Solrosen",
    "Ekbacken",
    "Bryggan",
    "Hoppet",
    "Vägen",
    "Kompassen",
    "Lyktan",
    "Grannskap",
    "Nyfiken",
    "Fyren",
    "Ankaret",
    "Trädet",
    "Källan",
    "Bron",
    "Ljuset",
    "Ängen",
    "Skogsbrynet",
    "Hamnen",
    "Björken",
    "Gläntan",
    "Sjöstjärnan",
    "Vänskap",
]
DESCRIPTIONS = [
    "Vi ordnar aktiviteter för barn och unga på fritiden.",
    "Mötesplats för nyanlända och etablerade i kommunen.",
    "Arbetsträning och praktik för personer som står långt från arbetsmarknaden.",
    "Studiecirklar, språkcaféer och kulturprogram för vuxna.",
    "Idrott för alla, med särskilda grupper för personer med funktionsnedsättning.",
    "Stöd till äldre som känner sig ensamma, med besöksvänner och telefonkedja.",
    "Rådgivning om socialt företagande och kooperativ.",
    "Läxhjälp och mentorskap för skolungdomar.",
]
# Offers: (title, description); three per organisation by default (--offers).
OFFERS = [
    ("Språkcafé", "Samtal på vardagssvenska med volontärer, fika och läxhjälp."),
    ("Arbetsträning", "Arbetsträning i butik och kafé med handledare, i egen takt."),
    ("Studiecirkel", "Studiecirklar med erfarna cirkelledare för vuxna."),
    ("Prova-på-idrott", "Boccia, simning och innebandy för personer med funktionsnedsättning."),
    ("Besöksvän", "Besöksvänner och telefonkedja för äldre som känner sig ensamma."),
    ("Läxhjälp", "Läxhjälp och mentorskap för skolungdomar efter skoltid."),
    ("Rådgivning", "Kostnadsfri rådgivning om kooperativ och socialt företagande."),
    ("Jobbmentor", "Frivilliga mentorer från arbetslivet följer en deltagare ett halvår."),
]
PUBLIC_FORMS = {"public": ["municipality", "state_agency", "public_company"]}


class Command(BaseCommand):
    help = "Create N synthetic published organisations (Swedish names, every municipality)."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--batch", type=int, default=2000)
        parser.add_argument("--offers", type=int, default=3, help="offers per organisation")

    def handle(self, *args, count, seed, batch, offers, **options):
        if count < 1 or count > 2_000_000:
            raise CommandError("count must be between 1 and 2,000,000")
        rng = random.Random(seed)
        sectors = list(Sector.objects.all())
        forms_by_sector = {}
        for form in LegalForm.objects.select_related("usual_sector"):
            if form.usual_sector:
                forms_by_sector.setdefault(form.usual_sector.code, []).append(form)
        municipalities = list(Municipality.objects.all())
        areas = list(Area.objects.all())
        groups = list(TargetGroup.objects.all())
        languages = list(Language.objects.all())
        if not (sectors and municipalities):
            raise CommandError("The taxonomies are missing: run migrate first.")
        start = Organisation.objects.count()
        now = timezone.now()
        Through = Organisation.municipalities.through
        AreaThrough = Organisation.areas.through
        GroupThrough = Organisation.target_groups.through
        made = 0
        while made < count:
            size = min(batch, count - made)
            rows, places = [], []
            for offset in range(size):
                number = start + made + offset + 1
                place = rng.choice(municipalities)
                name = f"{rng.choice(PREFIXES)} {rng.choice(WORDS)} i {place.name} {number}"
                # Weighted like the council's world: mostly civil society.
                sector = rng.choices(sectors, weights=[70, 15, 10, 5][: len(sectors)])[0]
                forms = forms_by_sector.get(sector.code) or [None]
                rows.append(
                    Organisation(
                        uuid=uuid.uuid4(),
                        name=name,
                        name_normalised=normalise(name),
                        slug=f"syntetisk-{number}",
                        sector=sector,
                        legal_form=rng.choice(forms),
                        description=rng.choice(DESCRIPTIONS),
                        city=place.name,
                        state=Organisation.State.PUBLISHED,
                        last_confirmed_at=now - timedelta(days=rng.randint(0, 500)),
                        created_at=now,
                        updated_at=now,
                    )
                )
                places.append(place)
            with transaction.atomic():
                created = Organisation.objects.bulk_create(rows)
                if created[0].pk is None:
                    created = list(
                        Organisation.objects.filter(slug__in=[r.slug for r in rows]).only("id")
                    )
                Through.objects.bulk_create(
                    Through(organisation_id=org.pk, municipality_id=place.pk)
                    for org, place in zip(created, places, strict=True)
                )
                AreaThrough.objects.bulk_create(
                    AreaThrough(organisation_id=org.pk, area_id=area.pk)
                    for org in created
                    for area in rng.sample(areas, 2)
                )
                GroupThrough.objects.bulk_create(
                    GroupThrough(organisation_id=org.pk, targetgroup_id=group.pk)
                    for org in created
                    for group in rng.sample(groups, 2)
                )
                self._offers(rng, created, rows, places, offers, areas, groups, languages, now)
                organisation_search_index_refresh(
                    organisation_ids=[org.pk for org in created], texts=False
                )
            made += size
            self.stdout.write(f"{made}/{count}")
        self.stdout.write(self.style.SUCCESS(f"Created {count} organisations."))

    def _offers(self, rng, created, rows, places, per, areas, groups, languages, now):
        """`per` offers for each new organisation, with the texts the services would keep."""
        if per < 1:
            return
        made, links = [], []
        for org, row, place in zip(created, rows, places, strict=True):
            chosen = rng.sample(OFFERS, min(per, len(OFFERS)))
            for title, description in chosen:
                made.append(
                    Offer(
                        organisation_id=org.pk,
                        uuid=uuid.uuid4(),
                        title=title,
                        description=description,
                        is_free=rng.random() < 0.8,
                        referral_required=rng.random() < 0.2,
                        search_text=offer_search_text(
                            title=title,
                            description=description,
                            eligibility="",
                            organisation_name=row.name,
                            alternate_name="",
                        ),
                        assured_at=now.date(),
                        created_at=now,
                        updated_at=now,
                    )
                )
                links.append(place)
        offers = Offer.objects.bulk_create(made)
        texts = {}
        for offer in offers:
            texts.setdefault(offer.organisation_id, []).append(
                f"{offer.title}. {offer.description}"
            )
        Organisation.objects.bulk_update(
            [Organisation(pk=pk, offers_text=" ".join(parts)) for pk, parts in texts.items()],
            ["offers_text"],
        )
        Offer.municipalities.through.objects.bulk_create(
            Offer.municipalities.through(offer_id=o.pk, municipality_id=p.pk)
            for o, p in zip(offers, links, strict=True)
        )
        Offer.areas.through.objects.bulk_create(
            Offer.areas.through(offer_id=o.pk, area_id=rng.choice(areas).pk) for o in offers
        )
        Offer.target_groups.through.objects.bulk_create(
            Offer.target_groups.through(offer_id=o.pk, targetgroup_id=rng.choice(groups).pk)
            for o in offers
        )
        Offer.languages.through.objects.bulk_create(
            Offer.languages.through(offer_id=o.pk, language_id=lang.pk)
            for o in offers
            for lang in rng.sample(languages, 2)
        )
