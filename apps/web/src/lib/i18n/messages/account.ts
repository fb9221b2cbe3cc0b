// Messages of the user's own account (profile, availability, password, two-step verification) and alert preferences, in the three
// languages side by side. English is the reference.

export const accountEn = {
  'twoFactor.title': 'Two-step verification',
  'twoFactor.off': 'Off',
  'twoFactor.on': 'On',
  'twoFactor.intro':
    'Sign in with your password and a code from an authenticator app (Google Authenticator, 1Password, Authy…), so a stolen password is not enough.',
  'twoFactor.setUp': 'Set up two-step verification',
  'twoFactor.scan': 'Scan this QR code with your authenticator app.',
  'twoFactor.qrLabel': 'QR code to add Switchboard to an authenticator app',
  'twoFactor.cantScan': 'Cannot scan it?',
  'twoFactor.enterKey': 'Enter this key in the app instead (time-based, 6 digits):',
  'twoFactor.uriLabel': 'Or open this setup link on the device with the app:',
  'twoFactor.confirmIntro': 'Enter the 6-digit code the app shows to confirm.',
  'twoFactor.turnOn': 'Turn on',
  'twoFactor.setupExpired': 'This setup is no longer valid. Cancel and start again.',
  'twoFactor.enabled': 'Two-step verification is on.',
  'twoFactor.recoveryIntro':
    'Save these recovery codes somewhere safe. Each one signs you in once if you lose your device. They are shown only now.',
  'twoFactor.recoveryFileHeading': 'Switchboard recovery codes (each works once)',
  'twoFactor.download': 'Download the codes',
  'twoFactor.savedCodes': 'I have saved them',
  'twoFactor.disableIntro': 'To turn it off, confirm your password and a current code (or a recovery code).',
  'twoFactor.turnOff': 'Turn off two-step verification',

  'alerts.title': 'Alerts on this device',
  'alerts.enableDesktop': 'Turn on desktop notifications',
  'alerts.desktop': 'Desktop notifications',
  'alerts.desktopHint':
    'Mentions, conversations assigned to you and new conversations, while you are in another tab.',
  'alerts.blocked':
    'Desktop notifications are blocked for this site. Allow them in the browser’s site settings.',
  'alerts.unsupported': 'This browser cannot show desktop notifications.',
  'alerts.sound': 'Sound for new messages',
  'alerts.soundHint': 'A short chime when a customer writes in a conversation assigned to you.',
  'alerts.assignedToYou': 'A conversation was assigned to you',
  'alerts.newConversation': 'New conversation',

  'account.profileTitle': 'Profile',
  'account.profileSave': 'Save profile',
  'account.profileSaved': 'Your profile was saved.',
  'account.availabilityTitle': 'Availability',
  'account.availabilityIntro':
    'Round robin gives new conversations only to agents who are online. Busy and offline agents keep their conversations but get no new ones.',
  'account.availabilityLabel': 'My availability',
  'account.availabilitySaved': 'Your availability is now: {availability}.',
  'account.passwordTitle': 'Password',
  'account.passwordIntro':
    'Changing your password signs you out on every other device and browser; this one stays signed in.',
  'account.currentPassword': 'Current password',
  'account.passwordSubmit': 'Change password',
  'account.passwordChanged': 'Your password was changed. Your other sessions were signed out.',
  'account.currentPasswordIncorrect': 'The current password is incorrect.',
  'account.newPasswordRule': 'Use between {min} and {max} characters.',
  'account.availabilityNotSaved': 'Your availability was not changed: {reason}',
} as const;

type Messages = { readonly [K in keyof typeof accountEn]: string };

export const accountEs: Messages = {
  'twoFactor.title': 'Verificación en dos pasos',
  'twoFactor.off': 'Desactivada',
  'twoFactor.on': 'Activada',
  'twoFactor.intro':
    'Inicia sesión con tu contraseña y un código de una app de autenticación (Google Authenticator, 1Password, Authy…), para que una contraseña robada no baste.',
  'twoFactor.setUp': 'Configurar la verificación en dos pasos',
  'twoFactor.scan': 'Escanea este código QR con tu app de autenticación.',
  'twoFactor.qrLabel': 'Código QR para añadir Switchboard a una app de autenticación',
  'twoFactor.cantScan': '¿No puedes escanearlo?',
  'twoFactor.enterKey': 'Escribe esta clave en la app (basada en tiempo, 6 dígitos):',
  'twoFactor.uriLabel': 'O abre este enlace de configuración en el dispositivo con la app:',
  'twoFactor.confirmIntro': 'Escribe el código de 6 dígitos que muestra la app para confirmar.',
  'twoFactor.turnOn': 'Activar',
  'twoFactor.setupExpired': 'Esta configuración ya no es válida. Cancela y empieza de nuevo.',
  'twoFactor.enabled': 'La verificación en dos pasos está activada.',
  'twoFactor.recoveryIntro':
    'Guarda estos códigos de recuperación en un lugar seguro. Cada uno te permite entrar una vez si pierdes tu dispositivo. Solo se muestran ahora.',
  'twoFactor.recoveryFileHeading': 'Códigos de recuperación de Switchboard (cada uno sirve una vez)',
  'twoFactor.download': 'Descargar los códigos',
  'twoFactor.savedCodes': 'Ya los guardé',
  'twoFactor.disableIntro':
    'Para desactivarla, confirma tu contraseña y un código actual (o un código de recuperación).',
  'twoFactor.turnOff': 'Desactivar la verificación en dos pasos',

  'alerts.title': 'Avisos en este dispositivo',
  'alerts.enableDesktop': 'Activar notificaciones de escritorio',
  'alerts.desktop': 'Notificaciones de escritorio',
  'alerts.desktopHint':
    'Menciones, conversaciones asignadas a ti y conversaciones nuevas, mientras estás en otra pestaña.',
  'alerts.blocked':
    'Las notificaciones de escritorio están bloqueadas para este sitio. Permítelas en la configuración del sitio del navegador.',
  'alerts.unsupported': 'Este navegador no puede mostrar notificaciones de escritorio.',
  'alerts.sound': 'Sonido para mensajes nuevos',
  'alerts.soundHint': 'Un aviso breve cuando un cliente escribe en una conversación asignada a ti.',
  'alerts.assignedToYou': 'Se te asignó una conversación',
  'alerts.newConversation': 'Conversación nueva',

  'account.profileTitle': 'Perfil',
  'account.profileSave': 'Guardar perfil',
  'account.profileSaved': 'Se guardó tu perfil.',
  'account.availabilityTitle': 'Disponibilidad',
  'account.availabilityIntro':
    'El reparto rotativo asigna conversaciones nuevas solo a los agentes en línea. Los agentes ocupados o desconectados conservan sus conversaciones, pero no reciben nuevas.',
  'account.availabilityLabel': 'Mi disponibilidad',
  'account.availabilitySaved': 'Tu disponibilidad ahora es: {availability}.',
  'account.passwordTitle': 'Contraseña',
  'account.passwordIntro':
    'Al cambiar tu contraseña se cerrará la sesión en todos tus otros dispositivos y navegadores; esta sigue abierta.',
  'account.currentPassword': 'Contraseña actual',
  'account.passwordSubmit': 'Cambiar contraseña',
  'account.passwordChanged': 'Tu contraseña se cambió. Se cerraron tus otras sesiones.',
  'account.currentPasswordIncorrect': 'La contraseña actual no es correcta.',
  'account.newPasswordRule': 'Usa entre {min} y {max} caracteres.',
  'account.availabilityNotSaved': 'Tu disponibilidad no cambió: {reason}',
};

