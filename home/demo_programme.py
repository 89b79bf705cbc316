"""Demo content of the public programme: the programme page (facts from the
reference summary), a diagnosis, 3 goals, 8 directions, 25 actions with
indicators and status histories, monitoring, help and the accessibility
statement, in Polish with Ukrainian and English translations.

Everything not taken from the reference summary is marked as demonstration
text ("tekst demonstracyjny")."""

import datetime
from decimal import Decimal

from home.models import (
    AccessibilityStatementPage,
    ActionIndicator,
    ActionPage,
    ActionStatus,
    ActionStatusChange,
    DiagnosisPage,
    DirectionPage,
    HelpPage,
    HomePage,
    MonitoringPage,
    ProgrammePage,
    StrategicGoalPage,
)

LANGS = ("pl", "uk", "en")
DEMO = {
    "pl": "Tekst demonstracyjny.",
    "uk": "Демонстраційний текст.",
    "en": "Demonstration text.",
}


def _p(*paragraphs):
    return "".join(f"<p>{text}</p>" for text in paragraphs)


PROGRAMME = {
    "pl": (
        "Program „Małopolska otwarta”",
        _p(
            "Program integracji imigrantów w województwie małopolskim "
            "„Małopolska otwarta” ma charakter kierunkowy i zawiera szereg "
            "rekomendacji służących temu, aby Małopolska była regionem jeszcze "
            "bardziej przyjaznym do życia i pracy dla osób pochodzących z "
            "różnych kultur, czerpiącym jednocześnie z ich wiedzy, doświadczenia "
            "czy aktywności zawodowej.",
            "Część projektu dotycząca opracowania strategii obejmowała "
            "diagnozę sytuacji imigrantów w Małopolsce oraz wypracowanie celów, "
            "kierunków interwencji i konkretnych działań wraz z systemem "
            "wdrażania strategii.",
        ),
        "Projekt współfinansowany z Programu Krajowego Funduszu Azylu, Migracji "
        "i Integracji i budżetu państwa.",
    ),
    "uk": (
        "Програма «Відкрита Малопольща»",
        _p(
            "Програма інтеграції іммігрантів у Малопольському воєводстві "
            "«Відкрита Малопольща» має спрямовувальний характер і містить низку "
            "рекомендацій, щоб Малопольща стала ще дружнішим регіоном для життя "
            "й роботи людей з різних культур, який водночас черпає з їхніх "
            "знань, досвіду та професійної активності.",
            "Частина проєкту щодо розроблення стратегії охоплювала діагностику "
            "становища іммігрантів у Малопольщі та визначення цілей, напрямів "
            "втручання й конкретних дій разом із системою впровадження.",
        ),
        "Проєкт співфінансується з Національної програми Фонду притулку, "
        "міграції та інтеграції та з державного бюджету.",
    ),
    "en": (
        "The “Małopolska otwarta” programme",
        _p(
            "The integration programme for immigrants in the Małopolska region, "
            "“Małopolska otwarta” (Open Małopolska), sets directions and "
            "contains recommendations to make Małopolska an even friendlier "
            "region to live and work in for people from different cultures, "
            "drawing on their knowledge, experience and work.",
            "The strategy part of the project comprised a diagnosis of the "
            "situation of immigrants in Małopolska and the goals, directions of "
            "intervention and actions of the programme with its implementation "
            "system.",
        ),
        "The project is co-financed by the National Programme of the Asylum, "
        "Migration and Integration Fund and by the state budget.",
    ),
}

