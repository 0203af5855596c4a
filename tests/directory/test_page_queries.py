"""The editor's organisation form: a fixed, small number of SQL statements however many
offers, contact points and chosen terms the entry has (issue 17: at most 12, also with ten
times the rows), and the same form as before (options, chosen ones, errors)."""

from pathlib import Path

import pytest
from django import forms
from django.db import connection
from django.forms import CheckboxSelectMultiple
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from directory import selectors, services
from directory.forms import FilterableCheckboxes, OrganisationForm, OrganisationStaffForm
from directory.models import Area, Municipality, Organisation, TargetGroup
from tests.factories import make_user

MAX_STATEMENTS = 12


def _grow(org, times: int) -> None:
    for number in range(times):
        services.offer_create(
            organisation=org, title=f"Erbjudande {org.offers.count() + 1}", description="Läxhjälp"
        )
        services.contact_role_create(
            organisation=org,
            title="Kontaktperson",
            person_name=f"Kontakt {org.contact_roles.count() + 1}",
            person_email=f"kontakt{number}-{org.contact_roles.count()}@example.org",
        )
    org.municipalities.set(Municipality.objects.order_by("code")[: 3 * times])
    org.areas.set(Area.objects.all()[:times])
    org.target_groups.set(TargetGroup.objects.all()[:times])


def _statements(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["editor", "secretariat"])
def test_organisation_edit_uses_few_statements_also_with_ten_times_the_rows(
    client, org, editor, secretariat, who, django_assert_max_num_queries
):
    services.organisation_editor_add(organisation=org, user=editor)
    client.force_login(editor if who == "editor" else secretariat)
    _grow(org, 1)
    url = reverse("directory:edit", args=[org.slug])
    client.get(url)
    with django_assert_max_num_queries(MAX_STATEMENTS):
        response = client.get(url)
    assert response.status_code == 200
    small = _statements(client, url)
    _grow(org, 9)
    # The first page after a write reads the form's options afresh (at most 12 in all).
    with django_assert_max_num_queries(MAX_STATEMENTS):
        client.get(url)
    with django_assert_max_num_queries(min(small, MAX_STATEMENTS)):
        response = client.get(url)
    page = response.content.decode()
    assert page.count("Erbjudande ") == 10
    assert page.count("Kontakt ") >= 10
    assert page.count(" checked>") == 27 + min(9, Area.objects.count()) + min(
        9, TargetGroup.objects.count()
    )


# The choice group as it was rendered box by box before the one-pass template tag.
_BOX_BY_BOX = Template(
    "{% for field in form.visible_fields %}"
    "{% if field.field.widget.allow_multiple_selected %}"
    "{% if field.field.widget.filterable %}"
    '{% for choice in field %}<div data-filter-item>{{ choice.tag }} <label for="'
    '{{ choice.id_for_label }}" class="inline-label">{{ choice.choice_label }}</label></div>'
    "{% endfor %}"
    "{% else %}"
    '{% for choice in field %}<div>{{ choice.tag }} <label for="{{ choice.id_for_label }}" '
    'class="inline-label">{{ choice.choice_label }}</label></div>{% endfor %}'
    "{% endif %}{% endif %}{% endfor %}"
)
_ONE_PASS = Template(
    "{% load directory_tags %}{% for field in form.visible_fields %}"
    "{% if field.field.widget.allow_multiple_selected %}"
    "{% if field.field.widget.filterable %}{% choice_boxes field filter_item=True %}"
    "{% else %}{% choice_boxes field %}{% endif %}{% endif %}{% endfor %}"
)


@pytest.mark.parametrize(
    "data",
    [
        None,
        # A posted form with a refused code and a label with characters to escape.
        {"name": "", "municipalities": ["1280", "nope"], "areas": ["social_support"]},
    ],
)
@pytest.mark.parametrize("language", ["sv", "en"])
def test_prepared_options_render_the_same_form_as_the_querysets(org, data, language):
    _grow(org, 2)
    Area.objects.filter(code="social_support").update(
        label_sv='Stöd & "omsorg" <i>', label_en='Support & "care" <i>'
    )
    org = Organisation.objects.get(pk=org.pk)
    with translation.override(language):
        plain = OrganisationStaffForm(data, instance=org)
        prepared = OrganisationStaffForm(
            data, instance=org, vocabularies=selectors.form_vocabularies()
        )
        if data:
            assert not plain.is_valid() and not prepared.is_valid()
            assert plain.errors == prepared.errors
        for name in ("sector", "legal_form", "areas", "target_groups", "municipalities", "state"):
            assert str(prepared[name]) == str(plain[name])
        assert _ONE_PASS.render(Context({"form": prepared})) == _BOX_BY_BOX.render(
            Context({"form": plain})
        )
        shown = (
            "Support &amp; &quot;care&quot;"
            if language == "en"
            else "Stöd &amp; &quot;omsorg&quot;"
        )
        assert f"{shown} &lt;i&gt;" in _ONE_PASS.render(Context({"form": plain}))
        assert ("Civil society" in str(prepared["sector"])) == (language == "en")


