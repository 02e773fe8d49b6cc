import type { z } from 'zod';
import type { ActorCreate } from '../actors/schemas.js';
import type { CitationCreate } from '../citations/schemas.js';
import type { FigureCreate } from '../figures/schemas.js';
import type { RelationCreate } from '../relations/schemas.js';
import type { SourceCreate } from '../sources/schemas.js';
import type { StatementCreate } from '../statements/schemas.js';

/**
 * Everything in the two seed articles (shared/seeds/000_f00d4a2aa64830af.txt and
 * 002_05f56049b9b57910.txt), as API input. Sources and statements carry a local
 * `key` so later records can cite them before they have ids. Where the articles
 * are silent (headlines, the second article's publisher) the record says so in
 * `notes` rather than guessing.
 */

type Keyed<T> = T & { key: string };
export type CitationSeed = Omit<z.input<typeof CitationCreate>, 'sourceId' | 'source' | 'relays'> & {
  sourceKey: string;
  /** The seed source the cited one relays it from. */
  relaysKey?: string;
};
type StatementSeed = Keyed<Omit<z.input<typeof StatementCreate>, 'citations'> & { citations: CitationSeed[] }>;
type FigureSeed = Keyed<
  Omit<z.input<typeof FigureCreate>, 'citations' | 'statementId' | 'shareOf'> & {
    statementKey?: string;
    /** The seed figure this one is a share of (unit: share). */
    shareOfKey?: string;
    citations: CitationSeed[];
  }
>;

type RelationSeed = Keyed<
  Omit<z.input<typeof RelationCreate>, 'statement' | 'targetStatement' | 'targetFigure'> & {
    statementKey: string;
    targetStatementKey?: string;
    targetFigureKey?: string;
  }
>;

export const actors: z.input<typeof ActorCreate>[] = [
  {
    slug: 'miguel-diaz-canel',
    name: 'Miguel Díaz-Canel',
    kind: 'person',
    aliases: ['Diaz-Canel', 'Díaz-Canel', 'Miguel Diaz-Canel', 'Miguel Díaz-Canel Bermúdez'],
    role: 'President of Cuba',
    country: 'CU',
    handles: [{ platform: 'x', handle: 'DiazCanelB' }],
  },
  {
    slug: 'ebrahim-raisi',
    name: 'Ebrahim Raisi',
    kind: 'person',
    aliases: ['Raisi'],
    role: 'President of Iran',
    country: 'IR',
    description: 'President of Iran at the time of his meeting with Miguel Díaz-Canel in Tehran on 4 December 2023.',
  },
  {
    slug: 'gaza-ministry-of-health',
    name: 'Gaza Ministry of Health',
    kind: 'government',
    aliases: ["Gaza's Ministry of Health", 'Ministry of Health in Gaza'],
    country: 'PS',
  },
  { slug: 'israel', name: 'Israel', kind: 'government', aliases: ['Israeli government', 'State of Israel'], country: 'IL' },
  {
    slug: 'the-palestine-chronicle',
    name: 'The Palestine Chronicle',
    kind: 'media_outlet',
    aliases: ['Palestine Chronicle', 'PC'],
  },
  { slug: 'anadolu-agency', name: 'Anadolu Agency', kind: 'media_outlet', aliases: ['Anadolu', 'AA'], country: 'TR' },
];

