// Data only: the tables the VIN decoder (vin-decode.ts) reads. Nothing here is computed.

/** A continent as the first character of a World Manufacturer Identifier (WMI) names it. */
export type VinRegion = 'Africa' | 'Asia' | 'Europe' | 'North America' | 'Oceania' | 'South America'

/** The 33 characters a VIN may hold, in the order SAE's WMI chart lays out second characters (0 last). */
export const VIN_CHARACTERS = 'ABCDEFGHJKLMNPRSTUVWXYZ1234567890'

/** 49 CFR 565.15 check digit: the value each letter stands for (digits stand for themselves). */
export const TRANSLITERATION: Readonly<Record<string, number>> = {
  A: 1, B: 2, C: 3, D: 4, E: 5, F: 6, G: 7, H: 8, J: 1, K: 2, L: 3, M: 4, N: 5,
  P: 7, R: 9, S: 2, T: 3, U: 4, V: 5, W: 6, X: 7, Y: 8, Z: 9,
}

/** 49 CFR 565.15 check digit: the weight of each of the 17 positions (the check digit's own is 0). */
export const CHECK_DIGIT_WEIGHTS: readonly number[] = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2]

/** The year of the first model-year code; the codes repeat every 30 years. */
export const FIRST_CODED_MODEL_YEAR = 1980

/**
 * Model-year codes of position 10 (49 CFR 565.15, ISO 3779), 1980 = A, 2001 = 1, 2010 = A again.
 * I, O, Q, U, Z and 0 are never year codes.
 */
export const MODEL_YEAR_CODES = 'ABCDEFGHJKLMNPRSTVWXY123456789'

/**
 * Regions by the WMI's first character, from SAE's "WMI Country Code Distribution" chart (revised
 * 9/11/2015, the chart SAE International hands out as the WMI registrar under ISO 3780). Against the
 * older table often reproduced (A–H Africa, J–R Asia, 6–7 Oceania), the chart keeps A–C for Africa,
 * gives H to China (Asia), leaves D–G and 0 spare, and gives 7 to the United States (Tesla's Texas
 * plant builds 7SA… VINs): a first character in no list here has no region.
 */
export const REGIONS: Readonly<Record<VinRegion, string>> = {
  Africa: 'ABC',
  Asia: 'HJKLMNPR',
  Europe: 'STUVWXYZ',
  'North America': '123457',
  Oceania: '6',
  'South America': '89',
}

/**
 * Countries by the WMI's first two characters, from the same SAE chart: [from, to, country], both
 * ends included, second characters ordered as in VIN_CHARACTERS. Spellings corrected (the chart has
 * "United Kindom", "Phillippines", "Columbia", "Slovokia"), Macedonia is North Macedonia; the codes
 * the chart marks "available" have no country.
 */