DIAGNOSIS = {
    "pl": (
        "Diagnoza sytuacji imigrantów",
        "Diagnoza sytuacji imigrantów w Małopolsce, ze szczególnym "
        "uwzględnieniem uchodźców z Ukrainy.",
        "Punkty informacyjno-doradcze i infolinia",
        "Beneficjenci mogli sprawnie pozyskać potrzebne informacje, "
        "zweryfikować status swojego pobytu lub określić ścieżkę postępowania, "
        "np. przy poszukiwaniu pracy.",
        "sobót otwartych dla klientów",
        "punktów informacyjno-doradczych (PID)",
        "Źródło: podsumowanie projektu „Małopolska otwarta”",
        "Budżet projektu",
        ["Pozycja", "Kwota (PLN)"],
        ["Wartość projektu", "Dofinansowanie FAMI", "Budżet państwa"],
    ),
    "uk": (
        "Діагностика становища іммігрантів",
        "Діагностика становища іммігрантів у Малопольщі з особливою увагою до "
        "біженців з України.",
        "Пункти інформації та консультацій і гаряча лінія",
        "Отримувачі могли швидко отримати потрібну інформацію, перевірити свій "
        "статус перебування або визначити порядок дій, наприклад під час "
        "пошуку роботи.",
        "відкритих субот для клієнтів",
        "пунктів інформації та консультацій (PID)",
        "Джерело: підсумок проєкту «Відкрита Малопольща»",
        "Бюджет проєкту",
        ["Стаття", "Сума (PLN)"],
        ["Вартість проєкту", "Фінансування FAMI", "Державний бюджет"],
    ),
    "en": (
        "Diagnosis of the situation of immigrants",
        "A diagnosis of the situation of immigrants in Małopolska, above all "
        "of refugees from Ukraine.",
        "Information and advice points and the hotline",
        "People could quickly get the information they needed, check their "
        "residence status or find out what to do, e.g. when looking for work.",
        "open Saturdays for clients",
        "information and advice points (PID)",
        "Source: summary of the “Małopolska otwarta” project",
        "Budget of the project",
        ["Item", "Amount (PLN)"],
        ["Value of the project", "AMIF co-financing", "State budget"],
    ),
}

