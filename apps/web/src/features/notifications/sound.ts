// A short two-note chime made with Web Audio, so no sound file is shipped. Browsers only let a page
// play sound after the user has interacted with it; `unlockSound` is called from the toggle.

let context: AudioContext | undefined;

function audio(): AudioContext | undefined {
  if (typeof window === 'undefined' || typeof window.AudioContext !== 'function') return undefined;
  context ??= new window.AudioContext();
  return context;
}

/** Called from a click: lets later chimes play without a gesture of their own. */
export function unlockSound(): void {
  void audio()?.resume();
}

export function playChime(): void {
  const ctx = audio();
  if (ctx === undefined || ctx.state !== 'running') return;
  const start = ctx.currentTime;
  [880, 1320].forEach((frequency, i) => {
    const oscillator = ctx.createOscillator();
    const gain = ctx.createGain();
    oscillator.type = 'sine';
    oscillator.frequency.value = frequency;
    const at = start + i * 0.12;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.2, at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.25);
    oscillator.connect(gain).connect(ctx.destination);
    oscillator.start(at);
    oscillator.stop(at + 0.3);
  });
}
