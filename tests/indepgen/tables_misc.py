"""Places, ranks, statuses, sexes, citizenships and the words agencies use for them."""

from __future__ import annotations

# Places: Ukrainian | Russian | Latin variants (comma separated)
_PLACES_UA = """
Київ|Киев|Kyiv,Kiev
Харків|Харьков|Kharkiv,Kharkov
Одеса|Одесса|Odesa,Odessa
Дніпро|Днепр|Dnipro,Dnepr
Львів|Львов|Lviv,Lvov
Запоріжжя|Запорожье|Zaporizhzhia,Zaporozhye
Житомир|Житомир|Zhytomyr,Zhitomir
Вінниця|Винница|Vinnytsia,Vinnitsa
Полтава|Полтава|Poltava
Чернігів|Чернигов|Chernihiv,Chernigov
Суми|Сумы|Sumy
Миколаїв|Николаев|Mykolaiv,Nikolaev
Херсон|Херсон|Kherson
Черкаси|Черкассы|Cherkasy,Cherkassy
Рівне|Ровно|Rivne,Rovno
Луцьк|Луцк|Lutsk
Тернопіль|Тернополь|Ternopil
Івано-Франківськ|Ивано-Франковск|Ivano-Frankivsk
Хмельницький|Хмельницкий|Khmelnytskyi
Біла Церква|Белая Церковь|Bila Tserkva
Кременчук|Кременчуг|Kremenchuk
Кривий Ріг|Кривой Рог|Kryvyi Rih,Krivoy Rog
Маріуполь|Мариуполь|Mariupol
Краматорськ|Краматорск|Kramatorsk
Слов'янськ|Славянск|Sloviansk,Slavyansk
Бердичів|Бердичев|Berdychiv
Умань|Умань|Uman
Конотоп|Конотоп|Konotop
Ніжин|Нежин|Nizhyn
Ізмаїл|Измаил|Izmail
"""
_PLACES_RU = """
Москва|Москва|Moskva,Moscow
Ростов-на-Дону|Ростов-на-Дону|Rostov-on-Don
Воронеж|Воронеж|Voronezh
Курськ|Курск|Kursk
Бєлгород|Белгород|Belgorod
Брянськ|Брянск|Bryansk
Краснодар|Краснодар|Krasnodar
Самара|Самара|Samara
Саратов|Саратов|Saratov
Новосибірськ|Новосибирск|Novosibirsk
Омськ|Омск|Omsk
Перм|Пермь|Perm
Уфа|Уфа|Ufa
Челябінськ|Челябинск|Chelyabinsk
Волгоград|Волгоград|Volgograd
Тула|Тула|Tula
Псков|Псков|Pskov
Іркутськ|Иркутск|Irkutsk
Чита|Чита|Chita
Кемерово|Кемерово|Kemerovo
"""
_PLACES_FOREIGN = """
ko|Пхеньян|Пхеньян|Pyongyang,Phenian
ko|Ташкент|Ташкент|Tashkent
ar|Дамаск|Дамаск|Damascus,Dimashq
ar|Багдад|Багдад|Baghdad
ar|Каїр|Каир|Cairo
ge|Тбілісі|Тбилиси|Tbilisi
ge|Кутаїсі|Кутаиси|Kutaisi
am|Єреван|Ереван|Yerevan,Erevan
am|Гюмрі|Гюмри|Gyumri
uz|Ташкент|Ташкент|Tashkent,Toshkent
uz|Самарканд|Самарканд|Samarkand,Samarqand
kz|Алмати|Алматы|Almaty,Alma-Ata
kz|Шимкент|Шымкент|Shymkent
tj|Душанбе|Душанбе|Dushanbe
tj|Худжанд|Худжанд|Khujand
"""
_CAPTURE = """
Бахмут|Бахмут|Bakhmut
Авдіївка|Авдеевка|Avdiivka
Маріуполь|Мариуполь|Mariupol
Кремінна|Кременная|Kreminna
Покровськ|Покровск|Pokrovsk
Суджа|Суджа|Sudzha
Вовчанськ|Волчанск|Vovchansk
Ізюм|Изюм|Izium
Куп'янськ|Купянск|Kupiansk
Торецьк|Торецк|Toretsk
Часів Яр|Часов Яр|Chasiv Yar
Оріхів|Орехов|Orikhiv
"""