export const COUNTRY_RANGES: readonly (readonly [from: string, to: string, country: string])[] = [
  ['AA', 'AH', 'South Africa'], ['AJ', 'AK', 'Ivory Coast'], ['AL', 'AM', 'Lesotho'], ['AN', 'AP', 'Botswana'],
  ['AR', 'AS', 'Namibia'], ['AT', 'AU', 'Madagascar'], ['AV', 'AW', 'Mauritius'], ['AX', 'AY', 'Tunisia'],
  ['AZ', 'A1', 'Cyprus'], ['A2', 'A3', 'Zimbabwe'], ['A4', 'A5', 'Mozambique'],
  ['BA', 'BB', 'Angola'], ['BF', 'BG', 'Kenya'], ['BL', 'BL', 'Nigeria'], ['BR', 'BR', 'Algeria'], ['B3', 'B4', 'Libya'],
  ['CA', 'CB', 'Egypt'], ['CF', 'CG', 'Morocco'], ['CL', 'CM', 'Zambia'],
  ['HA', 'H0', 'China'],
  ['JA', 'J0', 'Japan'],
  ['KF', 'KH', 'Israel'], ['KL', 'KR', 'South Korea'], ['KS', 'KT', 'Jordan'],
  ['LA', 'L0', 'China'],
  ['MA', 'ME', 'India'], ['MF', 'MK', 'Indonesia'], ['ML', 'MR', 'Thailand'], ['MS', 'MS', 'Myanmar'],
  ['MU', 'MU', 'Mongolia'], ['MX', 'MX', 'Kazakhstan'], ['M1', 'M6', 'India'],
  ['NA', 'NE', 'Iran'], ['NF', 'NG', 'Pakistan'], ['NJ', 'NJ', 'Iraq'], ['NL', 'NR', 'Turkey'], ['NS', 'NT', 'Uzbekistan'],
  ['NV', 'NV', 'Azerbaijan'], ['NY', 'NY', 'Armenia'], ['N1', 'N5', 'Iran'],
  ['PA', 'PC', 'Philippines'], ['PF', 'PG', 'Singapore'], ['PL', 'PR', 'Malaysia'], ['PS', 'PT', 'Bangladesh'],
  ['RA', 'RB', 'United Arab Emirates'], ['RF', 'RK', 'Taiwan'], ['RL', 'RN', 'Vietnam'], ['RP', 'RP', 'Laos'],
  ['RS', 'RT', 'Saudi Arabia'], ['RU', 'RW', 'Russia'], ['R1', 'R1', 'Hong Kong'],
  ['SA', 'SM', 'United Kingdom'], ['SN', 'ST', 'Germany'], ['SU', 'SZ', 'Poland'], ['S1', 'S2', 'Latvia'], ['S3', 'S3', 'South Ossetia'],
  ['TA', 'TH', 'Switzerland'], ['TJ', 'TP', 'Czech Republic'], ['TR', 'TV', 'Hungary'], ['TW', 'T2', 'Portugal'],
  ['T3', 'T5', 'Serbia and Montenegro'], ['T6', 'T6', 'Andorra'],
  ['UA', 'UC', 'Spain'], ['UH', 'UM', 'Denmark'], ['UN', 'UR', 'Ireland'], ['UU', 'UW', 'Romania'], ['U1', 'U2', 'North Macedonia'],
  ['U5', 'U7', 'Slovakia'], ['U8', 'U0', 'Bosnia and Herzegovina'],
  ['VA', 'VE', 'Austria'], ['VF', 'VR', 'France'], ['VS', 'VW', 'Spain'], ['V3', 'V5', 'Croatia'], ['V6', 'V8', 'Estonia'],
  ['WA', 'W0', 'Germany'],
  ['XA', 'XC', 'Bulgaria'], ['XD', 'XE', 'Russia'], ['XF', 'XH', 'Greece'], ['XJ', 'XK', 'Russia'], ['XL', 'XR', 'Netherlands'],
  ['XS', 'XW', 'Russia'], ['XX', 'XY', 'Luxembourg'], ['XZ', 'X0', 'Russia'],
  ['YA', 'YE', 'Belgium'], ['YF', 'YK', 'Finland'], ['YN', 'YN', 'Malta'], ['YS', 'YW', 'Sweden'], ['YX', 'Y2', 'Norway'],
  ['Y3', 'Y5', 'Belarus'], ['Y6', 'Y8', 'Ukraine'],
  ['ZA', 'ZU', 'Italy'], ['ZX', 'ZZ', 'Slovenia'], ['Z1', 'Z1', 'San Marino'], ['Z3', 'Z5', 'Lithuania'], ['Z6', 'Z0', 'Russia'],
  ['1A', '10', 'United States'],
  ['2A', '25', 'Canada'],
  ['3A', '3X', 'Mexico'], ['35', '35', 'Dominican Republic'], ['36', '36', 'Honduras'], ['37', '37', 'Panama'], ['38', '39', 'Puerto Rico'],
  ['4A', '40', 'United States'],
  ['5A', '50', 'United States'],
  ['6A', '6X', 'Australia'], ['6Y', '61', 'New Zealand'],
  ['7A', '70', 'United States'],
  ['8A', '8E', 'Argentina'], ['8F', '8G', 'Chile'], ['8L', '8N', 'Ecuador'], ['8S', '8T', 'Peru'], ['8X', '8Z', 'Venezuela'],
  ['82', '82', 'Bolivia'],
  ['9A', '9E', 'Brazil'], ['9F', '9G', 'Colombia'], ['9S', '9V', 'Uruguay'], ['93', '99', 'Brazil'],
]

