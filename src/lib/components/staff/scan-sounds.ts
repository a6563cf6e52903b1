/**
 * A distinct tone for each kind of scan acknowledgement, made with the Web Audio API (no
 * audio files): a clerk scanning a pile of envelopes hears a refused or late one without
 * looking up. Only with JavaScript; the colour, icon and text on the page carry the same.
 */
import type { ScanKind } from './envelope-types';

type Tone = { frequency: number; duration: number; type: OscillatorType; gap?: number };

const TONES: Record<ScanKind, Tone[]> = {
	// One short high beep: all is well.
	recorded: [{ frequency: 880, duration: 0.09, type: 'sine' }],
	// Falling two-note tone: recorded, but to be kept apart (§57c(5)).
	late: [
		{ frequency: 660, duration: 0.18, type: 'triangle', gap: 0.04 },
		{ frequency: 392, duration: 0.3, type: 'triangle' }
	],
	// Two quick mid beeps: seen before.
	duplicate: [
		{ frequency: 587, duration: 0.08, type: 'square', gap: 0.08 },
		{ frequency: 587, duration: 0.08, type: 'square' }
	],
	// A low buzz: not one of ours.
	unknown: [{ frequency: 150, duration: 0.45, type: 'sawtooth' }],
	'voting-not-configured': [{ frequency: 150, duration: 0.45, type: 'sawtooth' }],
	// Rising two-note tone: taken back.
	undone: [
		{ frequency: 440, duration: 0.1, type: 'sine', gap: 0.03 },
		{ frequency: 660, duration: 0.12, type: 'sine' }
	]
};

let context: AudioContext | null = null;

/** Plays the tone of a scan kind; silently does nothing where audio is unavailable. */
export function playScanTone(kind: ScanKind | 'error'): void {
	if (typeof window === 'undefined' || typeof window.AudioContext !== 'function') return;
	try {
		context ??= new window.AudioContext();
		if (context.state === 'suspended') void context.resume();
		const tones = kind === 'error' ? TONES.unknown : TONES[kind];
		let at = context.currentTime + 0.01;
		for (const tone of tones) {
			const oscillator = context.createOscillator();
			const gain = context.createGain();
			oscillator.type = tone.type;
			oscillator.frequency.value = tone.frequency;
			// A short fade in and out avoids clicks.
			gain.gain.setValueAtTime(0.0001, at);
			gain.gain.exponentialRampToValueAtTime(0.25, at + 0.01);
			gain.gain.exponentialRampToValueAtTime(0.0001, at + tone.duration);
			oscillator.connect(gain).connect(context.destination);
			oscillator.start(at);
			oscillator.stop(at + tone.duration + 0.02);
			at += tone.duration + (tone.gap ?? 0);
		}
	} catch {
		// Sound is a convenience: the page shows everything it says.
	}
}
