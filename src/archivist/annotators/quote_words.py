"""The Japanese words that tell what a quote is: verbs, nouns and particles around it.

General vocabulary of reporting, naming and documents, read by quotes_ja.py. Verbs are
compared in their dictionary form (Sudachi's lemma), nouns by how a noun phrase ends.
"""

from __future__ import annotations

import re

QUOTATIVE = ("と", "って", "とも", "なんて", "との", "とか")  # particles reporting the quote before them
SAY = ("いう", "いっ", "言う", "言っ", "云う")  # という, といった: naming what follows
NAMING_VERBS = ("呼ぶ", "称する", "名付ける", "題する", "銘打つ", "命名", "なる", "名乗る", "略す", "冠する")
SCREEN_VERBS = ("表示", "表記", "印字", "点灯", "掲示", "プリント")  # 「…」と表示される: a label
LABEL_VERBS = ("書く", "記す", "刻む", "描く")  # a label when written on something (書かれた, 書いてある)
DOCUMENT_VERBS = ("規定", "定める", "明記", "記載", "うたう", "謳う")  # 「…」と規定: the text of a rule
SPEECH_VERBS = (  # verbs of saying: a noun phrase quoted with one of these is someone's words
    "言う", "語る", "述べる", "話す", "指摘", "説明", "強調", "主張", "訴える", "批判", "表明", "明言",
    "証言", "発言", "予想", "予測", "分析", "評価", "呼びかける", "発表", "宣言", "反論", "認める",
    "明かす", "答える", "回答", "記す", "書く", "警告", "要求", "求める", "提案", "提言", "懸念", "非難",
    "称賛", "絶賛", "表現", "報告", "言及", "示唆", "否定", "断言", "漏らす", "打ち明ける", "振り返る",
    "付け加える", "述懐", "コメント", "ツイート", "投稿", "つぶやく", "叫ぶ", "返答", "即答", "告白",
)
THINKING = (  # 「衝突事故」とした, と思う: words held or thought, also someone's
    "する", "思う", "考える", "感じる", "見る", "判断", "認識", "位置付ける", "評する", "形容", "見なす",
    "みなす", "断じる", "結論", "定義", "嘆く", "喜ぶ", "驚く",
)
CONDITIONAL = ("ば", "ても", "でも", "たら")  # 「X」と言えば, と言っても: speaking of X
SPEECH_HEADS = (  # という + one of these: what someone said
    "声", "意見", "コメント", "発言", "見解", "批判", "指摘", "主張", "答え", "質問", "問い", "問いかけ",
    "ツイート", "投稿", "書き込み", "メッセージ", "挨拶", "あいさつ", "談話", "証言", "反論", "説明",
    "感想", "本音", "叫び", "悲鳴", "呼びかけ", "訴え", "声明", "見方", "考え", "思い", "返事", "返答",
    "セリフ", "台詞", "名言", "一言", "言葉", "心境", "持論", "嘆き", "つぶやき", "話", "ジョーク", "アドバイス",
)
HEARSAY = ("こと", "事")  # 「…」とのことだ: what was said; 「…」ということが大切: a notion
WORDS = ("言葉", "一言")  # speech when the quote is a sentence, a term when it is a word
NAMING_HEADS = (  # という + one of these: a name or a notion
    "もの", "名前", "名称", "意味", "概念", "キーワード", "フレーズ", "タイトル", "ワード",
    "単語", "文字", "表記", "記事", "ニュース", "見出し", "番組", "作品", "企画", "曲", "本", "特集",
    "キャンペーン", "サービス", "コーナー", "テーマ", "商品", "ブランド", "コンセプト", "機能", "愛称",
)
DOCUMENT_HEADS = (  # という + one of these: the text of a document
    "規定", "規約", "規則", "条文", "条例", "法律", "文言", "条項", "設問", "広告", "文書",
    "通知", "通達", "報告書", "決議", "判決", "規程", "要綱", "社告",
)
DOCUMENT_WORDS = (  # documents named next to a quote (「…」を求める大統領令)
    "大統領令", "規則", "法案", "法律", "憲法", "条例", "条約", "報告書", "命令", "指令",
    "決議", "判決", "通達", "ガイドライン", "公式文書", "規約", "規定",
)
DOCUMENT_PLACE = re.compile(rf"(?:{'|'.join(DOCUMENT_WORDS)})(?:内|の中)?(?:で|に|では|には)、?")
SURVEY_AFTER = re.compile(r"(?:という|との)?(?:回答)?[がはで]?\s*[0-9０-９.．]+\s*[％%]")  # 」が2％
SURVEY_BEFORE = re.compile(r"[0-9０-９.．]+\s*[％%]が、?$")  # 46.6％が「…」と回答
ANNOUNCING_REACH = 40  # how far before a quote an announcing phrase (次のように語った。) is looked for
ANNOUNCED = re.compile(r"(?P<cue>(?:次のように|こう|以下のように)[^。「」]{0,20})[。：:]\s*$")
UTTERANCE_ENDS = ("…", "・・・", "ｗ", "w", "笑)", "笑）", "♪", "〜", "!", "！", "?", "？", "。")
UTTERANCE_LEAST = 12  # a noun-ending quote this long with a topic (は, も) is a sentence without だ
FORMAL_NOUNS = ("こと", "事", "もの", "物", "ところ", "ため", "よう", "とき", "時")  # 「…」こと: no compound
PASSIVE_CUE = re.compile(r"(?:[かがさたなばまらわ]れ|られ|させ|せら)")  # と聞かれ, と言われ, と言わせ
PERSONAL = re.compile(r"さん|氏|様|くん|ちゃん|君|[0-9０-９]+歳")  # （絹代さん／31歳）: who spoke, not a credit
CREDIT = re.compile(r"監督|著|作|刊|出版|主演|出演|放送|公開|発売|配信|[0-9０-９]+[年月日]")  # （X監督）: a title's credit


def said_to_subject(cue: str | None) -> bool:
    """Whether a cue is passive (と聞かれ, と言われ): someone said the words to the subject."""
    return bool(cue) and PASSIVE_CUE.search(cue) is not None
