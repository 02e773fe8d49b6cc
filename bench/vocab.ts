// Word lists for the generated dataset. Made up, but shaped like the record Attest keeps: officials,
// ministries and outlets speaking about conflicts, aid and diplomacy, in English with Spanish and French
// originals. List order matters where the generator samples with a skew: earlier entries are more common.

export const FIRST_NAMES = [
  'Miguel', 'Ana', 'José', 'María', 'Ahmed', 'Fatima', 'Hélène', 'Jean', 'Olena', 'Dmytro', 'Sergei', 'Elena',
  'Carlos', 'Lucía', 'Mohammed', 'Aisha', 'Omar', 'Layla', 'David', 'Sarah', 'Yusuf', 'Amina', 'Pierre', 'Camille',
  'Juan', 'Isabel', 'Ali', 'Noor', 'Hassan', 'Mariam', 'Luis', 'Carmen', 'Ibrahim', 'Zainab', 'François', 'Chloé',
  'Andrés', 'Valentina', 'Khalid', 'Rania', 'Pedro', 'Sofía', 'Emmanuel', 'Aminata', 'Kofi', 'Nadia', 'Tariq', 'Leïla',
  'Gustavo', 'Gabriela', 'Abdullah', 'Hana', 'Nicolás', 'Daniela', 'Yaw', 'Chiara', 'Marco', 'Ngozi', 'Oleksandr',
  'Iryna', 'Raúl', 'Dolores', 'Samir', 'Yasmin', 'Rafael', 'Beatriz', 'Mustafa', 'Salma', 'Thomas', 'Mathilde',
];

export const LAST_NAMES = [
  'Díaz-Canel', 'Rodríguez', 'García', 'Martínez', 'López', 'González', 'Hernández', 'Pérez', 'Sánchez', 'Ramírez',
  'Al-Masri', 'Haddad', 'Khalil', 'Mansour', 'Nasser', 'Saleh', 'Abbas', 'Hamdan', 'Odeh', 'Barghouti',
  'Dubois', 'Lefèvre', 'Moreau', 'Laurent', 'Girard', 'Rousseau', 'Fournier', 'Mercier', 'Bonnet', 'Faure',
  'Kovalenko', 'Shevchenko', 'Bondarenko', 'Tkachenko', 'Melnyk', 'Ivanov', 'Petrov', 'Sokolov', 'Volkov', 'Morozov',
  'Okafor', 'Mensah', 'Diallo', 'Traoré', 'Kamara', 'Ndiaye', 'Osei', 'Abubakar', 'Mwangi', 'Otieno',
  'Rossi', 'Bianchi', 'Romano', 'Fischer', 'Weber', 'Schneider', 'Müller', 'Novak', 'Horvat', 'Kowalski',
  'Torres', 'Flores', 'Rivera', 'Gómez', 'Vargas', 'Castro', 'Ortega', 'Ruiz', 'Mendoza', 'Herrera',
];

export const ROLES = [
  'President', 'Prime Minister', 'Foreign Minister', 'Minister of Health', 'Spokesperson', 'Ambassador to the UN',
  'Defence Minister', 'Special Rapporteur', 'Director-General', 'Secretary-General', 'Mayor', 'Governor',
  'Senator', 'Member of Parliament', 'Military spokesperson', 'Head of mission', 'Commissioner-General',
];

export const COUNTRIES = [
  'US', 'GB', 'FR', 'ES', 'CU', 'VE', 'MX', 'BR', 'AR', 'CO', 'PS', 'IL', 'LB', 'SY', 'IQ', 'IR', 'YE', 'SA', 'EG',
  'JO', 'TR', 'UA', 'RU', 'DE', 'IT', 'PL', 'SD', 'SS', 'ET', 'CD', 'NG', 'KE', 'ZA', 'HT', 'QA', 'AE', 'CN', 'IN',
];

export const ORG_PATTERNS = [
  'Ministry of Health of {place}', 'Ministry of Foreign Affairs of {place}', '{place} Red Crescent Society',
  '{place} Civil Defence', 'Office of the President of {place}', '{place} Human Rights Commission',
  '{place} Bar Association', 'Union of Journalists of {place}', '{place} Relief Committee', 'Mayor’s Office of {place}',
  '{place} Medical Association', 'Government Media Office of {place}', 'Armed Forces of {place}',
  'National Assembly of {place}', '{place} Coalition for Peace', 'Displaced Persons Council of {place}',
];

