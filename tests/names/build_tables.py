"""Rebuild the name-pair tables under tests/names/data/ (run by hand; the tables are committed).

    .venv/bin/python tests/names/build_tables.py

People are synthetic: generic common surnames crossed with given names and patronymics, drawn
with a fixed seed. Each pair is written with the kind of variation it exercises, so a failure
names its cause. Latin spellings are produced by the standards' letter tables
(parley.names.translit); everything else (UA/RU forms, diminutives, typos, order, initials,
OCR slips) is written here.
"""

from __future__ import annotations

import random
from pathlib import Path

from parley.names.translit import romanize_as

DATA = Path(__file__).parent / "data"

# (Ukrainian male, Russian male, Ukrainian female, Russian female) surname forms.
SURNAMES: list[tuple[str, str, str, str]] = [
    ("Ковальов", "Ковалёв", "Ковальова", "Ковалёва"),
    ("Шевченко", "Шевченко", "Шевченко", "Шевченко"),
    ("Бондаренко", "Бондаренко", "Бондаренко", "Бондаренко"),
    ("Олійник", "Олейник", "Олійник", "Олейник"),
    ("Мельник", "Мельник", "Мельник", "Мельник"),
    ("Поліщук", "Полищук", "Поліщук", "Полищук"),
    ("Білоус", "Белоус", "Білоус", "Белоус"),
    ("Лисенко", "Лысенко", "Лисенко", "Лысенко"),
    ("Іванов", "Иванов", "Іванова", "Иванова"),
    ("Соловйов", "Соловьёв", "Соловйова", "Соловьёва"),
    ("Ковальський", "Ковальский", "Ковальська", "Ковальская"),
    ("Грищенко", "Грищенко", "Грищенко", "Грищенко"),
    ("Гнатюк", "Гнатюк", "Гнатюк", "Гнатюк"),
    ("Журавльов", "Журавлёв", "Журавльова", "Журавлёва"),
    ("Васильєв", "Васильев", "Васильєва", "Васильева"),
    ("Савчук", "Савчук", "Савчук", "Савчук"),
    ("Мірошниченко", "Мирошниченко", "Мірошниченко", "Мирошниченко"),
    ("Кушнір", "Кушнир", "Кушнір", "Кушнир"),
    ("Гордієнко", "Гордиенко", "Гордієнко", "Гордиенко"),
    ("Чорновол", "Черновол", "Чорновол", "Черновол"),
    ("Яковенко", "Яковенко", "Яковенко", "Яковенко"),
    ("Ткачук", "Ткачук", "Ткачук", "Ткачук"),
    ("Сергієнко", "Сергиенко", "Сергієнко", "Сергиенко"),
    ("Григор'єв", "Григорьев", "Григор'єва", "Григорьева"),
    ("Захарченко", "Захарченко", "Захарченко", "Захарченко"),
    ("Кузнецов", "Кузнецов", "Кузнецова", "Кузнецова"),
    ("Білик", "Белик", "Білик", "Белик"),
    ("Стельмах", "Стельмах", "Стельмах", "Стельмах"),
    ("Семенов", "Семёнов", "Семенова", "Семёнова"),
    ("Цибулько", "Цыбулько", "Цибулько", "Цыбулько"),
    ("Мартинюк", "Мартынюк", "Мартинюк", "Мартынюк"),
    ("Остапенко", "Остапенко", "Остапенко", "Остапенко"),
]

