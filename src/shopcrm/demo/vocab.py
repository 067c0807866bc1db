"""Built-in word lists for the demo data: names, places, streets, product catalog.

Plain lists (no faker): the large data set has a million customers, and picking from numpy-encoded
vocabularies is what keeps its generation vectorised. Emails use only the reserved documentation
domains (RFC 2606) so demo data can never mail a real person.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

FIRST_NAMES: tuple[str, ...] = (
    "Emma", "Olivia", "Liam", "Noah", "James", "Sophia", "Oliver", "Ava", "William", "Isabella",
    "Mia", "Lucas", "Charlotte", "Benjamin", "Amelia", "Henry", "Harper", "Alexander", "Evelyn",
    "Jack", "Harry", "George", "Grace", "Oscar", "Freya", "Isla", "Charlie", "Chloé", "Léa",
    "Manon", "Camille", "Louis", "Hugo", "Jules", "Lukas", "Leon", "Finn", "Paul", "Hannah",
    "Lena", "Anna", "Marie", "Sofia", "Giulia", "Alessandro", "Lorenzo", "Matteo", "Francesca",
    "Lucía", "Martina", "Pablo", "Alejandro", "José", "Daan", "Sem", "Sanne", "Lotte", "Erik",
    "Björn", "Astrid", "Elsa", "Aoife", "Seán", "Ciara", "Conor", "Chloe", "Zoë", "Mohammed",
    "Aisha", "Priya", "Arjun", "Wei", "Mei", "Yuki", "Kenji", "Ana", "Sara", "Daniel", "David",
    "Michael", "Sarah", "Emily", "Jessica", "Matthew", "Ethan", "Ryan", "Laura", "Nina", "Thomas",
    "Julia", "Max", "Ella", "Jacob", "Ruby", "Samuel", "Ingrid", "Mateo", "Valentina", "Tom",
)  # fmt: skip

LAST_NAMES: tuple[str, ...] = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
    "Martinez", "Wilson", "Anderson", "Taylor", "Thomas", "Moore", "Jackson", "Martin", "Lee",
    "Thompson", "White", "Harris", "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen", "King",
    "Wright", "Scott", "Hill", "Green", "Adams", "Baker", "Nelson", "Carter", "Mitchell", "Roberts",
    "Murphy", "O'Brien", "Kelly", "Byrne", "Müller", "Schmidt", "Schneider", "Fischer", "Weber",
    "Meyer", "Wagner", "Becker", "Dubois", "Lefèvre", "Moreau", "Laurent", "Bernard", "Rossi",
    "Russo", "Ferrari", "Esposito", "Bianchi", "García", "Fernández", "López", "Jansen",
    "de Vries", "van Dijk", "Bakker", "Johansson", "Andersson", "Nilsson", "Singh", "Patel",
    "Nguyen", "Kim", "Chen", "Wang", "Tanaka", "Silva", "Santos", "Kowalski", "Novak", "Evans",
    "Hughes", "Edwards", "Cooper", "Ward", "Morris", "Cook", "Bell", "Reid", "Campbell", "Stewart",
)  # fmt: skip

# Reserved documentation domains only (RFC 2606): demo addresses can never reach a real inbox.
EMAIL_DOMAINS: tuple[tuple[str, float], ...] = (
    ("example.com", 0.34),
    ("example.net", 0.18),
    ("example.org", 0.14),
    ("mail.example.com", 0.14),
    ("inbox.example.net", 0.12),
    ("post.example.org", 0.08),
)


@dataclass(frozen=True)
class Country:
    code: str  # ISO 3166-1 alpha-2
    weight: float
    dial_code: str  # E.164 country calling code, without "+"
    # Mobile numbers: (national prefix, subscriber digits after it), each prefix checked with the
    # phonenumbers library to give valid numbers whatever the digits (tests/demo/test_demo_data.py).
    mobile: tuple[tuple[str, int], ...]
    # (city, postal code template): each "#" becomes a digit.
    cities: tuple[tuple[str, str], ...]


def _mobiles(digits: int, *prefixes: str) -> tuple[tuple[str, int], ...]:
    return tuple((prefix, digits) for prefix in prefixes)


def _nanp(*area_codes: str) -> tuple[tuple[str, int], ...]:
    """North American numbers: an area code, then an exchange not starting with 0 or 1."""
    return tuple((area + first, 6) for area in area_codes for first in "23456789")


COUNTRIES: tuple[Country, ...] = (
    Country("US", 0.42, "1", _nanp("212", "213", "305", "312", "404", "415", "503", "512", "602", "617", "702"), (
        ("New York", "100##"), ("Los Angeles", "900##"), ("Chicago", "606##"), ("Houston", "770##"),
        ("Phoenix", "850##"), ("Philadelphia", "191##"), ("San Antonio", "782##"), ("San Diego", "921##"),
        ("Dallas", "752##"), ("Austin", "787##"), ("Seattle", "981##"), ("Denver", "802##"),
        ("Boston", "021##"), ("Portland", "972##"), ("Atlanta", "303##"), ("Miami", "331##"),
    )),
    Country("GB", 0.12, "44", _mobiles(8, "74", "75", "78"), (
        ("London", "SW1A #AA"), ("Manchester", "M1 #AE"), ("Birmingham", "B1 #BB"), ("Leeds", "LS1 #AZ"),
        ("Glasgow", "G1 #RX"), ("Edinburgh", "EH1 #YT"), ("Bristol", "BS1 #TR"), ("Liverpool", "L1 #JQ"),
    )),
    Country("CA", 0.07, "1", _nanp("416", "604", "514", "403", "613", "902"), (
        ("Toronto", "M5V #L#"), ("Vancouver", "V6B #E#"), ("Montréal", "H2X #Y#"), ("Calgary", "T2P #K#"),
        ("Ottawa", "K1P #A#"),
    )),
    Country("DE", 0.08, "49", _mobiles(8, "151", "152", "157") + _mobiles(7, "160", "170", "171", "175"), (
        ("Berlin", "101##"), ("Hamburg", "201##"), ("München", "803##"), ("Köln", "506##"),
        ("Frankfurt am Main", "603##"), ("Stuttgart", "701##"), ("Leipzig", "041##"),
    )),
    Country("FR", 0.06, "33", _mobiles(7, "60", "61", "62", "64", "65", "66", "67", "68", "75", "76"), (
        ("Paris", "750##"), ("Lyon", "6900#"), ("Marseille", "130##"), ("Toulouse", "310##"),
        ("Nice", "060##"), ("Bordeaux", "330##"),
    )),
    Country("AU", 0.05, "61", _mobiles(7, "40", "41", "42", "43", "46"), (
        ("Sydney", "20##"), ("Melbourne", "30##"), ("Brisbane", "40##"), ("Perth", "60##"), ("Adelaide", "50##"),
    )),
    Country("NL", 0.04, "31", _mobiles(7, "61", "62", "63", "64", "65", "68"), (
        ("Amsterdam", "10## AB"), ("Rotterdam", "30## CD"), ("Utrecht", "35## EK"), ("Eindhoven", "56## GH"),
    )),
    Country("ES", 0.04, "34", _mobiles(7, "60", "61", "62", "63", "64", "65", "66", "67", "68"), (
        ("Madrid", "280##"), ("Barcelona", "080##"), ("Valencia", "460##"), ("Sevilla", "410##"),
    )),
    Country("IT", 0.04, "39", _mobiles(8, "32", "33", "34", "35", "36", "38", "39"), (
        ("Roma", "001##"), ("Milano", "201##"), ("Napoli", "801##"), ("Torino", "101##"),
    )),
    Country("SE", 0.03, "46", _mobiles(7, "70", "72", "73", "76", "79"), (
        ("Stockholm", "111 ##"), ("Göteborg", "411 ##"), ("Malmö", "211 ##"),
    )),
    Country("IE", 0.03, "353", _mobiles(7, "83", "85", "86", "87", "89"), (
        ("Dublin", "D0# X2##"), ("Cork", "T12 X8##"), ("Galway", "H91 E5##"),
    )),
    Country("NZ", 0.02, "64", _mobiles(7, "21", "22", "27"), (
        ("Auckland", "10##"), ("Wellington", "60##"), ("Christchurch", "80##"),
    )),
)  # fmt: skip

STREETS: tuple[str, ...] = (
    "Main", "Oak", "Maple", "Cedar", "Pine", "Elm", "Washington", "Lake", "Hill", "Park", "High",
    "Church", "Station", "Mill", "Victoria", "King", "Queen", "Bridge", "River", "Meadow", "Sunset",
    "Willow", "Birch", "Chestnut", "Harbour", "Garden", "Forest", "Spring", "Valley", "Orchard",
)  # fmt: skip
STREET_SUFFIXES: tuple[str, ...] = (
    "Street", "Avenue", "Road", "Lane", "Drive", "Way", "Close", "Court", "Boulevard", "Place",
)  # fmt: skip
UNIT_PREFIXES: tuple[str, ...] = ("Apt ", "Suite ", "Unit ", "Flat ")


@dataclass(frozen=True)
class Category:
    name: str
    sku_prefix: str
    weight: float  # share of the catalog
    price_low: float  # dollars; prices are log-uniform in the band
    price_high: float
    low_stock_threshold: int
    reorder_lead_days: int
    nouns: tuple[str, ...]


CATEGORIES: tuple[Category, ...] = (
    Category("Apparel", "APP", 0.20, 12, 140, 20, 21, (
        "T-Shirt", "Hoodie", "Sweater", "Jeans", "Chinos", "Dress", "Jacket", "Shirt", "Leggings", "Shorts")),
    Category("Footwear", "FTW", 0.08, 35, 240, 10, 30, (
        "Sneakers", "Running Shoes", "Boots", "Sandals", "Loafers", "Slippers", "Trail Shoes")),
    Category("Accessories", "ACC", 0.10, 8, 95, 15, 21, (
        "Tote Bag", "Wallet", "Belt", "Scarf", "Beanie", "Sunglasses", "Backpack", "Cap", "Watch Strap")),
    Category("Home & Kitchen", "HOM", 0.14, 9, 320, 10, 14, (
        "Mug", "Chef's Knife", "Cutting Board", "Throw Blanket", "Candle", "Cookware Set", "Vase",
        "Cushion", "Coffee Grinder", "Teapot")),
    Category("Beauty", "BEA", 0.10, 6, 85, 25, 14, (
        "Face Serum", "Moisturiser", "Lip Balm", "Shampoo", "Body Lotion", "Hand Cream", "Sunscreen")),
    Category("Electronics", "ELE", 0.08, 19, 1499, 5, 30, (
        "Headphones", "Bluetooth Speaker", "Charger", "Power Bank", "Smartwatch", "Keyboard",
        "Webcam", "E-Reader")),
    Category("Outdoor", "OUT", 0.08, 15, 650, 5, 30, (
        "Tent", "Sleeping Bag", "Water Bottle", "Headlamp", "Camp Chair", "Rain Jacket", "Daypack")),
    Category("Toys & Games", "TOY", 0.08, 7, 130, 10, 21, (
        "Puzzle", "Board Game", "Plush Bear", "Building Set", "Card Game", "Kite", "Train Set")),
    Category("Books", "BOK", 0.07, 5, 48, 10, 7, (
        "Cookbook", "Novel", "Travel Guide", "Notebook", "Journal", "Sketchbook", "Planner")),
    Category("Grocery", "GRO", 0.07, 3, 42, 30, 7, (
        "Coffee Beans", "Green Tea", "Olive Oil", "Dark Chocolate", "Granola", "Honey", "Hot Sauce")),
)  # fmt: skip

PRODUCT_ADJECTIVES: tuple[str, ...] = (
    "Classic", "Everyday", "Premium", "Essential", "Organic", "Vintage", "Compact", "Deluxe", "Modern",
    "Heritage", "Lightweight", "Signature", "Urban", "Nordic", "Studio", "Coastal",
)  # fmt: skip
PRODUCT_MODIFIERS: tuple[str, ...] = (
    "Black", "Navy", "Oat", "Olive", "Charcoal", "Sand", "Forest", "Rose", "Slate", "Ivory", "Cobalt",
    "Terracotta", "Walnut", "Linen", "Cotton", "Bamboo", "Copper", "Sage",
)  # fmt: skip


def ascii_slug(text: str) -> str:
    """Lower-case ASCII letters only: 'Lefèvre' -> 'lefevre', "O'Brien" -> 'obrien'."""
    decomposed = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return "".join(ch for ch in decomposed.lower() if ch.isalnum())