export const INTERNATIONAL = [
  'United Nations', 'UN Security Council', 'UNRWA', 'UNICEF', 'World Health Organization', 'World Food Programme',
  'UN Office for the Coordination of Humanitarian Affairs', 'International Committee of the Red Cross',
  'Médecins Sans Frontières', 'Amnesty International', 'Human Rights Watch', 'International Court of Justice',
  'International Criminal Court', 'European Union', 'African Union', 'Arab League', 'Organization of American States',
  'Save the Children', 'Oxfam', 'Norwegian Refugee Council', 'UNHCR', 'Reporters Without Borders',
  'Committee to Protect Journalists', 'International Organization for Migration',
];

export const OUTLETS = [
  ['Reuters', 'reuters.com'], ['Associated Press', 'apnews.com'], ['Agence France-Presse', 'afp.com'],
  ['Al Jazeera', 'aljazeera.com'], ['BBC News', 'bbc.co.uk'], ['The Guardian', 'theguardian.com'],
  ['Anadolu Agency', 'aa.com.tr'], ['The Palestine Chronicle', 'palestinechronicle.com'], ['Le Monde', 'lemonde.fr'],
  ['El País', 'elpais.com'], ['Granma', 'granma.cu'], ['Prensa Latina', 'prensa-latina.cu'], ['Telesur', 'telesurtv.net'],
  ['Middle East Eye', 'middleeasteye.net'], ['Haaretz', 'haaretz.com'], ['The Times of Israel', 'timesofisrael.com'],
  ['Kyiv Independent', 'kyivindependent.com'], ['Ukrainska Pravda', 'pravda.com.ua'], ['TASS', 'tass.com'],
  ['Deutsche Welle', 'dw.com'], ['France 24', 'france24.com'], ['RFI', 'rfi.fr'], ['EFE', 'efe.com'],
  ['Sudan Tribune', 'sudantribune.com'], ['Radio Dabanga', 'dabangasudan.org'], ['Haiti Libre', 'haitilibre.com'],
  ['Le Nouvelliste', 'lenouvelliste.com'], ['L’Orient-Le Jour', 'lorientlejour.com'], ['Arab News', 'arabnews.com'],
  ['The National', 'thenationalnews.com'], ['Mada Masr', 'madamasr.com'], ['WAFA', 'wafa.ps'], ['Xinhua', 'xinhuanet.com'],
  ['The New York Times', 'nytimes.com'], ['The Washington Post', 'washingtonpost.com'], ['CNN', 'cnn.com'],
  ['NPR', 'npr.org'], ['Financial Times', 'ft.com'], ['The Economist', 'economist.com'], ['Bloomberg', 'bloomberg.com'],
  ['Página 12', 'pagina12.com.ar'], ['La Jornada', 'jornada.com.mx'], ['El Tiempo', 'eltiempo.com'],
  ['Folha de S.Paulo', 'folha.uol.com.br'], ['ReliefWeb', 'reliefweb.int'], ['UN News', 'news.un.org'],
  ['+972 Magazine', '972mag.com'], ['Mondoweiss', 'mondoweiss.net'], ['Euronews', 'euronews.com'], ['Libération', 'liberation.fr'],
] as const;

export const PLACES = [
  'Gaza', 'Rafah', 'Khan Younis', 'Jabalia', 'the West Bank', 'Jenin', 'Nablus', 'Hebron', 'East Jerusalem',
  'Havana', 'Santiago de Cuba', 'Caracas', 'Maracaibo', 'Bogotá', 'Kyiv', 'Kharkiv', 'Mariupol', 'Odesa', 'Zaporizhzhia',
  'Khartoum', 'El Fasher', 'Darfur', 'Port-au-Prince', 'Beirut', 'South Lebanon', 'Sanaa', 'Hodeidah', 'Aleppo',
  'Idlib', 'Damascus', 'Tigray', 'Goma', 'North Kivu', 'Mosul', 'Tehran', 'Cairo', 'Amman', 'Ankara', 'Geneva',
  'New York', 'Brussels', 'Paris', 'Madrid', 'Mexico City', 'Buenos Aires', 'Brasília', 'Doha', 'Riyadh',
];

