import { inboxShellEs } from './messages/inboxShell';
import { inboxListEs } from './messages/inboxList';
import { inboxThreadEs } from './messages/inboxThread';
import { inboxComposerEs } from './messages/inboxComposer';
import { inboxContactsEs } from './messages/inboxContacts';
import { inboxSearchEs } from './messages/inboxSearch';
import { settingsCommonEs } from './messages/settingsCommon';
import { settingsNumbersEs } from './messages/settingsNumbers';
import { settingsTeamEs } from './messages/settingsTeam';
import { settingsLabelsEs } from './messages/settingsLabels';
import { settingsApiKeysEs } from './messages/settingsApiKeys';
import { settingsAuditEs } from './messages/settingsAudit';
import { templatesEs } from './messages/templates';
import { inboxToolsEs } from './messages/inboxTools';
import { accountEs } from './messages/account';
import { inboxKeysEs } from './messages/inboxKeys';
import type { Catalog } from './types';

export const es: Catalog = {
  'app.name': 'Switchboard',
  'common.loading': 'Cargando…',
  'common.retry': 'Reintentar',
  'common.requestId': 'Referencia: {requestId}',
  'language.label': 'Idioma',
  'nav.label': 'Principal',
  'nav.home': 'Inicio',
  'nav.sessions': 'Mis sesiones',
  'nav.signOut': 'Cerrar sesión',
  'nav.skipToContent': 'Ir al contenido',

  'field.email': 'Correo electrónico',
  'field.password': 'Contraseña',
  'field.newPassword': 'Nueva contraseña',
  'field.confirmPassword': 'Confirmar contraseña',
  'field.firstName': 'Nombre',
  'field.lastName': 'Apellido',
  'field.totpCode': 'Código de autenticación',
  'field.recoveryCode': 'Código de recuperación',

  'validation.required': 'Este campo es obligatorio.',
  'validation.email': 'Introduce un correo electrónico válido.',
  'validation.passwordMin': 'Usa al menos {min} caracteres.',
  'validation.passwordMismatch': 'Las contraseñas no coinciden.',
  'validation.totpCode': 'Introduce los 6 dígitos que muestra tu aplicación de autenticación.',
  'validation.tooLong': 'Usa como máximo {max} caracteres.',

  'errors.invalidCredentials': 'El correo electrónico o la contraseña no son correctos.',
  'errors.invalidTwoFactorCode': 'Ese código no es válido. Revísalo e inténtalo de nuevo.',
  'errors.rateLimited': 'Demasiados intentos. Vuelve a intentarlo {wait}.',
  'errors.rateLimitedNoWait': 'Demasiados intentos. Espera un momento y vuelve a intentarlo.',
  'errors.organizationSuspended':
    'Tu organización está suspendida y no puedes iniciar sesión. Contacta con tu administrador o con el soporte de Switchboard.',
  'errors.validation': 'Algunos campos no son válidos. Revísalos e inténtalo de nuevo.',
  'errors.network': 'No se puede conectar con el servidor. Revisa tu conexión e inténtalo de nuevo.',
  'errors.csrf': 'Tu sesión se ha actualizado. Inténtalo de nuevo.',
  'errors.unauthenticated': 'Tu sesión ha terminado. Vuelve a iniciar sesión.',
  'errors.forbidden': 'No tienes permiso para hacer esto.',
  'errors.resetTokenInvalid': 'Este enlace no es válido, ha caducado o ya se ha usado.',
  'errors.invitationInvalid':
    'Esta invitación no es válida, ha caducado o ya se ha usado. Pide a tu administrador que te envíe una nueva.',
  'errors.emailTaken': 'Este correo electrónico ya está en uso.',
  'errors.planLimit':
    'Tu organización ha alcanzado el límite de usuarios de su plan. Habla con tu administrador.',
  'errors.notFound': 'No encontrado.',
  'errors.generic': 'Algo ha salido mal. Inténtalo de nuevo.',

  'login.title': 'Inicia sesión en Switchboard',
  'login.submit': 'Iniciar sesión',
  'login.forgot': '¿Has olvidado tu contraseña?',
  'login.twoFactorTitle': 'Verificación en dos pasos',
  'login.totpIntro': 'Introduce el código de 6 dígitos de tu aplicación de autenticación.',
  'login.recoveryIntro':
    'Introduce uno de los códigos de recuperación que guardaste al activar la verificación en dos pasos.',
  'login.useRecovery': 'Usar un código de recuperación',
  'login.useTotp': 'Usar un código de la aplicación de autenticación',
  'login.verify': 'Verificar',
  'login.back': 'Volver a iniciar sesión',

  'forgot.title': 'Restablece tu contraseña',
  'forgot.intro':
    'Introduce el correo con el que inicias sesión y te enviaremos un enlace para elegir una nueva contraseña.',
  'forgot.submit': 'Enviar enlace',
  'forgot.sent':
    'Si existe una cuenta para {email}, le hemos enviado un enlace para restablecer la contraseña. Revisa tu bandeja de entrada y la carpeta de spam.',
  'forgot.backToLogin': 'Volver a iniciar sesión',

  'reset.title': 'Elige una nueva contraseña',
  'reset.hint': 'Al menos {min} caracteres.',
  'reset.submit': 'Cambiar contraseña',
  'reset.done': 'Tu contraseña se ha cambiado. Ya puedes iniciar sesión con ella.',
  'reset.signIn': 'Iniciar sesión',
  'reset.requestNew': 'Solicitar un nuevo enlace',
  'reset.missingToken':
    'Este enlace está incompleto. Vuelve a abrir el enlace del correo o solicita uno nuevo.',

  'invite.title': 'Únete a tu equipo en Switchboard',
  'invite.intro': 'Crea tu cuenta para aceptar la invitación.',
  'invite.submit': 'Crear cuenta',
  'invite.missingToken': 'Este enlace de invitación está incompleto. Vuelve a abrir el enlace del correo.',

  'home.title': 'Hola, {name}',
  'home.organization': 'Organización',
  'home.accountNumber': 'Número de cuenta',
  'home.plan': 'Plan',
  'home.user': 'Sesión iniciada como',
  'home.role': 'Rol',

  'plan.free': 'Gratuito',
  'plan.starter': 'Starter',
  'plan.pro': 'Pro',
  'plan.enterprise': 'Enterprise',
  'role.owner': 'Propietario',
  'role.admin': 'Administrador',
  'role.agent': 'Agente',

  'sessions.title': 'Mis sesiones',
  'sessions.intro':
    'Dispositivos con sesión iniciada en tu cuenta. Revoca cualquier sesión que no reconozcas.',
  'sessions.device': 'Dispositivo',
  'sessions.ip': 'Dirección IP',
  'sessions.created': 'Inicio de sesión',
  'sessions.lastSeen': 'Última actividad',
  'sessions.actions': 'Acciones',
  'sessions.current': 'Este dispositivo',
  'sessions.currentHint': 'Usa Cerrar sesión para terminar esta sesión.',
  'sessions.revoke': 'Revocar',
  'sessions.revokeLabel': 'Revocar la sesión en {device}',
  'sessions.revoked': 'Sesión revocada.',
  'sessions.empty': 'No hay sesiones activas.',
  'sessions.unknownDevice': 'Dispositivo desconocido',
  'sessions.browserOnOs': '{browser} en {os}',

  'notFound.title': 'Página no encontrada',
  'notFound.home': 'Ir al inicio',
  ...inboxShellEs,
  ...inboxListEs,
  ...inboxThreadEs,
  ...inboxComposerEs,
  ...inboxContactsEs,
  ...inboxSearchEs,
  ...settingsCommonEs,
  ...settingsNumbersEs,
  ...settingsTeamEs,
  ...settingsLabelsEs,
  ...settingsApiKeysEs,
  ...settingsAuditEs,
  ...templatesEs,
  ...inboxToolsEs,
  ...accountEs,
  ...inboxKeysEs,
};
