/**
 * A name as the person writes it, and the Latin form people use in their e-mail address
 * (Russian e-mail addresses are transliterated, Spanish ones drop the accents).
 */
export interface PersonName {
  written: string;
  latin: string;
}

const russian = (pairs: string): readonly PersonName[] =>
  pairs.split(' ').map((pair) => {
    const [written, latin] = pair.split('/') as [string, string];
    return { written, latin };
  });

export const RUSSIAN_FIRST_NAMES = {
  male: russian(
    'Александр/aleksandr Сергей/sergey Дмитрий/dmitry Андрей/andrey Алексей/aleksey Максим/maksim ' +
      'Евгений/evgeny Иван/ivan Михаил/mikhail Артём/artem Николай/nikolay Владимир/vladimir Денис/denis ' +
      'Павел/pavel Игорь/igor Роман/roman Олег/oleg Кирилл/kirill Никита/nikita Илья/ilya Юрий/yury ' +
      'Виктор/viktor Антон/anton Егор/egor',
  ),
  female: russian(
    'Елена/elena Ольга/olga Наталья/natalya Татьяна/tatyana Анна/anna Мария/maria Екатерина/ekaterina ' +
      'Ирина/irina Светлана/svetlana Юлия/yulia Анастасия/anastasia Марина/marina Дарья/darya Ксения/ksenia ' +
      'Людмила/lyudmila Галина/galina Виктория/viktoria Алина/alina Полина/polina Валентина/valentina ' +
      'Надежда/nadezhda Софья/sofya',
  ),
};

/** Masculine forms; {@link russianSurname} derives the feminine one. */
export const RUSSIAN_SURNAMES = russian(
  'Иванов/ivanov Смирнов/smirnov Кузнецов/kuznetsov Попов/popov Васильев/vasilyev Петров/petrov ' +
    'Соколов/sokolov Михайлов/mikhaylov Новиков/novikov Фёдоров/fedorov Морозов/morozov Волков/volkov ' +
    'Алексеев/alekseev Лебедев/lebedev Семёнов/semenov Егоров/egorov Павлов/pavlov Козлов/kozlov ' +
    'Степанов/stepanov Николаев/nikolaev Орлов/orlov Андреев/andreev Макаров/makarov Никитин/nikitin ' +
    'Захаров/zakharov Зайцев/zaytsev Соловьёв/solovyev Борисов/borisov Яковлев/yakovlev Григорьев/grigoryev ' +
    'Романов/romanov Воробьёв/vorobyev Ильин/ilyin Кудрявцев/kudryavtsev Беляев/belyaev Тарасов/tarasov ' +
    'Белов/belov Комаров/komarov Медведев/medvedev Ершов/ershov Киселёв/kiselev Гусев/gusev Титов/titov ' +
    'Баранов/baranov Куликов/kulikov Ковалевский/kovalevsky Вишневский/vishnevsky Островский/ostrovsky ' +
    'Высоцкий/vysotsky Шевченко/shevchenko Коваленко/kovalenko Бондаренко/bondarenko Черных/chernykh ' +
    'Ткачук/tkachuk',
);

/**
 * Russian surnames agree with the bearer's gender: Иванов → Иванова, Ильин → Ильина,
 * Высоцкий → Высоцкая; Ukrainian -енко / -ук and Siberian -ых do not change.
 */
export function russianSurname(masculine: PersonName, feminine: boolean): PersonName {
  if (!feminine) return masculine;
  const { written, latin } = masculine;
  if (/(ов|ев|ёв|ин|ын)$/.test(written)) return { written: `${written}а`, latin: `${latin}a` };
  if (/(ский|цкий)$/.test(written)) {
    return { written: written.replace(/ий$/, 'ая'), latin: latin.replace(/y$/, 'aya') };
  }
  return masculine;
}

const spanish = (names: string): readonly PersonName[] =>
  names.split(',').map((written) => ({ written: written.trim(), latin: toLatin(written.trim()) }));

/** Lower-case ASCII as it appears in an e-mail address: José → jose, Muñoz → munoz. */
export function toLatin(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

export const SPANISH_FIRST_NAMES = {
  male: spanish(
    'Antonio, José, Manuel, Francisco, David, Juan, Javier, Daniel, Carlos, Jesús, Alejandro, Miguel, Rafael, ' +
      'Pablo, Sergio, Fernando, Jorge, Luis, Alberto, Álvaro, Adrián, Diego, Raúl, Iñaki, Jordi, José Luis, Juan Carlos',
  ),
  female: spanish(
    'María, Carmen, Ana, Isabel, Laura, Cristina, Marta, Lucía, Paula, Elena, Sara, Raquel, Pilar, Rocío, ' +
      'Nuria, Silvia, Beatriz, Patricia, Andrea, Irene, Sofía, Montserrat, Ainhoa, Alba, María José, Ana Belén',
  ),
};

/** A Spaniard carries two surnames (father's, mother's); the generator draws both from this list. */
export const SPANISH_SURNAMES = spanish(
  'García, Rodríguez, González, Fernández, López, Martínez, Sánchez, Pérez, Gómez, Martín, Jiménez, Ruiz, ' +
    'Hernández, Díaz, Moreno, Muñoz, Álvarez, Romero, Alonso, Gutiérrez, Navarro, Torres, Domínguez, Vázquez, ' +
    'Ramos, Gil, Ramírez, Serrano, Blanco, Molina, Morales, Suárez, Ortega, Delgado, Castro, Ortiz, Rubio, ' +
    'Marín, Sanz, Núñez, Iglesias, Medina, Garrido, Cortés, Castillo, Santos, Lozano, Guerrero, Cano, Prieto, ' +
    'Méndez, Cruz, Calvo, Gallego, Vidal, León, Márquez, Herrera, Peña, Flores, Cabrera, Campos, Vega, ' +
    'Fuentes, Carrasco, Caballero, Reyes, Nieto, Aguilar, Pascual, Ibáñez, Ferrer, Puig, Vila, Etxeberria, ' +
    'Goikoetxea, Castellano, Souto',
);

export const RUSSIAN_STREETS = [
  'ул. Ленина',
  'ул. Мира',
  'ул. Советская',
  'ул. Садовая',
  'ул. Гагарина',
  'ул. Пушкина',
  'ул. Лесная',
  'ул. Школьная',
  'ул. Молодёжная',
  'ул. Центральная',
  'ул. Зелёная',
  'ул. Октябрьская',
  'ул. Профсоюзная',
  'пр-т Мира',
  'пр-т Победы',
  'наб. Реки Фонтанки',
];

export const SPANISH_STREETS = [
  'Calle Mayor',
  'Calle Real',
  'Calle de Alcalá',
  'Gran Vía',
  'Calle del Sol',
  'Avenida de la Constitución',
  'Calle Nueva',
  'Calle de San Francisco',
  'Calle de Cervantes',
  'Calle del Carmen',
  'Plaza de la Paz',
  'Avenida de Andalucía',
  'Paseo del Mar',
  'Calle de Goya',
  'Carrer de Balmes',
];
