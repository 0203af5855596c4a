"""Content data: the principles' descriptions, their recommendations and the checklist questions.

Written in our own words from the national guide to building an agreement and the Skåne
report on seven local agreement processes (see the project's seed documents), plus the
questions a cross-sector collaboration model suggests asking before starting. Stored as data
in both languages (not gettext): services.content_sync() writes it to the database, and a data
migration runs it once so every installation has it.
"""

# code: (Swedish description, English description)
PRINCIPLES: dict[str, tuple[str, str]] = {
    "independence": (
        "Idéburna organisationer bestämmer själva sitt uppdrag utifrån sina värderingar. De ska "
        "kunna granska, kritisera och driva opinion utan att det kostar dem samverkan eller "
        "ekonomiskt stöd från kommunen eller regionen.",
        "Civil-society organisations decide their own mission from their own values. They must be "
        "able to scrutinise, criticise and campaign without losing the collaboration or the "
        "funding they get from the municipality or region.",
    ),
    "dialogue": (
        "Parterna möts regelbundet, i öppna former och med respekt för varandras villkor. "
        "Dialogen ska ge bättre underlag för beslut och bygga förtroende åt båda hållen.",
        "The parties meet regularly, in open forms and with respect for each other's "
        "circumstances. The dialogue should improve the basis for decisions and build trust in "
        "both directions.",
    ),
    "quality": (
        "Idéburen verksamhet har en egen sorts kvalitet, ofta närheten till de människor den "
        "finns till för. När parterna bestämmer krav och utvärderar ska den särarten räknas, "
        "inte bara de krav som lagen ställer på offentlig verksamhet.",
        "Civil-society work has its own kind of quality, often its closeness to the people it "
        "serves. When the parties set requirements and evaluate, that distinct character must "
        "count, not only the legal requirements placed on public services.",
    ),
    "long_term": (
        "Idéburna organisationer behöver kunna planera för mer än ett projekt i taget. Villkoren "
        "för samverkan bör vila på brett politiskt stöd så att de håller över valperioder.",
        "Civil-society organisations need to plan for more than one project at a time. The terms "
        "of collaboration should rest on broad political support so that they last across "
        "election periods.",
    ),
    "openness": (
        "Förtroende kräver att båda sektorerna är öppna om hur de arbetar och beslutar, så långt "
        "det går utan att skada de människor och organisationer som berörs. Alla som vill ska "
        "kunna se processen och engagera sig i den.",
        "Trust needs both sectors to be open about how they work and decide, as far as that is "
        "possible without harming the people and organisations involved. Anyone who wants to "
        "should be able to follow the process and take part in it.",
    ),
    "diversity": (
        "Civilsamhället är brett, med olika värderingar, metoder och storlekar. Den bredden är en "
        "tillgång: samverkan ska vara öppen för nya aktörer och erbjuda olika former av stöd "
        "och avtal.",
        "Civil society is broad, with different values, methods and sizes. That breadth is an "
        "asset: collaboration should be open to newcomers and offer different forms of support "
        "and contract.",
    ),
}