def _places(block: str) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    out = []
    for line in block.strip().splitlines():
        uk, ru, lat = line.split("|")
        out.append((uk, ru, tuple(lat.split(","))))
    return tuple(out)


PLACES_UA = _places(_PLACES_UA)
PLACES_RU = _places(_PLACES_RU)
CAPTURE_PLACES = _places(_CAPTURE)
PLACES_FOREIGN: dict[str, tuple[tuple[str, str, tuple[str, ...]], ...]] = {}
for _line in _PLACES_FOREIGN.strip().splitlines():
    _c, _uk, _ru, _lat = _line.split("|")
    PLACES_FOREIGN.setdefault(_c, ())
    PLACES_FOREIGN[_c] += ((_uk, _ru, tuple(_lat.split(","))),)

PLACE_PREFIX_UK = ("м. ", "", "", "місто ")
PLACE_PREFIX_RU = ("г. ", "", "", "гор. ")

# Ranks: key -> (Ukrainian forms, Russian forms, Latin forms). Abbreviations included.
RANKS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "private": (("рядовий", "ряд.", "солдат"), ("рядовой", "ряд.", "рядов."),
                ("private", "Pvt", "riadovyi", "ryadovoy")),
    "senior_soldier": (("старший солдат", "ст. солдат", "ст.солд."), ("ефрейтор", "ефр."),
                       ("senior soldier", "starshyi soldat", "Lance Corporal", "efreitor")),
    "junior_sergeant": (("молодший сержант", "мол. сержант", "мл. с-т"),
                        ("младший сержант", "мл. сержант", "мл.с-т"),
                        ("junior sergeant", "molodshyi serzhant", "mladshiy serzhant")),
    "sergeant": (("сержант", "с-т"), ("сержант", "с-нт"), ("sergeant", "Sgt", "serzhant")),
    "senior_sergeant": (("старший сержант", "ст. сержант", "ст.с-т"),
                        ("старший сержант", "ст. сержант"),
                        ("senior sergeant", "starshyi serzhant", "starshiy serzhant")),
    "warrant_officer": (("прапорщик", "старшина"), ("прапорщик", "старшина", "пр-к"),
                        ("warrant officer", "praporshchik", "starshina")),
    "junior_lieutenant": (("молодший лейтенант", "мол. лейтенант"),
                          ("младший лейтенант", "мл. лейтенант", "мл. л-т"),
                          ("junior lieutenant", "molodshyi leitenant", "mladshiy leytenant")),
    "lieutenant": (("лейтенант", "л-т"), ("лейтенант", "л-т"), ("lieutenant", "Lt", "leitenant")),
    "senior_lieutenant": (("старший лейтенант", "ст. лейтенант", "ст. л-т"),
                          ("старший лейтенант", "ст. лейтенант", "ст.л-т"),
                          ("senior lieutenant", "starshyi leitenant", "1st Lt")),
    "captain": (("капітан", "к-н"), ("капитан", "к-н"), ("captain", "Capt.", "kapitan")),
    "major": (("майор", "м-р"), ("майор",), ("major", "Maj.", "mayor")),
    "lt_colonel": (("підполковник", "п/п-к"), ("подполковник", "п/п-к"),
                   ("lieutenant colonel", "Lt Col", "pidpolkovnyk", "podpolkovnik")),
    "colonel": (("полковник", "п-к"), ("полковник",), ("colonel", "Col.", "polkovnyk")),
    "sailor": (("матрос",), ("матрос",), ("sailor", "seaman", "matros")),
}
RANK_WEIGHTS: dict[str, int] = {
    "private": 40, "senior_soldier": 14, "junior_sergeant": 8, "sergeant": 9,
    "senior_sergeant": 6, "warrant_officer": 3, "junior_lieutenant": 3, "lieutenant": 4,
    "senior_lieutenant": 4, "captain": 3, "major": 2, "lt_colonel": 1, "colonel": 1, "sailor": 2,
}