export const sources: Keyed<z.input<typeof SourceCreate>>[] = [
  {
    key: 'pc-article',
    kind: 'news_article',
    title: 'Cuba’s president calls on the international community to end the genocide in Gaza',
    publisher: 'The Palestine Chronicle',
    outlet: 'the-palestine-chronicle',
    authors: ['Palestine Chronicle Staff'],
    publishedOn: '2024-03',
    language: 'en',
    notes:
      'Credit line: (PC, Anadolu). The seed text carries no headline or URL; the title is descriptive. Published after Saturday 30 March 2024, which it mentions, and within March ("earlier this month"). Seed file 000_f00d4a2aa64830af.txt.',
  },
  {
    key: 'anadolu-report',
    kind: 'news_article',
    title: 'Anadolu Agency report relayed by The Palestine Chronicle',
    publisher: 'Anadolu Agency',
    outlet: 'anadolu-agency',
    notes:
      'Known only through the credit line “(PC, Anadolu)” of The Palestine Chronicle article, which neither links nor dates it. The article’s figures are recorded as relayed from it.',
  },
  {
    key: 'x-post-2024-03-30',
    kind: 'social_media_post',
    title: 'Miguel Díaz-Canel Bermúdez (@DiazCanelB) on X, 30 March 2024',
    publisher: 'X',
    // The account holder publishes a post; X is the platform.
    outlet: 'miguel-diaz-canel',
    authors: ['Miguel Díaz-Canel Bermúdez'],
    publishedOn: '2024-03-30',
    language: 'es',
    notes: 'Known through its embed in The Palestine Chronicle article; the embed links the picture pic.twitter.com/0ikCqbZaSv.',
  },
  {
    key: 'tehran-meeting-article',
    kind: 'news_article',
    title: 'Raisi: Iran and Cuba share a stance on a coalition to support the Palestinian people',
    publishedOn: '2023-12-04',
    language: 'en',
    notes:
      'The seed text names neither the publisher nor a headline or URL; the title is descriptive. Seed file 002_05f56049b9b57910.txt.',
  },
];

const PC = 'pc-article';
const TEHRAN = 'tehran-meeting-article';
const ANADOLU = 'anadolu-report';

const atTehranMeeting = (speaker: string, counterpart: string) => ({
  speaker,
  involved: [{ actor: counterpart, role: 'counterpart' as const }],
  saidOn: '2023-12-04',
  medium: 'meeting' as const,
  location: 'Tehran',
  occasion: 'Bilateral meeting during Miguel Díaz-Canel’s visit to Tehran',
  verification: 'secondary' as const,
  language: 'en',
});

const raisiAtMeeting = atTehranMeeting('ebrahim-raisi', 'miguel-diaz-canel');
const diazCanelAtMeeting = atTehranMeeting('miguel-diaz-canel', 'ebrahim-raisi');

const cite = (sourceKey: string, excerpt: string, role: 'primary' | 'secondary' = 'secondary'): CitationSeed => ({
  sourceKey,
  excerpt,
  role,
});
/** The Palestine Chronicle's figures, which its credit line "(PC, Anadolu)" says came through the agency. */
const viaAnadolu = (excerpt: string): CitationSeed => ({ ...cite(PC, excerpt), relaysKey: ANADOLU });

