"""Fact-checkers' verdict labels read onto our scale, and the one way labels are compared.

Label comparison (``label_key``): Unicode NFKC, case folded, and every space, dash,
underscore and other punctuation mark removed. So "Partly false", "partly-false",
"PARTLY_FALSE" and "Partlyfalse" are one label, as are "really_false" and "Really false".
Accents are kept ("Engañoso" is written out both ways below where publishers do).

Where the meanings come from: each block names the publishers whose published rating
scales (their methodology or "how we rate" pages, named in the comment) the labels are
taken from, and a label that is a plain word of its language is read by its dictionary
sense (Wiktionary, en.wiktionary.org/wiki/<word>). The list was compiled by hand; extend or
override it with ``--status-map``/``--status-map-file`` rather than editing it.
Misleading, out-of-context and manipulated content is read as ``mostly-false`` (true
elements, false overall), and
"unproven"/"no evidence" labels as our ``unproven`` status, never as a verdict.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from claims.vocab import Status

T, MT, HT, MF, F = (Status.TRUE, Status.MOSTLY_TRUE, Status.HALF_TRUE, Status.MOSTLY_FALSE,
                    Status.FALSE)
UNPROVEN, DISPUTED, OUTDATED = Status.UNPROVEN, Status.DISPUTED, Status.OUTDATED


def label_key(label: str) -> str:
    """The form labels are compared in (see the module's docstring)."""
    folded = unicodedata.normalize("NFKC", label).casefold()
    return "".join(ch for ch in folded
                   if not (ch.isspace() or unicodedata.category(ch)[0] in "PS"))


_LABELS: dict[Status, list[str]] = {
    # English. PolitiFact's Truth-O-Meter (politifact.com/article/2018/feb/12/principles-
    # truth-o-meter...): True, Mostly True, Half True, Mostly False, False, Pants on Fire;
    # "barely true" is its former name for Mostly False (the LIAR data set keeps it).
    # Snopes' ratings page (snopes.com/fact-check-ratings): Mixture, Miscaptioned,
    # Unproven, Outdated, Labeled Satire, Correct Attribution. AFP and Full Fact use
    # Misleading / Missing context; Africa Check: Correct, Mostly correct, Incorrect.
    T: ["true", "correct", "accurate", "correct attribution", "verified", "fact"],
    MT: ["mostly true", "mostly correct", "largely accurate", "mostly accurate",
         "somewhat true"],
    HT: ["half true", "mixture", "mixed", "half-truth", "partly true", "partially true",
         "partly correct", "exaggerated", "exaggeration"],
    MF: ["mostly false", "barely true", "misleading", "partly false", "partially false",
         "missing context", "lacks context", "out of context", "miscaptioned",
         "distorted", "manipulated", "altered", "altered photo", "altered video",
         "mostly incorrect", "cherry picks", "spins the facts", "somewhat false",
         "altered image", "altered photo/video", "decontextualized", "miscontextualized"],
    F: ["false", "pants on fire", "pants fire", "incorrect", "fake", "fabricated",
        "wrong", "hoax", "scam", "really false", "not true", "untrue", "baseless",
        "labeled satire", "satire", "four pinocchios", "false headline", "misattributed",
        "incorrect attribution", "originated as satire"],
    UNPROVEN: ["unproven", "unsupported", "unverified claim", "no evidence",
               "insufficient evidence", "not enough evidence", "unsubstantiated",
               "research in progress", "unknown", "legend"],
    DISPUTED: ["disputed", "contested", "contradictory"],
    OUTDATED: ["outdated", "out of date", "old"],
}

# Spanish. Maldita.es and Newtral's labels (newtral.es/metodologia: Verdadero, Verdad a
# medias, Engañoso, Falso); Chequeado's scale (chequeado.com/metodo: Verdadero, Verdadero
# pero, Discutible, Exagerado, Engañoso, Falso, Insostenible); EFE Verifica: Bulo.
_LABELS[T] += ["verdadero", "verdad", "cierto", "correcto"]
_LABELS[MT] += ["verdadero pero", "casi verdadero", "mayormente verdadero"]
_LABELS[HT] += ["verdad a medias", "medio verdadero", "exagerado", "impreciso", "mixto"]
_LABELS[MF] += ["engañoso", "enganoso", "falta contexto", "sin contexto", "manipulado",
                "sacado de contexto", "mayormente falso", "parcialmente falso"]
_LABELS[F] += ["falso", "bulo", "fake", "incorrecto", "falsa", "mentira"]
_LABELS[UNPROVEN] += ["insostenible", "sin evidencia", "no hay pruebas", "inverificable"]
_LABELS[DISPUTED] += ["discutible"]

# Portuguese. Lupa (lupa.uol.com.br: Verdadeiro, Verdadeiro mas, Ainda é cedo para dizer,
# Exagerado, Contraditório, Subestimado, Insustentável, Falso); Aos Fatos (aosfatos.org/
# nosso-metodo: Verdadeiro, Impreciso, Exagerado, Contraditório, Insustentável, Falso,
# Distorcido, Não é bem assim); Comprova: Enganoso, Falso, Sátira, Comprovado.
_LABELS[T] += ["verdadeiro", "comprovado", "correto"]
_LABELS[MT] += ["verdadeiro mas", "verdadeiro, mas"]
_LABELS[HT] += ["impreciso", "exagerado", "subestimado", "meia verdade"]
_LABELS[MF] += ["enganoso", "distorcido", "não é bem assim", "nao e bem assim",
                "fora de contexto", "sem contexto", "manipulado"]
_LABELS[F] += ["falso", "sátira", "satira", "boato"]
_LABELS[UNPROVEN] += ["insustentável", "insustentavel", "ainda é cedo para dizer",
                      "sem evidências", "inconclusivo"]
_LABELS[DISPUTED] += ["contraditório", "contraditorio"]

# French. AFP Factuel and 20 Minutes Fake Off (Faux, Trompeur, Manque de contexte,
# Partiellement faux, Vrai); Les Décodeurs (Vrai, Plutôt vrai, Exagéré, Trompeur, Faux).
_LABELS[T] += ["vrai", "exact", "correct"]
_LABELS[MT] += ["plutôt vrai", "plutot vrai"]
_LABELS[HT] += ["exagéré", "exagere", "à nuancer", "a nuancer", "en partie vrai"]
_LABELS[MF] += ["trompeur", "manque de contexte", "partiellement faux", "plutôt faux",
                "plutot faux", "hors contexte", "sorti de son contexte", "montage"]
_LABELS[F] += ["faux", "infox", "fausse", "inexact", "c'est faux"]
_LABELS[UNPROVEN] += ["invérifiable", "non prouvé", "sans preuve"]

# German. Correctiv's Faktencheck scale (correctiv.org/faktencheck/ueber-uns: Richtig,
# Größtenteils richtig, Teilweise falsch, Fehlender Kontext, Größtenteils falsch, Frei
# erfunden, Falsch); dpa-Faktencheck: Falsch, Irreführend; AFP Faktencheck.
_LABELS[T] += ["richtig", "wahr", "stimmt"]
_LABELS[MT] += ["größtenteils richtig", "grösstenteils richtig", "überwiegend richtig"]
_LABELS[HT] += ["teilweise richtig", "halb wahr", "unbelegt teilweise"]
_LABELS[MF] += ["teilweise falsch", "fehlender kontext", "größtenteils falsch",
                "irreführend", "irrefuhrend", "manipuliert", "falscher kontext"]
_LABELS[F] += ["falsch", "frei erfunden", "erfunden", "fälschung", "satire"]
_LABELS[UNPROVEN] += ["unbelegt", "nicht belegt", "unbewiesen"]

# Italian. Pagella Politica's scale (pagellapolitica.it/metodologia: Vero, C'eri quasi,
# Nì, Pinocchio andante, Panzana pazzesca); Facta.news: Falso, Fuorviante, Senza prove.
_LABELS[T] += ["vero", "corretto"]
_LABELS[MT] += ["c'eri quasi", "quasi vero"]
_LABELS[HT] += ["nì", "ni", "parzialmente vero", "mezza verità"]
_LABELS[MF] += ["fuorviante", "pinocchio andante", "decontestualizzato", "ingannevole",
                "parzialmente falso", "manipolato"]
_LABELS[F] += ["falso", "panzana pazzesca", "bufala", "notizia falsa"]
_LABELS[UNPROVEN] += ["senza prove", "non dimostrato"]

# Arabic. Fatabyyano's labels (fatabyyano.net/methodology: صحيح, صحيح جزئيا, مضلل,
# زائف, ساخر, عنوان مضلل); Misbar: زائف, مضلل, مفبرك. زائف/كاذب mean false, مضلل misleading.
_LABELS[T] += ["صحيح", "حقيقي"]
_LABELS[HT] += ["صحيح جزئيا", "صحيح جزئياً", "نصف صحيح"]
_LABELS[MF] += ["مضلل", "عنوان مضلل", "خارج السياق", "ناقص", "مجتزأ"]
_LABELS[F] += ["زائف", "كاذب", "خاطئ", "مفبرك", "ساخر", "خطأ", "زائف جزئيا"]
_LABELS[UNPROVEN] += ["غير مثبت", "لا دليل"]

# Hindi. Vishvas News (vishvasnews.com/about-us: सच, भ्रामक, झूठ/फर्जी); Boom and
# Factly Hindi: फेक, गलत, भ्रामक, सच. झूठ/गलत/फर्जी false, भ्रामक misleading, सच true.
_LABELS[T] += ["सच", "सही", "सत्य"]
_LABELS[HT] += ["आधा सच", "आंशिक रूप से सच"]
_LABELS[MF] += ["भ्रामक", "गुमराह करने वाला", "संदर्भ से बाहर"]
_LABELS[F] += ["झूठ", "फर्जी", "फेक", "गलत", "असत्य", "फ़र्ज़ी"]

# Chinese. Taiwan FactCheck Center (tfc-taiwan.org.tw: 錯誤, 部分錯誤, 事實釐清, 正確,
# 證據不足); MyGoPen: 謠言, 假的, 誤導; AFP Chinese: 錯誤, 誤導, 缺乏背景.
_LABELS[T] += ["正確", "正确", "真實", "真实", "事實", "事实"]
_LABELS[HT] += ["部分正確", "部分正确"]
_LABELS[MF] += ["部分錯誤", "部分错误", "誤導", "误导", "缺乏背景", "事實釐清", "事实厘清"]
_LABELS[F] += ["錯誤", "错误", "謠言", "谣言", "假的", "假", "不實", "不实"]
_LABELS[UNPROVEN] += ["證據不足", "证据不足", "無法證實", "无法证实"]

# Indonesian. Cek Fakta Tempo (Benar, Sebagian benar, Menyesatkan, Keliru); Mafindo/
# TurnBackHoax: Hoaks, Disinformasi, Salah; Kompas: Hoaks, Klarifikasi.
_LABELS[T] += ["benar", "fakta"]
_LABELS[HT] += ["sebagian benar", "setengah benar"]
_LABELS[MF] += ["menyesatkan", "konten menyesatkan", "misleading konteks", "konteks salah",
                "sebagian salah"]
_LABELS[F] += ["salah", "keliru", "hoaks", "hoax", "disinformasi", "konten palsu",
               "palsu", "tidak benar"]
_LABELS[UNPROVEN] += ["belum terbukti", "tidak terbukti"]

BUILTIN: dict[str, Status] = {}
for _status, _names in _LABELS.items():
    for _name in _names:
        BUILTIN.setdefault(label_key(_name), _status)
for _status in Status:
    BUILTIN.setdefault(label_key(_status.value), _status)

# A label this long, or holding a sentence's full stop, is a conclusion, not a verdict.
SENTENCE_WORDS = 6
_LEAD = re.compile("^\\s*([^:.!?;,\\-\u2013\u2014]{1,40}?)\\s*[:.!?;,\\-\u2013\u2014]\\s+\\S")


def is_sentence(label: str) -> bool:
    return len(label.split()) > SENTENCE_WORDS or bool(re.search(r"[.!?]\s+\S", label))


def lookup(label: str, extra: Mapping[str, Status] | None = None) -> Status | None:
    """Our status for a label: the caller's map first (keys made by ``label_key``), then
    the built-in one; None when neither knows it."""
    key = label_key(label)
    if not key:
        return None
    if extra and key in extra:
        return extra[key]
    return BUILTIN.get(key)


def read_label(label: str, extra: Mapping[str, Status] | None = None
               ) -> tuple[str, Status | None, str | None]:
    """(label to keep, status or None, explanation). A sentence keeps its opening verdict
    word as the label when one is there ("FALSO: As imagens ..." -> "FALSO") and the whole
    sentence as the explanation."""
    label = " ".join(label.split())
    if not is_sentence(label):
        return label, lookup(label, extra), None
    lead = _LEAD.match(label)
    if lead and lookup(lead.group(1), extra) is not None:
        return lead.group(1), lookup(lead.group(1), extra), label
    return label, lookup(label, extra), label


def scaled(value: float, best: float, worst: float) -> Status | None:
    """A numeric rating on a proper scale onto 1-5: (value - worst) / (best - worst)."""
    if best == worst or not min(best, worst) <= value <= max(best, worst):
        return None
    share = (value - worst) / (best - worst)
    score = 1 + round(share * 4)
    return {5: T, 4: MT, 3: HT, 2: MF, 1: F}[score]
