import type { Country } from './lead-attributes.js';

/**
 * A first-level subdivision as ISO 3166-2 names it (Spain: provinces, e.g. `ES-M`, not the
 * autonomous communities such as `ES-MD`), weighted by population with the two Russian
 * capitals lifted because online lead forms concentrate there.
 */
export interface Region {
  code: string;
  country: Country;
  name: string;
  localName: string;
  weight: number;
  /** Inclusive ranges of the postal-code prefix (3 digits in Russia, the 2-digit province code in Spain). */
  postalPrefixes: readonly (readonly [number, number])[];
  cities: readonly string[];
  /** Standard offset used when a seller writes local times (daylight saving ignored: the instant stays right). */
  utcOffsetMinutes: number;
}

export const POSTAL_CODE_FORMATS: Readonly<Record<Country, { length: number; prefixDigits: number }>> = {
  RU: { length: 6, prefixDigits: 3 },
  ES: { length: 5, prefixDigits: 2 },
};

type RegionSpec = [
  code: string,
  name: string,
  localName: string,
  weight: number,
  postal: [number, number],
  utcOffsetHours: number,
  cities: string[],
];

// One region per line, so the tables read as the reference they are.
// prettier-ignore
const RUSSIA: RegionSpec[] = [
  ['RU-MOW', 'Moscow', 'Москва', 160, [101, 129], 3, ['Москва']],
  ['RU-SPE', 'Saint Petersburg', 'Санкт-Петербург', 70, [190, 199], 3, ['Санкт-Петербург']],
  ['RU-MOS', 'Moscow Oblast', 'Московская область', 85, [140, 144], 3, ['Химки', 'Подольск', 'Балашиха', 'Мытищи', 'Королёв', 'Люберцы', 'Красногорск']],
  ['RU-LEN', 'Leningrad Oblast', 'Ленинградская область', 20, [187, 188], 3, ['Гатчина', 'Всеволожск', 'Выборг', 'Сосновый Бор']],
  ['RU-KDA', 'Krasnodar Krai', 'Краснодарский край', 58, [350, 354], 3, ['Краснодар', 'Сочи', 'Новороссийск', 'Армавир']],
  ['RU-SVE', 'Sverdlovsk Oblast', 'Свердловская область', 43, [620, 624], 5, ['Екатеринбург', 'Нижний Тагил', 'Каменск-Уральский']],
  ['RU-TA', 'Tatarstan', 'Республика Татарстан', 39, [420, 423], 3, ['Казань', 'Набережные Челны', 'Альметьевск']],
  ['RU-NVS', 'Novosibirsk Oblast', 'Новосибирская область', 28, [630, 633], 7, ['Новосибирск', 'Бердск']],
  ['RU-NIZ', 'Nizhny Novgorod Oblast', 'Нижегородская область', 32, [603, 607], 3, ['Нижний Новгород', 'Дзержинск', 'Арзамас']],
  ['RU-ROS', 'Rostov Oblast', 'Ростовская область', 42, [344, 347], 3, ['Ростов-на-Дону', 'Таганрог', 'Шахты']],
  ['RU-BA', 'Bashkortostan', 'Республика Башкортостан', 40, [450, 453], 5, ['Уфа', 'Стерлитамак']],
  ['RU-CHE', 'Chelyabinsk Oblast', 'Челябинская область', 34, [454, 457], 5, ['Челябинск', 'Магнитогорск', 'Златоуст']],
  ['RU-SAM', 'Samara Oblast', 'Самарская область', 32, [443, 446], 4, ['Самара', 'Тольятти', 'Сызрань']],
  ['RU-KYA', 'Krasnoyarsk Krai', 'Красноярский край', 29, [660, 663], 7, ['Красноярск', 'Норильск', 'Ачинск']],
  ['RU-PER', 'Perm Krai', 'Пермский край', 26, [614, 619], 5, ['Пермь', 'Березники']],
  ['RU-VOR', 'Voronezh Oblast', 'Воронежская область', 23, [394, 397], 3, ['Воронеж']],
  ['RU-VGG', 'Volgograd Oblast', 'Волгоградская область', 25, [400, 404], 3, ['Волгоград', 'Волжский']],
  ['RU-SAR', 'Saratov Oblast', 'Саратовская область', 24, [410, 413], 4, ['Саратов', 'Энгельс']],
  ['RU-IRK', 'Irkutsk Oblast', 'Иркутская область', 24, [664, 666], 8, ['Иркутск', 'Братск', 'Ангарск']],
  ['RU-OMS', 'Omsk Oblast', 'Омская область', 19, [644, 646], 6, ['Омск']],
  ['RU-KEM', 'Kemerovo Oblast', 'Кемеровская область', 26, [650, 654], 7, ['Кемерово', 'Новокузнецк']],
  ['RU-TYU', 'Tyumen Oblast', 'Тюменская область', 15, [625, 627], 5, ['Тюмень', 'Тобольск']],
  ['RU-STA', 'Stavropol Krai', 'Ставропольский край', 28, [355, 357], 3, ['Ставрополь', 'Пятигорск', 'Кисловодск']],
  ['RU-DA', 'Dagestan', 'Республика Дагестан', 31, [367, 368], 3, ['Махачкала', 'Дербент']],
];

