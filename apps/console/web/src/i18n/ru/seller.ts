import type { MessagesOf } from '../en/index';
import type { seller as english } from '../en/seller';

export const seller: MessagesOf<typeof english> = {
  nav: {
    dashboard: 'Сводка',
    upload: 'Загрузка',
    batches: 'Партии',
    leads: 'Лиды',
    returns: 'Возвраты',
    statement: 'Выписка',
  },
  batchStatus: { verifying: 'проверяется', verified: 'проверена', withdrawn: 'снята' },
  batches: {
    title: 'Партии',
    caption: 'Ваши партии, сначала новые',
    empty: 'Партий пока нет: загрузите файл, чтобы выставить лиды.',
    submittedAt: 'Загружена',
    vertical: 'Рынок',
    status: 'Статус',
    progress: 'Проверено',
    accepted: 'Принято',
    rejected: 'Отклонено',
    floor: 'Минимальная цена',
  },
};
