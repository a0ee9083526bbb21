"""Very common words per language: not glossary names, and not the edges of emerging phrases.

Small built-in lists (function words plus the commonest chat words), compared after
:func:`bot.text.normalize`, so accents, niqqud and tashkeel do not matter.
"""

from __future__ import annotations

from functools import cache

from bot.text import normalize

_WORDS: dict[str, str] = {
    "en": """
        a about above after again against all also am an and any are aren't as at be
        because been before being below between both but by can can't cannot could
        couldn't did didn't do does doesn't doing don't down during each even few for
        from further get got had hadn't has hasn't have haven't having he he'd he'll he's
        her here here's hers herself hey hi him himself his how how's i i'd i'll i'm i've
        if in into is isn't it it's its itself just know let's like lol me more most much
        my myself need no nor not now of off oh ok okay on once one only or other our
        ours ourselves out over own really same see she she'd she'll she's should
        shouldn't so some still such than thanks thank that that's the their theirs them
        themselves then there there's these they they'd they'll they're they've thing
        things think this those through to too under until up very want was wasn't way
        we we'd we'll we're we've well were weren't what what's when when's where where's
        which while who who's whom why why's will with won't would wouldn't yeah yes you
        you'd you'll you're you've your yours yourself yourselves hello dont im ive cant
        wont didnt doesnt isnt thats youre good go going make
    """,
    "es": """
        de la que el en y a los del se las por un para con no una su al lo como más pero
        sus le ya o este sí porque esta entre cuando muy sin sobre también me hasta hay
        donde quien desde todo nos durante todos uno les ni contra otros ese eso ante
        ellos e esto mí antes algunos qué unos yo otro otras otra él tanto esa estos
        mucho quienes nada muchos cual poco ella estar estas algunas algo nosotros mi mis
        tú te ti tu tus ellas vosotros os es son fue ser está están era hola gracias
        bueno pues vale
    """,
    "fr": """
        au aux avec ce ces dans de des du elle en et eux il je la le les leur lui ma mais
        me même mes moi mon ne nos notre nous on ou où par pas pour qu que qui sa se ses
        son sur ta te tes toi ton tu un une vos votre vous à été est sont être avoir ai
        as avons avez ont était fait comme plus bien tout tous très oui non merci salut
        alors donc ça cela ceci aussi si c'est j'ai il y
    """,
    "de": """
        aber alle allem allen aller alles als also am an andere anderen auch auf aus bei
        bin bis bist da damit dann das dass dein deine dem den der des dich die dies
        diese dieser dieses dir doch dort du durch ein eine einem einen einer eines er es
        etwas euch euer für gegen hab habe haben hat hatte ich ihr ihm ihn ihnen im in
        ist ja jede jeder jedes jetzt kann kein keine man mein meine mich mir mit muss
        nach nicht nichts noch nun nur ob oder ohne sehr sein seine sich sie sind so soll
        über um und uns unser unter viel vom von vor war waren warum was weil wenn wer
        wie wieder will wir wird wo zu zum zur hallo danke gut
    """,
    "el": """
        και το η ο του της την τον των τα τη οι τις στο στη στην στον στα στους στις σε
        με για από που να θα δεν μη μην είναι ήταν εγώ εσύ αυτός αυτή αυτό αυτά εμείς
        εσείς αυτοί μου σου μας σας τους ένα ένας μία μια ή αλλά όπως ως πολύ πιο έχει
        έχω ότι τι πως πώς εδώ εκεί ναι όχι γεια ευχαριστώ λοιπόν κι ούτε επίσης όταν αν
    """,
    "he": """
        של את על עם זה זו זאת הוא היא הם הן אני אתה אנחנו אתם אתן לא כן גם אבל או כי
        אם מה מי איך למה מתי איפה יש אין היה הייתה היו כל כך רק עוד כמו אז כבר פה שם
        אל מן עד לפני אחרי בין הזה הזאת האלה אלה אותו אותה אותם לי לך לו לה לנו להם
        שלי שלך שלו שלה שלנו שלהם ממש טוב תודה שלום אחד אחת הרבה מאוד יותר פחות
    """,
    "ar": """
        في من على إلى الى عن مع هذا هذه ذلك تلك هو هي هم هن أنا انا أنت انت نحن أنتم
        لا نعم ما ماذا لم لن قد كان كانت يكون كل بعض أو او ثم لكن إن ان أن إذا اذا حتى
        بين عند غير بعد قبل كما هنا هناك التي الذي الذين يا شكرا مرحبا جدا أي اي كيف
        لماذا متى أين ايضا أيضا فقط منذ ولا وهو وهي
    """,
    "ka": """
        და არის რომ ეს ის მე შენ ჩვენ თქვენ ისინი არ არა კი ან მაგრამ თუ რა როგორ
        რატომ სად როდის ვინ ამ იმ ერთი ყველა ძალიან უფრო კიდევ აქ იქ უკვე მხოლოდ
        ასევე მიერ შესახებ გამო მერე ახლა დიახ ჰო მადლობა გამარჯობა ხომ თან
    """,
}

LANGUAGES: tuple[str, ...] = tuple(_WORDS)


@cache
def stopwords(languages: tuple[str, ...]) -> frozenset[str]:
    """The normalized common words of ``languages`` (unknown languages add nothing)."""
    found: set[str] = set()
    for language in languages:
        found.update(normalize(word) for word in _WORDS.get(language, "").split())
    return frozenset(found)