# (Ukrainian, Russian, common English, diminutive) given names; male then female.
MALE: list[tuple[str, str, str, str]] = [
    ("Олександр", "Александр", "Alexander", "Sasha"),
    ("Олексій", "Алексей", "Alexey", "Lyosha"),
    ("Микола", "Николай", "Nicholas", "Kolya"),
    ("Сергій", "Сергей", "Sergey", "Seryozha"),
    ("Юрій", "Юрий", "Yuri", "Yura"),
    ("Григорій", "Григорий", "Gregory", "Grisha"),
    ("Євген", "Евгений", "Eugene", "Zhenya"),
    ("Петро", "Пётр", "Peter", "Petya"),
    ("Дмитро", "Дмитрий", "Dmitry", "Dima"),
    ("Андрій", "Андрей", "Andrew", "Andryusha"),
    ("Михайло", "Михаил", "Michael", "Misha"),
    ("Володимир", "Владимир", "Vladimir", "Volodya"),
    ("Іван", "Иван", "Ivan", "Vanya"),
    ("Василь", "Василий", "Vasily", "Vasya"),
    ("Федір", "Фёдор", "Fyodor", "Fedya"),
    ("Ігор", "Игорь", "Igor", "Ihor"),
    ("Віталій", "Виталий", "Vitaly", "Vitalik"),
    ("Олег", "Олег", "Oleg", "Oleh"),
    ("Яків", "Яков", "Jacob", "Yasha"),
    ("Кирило", "Кирилл", "Kirill", "Kiryusha"),
]
FEMALE: list[tuple[str, str, str, str]] = [
    ("Олександра", "Александра", "Alexandra", "Oleksandra"),
    ("Юлія", "Юлия", "Julia", "Yulya"),
    ("Олена", "Елена", "Helen", "Lena"),
    ("Тетяна", "Татьяна", "Tatiana", "Tanya"),
    ("Наталія", "Наталья", "Natalia", "Natasha"),
    ("Катерина", "Екатерина", "Catherine", "Katya"),
    ("Ганна", "Анна", "Anna", "Anya"),
    ("Марія", "Мария", "Maria", "Masha"),
    ("Ірина", "Ирина", "Irina", "Ira"),
    ("Світлана", "Светлана", "Svetlana", "Sveta"),
    ("Ольга", "Ольга", "Olga", "Olya"),
    ("Надія", "Надежда", "Nadezhda", "Nadya"),
]
# Father's names and their patronymics: (UA m, UA f, RU m, RU f).
PATRONYMICS: list[tuple[str, str, str, str]] = [
    ("Миколайович", "Миколаївна", "Николаевич", "Николаевна"),
    ("Олексійович", "Олексіївна", "Алексеевич", "Алексеевна"),
    ("Петрович", "Петрівна", "Петрович", "Петровна"),
    ("Іванович", "Іванівна", "Иванович", "Ивановна"),
    ("Сергійович", "Сергіївна", "Сергеевич", "Сергеевна"),
    ("Юрійович", "Юріївна", "Юрьевич", "Юрьевна"),
    ("Григорович", "Григорівна", "Григорьевич", "Григорьевна"),
    ("Васильович", "Василівна", "Васильевич", "Васильевна"),
    ("Федорович", "Федорівна", "Фёдорович", "Фёдоровна"),
    ("Андрійович", "Андріївна", "Андреевич", "Андреевна"),
    ("Якович", "Яківна", "Яковлевич", "Яковлевна"),
    ("Дмитрович", "Дмитрівна", "Дмитриевич", "Дмитриевна"),
]
# Pairs of different given names that look alike.
LOOKALIKE_GIVEN: list[tuple[str, str]] = [
    ("Oleksandr", "Oleksii"), ("Yurii", "Yuliia"), ("Oleksandr", "Oleksandra"),
    ("Mykola", "Mykyta"), ("Valentyn", "Valentyna"), ("Yevhen", "Yevheniia"),
    ("Vitalii", "Viktor"), ("Andrii", "Anatolii"), ("Roman", "Ruslan"), ("Oleh", "Olha"),
    ("Olena", "Oleksandra"), ("Mariia", "Maryna"), ("Iryna", "Inna"), ("Yana", "Yuliia"),
    ("Denys", "Dmytro"), ("Ivan", "Ilia"), ("Serhii", "Stepan"), ("Petro", "Pavlo"),
    ("Bohdan", "Borys"), ("Vasyl", "Vadym"), ("Taras", "Tamara"), ("Artem", "Arsen"),
    ("Александр", "Алексей"), ("Юрий", "Юлия"), ("Олександр", "Олексій"),
    ("Maksym", "Mykhailo"), ("Ihor", "Illia"), ("Yaroslav", "Yaroslava"), ("Kyrylo", "Klym"),
    ("Stanislav", "Sviatoslav"), ("Volodymyr", "Vsevolod"), ("Anton", "Antonina"),
    ("Nataliia", "Nadiia"), ("Tetiana", "Tamara"), ("Svitlana", "Snizhana"),
    ("Liudmyla", "Lidiia"), ("Halyna", "Hanna"), ("Alina", "Alona"), ("Oksana", "Olesia"),
    ("Kateryna", "Karyna"),
]
# Different surnames from one stem, or close spellings of different families.
LOOKALIKE_FAMILY: list[tuple[str, str]] = [
    ("Kovalenko", "Kovalchuk"), ("Petrenko", "Petrov"), ("Shevchenko", "Shevchuk"),
    ("Kovalov", "Kovalenko"), ("Savchuk", "Savchenko"), ("Tkachuk", "Tkachenko"),
    ("Ivanov", "Ivanenko"), ("Bondar", "Bondarenko"), ("Melnyk", "Melnychuk"),
    ("Kravchenko", "Kravchuk"), ("Ковальов", "Коваленко"), ("Шевченко", "Шевчук"),
    ("Гнатюк", "Гнатенко"), ("Ostapenko", "Ostapchuk"), ("Hrytsenko", "Hnatenko"),
    ("Martyniuk", "Martynenko"), ("Lysenko", "Lysak"), ("Bilous", "Bilyk"),
    ("Polishchuk", "Poliakov"), ("Kuznetsov", "Kuzmenko"), ("Sokolov", "Sokolenko"),
    ("Pavlenko", "Pavlov"), ("Marchenko", "Marchuk"), ("Rudenko", "Rudyk"),
    ("Levchenko", "Levytskyi"), ("Zakharchenko", "Zakharov"), ("Yakovenko", "Yakovlev"),
    ("Hordiienko", "Horbenko"), ("Stelmakh", "Stelmashchuk"), ("Kushnir", "Kushnirenko"),
]