# (number, {lang: title}) for goals; directions and actions nest below.
GOALS = [
    (
        "1",
        {
            "pl": "Dostęp do informacji i usług publicznych",
            "uk": "Доступ до інформації та публічних послуг",
            "en": "Access to information and public services",
        },
        [
            (
                "1.1",
                {
                    "pl": "Punkty informacyjno-doradcze i infolinia",
                    "uk": "Пункти інформації та консультацій і гаряча лінія",
                    "en": "Information and advice points and the hotline",
                },
                [
                    (
                        "Utrzymanie sieci punktów informacyjno-doradczych",
                        "Підтримка мережі пунктів інформації та консультацій",
                        "Keeping the network of information and advice points",
                    ),
                    (
                        "Infolinia INFO.OPT w językach cudzoziemców",
                        "Гаряча лінія INFO.OPT мовами іноземців",
                        "The INFO.OPT hotline in foreigners' languages",
                    ),
                    (
                        "Soboty otwarte w urzędzie",
                        "Відкриті суботи в управлінні",
                        "Open Saturdays at the office",
                    ),
                    (
                        "Dyżury doradców poza siedzibą urzędu",
                        "Чергування консультантів поза приміщенням управління",
                        "Advisers on duty outside the office",
                    ),
                ],
            ),
            (
                "1.2",
                {
                    "pl": "Kompetencje międzykulturowe instytucji publicznych",
                    "uk": "Міжкультурні компетенції публічних установ",
                    "en": "Intercultural skills of public institutions",
                },
                [
                    (
                        "Szkolenia pracowników obsługujących cudzoziemców",
                        "Навчання працівників, які обслуговують іноземців",
                        "Training for staff who serve foreigners",
                    ),
                    (
                        "Wielojęzyczne formularze i informatory",
                        "Багатомовні бланки та довідники",
                        "Multilingual forms and guides",
                    ),
                    (
                        "Sieć koordynatorów do spraw integracji w gminach",
                        "Мережа координаторів з питань інтеграції в громадах",
                        "A network of integration coordinators in municipalities",
                    ),
                ],
            ),
        ],
    ),
    (
        "2",
        {
            "pl": "Język, edukacja i praca",
            "uk": "Мова, освіта та робота",
            "en": "Language, education and work",
        },
        [
            (
                "2.1",
                {
                    "pl": "Nauka języka polskiego",
                    "uk": "Вивчення польської мови",
                    "en": "Learning Polish",
                },
                [
                    (
                        "Kursy językowe dla dorosłych",
                        "Мовні курси для дорослих",
                        "Language courses for adults",
                    ),
                    (
                        "Kursy adaptacyjne dla nowo przybyłych",
                        "Адаптаційні курси для новоприбулих",
                        "Adaptation courses for newcomers",
                    ),
                    (
                        "Kluby konwersacyjne w bibliotekach",
                        "Розмовні клуби в бібліотеках",
                        "Conversation clubs in libraries",
                    ),
                ],
            ),
            (
                "2.2",
                {
                    "pl": "Rynek pracy",
                    "uk": "Ринок праці",
                    "en": "The labour market",
                },
                [
                    (
                        "Doradztwo zawodowe dla cudzoziemców",
                        "Професійне консультування для іноземців",
                        "Career advice for foreigners",
                    ),
                    (
                        "Uznawanie kwalifikacji zawodowych",
                        "Визнання професійних кваліфікацій",
                        "Recognition of professional qualifications",
                    ),
                    (
                        "Informacja dla pracodawców zatrudniających cudzoziemców",
                        "Інформація для роботодавців, які наймають іноземців",
                        "Information for employers of foreigners",
                    ),
                ],
            ),
            (
                "2.3",
                {
                    "pl": "Edukacja dzieci i młodzieży",
                    "uk": "Освіта дітей та молоді",
                    "en": "Education of children and young people",
                },
                [
                    (
                        "Asystenci międzykulturowi w szkołach",
                        "Міжкультурні асистенти в школах",
                        "Intercultural assistants in schools",
                    ),
                    (
                        "Zajęcia wyrównawcze z języka polskiego",
                        "Додаткові заняття з польської мови",
                        "Extra Polish lessons for pupils",
                    ),
                    (
                        "Szkolenia nauczycieli z pracy w klasie wielokulturowej",
                        "Навчання вчителів роботі в багатокультурному класі",
                        "Training teachers for multicultural classes",
                    ),
                ],
            ),
        ],
    ),
    (
        "3",
        {
            "pl": "Mieszkanie, zdrowie i integracja społeczna",
            "uk": "Житло, здоров'я та соціальна інтеграція",
            "en": "Housing, health and social integration",
        },
        [
            (
                "3.1",
                {
                    "pl": "Mieszkalnictwo",
                    "uk": "Житло",
                    "en": "Housing",
                },
                [
                    (
                        "Informacja o wynajmie mieszkania dla cudzoziemców",
                        "Інформація про оренду житла для іноземців",
                        "Information on renting a flat for foreigners",
                    ),
                    (
                        "Pośrednictwo między najemcami a właścicielami mieszkań",
                        "Посередництво між орендарями та власниками житла",
                        "Mediation between tenants and landlords",
                    ),
                    (
                        "Mieszkania interwencyjne",
                        "Кризове житло",
                        "Emergency housing",
                    ),
                ],
            ),
            (
                "3.2",
                {
                    "pl": "Zdrowie",
                    "uk": "Здоров'я",
                    "en": "Health",
                },
                [
                    (
                        "Informacja o dostępie do opieki zdrowotnej",
                        "Інформація про доступ до медичної допомоги",
                        "Information on access to health care",
                    ),
                    (
                        "Tłumacze w placówkach ochrony zdrowia",
                        "Перекладачі в закладах охорони здоров'я",
                        "Interpreters in health care facilities",
                    ),
                    (
                        "Wsparcie psychologiczne dla uchodźców",
                        "Психологічна підтримка для біженців",
                        "Psychological support for refugees",
                    ),
                ],
            ),
            (
                "3.3",
                {
                    "pl": "Integracja społeczna i kulturalna",
                    "uk": "Соціальна та культурна інтеграція",
                    "en": "Social and cultural integration",
                },
                [
                    (
                        "Spotkania Platformy współpracy",
                        "Зустрічі Платформи співпраці",
                        "Meetings of the Cooperation Platform",
                    ),
                    (
                        "Wydarzenia międzykulturowe w gminach",
                        "Міжкультурні заходи в громадах",
                        "Intercultural events in municipalities",
                    ),
                    (
                        "Wolontariat i organizacje cudzoziemców",
                        "Волонтерство та організації іноземців",
                        "Volunteering and foreigners' organisations",
                    ),
                ],
            ),
        ],
    ),
]

