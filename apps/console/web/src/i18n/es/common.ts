import type { MessagesOf } from '../en/index';
import type { common as english } from '../en/common';

export const common: MessagesOf<typeof english> = {
  app: { name: 'Lead Exchange', console: 'Consola', skipToContent: 'Ir al contenido', menu: 'Menú' },
  language: 'Idioma',
  signIn: {
    title: 'Iniciar sesión',
    intro:
      'Pegue la clave de API que le emitió el exchange. Solo se guarda en esta pestaña y se olvida al cerrar sesión o cerrar la pestaña.',
    apiKey: 'Clave de API',
    submit: 'Entrar',
    invalid: 'El exchange no aceptó esta clave.',
    required: 'Pegue su clave de API.',
  },
  signOut: 'Cerrar sesión',
  signedInAs: 'Sesión de {{name}} ({{role}})',
  roles: { seller: 'vendedor', buyer: 'comprador', auditor: 'auditor', operator: 'operador' },
  state: {
    loading: 'Cargando…',
    empty: 'Todavía no hay nada aquí.',
    error: 'Algo salió mal',
    retry: 'Reintentar',
    loadMore: 'Cargar más',
    notFound: 'Esta página no existe.',
  },
  actions: {
    cancel: 'Cancelar',
    confirm: 'Confirmar',
    save: 'Guardar',
    download: 'Descargar',
    downloadCsv: 'Descargar CSV',
    details: 'Detalles',
    back: 'Volver',
  },
  table: { sortAscending: 'orden ascendente', sortDescending: 'orden descendente', noRows: 'Sin filas.' },
  roleNotInPart: 'Las páginas de {{role}} aún no están en la consola; use la API.',
  answered: 'El exchange respondió: {{text}}',
};