# (principle, code, Swedish title, English title, Swedish text, English text)
RECOMMENDATIONS: list[tuple[str, str, str, str, str, str]] = [
    (
        "independence",
        "shared-benefit",
        "Gör nyttan tydlig för båda",
        "Make the benefit clear to both",
        "Skriv ner vad var och en av parterna vinner på överenskommelsen. Den är inte en tjänst "
        "som kommunen ger föreningslivet och inte heller kommunens förlängda arm; när båda ser "
        "sitt eget värde tar båda initiativ.",
        "Write down what each party gains from the agreement. It is neither a service the "
        "municipality provides to associations nor an extension of the municipality; when both "
        "see their own gain, both take the initiative.",
    ),
    (
        "independence",
        "general-support",
        "Ge stöd som organisationen själv styr",
        "Give support the organisation controls",
        "Finansiera den idéburna partens deltagande med ett generellt bidrag, gärna till en "
        "paraplyorganisation, snarare än med pengar knutna till ett visst uppdrag. Stöd kan "
        "också vara kunskap, lokaler eller rådgivning.",
        "Fund the civil-society side's participation with a general grant, preferably to an "
        "umbrella organisation, rather than money tied to a specific assignment. Support can "
        "also be knowledge, premises or advice.",
    ),
    (
        "dialogue",
        "platform",
        "Bygg kontaktvägar innan krisen",
        "Build contact paths before a crisis",
        "Använd överenskommelsen som en stående mötesplats där parterna lär känna varandra, så "
        "att samverkan går fort när något oväntat händer i kommunen.",
        "Use the agreement as a standing meeting place where the parties get to know each "
        "other, so that collaboration is quick when something unexpected happens.",
    ),
    (
        "dialogue",
        "shared-ownership",
        "Låt båda parter äga arbetet",
        "Let both parties own the work",
        "Utforma innehåll, arbetssätt och handlingsplan tillsammans. En kommun som skriver "
        "allt själv riskerar att tappa det idéburna perspektivet helt.",
        "Shape the content, working methods and action plan together. A municipality that writes "
        "everything itself risks losing the civil-society perspective altogether.",
    ),
    (
        "dialogue",
        "resources-both-sides",
        "Avsätt tid och pengar hos båda",
        "Set aside time and money on both sides",
        "Dialog kräver människor med tid i sina tjänster. Kommunen bör ha någon med uppdraget "
        "och kan finansiera en tjänst, eller del av en, hos det lokala föreningsparaplyet.",
        "Dialogue needs people with time for it in their jobs. The municipality should have "
        "someone with the task and can fund a post, or part of one, at the local umbrella body.",
    ),
    (
        "dialogue",
        "contact-path",
        "En tydlig väg in i kommunen",
        "One clear way into the municipality",
        "Utse en kontaktperson som föreningar kan vända sig till och som kopplar dem vidare till "
        "rätt förvaltning. Civilsamhället samordnar sig på motsvarande sätt, till exempel i ett "
        "paraply.",
        "Name a contact person associations can turn to, who connects them to the right "
        "department. Civil society coordinates itself in the same way, for example in an "
        "umbrella body.",
    ),
    (
        "quality",
        "take-time",
        "Ge processen tid",
        "Give the process time",
        "Räkna med minst ett år av regelbundna möten innan en överenskommelse antas, och se den "
        "inte som färdig vid undertecknandet: arbetet fortsätter.",
        "Expect at least a year of regular meetings before an agreement is adopted, and do not "
        "treat it as finished when signed: the work continues.",
    ),
    (
        "quality",
        "infrastructure",
        "Prioritera förutsättningarna framför mätbara resultat",
        "Put conditions before measurable results",
        "Överenskommelsen skapar förutsättningar för att verksamhet ska hända ute hos "
        "organisationerna. Låt inte handlingsplaner och konferenser äta upp tiden för de "
        "långsiktiga samtalen.",
        "The agreement creates the conditions for work to happen in the organisations. Do not "
        "let action plans and conferences eat the time for the long-term conversations.",
    ),
    (
        "quality",
        "trust-civil-society",
        "Lita på civilsamhällets arbetssätt",
        "Trust civil society's ways of working",
        "Dela resurser med de engagerade organisationerna i stället för att bygga upp samma "
        "verksamhet i kommunal regi.",
        "Share resources with the organisations involved instead of building the same activity "
        "inside the municipality.",
    ),
    (
        "quality",
        "educate-broadly",
        "Utbilda brett om varandras villkor",
        "Train widely in each other's conditions",
        "Erbjud utbildning om den andra sektorn till politiker och tjänstepersoner på flera "
        "nivåer och till föreningarna, och se till att båda kan delta.",
        "Offer training about the other sector to politicians and officials at several levels "
        "and to the associations, and make sure both can take part.",
    ),
    (
        "long_term",
        "political-anchoring",
        "Förankra på alla nivåer",
        "Anchor at every level",
        "Sök brett politiskt stöd och förankra överenskommelsen hos tjänstepersoner och chefer. "
        "Utan politiken saknas resurser; utan förvaltningen glöms den bort. Finansiera inte "
        "arbetet med kortsiktiga projektmedel.",
        "Seek broad political support and anchor the agreement with officials and managers. "
        "Without politics there are no resources; without the administration it is forgotten. "
        "Do not fund the work from short-term project money.",
    ),
    (
        "long_term",
        "umbrella-bodies",
        "Använd paraplyorganisationer",
        "Work through umbrella bodies",
        "Ett föreningsparaply ger en stabil samtalspart även när enskilda föreningars "
        "engagemang skiftar. Släpp in paraplyet i arbetet och stöd det vid behov.",
        "An umbrella body gives a stable counterpart even when individual associations come "
        "and go. Let the umbrella into the work and support it where needed.",
    ),
    (
        "openness",
        "transparent-process",
        "Börja med de engagerade, men öppet",
        "Start with those who care, in the open",
        "Kom igång med dem som visar intresse, men bjud in brett i öppna kanaler så att alla som "
        "vill kan ansluta. Bygg formerna för representation när arbetet har tagit form.",
        "Get going with those who show interest, but invite widely through open channels so that "
        "anyone can join. Build the forms of representation once the work has taken shape.",
    ),
    (
        "openness",
        "keep-informed",
        "Berätta varför något tar tid",
        "Explain why things take time",
        "Parterna har olika ledtider. Håll varandra informerade om hinder och ändrade "
        "prioriteringar så att väntan inte tolkas som ointresse.",
        "The parties work at different speeds. Keep each other informed about obstacles and "
        "changed priorities so that waiting is not read as lack of interest.",
    ),
    (
        "openness",
        "let-it-matter",
        "Låt överenskommelsen påverka resten",
        "Let the agreement shape the rest",
        "Överenskommelsen ska inte bli ett sidospår. Bjud in idéburna företrädare till "
        "styrgrupper, referensgrupper och arbetsgrupper i andra delar av kommunen.",
        "The agreement must not become a side track. Invite civil-society representatives to "
        "steering, reference and working groups elsewhere in the municipality.",
    ),
    (
        "diversity",
        "inclusive-forms",
        "Arbetsformer som alla kan delta i",
        "Working methods everyone can join",
        "Anpassa tider och former efter dem som deltar ideellt, till exempel möten sent på "
        "eftermiddagen, särskilt i mindre kommuner.",
        "Fit times and formats to those who take part as volunteers, for example meetings late "
        "in the afternoon, especially in smaller municipalities.",
    ),
    (
        "diversity",
        "many-forms",
        "Erbjud flera former av samverkan",
        "Offer several forms of collaboration",
        "Olika verksamheter behöver olika verktyg: verksamhetsbidrag, projektmedel, IOP och "
        "upphandling, men också juridiskt stöd eller kommunens stöd vid ansökningar hos andra.",
        "Different activities need different tools: operating grants, project funds, IOP and "
        "procurement, but also legal help or the municipality's backing when applying elsewhere.",
    ),
]