// [subject, plural?]: the verb agrees with it.
export const SUBJECTS: readonly (readonly [string, boolean])[] = [
  ['We', true], ['Our government', false], ['Our people', false], ['The international community', false],
  ['The occupation forces', true], ['The ministry', false], ['Humanitarian agencies', true], ['The United Nations', false],
  ['The Security Council', false], ['Civilians', true], ['Our delegation', false], ['The president', false],
  ['Families', true], ['Doctors', true], ['Journalists', true], ['The army', false], ['The coalition', false],
  ['Aid workers', true], ['The European Union', false], ['Our country', false], ['The authorities', true],
  ['Rescue teams', true], ['The Red Crescent', false],
];

// [plural form, singular form]
export const VERBS: readonly (readonly [string, string])[] = [
  ['demand', 'demands'], ['condemn', 'condemns'], ['reject', 'rejects'], ['call for', 'calls for'], ['welcome', 'welcomes'],
  ['support', 'supports'], ['will not accept', 'will not accept'], ['warn against', 'warns against'],
  ['denounce', 'denounces'], ['urge', 'urges'], ['reaffirm their commitment to', 'reaffirms its commitment to'],
  ['insist on', 'insists on'], ['remain committed to', 'remains committed to'], ['cannot ignore', 'cannot ignore'],
  ['are documenting', 'is documenting'], ['have witnessed', 'has witnessed'], ['oppose', 'opposes'],
  ['stand firmly behind', 'stands firmly behind'], ['will investigate', 'will investigate'], ['deplore', 'deplores'],
];

// Earlier objects are more frequent (the generator samples them with a Zipf-like skew), so searches for
// their words match thousands of statements and searches for later ones only dozens.
export const OBJECTS = [
  'an immediate ceasefire', 'humanitarian access', 'the blockade', 'the killing of civilians', 'the sanctions',
  'attacks on hospitals', 'the release of all detainees', 'negotiations without preconditions', 'the siege',
  'the bombing of schools', 'the displacement of families', 'the destruction of infrastructure', 'the embargo',
  'a humanitarian corridor', 'the occupation', 'peace talks', 'the reconstruction effort', 'the genocide',
  'war crimes', 'food shortages', 'the refugee crisis', 'access to clean water', 'medical supplies', 'the truce',
  'the evacuation of the wounded', 'free and fair elections', 'the protection of journalists', 'the arms embargo',
  'the aid convoys', 'the fuel shortage', 'the power cuts', 'the mass arrests', 'the curfew', 'the mass graves',
  'the vaccination campaign', 'the cholera outbreak', 'the famine', 'the prisoner exchange', 'the border crossing',
  'the drone strikes', 'the landmines', 'the hostage deal', 'the airlift', 'the field hospitals', 'the water desalination plant',
];

export const TAILS = [
  '', '', '', ' without delay', ' before it is too late', ' as required by international law', ' this week',
  ' for the sake of our children', ' once and for all', ' in {place}', ' in {place}', ' in {place}', ' across {place}',
  ' and we will keep saying so', ', whatever the cost', ' in the name of humanity', ' at the United Nations',
];

export const EXTRA_SENTENCES = [
  'At least {n} people have been killed since {month}.', 'More than {n} families have fled their homes.',
  'The situation in {place} is catastrophic.', 'History will judge those who stayed silent.',
  'We thank every country that has stood with us.', 'Hospitals in {place} are running out of fuel.',
  'Nobody is safe in {place}.', 'This is a violation of international humanitarian law.',
  'The world is watching.', 'We will not be intimidated.', '{n} trucks are waiting at the crossing.',
  'Our teams in {place} report that conditions are worsening every day.', 'Dialogue is the only way forward.',
  'The figures we publish are verified by our staff on the ground.', 'We call on all parties to respect the truce.',
];

