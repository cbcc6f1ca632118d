import type { MessagesOf } from '../en/index';
import type { seller as english } from '../en/seller';

export const seller: MessagesOf<typeof english> = {
  nav: {
    dashboard: 'Panel',
    upload: 'Subir',
    batches: 'Lotes',
    leads: 'Leads',
    returns: 'Devoluciones',
    statement: 'Extracto',
  },
  batchStatus: { verifying: 'verificando', verified: 'verificado', withdrawn: 'retirado' },
  batches: {
    title: 'Lotes',
    caption: 'Sus lotes, los más recientes primero',
    empty: 'Aún no hay lotes: suba un archivo para publicar leads.',
    submittedAt: 'Enviado',
    vertical: 'Mercado',
    status: 'Estado',
    progress: 'Verificado',
    accepted: 'Aceptados',
    rejected: 'Rechazados',
    floor: 'Precio mínimo',
  },
};