// prettier-ignore
const SPAIN: RegionSpec[] = [
  ['ES-M', 'Madrid', 'Madrid', 69, [28, 28], 1, ['Madrid', 'Móstoles', 'Alcalá de Henares', 'Fuenlabrada', 'Leganés', 'Getafe']],
  ['ES-B', 'Barcelona', 'Barcelona', 58, [8, 8], 1, ['Barcelona', "L'Hospitalet de Llobregat", 'Badalona', 'Terrassa', 'Sabadell']],
  ['ES-V', 'Valencia', 'València', 26, [46, 46], 1, ['València', 'Torrent', 'Gandia', 'Paterna']],
  ['ES-SE', 'Seville', 'Sevilla', 20, [41, 41], 1, ['Sevilla', 'Dos Hermanas', 'Alcalá de Guadaíra']],
  ['ES-MA', 'Málaga', 'Málaga', 17, [29, 29], 1, ['Málaga', 'Marbella', 'Vélez-Málaga', 'Fuengirola']],
  ['ES-BI', 'Biscay', 'Bizkaia', 12, [48, 48], 1, ['Bilbao', 'Barakaldo', 'Getxo']],
  ['ES-A', 'Alicante', 'Alacant', 19, [3, 3], 1, ['Alicante', 'Elche', 'Torrevieja', 'Benidorm']],
  ['ES-MU', 'Murcia', 'Murcia', 15, [30, 30], 1, ['Murcia', 'Cartagena', 'Lorca']],
  ['ES-CA', 'Cádiz', 'Cádiz', 12, [11, 11], 1, ['Jerez de la Frontera', 'Cádiz', 'Algeciras']],
  ['ES-Z', 'Zaragoza', 'Zaragoza', 10, [50, 50], 1, ['Zaragoza', 'Calatayud']],
  ['ES-PM', 'Balearic Islands', 'Illes Balears', 12, [7, 7], 1, ['Palma', 'Calvià', 'Eivissa']],
  ['ES-GC', 'Las Palmas', 'Las Palmas', 11, [35, 35], 0, ['Las Palmas de Gran Canaria', 'Telde', 'Arrecife']],
  ['ES-TF', 'Santa Cruz de Tenerife', 'Santa Cruz de Tenerife', 10, [38, 38], 0, ['Santa Cruz de Tenerife', 'San Cristóbal de La Laguna', 'Arona']],
  ['ES-C', 'A Coruña', 'A Coruña', 11, [15, 15], 1, ['A Coruña', 'Santiago de Compostela', 'Ferrol']],
  ['ES-O', 'Asturias', 'Asturias', 10, [33, 33], 1, ['Oviedo', 'Gijón', 'Avilés']],
  ['ES-GR', 'Granada', 'Granada', 9, [18, 18], 1, ['Granada', 'Motril']],
  ['ES-PO', 'Pontevedra', 'Pontevedra', 9, [36, 36], 1, ['Vigo', 'Pontevedra']],
  ['ES-T', 'Tarragona', 'Tarragona', 8, [43, 43], 1, ['Tarragona', 'Reus']],
  ['ES-GI', 'Girona', 'Girona', 8, [17, 17], 1, ['Girona', 'Figueres']],
  ['ES-CO', 'Córdoba', 'Córdoba', 8, [14, 14], 1, ['Córdoba', 'Lucena']],
  ['ES-VA', 'Valladolid', 'Valladolid', 5, [47, 47], 1, ['Valladolid', 'Medina del Campo']],
  ['ES-NA', 'Navarre', 'Navarra', 7, [31, 31], 1, ['Pamplona', 'Tudela']],
  ['ES-SS', 'Gipuzkoa', 'Gipuzkoa', 7, [20, 20], 1, ['Donostia / San Sebastián', 'Irun']],
];

function toRegions(country: Country, specs: RegionSpec[]): readonly Region[] {
  return specs.map(([code, name, localName, weight, postal, utcOffsetHours, cities]) => ({
    code,
    country,
    name,
    localName,
    weight,
    postalPrefixes: [postal],
    cities,
    utcOffsetMinutes: utcOffsetHours * 60,
  }));
}

export const REGIONS_BY_COUNTRY: Readonly<Record<Country, readonly Region[]>> = {
  RU: toRegions('RU', RUSSIA),
  ES: toRegions('ES', SPAIN),
};

export const REGIONS: readonly Region[] = [...REGIONS_BY_COUNTRY.RU, ...REGIONS_BY_COUNTRY.ES];

const REGIONS_BY_CODE = new Map(REGIONS.map((region) => [region.code, region]));

export function findRegion(code: string): Region | undefined {
  return REGIONS_BY_CODE.get(code);
}

/**
 * Codes sellers really send that are not ISO 3166-2 (traffic-police numbers, city
 * abbreviations, INE province numbers): a verifier must reject them, not guess.
 */
export const UNKNOWN_REGION_CODES: Readonly<Record<Country, readonly string[]>> = {
  RU: ['RU-MSK', 'RU-SPB', 'RU-77', 'RU-78', 'RU-XX'],
  ES: ['ES-MAD', 'ES-BCN', 'ES-28', 'ES-08', 'ES-XX'],
};

export function isPostalCodeOfRegion(postalCode: string, region: Region): boolean {
  const format = POSTAL_CODE_FORMATS[region.country];
  if (!new RegExp(`^\\d{${format.length}}$`).test(postalCode)) return false;
  const prefix = Number(postalCode.slice(0, format.prefixDigits));
  return region.postalPrefixes.some(([from, to]) => prefix >= from && prefix <= to);
}
