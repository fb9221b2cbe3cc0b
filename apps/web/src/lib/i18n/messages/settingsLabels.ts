// Messages of the labels and canned responses settings, in the three languages side by side.
// English is the reference.

export const settingsLabelsEn = {
  'labels.intro': 'Tags for conversations and contacts, such as “VIP” or “Billing”.',
  'labels.new': 'New label',
  'labels.create': 'Create label',
  'labels.name': 'Name',
  'labels.color': 'Colour',
  'labels.description': 'Description',
  'labels.confirmDelete': 'Delete {name}? It is removed from every conversation and contact.',

  'canned.intro': 'Saved replies agents insert by typing / and their short code.',
  'canned.new': 'New canned response',
  'canned.create': 'Create canned response',
  'canned.empty': 'No canned responses yet.',
  'canned.shortCode': 'Short code',
  'canned.shortCodeHint': 'Letters a-z, digits, _ and -; agents type /code.',
  'canned.content': 'Text',
  'canned.variablesHint': 'You can use {variables}.',
  'canned.confirmDelete': 'Delete /{code}?',
} as const;

type Messages = { readonly [K in keyof typeof settingsLabelsEn]: string };

export const settingsLabelsEs: Messages = {
  'labels.intro': 'Etiquetas para conversaciones y contactos, como «VIP» o «Facturación».',
  'labels.new': 'Nueva etiqueta',
  'labels.create': 'Crear etiqueta',
  'labels.name': 'Nombre',
  'labels.color': 'Color',
  'labels.description': 'Descripción',
  'labels.confirmDelete': '¿Eliminar {name}? Se quitará de todas las conversaciones y contactos.',

  'canned.intro': 'Respuestas guardadas que los agentes insertan escribiendo / y su código.',
  'canned.new': 'Nueva respuesta rápida',
  'canned.create': 'Crear respuesta rápida',
  'canned.empty': 'Aún no hay respuestas rápidas.',
  'canned.shortCode': 'Código',
  'canned.shortCodeHint': 'Letras a-z, dígitos, _ y -; los agentes escriben /código.',
  'canned.content': 'Texto',
  'canned.variablesHint': 'Puedes usar {variables}.',
  'canned.confirmDelete': '¿Eliminar /{code}?',
};

export const settingsLabelsPtBR: Messages = {
  'labels.intro': 'Etiquetas para conversas e contatos, como “VIP” ou “Cobrança”.',
  'labels.new': 'Nova etiqueta',
  'labels.create': 'Criar etiqueta',
  'labels.name': 'Nome',
  'labels.color': 'Cor',
  'labels.description': 'Descrição',
  'labels.confirmDelete': 'Excluir {name}? Ela será removida de todas as conversas e contatos.',

  'canned.intro': 'Respostas salvas que os agentes inserem digitando / e o código.',
  'canned.new': 'Nova resposta pronta',
  'canned.create': 'Criar resposta pronta',
  'canned.empty': 'Ainda não há respostas prontas.',
  'canned.shortCode': 'Código',
  'canned.shortCodeHint': 'Letras a-z, dígitos, _ e -; os agentes digitam /código.',
  'canned.content': 'Texto',
  'canned.variablesHint': 'Você pode usar {variables}.',
  'canned.confirmDelete': 'Excluir /{code}?',
};
