"""How values read on an Arabic page: digits, dates, counts, outlet and section names, safe links."""
from __future__ import annotations

from markupsafe import Markup

from urllib.parse import urlsplit

ARABIC_DIGITS = str.maketrans("0123456789.,", "٠١٢٣٤٥٦٧٨٩٫٬")
# The month names of Egyptian and Gulf newspapers (the Levant uses كانون الثاني ...).
MONTHS = ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر")

# Index values (as the corpora spell them) -> names readers know; others show as stored.
SOURCE_NAMES = {
    "Sky News Arabia": "سكاي نيوز عربية",
    "Al Arabiya": "العربية",
    "France 24 Arabic": "فرانس ٢٤",
    "BBC Arabic": "بي بي سي عربي",
    "CNN Arabic": "سي إن إن بالعربية",
    "Jawhara FM": "جوهرة إف إم",
    "Al-Riyadh": "الرياض",
    "Al-Jazirah": "الجزيرة",
    "Al-Yaum": "اليوم",
    "Al-Eqtisadiya": "الاقتصادية",
    "Al-Sharq Al-Awsat": "الشرق الأوسط",
    "Okaz": "عكاظ",
    "Al-Watan (KSA)": "الوطن السعودية",
    "Al-Madina": "المدينة",
    "Al-Weeam": "الوئام",
    "Ain Alyoum": "عين اليوم",
    "Sabq": "سبق",
    "Saudi Press Agency": "وكالة الأنباء السعودية",
    "Arreyadi": "الرياضي",
    "Arreyadiyah": "الرياضية",
}
CATEGORY_NAMES = {
    "internationalNews": "دولي",
    "middleEast": "الشرق الأوسط",
    "localNews": "محلي",
    "politic": "سياسة",
    "economy": "اقتصاد",
    "sport": "رياضة",
    "technology": "تكنولوجيا",
    "culture": "ثقافة",
    "society": "مجتمع",
    "diverse": "منوعات",
}


def arabic_number(value: int | float | str) -> str:
    if isinstance(value, int):
        value = f"{value:,}"
    return str(value).translate(ARABIC_DIGITS)


def arabic_date(value: str | None) -> str:
    """'2015-07-31T10:00:00' -> '٣١ يوليو ٢٠١٥'; anything unparsable -> ''."""
    try:
        year, month, day = (int(part) for part in (value or "")[:10].split("-"))
        return f"{arabic_number(str(day))} {MONTHS[month - 1]} {arabic_number(str(year))}"
    except (ValueError, IndexError):
        return ""


def result_count(n: int) -> str:
    """The count with the noun Arabic grammar wants: dual, plural for 3-10, singular past 10."""
    if n == 0:
        return "لا نتائج"
    if n == 1:
        return "نتيجة واحدة"
    if n == 2:
        return "نتيجتان"
    if n % 100 in range(3, 11):
        return f"{arabic_number(n)} نتائج"
    return f"{arabic_number(n)} نتيجة"


def seconds(took_ms: float) -> str:
    return f"{arabic_number(f'{took_ms / 1000:.2f}')} ثانية"


def source_name(value: str | None) -> str:
    return SOURCE_NAMES.get(value or "", value or "")


def category_name(value: str | None) -> str:
    return CATEGORY_NAMES.get(value or "", value or "")


def safe_url(value: str | None) -> str | None:
    """The URL if it is a plain web address; None for javascript:, data: and other schemes."""
    if not value or any(ch in value for ch in "\x00\r\n\t"):
        return None
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return None
    return value.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


# Counted nouns: (one, two, three to ten, eleven and more), as Arabic grammar counts them.
NOUNS = {
    "article": ("خبر واحد", "خبران", "أخبار", "خبرًا"),
    "source": ("مصدر واحد", "مصدران", "مصادر", "مصدرًا"),
}


def counted(n: int, noun: str) -> str:
    one, two, few, many = NOUNS[noun]
    if n == 1:
        return one
    if n == 2:
        return two
    return f"{arabic_number(n)} {few if n % 100 in range(3, 11) else many}"


FILTERS = {
    "counted": counted,
    "arabic_number": arabic_number,
    "arabic_date": arabic_date,
    "result_count": result_count,
    "seconds": seconds,
    "source_name": source_name,
    "category_name": category_name,
    "safe_url": safe_url,
}


# Embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) in a stored
# field would reorder the page around them (a title with U+202E displays
# backwards): every value a template prints goes out without them.
_BIDI_CONTROLS = {code: None for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def without_bidi_controls(value):
    """Jinja's finalize: each printed value without bidi controls; markup stays markup."""
    if isinstance(value, Markup):
        return Markup(str(value).translate(_BIDI_CONTROLS))
    if isinstance(value, str):
        return value.translate(_BIDI_CONTROLS)
    return value