export const statements: StatementSeed[] = [
  {
    key: 'x-post-genocide-stop-now',
    speaker: 'miguel-diaz-canel',
    text: 'As long as Palestinian land continues to be martyred, bled, destroyed to its foundations by the hatred of the Israeli occupier, we cannot tire of denouncing the crime and calling on the international community. Cuba demands that the genocide stop now.',
    language: 'en',
    originalText:
      'Mientras la tierra #Palestina siga siendo martirizada, desangrada, destruida hasta en sus cimientos por el odio del ocupante israelí, no podemos cansarnos de denunciar el crimen y convocar a la "comunidad internacional". #Cuba demanda que cese el genocidio ya.',
    originalLanguage: 'es',
    kind: 'social_media_post',
    saidOn: '2024-03-30',
    medium: 'social_media',
    platform: 'X',
    occasion: 'Posted with a photo of the Palestinian flag projected onto the José Martí Memorial in Havana',
    tags: ['Palestina', 'Cuba', 'Gaza', 'genocide'],
    verification: 'secondary',
    notes:
      'English rendering as printed by The Palestine Chronicle, which quotes its two sentences in reverse order. The original puts “comunidad internacional” in quotation marks.',
    citations: [
      cite(
        PC,
        'Miguel Diaz-Canel wrote on his X account “Cuba demands that the genocide stop now.” “As long as Palestinian land continues to be martyred, bled, destroyed to its foundations by the hatred of the Israeli occupier, we cannot tire of denouncing the crime and calling on the international community,” Diaz-Canel added.',
      ),
      cite(
        'x-post-2024-03-30',
        'Mientras la tierra #Palestina siga siendo martirizada, desangrada, destruida hasta en sus cimientos por el odio del ocupante israelí, no podemos cansarnos de denunciar el crimen y convocar a la "comunidad internacional". #Cuba demanda que cese el genocidio ya.',
        'primary',
      ),
    ],
  },
  {
    key: 'x-post-rally-hurts-deeply',
    speaker: 'miguel-diaz-canel',
    text: 'Palestine “hurts deeply” … “the impunity of those who mercilessly bomb their people is outrageous.”',
    language: 'en',
    kind: 'social_media_post',
    saidOn: '2024-03',
    medium: 'social_media',
    platform: 'X',
    occasion: 'Photos shared of a rally in support of Palestine, attended with his cabinet',
    tags: ['Palestine', 'rally'],
    verification: 'secondary',
    notes:
      'Fragments quoted by The Palestine Chronicle; the full post and its Spanish original are not in the source. Dated “earlier this month” (March 2024).',
    citations: [
      cite(
        PC,
        'Diaz-Canel shared photos of the rally on his X account, saying Palestine “hurts deeply,” and adding “the impunity of those who mercilessly bomb their people is outrageous.”',
      ),
    ],
  },
  {
    key: 'rally-not-indifferent',
    speaker: 'miguel-diaz-canel',
    text: 'Cuba will not remain indifferent to the crimes of those who mercilessly bomb the people of occupied Palestine, and their lack of punishment is outrageous.',
    language: 'en',
    kind: 'paraphrase',
    saidOn: '2024-03',
    medium: 'rally',
    occasion: 'Rally in support of Palestine, attended with his cabinet, most wearing the Palestinian keffiyeh',
    tags: ['Palestine', 'rally'],
    verification: 'secondary',
    citations: [
      cite(
        PC,
        'He expressed his outrage at the lack of punishment for those who bomb the people of occupied Palestine mercilessly and made it clear that Cuba would not remain indifferent to such crimes.',
      ),
    ],
  },
  {
    key: 'x-post-anti-imperialist-tribune',
    speaker: 'miguel-diaz-canel',
    text: 'Today we have expressed the pain and indignation of the people of Cuba in the Anti-imperialist Tribune. Cease on #GenocidioEnGaza',
    language: 'en',
    kind: 'social_media_post',
    saidOn: '2024-03',
    medium: 'social_media',
    platform: 'X',
    location: 'Anti-imperialist Tribune',
    occasion: 'Rally in support of Palestine',
    tags: ['GenocidioEnGaza', 'rally'],
    verification: 'secondary',
    notes: 'English rendering as printed by The Palestine Chronicle; the Spanish original is not in the source.',
    citations: [
      cite(
        PC,
        '“Today we have expressed the pain and indignation of the people of Cuba in the Anti-imperialist Tribune. Cease on #GenocidioEnGaza,” he wrote.',
      ),
    ],
  },
  {
    ...raisiAtMeeting,
    key: 'raisi-common-stance',
    text: 'Iran and Cuba have a common stance on the need to form a coalition to support the oppressed Palestinian people in different continents in cooperation with the allied countries.',
    kind: 'paraphrase',
    tags: ['Palestine', 'coalition'],
    citations: [
      cite(
        TEHRAN,
        'President Ebrahim Raisi stated Iran and Cuba have a common stance on the need to form a coalition to support the oppressed Palestinian people in different continents in cooperation with the allied countries.',
      ),
    ],
  },
  {
    ...raisiAtMeeting,
    key: 'raisi-silence',
    text: 'The international community keeps a deafening silence on the Israeli genocide in Gaza; no international organization is trying to stop the Israeli killing machine.',
    kind: 'paraphrase',
    tags: ['Gaza', 'genocide'],
    citations: [
      cite(
        TEHRAN,
        'The Iranian president slammed the deafening silence of the international community on the Israeli genocide in Gaza, saying no international organization is trying to stop the Israeli killing machine.',
      ),
    ],
  },
  {
    ...raisiAtMeeting,
    key: 'raisi-us-west',
    text: 'Regrettably, the United States and the West are supporting these heartbreaking crimes.',
    kind: 'direct_quote',
    tags: ['United States'],
    citations: [
      cite(TEHRAN, '“Regrettably, the United States and the West are supporting these heartbreaking crimes,” Raisi said.'),
    ],
  },
  {
    ...raisiAtMeeting,
    key: 'raisi-war-machine',
    text: 'war machine that the US has provided to the Zionist regime',
    kind: 'direct_quote',
    tags: ['United States'],
    notes: 'A fragment: the outlet paraphrases the rest (the international systems have failed to stop it).',
    citations: [
      cite(
        TEHRAN,
        'He expressed regret over the inefficiency of the international systems which have failed to stop the “war machine that the US has provided to the Zionist regime.”',
      ),
    ],
  },
  {
    ...raisiAtMeeting,
    key: 'raisi-global-bodies',
    text: 'The United Nations, the Security Council, the Arab League and other global bodies have lost their efficiency.',
    kind: 'direct_quote',
    tags: ['United Nations'],
    citations: [
      cite(
        TEHRAN,
        '“The United Nations, the Security Council, the Arab League and other global bodies have lost their efficiency,” the Iranian president said.',
      ),
    ],
  },
  {
    ...raisiAtMeeting,
    key: 'raisi-fair-system',
    text: 'The current unfair international system must end, and a fair global system that supports the oppressed people and prevents oppression must be formed.',
    kind: 'paraphrase',
    citations: [
      cite(
        TEHRAN,
        'He stressed the need to end the current unfair international system and form a fair global system that supports the oppressed people and prevents oppression.',
      ),
    ],
  },
  {
    ...raisiAtMeeting,
    key: 'raisi-nations-saddened',
    text: 'Iranians and all nations are saddened that the enemies are attacking the Palestinian people, who want to defend their homeland and lives.',
    kind: 'paraphrase',
    citations: [
      cite(
        TEHRAN,
        'Raisi said Iranians and all nations are saddened that the enemies are attacking the Palestinian people, who want to defend their homeland and lives.',
      ),
    ],
  },
  {
    ...raisiAtMeeting,
    key: 'raisi-martyrs',
    text: 'The Zionist regime martyrs the Palestinian people with [acts of] racism, genocide and crime against humanity and massacres women and children.',
    kind: 'direct_quote',
    tags: ['genocide'],
    notes: '“[acts of]” is the outlet’s insertion.',
    citations: [
      cite(
        TEHRAN,
        '“The Zionist regime martyrs the Palestinian people with [acts of] racism, genocide and crime against humanity and massacres women and children,” the Iranian president added.',
      ),
    ],
  },
  {
    ...raisiAtMeeting,
    key: 'raisi-children-women-killed',
    text: 'Since the beginning of the Tel Aviv regime’s large-scale attack on Gaza on October 7, more than 6,000 Palestinian children and over 4,000 women have been killed; the Islamic Republic supports the Palestinian people.',
    kind: 'paraphrase',
    tags: ['Gaza', 'casualties'],
    citations: [
      cite(
        TEHRAN,
        'He noted that since the beginning of the Tel Aviv regime’s large-scale attack on Gaza on October 7, more than 6,000 Palestinian children and over 4,000 women have been killed, reaffirming the Islamic Republic’s support for the Palestinian people.',
      ),
    ],
  },
  {
    ...diazCanelAtMeeting,
    key: 'diaz-canel-ceasefire',
    text: 'Cuba slams Israel’s killing of thousands of Palestinian people and calls for the immediate establishment of a ceasefire in Gaza, which would prepare the ground for the formation of an independent Palestinian state.',
    kind: 'paraphrase',
    tags: ['Gaza', 'ceasefire'],
    citations: [
      cite(
        TEHRAN,
        'Díaz-Canel, for his part, said Cuba slams Israel’s killing of thousands of Palestinian people and calls for the immediate establishment of a ceasefire in Gaza which would prepare the ground for the formation of an independent Palestinian state.',
      ),
    ],
  },
  {
    ...diazCanelAtMeeting,
    key: 'diaz-canel-condemn-genocide',
    text: 'Iran and Cuba call for international efforts to condemn Israel’s acts of genocide against the Palestinian people.',
    kind: 'paraphrase',
    tags: ['genocide'],
    citations: [
      cite(
        TEHRAN,
        'He added that Iran and Cuba call for international efforts to condemn Israel’s acts of genocide against the Palestinian people.',
      ),
    ],
  },
  {
    ...diazCanelAtMeeting,
    key: 'diaz-canel-iran-sovereignty',
    text: 'Havana defends Tehran’s legitimate right to determine its own fate.',
    kind: 'paraphrase',
    tags: ['United States'],
    notes: 'Said while lashing out at the US for interfering in Iran’s internal affairs.',
    citations: [
      cite(
        TEHRAN,
        'The Cuban president lashed out at the US for interfering in Iran’s internal affairs, saying that Havana defends Tehran’s legitimate right to determine its own fate.',
      ),
    ],
  },
  // What the Palestine Chronicle article reports others said, the last two without naming anyone.
  {
    key: 'israel-1200-killed',
    speaker: 'israel',
    text: 'Israel says that 1,200 soldiers and civilians were killed during the Al-Aqsa Flood Operation on October 7.',
    language: 'en',
    kind: 'paraphrase',
    saidOn: '2024-03',
    verification: 'secondary',
    notes: 'The article does not say when Israel said it; dated to the month of the article that reports it.',
    citations: [
      viaAnadolu('Israel says that 1,200 soldiers and civilians were killed during the Al-Aqsa Flood Operation on October 7.'),
    ],
  },
  {
    key: 'israeli-media-friendly-fire',
    attribution: 'unnamed_group',
    attributedTo: 'Israeli media',
    text: 'Israeli media published reports suggesting that many Israelis were killed on that day by ‘friendly fire’.',
    language: 'en',
    kind: 'paraphrase',
    saidOn: '2024-03',
    verification: 'secondary',
    notes: 'The article names neither the outlets nor when they published; dated to the month of the article that reports it.',
    citations: [
      viaAnadolu(
        'Israeli media published reports suggesting that many Israelis were killed on that day by ‘friendly fire’',
      ),
    ],
  },
  {
    key: 'organizations-women-children-majority',
    attribution: 'unnamed_group',
    attributedTo: 'Palestinian and international organizations',
    text: 'The majority of those killed and wounded are women and children.',
    language: 'en',
    kind: 'paraphrase',
    saidOn: '2024-03',
    verification: 'secondary',
    notes: 'The article names none of the organizations; dated to the month of the article that reports it.',
    citations: [
      viaAnadolu(
        'Palestinian and international organizations say that the majority of those killed and wounded are women and children.',
      ),
    ],
  },
];

