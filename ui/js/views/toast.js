// A short confirmation ("Copied") that appears above the status line and fades by itself.
// The element keeps role=status, so screen readers announce it without moving focus.

import { icon } from './icons.js';

const SHOWN_MS = 2200;

export function createToast(el) {
  let timer = 0;
  return {
    show(message, { tone = 'info', duration = SHOWN_MS } = {}) {
      const text = document.createElement('span');
      text.className = 'toast-text';
      text.textContent = message;
      el.replaceChildren(icon(tone === 'error' ? 'alert' : 'check'), text);
      el.dataset.tone = tone;
      el.classList.add('is-visible');
      clearTimeout(timer);
      timer = setTimeout(() => el.classList.remove('is-visible'), duration);
    },
    /** Removes the message at once, e.g. when locking: it may name an account. */
    clear() {
      clearTimeout(timer);
      el.classList.remove('is-visible');
      el.replaceChildren();
    },
  };
}
