// One account's details: rename it, file it under a group, keep notes, and keep the recovery
// codes the service handed out (paste the list, copy one, mark codes used).

import { accountLabel, asSentence } from '../lib/labels.js';
import { recoverySummary } from '../lib/recovery.js';
import { icon } from './icons.js';
import { clearFieldError, setBusy, showFieldError } from './forms.js';

export function createDetailsDialog(dialog, { api, notify, onChanged, onFailure }) {
  const $ = (selector) => dialog.querySelector(selector);
  const form = $('#details-form');
  const fields = {
    issuer: $('#details-issuer'),
    name: $('#details-name'),
    group: $('#details-group'),
    notes: $('#details-notes'),
  };
  const save = $('#details-save');
  const error = $('#details-error');
  const list = $('#recovery-list');
  const summary = $('#recovery-summary');
  const paste = $('#recovery-paste');
  const pasteSave = $('#recovery-save');
  const pasteError = $('#recovery-error');
  const editor = $('#recovery-editor');
  const pinned = $('#details-pinned');
  const qrToggle = $('#account-qr-toggle');
  const qrImage = $('#account-qr-code');

  function hideQr() {
    qrImage.hidden = true;
    qrImage.removeAttribute('src');
    qrToggle.textContent = 'Show QR code';
    qrToggle.setAttribute('aria-expanded', 'false');
  }

  qrToggle.addEventListener('click', async () => {
    if (!qrImage.hidden) {
      hideQr();
      return;
    }
    try {
      const svg = await api.accountQr(details.id);
      qrImage.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
      qrImage.alt = `QR code of ${accountLabel(details)}`;
      qrImage.hidden = false;
      qrToggle.textContent = 'Hide QR code';
      qrToggle.setAttribute('aria-expanded', 'true');
    } catch (failure) {
      failed(failure, error);
    }
  });
  let details = null;

  function failed(failure, box, field) {
    if (!onFailure(failure)) showFieldError(box, asSentence(failure.message), field);
  }

  function showCodes() {
    const { text, tone } = recoverySummary(details.recoveryRemaining, details.recoveryCodes.length);
    summary.textContent = text;
    summary.dataset.tone = tone;
    list.replaceChildren(...details.recoveryCodes.map(codeItem));
    list.hidden = details.recoveryCodes.length === 0;
    // With no codes kept, the paste box is the next step; with codes, it is folded away.
    editor.open = details.recoveryCodes.length === 0;
  }

  function codeItem({ code, used }, index) {
    const li = document.createElement('li');
    li.className = 'recovery-code';
    li.dataset.index = String(index);
    li.dataset.used = String(used);
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.className = 'recovery-used';
    box.checked = used;
    const text = document.createElement('span');
    text.className = 'recovery-text';
    text.textContent = code;
    label.append(box, text);
    box.setAttribute('aria-label', `Code ${index + 1} used`);
    const copy = document.createElement('button');
    copy.type = 'button';
    copy.className = 'icon-button recovery-copy';
    copy.title = 'Copy and mark used';
    copy.setAttribute('aria-label', `Copy code ${index + 1} and mark it used`);
    copy.append(icon('copy'));
    copy.disabled = used;
    li.append(label, copy);
    return li;
  }

  async function changeCodes(call, message) {
    try {
      details = await call();
      showCodes();
      onChanged();
      if (message) notify(message);
    } catch (failure) {
      failed(failure, pasteError);
    }
  }

  list.addEventListener('change', (event) => {
    const box = event.target.closest('.recovery-used');
    if (!box) return;
    const index = Number(box.closest('.recovery-code').dataset.index);
    changeCodes(() => api.markRecoveryCode(details.id, index, box.checked));
  });

  list.addEventListener('click', (event) => {
    const button = event.target.closest('.recovery-copy');
    if (!button) return;
    const index = Number(button.closest('.recovery-code').dataset.index);
    changeCodes(() => api.copyRecoveryCode(details.id, index), 'Recovery code copied and marked used');
  });

  pinned.addEventListener('change', async () => {
    const wanted = pinned.checked;
    try {
      await api.setPinned(details.id, wanted);
      details.pinned = wanted;
      onChanged();
      notify(wanted ? 'Pinned' : 'Unpinned');
    } catch (failure) {
      pinned.checked = !wanted;
      failed(failure, error, pinned);
    }
  });

  pasteSave.addEventListener('click', async () => {
    clearFieldError(pasteError, paste);
    setBusy(pasteSave, true, 'Saving…');
    try {
      details = await api.setRecoveryCodes(details.id, paste.value);
      paste.value = '';
      showCodes();
      onChanged();
      notify(details.recoveryCodes.length ? 'Recovery codes saved' : 'Recovery codes removed');
    } catch (failure) {
      failed(failure, pasteError, paste);
    } finally {
      setBusy(pasteSave, false);
    }
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (save.getAttribute('aria-busy') === 'true') return;
    clearFieldError(error, ...Object.values(fields));
    setBusy(save, true, 'Saving…');
    try {
      details = await api.updateAccountDetails(details.id, {
        issuer: fields.issuer.value,
        name: fields.name.value,
        group: fields.group.value,
        notes: fields.notes.value,
      });
      fill();
      onChanged();
      notify('Details saved');
    } catch (failure) {
      failed(failure, error, fields.issuer);
    } finally {
      setBusy(save, false);
    }
  });

  function fill() {
    $('#details-account').textContent = accountLabel(details);
    for (const [key, field] of Object.entries(fields)) field.value = details[key] ?? '';
    pinned.checked = Boolean(details.pinned);
  }

  $('#details-close').addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => {
    if (dialog.open) return;
    // Recovery codes and the QR code leave the page with the dialog.
    details = null;
    hideQr();
    list.replaceChildren();
    paste.value = '';
    clearFieldError(error, ...Object.values(fields));
    clearFieldError(pasteError, paste);
  });

  return {
    /** Opens for the account `id`. */
    async open(id) {
      try {
        details = await api.accountDetails(id);
      } catch (failure) {
        if (!onFailure(failure)) notify(asSentence(failure.message));
        return;
      }
      fill();
      showCodes();
      if (!dialog.open) dialog.showModal();
      fields.issuer.focus();
    },
    close() {
      if (dialog.open) dialog.close();
    },
  };
}
