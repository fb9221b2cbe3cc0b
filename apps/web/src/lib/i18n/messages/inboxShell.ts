// Messages of the signed-in app's shell: common words, navigation, notifications and the errors
// the inbox shares, in the three languages side by side.
// English is the reference: its keys and `{placeholders}` type the other two.

export const inboxShellEn = {
  'common.cancel': 'Cancel',
  'common.save': 'Save',
  'common.saved': 'Saved.',
  'common.yes': 'Yes',
  'common.no': 'No',
  'common.loadMore': 'Load more',

  'nav.inbox': 'Inbox',
  'nav.contacts': 'Contacts',
  'nav.settings': 'Settings',
  'nav.account': 'My account',
  'userMenu.label': 'Account menu for {name}',
  'realtime.reconnecting': 'Reconnecting…',
  'demo.openSimulator': 'Open the WhatsApp simulator',

  'notifications.label': 'Notifications',
  'notifications.labelUnread': 'Notifications, {count} unread',
  'notifications.title': 'Notifications',
  'notifications.markAll': 'Mark all as read',
  'notifications.empty': 'You have no notifications.',
  'notifications.mention': '{who} mentioned you in a note',
  'notifications.assignment': '{who} assigned you a conversation',
  'notifications.other': 'Something needs your attention',
  'notifications.newConversation': 'New conversation from {name} on {number}',
  'notifications.newConversationNoNumber': 'New conversation from {name}',
  'notifications.someone': 'Someone',

  'errors.conflict':
    'This conflicts with the current state (for example, a newer conversation is already open). Refresh and try again.',
  'errors.windowClosed':
    'The 24-hour window to reply with free text has closed. Only a template message can be sent now.',
} as const;

type Messages = { readonly [K in keyof typeof inboxShellEn]: string };

export const inboxShellEs: Messages = {
  'common.cancel': 'Cancelar',
  'common.save': 'Guardar',
  'common.saved': 'Guardado.',
  'common.yes': 'Sí',
  'common.no': 'No',
  'common.loadMore': 'Cargar más',

  'nav.inbox': 'Bandeja',
  'nav.contacts': 'Contactos',
  'nav.settings': 'Configuración',
  'nav.account': 'Mi cuenta',
  'userMenu.label': 'Menú de la cuenta de {name}',
  'realtime.reconnecting': 'Reconectando…',
  'demo.openSimulator': 'Abrir el simulador de WhatsApp',

  'notifications.label': 'Notificaciones',
  'notifications.labelUnread': 'Notificaciones, {count} sin leer',
  'notifications.title': 'Notificaciones',
  'notifications.markAll': 'Marcar todas como leídas',
  'notifications.empty': 'No tienes notificaciones.',
  'notifications.mention': '{who} te mencionó en una nota',
  'notifications.assignment': '{who} te asignó una conversación',
  'notifications.other': 'Algo requiere tu atención',
  'notifications.newConversation': 'Conversación nueva de {name} en {number}',
  'notifications.newConversationNoNumber': 'Conversación nueva de {name}',
  'notifications.someone': 'Alguien',

  'errors.conflict':
    'Esto choca con el estado actual (por ejemplo, ya hay una conversación más reciente abierta). Actualiza e inténtalo de nuevo.',
  'errors.windowClosed':
    'La ventana de 24 horas para responder con texto libre se cerró. Ahora solo se puede enviar una plantilla.',
};

export const inboxShellPtBR: Messages = {
  'common.cancel': 'Cancelar',
  'common.save': 'Salvar',
  'common.saved': 'Salvo.',
  'common.yes': 'Sim',
  'common.no': 'Não',
  'common.loadMore': 'Carregar mais',

  'nav.inbox': 'Caixa de entrada',
  'nav.contacts': 'Contatos',
  'nav.settings': 'Configurações',
  'nav.account': 'Minha conta',
  'userMenu.label': 'Menu da conta de {name}',
  'realtime.reconnecting': 'Reconectando…',
  'demo.openSimulator': 'Abrir o simulador do WhatsApp',

  'notifications.label': 'Notificações',
  'notifications.labelUnread': 'Notificações, {count} não lidas',
  'notifications.title': 'Notificações',
  'notifications.markAll': 'Marcar todas como lidas',
  'notifications.empty': 'Você não tem notificações.',
  'notifications.mention': '{who} mencionou você em uma nota',
  'notifications.assignment': '{who} atribuiu uma conversa a você',
  'notifications.other': 'Algo precisa da sua atenção',
  'notifications.newConversation': 'Nova conversa de {name} em {number}',
  'notifications.newConversationNoNumber': 'Nova conversa de {name}',
  'notifications.someone': 'Alguém',

  'errors.conflict':
    'Isso conflita com o estado atual (por exemplo, já existe uma conversa mais recente aberta). Atualize e tente novamente.',
  'errors.windowClosed':
    'A janela de 24 horas para responder com texto livre foi fechada. Agora só é possível enviar um modelo.',
};