export const ES_SUBJECTS = ['Cuba', 'El pueblo', 'Nuestro gobierno', 'La comunidad internacional', 'Venezuela', 'Nuestra delegación', 'Las familias', 'El ministerio'];
export const ES_VERBS = ['exige', 'condena', 'rechaza', 'denuncia', 'apoya', 'reclama', 'no acepta', 'pide'];
export const ES_OBJECTS = [
  'el cese del genocidio', 'un alto el fuego inmediato', 'el bloqueo', 'las sanciones', 'la ayuda humanitaria',
  'los ataques contra hospitales', 'la liberación de los detenidos', 'el embargo', 'la ocupación', 'las negociaciones de paz',
  'la destrucción de escuelas', 'el desplazamiento de familias', 'el acceso al agua potable', 'la hambruna',
];
export const ES_TAILS = ['', ' ya', ' sin demora', ' en {place}', ' ante el mundo', ' por nuestros niños', ' conforme al derecho internacional'];

export const FR_SUBJECTS = ['La France', 'Notre gouvernement', 'La communauté internationale', 'Le peuple', 'Nos équipes', 'Le ministère', 'Les familles'];
export const FR_VERBS = ['exige', 'condamne', 'rejette', 'dénonce', 'soutient', 'appelle à', 'réclame'];
export const FR_OBJECTS = [
  'un cessez-le-feu immédiat', 'l’accès humanitaire', 'le blocus', 'les sanctions', 'la libération des otages',
  'les frappes contre les hôpitaux', 'la protection des civils', 'les négociations de paix', 'l’embargo sur les armes',
  'la reconstruction', 'le déplacement des familles', 'la famine',
];
export const FR_TAILS = ['', ' sans délai', ' à {place}', ' conformément au droit international', ' pour nos enfants'];

export const OCCASIONS = [
  'Address to the General Assembly', 'Weekly press briefing', 'Meeting with the foreign minister', 'Rally in the capital',
  'Interview on national television', 'Joint press conference', 'Emergency session of the Security Council',
  'Visit to a field hospital', 'Summit of heads of state', 'Parliamentary debate', 'Funeral of victims',
];

export const TAGS = [
  'Gaza', 'ceasefire', 'humanitarian', 'Cuba', 'blockade', 'Ukraine', 'Sudan', 'Haiti', 'Lebanon', 'Yemen',
  'sanctions', 'hostages', 'refugees', 'UN', 'ICJ', 'elections', 'famine', 'journalists', 'health', 'Venezuela',
];

export const METRICS: readonly (readonly [string, number])[] = [
  ['killed', 25], ['injured', 18], ['displaced', 12], ['missing', 8], ['detained', 8], ['arrested', 6],
  ['evacuated', 5], ['wounded', 5], ['hospitalized', 4], ['homeless', 3], ['starving', 3], ['journalists_killed', 1.5],
  ['aid_workers_killed', 1.5],
];

export const POPULATIONS = [
  null, null, 'civilians', 'children', 'women', 'Palestinians', 'Ukrainians', 'soldiers', 'journalists',
  'aid workers', 'health workers', 'children under five', 'refugees',
];

export const AREAS = [null, 'Gaza Strip', 'Rafah', 'West Bank', 'Kharkiv oblast', 'Darfur', 'Khartoum', 'Port-au-Prince', 'South Lebanon', 'Tigray', 'North Kivu', 'Yemen', 'Aleppo'];

export const CAVEATS = [
  'Does not distinguish civilians from combatants.', 'Includes people missing under rubble.', 'Provisional figure.',
  'Could not be independently verified.', 'Counts only deaths recorded in hospitals.', 'Disputed by the other party.',
];

export const SEARCH_WORDS = [
  // English stems of OBJECTS, from common to rare, and two Spanish/French words found only in originals.
  'ceasefire', 'humanitarian', 'blockade', 'civilians', 'sanctions', 'hospitals', 'detainees', 'negotiations', 'siege',
  'schools', 'displacement', 'infrastructure', 'embargo', 'corridor', 'occupation', 'reconstruction', 'genocide',
  'refugee', 'water', 'truce', 'evacuation', 'elections', 'journalists', 'famine', 'cholera', 'bloqueo', 'blocus',
];
