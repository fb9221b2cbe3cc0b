// Messages of the API keys settings, in the three languages side by side. English is the reference.

export const settingsApiKeysEn = {
  'apiKeys.intro': 'Keys let other systems use the API with the scopes you give them.',
  'apiKeys.new': 'New API key',
  'apiKeys.create': 'Create key',
  'apiKeys.name': 'Name',
  'apiKeys.scopes': 'Scopes',
  'apiKeys.scopesRequired': 'Choose at least one scope.',
  'apiKeys.expires': 'Expires',
  'apiKeys.expiresHint': 'Optional. Leave empty for a key that does not expire.',
  'apiKeys.createdOnce': 'Copy this key now: it will not be shown again.',
  'apiKeys.done': 'I have copied it',
  'apiKeys.empty': 'No API keys yet.',
  'apiKeys.lastUsed': 'Last used',
  'apiKeys.never': 'Never',
  'apiKeys.revoke': 'Revoke',
  'apiKeys.revoked': 'Revoked',
  'apiKeys.confirmRevoke': 'Revoke the key {name}? Systems using it stop working.',
} as const;

type Messages = { readonly [K in keyof typeof settingsApiKeysEn]: string };

export const settingsApiKeysEs: Messages = {
  'apiKeys.intro': 'Las claves permiten a otros sistemas usar la API con los permisos que les des.',
  'apiKeys.new': 'Nueva clave de API',
  'apiKeys.create': 'Crear clave',
  'apiKeys.name': 'Nombre',
  'apiKeys.scopes': 'Permisos',
  'apiKeys.scopesRequired': 'Elige al menos un permiso.',
  'apiKeys.expires': 'Vence',
  'apiKeys.expiresHint': 'Opcional. Déjalo vacío para una clave que no vence.',
  'apiKeys.createdOnce': 'Copia esta clave ahora: no se volverá a mostrar.',
  'apiKeys.done': 'Ya la copié',
  'apiKeys.empty': 'Aún no hay claves de API.',
  'apiKeys.lastUsed': 'Último uso',
  'apiKeys.never': 'Nunca',
  'apiKeys.revoke': 'Revocar',
  'apiKeys.revoked': 'Revocada',
  'apiKeys.confirmRevoke': '¿Revocar la clave {name}? Los sistemas que la usan dejarán de funcionar.',
};

export const settingsApiKeysPtBR: Messages = {
  'apiKeys.intro': 'As chaves permitem que outros sistemas usem a API com as permissões que você der.',
  'apiKeys.new': 'Nova chave de API',
  'apiKeys.create': 'Criar chave',
  'apiKeys.name': 'Nome',
  'apiKeys.scopes': 'Permissões',
  'apiKeys.scopesRequired': 'Escolha ao menos uma permissão.',
  'apiKeys.expires': 'Expira',
  'apiKeys.expiresHint': 'Opcional. Deixe em branco para uma chave que não expira.',
  'apiKeys.createdOnce': 'Copie esta chave agora: ela não será exibida de novo.',
  'apiKeys.done': 'Já copiei',
  'apiKeys.empty': 'Ainda não há chaves de API.',
  'apiKeys.lastUsed': 'Último uso',
  'apiKeys.never': 'Nunca',
  'apiKeys.revoke': 'Revogar',
  'apiKeys.revoked': 'Revogada',
  'apiKeys.confirmRevoke': 'Revogar a chave {name}? Os sistemas que a usam deixarão de funcionar.',
};