# (phase, code, principle or "", Swedish question, English question)
CHECKLIST: list[tuple[str, str, str, str, str]] = [
    # Förfas: parties identified, first meetings.
    (
        "pre",
        "pre-need",
        "",
        "Vet vi vad vi vill förbättra här, och kan vi säga det enkelt?",
        "Do we know what we want to improve here, and can we say it simply?",
    ),
    (
        "pre",
        "pre-key-people",
        "long_term",
        "Har vi hittat nyckelpersoner bland politiker och tjänstepersoner att prata med?",
        "Have we found key people among politicians and officials to talk to?",
    ),
    (
        "pre",
        "pre-organisations",
        "diversity",
        "Har vi kartlagt föreningslivet och pratat med alla relevanta organisationer?",
        "Have we mapped local associations and talked to every relevant organisation?",
    ),
    (
        "pre",
        "pre-leaders",
        "dialogue",
        "Har vi processledare som båda parter litar på, och har de tid för uppdraget?",
        "Do we have process leaders both parties trust, with time for the task?",
    ),
    (
        "pre",
        "pre-balance",
        "independence",
        "Vilken jämvikt mellan parterna vill vi ha, och vem driver arbetet framåt?",
        "What balance between the parties do we want, and who drives the work?",
    ),
    # Samlingsfas.
    (
        "gathering",
        "gathering-common-ground",
        "",
        "Har vi hittat den minsta gemensamma nämnaren mellan de intresserade parterna?",
        "Have we found the common ground between the interested parties?",
    ),
    (
        "gathering",
        "gathering-roles",
        "independence",
        "Är det klart vad varje organisation företräder och vilket mandat den har?",
        "Is it clear what each organisation represents and what mandate it has?",
    ),
    (
        "gathering",
        "gathering-resources",
        "dialogue",
        "Har båda parter tid och pengar för att delta i dialogen?",
        "Do both parties have time and money to take part in the dialogue?",
    ),
    (
        "gathering",
        "gathering-communication",
        "openness",
        "Har vi en plan för att berätta om processen, och hittar utomstående information om den?",
        "Do we have a plan to tell people about the process, and can outsiders find it?",
    ),
    (
        "gathering",
        "gathering-delay",
        "",
        "Har vi en plan för vad vi gör om processen drar ut på tiden?",
        "Do we have a plan for what to do if the process drags on?",
    ),
    # Formuleringsfas.
    (
        "formulation",
        "formulation-language",
        "openness",
        "Är texten skriven så att alla berörda kan förstå den?",
        "Is the text written so that everyone concerned can understand it?",
    ),
    (
        "formulation",
        "formulation-principles",
        "",
        "Har vi bestämt vilka av de sex principerna som gäller och vad de betyder lokalt?",
        "Have we decided which of the six principles apply and what they mean locally?",
    ),
    (
        "formulation",
        "formulation-forms",
        "diversity",
        "Vilka former av samverkan och finansiering ska överenskommelsen öppna för?",
        "Which forms of collaboration and funding should the agreement open up?",
    ),
    (
        "formulation",
        "formulation-quality",
        "quality",
        "Har vi kommit överens om hur kvalitet beskrivs och följs upp med respekt för båda?",
        "Have we agreed how quality is described and followed up, respecting both sides?",
    ),
    # Förankrings- och beslutsfas.
    (
        "anchoring",
        "anchoring-officials",
        "long_term",
        "Är överenskommelsen förankrad hos de tjänstepersoner som ska arbeta med den?",
        "Is the agreement anchored with the officials who will work with it?",
    ),
    (
        "anchoring",
        "anchoring-managers",
        "long_term",
        "Står cheferna i förvaltningarna bakom den?",
        "Do the managers in the departments stand behind it?",
    ),
    (
        "anchoring",
        "anchoring-political",
        "long_term",
        "Finns ett brett politiskt beslut som håller över valperioder?",
        "Is there a broad political decision that will last across elections?",
    ),
    (
        "anchoring",
        "anchoring-members",
        "independence",
        "Har de idéburna parterna mandat från sina medlemmar att skriva under?",
        "Do the civil-society parties have a mandate from their members to sign?",
    ),
    # Genomförandefas.
    (
        "implementation",
        "implementation-purpose",
        "",
        "Har vi påmint oss om varför vi startade och vad vi vill uppnå?",
        "Have we reminded ourselves why we started and what we want to achieve?",
    ),
    (
        "implementation",
        "implementation-responsibility",
        "dialogue",
        "Är det klart vem som ansvarar för vad nu när överenskommelsen är underskriven?",
        "Is it clear who is responsible for what now that the agreement is signed?",
    ),
    (
        "implementation",
        "implementation-newcomers",
        "diversity",
        "Hur kan organisationer som inte var med från början ansluta?",
        "How can organisations that were not there from the start join?",
    ),
    (
        "implementation",
        "implementation-induction",
        "long_term",
        "Finns en introduktion för nya politiker och tjänstepersoner efter val och byten?",
        "Is there an introduction for new politicians and officials after elections and changes?",
    ),
    # Uppföljning.
    (
        "follow_up",
        "follow-up-plan",
        "openness",
        "Har vi en plan för hur dokumentationen och uppföljningen ska användas?",
        "Do we have a plan for how documentation and follow-up will be used?",
    ),
    (
        "follow_up",
        "follow-up-resources",
        "quality",
        "Har vi avsatt tillräckligt med resurser för dokumentation och uppföljning?",
        "Have we set aside enough resources for documentation and follow-up?",
    ),
    (
        "follow_up",
        "follow-up-code",
        "",
        "Har vi stämt av processen mot den europeiska koden för medborgerligt deltagande?",
        "Have we checked the process against the European code of good practice for civil "
        "participation?",
    ),
    (
        "follow_up",
        "follow-up-both-sides",
        "dialogue",
        "Har båda parter bedömt principerna, och har vi pratat om där vi ser olika på dem?",
        "Have both parties rated the principles, and have we discussed where we see them "
        "differently?",
    ),
]