# Statuses: canonical -> phrasings (Ukrainian, Russian, English, mixed habits)
STATUSES: dict[str, tuple[str, ...]] = {
    "captured": ("у полоні", "в плену", "POW", "військовополонений", "военнопленный",
                 "prisoner of war", "підтверджено полон", "полон підтверджено", "взят в плен",
                 "потрапив у полон", "captured", "в/п", "перебуває в полоні",
                 "находится в плену", "captive", "полонений"),
    "missing": ("зник безвісти", "зниклий безвісти", "пропал без вести", "missing in action",
                "MIA", "безвісти відсутній", "без вести пропавший", "missing", "БЗВ",
                "зниклий безвісті", "не вийшов на зв'язок", "розшук"),
    "held": ("затриманий", "задержан", "інтернований", "интернирован", "содержится",
             "утримується", "detained", "held", "internee", "під вартою", "в СИЗО"),
    "convicted": ("засуджений", "осуждён", "осужден", "convicted", "sentenced",
                  "засуджений судом РФ", "приговорён"),
    "released": ("звільнений", "освобождён", "освобожден", "released", "повернувся з полону",
                 "обміняний", "exchanged", "вернулся из плена", "repatriated"),
    "deceased": ("загинув", "погиб", "помер", "умер", "KIA", "deceased", "killed in action",
                 "помер у полоні", "died", "загиблий"),
}
UNKNOWN_STATUS_TEXTS = ("уточнюється", "н/д", "see file", "інше", "?", "дані відсутні",
                        "на проверке", "pending", "—", "див. примітку")
STATUS_WEIGHTS = {"captured": 55, "missing": 25, "held": 8, "convicted": 4, "released": 4,
                  "deceased": 4}

SEX: dict[str, tuple[str, ...]] = {
    "M": ("M", "Ч", "М", "чол.", "муж.", "чоловіча", "мужской", "male", "m", "ч"),
    "F": ("F", "Ж", "жін.", "жен.", "жіноча", "женский", "female", "f", "ж"),
}

CITIZENSHIP: dict[str, tuple[str, ...]] = {
    "UKR": ("UKR", "Україна", "Украина", "Ukraine", "громадянин України", "UA", "укр."),
    "RUS": ("RUS", "Росія", "Россия", "РФ", "Russian Federation", "Russia", "RU",
            "гражданин РФ"),
    "PRK": ("PRK", "КНДР", "North Korea", "Північна Корея", "DPRK"),
    "KOR": ("KOR", "Республіка Корея", "Южная Корея", "South Korea"),
    "SYR": ("SYR", "Сирія", "Сирия", "Syria"),
    "IRQ": ("IRQ", "Ірак", "Ирак", "Iraq"),
    "EGY": ("EGY", "Єгипет", "Египет", "Egypt"),
    "JOR": ("JOR", "Йорданія", "Иордания", "Jordan"),
    "YEM": ("YEM", "Ємен", "Йемен", "Yemen"),
    "MAR": ("MAR", "Марокко", "Morocco"),
    "GEO": ("GEO", "Грузія", "Грузия", "Georgia", "Sakartvelo"),
    "ARM": ("ARM", "Вірменія", "Армения", "Armenia"),
    "UZB": ("UZB", "Узбекистан", "Uzbekistan", "O'zbekiston"),
    "KAZ": ("KAZ", "Казахстан", "Kazakhstan", "Qazaqstan"),
    "TJK": ("TJK", "Таджикистан", "Tajikistan", "Тоджикистон"),
}

TITLES_UK = ("рядовий", "ст. лейтенант", "сержант", "солдат", "гр.", "громадянин", "в/сл")
TITLES_RU = ("рядовой", "ст. лейтенант", "мл. сержант", "гр.", "гражданин", "в/сл")
TITLES_LAT = ("Mr.", "Mr", "Dr.", "Pvt.", "Sgt.", "Lt.")

RELATIONS = ("мати", "дружина", "брат", "батько", "сестра", "син", "донька", "мама",
             "жена", "mother", "wife", "brother", "тітка", "наречена")

NOTES_UK = ("зі слів побратима", "дані з відео", "з відкритих джерел", "підтверджено МКЧХ",
            "лист від рідних", "фото є", "поранений", "", "", "", "", "")
NOTES_RU = ("со слов сослуживца", "по данным видео", "ранен", "", "", "", "")