RESPONSIBLE = [
    "Wydział Spraw Cudzoziemców Małopolskiego Urzędu Wojewódzkiego",
    "Województwo Małopolskie",
    "Wojewódzki Urząd Pracy w Krakowie",
    "Małopolski Kurator Oświaty",
    "Regionalny Ośrodek Polityki Społecznej w Krakowie",
]
STATUS_CYCLE = [
    ActionStatus.IN_PROGRESS,
    ActionStatus.DONE,
    ActionStatus.PLANNED,
    ActionStatus.IN_PROGRESS,
    ActionStatus.SUSPENDED,
]
INDICATOR = {
    "pl": ("Liczba osób objętych wsparciem", "osoby"),
    "uk": ("Кількість осіб, які отримали підтримку", "осіб"),
    "en": ("Number of people supported", "people"),
}
SECOND_INDICATOR = {
    "pl": ("Liczba zorganizowanych spotkań", "spotkania"),
    "uk": ("Кількість проведених зустрічей", "зустрічей"),
    "en": ("Number of meetings held", "meetings"),
}
ACTION_TEXT = {
    "pl": "Działanie „{title}” w ramach kierunku „{direction}”. "
    "Tekst demonstracyjny: opis przygotowany na potrzeby prezentacji platformy.",
    "uk": "Дія «{title}» у межах напряму «{direction}». "
    "Демонстраційний текст: опис підготовлено для презентації платформи.",
    "en": "The action “{title}” under the direction “{direction}”. "
    "Demonstration text: a description written to present the platform.",
}
GOAL_TEXT = {
    "pl": "Cel strategiczny programu. Tekst demonstracyjny.",
    "uk": "Стратегічна ціль програми. Демонстраційний текст.",
    "en": "A strategic goal of the programme. Demonstration text.",
}
DIRECTION_TEXT = {
    "pl": "Kierunek interwencji programu. Tekst demonstracyjny.",
    "uk": "Напрям втручання програми. Демонстраційний текст.",
    "en": "A direction of intervention of the programme. Demonstration text.",
}
MONITORING = {
    "pl": (
        "System wdrażania i monitorowania",
        "Stan realizacji działań programu i ich wskaźniki. Tekst demonstracyjny: "
        "wartości wskaźników są przykładowe.",
    ),
    "uk": (
        "Система впровадження та моніторингу",
        "Стан виконання дій програми та їхні показники. Демонстраційний текст: "
        "значення показників є прикладами.",
    ),
    "en": (
        "Implementation and monitoring",
        "Where the programme's actions stand and their indicators. "
        "Demonstration text: the indicator values are examples.",
    ),
}
HELP = {
    "pl": (
        "Gdzie uzyskać pomoc",
        "W punktach informacyjno-doradczych (PID) i przez Infolinię i "
        "Informację INFO.OPT można pozyskać potrzebne informacje, "
        "zweryfikować status swojego pobytu lub określić ścieżkę postępowania "
        "w przypadku np. poszukiwania pracy.",
    ),
    "uk": (
        "Де отримати допомогу",
        "У пунктах інформації та консультацій (PID) і через гарячу лінію та "
        "інформацію INFO.OPT можна отримати потрібну інформацію, перевірити "
        "свій статус перебування або визначити порядок дій, наприклад під час "
        "пошуку роботи.",
    ),
    "en": (
        "Where to get help",
        "At the information and advice points (PID) and through the INFO.OPT "
        "hotline you can get the information you need, check your residence "
        "status or find out what to do, e.g. when looking for work.",
    ),
}
STATEMENT = {
    "pl": {
        "title": "Deklaracja dostępności",
        "assessment": "Samoocena przeprowadzona przez podmiot publiczny "
        "(tekst demonstracyjny).",
        "non_accessible_content": _p(
            "Tekst demonstracyjny: niektóre dokumenty do pobrania mogą nie być "
            "w pełni dostępne cyfrowo."
        ),
        "feedback": _p(
            "W przypadku problemów z dostępnością strony internetowej prosimy o "
            "kontakt. Tą samą drogą można składać wnioski o udostępnienie "
            "informacji niedostępnej oraz składać skargi na brak zapewnienia "
            "dostępności."
        ),
        "complaints_procedure": _p(
            "Każdy ma prawo do wystąpienia z żądaniem zapewnienia dostępności "
            "cyfrowej strony internetowej lub jej elementu. Żądanie powinno "
            "zawierać dane kontaktowe, wskazanie elementu i sposób kontaktu. "
            "Podmiot publiczny realizuje żądanie niezwłocznie, nie później niż "
            "w ciągu 7 dni, a gdy nie jest to możliwe, informuje o terminie, "
            "który nie może być dłuższy niż 2 miesiące.",
            "W przypadku odmowy można złożyć skargę do podmiotu publicznego, a "
            "po wyczerpaniu tej procedury — wniosek do Rzecznika Praw "
            "Obywatelskich.",
        ),
        "architectural_accessibility": _p(
            "Tekst demonstracyjny: informacje o dostępności budynków punktów "
            "informacyjno-doradczych uzupełnia redakcja."
        ),
        "mobile_apps": _p("Podmiot nie udostępnia aplikacji mobilnych."),
    },
    "uk": {
        "title": "Декларація доступності",
        "assessment": "Самооцінка, проведена публічним органом "
        "(демонстраційний текст).",
        "non_accessible_content": _p(
            "Демонстраційний текст: деякі документи для завантаження можуть "
            "бути не повністю доступними."
        ),
        "feedback": _p(
            "Якщо у вас виникли проблеми з доступністю сайту, зв'яжіться з "
            "нами. Так само можна подати запит на надання недоступної "
            "інформації або скаргу на незабезпечення доступності."
        ),
        "complaints_procedure": _p(
            "Кожен має право вимагати забезпечення цифрової доступності сайту "
            "або його елемента. Вимога має містити контактні дані, вказівку на "
            "елемент і спосіб зв'язку. Публічний орган виконує вимогу без "
            "зволікань, не пізніше ніж за 7 днів, а якщо це неможливо, "
            "повідомляє строк, який не може перевищувати 2 місяці.",
            "У разі відмови можна подати скаргу до публічного органу, а після "
            "вичерпання цієї процедури — звернення до Уповноваженого з прав "
            "людини (Rzecznik Praw Obywatelskich).",
        ),
        "architectural_accessibility": _p(
            "Демонстраційний текст: інформацію про доступність будівель "
            "пунктів інформації та консультацій доповнює редакція."
        ),
        "mobile_apps": _p("Орган не надає мобільних застосунків."),
    },
    "en": {
        "title": "Accessibility statement",
        "assessment": "Self-assessment by the public body (demonstration text).",
        "non_accessible_content": _p(
            "Demonstration text: some documents to download may not be fully "
            "accessible."
        ),
        "feedback": _p(
            "If you have a problem with the accessibility of this website, "
            "please contact us. You can also request information that is not "
            "accessible or complain about a lack of accessibility this way."
        ),
        "complaints_procedure": _p(
            "Everyone has the right to demand the digital accessibility of the "
            "website or of an element of it. The demand should give contact "
            "details, the element concerned and how to reply. The public body "
            "fulfils it without delay and within 7 days at most; where that is "
            "not possible, it says when, within 2 months at most.",
            "If the demand is refused, you can complain to the public body and, "
            "after that, apply to the Commissioner for Human Rights (Rzecznik "
            "Praw Obywatelskich).",
        ),
        "architectural_accessibility": _p(
            "Demonstration text: the editors add information on the "
            "accessibility of the information points' buildings."
        ),
        "mobile_apps": _p("The public body provides no mobile applications."),
    },
}


