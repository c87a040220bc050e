// The status line: where accounts are kept (always visible, because "memory only" means they
// vanish on close), and transient errors or warnings above it.

import { icon } from './icons.js';

const MESSAGE_MS = 12_000;

export function createStatus(root) {
  const note = root.querySelector('.status-note');
  const noteText = root.querySelector('.status-note-text');
  const box = root.querySelector('.status-error');
  const boxText = root.querySelector('.status-error-text');
  let timer = 0;

  function clear() {
    clearTimeout(timer);
    box.hidden = true;
    boxText.textContent = '';
  }

  root.querySelector('.status-error-dismiss').addEventListener('click', clear);

  return {
    setStorage({ storage, storageNote }) {
      note.dataset.storage = storage;
      note.querySelector('.status-note-icon').replaceWith(
        icon(storage === 'vault' ? 'lock' : 'alert', 'icon status-note-icon'),
      );
      noteText.textContent = storageNote;
    },

    /** Shows a message above the storage note; it goes away by itself unless `sticky`. */
    show(message, { tone = 'error', sticky = false } = {}) {
      clearTimeout(timer);
      box.dataset.tone = tone;
      boxText.textContent = message;
      box.hidden = false;
      if (!sticky) timer = setTimeout(clear, MESSAGE_MS);
    },

    clear,
  };
}
