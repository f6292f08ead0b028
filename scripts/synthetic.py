"""Write a synthetic corpus in the project's own format, for benchmarks and scale tests.

    python scripts/synthetic.py --claims 100000 --out /tmp/corpus-100k [--seed 1]

It writes ``DIR/claims.ttl`` (laid out like the curated one: articles, topic
concepts with altLabels, study designs, claims, each claim followed by its
statements, then reviews), ``DIR/sources.bib`` and one stub text per article
under ``DIR/articles/<slug>.txt`` that holds every quote verbatim, so that
``evg validate --articles DIR/articles`` passes.

Sizes for N claims: N claims, N/2 sources, N/20 articles (at least one);
every statement cites 1-4 sources; about 10% of claims are contested (some
statement rejects them, citing sources); about 2% of statements carry a
review. Wording comes from a fixed sports-medicine vocabulary filled into
sentence templates. The same seed gives byte-identical files.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

# --- vocabulary ----------------------------------------------------------------
# (preferred label, alternative labels). The search feature uses the
# altLabels as synonyms, so each entry carries realistic ones.

INTERVENTIONS = [
    ("hip abductor strengthening", ["hip strengthening", "glute strengthening", "abductor exercises"]),
    ("foam rolling", ["foam roller", "self-myofascial release", "SMR"]),
    ("eccentric loading", ["eccentric exercise", "eccentric training", "Alfredson protocol"]),
    ("static stretching", ["stretching", "passive stretching"]),
    ("gait retraining", ["running retraining", "running form coaching"]),
    ("cadence increase", ["step rate increase", "higher cadence"]),
    ("manual therapy", ["joint mobilisation", "manipulation", "hands-on therapy"]),
    ("dry needling", ["intramuscular stimulation", "trigger point needling"]),
    ("corticosteroid injection", ["steroid injection", "cortisone shot"]),
    ("cryotherapy", ["ice", "icing", "cold therapy"]),
    ("compression garments", ["compression socks", "compression tights"]),
    ("foot orthoses", ["orthotic insoles", "insoles", "arch supports"]),
    ("minimalist footwear", ["barefoot shoes", "minimalist shoes"]),
    ("plyometric training", ["jump training", "plyometrics"]),
    ("resistance training", ["strength training", "weight training"]),
    ("neuromuscular training", ["injury prevention programme", "balance training"]),
    ("load management", ["training load adjustment", "activity modification"]),
    ("relative rest", ["rest", "time off running"]),
    ("NSAIDs", ["non-steroidal anti-inflammatory drugs", "ibuprofen", "anti-inflammatories"]),
    ("platelet-rich plasma injection", ["PRP", "PRP injection"]),
    ("shockwave therapy", ["ESWT", "extracorporeal shockwave therapy"]),
    ("kinesiology taping", ["taping", "kinesio tape", "KT tape"]),
    ("massage", ["sports massage", "soft-tissue massage"]),
    ("core stability training", ["core training", "trunk stabilisation"]),
    ("blood flow restriction training", ["BFR training", "occlusion training"]),
    ("heat therapy", ["heat", "thermotherapy"]),
    ("acupuncture", ["needle acupuncture", "electroacupuncture"]),
    ("therapeutic ultrasound", ["ultrasound therapy"]),
    ("bracing", ["knee brace", "ankle brace", "support brace"]),
    ("isometric exercise", ["isometrics", "isometric loading"]),
]

CONDITIONS = [
    ("iliotibial band syndrome", ["ITBS", "IT band syndrome", "ITB syndrome"]),
    ("patellofemoral pain", ["PFP", "runner's knee", "patellofemoral pain syndrome"]),
    ("Achilles tendinopathy", ["Achilles tendinitis", "Achilles tendinosis"]),
    ("plantar heel pain", ["plantar fasciitis", "plantar fasciopathy"]),
    ("medial tibial stress syndrome", ["MTSS", "shin splints"]),
    ("hamstring strain", ["hamstring injury", "pulled hamstring"]),
    ("lateral ankle sprain", ["ankle sprain", "inversion sprain"]),
    ("lateral elbow tendinopathy", ["tennis elbow", "lateral epicondylalgia"]),
    ("rotator cuff tendinopathy", ["shoulder impingement", "subacromial pain"]),
    ("low back pain", ["LBP", "lumbago", "back pain"]),
    ("knee osteoarthritis", ["knee OA", "degenerative knee disease"]),
    ("patellar tendinopathy", ["jumper's knee", "patellar tendinitis"]),
    ("greater trochanteric pain syndrome", ["GTPS", "trochanteric bursitis", "lateral hip pain"]),
    ("anterior cruciate ligament injury", ["ACL injury", "ACL tear"]),
    ("bone stress injury", ["stress fracture", "stress reaction"]),
    ("delayed-onset muscle soreness", ["DOMS", "muscle soreness"]),
    ("hip osteoarthritis", ["hip OA"]),
    ("neck pain", ["cervical pain", "mechanical neck pain"]),
]

STRUCTURES = [
    ("iliotibial band", ["ITB", "IT band", "iliotibial tract"]),
    ("Achilles tendon", ["heel cord", "calcaneal tendon"]),
    ("plantar fascia", ["plantar aponeurosis"]),
    ("patellar tendon", ["patellar ligament"]),
    ("gluteus medius", ["glute med", "gluteus med"]),
    ("hamstrings", ["hamstring muscles", "posterior thigh"]),
    ("tibialis posterior", ["posterior tibial tendon"]),
    ("quadriceps", ["quads", "quadriceps femoris"]),
    ("hip abductors", ["hip abductor muscles", "abductors"]),
    ("calf muscles", ["triceps surae", "gastrocnemius and soleus"]),
    ("lumbar multifidus", ["multifidus"]),
    ("rotator cuff", ["rotator cuff muscles"]),
]

OUTCOMES = [
    ("pain", ["pain intensity", "pain scores", "VAS pain"]),
    ("function", ["physical function", "functional scores"]),
    ("return to sport", ["return to play", "return to running"]),
    ("recurrence", ["reinjury", "re-injury rate"]),
    ("muscle strength", ["strength", "peak torque"]),
    ("range of motion", ["ROM", "joint mobility"]),
    ("running economy", ["oxygen cost of running"]),
    ("injury risk", ["injury incidence", "injury rate"]),
    ("tissue stiffness", ["stiffness", "tendon stiffness"]),
    ("perceived recovery", ["recovery", "subjective recovery"]),
]

POPULATIONS = [
    ("recreational runners", ["amateur runners", "hobby joggers"]),
    ("adolescent athletes", ["youth athletes", "teenage athletes"]),
    ("older adults", ["elderly people", "older people"]),
    ("military recruits", ["army recruits", "soldiers in basic training"]),
    ("female runners", ["women runners"]),
    ("cyclists", ["road cyclists"]),
    ("football players", ["soccer players", "footballers"]),
    ("office workers", ["desk workers", "sedentary workers"]),
    ("elite athletes", ["professional athletes", "high-level athletes"]),
    ("novice runners", ["beginner runners", "new runners"]),
]

#: Templates: (text, which slots they use). {I}/{J} intervention, {C} condition,
#: {S} structure, {O} outcome, {P} population, {n}/{m}/{pct} numbers.
TEMPLATES = [
    "{I} reduces {O} in {P} with {C}.",
    "{I} is no more effective than {J} for {C}.",
    "{I} improves {O} within {n} weeks in {P} with {C}.",
    "Weakness of the {S} is associated with {C} in {P}.",
    "{C} is more common in {P} than in the general population.",
    "Rapid increases in training load raise the risk of {C} in {P}.",
    "{I} changes the mechanical properties of the {S}.",
    "About {pct}% of {P} with {C} return to full activity within {m} months.",
    "Imaging findings in the {S} correlate poorly with symptoms of {C}.",
    "Adding {I} to {J} gives better {O} in {C} than {J} alone.",
    "{I} before exercise lowers {O} in {P}.",
    "Reduced {O} of the {S} predicts {C} in {P}.",
    "{I} is recommended as a first-line treatment for {C}.",
    "The benefit of {I} for {C} lasts less than {n} weeks.",
]

STUDY_DESIGNS = [  # (ev: local name, weight, title suffix)
    ("SystematicReview", 8, "a systematic review and meta-analysis"),
    ("RandomisedControlledTrial", 18, "a randomised controlled trial"),
    ("CohortStudy", 16, "a prospective cohort study"),
    ("CaseControlStudy", 10, "a case-control study"),
    ("CrossSectionalStudy", 10, "a cross-sectional study"),
    ("CaseSeries", 10, "a case series"),
    ("CadavericStudy", 5, "a cadaveric study"),
    ("LaboratoryStudy", 8, "a laboratory study"),
    ("NarrativeReview", 8, "a narrative review"),
    ("ComputationalModel", 3, "a computational model"),
    ("ExpertOpinion", 4, "an expert consensus statement"),
]

VERDICTS = [  # (ev: local name, weight, review body)
    ("Supported", 40, "The study reports this finding for its sample, with the effect in the stated direction."),
    ("PartlySupported", 15, "The study supports part of the statement; the rest goes beyond what it measured."),
    ("Overstated", 15, "The effect the study found is smaller and less certain than the article suggests."),
    ("NumbersDiffer", 10, "The study reports a different figure from the one the article quotes."),
    ("NotSupported", 10, "The study found no effect on the outcome the article names."),
    ("Misattributed", 10, "The study measured something else and does not address this point."),
]

#: Family names as BibTeX writes them (LaTeX accents, von parts) -> key stem.
FAMILY_NAMES = [
    "Smith", "Jones", "Williams", "Brown", "Taylor", "Davies", "Evans", "Wilson", "Thomas", "Roberts",
    "Johnson", "Walker", "Wright", "Robinson", "Thompson", "White", "Hughes", "Edwards", "Green", "Hall",
    "Wood", "Harris", "Lewis", "Martin", "Jackson", "Clarke", "Clark", "Turner", "Hill", "Scott",
    "Cooper", "Morris", "Ward", "Moore", "King", "Watson", "Baker", "Harrison", "Morgan", "Patel",
    "Young", "Allen", "Mitchell", "James", "Anderson", "Phillips", "Lee", "Bell", "Parker", "Davis",
    "Nguyen", "Chen", "Wang", "Li", "Zhang", "Liu", "Yang", "Huang", "Zhao", "Wu",
    "Kim", "Park", "Choi", "Tanaka", "Suzuki", "Sato", "Watanabe", "Ito", "Yamamoto", "Nakamura",
    "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Hoffmann", "Koch", "Richter",
    "M{\\\"u}ller", "Sch{\\\"a}fer", "Kr{\\\"u}ger", "B{\\\"o}hm", "Gonz{\\'a}lez", "Rodr{\\'\\i}guez",
    "Fern{\\'a}ndez", "L{\\'o}pez", "Mart{\\'\\i}nez", "S{\\'a}nchez", "P{\\'e}rez", "G{\\'o}mez",
    "N{\\'u}{\\~n}ez", "Garc{\\'\\i}a",
    "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco",
    "Dubois", "Durand", "Lef{\\`e}vre", "Moreau", "Laurent", "Fran{\\c{c}}ois", "Girard", "Andr{\\'e}", "Mercier",
    "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder",
    "Johansson", "Andersson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsen", "Hansen", "Jensen",
    "Nielsen", "Kowalski", "Nowak", "Wi{\\'s}niewski", "Novak", "Horvat", "Kova{\\v{c}}", "O'Brien", "O'Connor",
    "Murphy", "Kelly", "Byrne", "Ryan", "Walsh", "McCarthy", "MacDonald", "Campbell", "Stewart", "Murray",
    "Silva", "Santos", "Oliveira", "Souza", "Costa", "Pereira", "Almeida", "Ferreira", "Carvalho", "Ribeiro",
    "Singh", "Kumar", "Sharma", "Gupta", "Shah", "Khan", "Ali", "Hussain", "Ahmed", "Rahman",
    "Fredericson", "Noehren", "Fairclough", "Falvey", "Ellis", "Beers", "Chaudhry", "Franklyn-Miller",
]  # fmt: skip
GIVEN_NAMES = [
    "John", "Mary", "David", "Sarah", "Michael", "Emma", "James", "Anna", "Peter", "Laura",
    "Thomas", "Maria", "Daniel", "Julia", "Mark", "Sophie", "Paul", "Hannah", "Richard", "Claire",
    "Wei", "Yuki", "Min-jun", "Hiroshi", "Ana", "Jos{\\'e}", "Fran{\\c{c}}oise", "Bj{\\\"o}rn", "S{\\o}ren",
    "Zo{\\\"e}", "Ahmed", "Priya", "Lars", "Ingrid", "Pieter", "Giulia", "Luca", "Camille", "Jan", "Ewa",
]  # fmt: skip
JOURNALS = [
    "British Journal of Sports Medicine", "American Journal of Sports Medicine", "Journal of Orthopaedic & Sports "
    "Physical Therapy", "Medicine & Science in Sports & Exercise", "Clinical Journal of Sport Medicine",
    "Scandinavian Journal of Medicine & Science in Sports", "Journal of Science and Medicine in Sport",
    "Physical Therapy in Sport", "Sports Medicine", "Journal of Biomechanics", "Gait & Posture",
    "Journal of Anatomy", "Clinical Biomechanics", "Physiotherapy", "Manual Therapy", "Pain",
    "Journal of Athletic Training", "Knee Surgery, Sports Traumatology, Arthroscopy", "BMJ Open Sport & "
    "Exercise Medicine", "International Journal of Sports Physical Therapy",
]  # fmt: skip
PUBLISHERS = ["Running Clinic Blog", "Physio Notes", "Sports Health Weekly", "The Endurance Review", "Move Well"]
QUOTE_LEADS = ["", "", "", "The evidence is clear: ", "Put simply, ", "In practice, ", "It is well established that "]
FILLER = [
    "We see this pattern again and again in the clinic.",
    "That matters for how we plan treatment.",
    "It is worth keeping in mind when reading the rest of this piece.",
    "The details vary from person to person.",
    "This is where a lot of advice goes wrong.",
]

PREFIXES = """\
@prefix article: <https://w3id.org/evidence-graph/article/> .
@prefix claim:   <https://w3id.org/evidence-graph/claim/> .
@prefix concept: <https://w3id.org/evidence-graph/concept/> .
@prefix source:  <https://w3id.org/evidence-graph/source/> .
@prefix stmt:    <https://w3id.org/evidence-graph/statement/> .
@prefix review:  <https://w3id.org/evidence-graph/review/> .
@prefix ev:      <https://w3id.org/evidence-graph/vocab#> .
@prefix cito:    <http://purl.org/spar/cito/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix fabio:   <http://purl.org/spar/fabio/> .
@prefix oa:      <http://www.w3.org/ns/oa#> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema:  <https://schema.org/> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
"""
RULE = "# " + "=" * 77 + "\n"

_LATEX_ACCENT = re.compile(r"\{?\\[`'\"^~=.uvHc]\{?\\?([A-Za-z])\}?\}?|\{\\([a-zA-Z]{1,2})\}")
_SPECIAL = {"o": "o", "aa": "a", "ae": "ae", "ss": "ss", "i": "i", "l": "l"}


def ascii_name(latex: str) -> str:
    """``M{\\"u}ller`` -> ``Muller``: the ASCII letters a bib key is made of."""
    text = _LATEX_ACCENT.sub(lambda m: m.group(1) or _SPECIAL.get(m.group(2), m.group(2)), latex)
    return re.sub(r"[^A-Za-z]", "", text)


def slugify(text: str, words: int = 8) -> str:
    parts = re.findall(r"[a-z0-9]+", text.lower())
    return "-".join(parts[:words])


def turtle_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def lower_first(text: str) -> str:
    # Keep acronyms such as "NSAIDs" or "ACL" as they are.
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass
class Source:
    key: str
    design: str | None
    doi: str
    entry: str


@dataclass
class Statement:
    slug: str
    claim: str
    article: int
    stance: str
    quote: str
    cites: list[int]
    review: tuple[str, int] | None = None  # (verdict, source index)


@dataclass
class Claim:
    slug: str
    label: str
    concepts: list[str]
    statements: list[Statement] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    contradicts: str | None = None


class Generator:
    def __init__(self, n_claims: int, seed: int):
        if n_claims < 1:
            raise ValueError("--claims must be at least 1")
        self.rng = random.Random(seed)
        self.n_claims = n_claims
        self.n_sources = max(1, n_claims // 2)
        self.n_articles = max(1, n_claims // 20)
        self.concepts: dict[str, tuple[str, list[str]]] = {}
        for table in (INTERVENTIONS, CONDITIONS, STRUCTURES, OUTCOMES, POPULATIONS):
            for pref, alts in table:
                self.concepts[slugify(pref)] = (pref, alts)

    # --- sources ---------------------------------------------------------------

    def make_sources(self) -> list[Source]:
        rng = self.rng
        designs = [d for d, _w, _t in STUDY_DESIGNS]
        weights = [w for _d, w, _t in STUDY_DESIGNS]
        suffix_of = {d: t for d, _w, t in STUDY_DESIGNS}
        used: dict[str, int] = {}
        out = []
        for i in range(self.n_sources):
            year = rng.randint(1975, 2024)
            n_authors = rng.choice((1, 2, 2, 3, 3, 3, 4, 4, 5, 6, 8))
            authors = []
            for _ in range(n_authors):
                given = rng.choice(GIVEN_NAMES)
                if rng.random() < 0.3:
                    given += f" {rng.choice('ABCDEFGHJKLMNPRST')}."
                authors.append(f"{rng.choice(FAMILY_NAMES)}, {given}")
            stem = ascii_name(authors[0].split(",")[0]).lower() + str(year)
            count = used.get(stem, 0)
            used[stem] = count + 1
            key = stem if count == 0 else stem + _letters(count)
            design = rng.choices(designs, weights)[0] if rng.random() < 0.9 else None
            inter = rng.choice(INTERVENTIONS)[0]
            cond = rng.choice(CONDITIONS)[0]
            pop = rng.choice(POPULATIONS)[0]
            title = f"{upper_first(inter)} for {cond} in {pop}"
            if design is not None:
                title += f": {suffix_of[design]}"
            journal = rng.choice(JOURNALS).replace("&", "\\&")
            volume = rng.randint(1, 60)
            first_page = rng.randint(1, 1500)
            doi = f"10.{rng.randint(1000, 9999)}/synth.{year}.{i:06d}"
            lines = [
                f"@article{{{key},",
                f"  author    = {{{' and '.join(authors)}}},",
                f"  title     = {{{title}}},",
                f"  journal   = {{{journal}}},",
                f"  year      = {{{year}}},",
                f"  volume    = {{{volume}}},",
                f"  number    = {{{rng.randint(1, 12)}}},",
                f"  pages     = {{{first_page}--{first_page + rng.randint(3, 15)}}},",
                f"  doi       = {{{doi}}},",
            ]
            if rng.random() < 0.6:
                lines.append(f"  pmid      = {{{rng.randint(10_000_000, 39_999_999)}}},")
            lines.append("}")
            out.append(Source(key, design, doi, "\n".join(lines) + "\n"))
        return out

    # --- claims and statements -------------------------------------------------

    def _fill(self, template: str) -> tuple[str, list[str]]:
        rng = self.rng
        slots: dict[str, str] = {}
        concepts: list[str] = []
        for name, table in (("I", INTERVENTIONS), ("C", CONDITIONS), ("S", STRUCTURES), ("O", OUTCOMES)):
            if "{" + name + "}" in template:
                pref = rng.choice(table)[0]
                slots[name] = pref
                concepts.append(slugify(pref))
        if "{P}" in template:
            slots["P"] = rng.choice(POPULATIONS)[0]
        if "{J}" in template:
            other = rng.choice([p for p, _a in INTERVENTIONS if p != slots["I"]])
            slots["J"] = other
            concepts.append(slugify(other))
        slots["n"] = str(rng.choice((2, 4, 6, 8, 12)))
        slots["m"] = str(rng.choice((3, 6, 9, 12)))
        slots["pct"] = str(rng.randint(40, 95))
        text = template.format(**slots)
        return upper_first(text), concepts[:2]  # curators tag a claim with its main one or two topics

    def make_claims(self, sources: list[Source]) -> list[Claim]:
        rng = self.rng
        claims: list[Claim] = []
        labels: set[str] = set()
        slugs: dict[str, int] = {}
        for _ in range(self.n_claims):
            for _attempt in range(50):
                label, concepts = self._fill(rng.choice(TEMPLATES))
                if label not in labels:
                    break
            else:  # the vocabulary is exhausted for this draw: make it unique
                label = label[:-1] + f" (variant {len(claims)})."
            labels.add(label)
            base = slugify(label)
            n = slugs.get(base, 0)
            slugs[base] = n + 1
            slug = base if n == 0 else f"{base}-{n + 1}"
            claims.append(Claim(slug, label, list(dict.fromkeys(concepts))))

        # Popular sources get cited far more often, as in real literature.
        popular = max(1, len(sources) // 5)

        def pick_sources(k: int, avoid: set[int] = frozenset()) -> list[int]:
            chosen: list[int] = []
            for _ in range(k * 4):
                if len(chosen) == k:
                    break
                idx = rng.randrange(popular) if rng.random() < 0.6 else rng.randrange(len(sources))
                if idx not in chosen and idx not in avoid:
                    chosen.append(idx)
            return chosen or [0]

        def n_cites() -> int:
            # 1-4 citations at one spot; most writers cite one or two.
            return rng.choices((1, 2, 3, 4), (45, 30, 15, 10))[0]

        n_contested = round(self.n_claims / 10)
        contested = set(rng.sample(range(self.n_claims), n_contested))
        for i, claim in enumerate(claims):
            home = i * self.n_articles // self.n_claims  # each article states a block of claims
            stance = "Reports" if rng.random() < 0.15 else "Asserts"
            cites = pick_sources(n_cites())
            claim.statements.append(self._statement(claim, home, stance, cites))
            if self.n_articles > 1 and rng.random() < 0.05:
                other = self._other_article(home)
                claim.statements.append(self._statement(claim, other, "Asserts", pick_sources(n_cites())))
            if i in contested:
                other = self._other_article(home)
                supporting = {s for st in claim.statements for s in st.cites}
                claim.statements.append(self._statement(claim, other, "Rejects", pick_sources(n_cites(), supporting)))
            if i and rng.random() < 0.3:
                claim.related.append(claims[rng.randrange(i)].slug)
            if i and rng.random() < 0.02:
                claim.contradicts = claims[rng.randrange(i)].slug
        # Reviews on 2% of statements, each about one of the sources cited there.
        statements = [st for c in claims for st in c.statements]
        verdicts = [v for v, _w, _b in VERDICTS]
        weights = [w for _v, w, _b in VERDICTS]
        for st in rng.sample(statements, round(len(statements) * 0.02)):
            st.review = (rng.choices(verdicts, weights)[0], rng.choice(st.cites))
        return claims

    def _other_article(self, home: int) -> int:
        if self.n_articles == 1:
            return home
        return (home + 1 + self.rng.randrange(self.n_articles - 1)) % self.n_articles

    def _statement(self, claim: Claim, article: int, stance: str, cites: list[int]) -> Statement:
        rng = self.rng
        body = claim.label[:-1]
        if stance == "Rejects":
            quote = f"The popular idea that {lower_first(body)} does not hold up."
        elif stance == "Reports":
            quote = f"One study reported that {lower_first(body)}."
        else:
            lead = rng.choice(QUOTE_LEADS)
            quote = f"{lead}{lower_first(body)}." if lead else claim.label
        slug = f"{claim.slug}--{article_slug(article)}"
        if any(st.slug == slug for st in claim.statements):
            slug += f"-{len(claim.statements) + 1}"
        return Statement(slug, claim.slug, article, stance, quote, cites)


def _letters(n: int) -> str:
    """1 -> a, 26 -> z, 27 -> aa: the suffix that keeps bib keys unique."""
    out = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        out = chr(ord("a") + r) + out
    return out


def article_slug(i: int) -> str:
    return f"synthetic-article-{i + 1:05d}"


# --- writers -----------------------------------------------------------------------


def write_claims_ttl(gen: Generator, claims: list[Claim], sources: list[Source]) -> str:
    rng = gen.rng
    out: list[str] = [
        PREFIXES,
        "\n# Synthetic corpus written by scripts/synthetic.py, for benchmarks and scale tests.\n\n",
    ]
    by_article: list[list[Statement]] = [[] for _ in range(gen.n_articles)]
    for c in claims:
        for st in c.statements:
            by_article[st.article].append(st)

    out += [RULE, "# Articles\n", RULE, "\n"]
    for a in range(gen.n_articles):
        cited = sorted({s for st in by_article[a] for s in st.cites})
        if sources and rng.random() < 0.3:  # a reference listed but cited for no claim
            cited.append(rng.randrange(len(sources)))
            cited = sorted(set(cited))
        topic = rng.choice(CONDITIONS)[0]
        lines = [
            f"article:{article_slug(a)} a fabio:WebArticle ;",
            f"    dcterms:title {turtle_string(f'{upper_first(topic)}: what the evidence says (part {a + 1})')} ;",
            f"    dcterms:publisher {turtle_string(rng.choice(PUBLISHERS))}",
        ]
        if cited:
            lines[-1] += " ;"
            refs = [f"source:{sources[s].key}" for s in cited]
            chunks = [", ".join(refs[i : i + 4]) for i in range(0, len(refs), 4)]
            lines.append("    cito:cites " + ",\n        ".join(chunks))
        out.append("\n".join(lines) + " .\n\n")

    out += [RULE, "# Study designs of the cited sources\n", RULE, "\n"]
    for s in sources:
        if s.design is not None:
            out.append(f"source:{s.key} ev:studyDesign ev:{s.design} .\n")
    out.append("\n")

    out += [RULE, "# Topic concepts (the search feature uses the altLabels as its synonym list)\n", RULE, "\n"]
    out.append('concept:topics a skos:ConceptScheme ;\n    skos:prefLabel "topics"@en .\n\n')
    for slug, (pref, alts) in gen.concepts.items():
        alt = ", ".join(f"{turtle_string(a)}@en" for a in alts)
        out.append(
            f"concept:{slug} a skos:Concept ; skos:inScheme concept:topics ;\n"
            f"    skos:prefLabel {turtle_string(pref)}@en ;\n"
            f"    skos:altLabel {alt} .\n\n"
        )

    out += [RULE, "# Claims, each followed by its statements\n", RULE, "\n"]
    for c in claims:
        lines = [
            f"claim:{c.slug} a ev:Claim ;",
            f"    rdfs:label {turtle_string(c.label)} ;",
            "    dcterms:subject " + ", ".join(f"concept:{k}" for k in c.concepts),
        ]
        if c.contradicts:
            lines[-1] += " ;"
            lines.append(f"    ev:contradicts claim:{c.contradicts}")
        if c.related:
            lines[-1] += " ;"
            lines.append("    skos:related " + ", ".join(f"claim:{r}" for r in c.related))
        out.append("\n".join(lines) + " .\n\n")
        for st in c.statements:
            cites = ", ".join(f"source:{sources[s].key}" for s in st.cites)
            out.append(
                f"stmt:{st.slug} a ev:Statement ;\n"
                f"    ev:claim claim:{c.slug} ;\n"
                f"    oa:hasSource article:{article_slug(st.article)} ;\n"
                f"    oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact {turtle_string(st.quote)} ] ;\n"
                f"    ev:stance ev:{st.stance} ;\n"
                f"    cito:citesAsEvidence {cites} .\n\n"
            )

    out += [RULE, "# Reviews of cited sources\n", RULE, "\n"]
    bodies = {v: b for v, _w, b in VERDICTS}
    n = 0
    for c in claims:
        for st in c.statements:
            if st.review is None:
                continue
            verdict, src = st.review
            n += 1
            out.append(
                f"review:{sources[src].key}-{n:06d} a schema:ClaimReview ;\n"
                f"    schema:itemReviewed stmt:{st.slug} ;\n"
                f"    ev:aboutSource source:{sources[src].key} ;\n"
                f"    ev:verdict ev:{verdict} ;\n"
                f"    schema:reviewBody {turtle_string(bodies[verdict])} ;\n"
                f"    prov:wasDerivedFrom <https://doi.org/{sources[src].doi}> .\n\n"
            )
    return "".join(out).rstrip("\n") + "\n"


def write_bib(sources: list[Source]) -> str:
    header = "% Synthetic bibliography written by scripts/synthetic.py, for benchmarks and scale tests.\n\n"
    return header + "\n".join(s.entry for s in sources)


def article_texts(gen: Generator, claims: list[Claim]) -> dict[str, str]:
    rng = gen.rng
    paragraphs: list[list[str]] = [[] for _ in range(gen.n_articles)]
    for c in claims:
        for st in c.statements:
            paragraphs[st.article].append(st.quote + " " + rng.choice(FILLER))
    return {
        article_slug(a): f"Synthetic article {a + 1}\n\n" + "\n\n".join(paras) + "\n"
        for a, paras in enumerate(paragraphs)
    }


def generate(n_claims: int, out: Path, seed: int = 1) -> dict[str, int]:
    """Write the corpus under ``out``; return counts of what was written."""
    gen = Generator(n_claims, seed)
    sources = gen.make_sources()
    claims = gen.make_claims(sources)
    ttl = write_claims_ttl(gen, claims, sources)
    bib = write_bib(sources)
    texts = article_texts(gen, claims)
    out.mkdir(parents=True, exist_ok=True)
    (out / "claims.ttl").write_text(ttl, encoding="utf-8")
    (out / "sources.bib").write_text(bib, encoding="utf-8")
    art_dir = out / "articles"
    art_dir.mkdir(exist_ok=True)
    for slug, text in texts.items():
        (art_dir / f"{slug}.txt").write_text(text, encoding="utf-8")
    statements = [st for c in claims for st in c.statements]
    return {
        "claims": len(claims),
        "sources": len(sources),
        "articles": gen.n_articles,
        "statements": len(statements),
        "contested": sum(1 for c in claims if any(st.stance == "Rejects" for st in c.statements)),
        "reviews": sum(1 for st in statements if st.review),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, required=True, help="number of claims (sources: N/2, articles: N/20)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write claims.ttl, sources.bib, articles/")
    parser.add_argument("--seed", type=int, default=1, help="random seed; the same seed gives the same files")
    args = parser.parse_args(argv)
    if args.claims < 1:
        parser.error("--claims must be at least 1")
    started = time.perf_counter()
    counts = generate(args.claims, args.out, args.seed)
    took = time.perf_counter() - started
    summary = ", ".join(f"{v} {k}" for k, v in counts.items())
    print(f"wrote {args.out}: {summary} in {took:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