def _statistic(value, label, source):
    return {"value": value, "label": label, "source": source}


def _diagnosis_body(code):
    (_t, _s, heading, text, saturdays, points, source, caption, header, rows) = (
        DIAGNOSIS[code]
    )
    amounts = ["10 762 439,94", "8 071 829,96", "2 690 609,98"]
    return [
        ("heading", {"text": heading, "level": "h2"}),
        ("paragraph", _p(text)),
        ("statistic", _statistic("5", points, source)),
        ("statistic", _statistic("34", saturdays, source)),
        (
            "table",
            {
                "caption": caption,
                "table": {
                    "data": [
                        header,
                        *[[r, a] for r, a in zip(rows, amounts, strict=True)],
                    ],
                    "first_row_is_table_header": True,
                },
            },
        ),
    ]


def _publish(page):
    page.save_revision().publish()


def _translate(page, code, locales, **fields):
    translation = page.get_translation_or_none(locales[code])
    if translation is not None:
        return translation.specific
    translation = page.copy_for_translation(locales[code]).specific
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save()
    return translation


def _add(parent, page):
    parent.add_child(instance=page)
    _publish(page)
    return page


def load(*, locales, stdout):
    home = HomePage.objects.get(locale=locales["pl"], depth=2)
    if ProgrammePage.objects.filter(locale=locales["pl"]).exists():
        return
    programme = _add(
        home,
        ProgrammePage(
            title=PROGRAMME["pl"][0],
            slug="program",
            summary=PROGRAMME["pl"][1],
            period_start=datetime.date(2022, 9, 1),
            period_end=datetime.date(2023, 12, 31),
            budget_total=Decimal("10762439.94"),
            funding_eu=Decimal("8071829.96"),
            funding_state=Decimal("2690609.98"),
            funding_note=PROGRAMME["pl"][2],
        ),
    )
    diagnosis = _add(
        programme,
        DiagnosisPage(
            title=DIAGNOSIS["pl"][0],
            slug="diagnoza",
            summary=_p(DIAGNOSIS["pl"][1]),
            body=_diagnosis_body("pl"),
        ),
    )
    created = [
        (
            programme,
            lambda c: {
                "title": PROGRAMME[c][0],
                "summary": PROGRAMME[c][1],
                "funding_note": PROGRAMME[c][2],
            },
        ),
        (
            diagnosis,
            lambda c: {
                "title": DIAGNOSIS[c][0],
                "summary": _p(DIAGNOSIS[c][1]),
                "body": _diagnosis_body(c),
            },
        ),
    ]
    index = 0
    for goal_number, goal_titles, directions in GOALS:
        goal = _add(
            programme,
            StrategicGoalPage(
                title=goal_titles["pl"],
                slug=f"cel-{goal_number}",
                number=goal_number,
                summary=_p(GOAL_TEXT["pl"]),
            ),
        )
        created.append(
            (
                goal,
                lambda c, t=goal_titles: {"title": t[c], "summary": _p(GOAL_TEXT[c])},
            )
        )
        for direction_number, direction_titles, actions in directions:
            direction = _add(
                goal,
                DirectionPage(
                    title=direction_titles["pl"],
                    slug=f"kierunek-{direction_number.replace('.', '-')}",
                    number=direction_number,
                    summary=_p(DIRECTION_TEXT["pl"]),
                ),
            )
            created.append(
                (
                    direction,
                    lambda c, t=direction_titles: {
                        "title": t[c],
                        "summary": _p(DIRECTION_TEXT[c]),
                    },
                )
            )
            for position, titles in enumerate(actions, start=1):
                index += 1
                number = f"{direction_number}.{position}"
                action = _action(direction, number, titles, direction_titles, index)
                created.append((action, _action_fields(titles, direction_titles)))
    monitoring = _add(
        programme,
        MonitoringPage(
            title=MONITORING["pl"][0],
            slug="monitoring",
            summary=_p(MONITORING["pl"][1]),
        ),
    )
    created.append(
        (
            monitoring,
            lambda c: {"title": MONITORING[c][0], "summary": _p(MONITORING[c][1])},
        )
    )
    help_page = _add(
        home, HelpPage(title=HELP["pl"][0], slug="pomoc", summary=_p(HELP["pl"][1]))
    )
    created.append(
        (help_page, lambda c: {"title": HELP[c][0], "summary": _p(HELP[c][1])})
    )
    statement = _add(home, _statement())
    created.append((statement, lambda c: STATEMENT[c]))
    for code in ("uk", "en"):
        for page, fields in created:
            translation = _translate(page, code, locales, **fields(code))
            if isinstance(translation, ActionPage):
                _translate_indicators(translation, code)
            _publish(translation)
    stdout.write(f"Demo programme: {len(created)} pages in {len(LANGS)} languages.")


