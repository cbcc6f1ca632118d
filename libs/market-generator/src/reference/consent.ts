import type { Country, SourceChannel, Vertical } from './lead-attributes.js';

/** The seller's landing page and the legal entity its consent text names. */
export interface LandingSite {
  domain: string;
  sellerName: string;
  campaigns: readonly string[];
}

export const LANDING_SITES: Readonly<Record<Vertical, Readonly<Record<Country, LandingSite>>>> = {
  eyewear: {
    RU: {
      domain: 'optika-lux.ru',
      sellerName: 'ООО «Оптика Люкс»',
      campaigns: ['opravy_premium', 'linzy_skidka'],
    },
    ES: {
      domain: 'visionclara.es',
      sellerName: 'Ópticas Visión Clara S.L.',
      campaigns: ['gafas_premium', 'lentillas'],
    },
  },
  insurance: {
    RU: {
      domain: 'strahovka-online.ru',
      sellerName: 'ООО «Страхование Онлайн»',
      campaigns: ['osago', 'dms'],
    },
    ES: {
      domain: 'segurostranquilo.es',
      sellerName: 'Seguros Tranquilo S.A.',
      campaigns: ['coche', 'salud'],
    },
  },
  loans: {
    RU: {
      domain: 'bystrye-dengi.ru',
      sellerName: 'ООО МФК «Быстрые Деньги»',
      campaigns: ['zaym_0', 'kredit_nal'],
    },
    ES: { domain: 'creditorapido.es', sellerName: 'Crédito Rápido S.L.', campaigns: ['prestamo', 'tarjeta'] },
  },
  real_estate: {
    RU: {
      domain: 'novostroyki-city.ru',
      sellerName: 'ООО «Новостройки Сити»',
      campaigns: ['zhk_start', 'ipoteka'],
    },
    ES: {
      domain: 'inmosolymar.es',
      sellerName: 'Inmobiliaria Sol y Mar, S.L.',
      campaigns: ['obra_nueva', 'alquiler'],
    },
  },
  education: {
    RU: { domain: 'uchis-online.ru', sellerName: 'ООО «Учись Онлайн»', campaigns: ['english', 'it_start'] },
    ES: {
      domain: 'academiafuturo.es',
      sellerName: 'Academia Futuro S.L.',
      campaigns: ['ingles', 'oposiciones'],
    },
  },
};

/** Lead brokers that sellers name as partners in the consent text. */
export const CONSENT_PARTNERS: Readonly<Record<Country, readonly string[]>> = {
  RU: ['ООО «ЛидМаркет»', 'ООО «Партнёрская сеть Альфа»'],
  ES: ['Lead Exchange Partners S.L.', 'Marketing Directo Ibérica, S.A.'],
};

/**
 * Versioned consent texts, as shown on the form. `{seller}` is replaced by the named seller.
 * Real texts carry quotes, semicolons and line breaks, which an upload must survive.
 */
export const CONSENT_TEXTS: Readonly<Record<Country, readonly { version: string; text: string }[]>> = {
  RU: [
    {
      version: 'ru-2023.2',
      text:
        'Нажимая «Отправить», я даю согласие {seller} и его партнёрам на обработку моих персональных данных ' +
        'и на звонки и сообщения по указанным телефону и e-mail.',
    },
    {
      version: 'ru-2024.1',
      text:
        'Я соглашаюсь с политикой обработки персональных данных {seller}.\n' +
        'Я согласен(на) получать звонки, SMS и письма с предложениями; согласие можно отозвать в любой момент.',
    },
  ],
  ES: [
    {
      version: 'es-3.1',
      text:
        'Al pulsar "Enviar", acepto que {seller} y sus socios traten mis datos personales y me contacten ' +
        'por teléfono y correo electrónico; he leído la política de privacidad.',
    },
    {
      version: 'es-4.0',
      text:
        'He leído y acepto la Política de Privacidad de {seller}.\n' +
        'Consiento recibir llamadas y correos comerciales; puedo retirar mi consentimiento cuando quiera.',
    },
  ],
};

/** utm_source a landing page records for each acquisition channel. */
export const UTM_SOURCES: Readonly<Record<Country, Readonly<Record<SourceChannel, readonly string[]>>>> = {
  RU: {
    search: ['yandex', 'google'],
    social: ['vk', 'telegram', 'ok'],
    display: ['yandex_rsya', 'mytarget'],
    affiliate: ['admitad', 'leads_su'],
    email: ['newsletter'],
    referral: ['friend'],
  },
  ES: {
    search: ['google', 'bing'],
    social: ['facebook', 'instagram', 'tiktok'],
    display: ['google_display', 'taboola'],
    affiliate: ['awin', 'tradedoubler'],
    email: ['newsletter'],
    referral: ['amigo'],
  },
};

export const CONSENT_CERTIFICATE_PROVIDERS = ['trustedform', 'jornaya'] as const;
export type ConsentCertificateProvider = (typeof CONSENT_CERTIFICATE_PROVIDERS)[number];
