import type { MessagesOf } from '../en/index';
import type { common as english } from '../en/common';

export const common: MessagesOf<typeof english> = {
  app: { name: 'Lead Exchange', console: 'Консоль', skipToContent: 'Перейти к содержимому', menu: 'Меню' },
  language: 'Язык',
  signIn: {
    title: 'Вход',
    intro:
      'Вставьте API-ключ, выданный вам биржей. Он хранится только в этой вкладке и забывается при выходе или закрытии вкладки.',
    apiKey: 'API-ключ',
    submit: 'Войти',
    invalid: 'Биржа не приняла этот ключ.',
    required: 'Вставьте API-ключ.',
  },
  signOut: 'Выйти',
  signedInAs: '{{name}} ({{role}})',
  roles: { seller: 'продавец', buyer: 'покупатель', auditor: 'аудитор', operator: 'оператор' },
  state: {
    loading: 'Загрузка…',
    empty: 'Здесь пока ничего нет.',
    error: 'Что-то пошло не так',
    retry: 'Повторить',
    loadMore: 'Показать ещё',
    notFound: 'Такой страницы нет.',
  },
  actions: {
    cancel: 'Отмена',
    confirm: 'Подтвердить',
    save: 'Сохранить',
    download: 'Скачать',
    downloadCsv: 'Скачать CSV',
    details: 'Подробнее',
    back: 'Назад',
  },
  table: { sortAscending: 'по возрастанию', sortDescending: 'по убыванию', noRows: 'Нет строк.' },
  roleNotInPart: 'Страниц для роли «{{role}}» в консоли пока нет; используйте API.',
  answered: 'Ответ биржи: {{text}}',
};