def test_prepared_options_validate_like_the_querysets(org):
    data = {
        "version": org.version,
        "name": "Emmaus Björkå",
        "sector": "civil_society",
        "legal_form": "cooperative",
        "municipalities": ["1280", "1281"],
        "areas": ["social_support"],
    }
    form = OrganisationForm(data, instance=org, vocabularies=selectors.form_vocabularies())
    assert form.is_valid(), form.errors
    assert sorted(m.code for m in form.cleaned_data["municipalities"]) == ["1280", "1281"]
    assert form.cleaned_data["legal_form"].code == "cooperative"


def _without_csrf(html: str) -> str:
    """The CSRF token's mask and the script nonce are new on every request."""
    import re

    html = re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "CSRF", html)
    return re.sub(r'nonce="[^"]+"', "NONCE", html)


def _edit_template_as_before(folder) -> list:
    """The edit page's template as it was: every field through includes/field.html (now the
    {% form_field %} tag), in a template folder searched first."""
    from pathlib import Path

    from django.conf import settings

    body = "directory/includes/organisation_edit_body.html"
    source = Path("directory/templates", body).read_text()
    assert "{% form_field field %}" in source
    (folder / "directory" / "includes").mkdir(parents=True)
    (folder / body).write_text(
        source.replace("{% form_field field %}", '{% include "includes/field.html" %}')
    )
    return [{**settings.TEMPLATES[0], "DIRS": [folder, *settings.TEMPLATES[0]["DIRS"]]}]


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("who", ["editor", "secretariat"])
def test_edit_page_is_the_same_with_widgets_written_in_python(
    client, org, editor, secretariat, who, language, settings, monkeypatch, tmp_path
):
    """The organisation form's fields are written by the {% form_field %} tag and their
    widgets by portal.form_rendering: the page (loaded, and posted with errors) is byte for
    byte the one that includes/field.html and Django's widget templates give."""
    from django.forms.renderers import get_default_renderer

    services.organisation_editor_add(organisation=org, user=editor)
    _grow(org, 2)
    Area.objects.filter(code="social_support").update(label_sv='Stöd & "omsorg" <i>')
    client.force_login(editor if who == "editor" else secretariat)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    url = reverse("directory:edit", args=[org.slug])
    posted = {
        "version": org.version,
        "name": "",
        "website": "not a web address",
        "description": 'Rad ett & "två"\n<rad tre>',
        "municipalities": ["1280", "nope"],
        "areas": ["social_support"],
        "initial-name": org.name,
    }
    pages = []
    for before in (False, True):
        if before:
            monkeypatch.setattr(OrganisationForm, "default_renderer", get_default_renderer())
            settings.TEMPLATES = _edit_template_as_before(tmp_path)
        loaded, refused = client.get(url), client.post(url, posted)
        assert loaded.status_code == 200 and refused.status_code == 200
        assert "field--error" in refused.content.decode()
        pages.append([_without_csrf(page.content.decode()) for page in (loaded, refused)])
    assert pages[0] == pages[1]


class _Boxes(forms.Form):
    plain = forms.MultipleChoiceField(
        choices=[("a", 'A & "b"'), (2, "<två>"), ("", "Ingen")],
        widget=CheckboxSelectMultiple(attrs={"class": "boxes", "data-x": "y"}),
    )
    filterable = forms.MultipleChoiceField(
        choices=[("1280", "Malmö"), ("0180", "Stockholm")],
        required=False,
        widget=FilterableCheckboxes,
        help_text="Help",
        disabled=True,
    )
    grouped = forms.MultipleChoiceField(
        choices=[("Skåne", [("1280", "Malmö"), ("1281", "Lund")]), ("0180", "Stockholm")],
        required=False,
        widget=CheckboxSelectMultiple,
    )


