// Messages of the inbox search and the keyboard shortcuts list, in the three languages side by
// side.
// English is the reference: its keys and `{placeholders}` type the other two.

export const inboxSearchEn = {
  'search.label': 'Search messages and contacts',
  'search.placeholder': 'Search messages and contacts (/)',
  'search.messages': 'Messages',
  'search.contacts': 'Contacts',
  'search.noMessages': 'No messages match.',
  'search.noContacts': 'No contacts match.',
  'shortcuts.title': 'Keyboard shortcuts',
  'shortcuts.help': 'Show this list',
  'shortcuts.search': 'Search messages and contacts',
  'shortcuts.next': 'Next conversation',
  'shortcuts.previous': 'Previous conversation',
  'shortcuts.open': 'Open the focused conversation',
  'shortcuts.send': 'Send the reply or note',
  'shortcuts.newLine': 'New line in the composer',
  'shortcuts.mention': 'Mention a colleague in a note',
  'shortcuts.canned': 'Insert a canned response',
  'shortcuts.close': 'Close a menu or suggestion list',
  'shortcuts.closeButton': 'Close',
} as const;

type Messages = { readonly [K in keyof typeof inboxSearchEn]: string };

export const inboxSearchEs: Messages = {
  'search.label': 'Buscar mensajes y contactos',
  'search.placeholder': 'Buscar mensajes y contactos (/)',
  'search.messages': 'Mensajes',
  'search.contacts': 'Contactos',
  'search.noMessages': 'Ningún mensaje coincide.',
  'search.noContacts': 'Ningún contacto coincide.',
  'shortcuts.title': 'Atajos de teclado',
  'shortcuts.help': 'Mostrar esta lista',
  'shortcuts.search': 'Buscar mensajes y contactos',
  'shortcuts.next': 'Conversación siguiente',
  'shortcuts.previous': 'Conversación anterior',
  'shortcuts.open': 'Abrir la conversación enfocada',
  'shortcuts.send': 'Enviar la respuesta o la nota',
  'shortcuts.newLine': 'Nueva línea en el editor',
  'shortcuts.mention': 'Mencionar a un compañero en una nota',
  'shortcuts.canned': 'Insertar una respuesta rápida',
  'shortcuts.close': 'Cerrar un menú o una lista de sugerencias',
  'shortcuts.closeButton': 'Cerrar',
};

export const inboxSearchPtBR: Messages = {
  'search.label': 'Buscar mensagens e contatos',
  'search.placeholder': 'Buscar mensagens e contatos (/)',
  'search.messages': 'Mensagens',
  'search.contacts': 'Contatos',
  'search.noMessages': 'Nenhuma mensagem corresponde.',
  'search.noContacts': 'Nenhum contato corresponde.',
  'shortcuts.title': 'Atalhos de teclado',
  'shortcuts.help': 'Mostrar esta lista',
  'shortcuts.search': 'Buscar mensagens e contatos',
  'shortcuts.next': 'Próxima conversa',
  'shortcuts.previous': 'Conversa anterior',
  'shortcuts.open': 'Abrir a conversa em foco',
  'shortcuts.send': 'Enviar a resposta ou a nota',
  'shortcuts.newLine': 'Nova linha no editor',
  'shortcuts.mention': 'Mencionar um colega em uma nota',
  'shortcuts.canned': 'Inserir uma resposta pronta',
  'shortcuts.close': 'Fechar um menu ou lista de sugestões',
  'shortcuts.closeButton': 'Fechar',
};
