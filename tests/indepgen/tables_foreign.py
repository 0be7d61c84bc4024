"""Names of foreign nationals: Cyrillic spellings (Russian-style, first is the usual one) and
Latin spellings in several conventions. Written for this generator; combinations are random.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Variants:
    cyr: tuple[str, ...]
    lat: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Culture:
    code: str
    citizenships: tuple[str, ...]  # ISO alpha-3, first most likely
    given: tuple[Variants, ...]
    family: tuple[Variants, ...]
    patronymic_rate: float  # how often a Russian-style patronymic is on record
    korean_syllables: bool = False


def _parse(block: str) -> tuple[Variants, ...]:
    out = []
    for line in block.strip().splitlines():
        c, lat = line.split("|")
        out.append(Variants(tuple(c.split(",")), tuple(lat.split(","))))
    return tuple(out)


# Korean given names are two syllables; the family names are the common ones of the diaspora
# and of the peninsula. Cyrillic follows Soviet-Korean habits, Latin mixes McCune-Reischauer-
# like and Revised-Romanisation-like spellings.
_KO_FAMILY = """
Ким|Kim,Gim
Пак|Pak,Park,Bak
Ли,Ри|Lee,Li,Ri,Rhee,Yi
Цой,Чхве|Choi,Choe,Tsoi
Хан|Han
Тен,Чон|Jeong,Chung,Jung,Chong
Шин,Син|Shin,Sin
Кан|Kang,Gang
Лим,Им|Lim,Im
Нам|Nam
Югай,Ю|Yu,Yoo
Когай,Ко|Ko,Go
Огай,О|O,Oh
"""
_KO_SYLL = """
Чен,Чон|Jong,Chong,Jeong
Ын|Un,Eun,Ŭn
Сик|Sik,Shik
Ен,Ён|Yong,Young,Yeong
Хо|Ho
Су|Su,Soo
Мин|Min
Чхоль,Чоль|Chol,Cheol,Chul
Ир,Иль|Il
Сон|Song,Seong,Sung
Гван,Кван|Gwang,Kwang
Хён,Хен|Hyon,Hyeon,Hyun
Дон,Тон|Dong,Tong
Хак|Hak
Нам|Nam
Чжин,Джин|Jin,Chin
"""
_AR_GIVEN = """
Мухаммед,Мухаммад,Мохаммед,Магомед|Muhammad,Mohammed,Mohamed,Mohammad,Muhammed
Ахмед,Ахмад|Ahmed,Ahmad,Achmed
Али|Ali
Хасан,Хассан|Hassan,Hasan
Хусейн,Хуссейн|Hussein,Husain,Hussain,Hosein
Омар,Умар|Omar,Umar
Юсуф|Yusuf,Youssef,Yousef,Joussef
Ибрагим|Ibrahim,Ebrahim
Халид,Халед|Khalid,Khaled,Chalid
Абдулла,Абдалла|Abdullah,Abdallah,Abdulla
Махмуд|Mahmoud,Mahmud
Мустафа|Mustafa,Moustafa,Mostafa
Карим|Karim,Kareem
Салех,Салих|Saleh,Salih
Тарик,Тарек|Tariq,Tarek,Tarik
Самир|Samir,Sameer
"""
_AR_FAMILY = """
аль-Хасан,Аль-Хассан,эль-Хасан|Al-Hassan,Al Hassan,Alhassan,El-Hassan
Хаддад|Haddad,Hadad
Насер,Насир|Nasser,Naser,Nasir
Мансур|Mansour,Mansur,Mansoor
Саид,Саед|Said,Saeed,Sayed
Азиз|Aziz
Рахман,аль-Рахман|Rahman,Al-Rahman,Abdel Rahman
Хамдан|Hamdan
Юнис,Юнус|Younis,Yunus,Younes
Шариф|Sharif,Shareef,Cherif
Касем,Кассем,Касим|Qassem,Kassem,Qasim,Kasem
аль-Масри,Масри|Al-Masri,Almasri,El Masri
Обейд,Убайд|Obeid,Ubaid,Obeyd
"""
_GE_GIVEN = """
Георгий,Гиорги|Giorgi,Georgi,Giorgy
Давид,Давит,Дато|Davit,David,Dato
Леван|Levan,Lewan
Николоз,Ника|Nikoloz,Nika
Ираклий,Иракли|Irakli,Iraklii
Зураб|Zurab,Surab
Тамаз|Tamaz
Вахтанг|Vakhtang,Vakhtangi,Vachtang
Шота|Shota,Schota
Гурам|Guram
Мамука|Mamuka
Отар|Otar
Реваз,Резо|Revaz,Rezo
Лаша|Lasha,Lascha
"""
_GE_FAMILY = """
Беридзе|Beridze
Капанадзе|Kapanadze
Гелашвили|Gelashvili,Gelaschwili
Майсурадзе|Maisuradze,Maysuradze
Гиоргадзе|Giorgadze
Ломидзе|Lomidze
Циклаури|Tsiklauri,Ziklauri
Нозадзе|Nozadze
Хуцишвили|Khutsishvili,Chutsishvili
Абашидзе|Abashidze
Джапаридзе|Japaridze,Dzhaparidze
Болквадзе|Bolkvadze
Мгеладзе|Mgeladze
Чхеидзе|Chkheidze,Tchkheidze
"""
_AM_GIVEN = """
Арам|Aram
Армен|Armen
Ашот|Ashot,Aschot
Гагик|Gagik
Геворг,Геворк|Gevorg,Gevork,Kevork
Карен|Karen
Тигран|Tigran
Ованес,Оганес,Ованнес|Hovhannes,Ovanes,Oganes,Hovannes
Саркис,Саргис|Sargis,Sarkis
Вардан|Vardan,Wardan
Арсен|Arsen
Артур|Artur,Arthur
Хачатур|Khachatur,Xachatur,Chatschatur
Грант,Рач|Hrant,Grant
"""
_AM_FAMILY = """
Петросян|Petrosyan,Petrosian,Petrossian
Саргсян,Саркисян|Sargsyan,Sarkisyan,Sarkissian
Акопян,Агопян|Hakobyan,Akopyan,Hakopian
Оганесян,Ованесян|Hovhannisyan,Oganesyan,Ovanesian
Григорян|Grigoryan,Grigorian
Карапетян|Karapetyan,Karapetian
Аветисян|Avetisyan,Avetisian
Мартиросян|Martirosyan,Martirossian
Арутюнян|Harutyunyan,Arutyunyan,Harutiunian
Манукян|Manukyan,Manoukian
Хачатрян|Khachatryan,Khachatrian,Chachatrjan
Галстян|Galstyan,Galstian
Варданян|Vardanyan,Vardanian
Мкртчян|Mkrtchyan,Mkrtchian
"""
_UZ_GIVEN = """
Алишер|Alisher
Бахтиёр,Бахтияр|Bakhtiyor,Baxtiyor,Bakhtiyar
Шерзод|Sherzod
Фаррух|Farrukh,Farrux,Farukh
Улугбек|Ulugbek,Ulug'bek
Жасур,Джасур|Jasur,Zhasur,Dzhasur
Рустам|Rustam,Rustem
Отабек|Otabek
Санжар|Sanjar,Sandzhar
Дилшод,Дильшод|Dilshod,Dilshot
Бобур,Бабур|Bobur,Babur
Акмал|Akmal
"""
_UZ_FAMILY = """
Юсупов|Yusupov,Iusupov,Jusupov
Рахимов|Rakhimov,Rahimov,Raximov
Ахмедов|Akhmedov,Axmedov,Ahmedov
Турсунов|Tursunov
Исмоилов,Исмаилов|Ismoilov,Ismailov
Холматов|Kholmatov,Xolmatov,Holmatov
Эргашев|Ergashev,Ergashov
Усмонов,Усманов|Usmonov,Usmanov
Алимов|Alimov
Султанов|Sultanov
Мирзаев|Mirzaev,Mirzayev
Назаров|Nazarov
"""
_KZ_GIVEN = """
Ерлан|Yerlan,Erlan
Нурлан|Nurlan
Асхат|Askhat,Askat,Asxat
Данияр|Daniyar,Daniiar
Берик|Berik
Бауыржан,Бауржан|Bauyrzhan,Baurzhan,Baurjan
Ержан|Yerzhan,Erzhan
Серик|Serik
Айдос|Aidos,Aydos
Арман|Arman
Мейрам|Meiram,Meyram
"""
_KZ_FAMILY = """
Ахметов|Akhmetov,Akhmetov,Axmetov
Жумабаев,Джумабаев|Zhumabayev,Zhumabaev,Dzhumabaev,Jumabaev
Абдрахманов|Abdrakhmanov,Abdrahmanov
Сулейменов|Suleimenov,Suleymenov
Омаров|Omarov
Искаков|Iskakov
Касымов|Kassymov,Kasymov
Тулегенов|Tulegenov
Кенжебаев|Kenzhebayev,Kenzhebaev
Сейткали|Seitkali,Seytkali
"""
_TJ_GIVEN = """
Фаридун|Faridun
Сухроб|Sukhrob,Suhrob,Suxrob
Фирдавс|Firdavs
Бахром|Bakhrom,Bahrom
Манучехр|Manuchehr,Manuchekhr
Шахбоз|Shahboz,Shakhboz
Далер|Daler
Джамшед,Джамшид|Jamshed,Dzhamshed,Jamshid
Комил|Komil
Умед|Umed,Umid
"""
_TJ_FAMILY = """
Назаров|Nazarov
Саидов|Saidov
Шарипов|Sharipov
Сафаров|Safarov
Холов|Kholov,Holov,Xolov
Мирзоев|Mirzoev,Mirzoyev
Давлатов|Davlatov
Гафуров|Gafurov,Ghafurov
Раджабов|Rajabov,Radzhabov
Сафарзода|Safarzoda
Рустами|Rustami
"""

KOREAN_SYLLABLES: tuple[Variants, ...] = _parse(_KO_SYLL)

CULTURES: dict[str, Culture] = {
    "ko": Culture("ko", ("PRK", "RUS", "UZB", "KAZ", "KOR"), (), _parse(_KO_FAMILY), 0.4, True),
    "ar": Culture("ar", ("SYR", "IRQ", "EGY", "JOR", "YEM", "MAR"), _parse(_AR_GIVEN),
                  _parse(_AR_FAMILY), 0.0),
    "ge": Culture("ge", ("GEO", "RUS"), _parse(_GE_GIVEN), _parse(_GE_FAMILY), 0.5),
    "am": Culture("am", ("ARM", "RUS"), _parse(_AM_GIVEN), _parse(_AM_FAMILY), 0.5),
    "uz": Culture("uz", ("UZB", "RUS"), _parse(_UZ_GIVEN), _parse(_UZ_FAMILY), 0.7),
    "kz": Culture("kz", ("KAZ", "RUS"), _parse(_KZ_GIVEN), _parse(_KZ_FAMILY), 0.7),
    "tj": Culture("tj", ("TJK", "RUS"), _parse(_TJ_GIVEN), _parse(_TJ_FAMILY), 0.7),
}

_RU2UK = str.maketrans({"и": "і", "ы": "и", "э": "е", "И": "І", "Ы": "И", "Э": "Е", "ё": "ьо"})


def ukrainian_spelling(cyr: str) -> str:
    """A foreign name as a Ukrainian clerk writes it (Ким → Кім, Мухаммед → Мухаммед)."""
    s = cyr.translate(_RU2UK)
    return s.replace("йі", "ї").replace("ьі", "ьї")