/**
 * Makes by the full 3-character WMI, for the makes a garage sees most. The codes are those SAE
 * assigns (in North America on NHTSA's behalf, 49 CFR 565.16) and manufacturers report to NHTSA, as
 * reproduced in public references (NHTSA vPIC decodes, the Wikibooks WMI list, open-source
 * decoders such as vininfo); only codes two of them agree on are listed. A WMI that ends in 9
 * belongs to a small maker whose identity continues in positions 12–14, which this table does not read.
 */
export const MANUFACTURERS: Readonly<Record<string, string>> = {
  // United States (1, 4, 5, 7)
  '1FA': 'Ford', '1FM': 'Ford', '1FT': 'Ford', '1LN': 'Lincoln', '1ME': 'Mercury',
  '1G1': 'Chevrolet', '1GC': 'Chevrolet', '1GN': 'Chevrolet', '1GT': 'GMC', '1GK': 'GMC', '1G4': 'Buick',
  '1G6': 'Cadillac', '1GY': 'Cadillac', '1G2': 'Pontiac', '1G3': 'Oldsmobile', '1G8': 'Saturn',
  '1C6': 'Ram', '1J4': 'Jeep', '1J8': 'Jeep',
  '1HG': 'Honda', '19X': 'Honda', '5FN': 'Honda', '5J6': 'Honda', '19U': 'Acura', '5J8': 'Acura',
  '4T1': 'Toyota', '5TD': 'Toyota', '5TF': 'Toyota', '5YF': 'Toyota',
  '1N4': 'Nissan', '5N1': 'Nissan', '4S3': 'Subaru', '4S4': 'Subaru', '1YV': 'Mazda',
  '1VW': 'Volkswagen', '4JG': 'Mercedes-Benz', '4US': 'BMW', '5UX': 'BMW', '5NP': 'Hyundai', '5NM': 'Hyundai',
  '5YJ': 'Tesla', '7SA': 'Tesla', '1HD': 'Harley-Davidson', '1FU': 'Freightliner', '1FV': 'Freightliner',
  // Canada (2) and Mexico (3)
  '2G1': 'Chevrolet', '2C3': 'Chrysler', '2C4': 'Chrysler', '2HG': 'Honda', '2T1': 'Toyota', '2T3': 'Toyota', '2T2': 'Lexus',
  '3G1': 'Chevrolet', '3GN': 'Chevrolet', '3C6': 'Ram', '3FA': 'Ford', '3VW': 'Volkswagen', '3N1': 'Nissan',
  '3MZ': 'Mazda', '3KP': 'Kia',
  // Japan (J)
  'JHM': 'Honda', 'JH4': 'Acura', 'JN1': 'Nissan', 'JN8': 'Nissan', 'JNK': 'Infiniti',
  'JT2': 'Toyota', 'JTD': 'Toyota', 'JTE': 'Toyota', 'JTM': 'Toyota', 'JTH': 'Lexus', 'JTJ': 'Lexus',
  'JM1': 'Mazda', 'JMZ': 'Mazda', 'JF1': 'Subaru', 'JF2': 'Subaru', 'JS2': 'Suzuki', 'JS3': 'Suzuki',
  'JMB': 'Mitsubishi', 'JA3': 'Mitsubishi', 'JA4': 'Mitsubishi',
  // South Korea (K), China (L), India (M), Turkey (N)
  'KMH': 'Hyundai', 'KNA': 'Kia', 'KND': 'Kia', 'KNM': 'Renault Samsung', 'KPT': 'SsangYong', 'KL1': 'Chevrolet',
  'LRW': 'Tesla', 'LSV': 'Volkswagen', 'LFV': 'Volkswagen', 'LBV': 'BMW', 'LE4': 'Mercedes-Benz', 'LYV': 'Volvo',
  'LSJ': 'MG', 'LGX': 'BYD', 'L6T': 'Geely', 'LVS': 'Ford',
  'MA3': 'Suzuki', 'MAL': 'Hyundai', 'MR0': 'Toyota', 'NMT': 'Toyota', 'NM0': 'Ford',
  // Germany (W)
  'WVW': 'Volkswagen', 'WVG': 'Volkswagen', 'WV1': 'Volkswagen', 'WV2': 'Volkswagen',
  'WAU': 'Audi', 'WA1': 'Audi', 'WUA': 'Audi', 'WBA': 'BMW', 'WBS': 'BMW', 'WBY': 'BMW', 'WMW': 'MINI',
  'WDB': 'Mercedes-Benz', 'WDC': 'Mercedes-Benz', 'WDD': 'Mercedes-Benz', 'WDF': 'Mercedes-Benz',
  'W1K': 'Mercedes-Benz', 'W1N': 'Mercedes-Benz', 'W1V': 'Mercedes-Benz', 'WME': 'smart',
  'WP0': 'Porsche', 'WP1': 'Porsche', 'W0L': 'Opel/Vauxhall', 'W0V': 'Opel/Vauxhall', 'WF0': 'Ford',
  // United Kingdom (S)
  'SAJ': 'Jaguar', 'SAD': 'Jaguar', 'SAL': 'Land Rover', 'SCC': 'Lotus', 'SCF': 'Aston Martin', 'SCB': 'Bentley',
  'SCA': 'Rolls-Royce', 'SAR': 'Rover', 'SFA': 'Ford', 'SHH': 'Honda', 'SHS': 'Honda', 'SJN': 'Nissan', 'SB1': 'Toyota',
  // France, Spain, Austria (V)
  'VF1': 'Renault', 'VF3': 'Peugeot', 'VR3': 'Peugeot', 'VF7': 'Citroën', 'VR7': 'Citroën', 'VS7': 'Citroën',
  'VNK': 'Toyota', 'VSS': 'SEAT', 'VS6': 'Ford', 'VSK': 'Nissan', 'VWV': 'Volkswagen',
  // Czech Republic, Hungary (T); Slovakia, Romania (U); Netherlands, Russia (X)
  'TMB': 'Škoda', 'TMA': 'Hyundai', 'TRU': 'Audi', 'TSM': 'Suzuki', 'U5Y': 'Kia', 'UU1': 'Dacia',
  'XP7': 'Tesla', 'XLR': 'DAF', 'XTA': 'Lada',
  // Sweden (Y) and Italy (Z)
  'YV1': 'Volvo', 'YV4': 'Volvo', 'YV2': 'Volvo Trucks', 'YS3': 'Saab', 'YS2': 'Scania',
  'ZFA': 'Fiat', 'ZAR': 'Alfa Romeo', 'ZLA': 'Lancia', 'ZFF': 'Ferrari', 'ZHW': 'Lamborghini', 'ZAM': 'Maserati',
  'ZCF': 'Iveco', 'ZDM': 'Ducati',
  // Australia (6) and South America (8, 9)
  '6FP': 'Ford', '6G1': 'Holden', '6T1': 'Toyota',
  '8AP': 'Fiat', '8AJ': 'Toyota', '9BW': 'Volkswagen', '9BG': 'Chevrolet', '9BF': 'Ford', '9BD': 'Fiat', '93H': 'Honda',
}