const sinceOctober7 = { cumulative: true, periodStart: '2023-10-07' } as const;
const inGaza = { area: 'Gaza Strip' } as const;

export const figures: FigureSeed[] = [
  {
    key: 'moh-killed-2024-03',
    metric: 'killed',
    value: 32705,
    phrase: '32,705 Palestinians have been killed',
    population: 'Palestinians',
    ...inGaza,
    ...sinceOctober7,
    asOf: '2024-03',
    reporter: 'gaza-ministry-of-health',
    notes: 'As of the article’s date (late March 2024); the article gives no as-of date of its own.',
    citations: [
      viaAnadolu(
        'According to Gaza’s Ministry of Health, 32,705 Palestinians have been killed, and 75,190 wounded in Israel’s ongoing genocide in Gaza starting on October 7.',
      ),
    ],
  },
  {
    key: 'moh-injured-2024-03',
    metric: 'injured',
    value: 75190,
    phrase: '75,190 wounded',
    population: 'Palestinians',
    ...inGaza,
    ...sinceOctober7,
    asOf: '2024-03',
    reporter: 'gaza-ministry-of-health',
    citations: [
      viaAnadolu(
        'According to Gaza’s Ministry of Health, 32,705 Palestinians have been killed, and 75,190 wounded in Israel’s ongoing genocide in Gaza starting on October 7.',
      ),
    ],
  },
  {
    key: 'missing-2024-03',
    metric: 'missing',
    value: 7000,
    qualifier: 'at_least',
    phrase: 'at least 7,000 people are unaccounted for',
    population: 'people',
    ...inGaza,
    ...sinceOctober7,
    asOf: '2024-03',
    caveats:
      'Presumed dead under the rubble of their homes. The article does not attribute this figure; it follows the Ministry of Health figures.',
    citations: [
      viaAnadolu(
        'Moreover, at least 7,000 people are unaccounted for, presumed dead under the rubble of their homes throughout the Strip.',
      ),
    ],
  },
  {
    key: 'displaced-2024-03',
    metric: 'displaced',
    value: 2000000,
    qualifier: 'nearly',
    phrase: 'nearly two million people',
    population: 'people',
    ...inGaza,
    ...sinceOctober7,
    asOf: '2024-03',
    caveats: 'Unattributed in the article.',
    citations: [
      viaAnadolu(
        'The Israeli aggression has also resulted in the forceful displacement of nearly two million people from all over the Gaza Strip, with the vast majority of the displaced forced into the densely crowded southern city of Rafah',
      ),
    ],
  },
  {
    key: 'israel-killed-october-7',
    metric: 'killed',
    value: 1200,
    phrase: '1,200 soldiers and civilians were killed',
    population: 'soldiers and civilians',
    cumulative: false,
    periodStart: '2023-10-07',
    periodEnd: '2023-10-07',
    asOf: '2024-03',
    reporter: 'israel',
    statementKey: 'israel-1200-killed',
    caveats:
      'Israeli media reports, as the article relays them, suggest many Israelis were killed that day by “friendly fire” (a relation: GET /relations?involving=<statement>).',
    citations: [
      viaAnadolu('Israel says that 1,200 soldiers and civilians were killed during the Al-Aqsa Flood Operation on October 7.'),
    ],
  },
  {
    key: 'raisi-children-killed',
    metric: 'killed',
    value: 6000,
    qualifier: 'more_than',
    phrase: 'more than 6,000 Palestinian children',
    population: 'Palestinian children',
    ...inGaza,
    ...sinceOctober7,
    asOf: '2023-12-04',
    reporter: 'ebrahim-raisi',
    statementKey: 'raisi-children-women-killed',
    citations: [cite(TEHRAN, 'more than 6,000 Palestinian children and over 4,000 women have been killed')],
  },
  {
    key: 'raisi-women-killed',
    metric: 'killed',
    value: 4000,
    qualifier: 'more_than',
    phrase: 'over 4,000 women',
    population: 'women',
    ...inGaza,
    ...sinceOctober7,
    asOf: '2023-12-04',
    reporter: 'ebrahim-raisi',
    statementKey: 'raisi-children-women-killed',
    citations: [cite(TEHRAN, 'more than 6,000 Palestinian children and over 4,000 women have been killed')],
  },
  {
    key: 'killed-2023-12-04',
    metric: 'killed',
    value: 15523,
    qualifier: 'at_least',
    phrase: 'at least 15,523 Palestinians, mostly women and children',
    population: 'Palestinians',
    ...inGaza,
    ...sinceOctober7,
    asOf: '2023-12-04',
    caveats: 'The article gives no reporter.',
    citations: [
      cite(
        TEHRAN,
        'Since the start of the offensive, the Tel Aviv regime has killed at least 15,523 Palestinians, mostly women and children, injured 41,316 others',
      ),
    ],
  },
  {
    key: 'injured-2023-12-04',
    metric: 'injured',
    value: 41316,
    phrase: 'injured 41,316 others',
    population: 'Palestinians',
    ...inGaza,
    ...sinceOctober7,
    asOf: '2023-12-04',
    caveats: 'The article gives no reporter.',
    citations: [
      cite(
        TEHRAN,
        'Since the start of the offensive, the Tel Aviv regime has killed at least 15,523 Palestinians, mostly women and children, injured 41,316 others',
      ),
    ],
  },
  {
    key: 'under-siege-2023-12-04',
    metric: 'under_siege',
    value: 2000000,
    qualifier: 'more_than',
    phrase: 'more than two million Palestinians living there',
    population: 'Palestinians',
    ...inGaza,
    cumulative: false,
    asOf: '2023-12-04',
    caveats: 'People cut off from fuel, electricity, food and water by the “complete siege”, per the article; unattributed.',
    citations: [
      cite(
        TEHRAN,
        'It has also imposed a “complete siege” on Gaza, cutting off fuel, electricity, food, and water to more than two million Palestinians living there.',
      ),
    ],
  },
  // Quantities printed without a number: the share of women and children, "thousands", "the vast majority".
  {
    key: 'women-children-share-killed-2024-03',
    metric: 'killed',
    value: null,
    qualifier: 'majority',
    unit: 'share',
    shareOfKey: 'moh-killed-2024-03',
    phrase: 'the majority of those killed and wounded are women and children',
    population: 'women and children',
    ...inGaza,
    ...sinceOctober7,
    asOf: '2024-03',
    statementKey: 'organizations-women-children-majority',
    caveats: 'Said by “Palestinian and international organizations”, not by a named reporter; a share of the killed count.',
    citations: [
      viaAnadolu(
        'Palestinian and international organizations say that the majority of those killed and wounded are women and children.',
      ),
    ],
  },
  {
    key: 'women-children-share-injured-2024-03',
    metric: 'injured',
    value: null,
    qualifier: 'majority',
    unit: 'share',
    shareOfKey: 'moh-injured-2024-03',
    phrase: 'the majority of those killed and wounded are women and children',
    population: 'women and children',
    ...inGaza,
    ...sinceOctober7,
    asOf: '2024-03',
    statementKey: 'organizations-women-children-majority',
    caveats: 'Said by “Palestinian and international organizations”, not by a named reporter; a share of the injured count.',
    citations: [
      viaAnadolu(
        'Palestinian and international organizations say that the majority of those killed and wounded are women and children.',
      ),
    ],
  },
  {
    key: 'women-children-share-killed-2023-12-04',
    metric: 'killed',
    value: null,
    qualifier: 'majority',
    unit: 'share',
    shareOfKey: 'killed-2023-12-04',
    phrase: 'mostly women and children',
    population: 'women and children',
    ...inGaza,
    ...sinceOctober7,
    asOf: '2023-12-04',
    caveats: 'The article gives no reporter.',
    citations: [
      cite(
        TEHRAN,
        'Since the start of the offensive, the Tel Aviv regime has killed at least 15,523 Palestinians, mostly women and children',
      ),
    ],
  },
  {
    key: 'displaced-to-rafah-share-2024-03',
    metric: 'displaced',
    value: null,
    qualifier: 'majority',
    unit: 'share',
    shareOfKey: 'displaced-2024-03',
    phrase: 'the vast majority of the displaced forced into the densely crowded southern city of Rafah',
    population: 'people',
    area: 'Rafah',
    ...sinceOctober7,
    asOf: '2024-03',
    caveats: 'Unattributed in the article; “vast majority” is recorded as majority (more than half).',
    citations: [
      viaAnadolu(
        'with the vast majority of the displaced forced into the densely crowded southern city of Rafah near the border with Egypt',
      ),
    ],
  },
  {
    key: 'diaz-canel-thousands-killed',
    metric: 'killed',
    value: null,
    qualifier: 'thousands',
    phrase: 'thousands of Palestinian people',
    population: 'Palestinians',
    asOf: '2023-12-04',
    reporter: 'miguel-diaz-canel',
    statementKey: 'diaz-canel-ceasefire',
    caveats: 'A leader’s words at a meeting, not a count; no area or period given.',
    citations: [
      cite(
        TEHRAN,
        'Díaz-Canel, for his part, said Cuba slams Israel’s killing of thousands of Palestinian people and calls for the immediate establishment of a ceasefire in Gaza',
      ),
    ],
  },
];

export const relations: RelationSeed[] = [
  {
    key: 'israeli-media-disputes-israel',
    statementKey: 'israeli-media-friendly-fire',
    kind: 'disputes',
    targetStatementKey: 'israel-1200-killed',
    notes:
      'Questions who killed those who died on October 7 (many, the reports suggest, by Israeli fire), not how many died.',
  },
];