SYSTEMS = ("ua2010", "icao", "gost_b", "bgn", "english")


def rom(text: str, system: str, lang: str) -> str:
    return romanize_as(text, system, lang)


def typo(word: str, rng: random.Random) -> str:
    """One keyboard/OCR slip inside the word (never the first letter)."""
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 2)
    kind = rng.choice(["swap", "drop", "double", "ocr"])
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    ocr = {"o": "0", "l": "1", "m": "rn", "о": "o", "а": "a", "е": "e", "і": "i", "с": "c"}
    for j in range(i, len(word)):
        if word[j] in ocr:
            return word[:j] + ocr[word[j]] + word[j + 1 :]
    return word[:i] + word[i + 1 :]


def true_pairs(rng: random.Random) -> list[tuple[str, str, str]]:
    out: list[tuple[str, str, str]] = []
    for n in range(330):
        female = n % 4 == 3
        fam = rng.choice(SURNAMES)
        given = rng.choice(FEMALE if female else MALE)
        patr = rng.choice(PATRONYMICS)
        f_ua, f_ru = (fam[2], fam[3]) if female else (fam[0], fam[1])
        p_ua, p_ru = (patr[1], patr[3]) if female else (patr[0], patr[2])
        ua = f"{f_ua} {given[0]} {p_ua}"
        ru = f"{f_ru} {given[1]} {p_ru}"
        system = rng.choice(SYSTEMS)
        kind = n % 11
        if kind == 0:
            out.append((ua, ru, "ua-cyrillic/ru-cyrillic"))
        elif kind == 1:
            out.append((ua, f"{rom(given[0], 'ua2010', 'uk')} {rom(f_ua, 'ua2010', 'uk')}",
                        "ua-cyrillic/ua2010 passport"))
        elif kind == 2:
            out.append((ru, f"{rom(given[1], system, 'ru')} {rom(f_ru, system, 'ru')}",
                        f"ru-cyrillic/{system}"))
        elif kind == 3:
            out.append((f"{rom(given[0], 'ua2010', 'uk')} {rom(f_ua, 'ua2010', 'uk')}",
                        f"{given[2]} {rom(f_ru, 'english', 'ru')}", "ua2010/english"))
        elif kind == 4:
            out.append((ua, f"{given[3]} {rom(f_ua, 'ua2010', 'uk')}", "diminutive"))
        elif kind == 5:
            g = rom(given[0], "ua2010", "uk")
            p = rom(p_ua, "ua2010", "uk")
            out.append((ua, f"{g[0]}. {p[0]}. {rom(f_ua, 'ua2010', 'uk')}", "initials"))
        elif kind == 6:
            out.append((f"{rom(f_ua, 'ua2010', 'uk').upper()} {rom(given[0], 'ua2010', 'uk')}",
                        f"{rom(given[1], 'icao', 'ru')} {rom(f_ru, 'icao', 'ru')}",
                        "swapped order, caps"))
        elif kind == 7:
            out.append((ru, f"{typo(f_ru, rng)} {given[1]} {p_ru}", "typo in family name"))
        elif kind == 8:
            latin = f"{rom(given[0], 'ua2010', 'uk')} {rom(f_ua, 'ua2010', 'uk')}"
            slip = typo(rom(f_ua, "ua2010", "uk"), rng)
            out.append((latin, f"{rom(given[0], 'ua2010', 'uk')} {slip}",
                        "typo in latin family name"))
        elif kind == 9:
            out.append((f"{rom(f_ua, 'ua2010', 'uk')}, {rom(given[0], 'ua2010', 'uk')} "
                        f"{rom(p_ua, 'ua2010', 'uk')}", ru, "comma form/ru-cyrillic"))
        else:
            # OCR/keyboard: Latin look-alikes inside a Cyrillic name, and no patronymic.
            mixed = f_ua.replace("о", "o", 1).replace("а", "a", 1)
            out.append((ua, f"{given[0]} {mixed}", "homoglyphs, no patronymic"))
    return out


