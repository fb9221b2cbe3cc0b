import { inboxShellPtBR } from './messages/inboxShell';
import { inboxListPtBR } from './messages/inboxList';
import { inboxThreadPtBR } from './messages/inboxThread';
import { inboxComposerPtBR } from './messages/inboxComposer';
import { inboxContactsPtBR } from './messages/inboxContacts';
import { inboxSearchPtBR } from './messages/inboxSearch';
import { settingsCommonPtBR } from './messages/settingsCommon';
import { settingsNumbersPtBR } from './messages/settingsNumbers';
import { settingsTeamPtBR } from './messages/settingsTeam';
import { settingsLabelsPtBR } from './messages/settingsLabels';
import { settingsApiKeysPtBR } from './messages/settingsApiKeys';
import { settingsAuditPtBR } from './messages/settingsAudit';
import { templatesPtBR } from './messages/templates';
import { inboxToolsPtBR } from './messages/inboxTools';
import { accountPtBR } from './messages/account';
import { inboxKeysPtBR } from './messages/inboxKeys';
import type { Catalog } from './types';

export const ptBR: Catalog = {
  'app.name': 'Switchboard',
  'common.loading': 'Carregando…',
  'common.retry': 'Tentar novamente',
  'common.requestId': 'Referência: {requestId}',
  'language.label': 'Idioma',
  'nav.label': 'Principal',
  'nav.home': 'Início',
  'nav.sessions': 'Minhas sessões',
  'nav.signOut': 'Sair',
  'nav.skipToContent': 'Pular para o conteúdo',

  'field.email': 'E-mail',
  'field.password': 'Senha',
  'field.newPassword': 'Nova senha',
  'field.confirmPassword': 'Confirmar senha',
  'field.firstName': 'Nome',
  'field.lastName': 'Sobrenome',
  'field.totpCode': 'Código de autenticação',
  'field.recoveryCode': 'Código de recuperação',

  'validation.required': 'Este campo é obrigatório.',
  'validation.email': 'Informe um e-mail válido.',
  'validation.passwordMin': 'Use pelo menos {min} caracteres.',
  'validation.passwordMismatch': 'As senhas não coincidem.',
  'validation.totpCode': 'Informe os 6 dígitos exibidos no seu aplicativo autenticador.',
  'validation.tooLong': 'Use no máximo {max} caracteres.',

  'errors.invalidCredentials': 'E-mail ou senha incorretos.',
  'errors.invalidTwoFactorCode': 'Esse código não é válido. Confira e tente novamente.',
  'errors.rateLimited': 'Muitas tentativas. Tente novamente {wait}.',
  'errors.rateLimitedNoWait': 'Muitas tentativas. Aguarde um momento e tente novamente.',
  'errors.organizationSuspended':
    'Sua organização está suspensa, por isso não é possível entrar. Fale com o administrador ou com o suporte do Switchboard.',
  'errors.validation': 'Alguns campos não são válidos. Confira e tente novamente.',
  'errors.network': 'Não foi possível conectar ao servidor. Verifique sua conexão e tente novamente.',
  'errors.csrf': 'Sua sessão foi atualizada. Tente novamente.',
  'errors.unauthenticated': 'Sua sessão terminou. Entre novamente.',
  'errors.forbidden': 'Você não tem permissão para fazer isso.',
  'errors.resetTokenInvalid': 'Este link é inválido, expirou ou já foi usado.',
  'errors.invitationInvalid':
    'Este convite é inválido, expirou ou já foi usado. Peça ao administrador que envie um novo.',
  'errors.emailTaken': 'Este e-mail já está em uso.',
  'errors.planLimit': 'Sua organização atingiu o limite de usuários do plano. Fale com o administrador.',
  'errors.notFound': 'Não encontrado.',
  'errors.generic': 'Algo deu errado. Tente novamente.',

  'login.title': 'Entrar no Switchboard',
  'login.submit': 'Entrar',
  'login.forgot': 'Esqueceu a senha?',
  'login.twoFactorTitle': 'Verificação em duas etapas',
  'login.totpIntro': 'Informe o código de 6 dígitos do seu aplicativo autenticador.',
  'login.recoveryIntro':
    'Informe um dos códigos de recuperação que você guardou ao ativar a verificação em duas etapas.',
  'login.useRecovery': 'Usar um código de recuperação',
  'login.useTotp': 'Usar um código do aplicativo autenticador',
  'login.verify': 'Verificar',
  'login.back': 'Voltar para o login',

  'forgot.title': 'Redefinir a senha',
  'forgot.intro':
    'Informe o e-mail que você usa para entrar e enviaremos um link para escolher uma nova senha.',
  'forgot.submit': 'Enviar link',
  'forgot.sent':
    'Se existir uma conta para {email}, enviamos um link para redefinir a senha. Confira sua caixa de entrada e a pasta de spam.',
  'forgot.backToLogin': 'Voltar para o login',

  'reset.title': 'Escolha uma nova senha',
  'reset.hint': 'Pelo menos {min} caracteres.',
  'reset.submit': 'Alterar senha',
  'reset.done': 'Sua senha foi alterada. Agora você já pode entrar com ela.',
  'reset.signIn': 'Entrar',
  'reset.requestNew': 'Solicitar um novo link',
  'reset.missingToken': 'Este link está incompleto. Abra novamente o link do e-mail ou solicite um novo.',

  'invite.title': 'Junte-se à sua equipe no Switchboard',
  'invite.intro': 'Crie sua conta para aceitar o convite.',
  'invite.submit': 'Criar conta',
  'invite.missingToken': 'Este link de convite está incompleto. Abra novamente o link do e-mail.',

  'home.title': 'Olá, {name}',
  'home.organization': 'Organização',
  'home.accountNumber': 'Número da conta',
  'home.plan': 'Plano',
  'home.user': 'Conectado como',
  'home.role': 'Função',

  'plan.free': 'Gratuito',
  'plan.starter': 'Starter',
  'plan.pro': 'Pro',
  'plan.enterprise': 'Enterprise',
  'role.owner': 'Proprietário',
  'role.admin': 'Administrador',
  'role.agent': 'Agente',

  'sessions.title': 'Minhas sessões',
  'sessions.intro': 'Dispositivos conectados à sua conta. Revogue qualquer sessão que você não reconheça.',
  'sessions.device': 'Dispositivo',
  'sessions.ip': 'Endereço IP',
  'sessions.created': 'Entrada',
  'sessions.lastSeen': 'Última atividade',
  'sessions.actions': 'Ações',
  'sessions.current': 'Este dispositivo',
  'sessions.currentHint': 'Use Sair para encerrar esta sessão.',
  'sessions.revoke': 'Revogar',
  'sessions.revokeLabel': 'Revogar a sessão em {device}',
  'sessions.revoked': 'Sessão revogada.',
  'sessions.empty': 'Nenhuma sessão ativa.',
  'sessions.unknownDevice': 'Dispositivo desconhecido',
  'sessions.browserOnOs': '{browser} em {os}',

  'notFound.title': 'Página não encontrada',
  'notFound.home': 'Ir para o início',
  ...inboxShellPtBR,
  ...inboxListPtBR,
  ...inboxThreadPtBR,
  ...inboxComposerPtBR,
  ...inboxContactsPtBR,
  ...inboxSearchPtBR,
  ...settingsCommonPtBR,
  ...settingsNumbersPtBR,
  ...settingsTeamPtBR,
  ...settingsLabelsPtBR,
  ...settingsApiKeysPtBR,
  ...settingsAuditPtBR,
  ...templatesPtBR,
  ...inboxToolsPtBR,
  ...accountPtBR,
  ...inboxKeysPtBR,
};