@pytest.mark.parametrize("auto_id", ["id_%s", False])
@pytest.mark.parametrize(
    "data", [None, {"plain": ["2", "nope"], "grouped": ["1281"]}], ids=["unbound", "bound"]
)
def test_choice_boxes_shortcut_writes_what_the_subwidgets_give(data, auto_id):
    """Attributes shared by the boxes (class, data-, disabled, aria-invalid after an error),
    no ids at all, a value that is not a string, grouped choices (handed to the subwidgets)."""
    plain = _Boxes(data, initial={"plain": ["a"], "filterable": ["0180"]}, auto_id=auto_id)
    if data:
        assert not plain.is_valid() and "plain" in plain.errors
    one_pass = _ONE_PASS.render(Context({"form": plain}))
    assert one_pass == _BOX_BY_BOX.render(Context({"form": plain}))
    assert ("aria-invalid" in one_pass) == bool(data)
    assert "Lund" in one_pass and " disabled" in one_pass


def _rich_public_entry(org):
    """Everything the public page shows, with the orders to keep: umbrellas and members in
    Swedish order (Å, Ä, Ö after Z), drafts left out, inactive offers and contact points
    without consent left out, labels with characters to escape."""
    from datetime import UTC, datetime

    from directory.models import Sector

    Area.objects.filter(code="social_support").update(
        label_sv='Stöd & "omsorg" <i>', label_en='Support & "care" <i>'
    )
    civil = Sector.objects.get(code="civil_society")
    umbrellas = [
        services.organisation_create(name=name, sector=civil, state=state)
        for name, state in (
            ("Östra nätverket", Organisation.State.PUBLISHED),
            ("Ale paraply", Organisation.State.PUBLISHED),
            ("Zeta förbund", Organisation.State.DRAFT),
        )
    ]
    for name in ("Ängens förening", "Björkens förening", "Åkerns förening"):
        services.organisation_create(
            name=name, sector=civil, state=Organisation.State.PUBLISHED, member_of=[org]
        )
    services.organisation_update(
        organisation=org,
        member_of=umbrellas,
        municipalities=list(Municipality.objects.filter(code__in=["1280", "0180", "1281"])),
        areas=list(Area.objects.filter(code__in=["social_support", "health", "employment"])),
        target_groups=list(TargetGroup.objects.all()[:3]),
        website="https://example.org/?a=1&b=2",
        accessibility="Ramp\nHörslinga",
    )
    for number, active in ((1, True), (2, False), (3, True)):
        services.offer_create(
            organisation=org,
            title=f"Erbjudande {number} <b>",
            description="Rad ett\n\nRad två",
            is_active=active,
            location="Möllan" if number == 3 else "",
            how_to_apply="Ring oss",
            url="https://example.org/erbjudande",
            target_groups=list(TargetGroup.objects.all()[number : number + 2]),
            municipalities=list(Municipality.objects.filter(code__in=["1280", "1283"])),
        )
    consent = datetime(2026, 3, 4, tzinfo=UTC)
    for name, given in (("Kim Kontakt", consent), ("Ulla Utan", None), ("Alva Annan", consent)):
        services.contact_role_create(
            organisation=org,
            title="Kontaktperson & ombud",
            person_name=name,
            public_email="kontakt@example.org",
            public_phone="040-123",
            consent_given_at=given,
        )


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("who", ["anonymous", "editor"])
def test_public_page_is_the_same_as_with_the_prefetched_organisation(
    client, org, editor, who, language, settings, monkeypatch, django_assert_max_num_queries
):
    """The public page reads what it shows in five statements (organisation_page_public);
    the page is byte for byte the one the prefetched organisation gave with the template as
    it was (tests/directory/templates_before/)."""
    from pathlib import Path
    from types import SimpleNamespace

    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    _rich_public_entry(org)
    if who == "editor":
        services.organisation_editor_add(organisation=org, user=editor)
        client.force_login(editor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    url = reverse("directory:detail", args=[org.slug])
    client.get(url)
    with django_assert_max_num_queries(5 if who == "anonymous" else 9):
        now = _without_csrf(client.get(url).content.decode())
    monkeypatch.setattr(
        selectors,
        "organisation_page_public",
        lambda slug: SimpleNamespace(
            organisation=selectors.organisation_detail_public().filter(slug=slug).first()
        ),
    )
    before = Path(__file__).parent / "templates_before"
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [before, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    assert _without_csrf(client.get(url).content.decode()) == now
    for shown in ("Ale paraply</a>, <a", "Björkens förening", "Erbjudande 3 &lt;b&gt;", "Möllan"):
        assert shown in now
    assert now.index("Björkens") < now.index("Åkerns") < now.index("Ängens")
    assert "Zeta" not in now and "Erbjudande 2" not in now and "Ulla Utan" not in now
    assert ("Support &amp; &quot;care&quot;" in now) == (language == "en")


def test_form_vocabularies_come_from_the_cache_until_a_directory_table_changes(db):
    """The options are read once per content version and language: the next editor's page
    reads none of them; a changed label (a write to a directory table) is read afresh."""
    with translation.override("sv"):
        first = selectors.form_vocabularies()
        with CaptureQueriesContext(connection) as queries:
            again = selectors.form_vocabularies()
        assert again == first and not queries
        with translation.override("en"):
            english = selectors.form_vocabularies()
        assert english["sector"] != first["sector"]
        Area.objects.filter(code="health").update(label_sv="Hälsa och välmående")
        fresh = selectors.form_vocabularies()
    assert ("health", "Hälsa och välmående") in fresh["areas"]
    assert ("health", "Hälsa och välmående") not in first["areas"]
    assert len(fresh["municipalities"]) == Municipality.objects.count()


_PAGE_BEFORE = Path(__file__).parent / "markup_before" / "organisation_edit.html"


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("who", ["editor", "secretariat"])
def test_edit_page_is_the_page_the_template_gave_before_the_shared_body(
    client, org, editor, secretariat, who, language, settings
):
    """The page below the header is a shared fragment (the body in its own template): loaded
    (rendered and stored, then from the cache) and posted with errors, the page is the one
    the template before it gave (tests/directory/markup_before/), CSRF tokens and the nonce
    aside."""
    from django.template import engines

    assert settings.PORTAL_FRAGMENT_CACHE_SECONDS > 0
    services.organisation_editor_add(organisation=org, user=editor)
    _grow(org, 2)
    Area.objects.filter(code="social_support").update(
        label_sv='Stöd & "omsorg" <i>', label_en='Support & "care" <i>'
    )
    user = editor if who == "editor" else secretariat
    form_class = OrganisationStaffForm if who == "secretariat" else OrganisationForm
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    url = reverse("directory:edit", args=[org.slug])
    before = engines["django"].from_string(_PAGE_BEFORE.read_text())
    posted = {
        "version": org.version,
        "name": "",
        "website": "not a web address",
        "description": 'Rad ett & "två"\n<rad tre>',
        "municipalities": ["1280", "nope"],
        "areas": ["social_support"],
        "initial-name": org.name,
    }

    def as_before(response, data=None) -> str:
        request = response.wsgi_request
        with translation.override(language):
            organisation = selectors.organisation_for_edit(user, org.slug)
            form = form_class(
                data, instance=organisation, vocabularies=selectors.form_vocabularies()
            )
            if data:
                assert not form.is_valid()
            context = {"organisation": organisation, "form": form, "staff": who == "secretariat"}
            return _without_csrf(before.render(context, request))

    for response, data in (
        (client.get(url), None),  # rendered and stored
        (client.get(url), None),  # from the cache
        (client.post(url, posted), posted),
    ):
        assert response.status_code == 200
        page = _without_csrf(response.content.decode())
        assert page == as_before(response, data)
        assert ("field--error" in page) == bool(data)
        assert page.count("Erbjudande ") == 2 and "\x00" not in page


def test_cached_edit_page_follows_writes_and_keeps_forms_apart(
    client, org, editor, secretariat, settings
):
    """A second view reads neither the entry's terms nor its offers and contact points; a
    write is on the next view; the secretariat's form (with the publication state) is never
    given to an editor from a copy (nor the other way round); a form posted with errors is
    shown only to the person who posted it."""
    services.organisation_editor_add(organisation=org, user=editor)
    other_editor = make_user("organisation_editor")
    services.organisation_editor_add(organisation=org, user=other_editor)
    _grow(org, 1)
    url = reverse("directory:edit", args=[org.slug])
    client.force_login(editor)
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    read = " ".join(query["sql"] for query in queries.captured_queries)
    assert "directory_offer" not in read and "directory_organisation_areas" not in read
    assert len(queries) <= 5
    assert "Erbjudande 1" in page and 'name="state"' not in page
    services.offer_create(organisation=org, title="Nytt erbjudande efter cachen", description="")
    page = client.get(url).content.decode()
    assert "Nytt erbjudande efter cachen" in page and 'name="state"' not in page

    staff = client.__class__()
    staff.force_login(secretariat)
    assert 'name="state"' in staff.get(url).content.decode()
    assert 'name="state"' not in client.get(url).content.decode()

    posted = client.post(url, {"version": org.version, "name": "", "website": "Mitt utkast"})
    assert posted.status_code == 200 and "Mitt utkast" in posted.content.decode()
    colleague = client.__class__()
    colleague.force_login(other_editor)
    assert "Mitt utkast" not in colleague.get(url).content.decode()
    assert "Mitt utkast" not in client.get(url).content.decode()


def test_edit_page_rows_are_the_prefetched_ones(org):
    """organisation_edit_load() reads the terms, offers and contact points through compiled
    queries: the same rows in the same order as the prefetches it replaced."""
    from django.db.models import Prefetch, prefetch_related_objects

    from directory.models import ContactRole, Offer

    _grow(org, 3)
    other = Organisation.objects.exclude(pk=org.pk).first() or org
    if other != org:
        _grow(other, 1)
    loaded = Organisation.objects.get(pk=org.pk)
    selectors.organisation_edit_load(loaded)
    expected = Organisation.objects.get(pk=org.pk)
    prefetch_related_objects(
        [expected],
        "areas",
        "target_groups",
        "municipalities",
        Prefetch("offers", queryset=Offer.objects.order_by("title")),
        Prefetch("contact_roles", queryset=ContactRole.objects.select_related("person")),
    )

    def values(row) -> dict:
        return {k: v for k, v in vars(row).items() if not k.startswith("_")}

    with CaptureQueriesContext(connection) as queries:
        for name in ("areas", "target_groups", "municipalities", "offers", "contact_roles"):
            got = [values(row) for row in getattr(loaded, name).all()]
            assert got == [values(row) for row in getattr(expected, name).all()], name
            assert got or name not in ("municipalities", "offers", "contact_roles")
        people = [role.person.name for role in loaded.contact_roles.all()]
        owners = {offer.organisation.pk for offer in loaded.offers.all()}
    assert not queries.captured_queries
    assert people == [role.person.name for role in expected.contact_roles.all()]
    assert owners == {org.pk}
    with translation.override("sv"):
        assert str(OrganisationForm(instance=loaded)["municipalities"]) == str(
            OrganisationForm(instance=expected)["municipalities"]
        )


@pytest.mark.parametrize("language", ["sv", "en"])
def test_public_page_reads_are_the_querysets_rows(org, language):
    """The page's labels and network run the SQL the ORM compiled once (`CompiledQuery`),
    with each organisation's id: the same rows as the querysets give, for every
    organisation, also after another organisation's page filled the kept SQL."""
    _rich_public_entry(org)
    label = "label_en" if language == "en" else "label_sv"
    with translation.override(language):
        for each in Organisation.objects.order_by("pk"):
            assert [list(row) for row in selectors._page_labels_query(label, each.pk)] == (
                selectors._PAGE_LABEL_READS[label].rows(each.pk)
            )
            network = list(selectors._page_network_query(each.pk))
            assert [list(row) for row in network] == selectors._PAGE_NETWORK_READ.rows(each.pk)
        labels = selectors._page_labels(org.pk)
    assert len(network) == 0 or isinstance(network[0], tuple)
    assert ('Support & "care" <i>' if language == "en" else 'Stöd & "omsorg" <i>') in labels[
        ("areas", None)
    ]
    umbrellas, members = selectors._page_network(org.pk)
    assert [link.name for link in umbrellas] == ["Ale paraply", "Östra nätverket"]
    assert [link.name for link in members] == [
        "Björkens förening",
        "Åkerns förening",
        "Ängens förening",
    ]


def test_public_page_compiles_its_two_unions_once(client, org, settings, monkeypatch):
    """A second view of the public page compiles only its three model reads (organisation,
    offers, contact points), not the unions of the labels and the network again."""
    from django.db.models.sql.compiler import SQLCompiler

    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    _rich_public_entry(org)
    url = reverse("directory:detail", args=[org.slug])
    assert client.get(url).status_code == 200
    compiled = []
    as_sql = SQLCompiler.as_sql

    def counting(self, *args, **kwargs):
        compiled.append(self.query.model)
        return as_sql(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counting)
    assert client.get(url).status_code == 200
    assert len(compiled) <= 3, compiled