def false_pairs(rng: random.Random) -> list[tuple[str, str, str]]:
    out: list[tuple[str, str, str]] = []
    for n in range(330):
        kind = n % 5
        fam = rng.choice(SURNAMES)
        patr = rng.choice(PATRONYMICS)
        if kind == 0:
            a, b = rng.choice(LOOKALIKE_GIVEN)
            f = rom(fam[0], "ua2010", "uk")
            out.append((f"{a} {f}", f"{b} {f}", "look-alike given names"))
        elif kind == 1:
            g = rng.choice(MALE)
            other = rng.choice([p for p in PATRONYMICS if p != patr])
            out.append((f"{fam[0]} {g[0]} {patr[0]}", f"{fam[1]} {g[1]} {other[2]}",
                        "namesakes, different patronymic"))
        elif kind == 2:
            a, b = rng.choice(LOOKALIKE_FAMILY)
            g = rng.choice(MALE)
            name = g[0] if a[0] >= "А" else rom(g[0], "ua2010", "uk")
            out.append((f"{name} {a}", f"{name} {b}", "different surname formation"))
        elif kind == 3:
            # Brother and sister: same family, the other sex's given name and surname form.
            g = rng.choice(MALE)
            s = rng.choice(FEMALE)
            out.append((f"{fam[0]} {g[0]} {patr[0]}", f"{fam[3]} {s[1]} {patr[3]}",
                        "brother and sister"))
        else:
            g = rng.choice(MALE)
            h = rng.choice([m for m in MALE if m != g])
            out.append((f"{rom(g[0], 'ua2010', 'uk')} {rom(fam[0], 'ua2010', 'uk')}",
                        f"{h[1]} {fam[1]}", "same family, other given name, across scripts"))
    return out


def main() -> None:
    rng = random.Random(20261127)
    DATA.mkdir(exist_ok=True)
    for name, rows in (("true_pairs.tsv", true_pairs(rng)), ("false_pairs.tsv", false_pairs(rng))):
        seen: set[tuple[str, str]] = set()
        lines = ["# a\tb\tkind — synthetic names; rebuild with tests/names/build_tables.py"]
        for a, b, kind in rows:
            if (a, b) in seen or a == b:
                continue
            seen.add((a, b))
            lines.append(f"{a}\t{b}\t{kind}")
        (DATA / name).write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
