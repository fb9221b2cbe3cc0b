// Messages shared by the settings screens (common words, validation, availability and the settings
// navigation), in the three languages side by side. English is the reference.

export const settingsCommonEn = {
  'common.confirm': 'Confirm',
  'common.copy': 'Copy',
  'common.delete': 'Delete',
  'common.edit': 'Edit',
  'validation.invalid': 'This value is not valid.',
  'validation.atLeast': 'Use at least {min}.',
  'validation.atMost': 'Use at most {max}.',
  'availability.online': 'Online',
  'availability.busy': 'Busy',
  'availability.offline': 'Offline',

  'settings.numbers': 'WhatsApp numbers',
  'settings.members': 'Team members',
  'settings.teams': 'Teams',
  'settings.labels': 'Labels',
  'settings.canned': 'Canned responses',
  'settings.apiKeys': 'API keys',
  'settings.audit': 'Audit log',
} as const;

type Messages = { readonly [K in keyof typeof settingsCommonEn]: string };

export const settingsCommonEs: Messages = {
  'common.confirm': 'Confirmar',
  'common.copy': 'Copiar',
  'common.delete': 'Eliminar',
  'common.edit': 'Editar',
  'validation.invalid': 'Este valor no es válido.',
  'validation.atLeast': 'Usa como mínimo {min}.',
  'validation.atMost': 'Usa como máximo {max}.',
  'availability.online': 'En línea',
  'availability.busy': 'Ocupado',
  'availability.offline': 'Desconectado',

  'settings.numbers': 'Números de WhatsApp',
  'settings.members': 'Miembros del equipo',
  'settings.teams': 'Equipos',
  'settings.labels': 'Etiquetas',
  'settings.canned': 'Respuestas rápidas',
  'settings.apiKeys': 'Claves de API',
  'settings.audit': 'Registro de auditoría',
};

export const settingsCommonPtBR: Messages = {
  'common.confirm': 'Confirmar',
  'common.copy': 'Copiar',
  'common.delete': 'Excluir',
  'common.edit': 'Editar',
  'validation.invalid': 'Este valor não é válido.',
  'validation.atLeast': 'Use no mínimo {min}.',
  'validation.atMost': 'Use no máximo {max}.',
  'availability.online': 'Online',
  'availability.busy': 'Ocupado',
  'availability.offline': 'Offline',

  'settings.numbers': 'Números de WhatsApp',
  'settings.members': 'Membros da equipe',
  'settings.teams': 'Equipes',
  'settings.labels': 'Etiquetas',
  'settings.canned': 'Respostas prontas',
  'settings.apiKeys': 'Chaves de API',
  'settings.audit': 'Registro de auditoria',
};