export const accountPtBR: Messages = {
  'twoFactor.title': 'Verificação em duas etapas',
  'twoFactor.off': 'Desativada',
  'twoFactor.on': 'Ativada',
  'twoFactor.intro':
    'Entre com sua senha e um código de um app autenticador (Google Authenticator, 1Password, Authy…), para que uma senha roubada não baste.',
  'twoFactor.setUp': 'Configurar a verificação em duas etapas',
  'twoFactor.scan': 'Escaneie este QR code com seu app autenticador.',
  'twoFactor.qrLabel': 'QR code para adicionar o Switchboard a um app autenticador',
  'twoFactor.cantScan': 'Não consegue escanear?',
  'twoFactor.enterKey': 'Digite esta chave no app (baseada em tempo, 6 dígitos):',
  'twoFactor.uriLabel': 'Ou abra este link de configuração no dispositivo com o app:',
  'twoFactor.confirmIntro': 'Digite o código de 6 dígitos que o app mostra para confirmar.',
  'twoFactor.turnOn': 'Ativar',
  'twoFactor.setupExpired': 'Esta configuração não é mais válida. Cancele e comece de novo.',
  'twoFactor.enabled': 'A verificação em duas etapas está ativada.',
  'twoFactor.recoveryIntro':
    'Guarde estes códigos de recuperação em um lugar seguro. Cada um permite entrar uma vez se você perder seu dispositivo. Eles só aparecem agora.',
  'twoFactor.recoveryFileHeading': 'Códigos de recuperação do Switchboard (cada um vale uma vez)',
  'twoFactor.download': 'Baixar os códigos',
  'twoFactor.savedCodes': 'Já os guardei',
  'twoFactor.disableIntro':
    'Para desativá-la, confirme sua senha e um código atual (ou um código de recuperação).',
  'twoFactor.turnOff': 'Desativar a verificação em duas etapas',

  'alerts.title': 'Avisos neste dispositivo',
  'alerts.enableDesktop': 'Ativar notificações na área de trabalho',
  'alerts.desktop': 'Notificações na área de trabalho',
  'alerts.desktopHint':
    'Menções, conversas atribuídas a você e conversas novas, enquanto você está em outra aba.',
  'alerts.blocked':
    'As notificações estão bloqueadas para este site. Permita-as nas configurações do site no navegador.',
  'alerts.unsupported': 'Este navegador não pode mostrar notificações na área de trabalho.',
  'alerts.sound': 'Som para mensagens novas',
  'alerts.soundHint': 'Um toque curto quando um cliente escreve em uma conversa atribuída a você.',
  'alerts.assignedToYou': 'Uma conversa foi atribuída a você',
  'alerts.newConversation': 'Conversa nova',

  'account.profileTitle': 'Perfil',
  'account.profileSave': 'Salvar perfil',
  'account.profileSaved': 'Seu perfil foi salvo.',
  'account.availabilityTitle': 'Disponibilidade',
  'account.availabilityIntro':
    'O rodízio atribui conversas novas apenas a agentes online. Agentes ocupados ou offline mantêm suas conversas, mas não recebem novas.',
  'account.availabilityLabel': 'Minha disponibilidade',
  'account.availabilitySaved': 'Sua disponibilidade agora é: {availability}.',
  'account.passwordTitle': 'Senha',
  'account.passwordIntro':
    'Ao trocar sua senha, você sai de todos os outros dispositivos e navegadores; este continua conectado.',
  'account.currentPassword': 'Senha atual',
  'account.passwordSubmit': 'Trocar senha',
  'account.passwordChanged': 'Sua senha foi trocada. Suas outras sessões foram encerradas.',
  'account.currentPasswordIncorrect': 'A senha atual está incorreta.',
  'account.newPasswordRule': 'Use entre {min} e {max} caracteres.',
  'account.availabilityNotSaved': 'Sua disponibilidade não mudou: {reason}',
};
