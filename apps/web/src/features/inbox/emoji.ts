// A compact set of common emoji for the composer's picker, named in the app's three languages
// (the names are the buttons' accessible names and what the search matches), and inserting text
// at the caret.
import type { Locale } from '../../lib/i18n/types';

export interface Emoji {
  char: string;
  names: Record<Locale, string>;
}

const e = (char: string, en: string, es: string, pt: string): Emoji => ({
  char,
  names: { en, es, 'pt-BR': pt },
});

export const EMOJI: readonly Emoji[] = [
  e('😀', 'grinning face', 'cara sonriente', 'rosto sorridente'),
  e('😂', 'tears of joy', 'lágrimas de alegría', 'lágrimas de alegria'),
  e('🙂', 'slightly smiling', 'sonrisa leve', 'sorriso leve'),
  e('😊', 'smiling eyes', 'ojos sonrientes', 'olhos sorridentes'),
  e('😍', 'heart eyes', 'ojos de corazón', 'olhos de coração'),
  e('😉', 'winking', 'guiño', 'piscadela'),
  e('😅', 'sweat smile', 'sonrisa con sudor', 'sorriso suado'),
  e('🤔', 'thinking', 'pensando', 'pensando'),
  e('😮', 'surprised', 'sorprendido', 'surpreso'),
  e('😢', 'crying', 'llorando', 'chorando'),
  e('😡', 'angry', 'enojado', 'bravo'),
  e('😴', 'sleeping', 'durmiendo', 'dormindo'),
  e('🥳', 'party face', 'cara de fiesta', 'rosto de festa'),
  e('😎', 'cool sunglasses', 'gafas de sol', 'óculos escuros'),
  e('🙄', 'eye roll', 'ojos en blanco', 'revirando os olhos'),
  e('🤗', 'hug', 'abrazo', 'abraço'),
  e('🙏', 'thank you please', 'gracias por favor', 'obrigado por favor'),
  e('👍', 'thumbs up', 'pulgar arriba', 'joinha'),
  e('👎', 'thumbs down', 'pulgar abajo', 'polegar para baixo'),
  e('👏', 'clapping', 'aplausos', 'aplausos'),
  e('👋', 'waving hand hello', 'mano saludando hola', 'mão acenando olá'),
  e('👌', 'ok hand', 'mano ok', 'mão ok'),
  e('✌️', 'victory', 'victoria', 'vitória'),
  e('🤝', 'handshake', 'apretón de manos', 'aperto de mão'),
  e('💪', 'strong', 'fuerza', 'força'),
  e('👀', 'eyes looking', 'ojos mirando', 'olhos olhando'),
  e('❤️', 'red heart love', 'corazón rojo amor', 'coração vermelho amor'),
  e('💔', 'broken heart', 'corazón roto', 'coração partido'),
  e('🔥', 'fire', 'fuego', 'fogo'),
  e('✨', 'sparkles', 'destellos', 'brilhos'),
  e('🎉', 'party popper celebration', 'confeti celebración', 'confete comemoração'),
  e('🎁', 'gift', 'regalo', 'presente'),
  e('⭐', 'star', 'estrella', 'estrela'),
  e('✅', 'check mark done', 'marca de verificación hecho', 'marca de verificação feito'),
  e('❌', 'cross mark no', 'equis no', 'xis não'),
  e('⚠️', 'warning', 'advertencia', 'aviso'),
  e('❓', 'question', 'pregunta', 'pergunta'),
  e('❗', 'exclamation', 'exclamación', 'exclamação'),
  e('💯', 'hundred points', 'cien puntos', 'cem pontos'),
  e('👉', 'pointing right', 'señalando a la derecha', 'apontando para a direita'),
  e('📦', 'package order', 'paquete pedido', 'pacote pedido'),
  e('🚚', 'delivery truck', 'camión de reparto', 'caminhão de entrega'),
  e('📍', 'location pin', 'ubicación', 'localização'),
  e('📞', 'phone call', 'teléfono llamada', 'telefone ligação'),
  e('📧', 'email', 'correo electrónico', 'e-mail'),
  e('📅', 'calendar date', 'calendario fecha', 'calendário data'),
  e('⏰', 'alarm clock time', 'despertador hora', 'despertador hora'),
  e('⏳', 'hourglass waiting', 'reloj de arena esperando', 'ampulheta aguardando'),
  e('💳', 'credit card payment', 'tarjeta de crédito pago', 'cartão de crédito pagamento'),
  e('💰', 'money bag', 'bolsa de dinero', 'saco de dinheiro'),
  e('🧾', 'receipt invoice', 'recibo factura', 'recibo nota fiscal'),
  e('🛒', 'shopping cart', 'carrito de compras', 'carrinho de compras'),
  e('🏠', 'house home', 'casa hogar', 'casa lar'),
  e('🔧', 'wrench fix', 'llave inglesa arreglar', 'chave inglesa consertar'),
  e('🔒', 'locked secure', 'candado seguro', 'cadeado seguro'),
  e('🔗', 'link', 'enlace', 'link'),
  e('📎', 'paperclip attachment', 'clip adjunto', 'clipe anexo'),
  e('📷', 'camera photo', 'cámara foto', 'câmera foto'),
  e('☕', 'coffee', 'café', 'café'),
  e('🍕', 'pizza', 'pizza', 'pizza'),
  e('☀️', 'sun', 'sol', 'sol'),
  e('🌧️', 'rain', 'lluvia', 'chuva'),
  e('🚀', 'rocket fast', 'cohete rápido', 'foguete rápido'),
  e('💡', 'idea light bulb', 'idea bombilla', 'ideia lâmpada'),
];

/** Strips accents and case, so `cafe` finds `café` and `Corazón` finds `corazon`. */
const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();

/** The emoji whose name (in the locale or in English) contains every word of the query. */
export function searchEmoji(query: string, locale: Locale): readonly Emoji[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return EMOJI;
  return EMOJI.filter((emoji) => {
    const names = fold(`${emoji.names[locale]} ${emoji.names.en}`);
    return words.every((w) => names.includes(w));
  });
}

/** `text` put in place of the selection [start, end) of `value`, and the caret after it. */
export function insertAt(
  value: string,
  start: number,
  end: number,
  text: string,
): { text: string; caret: number } {
  const from = Math.max(0, Math.min(start, value.length));
  const to = Math.max(from, Math.min(end, value.length));
  return { text: value.slice(0, from) + text + value.slice(to), caret: from + text.length };
}