def _action_fields(titles, direction_titles):
    def fields(code):
        title = titles[LANGS.index(code)]
        direction = direction_titles[code]
        return {
            "title": title,
            "summary": _p(ACTION_TEXT[code].format(title=title, direction=direction)),
        }

    return fields


def _action(direction, number, titles, direction_titles, index):
    status = STATUS_CYCLE[index % len(STATUS_CYCLE)]
    action = ActionPage(
        title=titles[0],
        slug=f"dzialanie-{number.replace('.', '-')}",
        number=number,
        summary=_p(
            ACTION_TEXT["pl"].format(title=titles[0], direction=direction_titles["pl"])
        ),
        responsible_body=RESPONSIBLE[index % len(RESPONSIBLE)],
        partners="Organizacje pozarządowe, gminy Małopolski (tekst demonstracyjny)",
        start_year=2024,
        end_year=2024 + index % 3 + 1,
        budget_line="Budżet Województwa Małopolskiego (tekst demonstracyjny)"
        if index % 2
        else "",
        status=status,
    )
    target = 50 + index * 10
    action.indicators = [
        ActionIndicator(
            name=INDICATOR["pl"][0],
            unit=INDICATOR["pl"][1],
            baseline=Decimal(0),
            target=Decimal(target),
            current_value=Decimal(target * (index % 5) // 4),
        ),
        ActionIndicator(
            name=SECOND_INDICATOR["pl"][0],
            unit=SECOND_INDICATOR["pl"][1],
            baseline=Decimal(0),
            target=Decimal(4 + index % 4),
            current_value=Decimal(index % 4),
        ),
    ]
    history = [
        ActionStatusChange(
            date=datetime.date(2024, 1, 15), status=ActionStatus.PLANNED, note=""
        )
    ]
    if status != ActionStatus.PLANNED:
        history.append(
            ActionStatusChange(
                date=datetime.date(2024, 3 + index % 6, 1),
                status=ActionStatus.IN_PROGRESS,
            )
        )
    if status in (ActionStatus.DONE, ActionStatus.SUSPENDED):
        history.append(
            ActionStatusChange(date=datetime.date(2025, 6, 30), status=status)
        )
    action.status_history = history
    return _add(direction, action)


def _translate_indicators(action, code):
    names = [INDICATOR[code], SECOND_INDICATOR[code]]
    for indicator, (name, unit) in zip(action.indicators.all(), names, strict=False):
        indicator.name, indicator.unit = name, unit
        indicator.save()


def _statement():
    fields = STATEMENT["pl"]
    return AccessibilityStatementPage(
        slug="deklaracja-dostepnosci",
        entity="Małopolski Urząd Wojewódzki w Krakowie",
        website="Platforma współpracy „Małopolska otwarta”",
        published_on=datetime.date(2026, 1, 15),
        updated_on=datetime.date(2026, 11, 1),
        compliance=AccessibilityStatementPage.Compliance.PARTIAL,
        prepared_on=datetime.date(2026, 11, 1),
        contact_person="Redakcja Platformy (tekst demonstracyjny)",
        contact_email="dostepnosc@example.org",
        contact_phone="+48 12 000 00 00",
        **fields,
    )
