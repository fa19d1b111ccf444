"""Units of measure a line may use (BT-130): a compact subset of UN/ECE Recommendation 20/21.

EN 16931 (BR-CL-23) accepts the whole of Rec 20 with the Rec 21 extension
(over 2000 codes); a sole proprietor needs a few dozen. Every code here is in
the list the official CEN rules check (a test compares them), so an invoice we
accept is never refused for its unit.
"""

#: Code → English name, the everyday units first.
UNIT_NAMES: dict[str, str] = {
    # counts
    "C62": "one (unit)",
    "H87": "piece",
    "EA": "each",
    "SET": "set",
    "PR": "pair",
    "DZN": "dozen",
    "NAR": "number of articles",
    "LS": "lump sum",
    "P1": "percent",
    "ZZ": "mutually defined",
    # time
    "SEC": "second",
    "MIN": "minute",
    "HUR": "hour",
    "DAY": "day",
    "WEE": "week",
    "MON": "month",
    "QAN": "quarter (of a year)",
    "ANN": "year",
    "E48": "service unit",
    "E49": "working day",
    # mass
    "MGM": "milligram",
    "GRM": "gram",
    "KGM": "kilogram",
    "TNE": "tonne",
    "LBR": "pound",
    "ONZ": "ounce",
    # length
    "MMT": "millimetre",
    "CMT": "centimetre",
    "DMT": "decimetre",
    "MTR": "metre",
    "KMT": "kilometre",
    "INH": "inch",
    "FOT": "foot",
    "YRD": "yard",
    "SMI": "mile",
    # area
    "MMK": "square millimetre",
    "CMK": "square centimetre",
    "DMK": "square decimetre",
    "MTK": "square metre",
    "ACR": "acre",
    "KMK": "square kilometre",
    # volume
    "MLT": "millilitre",
    "CLT": "centilitre",
    "DLT": "decilitre",
    "LTR": "litre",
    "HLT": "hectolitre",
    "MMQ": "cubic millimetre",
    "CMQ": "cubic centimetre",
    "DMQ": "cubic decimetre",
    "MTQ": "cubic metre",
    # energy, power, data, speed
    "WTT": "watt",
    "KWT": "kilowatt",
    "KWH": "kilowatt hour",
    "MWH": "megawatt hour",
    "GWH": "gigawatt hour",
    "MHZ": "megahertz",
    "E34": "gigabyte",
    "E35": "terabyte",
    "4L": "megabyte",
    "AD": "byte",
    "KMH": "kilometre per hour",
    "MQH": "cubic metre per hour",
    # packaging (Rec 21, "X" + package type)
    "XPK": "package",
    "XBX": "box",
    "XCT": "carton",
    "XPA": "packet",
    "XBG": "bag",
    "XBO": "bottle",
    "XCN": "can",
    "XPX": "pallet",
    "XRO": "roll",
    "XSA": "sack",
    "XTU": "tube",
    "XBE": "bundle",
    "XPL": "pail",
    "XCR": "crate",
}

#: The accepted unit codes (BT-130).
UNIT_CODES: frozenset[str] = frozenset(UNIT_NAMES)
